"""Draft → submit → approve by a second person → published; withdrawal; trade secrets; flags; statistics."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from zhifa.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from zhifa.disclosure import selectors, services
from zhifa.disclosure.models import AnnualStatistics, Publication, PublicationStatus
from zhifa.disclosure.tests.helpers import publication_of, publish
from zhifa.records.models import LedgerEntry
from zhifa.search.services import search
from zhifa.testing.worlds import decide_simple


def _actions(p: Publication) -> list[str]:
    return list(
        LedgerEntry.objects.filter(object_type="disclosure.publication", object_id=str(p.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_decision_creates_a_desensitised_draft_in_the_same_transaction(world, simple_decision) -> None:
    p = publication_of(simple_decision)
    assert p.status == PublicationStatus.DRAFT
    assert world.agency.name in p.body
    # no 决定书 issued yet: the 文号 stays empty rather than borrowing the 立案 number
    assert p.document_number == "" and simple_decision.number not in p.body
    assert "罚款 150.00 元" in p.content
    assert _actions(p) == ["disclosure.obligation"]


def test_the_drafter_cannot_approve_their_own_publication(world, simple_decision) -> None:
    p = publication_of(simple_decision)
    services.publication_submit(actor=world.head, publication=p)
    with pytest.raises(RuleViolation) as exc:
        services.publication_approve(actor=world.head, publication=p)
    assert exc.value.code == "publication_same_person"
    assert publication_of(simple_decision).status == PublicationStatus.SUBMITTED


def test_an_officer_cannot_approve(world, simple_decision) -> None:
    p = publication_of(simple_decision)
    services.publication_submit(actor=world.head, publication=p)
    with pytest.raises(PermissionDenied):
        services.publication_approve(actor=world.officer_user, publication=p)


def test_another_agency_neither_sees_nor_approves(world, simple_decision) -> None:
    p = publication_of(simple_decision)
    services.publication_submit(actor=world.officer_user, publication=p)
    with pytest.raises(NotFound):
        selectors.publication_get(world.outsider, p.pk)
    with pytest.raises(PermissionDenied):
        services.publication_approve(actor=world.outsider, publication=p)
    assert selectors.publication_get(world.supervisor, p.pk) == p  # the region's supervisor reads it


def test_approval_by_a_second_person_publishes_and_indexes(world, simple_decision) -> None:
    p = publish(world, simple_decision)
    assert p.status == PublicationStatus.PUBLISHED and p.approved_by == world.head
    assert p.published_late is True  # decided 2025-03-03, published today
    assert [h.source_id for h in search("过期食品").items] == [str(p.pk)]
    assert list(selectors.public_publications()) == [p]
    assert _actions(p) == ["disclosure.obligation", "disclosure.submit", "disclosure.publish"]


def test_approval_before_the_due_date_is_on_time(world) -> None:
    case = decide_simple(world, on=dt.date(2025, 3, 3))
    p = publication_of(case)
    services.publication_submit(actor=world.officer_user, publication=p)
    p = services.publication_approve(actor=world.head, publication=p, on=dt.date(2025, 3, 12))
    assert p.published_late is False


def test_withdrawal_removes_from_list_search_and_export_and_keeps_the_reason(world, simple_decision) -> None:
    p = publish(world, simple_decision)
    assert list(selectors.export_rows("penalty"))
    p = services.publication_withdraw(
        actor=world.head, publication=p, kind="revoked", reason="复议机关撤销原处罚决定"
    )
    assert p.status == PublicationStatus.WITHDRAWN
    assert list(selectors.public_publications()) == []
    assert search("过期食品").items == []
    assert list(selectors.export_rows("penalty")) == []
    assert selectors.public_publication(p.pk).withdraw_reason == "复议机关撤销原处罚决定"
    entry = LedgerEntry.objects.filter(object_id=str(p.pk), action="disclosure.withdraw").get()
    changes = json.loads(entry.changes) if isinstance(entry.changes, str) else entry.changes
    assert changes["reason"] == "复议机关撤销原处罚决定" and changes["kind"] == "revoked"


def test_withdrawal_needs_a_reason_a_known_kind_and_the_right_role(world, simple_decision) -> None:
    p = publish(world, simple_decision)
    with pytest.raises(InvalidInput):
        services.publication_withdraw(actor=world.head, publication=p, kind="revoked", reason="  ")
    with pytest.raises(InvalidInput):
        services.publication_withdraw(actor=world.head, publication=p, kind="whim", reason="x")
    with pytest.raises(PermissionDenied):
        services.publication_withdraw(actor=world.officer_user, publication=p, kind="revoked", reason="x")
    assert publication_of(simple_decision).status == PublicationStatus.PUBLISHED


def test_a_draft_cannot_be_withdrawn(world, simple_decision) -> None:
    with pytest.raises(RuleViolation):
        services.publication_withdraw(
            actor=world.head, publication=publication_of(simple_decision), kind="revoked", reason="x"
        )


def test_trade_secret_is_excluded_from_text_and_index_with_its_reason(world) -> None:
    case = decide_simple(world, facts="当事人使用秘方配比XJ-9销售过期食品。")
    p = publish(world, case)
    assert search("秘方").items
    p = services.publication_redact(
        actor=world.head, publication=p, text="使用秘方配比XJ-9", reason="当事人申请"
    )
    assert "秘方" not in p.body and "不予公开" in p.body
    assert search("秘方").items == []
    assert p.redactions == [{"text": "使用秘方配比XJ-9", "reason": "当事人申请"}]
    entry = LedgerEntry.objects.get(object_id=str(p.pk), action="disclosure.redact")
    assert "秘方" not in str(entry.changes)  # the ledger keeps the reason, not the secret
    with pytest.raises(InvalidInput):
        services.publication_redact(actor=world.head, publication=p, text="不在文中的话", reason="x")


def test_overdue_open_publication_is_a_supervision_flag_until_published(world, simple_decision) -> None:
    flags = list(selectors.overdue_publication_flags())
    p = publication_of(simple_decision)
    assert [f.key for f in flags] == [f"publication:{p.pk}"]
    assert flags[0].agency_id == world.agency.pk and flags[0].due == dt.date(2025, 3, 12)
    publish(world, simple_decision)
    assert list(selectors.overdue_publication_flags()) == []


def test_annual_statistics_count_the_year_and_record_lateness(world) -> None:
    decide_simple(world, on=dt.date(2025, 3, 3))
    decide_simple(world, on=dt.date(2025, 5, 6), fine_yuan="200")
    stats = services.annual_statistics_publish(
        actor=world.head, agency=world.agency, year=2025, on=dt.date(2026, 1, 30)
    )
    assert stats.data["penalty_decisions"] == 2 and stats.data["penalty_simple"] == 2
    assert stats.data["fines_yuan"] == "350.00" and stats.published_late is False
    assert stats.due_on == dt.date(2026, 1, 31)
    with pytest.raises(RuleViolation):
        services.annual_statistics_publish(actor=world.head, agency=world.agency, year=2025)
    with pytest.raises(PermissionDenied):
        services.annual_statistics_publish(actor=world.officer_user, agency=world.agency, year=2024)


def test_statistics_published_after_31_january_are_late(world) -> None:
    stats = services.annual_statistics_publish(
        actor=world.head, agency=world.agency, year=2024, on=dt.date(2025, 2, 1)
    )
    assert stats.published_late is True
    assert AnnualStatistics.objects.count() == 1


def test_demo_step_publishes_decided_cases_and_is_quiet_without_any(world) -> None:
    from types import SimpleNamespace

    from zhifa.disclosure.demo import build_disclosure_demo

    said: list[str] = []
    ctx = SimpleNamespace(today=dt.date(2025, 3, 20), say=said.append, scale=1.0, seed=1)
    assert build_disclosure_demo(ctx) == 0
    decide_simple(world)
    assert build_disclosure_demo(ctx) == 1
    assert Publication.objects.get().status == PublicationStatus.PUBLISHED and len(said) == 2
