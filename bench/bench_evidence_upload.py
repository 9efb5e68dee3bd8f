"""Benchmark of a large evidence upload (issue 4): time and peak memory of the server process.

    .venv/bin/python bench/bench_evidence_upload.py                    # 1 GiB, one multipart POST
    .venv/bin/python bench/bench_evidence_upload.py --size-mib 256
    .venv/bin/python bench/bench_evidence_upload.py --resumable         # POST /uploads, PUT chunks, complete

Run on demand, never in the test suite.  It builds a throw-away data directory (SQLite, ``zhifa migrate`` and
``zhifa demo --scale 0.05``), creates an API token for ``demo_officer`` and picks a party in the officer's
county as the object the evidence is attached to.  Then it starts gunicorn (one sync worker) on 127.0.0.1 at
a free port with ``ZHIFA_EVIDENCE_MAX_BYTES`` raised to 2 GiB, and streams a generated video body — a valid
MP4 ``ftyp`` box, then pseudo-random bytes made chunk by chunk, never whole in memory — through
``http.client`` with a generator body and a Content-Length computed in advance.  The client hashes what it
sends (SM3 and SHA-256) and compares with what the server stored.

While the request runs a thread samples the worker's ``VmRSS`` from ``/proc/<pid>/status`` every 50 ms; at
the end ``VmHWM`` (the kernel's own peak RSS) is read as well.  One JSON line is printed per run.  The server
is stopped by its PID and the directory removed at the end.

Note: client and server run on the same machine, so the client's hashing and byte generation compete with
the server for CPU — the wall time is an upper bound for the server alone.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
MiB = 1024 * 1024
CHUNK = MiB
MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"

SETUP = """
import json
from zhifa.org.models import Officer, Party, User
from zhifa.org.tokens import token_create
user = User.objects.get(username="demo_officer")
officer = Officer.objects.filter(user=user).select_related("agency").first()
region = officer.agency.region
party = Party.objects.filter(region__parent=region).order_by("pk").first() or Party.objects.order_by("pk").first()
_, key = token_create(user, "bench-evidence-upload")
print("BENCH " + json.dumps({"key": key, "party": party.pk}))
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    env.update(
        ZHIFA_DATA_DIR=str(data_dir),
        ZHIFA_EVIDENCE_MAX_BYTES=str(2 * 1024**3),
        ZHIFA_LEDGER_SIGNING_KEY_FILE="",
    )
    return env


def _zhifa(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "zhifa"), *args], env=env, capture_output=True, text=True, cwd=ROOT, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"zhifa {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _setup(env: dict[str, str]) -> dict[str, Any]:
    _zhifa(env, "migrate", "-v", "0")
    _zhifa(env, "demo", "--scale", "0.05")
    out = _zhifa(env, "shell", "-c", SETUP)
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(x) for x in (task / "children").read_text().split()]
    return found


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _start_server(env: dict[str, str], port: int) -> tuple[subprocess.Popen[bytes], int]:
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "zhifa.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "600"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited: {server.stderr.read().decode()[-2000:] if server.stderr else ''}"
            )
        workers = _children(server.pid)
        if workers:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return server, workers[0]
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not start in 60 s")


class Sampler(threading.Thread):
    """Peak VmRSS of one process, read every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self.samples = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.peak_kib = max(self.peak_kib, _status_kib(self.pid, "VmRSS"))
                self.samples += 1
            except OSError:
                return
            self.stop.wait(self.interval)


class Body:
    """The generated video: MP4 head then seeded pseudo-random bytes, one chunk at a time, hashed as sent."""

    def __init__(self, size: int, seed: int = 4) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.sha256 = hashlib.sha256()
        self.sm3 = hashlib.new("sm3")
        self.sent = 0

    def chunks(self, limit: int | None = None) -> Iterator[bytes]:
        """The next ``limit`` bytes (all that is left if None)."""
        end = self.size if limit is None else min(self.size, self.sent + limit)
        while self.sent < end:
            n = min(CHUNK, end - self.sent)
            if self.sent == 0:
                data = MP4_HEAD[:n] + self.rng.randbytes(max(0, n - len(MP4_HEAD)))
            else:
                data = self.rng.randbytes(n)
            self.sha256.update(data)
            self.sm3.update(data)
            self.sent += n
            yield data


def _multipart(fields: dict[str, str], body: Body, filename: str) -> tuple[str, int, Iterator[bytes]]:
    boundary = f"----zhifa-bench-{uuid.uuid4().hex}"
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def gen() -> Iterator[bytes]:
        yield head
        yield from body.chunks()
        yield tail

    return f"multipart/form-data; boundary={boundary}", len(head) + body.size + len(tail), gen()


def _request(
    port: int, method: str, path: str, key: str, body: Any, headers: dict[str, str]
) -> tuple[int, dict[str, Any]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    try:
        conn.request(method, path, body=body, headers={"Authorization": f"Token {key}", **headers})
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    try:
        return response.status, json.loads(raw)
    except ValueError:
        return response.status, {"raw": raw[:500].decode(errors="replace")}


def _upload_multipart(port: int, key: str, fields: dict[str, str], body: Body) -> tuple[int, dict[str, Any]]:
    content_type, length, gen = _multipart(fields, body, "现场录像.mp4")
    headers = {"Content-Type": content_type, "Content-Length": str(length)}
    return _request(port, "POST", "/api/evidence/", key, gen, headers)


def _upload_resumable(
    port: int, key: str, fields: dict[str, str], body: Body, chunk_mib: int
) -> tuple[int, dict[str, Any]]:
    start_body = json.dumps({**fields, "filename": "现场录像.mp4", "total_bytes": body.size}).encode()
    status, session = _request(
        port, "POST", "/api/evidence/uploads", key, start_body, {"Content-Type": "application/json"}
    )
    if status != 201:
        return status, session
    path = f"/api/evidence/uploads/{session['id']}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)  # one keep-alive connection for chunks
    try:
        while body.sent < body.size:
            start = body.sent
            n = min(chunk_mib * MiB, body.size - start)
            headers = {
                "Authorization": f"Token {key}",
                "Content-Type": "application/octet-stream",
                "Content-Length": str(n),
                "Content-Range": f"bytes {start}-{start + n - 1}/{body.size}",
            }
            conn.request("PUT", path, body=body.chunks(n), headers=headers)
            response = conn.getresponse()
            raw = response.read()
            if response.status != 200:
                return response.status, json.loads(raw)
    finally:
        conn.close()
    return _request(port, "POST", f"{path}/complete", key, b"", {"Content-Length": "0"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--resumable", action="store_true", help="chunked upload API instead of one POST")
    parser.add_argument("--chunk-mib", type=int, default=8, help="chunk size of --resumable")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="zhifa-bench-evidence-"))
    server: subprocess.Popen[bytes] | None = None
    try:
        env = _env(data_dir)
        setup = _setup(env)
        port = _free_port()
        server, worker = _start_server(env, port)
        idle_kib = _status_kib(worker, "VmRSS")
        fields = {
            "kind": "video",
            "object_type": "org.party",
            "object_id": str(setup["party"]),
            "stage": "investigation",
            "description": "基准测试录像",
        }
        # Warm-up: one small read through the API loads the URL conf, Ninja and the evidence app.
        query = f"/api/evidence/?object_type=org.party&object_id={setup['party']}"
        _request(port, "GET", query, setup["key"], None, {})
        warm_kib = _status_kib(worker, "VmRSS")
        body = Body(args.size_mib * MiB)
        sampler = Sampler(worker)
        sampler.start()
        t0 = time.perf_counter()
        if args.resumable:
            status, result = _upload_resumable(port, setup["key"], fields, body, args.chunk_mib)
        else:
            status, result = _upload_multipart(port, setup["key"], fields, body)
        wall = time.perf_counter() - t0
        sampler.stop.set()
        sampler.join()
        hwm_kib = _status_kib(worker, "VmHWM")
        record = {
            "figure": "evidence_upload_resumable" if args.resumable else "evidence_upload_multipart",
            "size_mib": args.size_mib,
            "status": status,
            "wall_s": round(wall, 2),
            "mib_per_s": round(body.size / MiB / wall, 1),
            "worker_rss_idle_mib": round(idle_kib / 1024, 1),
            "worker_rss_after_warmup_mib": round(warm_kib / 1024, 1),
            "worker_rss_peak_mib": round(sampler.peak_kib / 1024, 1),
            "worker_vmhwm_mib": round(hwm_kib / 1024, 1),
            "rss_samples": sampler.samples,
            "sha256_match": result.get("sha256") == body.sha256.hexdigest(),
            "sm3_match": result.get("sm3") == body.sm3.hexdigest(),
            "size_match": result.get("size_bytes") == body.size,
            "goal_peak_rss_lt_100_mb": hwm_kib * 1024 < 100 * 1000 * 1000,
            "load_avg_1min": round(os.getloadavg()[0], 2),
        }
        if args.resumable:
            record["chunk_mib"] = args.chunk_mib
        if status not in (200, 201):
            record["error"] = result
        print(json.dumps(record, ensure_ascii=False), flush=True)
    finally:
        if server is not None and server.poll() is None:
            os.kill(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(server.pid, signal.SIGKILL)
                server.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
