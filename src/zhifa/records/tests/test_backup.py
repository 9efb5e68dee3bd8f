"""``zhifa backup`` / ``zhifa restore`` refusals, in process (the full drill is in test_backup_drill.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhifa.records import backup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def file_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    dirs = {"evidence": tmp_path / "evidence", "media": tmp_path / "media"}
    (dirs["evidence"] / "ab").mkdir(parents=True)
    (dirs["evidence"] / "ab" / "file.bin").write_bytes(b"x" * 100)
    monkeypatch.setattr(backup, "_file_dirs", lambda: dirs)
    return dirs


def test_a_backup_holds_the_public_key_never_the_private_one_unless_asked(
    append: Any, file_dirs: dict[str, Path], tmp_path: Path
) -> None:
    append(5)
    call_command("backup", str(tmp_path / "b1"))
    manifest = json.loads((tmp_path / "b1" / "manifest.json").read_text())
    paths = {f["path"] for f in manifest["files"]}
    database = backup.SQLITE_COPY if connection.vendor == "sqlite" else backup.PG_DUMP
    assert {database, "evidence/ab/file.bin", "keys/ledger-public.pem"} <= paths
    assert "keys/ledger-private.pem" not in paths
    # the SQLite copy is read back for its ledger size; a pg_dump snapshot is not (the manifest says None)
    assert manifest["ledger_size"] == (5 if connection.vendor == "sqlite" else None)
    call_command("backup", str(tmp_path / "b2"), "--include-private-key")
    private = tmp_path / "b2" / "keys" / "ledger-private.pem"
    assert private.stat().st_mode & 0o777 == 0o600
    with pytest.raises(CommandError, match="不为空"):
        call_command("backup", str(tmp_path / "b2"))


def test_restore_refuses_an_altered_backup_and_a_non_empty_target(
    append: Any, file_dirs: dict[str, Path], tmp_path: Path
) -> None:
    append(2)
    call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="不为空"):  # this database has tables and the evidence is there
        call_command("restore", str(tmp_path / "b"))
    (tmp_path / "b" / "evidence" / "ab" / "file.bin").write_bytes(b"y" * 100)
    with pytest.raises(CommandError, match="已损坏或被改动"):
        call_command("restore", str(tmp_path / "b"), "--force")
