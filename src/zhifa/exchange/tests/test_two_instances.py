"""Two instances on one machine (issue 22 item 1, "done when"): a county and its city, each its own process,
data directory and SQLite file. The county pushes to the city's server over HTTP; the link is cut (the city's
server stopped), the county's outbox fills, the link is restored, and nothing is lost or doubled.

The databases are copies of this test run's migrated SQLite database (``zhifa migrate`` in a fresh process
takes minutes on a busy machine); on the PostgreSQL leg the test is skipped: it is about two SQLite
deployments, not about the engine.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection

pytestmark = pytest.mark.slow

PY = sys.executable
PORTS = range(8170, 8180)  # this suite's servers bind only to 127.0.0.1 in this range
CODE = "770102"


def free_port() -> int:
    """A free port of ``PORTS`` on 127.0.0.1 (the next caller may still race for it: the server would then fail
    to bind and the test says so)."""
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8170–8179")


def environment(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ZHIFA_DATABASE_URL", "ZHIFA_LEDGER_SIGNING_KEY_FILE", "ZHIFA_TODAY")
    }
    env |= {
        "ZHIFA_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "zhifa.settings",
        "ZHIFA_WEBHOOK_ALLOW_PRIVATE": "true",  # the city is on 127.0.0.1
        "ZHIFA_WEBHOOK_TIMEOUT_SECONDS": "30",  # a busy machine; a cut link is refused at once
    }
    return env


def run(env: dict[str, str], *steps: str) -> list[dict[str, object]]:
    done = subprocess.run(
        [PY, "-m", "zhifa.exchange.tests.instance", *steps],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


class Server:
    """The city's instance under gunicorn (one worker) on 127.0.0.1."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port = env, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = (Path(self.env["ZHIFA_DATA_DIR"]) / "server.log").open("ab")
        self.process = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "zhifa.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                "1",
                "--timeout",
                "60",
                "--preload",
                "--no-control-socket",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # waiting for a process to listen, not for an outcome
            assert self.process.poll() is None, "the city's server stopped while starting"
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    break
            time.sleep(0.2)
        else:
            pytest.fail("the city's server did not listen within 60 s")
        # the worker's first request loads the URLconf and the API: done here, not in the county's first push
        warm = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        warm.request("GET", "/accounts/login/")
        assert warm.getresponse().status == 200
        warm.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture
def instances(tmp_path: Path, db: None) -> tuple[dict[str, str], dict[str, str]]:
    if connection.vendor != "sqlite":
        pytest.skip("two SQLite deployments: runs on the SQLite leg")
    city_dir, county_dir = tmp_path / "city", tmp_path / "county"
    envs = []
    connection.ensure_connection()
    migrated = connection.connection.serialize()  # the migrated schema and the seeded catalogues, as bytes
    for data_dir in (city_dir, county_dir):
        data_dir.mkdir()
        (data_dir / "zhifa.sqlite3").write_bytes(migrated)
        envs.append(environment(data_dir))
    return envs[0], envs[1]


def county_key(county_dir: Path) -> Path:
    """The county's ledger key, made beforehand so that the city can pin its public key."""
    keys = county_dir / "keys"
    keys.mkdir(mode=0o700)
    key = Ed25519PrivateKey.generate()
    private = keys / "ledger-ed25519.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    private.chmod(0o600)
    public = county_dir / "county-public.pem"
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return public


def city_rows(city_dir: Path) -> dict[str, object]:
    with sqlite3.connect(city_dir / "zhifa.sqlite3") as db:
        return {
            "records": sorted(
                r[0] for r in db.execute("SELECT title FROM exchange_receivedrecord WHERE kind = 'flag'")
            ),
            "batches": [
                r[0] for r in db.execute("SELECT sequence FROM exchange_receivedbatch ORDER BY sequence")
            ],
            "source": db.execute(
                "SELECT last_sequence, witness_state FROM exchange_source WHERE code = ?", (CODE,)
            ).fetchone(),
        }


def test_a_county_pushes_to_its_city_and_a_cut_link_loses_and_doubles_nothing(
    instances: tuple[dict[str, str], dict[str, str]],
) -> None:
    city_env, county_env = instances
    city_dir, county_dir = Path(city_env["ZHIFA_DATA_DIR"]), Path(county_env["ZHIFA_DATA_DIR"])
    [registered] = run(city_env, "city", CODE, str(county_key(county_dir)))
    server = Server(city_env, free_port())
    server.start()
    try:
        url = f"http://127.0.0.1:{server.port}"
        out = run(county_env, "county", url, CODE, str(registered["secret"]), "flag", "1", "sign", "push")
        assert out[-1]["delivered"] == 1, out

        server.stop()  # the link is cut
        out = run(county_env, "flag", "2", "push", "flag", "3", "sign", "push")
        assert out[1]["delivered"] == 0 and out[1]["retrying"] == 1, out
        assert out[-1]["delivered"] == 0, out  # batch 3 waits behind batch 2
        with sqlite3.connect(county_dir / "zhifa.sqlite3") as db:
            pending = [
                r[0] for r in db.execute("SELECT sequence FROM exchange_outboxbatch WHERE status = 'pending'")
            ]
        assert sorted(pending) == [2, 3]

        server.start()  # the link is restored
        out = run(county_env, "push-now", "push")
        assert out[0]["delivered"] == 2, out
        assert out[1]["delivered"] == 0, out
    finally:
        server.stop()
    rows = city_rows(city_dir)
    assert rows["records"] == ["预警 1", "预警 2", "预警 3"]
    assert rows["batches"] == [1, 2, 3]
    assert rows["source"] == (3, "verified")
