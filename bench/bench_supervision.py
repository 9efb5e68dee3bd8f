"""Benchmark of issue 9 (supervision): gathering the warning queue, and reading it, at county-to-province scale.

    createdb -h 127.0.0.1 -U postgres zhifa_bench_supervision
    ZHIFA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhifa_bench_supervision \\
        .venv/bin/python bench/bench_supervision.py --flags 100000
    dropdb -h 127.0.0.1 -U postgres zhifa_bench_supervision

Builds a province of ``--cities`` cities × ``--counties`` counties × ``--agencies`` agencies (regions 87xxxx,
outside the demo's 86xxxx), registers a synthetic flag source yielding ``--flags`` candidates spread over the
agencies, then times: the first scan (every flag raised), a second scan with nothing changed (idempotent: no
row written), a scan after the source dropped 10 % (those flags closed), and p50/p95 of the queue's first page
(50 rows, state 待处理; after ANALYZE) as a county supervisor and as the provincial supervisor, and of handling one flag.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")


def _pct(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
    return f"p50 {statistics.median(samples) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--flags", type=int, default=100_000)
    parser.add_argument("--cities", type=int, default=10)
    parser.add_argument("--counties", type=int, default=10)
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from zhifa.core import flags
    from zhifa.core.validators import uscc_with_check
    from zhifa.org.models import Agency, Region, RegionLevel, Role, RoleAssignment, ScopeKind, User
    from zhifa.supervision import selectors, services

    print(f"database: {connection.vendor}; flags {args.flags}")
    province = Region.objects.create(code="870000", name="基准省", level=RegionLevel.PROVINCE)
    counties: list[Region] = []
    agencies: list[Agency] = []
    n = 0
    for c in range(args.cities):
        city = Region.objects.create(
            code=f"87{c + 1:02d}00", name=f"基准市{c}", level=RegionLevel.CITY, parent=province
        )
        for k in range(args.counties):
            county = Region.objects.create(
                code=f"87{c + 1:02d}{k + 1:02d}", name=f"基准县{c}-{k}", level=RegionLevel.COUNTY, parent=city
            )
            counties.append(county)
            for _ in range(args.agencies):
                n += 1
                uscc = uscc_with_check(f"11{county.code}{n:09d}")
                agencies.append(Agency(name=f"基准局{n}", uscc=uscc, region=county, path=f"/{uscc}/"))
    Agency.objects.bulk_create(agencies, batch_size=2000)
    agency_ids = list(Agency.objects.filter(region__code__startswith="87").values_list("id", flat=True))
    county_sup = User.objects.create(username="bench_county_sup")
    RoleAssignment.objects.create(
        user=county_sup, role=Role.SUPERVISOR, scope=ScopeKind.REGION, region=counties[0]
    )
    prov_sup = User.objects.create(username="bench_prov_sup")
    RoleAssignment.objects.create(
        user=prov_sup, role=Role.SUPERVISOR, scope=ScopeKind.REGION, region=province
    )
    print(f"regions {1 + args.cities + len(counties)}, agencies {len(agency_ids)}")

    state = {"keep": args.flags}

    def source(since: object) -> list[flags.FlagCandidate]:
        return [
            flags.FlagCandidate(
                kind="bench", key=f"x:{i}", agency_id=agency_ids[i % len(agency_ids)], title=f"基准预警 {i}"
            )
            for i in range(state["keep"])
        ]

    flags.register_source("bench", "基准", source)
    for label in ("first scan (raise all)", "second scan (unchanged)"):
        started = time.perf_counter()
        run = services.flags_scan(kinds=["bench"])
        print(f"{label}: {time.perf_counter() - started:.1f} s {run.counts['bench']}")
    state["keep"] = int(args.flags * 0.9)
    started = time.perf_counter()
    run = services.flags_scan(kinds=["bench"])
    print(f"scan after 10 % gone: {time.perf_counter() - started:.1f} s {run.counts['bench']}")

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would after a bulk change; stale stats mislead
            cursor.execute("ANALYZE supervision_flag")
    for who, user in (("county supervisor", county_sup), ("provincial supervisor", prov_sup)):
        samples = []
        for _ in range(args.runs):
            user = User.objects.get(pk=user.pk)
            started = time.perf_counter()
            rows = list(selectors.flags_queue(user).order_by("-id")[:50])
            samples.append(time.perf_counter() - started)
        print(f"queue first page, {who} ({len(rows)} rows): {_pct(samples)}")
    samples = []
    for flag_id in selectors.flags_queue(prov_sup).order_by("-id").values_list("id", flat=True)[: args.runs]:
        started = time.perf_counter()
        services.flag_handle(actor=User.objects.get(pk=prov_sup.pk), flag=flag_id, note="基准")
        samples.append(time.perf_counter() - started)
    print(f"handle one flag (lock, write, ledger append): {_pct(samples)}")


if __name__ == "__main__":
    main()
