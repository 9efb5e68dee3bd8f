"""Benchmark of issue 7: the draw over 1M candidates, the full warning scan over 5M inspections, the
incremental check per new inspection.

    .venv/bin/python bench/bench_inspections.py --draw-only
    .venv/bin/python bench/bench_inspections.py                                  # SQLite under /tmp
    .venv/bin/python bench/bench_inspections.py --no-sqlite \\
        --postgres postgres://postgres@127.0.0.1:5432/postgres                  # database zhifa_bench_insp
    .venv/bin/python bench/bench_inspections.py --inspections 1000000 --parties 200000

The draw is timed in this process: ``draw.select`` over N candidate ids (``"1"`` … ``"N"``) against raw
``hashlib.sha256`` over exactly the same bytes (seed || 0x00 || candidate), so the ratio is the cost of the
rule beyond hashing. Each database leg runs in a child process on a fresh database: migrate, bulk-load
synthetic parties and inspections (raw SQL: executemany on SQLite, COPY on PostgreSQL), ANALYZE, run
``warnings_full_scan`` and then time ``warnings_for_inspection`` on new inspections one at a time.
The PostgreSQL database is created on the given server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
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

PG_DATABASE = "zhifa_bench_insp"
DEFAULT_SQLITE_DIR = "/tmp/zhifa_bench_insp"
AGENCIES = 50
ITEMS_PER_AGENCY = 4
FIRST_DAY = dt.date(2023, 1, 1)
DAYS = 3 * 365


# --- the draw -------------------------------------------------------------------------------------------------------


def bench_draw(candidates: int, k: int) -> dict[str, object]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from zhifa.inspections import draw

    pool = [str(i) for i in range(1, candidates + 1)]
    seed = hashlib.sha256(b"bench").digest()

    started = time.perf_counter()
    for c in pool:
        hashlib.sha256(seed + b"\x00" + c.encode("utf-8")).digest()
    raw_s = time.perf_counter() - started

    started = time.perf_counter()
    selected = draw.select(pool, k, seed)
    select_s = time.perf_counter() - started

    started = time.perf_counter()
    digest = draw.pool_hash({"party/*": pool})
    pool_hash_s = time.perf_counter() - started
    assert len(selected) == k and len(digest) == 64
    return {
        "candidates": candidates,
        "k": k,
        "raw_sha256_s": round(raw_s, 3),
        "select_s": round(select_s, 3),
        "select_over_raw": round(select_s / raw_s, 2),
        "pool_hash_s": round(pool_hash_s, 3),
    }


# --- the database legs (child process) --------------------------------------------------------------------------------


def _child(inspections: int, parties: int, incremental: int, seed: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from zhifa.inspections.models import Inspection, InspectionItem, InspectionWarning
    from zhifa.inspections.warnings import day_number, warnings_for_inspection, warnings_full_scan
    from zhifa.org.models import Agency, Domain, Party, Region, RegionLevel

    rng = random.Random(seed)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrated in {time.perf_counter() - t0:.0f} s")

    province = Region.objects.create(code="820000", name="基准省", level=RegionLevel.PROVINCE)
    county = Region.objects.create(code="820102", name="基准县", level=RegionLevel.COUNTY, parent=province)
    market = Domain.objects.get(code="market")
    agencies = [
        Agency.objects.create(name=f"基准局{i}", uscc=f"BENCH{i:013d}", region=county)
        for i in range(AGENCIES)
    ]
    items = {
        a.pk: [
            InspectionItem.objects.create(
                agency=a, code=f"I{j}", name=f"事项{j}", domain=market, legal_basis="《基准法》第一条"
            ).pk
            for j in range(ITEMS_PER_AGENCY)
        ]
        for a in agencies
    }
    agency_ids = [a.pk for a in agencies]

    t0 = time.perf_counter()
    now = clock.now()
    party_columns = [f.column for f in Party._meta.concrete_fields if f.column != "id"]
    credit = ["A"] * 2 + ["B"] * 5 + ["C"] * 2 + ["D"]

    def party_row(n: int) -> dict[str, object]:
        return {
            "kind": "legal_person",
            "name": f"基准企业{n}",
            "uscc": f"P{n:017d}",
            "id_number": "",
            "legal_representative": "",
            "region_id": county.pk,
            "industry": "餐饮",
            "address": "",
            "phone": "",
            "credit_class": credit[n % 10],
            "region_path": county.path,
            "created_at": now,
        }

    _bulk_load(connection, Party._meta.db_table, party_columns, (party_row(n) for n in range(parties)))
    first_party = Party.objects.order_by("id").values_list("id", flat=True).first()
    log(f"{parties:,} parties in {time.perf_counter() - t0:.0f} s")

    fields = [f for f in Inspection._meta.concrete_fields if f.column != "id"]
    columns = [f.column for f in fields]
    defaults = {f.column: (None if f.null else f.get_default()) for f in fields}

    # Parties in id order (as an import would bring them), each with a random number of inspections.
    party_offsets = sorted(rng.randrange(parties) for _ in range(inspections))

    def inspection_row(n: int) -> dict[str, object]:
        party = first_party + party_offsets[n]
        # Each party is inspected mostly by its own three agencies (market, its sector, its area).
        home = [agency_ids[(party * m) % AGENCIES] for m in (1, 7, 13)]
        agency = (
            home[0]
            if rng.random() < 0.6
            else rng.choice(home)
            if rng.random() < 0.9
            else rng.choice(agency_ids)
        )
        offset = rng.randrange(DAYS)
        day = FIRST_DAY + dt.timedelta(days=offset)
        entered = dt.datetime(day.year, day.month, day.day, 2, tzinfo=dt.UTC)
        filed = rng.random() < 0.99
        row = dict(defaults)
        row.update(
            agency_id=agency,
            item_id=rng.choice(items[agency]),
            party_id=party,
            kind="random" if filed else "special",
            status="done",
            filed_at=entered - dt.timedelta(days=3) if filed else None,
            is_emergency=not filed and rng.random() < 0.5,
            entered_at=entered,
            recorded_at=entered,
            entered_late=rng.random() < 0.005,
            inspected_on=day,
            inspected_day=day_number(day),
            inspected_year=day.year,
            outcome="pass",
        )
        return row

    # The composite indexes are built after the load, as for any bulk import.
    with connection.schema_editor() as editor:
        for index in Inspection._meta.indexes:
            editor.remove_index(Inspection, index)
    t0 = time.perf_counter()
    _bulk_load(
        connection, Inspection._meta.db_table, columns, (inspection_row(i) for i in range(inspections))
    )
    load_s = time.perf_counter() - t0
    log(f"{inspections:,} inspections in {load_s:.0f} s")
    party_offsets.clear()
    t0 = time.perf_counter()
    with connection.schema_editor() as editor:
        for index in Inspection._meta.indexes:
            editor.add_index(Inspection, index)
    index_s = time.perf_counter() - t0
    log(f"indexes in {index_s:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    t0 = time.perf_counter()
    per_rule: dict[str, float] = {}
    counts: dict[str, int] = {}
    for rule in (
        "unfiled",
        "late_entry",
        "repeated",
        "high_frequency_credit_class",
        "high_frequency_agency_year_cap",
        "multi_agency",
    ):
        r0 = time.perf_counter()
        counts.update(warnings_full_scan(now=now, rules=(rule,)))
        per_rule[rule] = round(time.perf_counter() - r0, 1)
        log(f"  {rule}: {counts[rule]:,} warnings in {per_rule[rule]} s")
    scan_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = warnings_full_scan(now=now)
    rescan_s = time.perf_counter() - t0
    log(f"full scan {scan_s:.1f} s; second scan (nothing new: {sum(again.values())}) {rescan_s:.1f} s")

    timings = []
    for _ in range(incremental):
        party = first_party + rng.randrange(parties)
        day = FIRST_DAY + dt.timedelta(days=DAYS + rng.randrange(30))
        with transaction.atomic():
            inspection = Inspection.objects.create(
                agency_id=agency_ids[party % AGENCIES],
                item_id=items[agency_ids[party % AGENCIES]][0],
                party_id=party,
                kind="random",
                status="checked_in",
                filed_at=now,
                entered_at=now,
                inspected_on=day,
                inspected_day=day_number(day),
                inspected_year=day.year,
            )
            w0 = time.perf_counter()
            warnings_for_inspection(inspection, now=now)
            timings.append((time.perf_counter() - w0) * 1000)
    timings.sort()

    # The nightly form: one day's arrivals (inspections / DAYS rows, recorded "tomorrow"), then the scan of
    # the parties they touch (warnings_full_scan(since=…)); a whole scan afterwards must add nothing.
    arrivals = max(1, inspections // DAYS)
    later = now + dt.timedelta(days=1)
    day = FIRST_DAY + dt.timedelta(days=DAYS + 31)

    def arrival_row(_: int) -> dict[str, object]:
        party = first_party + rng.randrange(parties)
        agency = agency_ids[(party * 7) % AGENCIES]
        row = dict(defaults)
        row.update(
            agency_id=agency,
            item_id=rng.choice(items[agency]),
            party_id=party,
            kind="random",
            status="done",
            filed_at=later,
            entered_at=later,
            recorded_at=later,
            inspected_on=day,
            inspected_day=day_number(day),
            inspected_year=day.year,
            outcome="pass",
        )
        return row

    _bulk_load(connection, Inspection._meta.db_table, columns, (arrival_row(i) for i in range(arrivals)))
    t0 = time.perf_counter()
    nightly = warnings_full_scan(now=later, since=later - dt.timedelta(hours=25))
    nightly_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    missed = sum(warnings_full_scan(now=later).values())
    whole_after_s = time.perf_counter() - t0
    log(
        f"nightly scan of {arrivals} arrivals: {sum(nightly.values())} warnings in {nightly_s:.1f} s; "
        f"whole scan afterwards found {missed} more in {whole_after_s:.1f} s"
    )
    print(
        json.dumps(
            {
                "nightly_arrivals": arrivals,
                "nightly_scan_s": round(nightly_s, 2),
                "nightly_warnings": sum(nightly.values()),
                "whole_scan_after_nightly_new": missed,
                "whole_scan_after_nightly_s": round(whole_after_s, 1),
                "vendor": connection.vendor,
                "inspections": inspections,
                "parties": parties,
                "load_s": round(load_s, 1),
                "index_s": round(index_s, 1),
                "scan_s": round(scan_s, 1),
                "scan_per_rule_s": per_rule,
                "rescan_s": round(rescan_s, 1),
                "warnings": counts,
                "warnings_total": InspectionWarning.objects.count(),
                "incremental_n": incremental,
                "incremental_p50_ms": round(statistics.median(timings), 2),
                "incremental_p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
                "incremental_max_ms": round(timings[-1], 2),
            }
        )
    )


def _bulk_load(connection, table: str, columns: list[str], rows, chunk: int = 50_000) -> None:  # type: ignore[no-untyped-def]
    """Rows (dicts) into ``table``: COPY on PostgreSQL, executemany in one transaction per chunk on SQLite."""
    from django.db import transaction

    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])
        return
    ops = connection.ops
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"

    def adapt(value: object) -> object:
        if isinstance(value, dt.datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return ops.adapt_datefield_value(value)
        return value

    batch: list[list[object]] = []

    def flush() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
        batch.clear()

    for row in rows:
        batch.append([adapt(row[c]) for c in columns])
        if len(batch) >= chunk:
            flush()
    if batch:
        flush()


# --- driver ------------------------------------------------------------------------------------------------------------


def pg_admin(url: str, statement: str) -> None:
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(statement)


def _run_leg(env: dict[str, str], args: argparse.Namespace) -> dict[str, object]:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        "--inspections",
        str(args.inspections),
        "--parties",
        str(args.parties),
        "--incremental",
        str(args.incremental),
        "--seed",
        str(args.seed),
    ]
    started = time.perf_counter()
    result = subprocess.run(cmd, env=env, check=True, stdout=subprocess.PIPE, text=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["wall_s"] = round(time.perf_counter() - started, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--k", type=int, default=10_000)
    parser.add_argument("--inspections", type=int, default=5_000_000)
    parser.add_argument("--parties", type=int, default=2_000_000)
    parser.add_argument("--incremental", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--draw-only", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--sqlite-dir", default=DEFAULT_SQLITE_DIR)
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite database (to inspect plans)")
    parser.add_argument(
        "--keep-postgres",
        action="store_true",
        help=f"keep the PostgreSQL database {PG_DATABASE} (to inspect plans)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.inspections, args.parties, args.incremental, args.seed)
        return

    print("draw     ", json.dumps(bench_draw(args.candidates, args.k)), flush=True)
    if args.draw_only:
        return
    base_env = {k: v for k, v in os.environ.items() if k != "ZHIFA_DATABASE_URL"}
    if not args.no_sqlite:
        directory = Path(args.sqlite_dir)
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        try:
            figures = _run_leg({**base_env, "ZHIFA_DATA_DIR": str(directory)}, args)
            print("SQLite   ", json.dumps(figures, ensure_ascii=False), flush=True)
        finally:
            if not args.keep:
                shutil.rmtree(directory, ignore_errors=True)
    if args.postgres:
        pg_admin(args.postgres, f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        pg_admin(args.postgres, f"CREATE DATABASE {PG_DATABASE}")
        try:
            url = urlunparse(urlparse(args.postgres)._replace(path=f"/{PG_DATABASE}"))
            env = {**base_env, "ZHIFA_DATA_DIR": "/tmp/zhifa_bench_insp_pg", "ZHIFA_DATABASE_URL": url}
            figures = _run_leg(env, args)
            print("Postgres ", json.dumps(figures, ensure_ascii=False), flush=True)
        finally:
            if not args.keep_postgres:
                pg_admin(args.postgres, f"DROP DATABASE IF EXISTS {PG_DATABASE}")


if __name__ == "__main__":
    main()
