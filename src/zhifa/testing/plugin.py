"""zhifa's pytest plugin (``-p zhifa.testing.plugin`` in ``pyproject.toml``): the suite's set-up and the
fixtures several apps share.

Set-up: fast password hashing, the database leg in use, the one clock set to the suite's day, test databases
copied from a template of the migrated database (``zhifa.testing.templates``), the demo county built once per
worker, the collection order (slow modules first, the demo county's last) and ``SKIP_SLOW``.
Fixtures: ``demo_county``, ``evidence_dirs``, ``world``, ``sup``, ``fixed_clock``, ``server``,
``launch_browser``. An app's ``conftest.py`` keeps only what is its own (and may override these by name).

Loaded before Django is set up: nothing here imports a model at import time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command

from zhifa.core import clock
from zhifa.core.appendonly import flush_statements_with_bypass
from zhifa.testing import templates

# The suite's one clock (zhifa.core.clock) is set, never read from the wall: the suite passes on any real date.
# ZHIFA_TEST_TODAY runs it as of another day (CI and the date tests use awkward ones).
TEST_TODAY = os.environ.get("ZHIFA_TEST_TODAY", "").strip() or "2026-11-18"


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Appends sign a head once a minute in a deployment (zhifa.records.services); the suite's tests count the
    # heads they sign themselves, so it is off here and the tests of signing on append turn it on.
    settings.ZHIFA_LEDGER_SIGN_INTERVAL = 0
    # Each process remembers the public page version for a second in a deployment (zhifa.core.pagecache); tests
    # that change the row themselves expect the next page to see it, so the memo is off here and its own tests
    # turn it on with a clock they move.
    settings.PAGE_VERSION_MEMO_MS = 0
    # Likewise anonymous requests are counted in the shared cache at once here (a batch added "at least every
    # second" of the wall clock would make the queries of a request depend on timing); the batching's own tests
    # turn it on with a clock they move.
    settings.RATELIMIT_FLUSH_MS = 0
    # A deployment writes a session at most once a minute (zhifa.core.sessions); the suite writes it on every
    # request, so a page's pinned query count does not depend on how long the test took. The tests of the idle
    # timeout set the minute back.
    settings.SESSION_RENEW_AFTER_SECONDS = 0
    clock.set_to(clock.parse_day(TEST_TODAY))
    _let_test_flushes_empty_append_only_tables()
    templates.install(config, TEST_TODAY)  # test databases copied from the migrated template


def _let_test_flushes_empty_append_only_tables() -> None:
    """Transactional tests end with a flush; append-only triggers would refuse it (DELETE / TRUNCATE).

    In the test suite only, the flush drops those triggers, empties the tables and puts the triggers back.
    """
    # local import: at the plugin's top (loaded before django.db) these modules hit an import cycle in Django
    from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOps

    # local import: as above (and via base: no import cycle)
    from django.db.backends.sqlite3.base import DatabaseOperations as SqliteOps

    for ops_class in (SqliteOps, PostgresOps):
        original = ops_class.sql_flush
        if getattr(original, "_zhifa_bypass", False):
            continue

        def sql_flush(
            self: Any, style: Any, tables: Any, *args: Any, _original: Any = original, **kwargs: Any
        ) -> list[str]:
            _TEST_DB.flushes += 1  # whatever was committed is gone, a demo county too
            statements = _original(self, style, tables, *args, **kwargs)
            return flush_statements_with_bypass(self.connection, statements, list(tables))

        sql_flush._zhifa_bypass = True  # type: ignore[attr-defined]
        ops_class.sql_flush = sql_flush  # type: ignore[method-assign]


def pytest_report_header(config: pytest.Config) -> str:
    return f"zhifa database: {settings.DATABASES['default']['ENGINE']}; clock set to {TEST_TODAY}"


class _TestDatabase:
    """What this process (xdist worker) committed to its test database: the demo county, the seeded rows."""

    def __init__(self) -> None:
        self.demo: Any = None  # the demo county's build summary
        self.demo_modules: set[Any] = set()  # the test modules that use it (paths), from the collection
        self.flushes = 0  # flushes of the test database (``sql_flush``), transactional tests' teardowns too
        self.demo_at_flush = -1
        self.seeded_at_flush = 0  # the migrations seeded the rows

    def demo_present(self) -> bool:
        return self.demo is not None and self.demo_at_flush == self.flushes

    def seed(self) -> None:
        """Put back the rows the migrations seeded, if a flush removed them."""
        # local import: the plugin loads before Django is set up (django.setup()); this imports models
        from zhifa.evidence.required_defaults import ensure_default_rules
        from zhifa.org.domains import ensure_domains  # local import: as above

        if self.seeded_at_flush != self.flushes:
            ensure_domains()
            ensure_default_rules()  # 执法记录要求清单 (evidence migration 0004)
            self.seeded_at_flush = self.flushes

    def build(self, django_db_blocker: Any) -> Any:
        # local import: the plugin loads before Django is set up (django.setup()); this imports models
        from zhifa.org.demo import build_demo

        with django_db_blocker.unblock():
            self.seed()
            self.demo = build_demo(scale=0.05, quiet=True)
        self.demo_at_flush = self.flushes
        return self.demo

    def flush_demo(self, django_db_blocker: Any) -> None:
        """Leave the database as the migrations left it: empty but for the seeded rows."""

        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            self.seed()
        self.demo = None


_TEST_DB = _TestDatabase()


@pytest.fixture(scope="session")
def _demo_county_cleanup(
    django_db_setup: Any, django_db_blocker: Any, django_db_keepdb: bool
) -> Iterator[None]:
    """A test database kept for the next run (``--reuse-db``) is left without the demo county."""
    yield
    if django_db_keepdb and _TEST_DB.demo_present():
        _TEST_DB.flush_demo(django_db_blocker)


@pytest.fixture(scope="module")
def demo_county(_demo_county_cleanup: None, django_db_blocker: Any) -> Any:
    """A small deterministic demo county, committed to the test database once per process (xdist worker).

    Built before the module's tests open their transactions (so a live server thread sees it too) and kept
    for the following modules that use it: the collection runs those modules last (``--no-loadscope-reorder``
    keeps that order under xdist). Before a module that does not use it, it is flushed
    (``_database_as_the_module_expects``), so those modules start from the migrated database; it is built
    again if a flush (a transactional test's teardown) removed it. Tests that use it must not change it
    except inside the ``db`` fixture's transaction.
    """
    return _TEST_DB.demo if _TEST_DB.demo_present() else _TEST_DB.build(django_db_blocker)


@pytest.fixture(scope="module", autouse=True)
def _database_as_the_module_expects(request: pytest.FixtureRequest, django_db_blocker: Any) -> None:
    """Each module starts from the migrated database: the demo county only if it uses it, and the seeded rows
    (domains, default record rules) even after an earlier module's transactional test flushed them.

    Module fixtures set up before a test's, so this runs before the module's first test opens its transaction.
    """
    if _TEST_DB.demo_present() and request.node.path not in _TEST_DB.demo_modules:
        _TEST_DB.flush_demo(django_db_blocker)
    elif _TEST_DB.seeded_at_flush != _TEST_DB.flushes:
        with django_db_blocker.unblock():
            _TEST_DB.seed()


@pytest.fixture(autouse=True)
def _rate_limits_start_empty(request: pytest.FixtureRequest, django_db_blocker: Any) -> None:
    """Every anonymous request and login attempt counts against a per-IP rate (zhifa.portal.ratelimit) kept
    in this process and the shared database cache; a live-server test commits its counts, so each such test
    starts from none."""
    # local import: the plugin is loaded before Django is set up
    from zhifa.portal.ratelimit import COUNTER

    COUNTER.reset()  # the per-process counts (a test's rollback takes back only the shared ones)
    if "live_server" not in request.fixturenames:
        return

    with django_db_blocker.unblock(), contextlib.suppress(Exception):
        caches["shared"].clear()


@pytest.fixture(autouse=True)
def _public_page_cache_starts_empty() -> None:
    """Cached public pages (zhifa.core.pagecache) are keyed by the page version row, which a test's rollback
    takes back: a page cached by an earlier test must not answer a later one that reaches the same number."""
    caches["pages"].clear()


@pytest.hookimpl(trylast=True)  # after pytest-django's order (db tests, transactional tests, the rest)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep each module's tests together; modules marked ``slow`` first (they bound a parallel run), the demo
    county's last, so that it is built once per process.

    Inside a module the tests keep pytest-django's order. The order is the same in every xdist worker, and
    ``--no-loadscope-reorder`` makes the scheduler keep it (``--dist loadfile`` hands out whole modules).
    """
    _TEST_DB.demo_modules = {
        item.path for item in items if "demo_county" in getattr(item, "fixturenames", ())
    }
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    first: dict[Any, int] = {}
    for index, item in enumerate(items):
        first.setdefault(item.path, index)
    items.sort(key=lambda item: (item.path in _TEST_DB.demo_modules, item.path not in slow, first[item.path]))
    if _skip_slow():
        skip = pytest.mark.skip(reason="slow: SKIP_SLOW is set (make test-fast); make test runs it")
        for item in items:
            if item.get_closest_marker("slow"):
                item.add_marker(skip)


def _skip_slow() -> bool:
    """``SKIP_SLOW=1`` (``make test-fast``) skips the tests marked ``slow``; ``make test`` and CI run them."""
    return os.environ.get("SKIP_SLOW", "").strip().lower() not in ("", "0", "false", "no")


# --- the fixtures several apps share ------------------------------------------------------------------------


@pytest.fixture
def evidence_dirs(settings: Any, tmp_path: Path) -> Path:
    """Evidence attached by a test goes to its own directory (the guards read the required-record rules), and
    uploads spool to its own temporary directory. An app whose every test attaches evidence makes it autouse in
    its conftest (``def evidence_dirs(evidence_dirs): return evidence_dirs`` with ``autouse=True``)."""
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "zhifa.evidence.storage.EvidenceFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence")},
        },
    }
    (tmp_path / "upload-tmp").mkdir(exist_ok=True)
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    return tmp_path


@pytest.fixture
def world(db: Any) -> Any:
    """The case world (``zhifa.testing.worlds.CaseWorld``): 测县 (88xxxx), its market-supervision agency with
    three certified officers, head, legal reviewer, a provincial supervisor, a company and a citizen."""
    # local import: the plugin loads before Django is set up (django.setup()); this imports models
    from zhifa.testing.worlds import build_case_world

    return build_case_world()


@pytest.fixture
def sup(world: Any) -> Any:
    """The supervision world (``zhifa.testing.worlds.SupWorld``): ``world`` plus 测县司法局, a county supervisor
    and a supervisor and an agency of another province (89xxxx)."""
    # local import: the plugin loads before Django is set up (django.setup()); this imports models
    from zhifa.testing.worlds import build_sup_world

    return build_sup_world(world)


@pytest.fixture
def fixed_clock() -> Iterator[Callable[[dt.date | dt.datetime], dt.date]]:
    """Set the one clock (``zhifa.core.clock``) to a day or instant for the rest of the test:
    ``fixed_clock(dt.date(2027, 2, 6))`` returns that business day; the suite's day is back after the test."""

    with ExitStack() as stack:

        def set_to(at: dt.date | dt.datetime) -> dt.date:
            stack.enter_context(clock.set_during(at))
            return clock.today()

        yield set_to


@pytest.fixture
def server(demo_county: Any, db: None) -> Iterator[str]:
    """A live server on 127.0.0.1 on the demo county, sharing the test's connection; yields its base URL
    (``zhifa.testing.browser``: why not pytest-django's ``live_server``)."""
    # local import: the plugin loads before Django is set up, and zhifa.testing.browser reads settings at import
    from zhifa.testing.browser import live_server_sharing_connection

    with live_server_sharing_connection() as url:
        yield url


@pytest.fixture
def launch_browser(server: str) -> Iterator[Callable[[], Any]]:
    """Start Debian's chromium when the test has finished its database work (no ORM call after it)."""
    # local import: the plugin loads before Django is set up, and zhifa.testing.browser reads settings at import
    from zhifa.testing.browser import chromium_launcher

    with chromium_launcher() as launch:
        yield launch
