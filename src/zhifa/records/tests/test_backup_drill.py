"""The backup drill (issue 18 §8): back up during concurrent appends, wipe, restore, verify against a witness.

Real processes on a file database, as in ``test_ledger_processes``: SQLite (the backup API), or on the
PostgreSQL leg (``ZHIFA_DATABASE_URL`` set, ``make test`` runs it when PostgreSQL is reachable) ``pg_dump`` /
``pg_restore`` into an emptied database. The signing key lives outside the data directory, as the
deployment documents.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection

from zhifa.records import signing
from zhifa.records.tests.test_ledger_processes import (  # noqa: F401  (migrated_template is a fixture)
    SKIP_CHECKS,
    SQLITE_FILE,
    WORKER,
    ZHIFA,
    _Postgres,
    committed,
    fresh_database,
    ledger,
    ledger_size,
    migrated_template,
)

pytestmark = pytest.mark.slow


def zhifa(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ZHIFA, *args, SKIP_CHECKS], env=env, capture_output=True, text=True, timeout=600)


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _wipe(env: dict[str, str]) -> None:
    """The machine is lost: the database and the evidence store are gone (the key, elsewhere, is not)."""
    data = Path(env["ZHIFA_DATA_DIR"])
    if connection.vendor == "postgresql":
        name = urlsplit(env["ZHIFA_DATABASE_URL"]).path.lstrip("/")
        server = _Postgres()
        try:
            server.drop(name)
            server.create(name)  # an empty database to restore into
        finally:
            server.admin.close()
    else:
        for suffix in ("", "-wal", "-shm"):
            (data / (SQLITE_FILE + suffix)).unlink(missing_ok=True)
    shutil.rmtree(data / "evidence", ignore_errors=True)


def test_backup_during_appends_wipe_restore_verify_against_the_witness(
    tmp_path: Path,
    migrated_template: dict[str, Any],  # noqa: F811 -- the fixture imported above
) -> None:
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    key = tmp_path / "etc" / "ledger-ed25519.pem"
    signing._create_key_file(key)
    store, backup_dir = tmp_path / "witness.json", tmp_path / "backup"
    with fresh_database(tmp_path, migrated_template) as env:
        env["ZHIFA_LEDGER_SIGNING_KEY_FILE"] = str(key)
        env["ZHIFA_LEDGER_SIGN_INTERVAL"] = "60"
        data = Path(env["ZHIFA_DATA_DIR"])
        sample = data / "evidence" / "drill" / "sample.bin"
        sample.parent.mkdir(parents=True)
        sample.write_bytes(b"evidence " * 1000)
        _ok(subprocess.run([*WORKER, "20"], env=env, capture_output=True, text=True))
        _ok(ledger(env, "sign"))
        heads = tmp_path / "heads.json"
        _ok(ledger(env, "heads", "--out", str(heads)))
        _ok(ledger(env, "witness", "--from", str(heads), "--store", str(store)))  # another machine's copy

        # Appends go on, one entry every few milliseconds, for the whole backup.
        worker = subprocess.Popen(
            [*WORKER, "0", "--pause", "0.002"], env=env, stdout=subprocess.PIPE, text=True
        )
        assert worker.stdout is not None
        seen: list[str] = []
        while len(committed(seen)) < 10:
            seen.append(worker.stdout.readline())
        try:
            _ok(zhifa(env, "backup", str(backup_dir)))
            assert worker.poll() is None, "the appends stopped before the backup ended"
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.communicate(timeout=60)
        manifest = json.loads((backup_dir / "manifest.json").read_text())
        assert not (backup_dir / "keys" / "ledger-private.pem").exists()
        assert manifest["private_key_included"] is False
        assert (backup_dir / "keys" / "ledger-public.pem").read_text() == signing.public_key_pem(_raw(key))
        live_size = ledger_size(env)
        backed_up = manifest.get("ledger_size")
        if backed_up is None:  # pg_dump: the size is read back after the restore
            backed_up = -1
        else:
            assert 20 < backed_up < live_size  # taken while the appends went on
            root_then = json.loads(_ok(ledger(env, "consistency", str(backed_up), str(live_size))))[
                "old_root"
            ]
            assert manifest["ledger_root"] == root_then

        # A second witness that also saw a head signed after the backup.
        late_store, late_heads = tmp_path / "witness-late.json", tmp_path / "heads-late.json"
        _ok(ledger(env, "sign"))
        _ok(ledger(env, "heads", "--out", str(late_heads), "--since", "20"))
        shutil.copyfile(store, late_store)
        _ok(ledger(env, "witness", "--from", str(late_heads), "--store", str(late_store)))

        _wipe(env)
        _ok(zhifa(env, "restore", str(backup_dir)))
        status = json.loads(_ok(ledger(env, "status")))
        if backed_up < 0:
            backed_up = status["size"]
            assert 20 < backed_up <= live_size
        assert status["size"] == backed_up
        if "ledger_root" in manifest:
            assert status["root"] == manifest["ledger_root"]
        assert (data / "evidence" / "drill" / "sample.bin").read_bytes() == b"evidence " * 1000
        _ok(
            ledger(env, "verify", "--witness", str(store))
        )  # at least as long as, and consistent with, the witness
        refused = zhifa(env, "restore", str(backup_dir))
        assert refused.returncode != 0 and "--force" in refused.stderr

        # The witness that saw the log after the backup tells the restored, older log apart (a rollback).
        rolled_back = ledger(env, "verify", "--witness", str(late_store))
        assert rolled_back.returncode != 0 and "短于见证的签名树头" in rolled_back.stderr


def _raw(key: Path) -> bytes:
    from cryptography.hazmat.primitives import serialization

    private = serialization.load_pem_private_key(key.read_bytes(), password=None)
    return private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
