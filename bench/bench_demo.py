"""Benchmark: build the 示范县 demo with a million parties in a fresh database; print wall time and peak memory.

    .venv/bin/python bench/bench_demo.py                       # SQLite under /tmp/zhifa_bench
    .venv/bin/python bench/bench_demo.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_demo.py --parties 100000 --keep

Each database is built in its own child process (Django's settings are read once per process), so the
peak resident memory (``ru_maxrss``) is that of one build. SQLite: a fresh file under ``--sqlite-dir``.
PostgreSQL: a database ``zhifa_bench_demo`` created on the given server and dropped afterwards, unless
``--keep`` (then ``bench/bench_party_search.py`` reuses both databases).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

PG_DATABASE = "zhifa_bench_demo"
DEFAULT_SQLITE_DIR = "/tmp/zhifa_bench"
PARTIES_AT_SCALE_1 = 2000


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


def pg_bench_url(url: str) -> str:
    """The given server URL with the benchmark database name."""
    return urlunparse(urlparse(url)._replace(path=f"/{PG_DATABASE}"))


def _child(scale: float, seed: int) -> None:
    """Runs in the child: migrate, build, print one JSON line with the figures."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from zhifa.org.demo import build_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    summary = build_demo(scale=scale, seed=seed, quiet=False, log=lambda m: print(m, file=sys.stderr))
    built = time.perf_counter()
    with connection.cursor() as cursor:
        # PostgreSQL: what autovacuum would do soon after a bulk load (statistics, visibility map, hint bits),
        # so that the first searches do not pay for it. SQLite: statistics for the planner.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    analyzed = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: KiB
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "parties": summary.parties,
                "officers": summary.officers,
                "certificates": summary.certificates,
                "training_records": summary.training_records,
                "migrate_s": round(migrated - started, 1),
                "build_s": round(built - migrated, 1),
                "analyze_s": round(analyzed - built, 1),
                "peak_rss_mib": round(peak_kib / 1024),
            }
        )
    )


def _run_leg(env: dict[str, str], scale: float, seed: int) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--child", "--scale", str(scale), "--seed", str(seed)]
    started = time.perf_counter()
    result = subprocess.run(cmd, env=env, check=True, stdout=subprocess.PIPE, text=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["wall_s"] = round(time.perf_counter() - started, 1)
    return figures


def _sqlite_size_mib(directory: Path) -> int:
    return round(sum(p.stat().st_size for p in directory.glob("zhifa.sqlite3*")) / 2**20)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parties", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sqlite-dir", default=DEFAULT_SQLITE_DIR)
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite leg")
    parser.add_argument(
        "--postgres", metavar="URL", help="server URL, e.g. postgres://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases for bench_party_search.py")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.scale, args.seed)
        return

    scale = args.parties / PARTIES_AT_SCALE_1
    print(f"zhifa demo build: {args.parties:,} parties (scale {scale:g}), seed {args.seed}")
    base_env = {k: v for k, v in os.environ.items() if k != "ZHIFA_DATABASE_URL"}
    if not args.no_sqlite:
        directory = Path(args.sqlite_dir)
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        figures = _run_leg({**base_env, "ZHIFA_DATA_DIR": str(directory)}, scale, args.seed)
        figures["db_size_mib"] = _sqlite_size_mib(directory)
        print("SQLite     ", json.dumps(figures, ensure_ascii=False))
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)
    if args.postgres:
        pg_admin(args.postgres, f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        pg_admin(args.postgres, f"CREATE DATABASE {PG_DATABASE}")
        try:
            env = {
                **base_env,
                "ZHIFA_DATA_DIR": "/tmp/zhifa_bench_pg",
                "ZHIFA_DATABASE_URL": pg_bench_url(args.postgres),
            }
            figures = _run_leg(env, scale, args.seed)
            print("PostgreSQL ", json.dumps(figures, ensure_ascii=False))
        finally:
            if not args.keep:
                pg_admin(args.postgres, f"DROP DATABASE IF EXISTS {PG_DATABASE}")


if __name__ == "__main__":
    main()
