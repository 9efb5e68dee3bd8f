"""行政处罚法 第四十八条第二款 — a decision changed, revoked, confirmed unlawful or void: the head revokes or changes
the agency's own decision (or a 复议/诉讼 outcome does), and the published decision information must be withdrawn
within three working days (第八十五条)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from zhifa.cases import corrections, guards, services
from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import CaseWorld, notified, reload
from zhifa.cases.tests.test_remedies import served
from zhifa.cases.tests.test_rules import refused
from zhifa.core import clock
from zhifa.core.errors import PermissionDenied
from zhifa.core.workdays import package_knows
from zhifa.supervision.models import Flag

D = dt.date


def test_the_head_revokes_the_decision_and_the_withdrawal_period_starts(world: CaseWorld) -> None:
    case = served(world)
    case = corrections.case_revoke_decision(
        actor=world.head, case=case, reason="事实认定错误，自行纠正", on=D(2025, 4, 3)
    )
    assert case.decision_correction == "revoked" and case.decision_corrected_on == D(2025, 4, 3)
    assert case.withdrawal_due == D(2025, 4, 9)  # Thu 04-03 + 3 working days, 清明 04-04 off
    assert not guards.owes_money(case)  # nothing owed under a revoked decision


def test_an_officer_may_not_revoke(world: CaseWorld) -> None:
    case = served(world)
    refused(
        lambda: corrections.case_revoke_decision(
            actor=world.officer_user, case=case, reason="x", on=D(2025, 4, 3)
        ),
        "permission_denied",
        case,
        exc=PermissionDenied,
    )


def test_a_revoked_decision_cannot_be_revoked_or_changed_again(world: CaseWorld) -> None:
    case = served(world)
    corrections.case_revoke_decision(actor=world.head, case=case, reason="自行纠正", on=D(2025, 4, 3))
    refused(
        lambda: corrections.case_revoke_decision(
            actor=world.head, case=case, reason="再撤", on=D(2025, 4, 4)
        ),
        "decision_already_revoked",
        case,
    )


def test_an_undecided_case_has_no_decision_to_revoke(world: CaseWorld) -> None:
    case = notified(world)
    refused(
        lambda: corrections.case_revoke_decision(actor=world.head, case=case, reason="x", on=D(2025, 3, 11)),
        "stage_not_allowed",
        case,
    )


def test_the_head_changes_the_decision_to_a_lighter_one(world: CaseWorld) -> None:
    case = served(world)
    case = corrections.case_change_decision(
        actor=world.head,
        case=case,
        reason="当事人积极整改",
        kinds=["fine"],
        fine_yuan="600",
        on=D(2025, 4, 3),
    )
    assert case.decision_correction == "changed" and case.fine_yuan == Decimal("600")
    assert case.withdrawal_due == D(2025, 4, 9)


def test_a_change_may_not_make_the_penalty_heavier(world: CaseWorld) -> None:
    case = served(world)
    refused(
        lambda: corrections.case_change_decision(
            actor=world.head, case=case, reason="加重", kinds=["fine"], fine_yuan="1500", on=D(2025, 4, 3)
        ),
        "change_heavier",
        case,
    )
    assert reload(case).decision_correction == ""


def test_a_remedy_outcome_that_revokes_the_decision_starts_the_withdrawal_period(world: CaseWorld) -> None:
    case = served(world)
    services.case_record_remedy(
        actor=world.officer_user,
        case=case,
        kind="reconsideration",
        applied_on=D(2025, 4, 12),
        decided_on=D(2025, 5, 20),
        outcome="revoked",
        on=D(2025, 5, 21),
    )
    case = reload(case)
    assert case.decision_correction == "revoked" and case.withdrawal_due == D(2025, 5, 26)


def test_a_remedy_outcome_that_upholds_the_decision_changes_nothing(world: CaseWorld) -> None:
    case = served(world)
    services.case_record_remedy(
        actor=world.officer_user,
        case=case,
        kind="reconsideration",
        applied_on=D(2025, 4, 12),
        decided_on=D(2025, 5, 20),
        outcome="upheld",
        on=D(2025, 5, 21),
    )
    case = reload(case)
    assert case.decision_correction == "" and case.withdrawal_due is None


@pytest.mark.skipif(package_knows(2027), reason="chinese_calendar knows 2027")
def test_a_revocation_whose_withdrawal_period_reaches_an_unknown_year_goes_ahead_and_is_flagged(
    world: CaseWorld,
) -> None:
    case = served(world)
    with clock.set_during(D(2026, 12, 31)):
        case = corrections.case_revoke_decision(
            actor=world.head, case=case, reason="自行纠正", on=D(2026, 12, 31)
        )
    assert case.decision_correction == "revoked" and case.withdrawal_due is None
    assert Flag.objects.filter(key=f"case:{case.pk}:撤回公示期限").exists()


def test_the_case_page_offers_the_head_the_revocation(world: CaseWorld) -> None:
    case = served(world)
    client = Client()
    client.force_login(world.head)
    assert "撤销行政处罚决定" in client.get(f"/cases/{case.pk}/").content.decode()
    response = client.post(
        f"/cases/{case.pk}/act/revoke_decision/",
        {"revoke_decision-on": "2025-04-03", "revoke_decision-reason": "事实认定错误"},
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "被撤销" in page and "2025-04-09" in page and "None" not in page
    assert Case.objects.get(pk=case.pk).decision_correction == "revoked"
