"""`verify` recomputes everything and names the first bad entry; the faults of issue 4 are caught."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.records import hooks
from zhifa.records.services import ledger_sign
from zhifa.records.tests.tamper import without_triggers
from zhifa.records.verify import verify_ledger

pytestmark = pytest.mark.django_db


def test_an_intact_ledger_verifies(append: Any) -> None:
    append(37, place="某地")
    ledger_sign()
    append(5)
    ledger_sign()
    result = verify_ledger(chunk_size=7)
    assert result.ok, result.failures
    assert (result.entries_checked, result.signed_heads_checked) == (42, 2)
    assert result.nodes_checked == 2 * 42 - bin(42).count("1")


def test_an_empty_ledger_verifies_and_a_signed_empty_head_too() -> None:
    ledger_sign()
    assert verify_ledger().ok


def test_a_row_changed_with_its_trigger_disabled_is_named(append: Any) -> None:
    append(20)
    changed = without_triggers(
        "records_ledgerentry", "UPDATE records_ledgerentry SET place = %s WHERE seq = %s", ["别处", 13]
    )
    assert changed == 1
    result = verify_ledger(chunk_size=6)
    assert not result.ok
    assert result.first_failure.seq == 13
    with pytest.raises(CommandError, match="第 13 号记录"):
        call_command("ledger", "verify")


def test_changes_rewritten_consistently_with_the_leaf_are_caught_by_the_nodes(append: Any) -> None:
    """Rewriting changes, digest, leaf data and leaf hash together still breaks the stored tree."""
    from zhifa.records import merkle
    from zhifa.records.ledger import changes_digest
    from zhifa.records.models import LedgerEntry

    append(9)
    entry = LedgerEntry.objects.get(seq=4)
    new_changes = '{"n":999}'
    digest = changes_digest(new_changes, "sm3")
    leaf = entry.leaf_data.replace(entry.changes_digest, digest)
    without_triggers(
        "records_ledgerentry",
        "UPDATE records_ledgerentry SET changes = %s, changes_digest = %s, leaf_data = %s, leaf_hash = %s"
        " WHERE seq = 4",
        [new_changes, digest, leaf, merkle.leaf_hash(leaf.encode(), "sm3")],
    )
    result = verify_ledger()
    assert result.first_failure.seq == 4
    assert "node" in result.first_failure.message_en


def test_nodes_rewritten_too_are_caught_by_the_signed_head(append: Any) -> None:
    from zhifa.records import merkle
    from zhifa.records.ledger import changes_digest
    from zhifa.records.models import LedgerEntry

    append(4)
    ledger_sign()
    entry = LedgerEntry.objects.get(seq=3)
    new_changes = '{"n":999}'
    digest = changes_digest(new_changes, "sm3")
    leaf = entry.leaf_data.replace(entry.changes_digest, digest)
    leaf_hash = merkle.leaf_hash(leaf.encode(), "sm3")
    without_triggers(
        "records_ledgerentry",
        "UPDATE records_ledgerentry SET changes = %s, changes_digest = %s, leaf_data = %s, leaf_hash = %s"
        " WHERE seq = 3",
        [new_changes, digest, leaf, leaf_hash],
    )
    # An attacker with database access rebuilds the whole tree over the forged leaf …
    leaves = [e.leaf_data.encode() for e in LedgerEntry.objects.order_by("seq")]
    l01 = merkle.node_hash(merkle.leaf_hash(leaves[0]), merkle.leaf_hash(leaves[1]))
    l23 = merkle.node_hash(merkle.leaf_hash(leaves[2]), leaf_hash)
    for level, index, h in ((0, 3, leaf_hash), (1, 1, l23), (2, 0, merkle.node_hash(l01, l23))):
        without_triggers(
            "records_ledgernode",
            'UPDATE records_ledgernode SET hash = %s WHERE level = %s AND "index" = %s',
            [h, level, index],
        )
    result = verify_ledger()
    # … and only the signed head, whose key the database does not hold, tells.
    assert [f.kind for f in result.failures] == ["signed_head"]
    assert "root" in result.first_failure.message_en


def test_a_deleted_row_fails_naming_the_missing_seq(append: Any) -> None:
    append(12)
    assert without_triggers("records_ledgerentry", "DELETE FROM records_ledgerentry WHERE seq = 5") == 1
    result = verify_ledger(chunk_size=4)
    assert result.first_failure.seq == 5
    with pytest.raises(CommandError, match="第 5 号记录"):
        call_command("ledger", "verify")


def test_the_deleted_last_row_fails_against_the_head(append: Any) -> None:
    append(6)
    without_triggers("records_ledgerentry", "DELETE FROM records_ledgerentry WHERE seq = 5")
    assert verify_ledger().first_failure.seq == 5


def test_a_deleted_node_fails(append: Any) -> None:
    append(8)
    without_triggers("records_ledgernode", 'DELETE FROM records_ledgernode WHERE level = 2 AND "index" = 1')
    result = verify_ledger()
    assert result.first_failure.seq == 7


def test_a_forged_signature_fails(append: Any) -> None:
    append(3)
    head = ledger_sign()
    without_triggers(
        "records_signedtreehead",
        "UPDATE records_signedtreehead SET tree_size = 2 WHERE id = %s",
        [head.id],
    )
    result = verify_ledger()
    assert {f.kind for f in result.failures} == {"signed_head"}
    assert "signature" in result.first_failure.message_en


def test_a_head_signed_by_an_untrusted_key_fails(append: Any, settings: Any, tmp_path: Any) -> None:
    append(2)
    ledger_sign()
    settings.DATA_DIR = tmp_path / "other"  # a new key: the old head's key is no longer trusted
    result = verify_ledger()
    assert "not trusted" in result.first_failure.message_en
    trusted = tmp_path / "other" / "keys" / "trusted"
    trusted.mkdir(parents=True)
    from zhifa.records.models import SignedTreeHead
    from zhifa.records.signing import public_key_pem

    (trusted / "old.pem").write_text(public_key_pem(bytes(SignedTreeHead.objects.get().public_key)))
    assert verify_ledger().ok


def test_evidence_failures_from_the_evidence_app_fail_the_verification(append: Any, monkeypatch: Any) -> None:
    append(2)
    line = "证据文件缺失：sm3/ab/abcdef.jpg / evidence file missing: sm3/ab/abcdef.jpg"
    failures = [line]
    # the evidence app's check, as it registers it (zhifa.records.hooks)
    monkeypatch.setattr(hooks, "_file_checks", [lambda: list(failures)])
    result = verify_ledger()
    assert [f.text() for f in result.failures] == [line]
    with pytest.raises(CommandError, match=r"abcdef\.jpg"):
        call_command("ledger", "verify")
    failures.clear()
    assert verify_ledger().ok


def test_an_entry_inserted_beyond_the_head_fails_naming_it(append: Any) -> None:
    from zhifa.records.models import LedgerEntry

    entries = append(4)
    forged = entries[-1]
    forged.seq = 4  # INSERT is allowed by the triggers; the head is not moved
    forged.save(force_insert=True)
    assert LedgerEntry.objects.count() == 5
    assert verify_ledger().first_failure.seq == 4


def test_appends_and_signatures_made_while_verify_runs_are_not_failures(
    append: Any, monkeypatch: Any
) -> None:
    """A nightly verify runs beside live appends: it checks the log as of its start."""
    from zhifa.records import verify as verify_module

    append(9)
    ledger_sign()
    original = verify_module._entry_chunks

    def chunks_with_live_appends(chunk_size: int, limit: int) -> Any:
        for rows in original(chunk_size, limit):
            append(3)  # another request appends, and the timer signs, while verify streams
            ledger_sign()
            yield rows

    monkeypatch.setattr(verify_module, "_entry_chunks", chunks_with_live_appends)
    result = verify_ledger(chunk_size=4)
    assert result.ok, result.failures
    assert (result.entries_checked, result.signed_heads_checked) == (9, 1)
    monkeypatch.undo()
    assert verify_ledger().ok  # and the next run covers what arrived meanwhile
