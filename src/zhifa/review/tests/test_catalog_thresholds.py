"""重大执法决定法制审核目录: each criterion flags the case, and the hard guard (行政处罚法 第五十八条) refuses
``case_decide`` until the review agreed — tested on both sides of every threshold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.cases import guards
from zhifa.cases.models import Case, Stage
from zhifa.core.errors import RuleViolation
from zhifa.review import selectors, services
from zhifa.review.tests.helpers import catalog, confiscation_case, decide, ready_case, review_round


def _refused(world, case) -> list[str]:
    with pytest.raises(RuleViolation) as exc:
        decide(world, case)
    assert exc.value.code == "legal_review_required"
    return exc.value.details["reasons"]


def test_organisation_fine_at_threshold_is_major_and_cannot_be_decided_unreviewed(world) -> None:
    catalog(world)
    reasons = _refused(world, ready_case(world, fine="5000"))
    assert any("法制审核目录" in r and "5000" in r for r in reasons)


def test_organisation_fine_just_below_threshold_is_decided(world) -> None:
    catalog(world)
    case = decide(world, ready_case(world, fine="4999.99"))
    assert case.stage == Stage.DECIDED


def test_citizen_fine_uses_the_citizen_threshold_on_both_sides(world) -> None:
    catalog(world)
    _refused(world, ready_case(world, fine="2000", party=world.citizen))
    assert decide(world, ready_case(world, fine="1999.99", party=world.citizen)).stage == Stage.DECIDED


def test_confiscation_threshold_on_both_sides(world) -> None:
    catalog(world)
    reasons = _refused(world, confiscation_case(world, "3000"))
    assert any("没收" in r for r in reasons)
    assert decide(world, confiscation_case(world, "2999.99")).stage == Stage.DECIDED


def test_without_a_catalog_the_same_fine_is_not_major(world) -> None:
    assert decide(world, ready_case(world, fine="5000")).stage == Stage.DECIDED


def test_agreed_review_lets_the_major_case_be_decided(world) -> None:
    catalog(world)
    case = ready_case(world, fine="5000")
    review_round(world, case, agreed=True)
    assert decide(world, case).stage == Stage.DECIDED


def test_returned_review_keeps_the_hard_guard_closed(world) -> None:
    catalog(world)
    case = ready_case(world, fine="5000")
    review_round(world, case, agreed=False, problems={"facts": "证据不足"})
    reasons = _refused(world, case)
    assert reasons
    with pytest.raises(RuleViolation, match="存在问题"):
        decide(world, case)


def test_public_interest_mark_makes_a_small_case_major(world) -> None:
    catalog(world)
    case = ready_case(world, fine="100")
    services.case_mark_public_interest(
        actor=world.officer_user, case=case, public_interest=True, note="涉及饮用水安全"
    )
    assert any("重大公共利益" in r for r in _refused(world, case))
    services.case_mark_public_interest(actor=world.officer_user, case=case, public_interest=False)
    assert decide(world, case).stage == Stage.DECIDED


def test_hearing_and_complex_and_listed_item_codes_are_criteria(world) -> None:
    catalog(world, item_codes=["SC-001"], effective_from=dt.date(2021, 1, 1))
    penalty = guards.Penalty(("warning",), Decimal(0), Decimal(0))
    case = Case(
        agency=world.agency, catalog_item_code="SC-001", is_complex=True, hearing_held_on=dt.date(2025, 1, 2)
    )
    reasons = selectors.catalog_reasons(case, penalty)
    assert any("SC-001" in r for r in reasons)
    assert any("听证" in r for r in reasons)
    assert any("疑难复杂" in r for r in reasons)
    plain = Case(agency=world.agency, catalog_item_code="SC-002")
    assert selectors.catalog_reasons(plain, penalty) == []


def test_catalog_versions_by_effective_date(world) -> None:
    old = catalog(world, effective_from=dt.date(2024, 1, 1), fine_organisation_yuan="5000")
    new = catalog(world, effective_from=dt.date(2025, 1, 1), fine_organisation_yuan="8000")
    old.refresh_from_db()
    assert old.effective_to == dt.date(2025, 1, 1)
    assert selectors.catalog_in_force(world.agency.pk, dt.date(2024, 12, 31)) == old
    assert selectors.catalog_in_force(world.agency.pk, dt.date(2025, 1, 1)) == new
    assert selectors.catalog_in_force(world.agency.pk, dt.date(2023, 12, 31)) is None
    # Today the 2025 version is in force: 5000 is no longer major for an organisation.
    assert decide(world, ready_case(world, fine="5000")).stage == Stage.DECIDED


def test_a_second_version_on_the_same_day_is_refused(world) -> None:
    catalog(world)
    with pytest.raises(RuleViolation) as exc:
        catalog(world)
    assert exc.value.code == "catalog_version_exists"


def test_only_the_agency_head_publishes_the_catalog(world) -> None:
    from zhifa.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.catalog_publish(
            actor=world.officer_user, agency=world.agency, effective_from=dt.date(2020, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.catalog_publish(
            actor=world.outsider, agency=world.agency, effective_from=dt.date(2020, 1, 1)
        )
