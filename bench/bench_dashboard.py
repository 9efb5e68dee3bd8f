"""Benchmark of issue 9 item 1: the supervision dashboard's p95 on PostgreSQL at 1M cases and 5M inspections.

    .venv/bin/python bench/bench_dashboard.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_dashboard.py --cases 1000000 --inspections 5000000 --runs 30

On a fresh database (``zhifa_bench_stats``, created on the server and dropped afterwards unless ``--keep``):
migrate; one province, 10 cities, 100 counties and ``--agencies`` agencies (one field each); then a **bulk
load** in SQL (``INSERT … SELECT generate_series``): ``--cases`` cases spread over 2021–2025 (95 %
closed with a decision, 5 % open with a deadline; a third by the simple procedure) and ``--inspections``
inspections; then the **facts** the dashboard reads, computed in SQL with the same definitions as
``zhifa.stats.aggregates`` (a check compares them, for one agency, with the Python definitions), and 2 % of
the inspections as warnings; ANALYZE. Timed, through the Django test client with a logged-in user (the whole
page: scope, every chart's query, template): the dashboard for a province, a city and a county supervisor
and an agency head (``--runs`` runs after 3 warm-ups, p50/p95), the API's dashboard JSON, a drill-down page
and one chart's xlsx export; and the cost of one incremental ``sync`` of a case (rolled back).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

DATABASE = "zhifa_bench_stats"
ROOT = Path(__file__).resolve().parent.parent


def _pct(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
    return {"p50_ms": round(statistics.median(samples) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def _fill(cursor, table: str, overrides: dict[str, str]) -> tuple[str, str]:
    """Column list and SELECT expressions: the overrides, and a neutral value for every other NOT NULL column."""
    cursor.execute(
        "select column_name, data_type from information_schema.columns where table_name=%s and is_nullable='NO' "
        "and column_default is null and is_identity='NO' order by ordinal_position",
        [table],
    )
    neutral = {
        "character varying": "''",
        "text": "''",
        "boolean": "false",
        "smallint": "0",
        "integer": "0",
        "bigint": "0",
        "jsonb": "'[]'::jsonb",
        "timestamp with time zone": "now()",
        "date": "current_date",
    }
    cols = dict(overrides)
    for name, kind in cursor.fetchall():
        if name not in cols and name != "id":
            cols[name] = neutral[kind]
    return ", ".join(cols), ", ".join(cols.values())


def child(args: argparse.Namespace) -> dict[str, object]:
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.core.management import call_command
    from django.db import connection

    from zhifa.org.models import Domain, Region, RegionLevel
    from zhifa.org.tests.factories import AgencyFactory, PartyFactory

    result: dict[str, object] = {
        "cases": args.cases,
        "inspections": args.inspections,
        "agencies": args.agencies,
    }
    raw_inspections = args.inspections if args.raw_inspections is None else args.raw_inspections
    result["raw_inspections"] = raw_inspections
    if args.reuse:
        return timing(args, result, reuse_load(args, result))
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    from zhifa.org.domains import ensure_domains

    ensure_domains()
    domains = list(Domain.objects.order_by("id"))
    province = Region.objects.create(code="910000", name="基准省", level=RegionLevel.PROVINCE)
    cities, counties = [], []
    for c in range(10):
        city = Region.objects.create(
            code=f"91{c + 1:02d}00", name=f"基准市{c + 1}", level=RegionLevel.CITY, parent=province
        )
        cities.append(city)
        for k in range(10):
            counties.append(
                Region.objects.create(
                    code=f"91{c + 1:02d}{k + 1:02d}",
                    name=f"基准县{c + 1}-{k + 1}",
                    level=RegionLevel.COUNTY,
                    parent=city,
                )
            )
    per_county = max(1, args.agencies // len(counties))
    agencies = []
    for i, county in enumerate(counties):
        for j in range(per_county):
            a = AgencyFactory(name=f"{county.name}执法局{j + 1}", short_name=f"基{i}-{j}", region=county)
            a.domains.set([domains[(i + j) % len(domains)]])
            agencies.append(a)
    result["setup_s"] = round(time.perf_counter() - t0, 1)
    ids = [a.pk for a in agencies]
    dom = {
        a.pk: domains[(i // per_county + i % per_county) % len(domains)].pk for i, a in enumerate(agencies)
    }
    party0 = PartyFactory(region=counties[0]).pk  # the dashboard never reads the inspected party
    with connection.cursor() as cur:
        cur.execute(
            "create temporary table bench_agency (n int primary key, agency_id bigint, domain_id bigint)"
        )
        cur.executemany(
            "insert into bench_agency values (%s, %s, %s)", [(n, a, dom[a]) for n, a in enumerate(ids)]
        )
        n_agencies = len(ids)
        t = time.perf_counter()
        # Cases: g → agency g % A and, within the agency, u = g / A: year 2021 + u % 5, month (u / 5) % 12,
        # day u % 28; 5 % open (general, deadline), else closed with a decision 30 days after opening; a
        # third simple procedure; a quarter warnings. (Attributes from u, not g, so that every agency has
        # every year, month, procedure and outcome.)
        u = f"(g / {n_agencies})"
        base = f"make_date(2021 + {u} % 5, 1 + ({u} / 5) % 12, 1 + {u} % 28)"
        cols, exprs = _fill(
            cur,
            "cases_case",
            {
                "agency_id": "ba.agency_id",
                "domain_id": "ba.domain_id",
                "procedure": f"case when {u} % 20 <> 0 and {u} % 3 = 0 then 'simple' else 'general' end",
                "stage": f"case when {u} % 20 = 0 then 'investigation' else 'closed' end",
                "title": "'基准案件'",
                "source_kind": "'inspection'",
                "source_received_on": base,
                "opened_on": base,
                "number": "'基准' || g",
                "number_year": f"2021 + {u} % 5",
                "number_seq": "g",
                "decision_due": f"{base} + 90",
                "decided_on": f"case when {u} % 20 = 0 then null else {base} + 30 end",
                "penalty_kinds": f"case when {u} % 20 = 0 then '[]'::jsonb when {u} % 4 = 0 then '[\"warning\"]'::jsonb "
                "else '[\"fine\"]'::jsonb end",
                "fine_yuan": f"case when {u} % 20 = 0 or {u} % 4 = 0 then null else ({u} % 50 + 1) * 100 end",
                "closed_on": f"case when {u} % 20 = 0 then null else {base} + 40 end",
                "next_deadline": f"case when {u} % 20 = 0 then {base} + 90 else null end",
            },
        )
        cur.execute(
            f"insert into cases_case ({cols}) select {exprs} from generate_series(1, {args.cases}) g "
            f"join bench_agency ba on ba.n = g % {n_agencies}"
        )
        result["load_cases_s"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        ibase = f"make_date(2021 + {u} % 5, 1 + ({u} / 5) % 12, 1 + {u} % 28)"
        cols, exprs = _fill(
            cur,
            "inspections_inspection",
            {
                "agency_id": "ba.agency_id",
                "party_id": str(party0),
                "kind": f"(array['random','random','random','special','complaint'])[1 + ({u} / 60) % 5]",
                "status": "'done'",
                "inspected_on": ibase,
                "inspected_year": f"2021 + {u} % 5",
                "outcome": f"(array['pass','pass','pass','rectify','case'])[1 + ({u} / 7) % 5]",
            },
        )
        cur.execute(
            f"insert into inspections_inspection ({cols}) select {exprs} from generate_series(1, {raw_inspections}) g "
            f"join bench_agency ba on ba.n = g % {n_agencies}"
        )
        result["load_inspections_s"] = round(time.perf_counter() - t, 1)
    facts(args, result, ids)
    return timing(args, result, (province, cities, counties, ids))


def facts(args: argparse.Namespace, result: dict[str, object], ids: list[int]) -> None:
    """The facts, in SQL, with the definitions of zhifa.stats.aggregates (raw inspections when loaded, else
    the cells ``--inspections`` inspections spread like the raw load would give)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("delete from stats_fact")
        t = time.perf_counter()
        ins = "insert into stats_fact (metric, agency_id, region_path, domain_id, day, key, count, amount) "
        join = "join org_agency a on a.id = c.agency_id join org_region r on r.id = a.region_id"
        month = "date_trunc('month', {})::date"
        cur.execute(
            ins
            + f"select 'case.source', c.agency_id, r.path, c.domain_id, {month.format('c.source_received_on')}, "
            f"c.source_kind, count(*), 0 from cases_case c {join} group by 1,2,3,4,5,6"
        )
        cur.execute(
            ins + f"select 'case.opened', c.agency_id, r.path, c.domain_id, {month.format('c.opened_on')}, "
            f"c.procedure, count(*), 0 from cases_case c {join} where c.opened_on is not null group by 1,2,3,4,5,6"
        )
        decided = "c.decided_on is not null and c.penalty_kinds <> '[]'::jsonb"
        cur.execute(
            ins + f"select 'case.decided', c.agency_id, r.path, c.domain_id, {month.format('c.decided_on')}, "
            f"c.procedure, count(*), 0 from cases_case c {join} where {decided} group by 1,2,3,4,5,6"
        )
        cur.execute(
            ins + f"select 'case.penalty', c.agency_id, r.path, c.domain_id, {month.format('c.decided_on')}, "
            f"k.kind, count(*), 0 from cases_case c {join} cross join jsonb_array_elements_text(c.penalty_kinds) "
            f"k(kind) where {decided} group by 1,2,3,4,5,6"
        )
        cur.execute(
            ins
            + f"select 'case.fine', c.agency_id, r.path, c.domain_id, {month.format('c.decided_on')}, '', "
            f"count(*), sum(c.fine_yuan) from cases_case c {join} where {decided} and c.fine_yuan > 0 "
            "group by 1,2,3,4,5,6"
        )
        cur.execute(
            ins
            + f"select 'case.decided_late', c.agency_id, r.path, c.domain_id, {month.format('c.decided_on')}, "
            f"'', count(*), 0 from cases_case c {join} where {decided} and c.decided_on > c.decision_due "
            "group by 1,2,3,4,5,6"
        )
        cur.execute(
            ins
            + f"select 'case.closed', c.agency_id, r.path, c.domain_id, {month.format('c.closed_on')}, '', "
            f"count(*), 0 from cases_case c {join} where c.closed_on is not null group by 1,2,3,4,5,6"
        )
        cur.execute(
            ins
            + f"select 'case.deadline', c.agency_id, r.path, c.domain_id, c.next_deadline, '', count(*), 0 "
            f"from cases_case c {join} where c.next_deadline is not null and c.stage not in "
            "('closed','archived','not_opened','not_punished','transferred','withdrawn') group by 1,2,3,4,5,6"
        )
        ijoin = "join org_agency a on a.id = i.agency_id join org_region r on r.id = a.region_id"
        cur.execute("select exists(select 1 from inspections_inspection)")
        raw = cur.fetchone()[0]
        result["inspection_facts"] = (
            "from raw rows" if raw else f"synthetic cells of {args.inspections} inspections"
        )
        if not raw:  # the cells a raw load of --inspections rows would give (every agency, month, kind)
            per = args.inspections / (len(ids) * 60)
            cells = (
                "from org_agency a join org_region r on r.id = a.region_id cross join generate_series(2021, 2025) y "
                "cross join generate_series(1, 12) m cross join (values {}) k(key, w) where a.id = any(%s)"
            )
            for metric, values in (
                ("inspection.done", "('random', 0.6), ('special', 0.2), ('complaint', 0.2)"),
                ("inspection.outcome", "('pass', 0.6), ('rectify', 0.2), ('case', 0.2)"),
                (
                    "warning.raised",
                    "('unfiled', 0.005), ('repeated', 0.005), ('high_frequency', 0.005), ('multi_agency', 0.005)",
                ),
            ):
                cur.execute(
                    ins + f"select '{metric}', a.id, r.path, 0, make_date(y, m, 1), k.key, "
                    f"greatest(1, round({per} * k.w)), 0 " + cells.format(values),
                    [ids],
                )
        raw_sql = [
            f"select 'inspection.done', i.agency_id, r.path, 0, {month.format('i.inspected_on')}, i.kind, "
            f"count(*), 0 from inspections_inspection i {ijoin} where i.inspected_on is not null group by 1,2,3,4,5,6",
            f"select 'inspection.outcome', i.agency_id, r.path, 0, {month.format('i.inspected_on')}, "
            f"i.outcome, count(*), 0 from inspections_inspection i {ijoin} where i.inspected_on is not null "
            "and i.outcome <> '' group by 1,2,3,4,5,6",
            f"select 'warning.raised', i.agency_id, r.path, 0, {month.format('i.inspected_on')}, "
            "(array['unfiled','repeated','high_frequency','multi_agency'])[1 + i.id % 4], count(*), 0 "
            f"from inspections_inspection i {ijoin} where i.id % 50 = 0 group by 1,2,3,4,5,6",
        ]
        for sql in raw_sql if raw else []:
            cur.execute(ins + sql)
        result["load_facts_s"] = round(time.perf_counter() - t, 1)
        from zhifa.stats import aggregates

        t = time.perf_counter()
        result["rollup_rows"] = aggregates.rebuild_rollups()
        result["rebuild_rollups_s"] = round(time.perf_counter() - t, 1)
        cur.execute("analyze")
        cur.execute("select count(*) from stats_fact")
        result["fact_rows"] = cur.fetchone()[0]
        cur.execute("select count(*) from stats_fact where day >= '2025-01-01' and day < '2026-01-01'")
        result["fact_rows_2025"] = cur.fetchone()[0]


def reuse_load(args: argparse.Namespace, result: dict[str, object]) -> tuple:
    """A database kept from an earlier run (``--keep``): find its regions and agencies, rebuild the facts."""
    from zhifa.org.models import Agency, Region

    province = Region.objects.get(code="910000")
    cities = list(Region.objects.filter(parent=province).order_by("code"))
    counties = list(Region.objects.filter(parent__in=cities).order_by("code"))
    ids = list(Agency.objects.filter(region__in=counties).order_by("id").values_list("id", flat=True))
    facts(args, result, ids)
    return province, cities, counties, ids


def timing(args: argparse.Namespace, result: dict[str, object], world: tuple) -> dict[str, object]:
    from django.db import transaction
    from django.test import Client

    from zhifa.org.models import Agency, Role, User
    from zhifa.org.tests.factories import grant

    province, cities, counties, ids = world
    # The SQL load mirrors the Python definitions: compare one agency's cells.
    from zhifa.cases.models import Case
    from zhifa.stats import aggregates
    from zhifa.stats.models import Fact

    probe = ids[7]
    cells: dict = {}
    for _, c in aggregates._rows(
        "case", list(Case.objects.filter(agency_id=probe).values_list("id", flat=True))
    ):
        for key, (n, amount) in c.items():
            cell = cells.setdefault(key, [0, aggregates.ZERO])
            cell[0] += n
            cell[1] += amount
    stored = {
        (f.metric, f.agency_id, f.region_path, f.domain_id, f.day.isoformat(), f.key): [f.count, f.amount]
        for f in Fact.objects.filter(agency_id=probe, metric__startswith="case.")
    }
    result["sql_facts_match_python_definitions"] = stored == aggregates.nonzero(cells)

    def user_with(role: str, **scope: object) -> User:
        user = User.objects.create_user(username=f"bench-{role}-{len(scope)}-{time.time_ns()}", password="x")
        grant(user, role, **scope)
        return user

    viewers = {
        "province_supervisor": user_with(Role.SUPERVISOR, region=province),
        "city_supervisor": user_with(Role.SUPERVISOR, region=cities[0]),
        "county_supervisor": user_with(Role.SUPERVISOR, region=counties[0]),
        "agency_head": user_with(Role.AGENCY_HEAD, agency=Agency.objects.get(pk=ids[0])),
    }
    timings: dict[str, object] = {}
    result["timings"] = timings
    print("PARTIAL " + json.dumps(result, ensure_ascii=False), flush=True)
    for name, user in viewers.items():
        client = Client()
        client.force_login(user)
        for _ in range(3):
            assert client.get("/stats/?year=2025").status_code == 200
        samples = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get("/stats/?year=2025")
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200
        timings[f"page_{name}"] = _pct(samples)
    # The same page with the roll-ups switched off (every chart summed from the agencies' cells): the gain.
    from unittest import mock

    from zhifa.stats import selectors

    for name in ("province_supervisor", "county_supervisor"):
        client = Client()
        client.force_login(viewers[name])
        with mock.patch.object(selectors, "_rollup_paths", return_value=None):
            client.get("/stats/?year=2025")
            samples = []
            for _ in range(args.runs):
                started = time.perf_counter()
                assert client.get("/stats/?year=2025").status_code == 200
                samples.append(time.perf_counter() - started)
        timings[f"page_{name}_without_rollups"] = _pct(samples)
    client = Client()
    client.force_login(viewers["province_supervisor"])

    def timed(url: str) -> dict[str, float]:
        client.get(url)
        samples = []
        for _ in range(args.runs):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            samples.append(time.perf_counter() - started)
        return _pct(samples)

    timings["api_dashboard_province"] = timed("/api/stats/dashboard?year=2025")
    timings["drill_province_march_decided"] = timed("/stats/cases/?metric=case.decided&year=2025&month=3")
    timings["export_acts_by_agency"] = timed("/stats/export/acts_by_agency.xlsx?year=2025")
    # One incremental sync (what every case transition adds), rolled back.
    sample_ids = list(Case.objects.filter(agency_id=ids[3]).values_list("id", flat=True)[:50])
    samples = []
    for pk in sample_ids:
        with transaction.atomic():
            started = time.perf_counter()
            aggregates.sync("case", pk)
            samples.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    timings["incremental_sync_case"] = _pct(samples)
    result["timings"] = timings
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--inspections", type=int, default=5_000_000)
    parser.add_argument(
        "--raw-inspections",
        type=int,
        default=None,
        help="raw inspection rows to load (default --inspections)",
    )
    parser.add_argument("--agencies", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="time a database kept by --keep (facts rebuilt; no new database)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(args), ensure_ascii=False))
        return
    url = urlparse(args.postgres)
    psql = [
        "psql",
        "-h",
        url.hostname or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
    ]
    if not args.reuse:
        subprocess.run([*psql, "-qc", f"drop database if exists {DATABASE}"], check=True)
        subprocess.run([*psql, "-qc", f"create database {DATABASE}"], check=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhifa.settings",
        "ZHIFA_DATABASE_URL": urlunparse(url._replace(path=f"/{DATABASE}")),
    }
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--child", *sys.argv[1:]],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        lines = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
        if not lines:  # a failure after the load: show what was measured
            lines = ["RESULT " + line[8:] for line in out.stdout.splitlines() if line.startswith("PARTIAL ")]
            sys.stderr.write(out.stderr[-4000:])
        if not lines:
            sys.stderr.write(out.stdout[-4000:] + out.stderr[-8000:])
            sys.exit(1)
        print(json.dumps(json.loads(lines[-1][7:]), ensure_ascii=False, indent=2))
    finally:
        if not args.keep:
            subprocess.run(
                [
                    "psql",
                    "-h",
                    url.hostname,
                    "-p",
                    str(url.port or 5432),
                    "-U",
                    url.username,
                    "-qc",
                    f"drop database if exists {DATABASE}",
                ],
                check=False,
            )


if __name__ == "__main__":
    main()
