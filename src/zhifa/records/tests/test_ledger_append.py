"""record_append: the one call every app makes inside its own transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from zhifa.core.errors import InvalidInput
from zhifa.org.models import User
from zhifa.records import merkle
from zhifa.records.canonical import canonical_json
from zhifa.records.models import LedgerEntry, LedgerHead, LedgerMeta, LedgerNode
from zhifa.records.services import record_append

pytestmark = pytest.mark.django_db


def test_record_append_outside_a_transaction_is_refused(monkeypatch: Any) -> None:
    # The test itself runs inside pytest-django's transaction; a transactional test cannot be used because
    # Django's flush (TRUNCATE on PostgreSQL) is refused by the append-only triggers.  So the connection is
    # made to look as it does outside any atomic block.
    monkeypatch.setattr(transaction.get_connection(), "in_atomic_block", False)
    with pytest.raises(RuntimeError, match="transaction"):
        record_append(action="case.open", object_type="cases.case", object_id="1")
    monkeypatch.undo()
    assert not LedgerEntry.objects.exists()


def test_record_append_inside_a_transaction_is_accepted() -> None:
    with transaction.atomic():
        entry = record_append(action="case.open", object_type="cases.case", object_id="1")
    assert entry.seq == 0
    assert LedgerEntry.objects.count() == 1


def test_sequence_numbers_start_at_zero_without_gaps(append: Any) -> None:
    entries = append(5)
    assert [e.seq for e in entries] == [0, 1, 2, 3, 4]
    assert LedgerHead.objects.get(pk=1).size == 5


def test_entry_rolls_back_with_the_change_it_records(append: Any) -> None:
    append(2)
    with pytest.raises(ZeroDivisionError), transaction.atomic():  # noqa: PT012 - the change fails after the append
        record_append(action="case.open", object_type="cases.case", object_id="9")
        1 / 0  # noqa: B018 - the caller's change fails after recording
    assert LedgerEntry.objects.count() == 2
    assert LedgerHead.objects.get(pk=1).size == 2
    assert append(1)[0].seq == 2  # no gap left by the rolled-back entry


def test_entry_records_actor_officer_object_place_and_times() -> None:
    user = User.objects.create_user(username="zhangsan", password="x-Long-pass-1")
    occurred = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with transaction.atomic():
        entry = record_append(
            actor=user,
            action="case.open",
            obj=user,
            changes={"stage": ["", "open"]},
            place="某街道",
            occurred_at=occurred,
        )
    entry = LedgerEntry.objects.get(seq=entry.seq)
    assert (entry.actor_id, entry.actor_username) == (user.pk, "zhangsan")
    assert (entry.object_type, entry.object_id) == ("org.user", str(user.pk))
    assert entry.place == "某街道"
    assert entry.occurred_at == occurred
    assert entry.at.tzinfo is not None
    leaf = json.loads(entry.leaf_data)
    assert leaf["actor"] == {"id": user.pk, "username": "zhangsan"}
    assert leaf["object"] == {"type": "org.user", "id": str(user.pk)}
    assert leaf["occurred_at"] == "2025-03-01T01:30:00Z"
    assert leaf["seq"] == entry.seq


def test_changes_are_stored_as_canonical_json_with_their_digest() -> None:
    changes = {"fine_yuan": Decimal("200.00"), "名称": "查封", "at": dt.date(2025, 1, 2)}
    with transaction.atomic():
        entry = record_append(action="case.decide", object_type="cases.case", object_id="7", changes=changes)
    assert entry.changes.encode() == canonical_json(changes)
    assert entry.changes_digest == merkle.hash_bytes(canonical_json(changes), "sm3").hex()
    assert json.loads(entry.leaf_data)["changes_digest"] == entry.changes_digest


def test_leaf_hash_is_the_rfc6962_leaf_of_the_leaf_data(append: Any) -> None:
    (entry,) = append(1)
    assert bytes(entry.leaf_hash) == merkle.leaf_hash(entry.leaf_data.encode(), "sm3")
    node = LedgerNode.objects.get(level=0, index=0)
    assert bytes(node.hash) == bytes(entry.leaf_hash)


def test_append_writes_every_newly_completed_subtree(append: Any) -> None:
    entries = append(8)
    leaves = [e.leaf_data.encode() for e in entries]
    assert LedgerNode.objects.count() == 8 + 4 + 2 + 1
    top = LedgerNode.objects.get(level=3, index=0)
    assert bytes(top.hash) == merkle.root(leaves, "sm3")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"action": "Open case", "object_type": "cases.case", "object_id": "1"}, "invalid_input"),
        ({"action": "case.open", "object_type": "", "object_id": "1"}, "invalid_input"),
        ({"action": "case.open", "object_type": "cases.case", "object_id": ""}, "invalid_input"),
        (
            {"action": "case.open", "object_type": "cases.case", "object_id": "1", "changes": {"x": {1, 2}}},
            "",
        ),
        ({"action": "case.open", "object_type": "cases.case", "object_id": "1", "place": "街" * 201}, ""),
        (
            {
                "action": "case.open",
                "object_type": "cases.case",
                "object_id": "1",
                "occurred_at": dt.datetime(2025, 1, 1, 8, 0),
            },
            "",
        ),
    ],
)
def test_malformed_records_are_refused_and_nothing_is_stored(fields: dict[str, Any], code: str) -> None:
    with pytest.raises(InvalidInput), transaction.atomic():
        record_append(**fields)
    assert not LedgerEntry.objects.exists()


def test_unsaved_object_is_refused() -> None:
    with pytest.raises(InvalidInput), transaction.atomic():
        record_append(action="case.open", obj=User(username="nobody"))


def test_hash_algorithm_is_fixed_at_the_first_entry(append: Any, settings: Any) -> None:
    settings.ZHIFA_LEDGER_HASH = "sha256"
    (first,) = append(1)
    assert LedgerMeta.objects.get(pk=1).hash_algorithm == "sha256"
    assert bytes(first.leaf_hash) == merkle.leaf_hash(first.leaf_data.encode(), "sha256")
    append(1)  # the same setting is accepted
    settings.ZHIFA_LEDGER_HASH = "sm3"
    with pytest.raises(ImproperlyConfigured, match="sha256"):
        append(1)
    assert LedgerEntry.objects.count() == 2


def test_unknown_hash_algorithm_is_refused(settings: Any) -> None:
    settings.ZHIFA_LEDGER_HASH = "md5"
    with pytest.raises(ImproperlyConfigured), transaction.atomic():
        record_append(action="case.open", object_type="cases.case", object_id="1")


def test_a_failed_append_leaves_no_half_entry_even_if_the_caller_swallows_the_error(append: Any) -> None:
    from django.db import IntegrityError

    append(3)
    LedgerNode.objects.create(level=0, index=3, hash=b"\0" * 32)  # makes the next append fail mid-way
    # A careless caller swallows the error: its transaction is still rolled back as a whole.
    with transaction.atomic(), contextlib.suppress(IntegrityError):
        record_append(action="case.open", object_type="cases.case", object_id="1")
    assert LedgerEntry.objects.count() == 3
    assert LedgerHead.objects.get(pk=1).size == 3
