"""先行登记保存 (evidence preservation), 行政处罚法 第五十六条: only with the agency head's approval; a handling
decision within seven (working, 第八十五条) days — converting to 查封/扣押 after that is refused; no extension."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.cases import limits, selectors, services
from zhifa.cases.models import ReleaseReason, Seizure, SeizureKind, SeizureStatus
from zhifa.cases.tests.helpers import D0, CaseWorld, attach, ledger_count, opened, reload
from zhifa.core.errors import InvalidInput, RuleViolation

pytestmark = pytest.mark.django_db
D = dt.date


def _investigating(world: CaseWorld, on: dt.date = D0):
    return services.case_start_investigation(actor=world.officer_user, case=opened(world, on=on), on=on)


def _preserve(world: CaseWorld, case, on: dt.date = D0, approved_by=None) -> Seizure:
    return services.seizure_decide(
        actor=world.officer_user,
        case=case,
        kind="preserve",
        items=["销售台账 1 本"],
        approved_by=approved_by if approved_by is not None else world.head,
        on=on,
    )


def test_the_handling_decision_is_due_seven_working_days_later_across_national_day() -> None:
    # 2025-09-26 (Fri) + 7 working days: Sun 09-28 and Sat 10-11 are worked, 10-01..10-08 are holidays
    assert limits.preservation_due(D(2025, 9, 26)) == D(2025, 10, 13)
    assert limits.preservation_due(D0) == D(2025, 3, 12)  # plain weeks: Monday + 7 working days


def test_preservation_needs_the_heads_approval(world: CaseWorld) -> None:
    case = _investigating(world)
    before = ledger_count(case)
    with pytest.raises(RuleViolation) as refusal:
        services.seizure_decide(actor=world.officer_user, case=case, kind="preserve", items=["账簿"], on=D0)
    assert refusal.value.code == "preservation_needs_approval"
    with pytest.raises(InvalidInput):  # an approver who is not a head of the agency
        _preserve(world, case, approved_by=world.officer_user)
    assert not Seizure.objects.exists() and ledger_count(case) == before
    preservation = _preserve(world, case)
    assert preservation.approved_by == world.head and preservation.due_on == D(2025, 3, 12)
    assert ledger_count(case) == before + 1


def test_converting_to_a_seizure_on_the_last_day_is_allowed_and_ends_the_preservation(
    world: CaseWorld,
) -> None:
    case = _investigating(world)
    preservation = _preserve(world, case)
    attach(world.officer_user, case, "service_execution", kind="video")
    seizure = services.seizure_decide(
        actor=world.officer_user,
        case=case,
        kind="detain",
        items=preservation.items,
        from_preservation=preservation,
        approved_by=world.head,
        on=D(2025, 3, 12),  # the seventh working day
    )
    assert seizure.kind == SeizureKind.DETAIN and seizure.due_on == D(2025, 4, 11)
    preservation = Seizure.objects.get(pk=preservation.pk)
    assert (
        preservation.status == SeizureStatus.RELEASED
        and preservation.release_reason == ReleaseReason.CONVERTED
    )


def test_converting_after_the_seven_working_days_is_refused_and_writes_nothing(world: CaseWorld) -> None:
    case = _investigating(world)
    preservation = _preserve(world, case)
    attach(world.officer_user, case, "service_execution", kind="video")
    before = ledger_count(case)
    with pytest.raises(RuleViolation) as refusal:
        services.seizure_decide(
            actor=world.officer_user,
            case=case,
            kind="detain",
            items=preservation.items,
            from_preservation=preservation,
            approved_by=world.head,
            on=D(2025, 3, 13),
        )
    assert refusal.value.code == "preservation_lapsed" and "第五十六条" in refusal.value.message
    assert Seizure.objects.count() == 1 and ledger_count(case) == before
    assert Seizure.objects.get(pk=preservation.pk).status == SeizureStatus.ACTIVE
    # it shows as past its limit, and it can still be released (late, on the record)
    assert preservation in selectors.seizures_past_limit(world.supervisor, D(2025, 3, 13))
    released = services.seizure_release(
        actor=world.officer_user, seizure=preservation, reason="no_longer_needed", on=D(2025, 3, 13)
    )
    assert released.status == SeizureStatus.RELEASED


def test_a_preservation_is_not_extended_and_converted_only_through_a_seizure_decision(
    world: CaseWorld,
) -> None:
    case = _investigating(world)
    preservation = _preserve(world, case)
    with pytest.raises(RuleViolation) as refusal:
        services.seizure_extend(actor=world.head, seizure=preservation, days=5, reason="需要", on=D0)
    assert refusal.value.code == "preservation_not_extendable"
    with pytest.raises(InvalidInput):
        services.seizure_release(actor=world.officer_user, seizure=preservation, reason="converted", on=D0)
    other = _investigating(world)
    attach(world.officer_user, other, "service_execution", kind="video")
    with pytest.raises(InvalidInput):  # a preservation of another case
        services.seizure_decide(
            actor=world.officer_user,
            case=other,
            kind="seal",
            items=["仓库"],
            from_preservation=preservation,
            approved_by=world.head,
            on=D0,
        )


def test_an_active_preservation_blocks_ending_the_case(world: CaseWorld) -> None:
    case = _investigating(world)
    _preserve(world, case)
    with pytest.raises(RuleViolation) as refusal:
        services.case_withdraw(actor=world.head, case=case, reason="撤案", on=D0)
    assert refusal.value.code == "seizure_active"
    assert reload(case).stage == "investigation"


def test_the_api_takes_the_approver_and_the_conversion(world: CaseWorld) -> None:
    from zhifa.cases.tests.test_api import client_for

    case = _investigating(world)
    api = client_for(world.officer_user)
    url = f"/api/cases/{case.pk}/seizures"
    body = {"kind": "preserve", "items": ["账簿 1 本"], "on": "2025-03-03"}
    refused = api.post(url, body, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "preservation_needs_approval"
    unknown = api.post(url, {**body, "approved_by_id": 999_999}, content_type="application/json")
    assert unknown.status_code == 422
    created = api.post(url, {**body, "approved_by_id": world.head.pk}, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["kind"] == "preserve" and created.json()["due_on"] == "2025-03-12"
    attach(world.officer_user, case, "service_execution", kind="video")
    late = {
        "kind": "detain",
        "items": ["账簿 1 本"],
        "on": "2025-03-13",
        "from_preservation_id": created.json()["id"],
        "approved_by_id": world.head.pk,  # 行政强制法 第十八条
    }
    response = api.post(url, late, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "preservation_lapsed"
    missing = api.post(
        url, {**late, "on": "2025-03-12", "from_preservation_id": 999_999}, content_type="application/json"
    )
    assert missing.status_code == 422
