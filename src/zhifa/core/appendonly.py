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
