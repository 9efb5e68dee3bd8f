"""The fast verification's rules: the columns are checked against the stored leaf without false alarms, and
the incremental job (增量校验) checks what arrived since the newest verified checkpoint, catching tampering of
the new entries, of the checkpoint's nodes and of new signed heads, and moves the checkpoint only when all hold.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhifa.org.tests.factories import UserFactory
from zhifa.records import verify as verify_module
from zhifa.records.jobs import LedgerVerificationFailed, ledger_verify_job, ledger_verify_recent_job
from zhifa.records.models import LedgerHead, SignedTreeHead
from zhifa.records.selectors import ledger_root
from zhifa.records.services import ledger_sign
from zhifa.records.tests.tamper import without_triggers
from zhifa.records.verifications import LedgerCheckpoint, LedgerVerification
from zhifa.records.verify import verify_ledger, verify_ledger_since

pytestmark = pytest.mark.django_db


def _slow_checks(monkeypatch: Any) -> list[int]:
    """Record the entries the fast template could not confirm (checked again with ``leaf_text``)."""
    seen: list[int] = []
    original = verify_module._columns_disagreeing

    def spy(seqs: list[int], algorithm: str) -> list[int]:
        seen.extend(seqs)
        return original(seqs, algorithm)

    monkeypatch.setattr(verify_module, "_columns_disagreeing", spy)
    return seen


def test_the_fast_leaf_check_agrees_with_the_canonical_leaf_for_awkward_values(
    append: Any, monkeypatch: Any
) -> None:
    user = UserFactory(username='张"三\\')
    awkward = ['引号"和\\反斜杠', "换行\n制表\t回车\r", "控制\x01\x1f字符", "emoji 🏛️ \u2028", "", "</script>"]
    for i, place in enumerate(awkward):
        occurred = dt.datetime(
            2025, 3, 1, 8, 0, 0, 0 if i % 2 else 123456, tzinfo=dt.timezone(dt.timedelta(hours=8))
        )
        append(1, place=place, actor=user, object_id=place or "x", occurred_at=occurred if i % 3 else None)
    slow = _slow_checks(monkeypatch)
    result = verify_ledger(chunk_size=4)
    assert result.ok, result.failures
    assert slow == []  # every leaf confirmed by the template, none needed the slow path


def test_a_column_edited_without_its_leaf_is_caught_by_the_authoritative_check(
    append: Any, monkeypatch: Any
) -> None:
    append(9)
    without_triggers(
        "records_ledgerentry", "UPDATE records_ledgerentry SET object_id = %s WHERE seq = %s", ["999", 6]
    )
    slow = _slow_checks(monkeypatch)
    result = verify_ledger(chunk_size=4)
    assert slow == [6]
    assert [(f.seq, f.message_en) for f in result.failures] == [
        (6, "entry seq 6: stored fields do not match the leaf data.")
    ]
    assert result.first_failure.message == "第 6 号记录的字段与叶子数据不符。"


def test_the_incremental_job_waits_for_a_first_full_verification(append: Any) -> None:
    append(3)
    assert "等待首次全量校验" in ledger_verify_recent_job()
    assert not LedgerCheckpoint.objects.exists()


def test_the_incremental_job_checks_only_what_arrived_since_the_checkpoint_and_moves_it(append: Any) -> None:
    append(10)
    ledger_sign()
    ledger_verify_job()
    full = LedgerCheckpoint.objects.get()
    assert (full.kind, full.tree_size, full.root) == ("full", 10, ledger_root(10).hex())
    append(7)
    ledger_sign()
    message = ledger_verify_recent_job()
    assert "记录 7 条" in message and "签名树头 1 个" in message
    recent = LedgerCheckpoint.objects.order_by("-id").first()
    assert (recent.kind, recent.tree_size, recent.root) == ("recent", 17, ledger_root(17).hex())
    assert recent.signed_head_id == SignedTreeHead.objects.order_by("-id").first().id
    ledger_verify_recent_job()  # nothing new: no new checkpoint row
    assert LedgerCheckpoint.objects.count() == 2


def test_a_tampered_new_entry_fails_the_incremental_job_and_keeps_the_checkpoint(append: Any) -> None:
    append(10)
    ledger_verify_job()
    append(5)
    without_triggers(
        "records_ledgerentry", "UPDATE records_ledgerentry SET place = %s WHERE seq = %s", ["别处", 12]
    )
    with pytest.raises(LedgerVerificationFailed, match="第 12 号记录"):
        ledger_verify_recent_job()
    assert LedgerCheckpoint.objects.get().tree_size == 10  # not moved past the problem
    assert LedgerVerification.objects.order_by("-id").first().ok is False  # the status page shows it


def test_a_rewritten_node_under_the_checkpoint_fails_the_incremental_run(append: Any) -> None:
    append(10)  # the checkpoint's subtrees: [0, 8) and [8, 10)
    ledger_verify_job()
    append(2)
    without_triggers(
        "records_ledgernode",
        'UPDATE records_ledgernode SET hash = %s WHERE level = 3 AND "index" = 0',
        [bytes(32)],
    )
    with pytest.raises(LedgerVerificationFailed, match="检查点"):
        ledger_verify_recent_job()


def test_a_forged_new_signed_head_fails_the_incremental_run(append: Any) -> None:
    append(4)
    ledger_verify_job()
    append(3)
    head = ledger_sign()
    without_triggers(
        "records_signedtreehead", "UPDATE records_signedtreehead SET tree_size = 6 WHERE id = %s", [head.id]
    )
    with pytest.raises(LedgerVerificationFailed, match="签名树头"):
        ledger_verify_recent_job()


def test_a_log_shorter_than_the_checkpoint_fails_the_incremental_run(append: Any) -> None:
    append(6)
    ledger_verify_job()
    LedgerHead.objects.filter(pk=1).update(size=4)
    without_triggers("records_ledgerentry", "DELETE FROM records_ledgerentry WHERE seq >= 4")
    with pytest.raises(LedgerVerificationFailed, match="少于已校验的检查点"):
        ledger_verify_recent_job()


def test_a_signed_head_older_than_the_checkpoint_is_checked_by_consistency(append: Any) -> None:
    append(5)
    ledger_sign()
    append(6)
    result = verify_ledger_since(11, ledger_root(11))
    assert result.ok, result.failures
    assert (result.entries_checked, result.signed_heads_checked) == (0, 1)
    # a node the proof from [0, 5) to [0, 11) needs, outside the checkpoint's own subtrees
    without_triggers(
        "records_ledgernode",
        'UPDATE records_ledgernode SET hash = %s WHERE level = 0 AND "index" = 4',
        [bytes(32)],
    )
    failed = verify_ledger_since(11, ledger_root(11))
    assert [f.kind for f in failed.failures] == ["signed_head"]
    assert "root" in failed.first_failure.message_en
