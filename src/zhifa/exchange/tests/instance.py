"""Steps run inside one zhifa instance's process for the two-instance test (``python -m
zhifa.exchange.tests.instance STEP [ARG …] …``): each step prints one JSON line.

- ``city CODE PEM_FILE``: a city region and administrator, and the county registered as a source (prints its
  secret);
- ``county URL CODE SECRET``: a county region, agency and administrator, and the city as its upstream;
- ``flag N``: raise supervision flag number N (in its own transaction: the outbox item with it);
- ``sign``: sign a tree head of the county's ledger;
- ``push`` / ``push-now``: ``outbox_push_once`` (``retry_now`` for the second).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    django.setup()
    # local import: Django must be set up before the apps' modules load
    from django.db import transaction

    from zhifa.core import flags
    from zhifa.exchange import outbox, services
    from zhifa.org.models import Agency, Region, RegionLevel, Role, RoleAssignment, ScopeKind, User
    from zhifa.records.services import ledger_sign

    def admin(region: Region) -> User:
        user = User.objects.create_user(username=f"admin{region.code}", password="x-" * 8)
        RoleAssignment.objects.create(user=user, role=Role.ADMIN, scope=ScopeKind.REGION, region=region)
        return User.objects.get(pk=user.pk)

    args = list(argv)
    while args:
        step = args.pop(0)
        if step == "city":
            code, pem_file = args.pop(0), args.pop(0)
            city = Region.objects.create(code="770100", name="交换市", level=RegionLevel.CITY)
            county = Region.objects.create(code=code, name="交换县", level=RegionLevel.COUNTY, parent=city)
            _, secret = services.source_create(
                actor=admin(city),
                region=county,
                name="交换县平台",
                code=code,
                public_key_pem=Path(pem_file).read_text(),
            )
            print(json.dumps({"secret": secret}))
        elif step == "county":
            url, code, secret = args.pop(0), args.pop(0), args.pop(0)
            county = Region.objects.create(code=code, name="交换县", level=RegionLevel.COUNTY)
            Agency.objects.create(name="交换县市场监督管理局", region=county, uscc="11770102000000001X")
            services.upstream_create(
                actor=admin(county), name="交换市平台", url=url, source_code=code, secret=secret
            )
            print(json.dumps({"upstream": True}))
        elif step == "flag":
            n = int(args.pop(0))
            with transaction.atomic():
                agency = Agency.objects.get(uscc="11770102000000001X")
                flags.notify(
                    flags.FlagCandidate(
                        kind="exchange_test", key=f"k{n}", agency_id=agency.pk, title=f"预警 {n}"
                    )
                )
            print(json.dumps({"flag": n}))
        elif step == "sign":
            with transaction.atomic():
                head = ledger_sign()
            print(json.dumps({"head": head.tree_size}))
        elif step in ("push", "push-now"):
            result = outbox.outbox_push_once(retry_now=step == "push-now")
            print(json.dumps(dataclasses.asdict(result)))
        else:
            raise SystemExit(f"unknown step {step}")


if __name__ == "__main__":
    main(sys.argv[1:])
