"""Faults across processes: SIGKILL in the middle of appends, and 8 processes appending at once.

Each test gets a fresh FILE database (a temporary SQLite file, or on the PostgreSQL leg a database with a
unique name that is dropped afterwards) and drives real processes. ``zhifa migrate`` runs once per module,
into a template; each test's database is a copy of it (the SQLite file, or ``CREATE DATABASE … TEMPLATE``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.slow

WORKER = [sys.executable, "-m", "zhifa.records.tests.append_worker"]
ZHIFA = [sys.executable, "-m", "zhifa.cli"]
# The system checks (they import every API module: ~2 s a process) are not what these tests are about.
SKIP_CHECKS = "--skip-checks"
SQLITE_FILE = "zhifa.sqlite3"


def _environment(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ZHIFA_DATABASE_URL", "ZHIFA_LEDGER_SIGNING_KEY_FILE")
    }
    env["ZHIFA_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
    return env


class _Postgres:
    """Databases of the PostgreSQL leg's server, created and dropped over an admin connection."""

    def __init__(self) -> None:
        import psycopg

        db = settings.DATABASES["default"]
        self.params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
        self.password = db.get("PASSWORD") or ""
        self.admin = psycopg.connect(
            dbname="postgres", password=self.password or None, autocommit=True, **self.params
        )

    def url(self, name: str) -> str:
        auth = f"{self.params['user']}:{self.password}@" if self.password else f"{self.params['user']}@"
        return f"postgres://{auth}{self.params['host']}:{self.params['port']}/{name}"

    def create(self, name: str, template: str = "") -> None:
        self.admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))

    def drop(self, name: str) -> None:
        self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A database of the leg under test, migrated once by ``zhifa migrate`` in a process of its own."""
    env = _environment(tmp_path_factory.mktemp("ledger-template") / "data")
    if connection.vendor != "postgresql":
        subprocess.run(
            [*ZHIFA, "migrate", "--no-input", "-v0", SKIP_CHECKS], env=env, check=True, timeout=300
        )
        yield {"sqlite": Path(env["ZHIFA_DATA_DIR"]) / SQLITE_FILE}
        return
    server = _Postgres()
    name = f"zhifa_ledger_template_{uuid.uuid4().hex[:12]}"
    server.create(name)
    try:
        env["ZHIFA_DATABASE_URL"] = server.url(name)
        subprocess.run(
            [*ZHIFA, "migrate", "--no-input", "-v0", SKIP_CHECKS], env=env, check=True, timeout=300
        )
        yield {"postgres": server, "name": name}
    finally:
        server.drop(name)
        server.admin.close()


@contextmanager
def fresh_database(tmp_path: Path, template: dict[str, Any]) -> Iterator[dict[str, str]]:
    """Environment for subprocesses pointing at a new, migrated database of the leg under test."""
    env = _environment(tmp_path / "data")
    if "sqlite" in template:
        data = Path(env["ZHIFA_DATA_DIR"])
        data.mkdir(parents=True)
        # The migrating process has exited; a write-ahead log it left (if any) goes along with the file.
        for suffix in ("", "-wal"):
            if (source := template["sqlite"].with_name(SQLITE_FILE + suffix)).exists():
                shutil.copyfile(source, data / source.name)
        yield env
        return
    server: _Postgres = template["postgres"]
    name = f"zhifa_ledger_fault_{uuid.uuid4().hex[:12]}"
    server.create(name, template=template["name"])
    try:
        env["ZHIFA_DATABASE_URL"] = server.url(name)
        yield env
    finally:
        server.drop(name)


def ledger(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ZHIFA, "ledger", SKIP_CHECKS, *args], env=env, capture_output=True, text=True, timeout=600
    )


def ledger_size(env: dict[str, str]) -> int:
    status = ledger(env, "status")
    assert status.returncode == 0, status.stderr
    return int(json.loads(status.stdout)["size"])


def committed(lines: list[str]) -> list[int]:
    return [int(seq) for line in lines if line.startswith("committed") for seq in line.split()[1:]]


def test_a_process_killed_mid_append_leaves_no_gap_and_no_half_entry(
    tmp_path: Path, migrated_template: dict[str, Any]
) -> None:
    with fresh_database(tmp_path, migrated_template) as env:
        # Three entries per transaction with pauses inside it: the kill lands inside a transaction.
        worker = subprocess.Popen(
            [*WORKER, "0", "--batch", "3", "--pause", "0.003"], env=env, stdout=subprocess.PIPE, text=True
        )
        assert worker.stdout is not None
        seen: list[str] = []
        while len(committed(seen)) < 45:
            line = worker.stdout.readline()
            assert line, "the worker stopped before it was killed"
            seen.append(line)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        assert worker.returncode == -signal.SIGKILL

        result = ledger(env, "verify")
        assert result.returncode == 0, result.stderr
        size = ledger_size(env)
        assert size >= max(committed(seen)) + 1
        assert size % 3 == 0  # whole transactions only: the interrupted one left nothing behind

        # After the restart the log goes on from where it stopped.
        again = subprocess.run([*WORKER, "6", "--batch", "3"], env=env, capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
        assert committed(again.stdout.splitlines()) == list(range(size, size + 6))
        assert ledger(env, "sign").returncode == 0
        assert ledger(env, "verify").returncode == 0


def test_eight_processes_appending_at_once_make_one_linear_log(
    tmp_path: Path, migrated_template: dict[str, Any]
) -> None:
    per_process = 25
    with fresh_database(tmp_path, migrated_template) as env:
        workers = [
            subprocess.Popen(
                [*WORKER, str(per_process), "--tag", str(n)], env=env, stdout=subprocess.PIPE, text=True
            )
            for n in range(8)
        ]
        outputs = [w.communicate(timeout=600)[0] for w in workers]
        assert [w.returncode for w in workers] == [0] * 8
        seqs = sorted(seq for out in outputs for seq in committed(out.splitlines()))
        assert seqs == list(range(8 * per_process))  # no duplicate (fork) and no gap
        assert ledger_size(env) == 8 * per_process
        assert ledger(env, "sign").returncode == 0
        result = ledger(env, "verify")
        assert result.returncode == 0, result.stderr


def test_verify_of_a_tampered_file_database_exits_non_zero_naming_the_entry(
    tmp_path: Path, migrated_template: dict[str, Any]
) -> None:
    """The command's exit status, seen from outside, on a database changed behind the triggers' back."""
    if connection.vendor != "sqlite":
        pytest.skip("the in-process tests cover PostgreSQL; this one edits the SQLite file directly")
    import sqlite3

    with fresh_database(tmp_path, migrated_template) as env:
        assert subprocess.run([*WORKER, "10"], env=env, capture_output=True).returncode == 0
        db = sqlite3.connect(Path(env["ZHIFA_DATA_DIR"]) / "zhifa.sqlite3")
        db.execute("DROP TRIGGER records_ledgerentry_no_update")
        db.execute("UPDATE records_ledgerentry SET object_id = 'x' WHERE seq = 7")
        db.commit()
        db.close()
        result = ledger(env, "verify")
        assert result.returncode != 0
        assert "第 7 号记录" in result.stderr and "entry seq 7" in result.stderr
