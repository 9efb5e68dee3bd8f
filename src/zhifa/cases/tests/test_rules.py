"""One test per legal guard, each on both sides of its number; a refusal leaves nothing written.

Dates are real past dates whose holidays ``chinese_calendar`` knows: National Day 2025 runs 10-01..10-08
with Sunday 09-28 and Saturday 10-11 worked (调休), so "7 working days" from Friday 2025-09-26 ends on
Monday 2025-10-13.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from zhifa.cases import guards, limits, selectors, services
from zhifa.cases.hearing import case_serve_notice
from zhifa.cases.models import Case, CaseNumberCounter, Seizure, Stage
from zhifa.cases.tests.helpers import D0, CaseWorld, attach, ledger_count, notified, opened, register, reload
from zhifa.core.errors import DomainError, InvalidInput, PermissionDenied, RuleViolation
from zhifa.org.models import CertificateStatus

D = dt.date


def refused(
    fn: Callable[[], Any], code: str, case: Case | None = None, exc: type[DomainError] = RuleViolation
) -> None:
    """The call is refused with ``code`` and leaves the case, its stage and the ledger as they were."""
    before = (ledger_count(case), reload(case).stage, reload(case).updated_at) if case is not None else None
    with pytest.raises(exc) as info:
        fn()
    assert info.value.code == code, (info.value.code, info.value.message)
    if case is not None:
        assert (ledger_count(case), reload(case).stage, reload(case).updated_at) == before


def ready_to_decide(world: CaseWorld, **kwargs: Any) -> Case:
    """Notified on 2025-03-10; the party waived its rights, so the decision need not wait."""
    case = notified(world, **kwargs)
    return services.case_waive_rights(actor=world.officer_user, case=case, on=D(2025, 3, 10))


# --- 行政处罚法 第五十一条: simple procedure limits ------------------------------------------------------------------


def _simple(world: CaseWorld, party: Any, fine: str | None, kinds: tuple[str, ...] = ("fine",)) -> Case:
    return services.case_simple_decide(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=world.officer_user,
        agency=world.agency,
        domain=world.market,
        party=party,
        officers=world.officers[:2],
        kinds=list(kinds),
        fine_yuan=fine,
        title="当场处罚",
        on=D(2025, 6, 3),
    )


def test_simple_procedure_caps_a_citizens_fine_at_200_yuan(world: CaseWorld) -> None:
    assert _simple(world, world.citizen, "200").fine_yuan == Decimal("200")
    refused(lambda: _simple(world, world.citizen, "200.01"), "simple_fine_over_limit")


def test_simple_procedure_caps_an_organisations_fine_at_3000_yuan(world: CaseWorld) -> None:
    assert _simple(world, world.company, "3000").fine_yuan == Decimal("3000")
    refused(lambda: _simple(world, world.company, "3000.01"), "simple_fine_over_limit")


def test_simple_procedure_counts_an_individual_business_as_a_citizen(world: CaseWorld) -> None:
    world.company.kind = "individual_business"
    world.company.save(update_fields=["kind"])
    refused(lambda: _simple(world, world.company, "200.01"), "simple_fine_over_limit")


def test_simple_procedure_allows_only_warning_or_fine(world: CaseWorld) -> None:
    assert _simple(world, world.company, None, ("warning",)).penalty_kinds == ["warning"]
    refused(lambda: _simple(world, world.company, None, ("revoke_licence",)), "simple_kind_not_allowed")


def test_refused_simple_decision_writes_nothing_and_uses_no_number(world: CaseWorld) -> None:
    refused(lambda: _simple(world, world.citizen, "201"), "simple_fine_over_limit")
    assert not Case.objects.filter(agency=world.agency).exists()
    assert not CaseNumberCounter.objects.filter(agency=world.agency, last__gt=0).exists()
    case = _simple(world, world.citizen, "50")
    assert case.number == "测县市监立〔2025〕1号"


def test_simple_decision_needs_two_entitled_officers(world: CaseWorld) -> None:
    world.officers[1].certificates.update(status=CertificateStatus.SUSPENDED)
    refused(lambda: _simple(world, world.citizen, "50"), "officers_insufficient")


# --- 行政处罚法 第五十二条: filing of on-the-spot decisions --------------------------------------------------------------


def test_on_the_spot_decision_is_filed_within_the_filing_period(world: CaseWorld) -> None:
    case = services.case_simple_decide(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=world.officer_user,
        agency=world.agency,
        domain=world.market,
        party=world.citizen,
        officers=world.officers[:2],
        kinds=["warning"],
        title="当场警告",
        on=D(2025, 9, 30),
    )
    assert case.filing_due == D(2025, 10, 11)  # 3 working days across National Day
    refused(
        lambda: services.case_simple_file(actor=world.officer_user, case=case, on=D(2025, 10, 13)),
        "filing_overdue",
        case,
    )
    refused(lambda: services.case_close(actor=world.head, case=case, on=D(2025, 10, 13)), "not_filed", case)
    case = services.case_simple_file(actor=world.officer_user, case=case, on=D(2025, 10, 11))
    assert case.filed_on == D(2025, 10, 11)


# --- 行政处罚法 第四十二条、第五十五条: two entitled officers -------------------------------------------------------------


def test_opening_needs_two_handling_officers(world: CaseWorld) -> None:
    case = register(world)
    refused(
        lambda: services.case_open(
            actor=world.officer_user,
            approved_by=world.head,
            case=case,
            officers=world.officers[:1],
            act_date=D0,
            on=D0,
        ),
        "officers_insufficient",
        case,
    )
    assert reload(case).number is None


def test_investigation_needs_two_officers_entitled_on_that_day(world: CaseWorld) -> None:
    case = opened(world)
    world.officers[1].certificates.update(status=CertificateStatus.SUSPENDED)
    refused(
        lambda: services.case_start_investigation(actor=world.officer_user, case=case, on=D0),
        "officers_insufficient",
        case,
    )
    world.officers[1].certificates.update(status=CertificateStatus.VALID)
    assert (
        services.case_start_investigation(actor=world.officer_user, case=case, on=D0).stage
        == Stage.INVESTIGATION
    )


def test_auxiliary_staff_do_not_count_as_an_officer(world: CaseWorld) -> None:
    case = opened(world)
    world.officers[1].is_auxiliary = True
    world.officers[1].save(update_fields=["is_auxiliary"])
    refused(
        lambda: services.case_start_investigation(actor=world.officer_user, case=case, on=D0),
        "officers_insufficient",
        case,
    )


# --- 行政处罚法 第三十六条: limitation flagged at opening -------------------------------------------------------------------


def test_limitation_is_two_years_from_the_act_to_its_discovery(world: CaseWorld) -> None:
    within = opened(world, act_date=D(2023, 3, 3))  # discovered 2025-03-03: the last day
    beyond = opened(world, act_date=D(2023, 3, 2))
    assert not within.limitation_expired and beyond.limitation_expired


def test_limitation_is_five_years_for_life_health_or_financial_harm(world: CaseWorld) -> None:
    assert not opened(world, act_date=D(2020, 3, 3), serious_harm=True).limitation_expired
    assert opened(world, act_date=D(2020, 3, 2), serious_harm=True).limitation_expired


def test_case_beyond_limitation_cannot_be_punished_but_can_end_without_penalty(world: CaseWorld) -> None:
    case = ready_to_decide(world, act_date=D(2023, 1, 1))
    assert case.limitation_expired
    refused(
        lambda: services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 3, 20)
        ),
        "limitation_expired",
        case,
    )
    case = services.case_not_punish(actor=world.head, case=case, reason="limitation", on=D(2025, 3, 20))
    assert case.stage == Stage.NOT_PUNISHED


# --- 行政处罚法 第六十条: ninety days, approved extensions ------------------------------------------------------------------


def test_decision_on_day_90_is_allowed_and_day_91_refused(world: CaseWorld) -> None:
    case = ready_to_decide(world)
    assert case.decision_due == D0 + dt.timedelta(days=90) == D(2025, 6, 1)
    refused(
        lambda: services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 6, 2)
        ),
        "decision_overdue",
        case,
    )
    case = services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 6, 1)
    )
    assert case.stage == Stage.DECIDED


def test_extension_approved_by_the_head_before_the_end_moves_the_limit(world: CaseWorld) -> None:
    case = ready_to_decide(world)
    refused(
        lambda: services.case_extend_deadline(
            actor=world.officer_user,
            case=case,
            days=30,
            reason="案情复杂",
            basis="某规章第二十七条",
            on=D(2025, 5, 30),
        ),
        "permission_denied",
        case,
        PermissionDenied,
    )
    refused(
        lambda: services.case_extend_deadline(
            actor=world.head,
            case=case,
            days=31,
            reason="案情复杂",
            basis="某规章第二十七条",
            on=D(2025, 5, 30),
        ),
        "extension_too_long",
        case,
    )
    services.case_extend_deadline(
        actor=world.head, case=case, days=30, reason="案情复杂", basis="某规章第二十七条", on=D(2025, 6, 1)
    )
    case = reload(case)
    assert case.decision_due == D(2025, 7, 1) and case.extensions.count() == 1
    assert services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 7, 1)
    ).decided_on


def test_extension_after_the_limit_has_passed_is_refused(world: CaseWorld) -> None:
    case = ready_to_decide(world)
    refused(
        lambda: services.case_extend_deadline(
            actor=world.head, case=case, days=10, reason="案情复杂", basis="某规章", on=D(2025, 6, 2)
        ),
        "extension_too_late",
        case,
    )


def test_steps_towards_a_decision_after_the_limit_are_refused(world: CaseWorld) -> None:
    case = opened(world)
    refused(
        lambda: services.case_start_investigation(actor=world.officer_user, case=case, on=D(2025, 6, 2)),
        "decision_overdue",
        case,
    )
    assert (
        services.case_withdraw(actor=world.head, case=case, reason="超期，报批撤案", on=D(2025, 6, 2)).stage
        == Stage.WITHDRAWN
    )


# --- 行政处罚法 第四十四条、第四十五条、第六十二条: rights notice and hearing the party ----------------------------------------------------


def test_decision_waits_for_the_statement_period(world: CaseWorld) -> None:
    case = notified(world)  # notified 2025-03-10; 5 working days → 2025-03-17
    assert case.statement_due == D(2025, 3, 17)
    refused(
        lambda: services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 3, 17)
        ),
        "statement_period_open",
        case,
    )
    assert services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 3, 18)
    ).decided_on


def test_decision_may_not_be_heavier_than_the_notice(world: CaseWorld) -> None:
    case = ready_to_decide(world)
    refused(
        lambda: services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="5000.01", on=D(2025, 3, 11)
        ),
        "heavier_than_notified",
        case,
    )
    refused(
        lambda: services.case_decide(
            actor=world.head, case=case, kinds=["fine", "warning"], fine_yuan="10", on=D(2025, 3, 11)
        ),
        "heavier_than_notified",
        case,
    )
    assert (
        services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="4000", on=D(2025, 3, 11)
        ).fine_yuan
        == 4000
    )


def test_decision_without_a_rights_notice_is_refused_by_stage(world: CaseWorld) -> None:
    case = opened(world)
    refused(
        lambda: services.case_decide(actor=world.head, case=case, kinds=["warning"], on=D0),
        "stage_not_allowed",
        case,
    )


def test_only_the_agency_head_decides(world: CaseWorld) -> None:
    case = ready_to_decide(world)
    refused(
        lambda: services.case_decide(
            actor=world.officer_user, case=case, kinds=["fine"], fine_yuan="1", on=D(2025, 3, 11)
        ),
        "permission_denied",
        case,
        PermissionDenied,
    )


# --- 行政处罚法 第六十三条、第六十四条: hearing right, request window, notice period, host --------------------------------------------


@pytest.mark.parametrize(
    ("party", "fine", "right"),
    [
        ("company", "99999.99", False),
        ("company", "100000", True),
        ("citizen", "9999.99", False),
        ("citizen", "10000", True),
    ],
)
def test_hearing_right_starts_at_the_large_fine_threshold(
    world: CaseWorld, party: str, fine: str, right: bool
) -> None:
    case = notified(world, party=getattr(world, party), fine=fine)
    assert case.hearing_right is right


def test_hearing_right_for_licence_revocation(world: CaseWorld) -> None:
    assert notified(world, kinds=("revoke_licence",), fine=None).hearing_right


def test_hearing_threshold_is_a_setting(world: CaseWorld, settings: Any) -> None:
    settings.ZHIFA_CASES = {"HEARING_FINE_ORGANISATION_YUAN": "50000"}
    assert notified(world, fine="50000").hearing_right


def _notified_on_national_day_eve(world: CaseWorld, fine: str = "100000") -> Case:
    case = opened(world, on=D(2025, 9, 1))
    case = services.case_start_investigation(actor=world.officer_user, case=case, on=D(2025, 9, 1))
    attach(world.officer_user, case, "investigation")
    case = services.case_end_investigation(actor=world.officer_user, case=case, on=D(2025, 9, 20))
    case = services.case_notify_rights(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=world.officer_user,
        case=case,
        kinds=["fine"],
        fine_yuan=fine,
        on=D(2025, 9, 26),
    )
    # 行政处罚法 第六十四条第一项: the window runs from service — handed over on the day of the notice here.
    return case_serve_notice(actor=world.officer_user, case=case, method="direct", on=D(2025, 9, 26))


def test_hearing_request_within_five_working_days_across_national_day(world: CaseWorld) -> None:
    late = _notified_on_national_day_eve(world)
    assert late.hearing_request_due == D(2025, 10, 10)
    refused(
        lambda: services.case_request_hearing(actor=world.officer_user, case=late, on=D(2025, 10, 11)),
        "hearing_request_late",
        late,
    )
    on_time = _notified_on_national_day_eve(world)
    assert (
        services.case_request_hearing(actor=world.officer_user, case=on_time, on=D(2025, 10, 10)).stage
        == Stage.HEARING
    )


def test_hearing_request_without_the_right_is_refused(world: CaseWorld) -> None:
    case = _notified_on_national_day_eve(world, fine="5000")
    refused(
        lambda: services.case_request_hearing(actor=world.officer_user, case=case, on=D(2025, 9, 29)),
        "no_hearing_right",
        case,
    )


def test_hearing_notice_seven_working_days_ahead(world: CaseWorld) -> None:
    case = _notified_on_national_day_eve(world)
    case = services.case_request_hearing(actor=world.officer_user, case=case, on=D(2025, 9, 26))
    refused(
        lambda: services.case_schedule_hearing(
            actor=world.officer_user, case=case, hearing_on=D(2025, 10, 12), on=D(2025, 9, 26)
        ),
        "hearing_notice_too_short",
        case,
    )
    case = services.case_schedule_hearing(
        actor=world.officer_user, case=case, hearing_on=D(2025, 10, 13), on=D(2025, 9, 26)
    )
    assert case.hearing_on == D(2025, 10, 13)


def test_decision_waits_for_the_hearing_request_window_and_a_requested_hearing(
    world: CaseWorld, settings: Any
) -> None:
    settings.ZHIFA_CASES = {"STATEMENT_WORKING_DAYS": 3}  # the statement period ends first (09-30)
    passed = _notified_on_national_day_eve(world)
    assert services.case_submit_legal_review(
        actor=world.officer_user, case=passed, on=D(2025, 10, 11)
    ).stage == (Stage.LEGAL_REVIEW)
    case = _notified_on_national_day_eve(world)
    refused(
        lambda: services.case_submit_legal_review(actor=world.officer_user, case=case, on=D(2025, 10, 10)),
        "hearing_request_period_open",
        case,
    )
    case = services.case_request_hearing(actor=world.officer_user, case=case, on=D(2025, 9, 29))
    refused(
        lambda: services.case_submit_legal_review(actor=world.officer_user, case=case, on=D(2025, 10, 20)),
        "hearing_pending",
        case,
    )


def test_hearing_is_presided_by_someone_who_did_not_investigate(world: CaseWorld) -> None:
    case = _notified_on_national_day_eve(world)
    case = services.case_request_hearing(actor=world.officer_user, case=case, on=D(2025, 9, 26))
    case = services.case_schedule_hearing(
        actor=world.officer_user, case=case, hearing_on=D(2025, 10, 13), on=D(2025, 9, 26)
    )
    refused(
        lambda: services.case_hold_hearing(
            actor=world.officer_user, case=case, host=world.officers[0], on=D(2025, 10, 13)
        ),
        "hearing_host_investigator",
        case,
    )
    case = services.case_hold_hearing(
        actor=world.officer_user, case=case, host=world.officers[2], on=D(2025, 10, 13)
    )
    assert case.hearing_held_on == D(2025, 10, 13)


# --- 行政处罚法 第五十八条: legal review; 第五十七条: collective discussion ------------------------------------------------------


def test_major_fine_needs_an_agreed_legal_review_then_a_collective_discussion(world: CaseWorld) -> None:
    case = ready_to_decide(world, fine="100000")

    def decide() -> Case:
        return services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="100000", on=D(2025, 3, 20)
        )

    refused(decide, "legal_review_required", case)
    case = services.case_submit_legal_review(actor=world.officer_user, case=case, on=D(2025, 3, 11))
    services.case_record_legal_review(
        actor=world.reviewer, case=case, agreed=False, opinion="证据不足", on=D(2025, 3, 12)
    )
    refused(decide, "legal_review_required", case)
    services.case_record_legal_review(
        actor=world.reviewer, case=case, agreed=True, opinion="同意", on=D(2025, 3, 13)
    )
    refused(decide, "collective_discussion_required", case)
    services.case_collective_discussion(
        actor=world.head, case=case, participants="局长、副局长", conclusion="同意处罚", on=D(2025, 3, 14)
    )
    assert decide().stage == Stage.DECIDED


def test_fine_below_the_major_threshold_needs_neither(world: CaseWorld) -> None:
    case = ready_to_decide(world, fine="99999.99")
    assert services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan="99999.99", on=D(2025, 3, 20)
    ).decided_on


def test_a_held_hearing_makes_the_case_need_legal_review(world: CaseWorld, settings: Any) -> None:
    settings.ZHIFA_CASES = {
        "MAJOR_FINE_ORGANISATION_YUAN": "100000000",
        "MAJOR_FINE_CITIZEN_YUAN": "100000000",
    }
    case = _notified_on_national_day_eve(world)
    case = services.case_request_hearing(actor=world.officer_user, case=case, on=D(2025, 9, 26))
    case = services.case_schedule_hearing(
        actor=world.officer_user, case=case, hearing_on=D(2025, 10, 13), on=D(2025, 9, 26)
    )
    case = services.case_hold_hearing(
        actor=world.officer_user, case=case, host=world.officers[2], on=D(2025, 10, 13)
    )
    refused(
        lambda: services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="100000", on=D(2025, 10, 14)
        ),
        "legal_review_required",
        case,
    )
    from zhifa.cases.selectors import case_needs_legal_review

    needed, reasons = case_needs_legal_review(reload(case))
    assert needed and any("听证" in r for r in reasons)


def test_licence_revocation_needs_review_and_discussion(world: CaseWorld) -> None:
    from zhifa.cases.selectors import case_needs_collective_discussion, case_needs_legal_review

    case = ready_to_decide(world, kinds=("revoke_licence",), fine=None)
    assert case_needs_legal_review(case)[0] and case_needs_collective_discussion(case)[0]
    small = ready_to_decide(world, kinds=("warning",), fine=None)
    assert not case_needs_legal_review(small)[0] and not case_needs_collective_discussion(small)[0]


def test_complex_case_needs_collective_discussion(world: CaseWorld) -> None:
    case = ready_to_decide(world, kinds=("warning",), fine=None, is_complex=True)
    case = services.case_submit_legal_review(actor=world.officer_user, case=case, on=D(2025, 3, 11))
    services.case_record_legal_review(
        actor=world.reviewer, case=case, agreed=True, opinion="同意", on=D(2025, 3, 12)
    )
    refused(
        lambda: services.case_decide(actor=world.head, case=case, kinds=["warning"], on=D(2025, 3, 13)),
        "collective_discussion_required",
        case,
    )


def test_reviewer_may_not_review_a_case_they_handle(world: CaseWorld) -> None:
    from zhifa.org.models import Role
    from zhifa.org.tests.factories import grant

    grant(world.officer_user, Role.LEGAL_REVIEWER, agency=world.agency)
    case = ready_to_decide(world, fine="100000")
    case = services.case_submit_legal_review(actor=world.officer_user, case=case, on=D(2025, 3, 11))
    user = world.fresh(world.officer_user)
    refused(
        lambda: services.case_record_legal_review(
            actor=user, case=case, agreed=True, opinion="同意", on=D(2025, 3, 12)
        ),
        "reviewer_is_handler",
        case,
    )


# --- 行政处罚法 第六十一条: service within seven working days ----------------------------------------------------------------


def _decided_on_national_day_eve(world: CaseWorld) -> Case:
    case = _notified_on_national_day_eve(world, fine="5000")
    case = services.case_waive_rights(actor=world.officer_user, case=case, on=D(2025, 9, 26))
    return services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 9, 26)
    )


def test_service_within_seven_working_days_across_national_day(world: CaseWorld) -> None:
    case = _decided_on_national_day_eve(world)
    assert case.service_due == D(2025, 10, 13)
    refused(
        lambda: services.case_serve(actor=world.officer_user, case=case, method="mail", on=D(2025, 10, 14)),
        "service_overdue",
        case,
    )
    assert services.case_serve(
        actor=world.officer_user, case=case, method="mail", on=D(2025, 10, 13)
    ).served_on


def test_late_service_is_recorded_only_with_its_reason(world: CaseWorld) -> None:
    case = _decided_on_national_day_eve(world)
    case = services.case_serve(
        actor=world.officer_user,
        case=case,
        method="announcement",
        on=D(2025, 10, 20),
        late_reason="当事人下落不明",
    )
    assert case.served_late_reason == "当事人下落不明"


def test_on_site_hand_over_is_on_the_day_of_the_decision(world: CaseWorld) -> None:
    case = _decided_on_national_day_eve(world)
    refused(
        lambda: services.case_serve(actor=world.officer_user, case=case, method="on_site", on=D(2025, 9, 28)),
        "on_site_same_day",
        case,
    )
    assert (
        services.case_serve(actor=world.officer_user, case=case, method="on_site", on=D(2025, 9, 26)).stage
        == Stage.SERVED
    )


def test_electronic_service_needs_the_partys_consent(world: CaseWorld) -> None:
    case = _decided_on_national_day_eve(world)
    refused(
        lambda: services.case_serve(
            actor=world.officer_user, case=case, method="electronic", on=D(2025, 9, 29)
        ),
        "electronic_needs_consent",
        case,
    )
    case = services.case_serve(
        actor=world.officer_user, case=case, method="electronic", on=D(2025, 9, 29), consent_confirmed=True
    )
    assert case.service_method == "electronic"


# --- 行政处罚法 第七十二条: late-payment surcharge capped at the fine ----------------------------------------------------------


@pytest.mark.parametrize(
    ("days_late", "surcharge"),
    [(0, "0"), (1, "30.00"), (10, "300.00"), (33, "990.00"), (34, "1000"), (400, "1000")],
)
def test_surcharge_is_three_percent_a_day_capped_at_the_fine(days_late: int, surcharge: str) -> None:
    due = D(2025, 4, 9)
    assert limits.late_payment_surcharge(Decimal("1000"), due, due + dt.timedelta(days=days_late)) == Decimal(
        surcharge
    )


def test_payment_must_include_the_surcharge(world: CaseWorld) -> None:
    case = ready_to_decide(world, fine="1000")
    case = services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan="1000", on=D(2025, 3, 24)
    )
    case = services.case_serve(actor=world.officer_user, case=case, method="direct", on=D(2025, 3, 25))
    assert case.payment_due == D(2025, 4, 9)  # fifteen calendar days (第六十七条)
    refused(
        lambda: services.case_record_payment(
            actor=world.officer_user, case=case, amount_yuan="1000", on=D(2025, 4, 19)
        ),
        "amount_mismatch",
        case,
    )
    case = services.case_record_payment(
        actor=world.officer_user, case=case, amount_yuan="1300", on=D(2025, 4, 19)
    )
    assert case.surcharge_yuan == Decimal("300")


# --- 行政强制法 第二十五条、第二十八条: seizure ----------------------------------------------------------------------------------


def _seizure(world: CaseWorld) -> Any:
    case = opened(world)
    case = services.case_start_investigation(actor=world.officer_user, case=case, on=D0)
    attach(world.officer_user, case, "service_execution", kind="video")
    return services.seizure_decide(
        actor=world.officer_user,
        case=case,
        kind="detain",
        items=["过期奶粉 20 箱"],
        approved_by=world.head,
        on=D(2025, 3, 4),
    )


def test_seizure_lasts_thirty_days(world: CaseWorld) -> None:
    assert _seizure(world).due_on == D(2025, 4, 3)


def test_seizure_extends_once_by_at_most_thirty_days_with_the_heads_approval(world: CaseWorld) -> None:
    seizure = _seizure(world)
    with pytest.raises(PermissionDenied):
        services.seizure_extend(
            actor=world.officer_user, seizure=seizure, days=30, reason="待检测", on=D(2025, 4, 1)
        )
    refused(
        lambda: services.seizure_extend(
            actor=world.head, seizure=seizure, days=31, reason="待检测", on=D(2025, 4, 1)
        ),
        "seizure_extension_too_long",
        seizure.case,
    )
    seizure = services.seizure_extend(
        actor=world.head, seizure=seizure, days=30, reason="待检测", on=D(2025, 4, 3)
    )
    assert seizure.due_on == D(2025, 5, 3)
    refused(
        lambda: services.seizure_extend(
            actor=world.head, seizure=seizure, days=1, reason="再延", on=D(2025, 4, 20)
        ),
        "seizure_already_extended",
        seizure.case,
    )


def test_expired_seizure_cannot_be_extended(world: CaseWorld) -> None:
    seizure = _seizure(world)
    refused(
        lambda: services.seizure_extend(
            actor=world.head, seizure=seizure, days=10, reason="待检测", on=D(2025, 4, 4)
        ),
        "seizure_expired",
        seizure.case,
    )


def test_seizure_needs_two_entitled_officers(world: CaseWorld) -> None:
    case = opened(world)
    world.officers[1].certificates.update(status=CertificateStatus.REVOKED)
    refused(
        lambda: services.seizure_decide(
            actor=world.officer_user, case=case, kind="seal", items=["仓库"], approved_by=world.head, on=D0
        ),
        "officers_insufficient",
        case,
    )


def test_case_ends_only_after_its_seizures_are_released(world: CaseWorld) -> None:
    seizure = _seizure(world)
    attach(world.officer_user, seizure.case, "investigation")
    case = services.case_end_investigation(actor=world.officer_user, case=seizure.case, on=D(2025, 3, 5))
    refused(
        lambda: services.case_not_punish(
            actor=world.head, case=case, reason="not_established", on=D(2025, 3, 6)
        ),
        "seizure_active",
        case,
    )
    services.seizure_release(
        actor=world.officer_user, seizure=seizure, reason="no_violation", on=D(2025, 3, 6)
    )
    assert (
        services.case_not_punish(
            actor=world.head, case=case, reason="not_established", on=D(2025, 3, 6)
        ).stage
        == Stage.NOT_PUNISHED
    )


# --- 行政强制法 第三十五条、第五十三条、第五十四条: demand and court application ----------------------------------------------------


def _served_unpaid(world: CaseWorld) -> Case:
    case = ready_to_decide(world, fine="1000")
    case = services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan="1000", on=D(2025, 3, 24)
    )
    return services.case_serve(actor=world.officer_user, case=case, method="direct", on=D(2025, 3, 25))


def test_demand_only_after_the_payment_period(world: CaseWorld) -> None:
    case = _served_unpaid(world)
    refused(
        lambda: services.enforcement_demand(actor=world.officer_user, case=case, on=D(2025, 4, 9)),
        "payment_not_due",
        case,
    )
    demand = services.enforcement_demand(actor=world.officer_user, case=case, on=D(2025, 4, 10))
    assert reload(case).stage == Stage.EXECUTING and demand.amount_yuan == Decimal("1030.00")


def test_court_application_waits_ten_working_days_after_the_demand_and_the_remedy_periods(
    world: CaseWorld,
) -> None:
    case = _served_unpaid(world)
    case = reload(case)
    demand = services.enforcement_demand(actor=world.officer_user, case=case, on=D(2025, 9, 1))
    assert demand.demand_due == D(2025, 9, 15)

    def apply(on: dt.date) -> Any:
        return services.court_application(actor=world.head, case=case, court_name="测县人民法院", on=on)

    refused(lambda: apply(D(2025, 9, 15)), "demand_period_open", case)
    refused(lambda: apply(D(2025, 9, 25)), "remedy_period_open", case)  # six months from service end 09-25
    assert apply(D(2025, 9, 26)).court_applied_on == D(2025, 9, 26)
    refused(
        lambda: services.case_close(actor=world.head, case=case, on=D(2025, 9, 27)),
        "required_records_missing",
        case,
    )
    attach(world.officer_user, case, "service_execution")  # 送达回证
    assert services.case_close(actor=world.head, case=case, on=D(2025, 9, 27)).stage == Stage.CLOSED


def test_court_application_after_three_months_is_refused(world: CaseWorld) -> None:
    case = _served_unpaid(world)
    services.enforcement_demand(actor=world.officer_user, case=case, on=D(2025, 9, 1))
    refused(
        lambda: services.court_application(
            actor=world.head, case=case, court_name="测县人民法院", on=D(2025, 12, 26)
        ),
        "court_window_closed",
        case,
    )
    assert services.court_application(
        actor=world.head, case=case, court_name="测县人民法院", on=D(2025, 12, 25)
    )


def test_court_application_without_a_demand_is_refused(world: CaseWorld) -> None:
    case = _served_unpaid(world)
    refused(
        lambda: services.court_application(
            actor=world.head, case=case, court_name="测县人民法院", on=D(2025, 10, 1)
        ),
        "stage_not_allowed",
        case,
    )


def test_unpaid_case_cannot_be_closed(world: CaseWorld) -> None:
    case = _served_unpaid(world)
    refused(
        lambda: services.case_close(actor=world.head, case=case, on=D(2025, 4, 1)), "obligation_open", case
    )


# --- numbering, dates, scope --------------------------------------------------------------------------------------


def test_case_numbers_are_gapless_per_agency_and_year(world: CaseWorld) -> None:
    numbers = [opened(world).number for _ in range(3)]
    assert numbers == ["测县市监立〔2025〕1号", "测县市监立〔2025〕2号", "测县市监立〔2025〕3号"]
    assert opened(world, on=D(2026, 1, 5)).number == "测县市监立〔2026〕1号"


def test_future_dates_and_dates_before_the_previous_step_are_refused(world: CaseWorld) -> None:
    case = opened(world)
    refused(
        lambda: services.case_start_investigation(actor=world.officer_user, case=case, on=D(2099, 1, 1)),
        "date_in_future",
        case,
        InvalidInput,
    )
    refused(
        lambda: services.case_start_investigation(actor=world.officer_user, case=case, on=D(2025, 3, 2)),
        "date_before_previous_step",
        case,
        InvalidInput,
    )


def test_agency_may_open_cases_only_in_its_own_domains(world: CaseWorld) -> None:
    from zhifa.org.models import Domain

    with pytest.raises(RuleViolation) as info:
        services.case_register_source(
            actor=world.officer_user,
            agency=world.agency,
            domain=Domain.objects.get(code="housing"),
            source_kind="complaint",
            received_on=D0,
            title="违法建设",
        )
    assert info.value.code == "domain_not_of_agency"


def test_other_agencies_and_supervisors_cannot_move_a_case(world: CaseWorld) -> None:
    case = opened(world)
    for user in (world.outsider, world.supervisor, world.reviewer):
        refused(
            lambda user=user: services.case_start_investigation(actor=user, case=case, on=D0),
            "permission_denied",
            case,
            PermissionDenied,
        )


def test_not_opened_source_and_transfer_to_judicial_organs(world: CaseWorld) -> None:
    screened = services.case_not_open(
        actor=world.officer_user, case=register(world), reason="不属于本机关管辖", on=D0
    )
    assert screened.stage == Stage.NOT_OPENED
    crime = services.case_transfer(
        actor=world.head,
        case=opened(world),
        target="judicial",
        target_name="测县公安局",
        reason="涉嫌生产销售伪劣产品罪",
        on=D0,
    )
    assert crime.stage == Stage.TRANSFERRED
    assert (
        services.case_archive(actor=world.head, case=crime, on=D(2025, 3, 4)).archived_from
        == Stage.TRANSFERRED
    )


def test_first_time_minor_violation_ends_without_penalty(world: CaseWorld) -> None:
    case = notified(world)
    case = services.case_not_punish(actor=world.head, case=case, reason="first_minor", on=D(2025, 3, 11))
    assert case.stage == Stage.NOT_PUNISHED and case.not_punish_reason == "first_minor"


def test_return_to_investigation_needs_a_new_notice_round(world: CaseWorld) -> None:
    case = ready_to_decide(world, fine="100000")
    case = services.case_submit_legal_review(actor=world.officer_user, case=case, on=D(2025, 3, 11))
    services.case_record_legal_review(
        actor=world.reviewer, case=case, agreed=True, opinion="同意", on=D(2025, 3, 12)
    )
    case = services.case_return_to_investigation(
        actor=world.officer_user, case=case, reason="补充证据", on=D(2025, 3, 13)
    )
    case = services.case_end_investigation(
        actor=world.officer_user, case=case, on=D(2025, 3, 14)
    )  # 笔录 on file
    case = services.case_notify_rights(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=world.officer_user,
        case=case,
        kinds=["fine"],
        fine_yuan="100000",
        on=D(2025, 3, 14),
    )
    case = services.case_waive_rights(actor=world.officer_user, case=case, on=D(2025, 3, 14))
    # the earlier review belongs to the earlier notice: a new one is needed
    refused(
        lambda: services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="100000", on=D(2025, 3, 20)
        ),
        "legal_review_required",
        case,
    )


# --- 执法记录要求 (zhifa.evidence.required): the stage-closing steps refuse while a mandatory record is missing


def test_seizure_without_on_site_video_is_refused_listing_the_missing_record(world: CaseWorld) -> None:
    case = services.case_start_investigation(actor=world.officer_user, case=opened(world), on=D0)
    attach(world.officer_user, case, "service_execution")  # a written record does not replace the video
    with pytest.raises(RuleViolation) as refusal:
        services.seizure_decide(
            actor=world.officer_user, case=case, kind="detain", items=["货物"], approved_by=world.head, on=D0
        )
    assert refusal.value.code == "required_records_missing"
    assert "扣押现场全程音像记录" in refusal.value.message
    assert not Seizure.objects.filter(case=case).exists()
    attach(world.officer_user, case, "service_execution", kind="video")
    seizure = services.seizure_decide(
        actor=world.officer_user, case=case, kind="detain", items=["货物"], approved_by=world.head, on=D0
    )
    assert seizure.pk is not None


def test_seal_and_detain_are_checked_against_their_own_act_type(world: CaseWorld) -> None:
    case = services.case_start_investigation(actor=world.officer_user, case=opened(world), on=D0)
    refused(
        lambda: services.seizure_decide(
            actor=world.officer_user, case=case, kind="seal", items=["仓库"], approved_by=world.head, on=D0
        ),
        "required_records_missing",
        case,
    )
    missing = guards._required_records_missing(reload(case), "seizure", "seal")
    assert any("查封现场全程音像记录" in m for m in missing)


def test_investigation_ends_only_with_its_written_record(world: CaseWorld) -> None:
    case = services.case_start_investigation(actor=world.officer_user, case=opened(world), on=D0)
    refused(
        lambda: services.case_end_investigation(actor=world.officer_user, case=case, on=D0),
        "required_records_missing",
        case,
    )
    attach(world.officer_user, case, "service_execution")  # a record of another stage does not count
    refused(
        lambda: services.case_end_investigation(actor=world.officer_user, case=case, on=D0),
        "required_records_missing",
        case,
    )
    attach(world.officer_user, case, "investigation")
    assert services.case_end_investigation(actor=world.officer_user, case=case, on=D0).stage == Stage.REVIEW


def test_next_actions_show_the_missing_record_on_the_disabled_action(world: CaseWorld) -> None:
    case = services.case_start_investigation(actor=world.officer_user, case=opened(world), on=D0)
    actions = {a.code: a for a in selectors.case_next_actions(world.officer_user, reload(case), on=D0)}
    assert not actions["end_investigation"].allowed
    assert "调查取证笔录" in actions["end_investigation"].reason
