"""Benchmark of issue 7: check-in (扫码进企) latency under 50 concurrent clients, over HTTP, on PostgreSQL.

    .venv/bin/python bench/bench_checkin.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_checkin.py --postgres ... --clients 50 --per-client 20 --workers 4

What runs: a fresh database ``zhifa_bench_checkin`` (created and dropped on the given server); a setup child
process migrates and builds one agency with ``--clients`` officers (each with a user, a certificate and an
API token) and, per officer, ``--per-client`` filed and approved inspections (``task_file`` / ``task_approve``,
the real services); their signed inspection codes are handed to the load generator. The app is served by
gunicorn (``--workers`` processes × ``--threads`` threads) on 127.0.0.1. Each client thread plays one
officer: it posts its check-ins one after another to ``POST /api/inspections/check-in`` with
``Authorization: Token …`` over a kept-alive connection, and every request's wall time is recorded. All
clients start together. A check-in verifies the code's signature, locks the inspection row, checks the officer
and the task, writes the visit, appends the ledger entry (the ledger head is one row every writer updates)
and runs the incremental warning check — all in one transaction.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from zhifa.core import clock

PG_DATABASE = "zhifa_bench_checkin"
DATA_DIR = "/tmp/zhifa_bench_checkin"
ROOT = Path(__file__).resolve().parent.parent


def _setup(clients: int, per_client: int) -> None:
    """Child: migrate and build the officers, tokens and filed inspections; print [[token, code], …] per client."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from zhifa.core.validators import resident_id_with_check, uscc_with_check
    from zhifa.inspections import codes, services
    from zhifa.inspections.models import TaskKind
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
    from zhifa.org.tokens import token_create

    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
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
    head = User.objects.create_user("bench-head", password="Zhifa@2026x")
    for role in (Role.AGENCY_HEAD, Role.OFFICER):
        RoleAssignment.objects.create(user=head, role=role, scope="agency", agency=agency)
    head = User.objects.get(pk=head.pk)
    item = services.item_create(
        head,
        agency=agency,
        code="SC-BENCH-1",
        name="食品经营许可情况检查",
        domain_code="market",
        legal_basis="《中华人民共和国食品安全法》第一百一十条",
    )
    officers = []
    for i in range(clients + 1):
        user = User.objects.create_user(f"bench-officer-{i}", password="Zhifa@2026x")
        officer = Officer.objects.create(
            name=f"检查员{i}",
            id_number=resident_id_with_check(f"830102198503{i:05d}"),
            agency=agency,
            user=user,
        )
        cert = Certificate.objects.create(
            officer=officer,
            number=f"BENCH{i:06d}",
            issuer="基准县人民政府",
            issued_on=dt.date(2020, 1, 1),
            expires_on=dt.date(2030, 12, 31),
        )
        cert.domains.set([market])
        RoleAssignment.objects.create(user=user, role=Role.OFFICER, scope="agency", agency=agency)
        officers.append((User.objects.get(pk=user.pk), officer))
    today = clock.today()
    plan: list[list[list[str]]] = []
    n = 0
    for user, officer in officers[:clients]:
        _, key = token_create(user, "bench")
        partner = officers[clients][1]  # every visit has two officers; the client's officer checks in
        mine = []
        for _ in range(per_client):
            n += 1
            party = Party.objects.create(
                kind=PartyKind.LEGAL_PERSON,
                name=f"基准企业{n}",
                uscc=uscc_with_check(f"91830102MA{n:07d}"),
                region=county,
            )
            task = services.task_file(
                user,
                agency=agency,
                item=item,
                kind=TaskKind.SPECIAL,
                party=party,
                officer_ids=[officer.pk, partner.pk],
                title=f"专项检查{n}",
                reason="基准测试",
                starts_on=today - dt.timedelta(days=1),
                ends_on=today + dt.timedelta(days=10),
            )
            services.task_approve(head, task)
            mine.append([key, codes.issue_code(task.inspections.get())])
        plan.append(mine)
    log(f"set up {n} filed inspections for {clients} officers in {time.perf_counter() - started:.0f} s")
    print(json.dumps(plan))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(port: int, deadline_s: float = 60) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


def _client(
    port: int,
    jobs: list[list[str]],
    start: threading.Barrier,
    out: list[tuple[float, int]],
    interval: float = 0.0,
    offset: float = 0.0,
) -> None:
    """One officer. ``interval`` 0: back to back (closed loop). Otherwise open loop: request k is due at
    ``start + offset + k * interval`` and its latency counts from when it was due (a late start is waiting
    too, so a saturated server cannot hide its queue)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    # Warm up (not timed): the worker that takes this connection has imported the app and opened its
    # database connection before the clock starts.
    conn.request("GET", "/api/inspections/items", headers={"Authorization": f"Token {jobs[0][0]}"})
    conn.getresponse().read()
    start.wait()
    began = time.perf_counter()
    for k, (key, code) in enumerate(jobs):
        body = json.dumps({"code": code, "place": "基准测试现场"})
        t0 = time.perf_counter()
        if interval:
            due = began + offset + k * interval
            if due > t0:
                time.sleep(due - t0)
            t0 = due
        headers = {"Content-Type": "application/json", "Authorization": f"Token {key}"}
        try:
            conn.request("POST", "/api/inspections/check-in", body=body.encode(), headers=headers)
            response = conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # gunicorn closes a kept-alive connection idle for longer than its keep-alive (2 s): reconnect
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("POST", "/api/inspections/check-in", body=body.encode(), headers=headers)
            response = conn.getresponse()
        response.read()
        out.append((time.perf_counter() - t0, response.status))
    conn.close()


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="open loop: total check-ins per second, spread evenly over the clients (0: back to back)",
    )
    args = parser.parse_args()
    if args.setup:
        _setup(args.clients, args.per_client)
        return

    import psycopg

    server = urlparse(args.postgres)
    admin_url = urlunparse(server._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {PG_DATABASE}")
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    Path(DATA_DIR).mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhifa.settings",
        "PYTHONPATH": os.environ.get("PYTHONPATH") or str(ROOT / "src"),
        "ZHIFA_DATABASE_URL": urlunparse(server._replace(path=f"/{PG_DATABASE}")),
        "ZHIFA_DATA_DIR": DATA_DIR,
    }
    gunicorn = None
    try:
        setup = subprocess.run(
            [
                sys.executable,
                __file__,
                "--setup",
                "--clients",
                str(args.clients),
                "--per-client",
                str(args.per_client),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stderr.write(setup.stderr[-3000:])
        if setup.returncode != 0:
            raise SystemExit("setup failed")
        plan = json.loads(setup.stdout.strip().splitlines()[-1])
        port = _free_port()
        gunicorn = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "zhifa.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--log-level",
                "warning",
            ],
            env=env,
        )
        _wait_until_up(port)
        results: list[tuple[float, int]] = []
        barrier = threading.Barrier(len(plan) + 1)
        interval = len(plan) / args.rate if args.rate else 0.0
        threads = [
            threading.Thread(
                target=_client,
                args=(port, jobs, barrier, results, interval, i * interval / len(plan)),
            )
            for i, jobs in enumerate(plan)
        ]
        for t in threads:
            t.start()
        barrier.wait()
        started = time.perf_counter()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        shutil.rmtree(DATA_DIR, ignore_errors=True)
    ok = [s for s, status in results if status == 200]
    statuses: dict[int, int] = {}
    for _, status in results:
        statuses[status] = statuses.get(status, 0) + 1
    print(
        json.dumps(
            {
                "clients": args.clients,
                "check_ins": len(results),
                "statuses": statuses,
                "gunicorn": f"{args.workers} workers x {args.threads} threads",
                "offered_rate_per_s": args.rate or "back to back",
                "wall_s": round(wall, 2),
                "check_ins_per_s": round(len(results) / wall, 1),
                "p50_ms": round(statistics.median(ok) * 1000, 1) if ok else None,
                "p95_ms": round(_pct(ok, 0.95) * 1000, 1) if ok else None,
                "p99_ms": round(_pct(ok, 0.99) * 1000, 1) if ok else None,
                "max_ms": round(max(ok) * 1000, 1) if ok else None,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
