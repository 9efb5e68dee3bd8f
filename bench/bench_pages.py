"""Benchmark of issue 22 item 4 (first two figures): public pages against a minimal Django view, and the officer
pages' p95 at 16 concurrent users, side by side in one run.

    .venv/bin/python bench/bench_pages.py                       # builds the demo in /tmp/zhifa_bench_pages
    .venv/bin/python bench/bench_pages.py --reuse --seconds 10  # reuses a demo built there before
    .venv/bin/python bench/bench_pages.py --reuse --src /tmp/zhifa_before/src   # another checkout's code
    .venv/bin/python bench/bench_pages.py --public-only         # the minimal views and public pages only
    .venv/bin/python bench/bench_pages.py --postgres postgres://postgres@127.0.0.1:5432/zz_bench_pages
    .venv/bin/python bench/bench_pages.py --reuse --skip-public                 # minimal views and officer pages

Builds the 示范县 demo (``zhifa migrate`` + ``zhifa demo``) on SQLite in a scratch data dir (``--data-dir``), then
starts gunicorn (``--workers`` sync workers, default 2) on 127.0.0.1 twice:

1. a **bare** Django project (``bench/bench_bare.py``: one view, no middleware, no database) — the "minimal
   Django view" of the issue's first measurement;
2. **zhifa** with its own settings and middleware plus one minimal view (``bench/bench_pages_settings.py`` and
   ``bench_pages_urls.py``), and in that same server: the minimal view, the public pages (anonymous, a new
   connection per request as gunicorn's sync workers close them, ``--public-concurrency`` clients), then the
   officer pages with ``--officer-concurrency`` clients, each signed in as ``demo_officer`` with its own session.

``--postgres URL`` serves (and builds the demo in) that PostgreSQL database instead of the data dir's SQLite file
(``--reuse`` then skips the build); the data dir still holds the evidence files and collected static files.

The rate limits stay on with rates no client reaches (their counters in the shared database cache are part of
every anonymous request's cost). The bare view is measured again at the end; the ratios use the mean of the two.
Prints a table (requests/s, p50, p95, ratio to both minimal views) and one JSON
line per target; the load average before and after. The load generator runs on the same machine.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = (
    "/public/",
    "/public/decisions/",
    "/public/search/",
    "/public/search/?q=%E9%A3%9F%E5%93%81",  # 食品
    "/public/catalog/",
    "/public/officers/",
    "/public/guides/",
    "/public/plans/",
)
OFFICER = ("/workbench/", "/cases/{case}/", "/inspections/today/")
MINIMAL = "/__bench/minimal/"


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pct(samples: list[float], p: float) -> float:
    if not samples:
        return 0.0
    samples = sorted(samples)
    return round(samples[min(len(samples) - 1, int(len(samples) * p))] * 1000, 1)


def drive(
    fetch_for: Callable[[int], Callable[[], int]], seconds: float, concurrency: int
) -> dict[str, object]:
    """``concurrency`` threads, each calling its own fetch function until ``seconds`` have passed."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    fetchers = [fetch_for(i) for i in range(concurrency)]
    stop = time.perf_counter() + seconds

    def worker(fetch: Callable[[], int]) -> None:
        mine: list[float] = []
        mine_errors: dict[str, int] = {}
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                status = fetch()
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

    threads = [threading.Thread(target=worker, args=(f,)) for f in fetchers]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else 0.0,
        "p95_ms": _pct(latencies, 0.95),
        "errors": errors,
    }


def anonymous(url: str) -> Callable[[int], Callable[[], int]]:
    def fetch_for(_: int) -> Callable[[], int]:
        def fetch() -> int:
            with urllib.request.urlopen(url, timeout=60) as response:
                response.read()
                return int(response.status)

        return fetch

    return fetch_for


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        return None


def signed_in_opener(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    """An opener holding one signed-in session of ``username`` (CSRF cookie and token from the login page)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/accounts/login/", timeout=60) as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, "no CSRF token on the login page"
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(base + "/accounts/login/", data=data, headers={"Referer": base + "/"})
    with opener.open(request, timeout=60) as response:
        response.read()
    assert any(c.name == "sessionid" for c in jar), f"login of {username} failed"
    return opener


def signed_in(url: str, openers: list[urllib.request.OpenerDirector]) -> Callable[[int], Callable[[], int]]:
    def fetch_for(i: int) -> Callable[[], int]:
        opener = openers[i]

        def fetch() -> int:
            with opener.open(url, timeout=60) as response:
                response.read()
                return int(response.status)

        return fetch

    return fetch_for


def start(env: dict[str, str], settings: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "zhifa.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": settings},
        cwd=ROOT,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{MINIMAL}", timeout=5).read()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer on port {port}")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", default="/tmp/zhifa_bench_pages")
    parser.add_argument("--reuse", action="store_true", help="reuse the demo already built in --data-dir")
    parser.add_argument("--src", default=str(ROOT / "src"), help="the zhifa source tree to serve")
    parser.add_argument("--port", type=int, default=8180)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--public-concurrency", type=int, default=8)
    parser.add_argument("--officer-concurrency", type=int, default=16)
    parser.add_argument("--public-only", action="store_true", help="skip the officer pages")
    parser.add_argument(
        "--postgres", "--database-url", default="", help="a PostgreSQL URL to serve instead of SQLite"
    )
    parser.add_argument(
        "--label", default="", help="a name for this run in the JSON lines (e.g. before, after)"
    )
    parser.add_argument(
        "--skip-public", action="store_true", help="measure the two minimal views and the officer pages only"
    )
    args = parser.parse_args()

    data_dir = Path(args.data_dir)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ZHIFA_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        PYTHONPATH=f"{args.src}{os.pathsep}{ROOT / 'bench'}",
        ZHIFA_DATA_DIR=str(data_dir),
        ZHIFA_PORTAL_RATE="100000000/m",
        ZHIFA_PORTAL_API_RATE="100000000/m",
        ZHIFA_LOGIN_IP_RATE="100000000/m",
        ZHIFA_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    if args.postgres:
        env["ZHIFA_DATABASE_URL"] = args.postgres
    python = str(ROOT / ".venv" / "bin" / "python")
    built = (data_dir / "zhifa.sqlite3").exists() or bool(args.postgres)
    if not (args.reuse and built):
        data_dir.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        subprocess.run([python, "-m", "zhifa", "migrate", "--no-input", "-v", "0"], env=env, check=True)
        subprocess.run([python, "-m", "zhifa", "demo", "--quiet"], env=env, check=True)
        print(json.dumps({"demo_built_s": round(time.perf_counter() - t0, 1)}), flush=True)
    subprocess.run([python, "-m", "zhifa", "collectstatic", "--no-input", "-v", "0"], env=env, check=True)
    port = args.port
    while not _port_free(port):
        port += 1
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()
    rows: list[dict[str, object]] = []

    def measure(
        group: str, target: str, fetch_for: Callable[[int], Callable[[], int]], concurrency: int
    ) -> None:
        drive(fetch_for, args.warmup, concurrency)
        result = drive(fetch_for, args.seconds, concurrency)
        row = {"label": args.label, "group": group, "target": target, "concurrency": concurrency, **result}
        rows.append(row)
        print(json.dumps({**row, "workers": args.workers}, ensure_ascii=False), flush=True)

    server = start(env, "bench_bare", port, args.workers)
    try:
        measure("minimal", "bare Django view", anonymous(base + MINIMAL), args.public_concurrency)
    finally:
        stop(server)
    server = start(env, "bench_pages_settings", port, args.workers)
    try:
        measure("minimal", "zhifa stack view", anonymous(base + MINIMAL), args.public_concurrency)
        for target in () if args.skip_public else PUBLIC:
            measure("public", target, anonymous(base + target), args.public_concurrency)
        if not args.public_only:
            openers = [
                signed_in_opener(base, "demo_officer", "Demo@2026") for _ in range(args.officer_concurrency)
            ]
            with openers[0].open(base + "/cases/", timeout=60) as response:
                case = re.search(r'href="/cases/(\d+)/"', response.read().decode())
            assert case, "demo_officer sees no case"
            with openers[0].open(base + "/inspections/today/", timeout=60) as response:
                cards = response.read().decode().count('data-testid="qr-toggle"')
            print(
                json.dumps({"officer_case": int(case.group(1)), "today_cards_with_code": cards}), flush=True
            )
            for target in OFFICER:
                url = base + target.format(case=case.group(1))
                measure(
                    "officer",
                    target.format(case=case.group(1)),
                    signed_in(url, openers),
                    args.officer_concurrency,
                )
    finally:
        stop(server)
    # the bare view again at the end: on a shared machine the load moves within a run; the ratios use the mean
    server = start(env, "bench_bare", port, args.workers)
    try:
        measure("minimal", "bare Django view (again)", anonymous(base + MINIMAL), args.public_concurrency)
    finally:
        stop(server)
    load_after = os.getloadavg()

    bare = statistics.mean(
        float(r["requests_per_s"])  # type: ignore[arg-type]
        for r in rows
        if str(r["target"]).startswith("bare Django view")
    )
    stack = next(float(r["requests_per_s"]) for r in rows if r["target"] == "zhifa stack view")  # type: ignore[arg-type]
    print()
    print(
        f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f}"
    )
    print(f"{'page':42} {'clients':>7} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'/bare':>6} {'/stack':>6}")
    for r in rows:
        rps = float(r["requests_per_s"])  # type: ignore[arg-type]
        print(
            f"{r['target']!s:42} {r['concurrency']:>7} {rps:>8.1f} {r['p50_ms']:>7} {r['p95_ms']:>7} "
            f"{rps / bare:>6.3f} {rps / stack:>6.3f}" + (f"  errors {r['errors']}" if r["errors"] else "")
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
