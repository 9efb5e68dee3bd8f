"""Test databases copied from templates instead of built again: the migrated database and the demo county.

Migrating a test database costs each pytest process (xdist worker) about 20 s of CPU (Django renders the
migration states), and building the demo county about as much again (its documents are PDFs). The result is
the same every time for the same code, so the first process to need one keeps a copy — a template — and every
later process, in this pytest run or the next one (``make test``'s browser call after the rest, the next
``pytest`` of a developer), copies it:

- SQLite (the test database lives in memory): the template is a database file in pytest's cache directory
  (``.pytest_cache/zhifa-db``), copied in and out with SQLite's backup API.
- PostgreSQL: the template is a database on the same server (``zhifa_tpl_…``); a test database is created
  from it with ``CREATE DATABASE … TEMPLATE …``. Templates of other code are dropped when a new one is made.

A template's name carries a hash of everything its content depends on: every file of the ``zhifa`` package
(the migrations and the code they and the demo run), Django's version, the database, the suite's day and
the ``ZHIFA_*`` environment; the demo's also the data directory and its signing key (the demo signs documents
and stores evidence there). Any change builds a new one. Processes of the same run take a file lock, so one
builds while the other waits and then copies. ``--reuse-db`` (keepdb) leaves the test database alone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django
import pytest
from django.conf import settings
from django.core import management
from django.db.backends.base.creation import BaseDatabaseCreation

_PACKAGE = Path(__file__).resolve().parents[1]  # src/zhifa
_DIR: Path | None = None  # the SQLite templates, the demo summaries and the locks; set by install()
_CODE_HASH: str | None = None


def install(config: pytest.Config, today: str) -> None:
    """Create test databases from the migrated template (``pytest_configure``)."""
    global _DIR, _TODAY

    _DIR = config.rootpath / ".pytest_cache" / "zhifa-db"  # ignored by git, like pytest's own cache
    _DIR.mkdir(parents=True, exist_ok=True)
    _TODAY = today
    if not getattr(BaseDatabaseCreation.create_test_db, "_zhifa_template", False):
        original = BaseDatabaseCreation.create_test_db

        def create_test_db(self: Any, *args: Any, **kwargs: Any) -> Any:
            return _create_test_db(original, self, *args, **kwargs)

        create_test_db._zhifa_template = True  # type: ignore[attr-defined]
        BaseDatabaseCreation.create_test_db = create_test_db  # type: ignore[method-assign]


_TODAY = ""


def _code_hash() -> str:
    global _CODE_HASH

    if _CODE_HASH is None:
        digest = hashlib.sha256(django.__version__.encode())
        for path in sorted(_PACKAGE.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
        _CODE_HASH = digest.hexdigest()
    return _CODE_HASH


def _key(connection: Any, kind: str, *extra: str) -> str:
    environment = sorted(
        (k, v) for k, v in os.environ.items() if k.startswith("ZHIFA_") and k != "ZHIFA_DATABASE_URL"
    )
    parts = [_code_hash(), connection.vendor, _TODAY, repr(environment), kind, *extra]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


@contextlib.contextmanager
def _lock(name: str) -> Iterator[None]:
    """One process at a time builds or copies a template (across the xdist workers and other runs)."""
    assert _DIR is not None
    with (_DIR / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- SQLite: a database file copied with the backup API -------------------------------------------------------


def _sqlite_file(name: str) -> Path:
    assert _DIR is not None
    return _DIR / f"{name}.sqlite3"


def _sqlite_save(connection: Any, name: str) -> None:
    target = _sqlite_file(name)
    for old in target.parent.glob(f"{name.rsplit('_', 1)[0]}_*.sqlite3"):  # templates of other code
        old.unlink(missing_ok=True)
    connection.ensure_connection()
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        copy = sqlite3.connect(tmp)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _sqlite_restore(connection: Any, name: str) -> bool:
    source = _sqlite_file(name)
    try:  # read-only: a template deleted meanwhile (by a run of other code) is not created empty
        template = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    except sqlite3.OperationalError:
        return False
    connection.ensure_connection()
    try:
        template.backup(connection.connection)
    finally:
        template.close()
    return True


# --- PostgreSQL: a database on the same server ------------------------------------------------------------------


def _pg_exists(connection: Any, name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _pg_copy(connection: Any, source: str, target: str, *, replace: bool) -> None:
    """``CREATE DATABASE target TEMPLATE source``; nobody may be connected to ``source`` (or ``target``)."""
    connection.close()
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        if replace:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def _pg_save(connection: Any, name: str) -> None:
    quote = connection.ops.quote_name
    connection.close()
    with connection._nodb_cursor() as cursor:  # templates of other code
        prefix = name.rsplit("_", 1)[0] + "_"
        cursor.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname <> %s", [prefix, name]
        )
        for (old,) in cursor.fetchall():
            with contextlib.suppress(Exception):
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)}")
    _pg_copy(connection, connection.settings_dict["NAME"], name, replace=True)


# --- the migrated database ----------------------------------------------------------------------------------------


def _create_test_db(original: Any, creation: Any, *args: Any, **kwargs: Any) -> Any:
    connection = creation.connection
    keepdb = kwargs.get("keepdb", args[3] if len(args) > 3 else False)
    if keepdb or connection.vendor not in ("sqlite", "postgresql") or _DIR is None:
        return original(creation, *args, **kwargs)
    if connection.vendor == "sqlite" and not creation.is_in_memory_db(creation._get_test_db_name()):
        return original(creation, *args, **kwargs)
    name = f"zhifa_tpl_migrated_{connection.vendor}_{_key(connection, 'migrated')}"
    real_call_command = management.call_command
    test_settings = connection.settings_dict["TEST"]
    template_setting = test_settings.get("TEMPLATE")
    from_template = False

    def call_command(command: Any, *c_args: Any, **c_kwargs: Any) -> Any:
        if command != "migrate":
            return real_call_command(command, *c_args, **c_kwargs)
        if from_template or (connection.vendor == "sqlite" and _sqlite_restore(connection, name)):
            return None  # the template is the migrated database (its contenttypes and permissions too)
        result = real_call_command(command, *c_args, **c_kwargs)
        if connection.vendor == "sqlite":
            _sqlite_save(connection, name)
        else:
            _pg_save(connection, name)
        return result

    with _lock(name):
        if connection.vendor == "postgresql" and _pg_exists(connection, name):
            test_settings["TEMPLATE"] = name
            from_template = True
        management.call_command = call_command  # type: ignore[assignment]  # create_test_db imports it here
        try:
            return original(creation, *args, **kwargs)
        finally:
            management.call_command = real_call_command
            if template_setting is None:
                test_settings.pop("TEMPLATE", None)
            else:
                test_settings["TEMPLATE"] = template_setting


# --- the demo county ----------------------------------------------------------------------------------------------


def _demo_name(connection: Any) -> str:
    # local import: records imports models; this module loads before Django is set up
    from zhifa.records.signing import key_path

    key = key_path()
    signing_key = hashlib.sha256(key.read_bytes()).hexdigest() if key.exists() else "none"
    data_dir = str(Path(settings.DATA_DIR).resolve())
    return f"zhifa_tpl_demo_{connection.vendor}_{_key(connection, 'demo', data_dir, signing_key)}"


@contextlib.contextmanager
def demo_lock(connection: Any) -> Iterator[None]:
    """Held while the demo county is restored or built and saved (one process builds, the others copy)."""
    with _lock(f"demo-{connection.vendor}"):
        yield


def restore_demo(connection: Any) -> Any:
    """Replace the test database with the demo county's template, if there is one; returns the build's summary
    (``zhifa.org.demo.DemoSummary``, kept beside the template), or None when there is no template."""
    if _DIR is None:
        return None
    name = _demo_name(connection)
    summary_file = _DIR / f"{name}.summary.json"
    if not summary_file.exists():
        return None
    if connection.vendor == "sqlite":
        if not (connection.is_in_memory_db() and _sqlite_restore(connection, name)):
            return None
    elif connection.vendor == "postgresql" and _pg_exists(connection, name):
        _pg_copy(connection, name, connection.settings_dict["NAME"], replace=True)
    else:
        return None
    # local import: contenttypes imports models; this module loads before Django is set up
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    # local import: the demo imports models; this module loads before Django is set up
    from zhifa.org.demo import DemoSummary

    return DemoSummary(**json.loads(summary_file.read_text()))


def save_demo(connection: Any, summary: Any) -> None:
    """Keep the test database, just after the demo county was built, as its template (and the build's summary)."""
    if _DIR is None:
        return
    name = _demo_name(connection)
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        _sqlite_save(connection, name)
    elif connection.vendor == "postgresql":
        _pg_save(connection, name)
    else:
        return
    for old in _DIR.glob(f"{name.rsplit('_', 1)[0]}_*.summary.json"):  # of other code
        old.unlink(missing_ok=True)
    (_DIR / f"{name}.summary.json").write_text(json.dumps(dataclasses.asdict(summary)))
