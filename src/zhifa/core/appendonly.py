"""Database triggers that make a table append-only, on SQLite and PostgreSQL alike.

Used by migrations: ``migrations.RunPython(*append_only_operations("core_auditlog"))``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _forward(table: str) -> Callable[[Any, Any], None]:
    def run(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for statement in create_statements(table, vendor):
            schema_editor.execute(statement)

    return run


def _backward(table: str) -> Callable[[Any, Any], None]:
    def run(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for statement in drop_statements(table, vendor):
            schema_editor.execute(statement)

    return run


def append_only_operations(table: str) -> tuple[Callable[[Any, Any], None], Callable[[Any, Any], None]]:
    return _forward(table), _backward(table)


def create_statements(table: str, vendor: str) -> list[str]:
    message = f"{table} is append-only"
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END;",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END;",
        ]
    if vendor == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{message}'; END; $$;",
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse();",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse();",
        ]
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def drop_statements(table: str, vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_update;", f"DROP TRIGGER IF EXISTS {table}_no_delete;"]
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        f"DROP FUNCTION IF EXISTS {table}_refuse();",
    ]


def append_only_tables(connection: Any) -> list[str]:
    """Tables that carry the append-only triggers, read from the database itself."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_update'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE '%%_no_update'"
            )
        return sorted({row[0] for row in cursor.fetchall()})


def flush_statements_with_bypass(connection: Any, statements: list[str], tables: list[str]) -> list[str]:
    """Wrap a test-database flush so that append-only tables can be emptied between tests.

    Only the test suite uses this (conftest patches ``sql_flush``): a production ledger is never flushed.
    """
    guarded = [t for t in append_only_tables(connection) if t in set(tables)]
    if not guarded:
        return statements
    drop = [s for t in guarded for s in drop_statements(t, connection.vendor)]
    create = [s for t in guarded for s in create_statements(t, connection.vendor)]
    return drop + list(statements) + create
