"""Benchmark: ``zhifa.org.selectors.party_search`` over the million-party demo; prints p50/p95 per query kind.

First build the databases and keep them:

    .venv/bin/python bench/bench_demo.py --postgres postgres://postgres@127.0.0.1:5432/postgres --keep

then:

    .venv/bin/python bench/bench_party_search.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_party_search.py --postgres URL --trgm      # also with a pg_trgm GIN index
    .venv/bin/python bench/bench_party_search.py --postgres URL --drop      # drop zhifa_bench_demo at the end

Each timed call is what one page load does: the county supervisor's grants are loaded (one query), the
scoped search runs, and the first page (20 rows) is fetched: ``list(party_search(user, q)[:20])``.
Without ``--trgm`` the pg_trgm index of an earlier ``--trgm`` run is dropped first, so that the plain figures
are plain. Query kinds: (a) an exact USCC; (b) a common 2-character name fragment (a trade name shared by a few
hundred parties); (c) a rare 3-character fragment (a handful of parties); (d) a fragment that matches none.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_demo import DEFAULT_SQLITE_DIR, PG_DATABASE, pg_admin, pg_bench_url

TRGM_INDEX = "org_party_name_trgm"


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _time(fn: Callable[[Any], Any], args: list[Any], warmup: int = 3) -> dict[str, float]:
    for a in args[:warmup]:
        fn(a)
    samples = []
    for a in args:
        started = time.perf_counter()
        fn(a)
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(_percentile(samples, 0.50), 2),
        "p95_ms": round(_percentile(samples, 0.95), 2),
        "max_ms": round(max(samples), 2),
        "runs": len(samples),
    }


def _child(runs: int, seed: int, trgm: bool, serial: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.db import connection

    from zhifa.org.demo import SHOP_TRADES, demo_present
    from zhifa.org.models import Party, PartyKind, User
    from zhifa.org.selectors import party_search

    if not demo_present():
        sys.exit("no demo in this database: run bench/bench_demo.py --keep first")
    rng = random.Random(seed)
    if not trgm and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
    if trgm:
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            started = time.perf_counter()
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON org_party USING gin (name gin_trgm_ops)"
            )
            cursor.execute("ANALYZE org_party")
            print(f"pg_trgm GIN index built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if serial and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
    user = User.objects.get(username="demo_supervisor")
    max_id = Party.objects.order_by("-id").values_list("id", flat=True).first() or 0
    min_id = Party.objects.order_by("id").values_list("id", flat=True).first() or 0
    total = max_id - min_id + 1

    def sample(kind_filter: dict[str, Any], count: int) -> list[Party]:
        found: list[Party] = []
        while len(found) < count:
            start = rng.randint(min_id, max_id)
            row = Party.objects.filter(id__gte=start, **kind_filter).order_by("id").first()
            if row is not None:
                found.append(row)
        return found

    companies = sample({"kind__in": [PartyKind.LEGAL_PERSON, PartyKind.INDIVIDUAL_BUSINESS]}, runs)
    usccs = [p.uscc for p in companies]
    # A legal person's name is 示范县 + trade name (2) + …; an individual business's is 示范县 + township + trade
    # name + shop kind, so trade name + the shop kind's first character is rare.
    common = [p.name[3:5] for p in sample({"kind": PartyKind.LEGAL_PERSON}, runs)]
    shops = [s for s, _ in SHOP_TRADES]
    rare = []
    for p in sample({"kind": PartyKind.INDIVIDUAL_BUSINESS}, runs):
        shop = next(s for s in shops if p.name.endswith(s))
        rare.append(p.name[: -len(shop)][-2:] + shop[0])
    none = ["无此字号"] * runs

    def page(q: str) -> list[Party]:
        user.__dict__.pop("_zhifa_grants", None)  # a new request loads the user's grants again
        return list(party_search(user, q)[:20])

    results: dict[str, Any] = {"vendor": connection.vendor, "parties": total, "trgm": trgm, "serial": serial}
    for label, queries in (
        ("a_exact_uscc", usccs),
        ("b_common_2_chars", common),
        ("c_rare_3_chars", rare),
        ("d_no_match", none),
    ):
        figures = _time(page, queries)
        figures["example"] = queries[0]
        figures["example_first_page_rows"] = len(page(queries[0]))
        figures["example_matches"] = (
            Party.objects.filter(name__contains=queries[0]).count() if label[0] != "a" else 1
        )
        qs = party_search(user, queries[0])[:20]
        figures["plan"] = qs.explain().replace("\n", " | ")[:400]
        results[label] = figures
    print(json.dumps(results, ensure_ascii=False))


def _run(env: dict[str, str], runs: int, seed: int, trgm: bool, serial: bool = False) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", "--runs", str(runs), "--seed", str(seed)]
    if trgm:
        cmd.append("--trgm")
    if serial:
        cmd.append("--pg-serial")
    out = subprocess.run(cmd, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _print(name: str, figures: dict[str, Any]) -> None:
    print(f"== {name}: {figures['parties']:,} parties ==")
    for key, value in figures.items():
        if isinstance(value, dict):
            print(
                f"  {key:18} p50 {value['p50_ms']:8.2f} ms   p95 {value['p95_ms']:8.2f} ms   "
                f"max {value['max_ms']:8.2f} ms   (n={value['runs']}, e.g. {value['example']!r}: "
                f"{value['example_matches']} matches)"
            )
            print(f"  {'':18} plan: {value['plan']}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sqlite-dir", default=DEFAULT_SQLITE_DIR)
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument(
        "--trgm", action="store_true", help="PostgreSQL: also measure with a pg_trgm GIN index"
    )
    parser.add_argument(
        "--pg-serial",
        action="store_true",
        help="PostgreSQL: SET max_parallel_workers_per_gather = 0 (no parallel scans) for the search session",
    )
    parser.add_argument(
        "--drop", action="store_true", help="drop the PostgreSQL benchmark database at the end"
    )
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.runs, args.seed, args.trgm, args.pg_serial)
        return
    base_env = {k: v for k, v in os.environ.items() if k != "ZHIFA_DATABASE_URL"}
    if not args.no_sqlite:
        _print("SQLite", _run({**base_env, "ZHIFA_DATA_DIR": args.sqlite_dir}, args.runs, args.seed, False))
    if args.postgres:
        env = {
            **base_env,
            "ZHIFA_DATA_DIR": "/tmp/zhifa_bench_pg",
            "ZHIFA_DATABASE_URL": pg_bench_url(args.postgres),
        }
        try:
            serial = args.pg_serial
            label = "PostgreSQL (no parallel workers)" if serial else "PostgreSQL"
            _print(label, _run(env, args.runs, args.seed, False, serial))
            if args.trgm:
                _print(f"{label} + pg_trgm GIN", _run(env, args.runs, args.seed, True, serial))
        finally:
            if args.drop:
                pg_admin(args.postgres, f"DROP DATABASE IF EXISTS {PG_DATABASE}")


if __name__ == "__main__":
    main()
