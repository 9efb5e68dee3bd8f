"""Shared test set-up: fast password hashing, the database leg in use, a session-wide demo county."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

# The suite's one clock (zhifa.core.clock) is set, never read from the wall: the suite passes on any real date.
# ZHIFA_TEST_TODAY runs it as of another day (CI and the date tests use awkward ones).
TEST_TODAY = os.environ.get("ZHIFA_TEST_TODAY", "").strip() or "2026-11-18"


def pytest_configure(config: pytest.Config) -> None:
    from zhifa.core import clock

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clock.set_to(clock.parse_day(TEST_TODAY))
    _let_test_flushes_empty_append_only_tables()


def _let_test_flushes_empty_append_only_tables() -> None:
    """Transactional tests end with a flush; append-only triggers would refuse it (DELETE / TRUNCATE).

    In the test suite only, the flush drops those triggers, empties the tables and puts the triggers back.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOps
    from django.db.backends.sqlite3.base import DatabaseOperations as SqliteOps  # via base: no import cycle

    from zhifa.core.appendonly import flush_statements_with_bypass

    for ops_class in (SqliteOps, PostgresOps):
        original = ops_class.sql_flush
        if getattr(original, "_zhifa_bypass", False):
            continue

        def sql_flush(
            self: Any, style: Any, tables: Any, *args: Any, _original: Any = original, **kwargs: Any
        ) -> list[str]:
            statements = _original(self, style, tables, *args, **kwargs)
            return flush_statements_with_bypass(self.connection, statements, list(tables))

        sql_flush._zhifa_bypass = True  # type: ignore[attr-defined]
        ops_class.sql_flush = sql_flush  # type: ignore[method-assign]


def pytest_report_header(config: pytest.Config) -> str:
    return f"zhifa database: {settings.DATABASES['default']['ENGINE']}; clock set to {TEST_TODAY}"


@pytest.fixture(scope="module")
def demo_county(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """A small deterministic demo county, committed to the test database for one test module.

    Module scope: built before the module's tests open their transactions (so a live server thread sees it
    too) and flushed after the module, so every other module starts from an empty database. Tests that use
    it must not change it except inside the ``db`` fixture's transaction.
    """
    from django.core.management import call_command

    from zhifa.evidence.required_defaults import ensure_default_rules
    from zhifa.org.demo import build_demo
    from zhifa.org.domains import ensure_domains

    with django_db_blocker.unblock():
        ensure_domains()  # a transactional test's flush also removes the rows migrations seeded
        ensure_default_rules()  # 执法记录要求清单 (evidence migration 0004), gone after an earlier flush too
        summary = build_demo(scale=0.05, quiet=True)
    yield summary
    # Leave the database as the next module expects it: empty but for the seeded rows.
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        ensure_domains()
