"""Test databases copied from a template of the migrated database instead of migrated again.

Migrating a test database costs each pytest process (xdist worker) about 20 s of CPU (Django renders the
migration states). The result is the same every time for the same code, so the first process to need one
keeps a copy — a template — and every later process, in this pytest call or the next one (``make test``'s
browser call after the rest, a developer's next ``pytest``), copies it:

- SQLite (the test database lives in memory): the template is a database file in ``.pytest_cache/zhifa-db``
  (ignored by git), copied in with SQLite's backup API.
- PostgreSQL: the template is a database on the same server (``zhifa_tpl_migrated_…``); the test database is
  created from it with ``CREATE DATABASE … TEMPLATE …``. Templates of other code are dropped when a new one is
  made.

Only the migrated schema (and the rows the migrations seed) is templated, never the demo county: the demo is
built by each process on the suite's clock (``zhifa.testing.plugin``), and a kept demo once answered a run on
another day (``ZHIFA_TEST_TODAY``) with the dates of the day it was built.

A template's name carries a hash of everything the migrated database depends on: every file of the ``zhifa``
package (the migrations and the code they run), Django's version, the database vendor, the suite's day and the
``ZHIFA_*`` environment; any change makes a new one. The processes of a run take a file lock, so one migrates
while the other waits and then copies. ``--reuse-db`` (keepdb) and file-backed SQLite test databases are left
to Django.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django
import pytest
from django.core import management
from django.db.backends.base.creation import BaseDatabaseCreation

_PACKAGE = Path(__file__).resolve().parents[1]  # src/zhifa
_PREFIX = "zhifa_tpl_migrated_"


class _State:
    directory: Path | None = None  # the SQLite templates and the locks; set by install()
    today = ""
    code_hash: str | None = None


def install(config: pytest.Config, today: str) -> None:
    """Create test databases from the migrated template (called from ``pytest_configure``)."""
    _State.directory = config.rootpath / ".pytest_cache" / "zhifa-db"
    _State.directory.mkdir(parents=True, exist_ok=True)
    _State.today = today
    if getattr(BaseDatabaseCreation.create_test_db, "_zhifa_template", False):
        return
    original = BaseDatabaseCreation.create_test_db

    def create_test_db(self: Any, *args: Any, **kwargs: Any) -> Any:
        return _create_test_db(original, self, *args, **kwargs)

    create_test_db._zhifa_template = True  # type: ignore[attr-defined]
    BaseDatabaseCreation.create_test_db = create_test_db  # type: ignore[method-assign]


def _code_hash() -> str:
    if _State.code_hash is None:
        digest = hashlib.sha256(django.__version__.encode())
        for path in sorted(_PACKAGE.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
        _State.code_hash = digest.hexdigest()
    return _State.code_hash


def template_name(vendor: str, database: str) -> str:
    """The migrated template's name for this code, database vendor, suite's day and ``ZHIFA_*`` environment.

    Its middle part names the database the suite was pointed at (``ZHIFA_DATABASE_URL``'s), so that runs
    against one PostgreSQL server with their own database names (as on a shared machine) keep their own
    templates and drop only their own old ones.
    """
    environment = sorted(
        (k, v) for k, v in os.environ.items() if k.startswith("ZHIFA_") and k != "ZHIFA_DATABASE_URL"
    )
    parts = [_code_hash(), vendor, _State.today, repr(environment)]
    key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]
    return f"{_family(vendor, database)}{key}"


def _family(vendor: str, database: str) -> str:
    """The templates' common prefix for a vendor and a database name (every code's and day's)."""
    return f"{_PREFIX}{vendor}_{hashlib.sha256(str(database).encode()).hexdigest()[:8]}_"


@contextlib.contextmanager
def _lock(name: str) -> Iterator[None]:
    """One process at a time migrates or copies (the xdist workers of a run, and other runs)."""
    assert _State.directory is not None
    with (_State.directory / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- SQLite: a database file, copied with the backup API -------------------------------------------------------


def _sqlite_file(name: str) -> Path:
    assert _State.directory is not None
    return _State.directory / f"{name}.sqlite3"


def _sqlite_save(connection: Any, name: str) -> None:
    target = _sqlite_file(name)
    family = name[: name.rindex("_") + 1]
    for old in target.parent.glob(f"{family}*.sqlite3"):  # templates of other code
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
    if not source.exists():
        return False
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


def _pg_save(connection: Any, name: str) -> None:
    """``CREATE DATABASE name TEMPLATE <the test database>``: nobody may be connected to the test database."""
    quote = connection.ops.quote_name
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname <> %s",
            [name[: name.rindex("_") + 1], name],
        )
        for (old,) in cursor.fetchall():  # templates of other code
            with contextlib.suppress(Exception):
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)}")
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(connection.settings_dict['NAME'])}")


# --- the test database ----------------------------------------------------------------------------------------------


def _create_test_db(original: Any, creation: Any, *args: Any, **kwargs: Any) -> Any:
    connection = creation.connection
    keepdb = kwargs.get("keepdb", args[3] if len(args) > 3 else False)
    if keepdb or connection.vendor not in ("sqlite", "postgresql") or _State.directory is None:
        return original(creation, *args, **kwargs)
    if connection.vendor == "sqlite" and not creation.is_in_memory_db(creation._get_test_db_name()):
        return original(creation, *args, **kwargs)
    name = template_name(connection.vendor, connection.settings_dict["NAME"])
    real_call_command = management.call_command
    test_settings = connection.settings_dict["TEST"]
    template_setting = test_settings.get("TEMPLATE")
    from_template = False

    def call_command(command: str, *c_args: Any, **c_kwargs: Any) -> Any:
        if command != "migrate":
            return real_call_command(command, *c_args, **c_kwargs)
        if from_template or (connection.vendor == "sqlite" and _sqlite_restore(connection, name)):
            return None  # the template is the migrated database (its content types and permissions too)
        result = real_call_command(command, *c_args, **c_kwargs)
        if connection.vendor == "sqlite":
            _sqlite_save(connection, name)
        else:
            _pg_save(connection, name)
        return result

    with _lock(name):
        if connection.vendor == "postgresql" and _pg_exists(connection, name):
            test_settings["TEMPLATE"] = name  # Django's _create_test_db: CREATE DATABASE … TEMPLATE name
            from_template = True
        management.call_command = call_command
        try:
            return original(creation, *args, **kwargs)
        finally:
            management.call_command = real_call_command
            if template_setting is None:
                test_settings.pop("TEMPLATE", None)
            else:
                test_settings["TEMPLATE"] = template_setting
