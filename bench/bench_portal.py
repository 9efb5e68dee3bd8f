"""Benchmark: the public portal under load — home page, a public API list, search — from a local load generator.

    .venv/bin/python bench/bench_portal.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_portal.py --postgres ... --scale 1 --seconds 20 --concurrency 8 --keep

Builds the 示范县 demo (``zhifa demo --scale``) in a fresh PostgreSQL database ``zhifa_bench_portal``, starts
gunicorn (sync workers, one per core) on a free port of 127.0.0.1 against it, and drives each target with
``--concurrency`` threads (urllib, a new connection per request, as gunicorn's sync workers close them) for
``--seconds`` after a short warm-up. The rate limit stays on (its counters in the shared database cache are
part of every request's cost) with a rate no client reaches. Prints one JSON line per target: requests/s,
p50/p95/p99 latency, errors. The load generator runs on the same machine and takes its share of the CPUs.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
PG_DATABASE = "zhifa_bench_portal"
TARGETS = (
    "/public/",
    "/api/portal/officers?limit=50",
    "/public/officers/",
    "/public/search/?q=%E9%A3%9F%E5%93%81",  # 食品: the search page (HTML)
    "/api/search/?q=%E7%BD%9A%E6%AC%BE",  # 罚款: the search API (JSON)
    "/api/search/?q=%E9%A3%9F",  # 食: a one-character query
)


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drive(url: str, seconds: float, concurrency: int) -> dict[str, object]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        mine: list[float] = []
        mine_errors: dict[str, int] = {}
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError as exc:
                mine_errors[type(exc).__name__] = mine_errors.get(type(exc).__name__, 0) + 1
                continue
            if status != 200:
                mine_errors[str(status)] = mine_errors.get(str(status), 0) + 1
                continue
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)
            for k, v in mine_errors.items():
                errors[k] = errors.get(k, 0) + v

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return (
            round(latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000, 1) if latencies else 0.0
        )

    return {
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else 0.0,
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres", required=True, help="server URL, e.g. postgres://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="demo scale (1 = 2,000 parties, 60 officers)"
    )
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it next time)")
    args = parser.parse_args()

    db_url = urlunparse(urlparse(args.postgres)._replace(path=f"/{PG_DATABASE}"))
    env = dict(
        os.environ,
        ZHIFA_DATABASE_URL=db_url,
        ZHIFA_PORTAL_RATE="100000000/m",
        ZHIFA_PORTAL_API_RATE="100000000/m",
        ZHIFA_ALLOWED_HOSTS="127.0.0.1,localhost",
        ZHIFA_DATA_DIR="/tmp/zhifa_bench_portal",
    )
    python = str(ROOT / ".venv" / "bin" / "python")
    fresh = True
    try:
        pg_admin(args.postgres, f'CREATE DATABASE "{PG_DATABASE}"')
    except Exception:
        if not args.keep:
            raise
        fresh = False  # kept from a previous run
    try:
        if fresh:
            t0 = time.perf_counter()
            subprocess.run([python, "-m", "zhifa", "migrate", "--no-input", "-v", "0"], env=env, check=True)
            subprocess.run(
                [python, "-m", "zhifa", "demo", "--scale", str(args.scale), "--quiet"], env=env, check=True
            )
            print(
                json.dumps({"setup_s": round(time.perf_counter() - t0, 1), "scale": args.scale}), flush=True
            )
        port = free_port()
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "zhifa.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/public/", timeout=5).read()
                    break
                except OSError:
                    time.sleep(0.3)
            for target in TARGETS:
                drive(base + target, 3.0, args.concurrency)  # warm-up
                result = drive(base + target, args.seconds, args.concurrency)
                print(
                    json.dumps(
                        {
                            "target": target,
                            "concurrency": args.concurrency,
                            "workers": args.workers,
                            **result,
                        },
                        ensure_ascii=False,
                    ),
                    flush=True,
                )
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    finally:
        if not args.keep:
            pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
