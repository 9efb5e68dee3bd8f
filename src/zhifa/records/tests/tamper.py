"""Helpers for the fault tests: run raw SQL on a ledger table with its append-only trigger out of the way.

Inside a test's transaction: SQLite drops the trigger (DDL is transactional there), PostgreSQL disables the
table's triggers; the test's rollback restores both.
"""

from __future__ import annotations

from typing import Any

from django.db import connection


def without_triggers(table: str, sql: str, params: list[Any] | None = None) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        else:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        cursor.execute(sql, params or [])
        changed = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
    return changed
