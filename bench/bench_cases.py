"""Benchmark of issue 5 (cases): transitions per second, and the workbench queries over 1M cases.

    .venv/bin/python bench/bench_cases.py                                    # SQLite under /tmp, 100k cases
    .venv/bin/python bench/bench_cases.py --no-sqlite \\
        --postgres postgres://postgres@127.0.0.1:5432/postgres              # database zhifa_bench_cases
    .venv/bin/python bench/bench_cases.py --cases 1000000 --officer-cases 10000 --flows 100

Each database leg runs in a child process on a fresh database (created on the PostgreSQL server and dropped
afterwards): migrate; a small world (one agency, 500 certified officers, a head, a party); **transitions**:
``--flows`` general-procedure cases walked from source to archive through the services (11 transitions each,
every one with its guards, row lock and ledger append), timed as transitions per second; then a **bulk load**
of synthetic cases for the same agency (raw SQL: executemany on SQLite, COPY on PostgreSQL; 30 % open with a
deadline, 70 % finished), two handling officers per case, one officer handling ``--officer-cases`` of them;
ANALYZE; then p50/p95 of the **workbench queries** as the selectors and the API run them (first page of 50):
my cases by deadline (first page and a deep page), the agency's case list, its overdue and near-limit lists,
and one case's detail with its next actions. Bulk-loaded cases have no ledger entries (only the walked ones).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from zhifa.core import clock

PG_DATABASE = "zhifa_bench_cases"
DEFAULT_SQLITE_DIR = "/tmp/zhifa_bench_cases"
OTHER_OFFICERS = 500
TODAY = dt.date(2026, 6, 1)


def _percentiles(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
    return {"p50_ms": round(statistics.median(samples) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def _time(fn: object, runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


# --- child: one database leg ------------------------------------------------------------------------------------


def _bulk_load(connection: object, table: str, columns: list[str], rows: object, batch: int = 20_000) -> None:
    if connection.vendor == "postgresql":  # type: ignore[attr-defined]
        copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:  # type: ignore[attr-defined]
            for row in rows:  # type: ignore[attr-defined]
                copy.write_row([row[c] for c in columns])
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    raw = connection.connection  # type: ignore[attr-defined]
    buffer = []
    for row in rows:  # type: ignore[attr-defined]
        buffer.append([row[c] for c in columns])
        if len(buffer) >= batch:
            raw.executemany(sql, buffer)
            buffer.clear()
    if buffer:
        raw.executemany(sql, buffer)
    raw.commit()


def _child(cases: int, officer_cases: int, flows: int, runs: int, seed: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max

    from zhifa.cases import selectors, services
    from zhifa.cases.models import Case, CaseOfficer, Stage
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

    rng = random.Random(seed)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrated in {time.perf_counter() - t0:.0f} s")

    province = Region.objects.create(code="830000", name="基准省", level=RegionLevel.PROVINCE)
    county = Region.objects.create(code="830102", name="基准县", level=RegionLevel.COUNTY, parent=province)
    market = Domain.objects.get(code="market")
    agency = Agency.objects.create(
        name="基准县市场监督管理局",
        short_name="基准市监",
        uscc=uscc_with_check("11830102MB0000001"),
        region=county,
    )
    agency.domains.set([market])
    officers = []
    for i in range(OTHER_OFFICERS + 1):
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
    me = officers[0]
    me_user = User.objects.create_user("bench-officer", password="Zhifa@2026x")
    me.user = me_user
    me.save(update_fields=["user"])
    RoleAssignment.objects.create(user=me_user, role=Role.OFFICER, scope="agency", agency=agency)
    head = User.objects.create_user("bench-head", password="Zhifa@2026x")
    for role in (Role.AGENCY_HEAD, Role.OFFICER):
        RoleAssignment.objects.create(user=head, role=role, scope="agency", agency=agency)
    party = Party.objects.create(
        kind=PartyKind.LEGAL_PERSON, name="基准企业", uscc=uscc_with_check("91830102MA0000001"), region=county
    )
    me_user = User.objects.get(pk=me_user.pk)
    head = User.objects.get(pk=head.pk)

    # --- transitions per second ---------------------------------------------------------------------------------
    from zhifa.cases.tests.helpers import attach  # stores evidence the real way (required records)

    day = dt.date(2025, 3, 3)
    started = time.perf_counter()
    attach_s = 0.0
    transitions = 0
    for n in range(flows):
        d = day + dt.timedelta(days=n % 200)
        case = services.case_register_source(
            actor=head,
            agency=agency,
            domain=market,
            source_kind="complaint",
            received_on=d,
            title="基准案件",
            parties=[party],
        )
        pair = [officers[1 + (2 * n) % OTHER_OFFICERS], officers[2 + (2 * n) % OTHER_OFFICERS]]
        case = services.case_open(actor=head, case=case, officers=pair, act_date=d, on=d)
        case = services.case_start_investigation(actor=head, case=case, on=d)
        d1 = d + dt.timedelta(days=1)
        t_attach = time.perf_counter()
        attach(head, case, "investigation", salt=str(n))  # 调查取证笔录, required before 调查终结
        attach(head, case, "service_execution", salt=str(n))  # 送达回证, required before 结案
        attach_s += time.perf_counter() - t_attach
        case = services.case_end_investigation(actor=head, case=case, on=d1)
        case = services.case_notify_rights(
            basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
            actor=head,
            case=case,
            kinds=["fine"],
            fine_yuan="5000",
            on=d1,
        )
        case = services.case_waive_rights(actor=head, case=case, on=d1)
        d2 = d + dt.timedelta(days=2)
        case = services.case_decide(actor=head, case=case, kinds=["fine"], fine_yuan="5000", on=d2)
        case = services.case_serve(actor=head, case=case, method="on_site", on=d2)
        case = services.case_record_payment(actor=head, case=case, amount_yuan="5000", on=d2)
        case = services.case_close(actor=head, case=case, on=d2)
        case = services.case_archive(actor=head, case=case, on=d2)
        transitions += 11
    walk_s = time.perf_counter() - started - attach_s  # evidence uploads are not transitions
    log(f"{flows} cases walked ({transitions} transitions) in {walk_s:.1f} s")
    from django.test.utils import CaptureQueriesContext

    case = services.case_register_source(
        actor=head,
        agency=agency,
        domain=market,
        source_kind="complaint",
        received_on=day,
        title="计数",
        parties=[party],
    )
    case = services.case_open(actor=head, case=case, officers=officers[1:3], act_date=day, on=day)
    attach(head, case, "investigation", salt="count")
    queries_per_transition = {}
    with CaptureQueriesContext(connection) as captured:
        services.case_start_investigation(actor=head, case=case, on=day)
    queries_per_transition["start_investigation"] = len(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        services.case_end_investigation(actor=head, case=case, on=day)
    queries_per_transition["end_investigation"] = len(captured.captured_queries)

    # --- bulk load ------------------------------------------------------------------------------------------------
    t0 = time.perf_counter()
    now = clock.now()
    fields = [f for f in Case._meta.concrete_fields if f.column != "id"]
    columns = [f.column for f in fields]
    defaults: dict[str, object] = {}
    for f in fields:
        value = None if f.null else f.get_default()
        if f.get_internal_type() == "JSONField":
            value = "[]"
        defaults[f.column] = value
    open_stages = [Stage.INVESTIGATION, Stage.REVIEW, Stage.NOTIFIED, Stage.DECIDED, Stage.SERVED]
    first_seq = (
        Case.objects.filter(agency=agency, number_year=2025).aggregate(m=Max("number_seq"))["m"] or 0
    ) + 1

    deadlines: list[dt.date | None] = []

    def case_row(n: int) -> dict[str, object]:
        opened = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(900))
        row = dict(defaults)
        active = rng.random() < 0.3
        row.update(
            agency_id=agency.pk,
            domain_id=market.pk,
            procedure="general",
            stage=rng.choice(open_stages) if active else Stage.ARCHIVED,
            stage_entered_on=opened,
            title=f"基准案件{n}",
            source_kind="inspection",
            source_received_on=opened,
            number=f"基准市监立〔2025〕{first_seq + n}号",
            number_year=2025,
            number_seq=first_seq + n,
            opened_on=opened,
            act_date=opened,
            decision_due=opened + dt.timedelta(days=90),
            next_deadline=(opened + dt.timedelta(days=rng.randrange(30, 120))) if active else None,
            created_at=now,
            updated_at=now,
        )
        deadlines.append(row["next_deadline"])  # type: ignore[arg-type]
        return row

    _bulk_load(connection, Case._meta.db_table, columns, (case_row(n) for n in range(cases)))
    case_ids = list(
        Case.objects.filter(number_seq__gte=first_seq).order_by("id").values_list("id", flat=True)
    )
    log(f"{cases:,} cases in {time.perf_counter() - t0:.0f} s")

    t0 = time.perf_counter()
    mine = set(rng.sample(range(len(case_ids)), min(officer_cases, len(case_ids))))
    other_ids = [o.pk for o in officers[1:]]

    def link_rows() -> object:
        for i, case_id in enumerate(case_ids):
            first = me.pk if i in mine else other_ids[i % len(other_ids)]
            second = other_ids[(i * 7 + 1) % len(other_ids)]
            if second == first:
                second = other_ids[(i * 7 + 2) % len(other_ids)]
            deadline = deadlines[i]
            yield {"case_id": case_id, "officer_id": first, "is_lead": True, "next_deadline": deadline}
            yield {"case_id": case_id, "officer_id": second, "is_lead": False, "next_deadline": deadline}

    link_columns = ["case_id", "officer_id", "is_lead", "next_deadline"]
    _bulk_load(connection, CaseOfficer._meta.db_table, link_columns, link_rows())
    log(f"{2 * len(case_ids):,} officer links in {time.perf_counter() - t0:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # --- the workbench queries --------------------------------------------------------------------------------
    deep_after = None
    for _ in range(20):  # walk 20 pages in, to time a deep page
        _rows, next_after = selectors.my_cases_by_deadline(me_user, after=deep_after, limit=50)
        if next_after is None:
            break
        deep_after = next_after
    from zhifa.cases.api import _case_out

    sample_case = Case.objects.get(pk=case_ids[len(case_ids) // 2])
    queries = {
        "my_cases_first_page": lambda: [
            _case_out(c) for c in selectors.my_cases_by_deadline(me_user, limit=50)[0]
        ],
        "my_cases_page_20": lambda: selectors.my_cases_by_deadline(me_user, after=deep_after, limit=50),
        "agency_list_newest": lambda: list(selectors.cases_visible(head).select_related(None)[:51]),
        "agency_overdue_first_page": lambda: list(
            selectors.cases_past_limit(head, today=TODAY).select_related("agency", "domain")[:51]
        ),
        "agency_near_limit_first_page": lambda: list(
            selectors.cases_near_limit(head, today=dt.date(2025, 6, 1)).select_related("agency", "domain")[
                :51
            ]
        ),
        "case_detail_next_actions": lambda: selectors.case_next_actions(
            head, selectors.case_get(head, sample_case.pk), on=TODAY
        ),
    }
    timings = {}
    for name, fn in queries.items():
        fn()  # warm
        timings[name] = _time(fn, runs)
    plans = {}
    with CaptureQueriesContext(connection) as captured:
        selectors.my_cases_by_deadline(me_user, limit=50)
    mine_sql = captured.captured_queries[-1]["sql"]
    explain = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(explain + mine_sql)
        plans["my_cases"] = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
    qs_overdue = selectors.cases_past_limit(head, today=TODAY)[:51]
    plans["agency_overdue"] = (
        qs_overdue.explain(analyze=True) if connection.vendor == "postgresql" else qs_overdue.explain()
    )
    plans["agency_list"] = selectors.cases_visible(head)[:51].explain()
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "flows": flows,
                "transitions": transitions,
                "walk_s": round(walk_s, 2),
                "transitions_per_s": round(transitions / walk_s, 1),
                "queries_per_transition": queries_per_transition,
                "cases": cases,
                "officer_cases": len(mine),
                "officer_open_cases": Case.objects.filter(
                    officer_links__officer=me, next_deadline__isnull=False
                ).count(),
                "timings": timings,
                "plans": plans,
            }
        )
    )


# --- parent -----------------------------------------------------------------------------------------------------


def _run_child(env: dict[str, str], args: argparse.Namespace, cases: int) -> dict[str, object]:
    command = [
        sys.executable,
        __file__,
        "--child",
        "--cases",
        str(cases),
        "--officer-cases",
        str(args.officer_cases),
        "--flows",
        str(args.flows),
        "--runs",
        str(args.runs),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    sys.stderr.write(result.stderr[-4000:])
    if result.returncode != 0:
        raise SystemExit(f"child failed ({result.returncode})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cases", type=int, default=1_000_000, help="bulk-loaded cases (PostgreSQL leg)")
    parser.add_argument("--sqlite-cases", type=int, default=100_000, help="bulk-loaded cases (SQLite leg)")
    parser.add_argument("--officer-cases", type=int, default=10_000)
    parser.add_argument("--flows", type=int, default=100, help="cases walked source → archive")
    parser.add_argument("--runs", type=int, default=100, help="timed runs per query")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--postgres", help="server URL; a database zhifa_bench_cases is created and dropped")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    if args.child:
        _child(args.cases, args.officer_cases, args.flows, args.runs, args.seed)
        return

    src = str(Path(__file__).resolve().parent.parent / "src")
    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhifa.settings", "PYTHONPATH": src}
    results = []
    if not args.no_sqlite:
        shutil.rmtree(DEFAULT_SQLITE_DIR, ignore_errors=True)
        Path(DEFAULT_SQLITE_DIR).mkdir(parents=True)
        env = {**base_env, "ZHIFA_DATA_DIR": DEFAULT_SQLITE_DIR}
        env.pop("ZHIFA_DATABASE_URL", None)
        results.append(_run_child(env, args, args.sqlite_cases))
        shutil.rmtree(DEFAULT_SQLITE_DIR, ignore_errors=True)
    if args.postgres:
        import psycopg

        server = urlparse(args.postgres)
        admin_url = urlunparse(server._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            admin.execute(f"CREATE DATABASE {PG_DATABASE}")
        try:
            env = {
                **base_env,
                "ZHIFA_DATABASE_URL": urlunparse(server._replace(path=f"/{PG_DATABASE}")),
                "ZHIFA_DATA_DIR": DEFAULT_SQLITE_DIR + "_pg",
            }
            results.append(_run_child(env, args, args.cases))
        finally:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            shutil.rmtree(DEFAULT_SQLITE_DIR + "_pg", ignore_errors=True)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
