"""Benchmark of issue 5 documents (文书): PDF rendering time per document type, and documents per second.

    .venv/bin/python bench/bench_documents.py                 # 5 renders of each of the 18 types
    .venv/bin/python bench/bench_documents.py --runs 20 --issue 20

On a fresh SQLite database under /tmp (rendering is CPU work; the database only holds the sample case): migrate;
a small world (one agency, three certified officers, head, reviewer, a natural-person party with a long address);
one case walked through every step that has a document (先行登记保存 → 扣押, extended and released; an extended
deadline; notice with hearing; hearing; legal review; collective discussion; decision; service; 催告; court
application; closing) plus a 不予处罚 case. Then, per type, ``--runs`` timed calls of
``documents.render_pdf`` (font load + layout + font subsetting + QR code) → p50/p95 and pages; then
``--issue`` timed calls of the service ``document_issue`` (gapless number under a row lock, render, SHA-256,
Ed25519 seal, store, ledger entry) → p50/p95 and documents/s. One process, one core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

DATA_DIR = "/tmp/zhifa_bench_documents"


def _percentiles(samples: list[float], prefix: str = "") -> dict[str, float]:
    samples = sorted(samples)
    p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
    return {
        f"{prefix}p50_ms": round(statistics.median(samples) * 1000, 1),
        f"{prefix}p95_ms": round(p95 * 1000, 1),
    }


class _Clock:
    """Wall time and this process's CPU time of one call (on a shared machine the CPU time is the figure that
    does not depend on what else runs)."""

    def __enter__(self) -> _Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="timed renders per document type")
    parser.add_argument("--issue", type=int, default=10, help="timed document_issue calls (end to end)")
    args = parser.parse_args()

    shutil.rmtree(DATA_DIR, ignore_errors=True)
    Path(DATA_DIR).mkdir(parents=True)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.pop("ZHIFA_DATABASE_URL", None)
    os.environ["ZHIFA_DATA_DIR"] = DATA_DIR
    os.environ["ZHIFA_LEDGER_SIGNING_KEY_FILE"] = ""  # the key is made under the bench data dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from zhifa.cases import documents, services
    from zhifa.cases.models import DocumentType
    from zhifa.cases.tests.helpers import CaseWorld, attach, opened
    from zhifa.cases.tests.test_document_templates import full_case
    from zhifa.core.validators import resident_id_with_check, uscc_with_check
    from zhifa.org.models import (
        Agency,
        Certificate,
        Domain,
        Officer,
        Party,
        PartyKind,
        Region,
        RegionLevel,
        Role,
        RoleAssignment,
        User,
    )

    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    # The sample case takes the stand-in legal review (as the case tests do); the other apps' hooks are set
    # aside — this measures rendering, not the catalog, discretion or review workflows.
    from collections import defaultdict

    from zhifa.cases import hooks

    hooks._reasons, hooks._status, hooks._panels = [], [], []
    hooks._checks, hooks._after = defaultdict(list), defaultdict(list)
    call_command("migrate", verbosity=0, interactive=False)
    province = Region.objects.create(code="830000", name="基准省", level=RegionLevel.PROVINCE)
    county = Region.objects.create(code="830102", name="基准县", level=RegionLevel.COUNTY, parent=province)
    market = Domain.objects.get(code="market")
    agency = Agency.objects.create(
        name="基准县市场监督管理局",
        short_name="测县市监",
        uscc=uscc_with_check("11830102MB0000001"),
        region=county,
        address="基准县人民路 1 号",
        phone="0830-1234567",
    )
    agency.domains.set([market])
    officers = []
    for i in range(3):
        officer = Officer.objects.create(
            name=f"执法员{i}", id_number=resident_id_with_check(f"830102198503{i:05d}"), agency=agency
        )
        cert = Certificate.objects.create(
            officer=officer,
            number=f"BENCH{i:06d}",
            issuer="基准县人民政府",
            issued_on=dt.date(2020, 1, 1),
            expires_on=dt.date(2030, 12, 31),
        )
        cert.domains.set([market])
        officers.append(officer)

    def user(name: str, *roles: str) -> User:
        u = User.objects.create_user(name, password="Zhifa@2026x")
        for role in roles:
            RoleAssignment.objects.create(user=u, role=role, scope="agency", agency=agency)
        return User.objects.get(pk=u.pk)

    officer_user = user("bench-officer", Role.OFFICER)
    officers[0].user = officer_user
    officers[0].save(update_fields=["user"])
    world = CaseWorld(
        county=county,
        agency=agency,
        other_agency=agency,
        market=market,
        officers=officers,
        officer_user=officer_user,
        head=user("bench-head", Role.AGENCY_HEAD, Role.OFFICER),
        reviewer=user("bench-reviewer", Role.LEGAL_REVIEWER),
        supervisor=officer_user,
        outsider=officer_user,
        company=Party.objects.create(
            kind=PartyKind.LEGAL_PERSON,
            name="基准企业有限公司",
            uscc=uscc_with_check("91830102MA0000001"),
            region=county,
        ),
        citizen=Party.objects.create(
            kind=PartyKind.NATURAL_PERSON,
            name="钱某",
            id_number=resident_id_with_check("83010219900101001"),
            region=county,
        ),
    )
    t0 = time.perf_counter()
    full = full_case(world)
    walk_s = time.perf_counter() - t0
    small = services.case_start_investigation(
        actor=officer_user, case=opened(world, facts="销售少量临期食品"), on=full.case.opened_on
    )
    attach(officer_user, small, "investigation")
    small = services.case_end_investigation(actor=officer_user, case=small, on=dt.date(2025, 3, 5))
    small = services.case_not_punish(
        actor=world.head, case=small, reason="first_minor", on=dt.date(2025, 3, 6)
    )
    log(f"sample cases walked in {walk_s:.1f} s")

    per_type: dict[str, dict[str, object]] = {}
    all_samples: list[float] = []
    all_cpu: list[float] = []
    on = dt.date(2025, 12, 19)
    for doc_type in DocumentType.values:
        case = small if doc_type == DocumentType.NOT_PUNISH_DECISION else full.case
        seizure = documents.seizure_for(case, doc_type)
        samples, cpu = [], []
        pdf = b""
        for n in range(args.runs):
            with _Clock() as clock:
                pdf = documents.render_pdf(case, doc_type, f"测县市监{n}号", on, seizure)
            samples.append(clock.wall)
            cpu.append(clock.cpu)
        all_samples += samples
        all_cpu += cpu
        per_type[doc_type] = {
            "label": str(DocumentType(doc_type).label),
            **_percentiles(cpu, "cpu_"),
            **_percentiles(samples, "wall_"),
            "pages": pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page"),
            "kib": round(len(pdf) / 1024, 1),
        }
        log(f"{doc_type}: {per_type[doc_type]}")

    issue_samples, issue_cpu = [], []
    for _ in range(args.issue):
        with _Clock() as clock:
            services.document_issue(actor=officer_user, case=full.case, doc_type="decision", on=on)
        issue_samples.append(clock.wall)
        issue_cpu.append(clock.cpu)
    result = {
        "machine_cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 1),
        "renders": len(all_samples),
        "render_all_types": {**_percentiles(all_cpu, "cpu_"), **_percentiles(all_samples, "wall_")},
        "render_docs_per_cpu_s": round(len(all_cpu) / sum(all_cpu), 2),
        "render_docs_per_wall_s": round(len(all_samples) / sum(all_samples), 2),
        "document_issue": {
            **_percentiles(issue_cpu, "cpu_"),
            **_percentiles(issue_samples, "wall_"),
            "docs_per_cpu_s": round(len(issue_cpu) / sum(issue_cpu), 2),
        },
        "per_type": per_type,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    shutil.rmtree(DATA_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
