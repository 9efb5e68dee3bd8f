"""Backup and restore (备份与恢复): ``zhifa backup DEST`` and ``zhifa restore SRC``.

A backup is a directory:

* ``database.sqlite3`` — a consistent hot copy through SQLite's online backup API
  (``sqlite3.Connection.backup``: one snapshot of a read transaction; in WAL mode writers go on meanwhile), or
  ``database.pgdump`` — ``pg_dump --format=custom`` (one repeatable-read snapshot, writers go on meanwhile);
* ``evidence/`` — the evidence store's files (content-addressed and write-once, copied after the database
  snapshot, so every file the snapshot references is there) and ``media/``;
* ``keys/ledger-public.pem`` (and ``keys/trusted/*.pem``) — the public keys; the private signing key only
  with ``--include-private-key`` (``keys/ledger-private.pem``, mode 0600);
* ``manifest.json`` — format, time, database vendor, the ledger's size and root in the copy (SQLite), and the
  size and SHA-256 of every file above.

``zhifa restore SRC`` checks every hash of the manifest first, then restores into an empty database and an
empty evidence store (``--force`` to overwrite). See docs/deployment.md, "Backup and restore".
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

from zhifa.core import clock
from zhifa.records import merkle, signing
from zhifa.records.ledger import node_key

FORMAT = "zhifa-backup-v1"
MANIFEST = "manifest.json"
SQLITE_COPY = "database.sqlite3"
PG_DUMP = "database.pgdump"
PUBLIC_KEY = "keys/ledger-public.pem"
PRIVATE_KEY = "keys/ledger-private.pem"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Refused or failed; ``str()`` is Chinese / English."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(f"{message} / {message_en}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def evidence_dir() -> Path | None:
    """The evidence store's directory, or None when evidence lives in object storage (S3)."""
    conf: dict[str, Any] = settings.STORAGES.get("evidence", {})
    location = conf.get("OPTIONS", {}).get("location")
    if not location or "FileSystem" not in conf.get("BACKEND", ""):
        return None
    return Path(location)


def _file_dirs() -> dict[str, Path | None]:
    return {"evidence": evidence_dir(), "media": Path(settings.MEDIA_ROOT)}


# --- backup ---------------------------------------------------------------------------------------------------


def _sqlite_path() -> str:
    return str(connection.settings_dict["NAME"])


def _is_memory(name: str) -> bool:
    return name == ":memory:" or "mode=memory" in name


def _backup_sqlite(target: Path) -> dict[str, Any]:
    name = _sqlite_path()
    destination = sqlite3.connect(target)
    try:
        if _is_memory(name):  # a test database in memory: only Django's own connection reaches it
            connection.ensure_connection()
            connection.connection.backup(destination)
        else:
            if not Path(name).is_file():
                raise BackupError(f"数据库文件不存在：{name}", f"No database file at {name}")
            source = sqlite3.connect(name, timeout=60)  # read only by the backup; WAL needs a normal open
            try:
                source.backup(destination)  # all pages in one step: one consistent snapshot
            finally:
                source.close()
        destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        row = destination.execute("SELECT size FROM records_ledgerhead WHERE id = 1").fetchone()
    finally:
        destination.close()
    return {"ledger_size": row[0] if row else 0}


def _pg_environment() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return env, args


def _backup_postgres(target: Path) -> dict[str, Any]:
    env, args = _pg_environment()
    command = [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--file",
        str(target),
        *args,
        str(connection.settings_dict["NAME"]),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed argv, no shell
    if result.returncode:
        raise BackupError("pg_dump 失败。", f"pg_dump failed: {result.stderr.strip()[:2000]}")
    return {"ledger_size": None}


def _copy_tree(source: Path, target: Path) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.name.startswith(".tmp"):
            out = target / path.relative_to(source)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, out)


def backup(dest: Path, *, include_private_key: bool = False) -> dict[str, Any]:
    """Write a backup into ``dest`` (which must not exist, or be an empty directory); return its manifest."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(
            f"备份目录已存在且不为空：{dest}", f"The backup directory exists and is not empty: {dest}"
        )
    dest.mkdir(parents=True, exist_ok=True)
    started = clock.now()
    vendor = connection.vendor
    if vendor == "sqlite":
        info = _backup_sqlite(dest / SQLITE_COPY)
    elif vendor == "postgresql":
        info = _backup_postgres(dest / PG_DUMP)
    else:
        raise BackupError(f"不支持的数据库：{vendor}", f"Unsupported database: {vendor}")
    # After the snapshot: evidence is write-once, so every file the snapshot references is already stored.
    skipped = []
    for name, source in _file_dirs().items():
        if source is None:
            skipped.append(name)
        elif source.is_dir():
            _copy_tree(source, dest / name)
    key = signing.load_signing_key()
    (dest / "keys").mkdir(exist_ok=True)
    (dest / PUBLIC_KEY).write_text(key.public_key_pem, encoding="ascii")
    trusted = key.path.parent / "trusted"
    if trusted.is_dir():
        _copy_tree(trusted, dest / "keys" / "trusted")
    if include_private_key:
        fd = os.open(dest / PRIVATE_KEY, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key.path.read_bytes())
    if info.get("ledger_size") is not None:
        info["ledger_root"] = _ledger_root_of_copy(dest / SQLITE_COPY, int(info["ledger_size"]))
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "database": vendor,
        "database_file": SQLITE_COPY if vendor == "sqlite" else PG_DUMP,
        **info,
        "public_key_sha256": signing.key_fingerprint(key.public_key_raw),
        "private_key_included": include_private_key,
        "not_included": skipped,
        "files": [
            {"path": p.relative_to(dest).as_posix(), "size": p.stat().st_size, "sha256": _sha256(p)}
            for p in sorted(dest.rglob("*"))
            if p.is_file()
        ],
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _ledger_root_of_copy(path: Path, size: int) -> str:
    """The ledger root at ``size`` read from the copy's node rows (the restore drill compares it)."""
    db = sqlite3.connect(path)
    try:
        meta = db.execute("SELECT hash_algorithm FROM records_ledgermeta WHERE id = 1").fetchone()
        algorithm = meta[0] if meta else "sm3"

        def aligned(start: int, end: int) -> bytes:
            level, index = node_key(start, end)
            row = db.execute(
                'SELECT hash FROM records_ledgernode WHERE level = ? AND "index" = ?', (level, index)
            ).fetchone()
            if row is None:
                raise BackupError(
                    "备份中的账本节点缺失。", f"Ledger node {(level, index)} missing in the copy."
                )
            return bytes(row[0])

        return merkle.root_from(
            lambda s, e: merkle.range_hash_from(aligned, s, e, algorithm), size, algorithm
        ).hex()
    finally:
        db.close()


# --- restore --------------------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    files: int
    key_note: str


def read_manifest(src: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(
            f"无法读取备份清单：{src / MANIFEST}", f"Cannot read {src / MANIFEST}: {exc}"
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不是 zhifa 备份：{src}", f"Not a {FORMAT} backup: {src}")
    return manifest


def check_backup(src: Path, manifest: dict[str, Any]) -> None:
    """Every file of the manifest is there with its size and SHA-256; nothing else is restored."""
    for item in manifest["files"]:
        path = src / item["path"]
        if ".." in Path(item["path"]).parts or not path.is_file():
            raise BackupError(f"备份文件缺失：{item['path']}", f"Missing in the backup: {item['path']}")
        if path.stat().st_size != item["size"] or _sha256(path) != item["sha256"]:
            raise BackupError(f"备份文件已损坏或被改动：{item['path']}", f"Hash mismatch: {item['path']}")


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return not tables


def _restore_sqlite(copy: Path, force: bool) -> None:
    name = _sqlite_path()
    if not _database_is_empty() and not force:
        raise BackupError(
            "目标数据库不为空；确需覆盖请加 --force。",
            "The target database is not empty: use --force to overwrite.",
        )
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        if _is_memory(name):
            connection.ensure_connection()
            source.backup(connection.connection)
        else:
            connections.close_all()
            target = sqlite3.connect(name, timeout=60)
            try:
                source.backup(target)  # replaces the whole database in one step
            finally:
                target.close()
    finally:
        source.close()


def _restore_postgres(dump: Path, force: bool) -> None:
    if not _database_is_empty() and not force:
        raise BackupError(
            "目标数据库不为空；确需覆盖请加 --force。",
            "The target database is not empty: use --force to overwrite.",
        )
    env, args = _pg_environment()
    command = [
        "pg_restore",
        "--no-owner",
        "--exit-on-error",
        *args,
        "--dbname",
        str(connection.settings_dict["NAME"]),
    ]
    if force:
        command += ["--clean", "--if-exists"]
    connections.close_all()
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [*command, str(dump)], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BackupError("pg_restore 失败。", f"pg_restore failed: {result.stderr.strip()[:2000]}")


def restore(src: Path, *, force: bool = False) -> RestoreReport:
    manifest = read_manifest(src)
    check_backup(src, manifest)
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest['database']}，当前数据库是 {connection.vendor}。",
            f"The backup is of {manifest['database']}, the configured database is {connection.vendor}.",
        )
    targets = {name: path for name, path in _file_dirs().items() if path is not None}
    if not force:
        for name, path in targets.items():
            if (src / name).is_dir() and path.is_dir() and any(p.is_file() for p in path.rglob("*")):
                raise BackupError(
                    f"目标目录不为空：{path}；确需覆盖请加 --force。",
                    f"{path} is not empty: use --force to overwrite.",
                )
    if manifest["database"] == "sqlite":
        _restore_sqlite(src / SQLITE_COPY, force)
    else:
        _restore_postgres(src / PG_DUMP, force)
    files = 0
    for name, path in targets.items():
        if (src / name).is_dir():
            _copy_tree(src / name, path)
            files += sum(1 for p in (src / name).rglob("*") if p.is_file())
    key_path = signing.key_path()
    if (src / PRIVATE_KEY).is_file() and not key_path.exists():
        key_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write((src / PRIVATE_KEY).read_bytes())
    if key_path.exists():
        current = signing.key_fingerprint(signing.load_signing_key().public_key_raw)
        key_note = (
            "签名密钥与备份一致。 / The signing key matches the backup."
            if current == manifest["public_key_sha256"]
            else "！签名密钥与备份时的不同：旧签名树头将无法通过校验，请把备份中的 keys/ledger-public.pem 放入"
            " keys/trusted/（若确为轮换）或换回原密钥。 / The signing key differs from the backup's."
        )
    else:
        key_note = (
            f"！签名私钥不在 {key_path}：请在签名前放回原私钥（备份不含私钥）。"
            f" / No signing key at {key_path}: put the original private key back before signing."
        )
    return RestoreReport(manifest=manifest, files=files, key_note=key_note)
