"""Database triggers refuse UPDATE, DELETE (and TRUNCATE on PostgreSQL) on the ledger's tables."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from zhifa.records.services import ledger_sign

pytestmark = pytest.mark.django_db

STATEMENTS = {
    "records_ledgerentry": (
        "UPDATE records_ledgerentry SET action = 'case.x'",
        "DELETE FROM records_ledgerentry",
    ),
    "records_ledgernode": ("UPDATE records_ledgernode SET hash = hash", "DELETE FROM records_ledgernode"),
    "records_ledgermeta": (
        "UPDATE records_ledgermeta SET hash_algorithm = 'sha256'",
        "DELETE FROM records_ledgermeta",
    ),
    "records_signedtreehead": (
        "UPDATE records_signedtreehead SET tree_size = 0",
        "DELETE FROM records_signedtreehead",
    ),
}


def _refused(sql: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as exc:
        return "append-only" in str(exc)
    return False


@pytest.mark.parametrize("table", sorted(STATEMENTS))
def test_update_and_delete_are_refused_by_the_database(append: Any, table: str) -> None:
    append(3)
    ledger_sign()
    update, delete = STATEMENTS[table]
    assert _refused(update)
    assert _refused(delete)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - a table name of the test's own list
        assert cursor.fetchone()[0] > 0


def test_insert_is_allowed_and_the_head_row_may_change(append: Any) -> None:
    append(2)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE records_ledgerhead SET size = size")  # the head is the one mutable row
        cursor.execute("SELECT COUNT(*) FROM records_ledgerentry")
        assert cursor.fetchone()[0] == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE triggers exist on PostgreSQL only")
@pytest.mark.parametrize("table", sorted(STATEMENTS))
def test_truncate_is_refused_on_postgresql(append: Any, table: str) -> None:
    append(1)
    ledger_sign()
    assert _refused(f"TRUNCATE {table}")
