"""Sequencing after commit: a business transaction never waits for the ledger head.

When another transaction holds the head, ``record_append`` writes the entry as a pending row of the caller's
transaction; ``ledger_integrate`` gives pending rows their ``seq`` and integrates them into the tree in short
transactions of their own (Trillian's and Tessera's "sequence, then integrate").  The log stays one linear,
gap-free log, and every proof and verification holds over it.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import DatabaseError, connection, connections, transaction

from zhifa.core.jobs import job_named
from zhifa.records import services
from zhifa.records.models import LedgerEntry, LedgerHead, LedgerPending
from zhifa.records.selectors import ledger_inclusion_proof, ledger_root
from zhifa.records.services import ledger_integrate, record_append
from zhifa.records.verify import verify_ledger

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def head_busy(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """While the list holds True, appends find the head held by another transaction (as on PostgreSQL)."""
    busy = [True]
    real = services._try_lock_head
    monkeypatch.setattr(services, "_try_lock_head", lambda: None if busy[0] else real())
    return busy


def _append(n: int, **fields: Any) -> Any:
    return record_append(
        action="case.note", object_type="cases.case", object_id=str(n), changes={"n": n}, **fields
    )


def test_an_entry_appended_while_the_head_is_busy_commits_pending_and_is_sequenced_after(
    head_busy: list[bool],
) -> None:
    with transaction.atomic():
        first = _append(0)
    assert first.seq is None  # it did not wait
    head_busy[0] = False
    # on commit the transaction tried to integrate; the head was (still) busy, so the row waits
    assert LedgerPending.objects.count() == 1
    assert not LedgerEntry.objects.exists()

    assert ledger_integrate() == 1
    entry = LedgerEntry.objects.get()
    assert (entry.seq, entry.object_id, entry.changes) == (0, "0", '{"n":0}')
    assert entry.at == first.at  # the record's time is the business transaction's
    assert not LedgerPending.objects.exists()
    assert LedgerHead.objects.get(pk=1).size == 1
    proof = ledger_inclusion_proof(0)
    assert proof.root == ledger_root(1)
    assert verify_ledger().ok


def test_pending_rows_are_integrated_on_commit_when_the_head_is_free(head_busy: list[bool]) -> None:
    with transaction.atomic():
        _append(0)
        head_busy[0] = False  # the holder has gone by the time this transaction commits
    assert LedgerEntry.objects.get().seq == 0
    assert not LedgerPending.objects.exists()


def test_a_transaction_that_queued_keeps_queueing_so_its_entries_keep_their_order(
    head_busy: list[bool],
) -> None:
    with transaction.atomic():
        _append(0)
        head_busy[0] = False
        later = _append(1)  # the head is free now, but this transaction has an entry waiting before it
        assert later.seq is None
    assert list(LedgerEntry.objects.order_by("seq").values_list("object_id", flat=True)) == ["0", "1"]


def test_integration_keeps_one_gap_free_log_mixing_direct_and_pending_entries(head_busy: list[bool]) -> None:
    head_busy[0] = False
    for n in range(3):
        with transaction.atomic():
            assert _append(n).seq == n
    head_busy[0] = True
    for n in range(3, 1200):  # more than one integration batch
        with transaction.atomic():
            _append(n)
    head_busy[0] = False
    with transaction.atomic():
        assert _append(1200).seq == 3  # a direct append goes first; the queued ones follow it
    ledger_integrate()  # on PostgreSQL the direct append's commit has integrated them already
    assert not LedgerPending.objects.exists()
    seqs = list(LedgerEntry.objects.order_by("seq").values_list("seq", "object_id"))
    assert [s for s, _ in seqs] == list(range(1201))
    assert [o for _, o in seqs][:5] == ["0", "1", "2", "1200", "3"]
    result = verify_ledger()
    assert result.ok, result.first_failure
    assert ledger_inclusion_proof(700).root == ledger_root(1201)


def test_sequenced_append_waits_for_the_head_and_puts_the_transactions_queued_entries_first(
    head_busy: list[bool],
) -> None:
    with transaction.atomic():
        _append(0)
        head_busy[0] = False
        kept = _append(1, sequenced=True)
        assert kept.seq == 1  # known inside the transaction, for the row that keeps it
        assert LedgerEntry.objects.get(seq=0).object_id == "0"
    assert LedgerHead.objects.get(pk=1).size == 2
    assert not LedgerPending.objects.exists()


def test_a_rolled_back_transaction_leaves_no_pending_row(head_busy: list[bool]) -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():  # noqa: PT012
        _append(0)
        1 / 0  # noqa: B018
    assert not LedgerPending.objects.exists()
    head_busy[0] = False
    assert ledger_integrate() == 0
    with transaction.atomic():
        assert _append(1).seq == 0  # no gap


def test_a_pending_row_cannot_be_updated(head_busy: list[bool]) -> None:
    with transaction.atomic():
        _append(0)
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerPending.objects.update(object_id="changed")
    assert LedgerPending.objects.get().object_id == "0"


def test_integration_inside_a_callers_transaction_rolls_back_with_it(head_busy: list[bool]) -> None:
    with transaction.atomic():
        _append(0)
    head_busy[0] = False
    with pytest.raises(ZeroDivisionError), transaction.atomic():  # noqa: PT012
        assert ledger_integrate() == 1
        assert LedgerEntry.objects.count() == 1
        1 / 0  # noqa: B018
    assert LedgerPending.objects.count() == 1  # still waiting: nothing was lost
    assert not LedgerEntry.objects.exists()
    assert ledger_integrate() == 1


def test_the_worker_job_integrates_what_was_left_pending(head_busy: list[bool]) -> None:
    with transaction.atomic():
        _append(0)
    head_busy[0] = False
    job = job_named("ledger_integrate")
    assert job is not None
    assert "1" in job.fn()
    assert LedgerEntry.objects.get().seq == 0
    assert job.fn() == "无待排序记录"


def test_a_business_transaction_does_not_wait_for_one_that_holds_the_head() -> None:
    """PostgreSQL, two connections: A appends and keeps its transaction open; B appends and commits while A
    still holds the head. When A commits, B's entry is sequenced after A's."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time: there is nothing to wait for")
    LedgerHead.objects.get_or_create(pk=1)  # as the migration leaves it (the test flush removed it)
    a_holds, b_done, a_may_commit = threading.Event(), threading.Event(), threading.Event()
    seqs: dict[str, Any] = {}
    errors: list[BaseException] = []

    def run(
        name: str, before: threading.Event | None, signal: threading.Event, wait: threading.Event | None
    ) -> None:
        try:
            if before is not None:
                assert before.wait(30)
            with transaction.atomic():
                seqs[name] = _append(0 if name == "a" else 1).seq
                signal.set()
                if wait is not None:
                    assert wait.wait(30)
        except BaseException as exc:
            errors.append(exc)
            signal.set()
        finally:
            connections.close_all()

    a = threading.Thread(target=run, args=("a", None, a_holds, a_may_commit))
    b = threading.Thread(target=run, args=("b", a_holds, b_done, None))
    a.start()
    b.start()
    assert b_done.wait(30)  # B committed while A held the head: it did not wait
    b.join(30)
    assert not errors, errors
    assert seqs == {"a": 0, "b": None}
    assert LedgerPending.objects.count() == 1
    a_may_commit.set()
    a.join(30)
    assert not errors, errors
    # A's commit integrated what was queued while it held the head
    assert list(LedgerEntry.objects.order_by("seq").values_list("object_id", flat=True)) == ["0", "1"]
    assert not LedgerPending.objects.exists()
    assert verify_ledger().ok
