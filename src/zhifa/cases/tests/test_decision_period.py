"""行政处罚法 第六十条 — the 90-day decision period: one 30-day extension approved by the head, a further one
only on the heads' collective discussion (市场监督管理行政处罚程序规定 第六十四条), and the periods the domain's
rules leave out (听证、检测、鉴定、公告…, 第六十四条第三款), the hearing counted automatically."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhifa.cases import guards, limits, periods, selectors, services
from zhifa.cases.models import CollectiveDiscussion, DeadlineExtension, ExcludedPeriod
from zhifa.cases.tests.helpers import D0, CaseWorld, ledger_count, notified, opened, reload
from zhifa.cases.tests.test_rules import refused
from zhifa.core.errors import InvalidInput

D = dt.date
MAY_1 = D(2025, 5, 1)


def extend(world: CaseWorld, case: object, days: int = 30, on: dt.date = MAY_1, **kw: str) -> object:
    return services.case_extend_deadline(
        actor=world.head,
        case=case,
        days=days,
        reason="案情复杂",
        basis="市场监督管理行政处罚程序规定第六十四条",
        on=on,
        **kw,
    )


# --- extensions ---------------------------------------------------------------------------------------------------


def test_the_head_approves_one_extension_of_thirty_days(world: CaseWorld) -> None:
    case = opened(world)
    assert case.decision_due == D0 + dt.timedelta(days=90)
    extend(world, case)
    assert reload(case).decision_due == D0 + dt.timedelta(days=120)


def test_the_first_extension_is_at_most_thirty_days(world: CaseWorld) -> None:
    case = opened(world)
    refused(lambda: extend(world, case, days=31), "extension_too_long", case)


def test_a_second_extension_without_collective_discussion_is_refused(world: CaseWorld) -> None:
    case = opened(world)
    extend(world, case)
    refused(
        lambda: extend(world, case, days=30, on=D(2025, 5, 2)), "extension_needs_collective_discussion", case
    )
    assert DeadlineExtension.objects.filter(case=case).count() == 1
    assert not CollectiveDiscussion.objects.filter(case=case).exists()


def test_a_second_extension_on_collective_discussion_is_allowed_and_recorded(world: CaseWorld) -> None:
    case = opened(world)
    extend(world, case)
    second = extend(
        world,
        case,
        days=45,
        on=D(2025, 5, 2),
        discussion_participants="局长、副局长",
        discussion_conclusion="同意继续延期四十五日",
    )
    assert second.discussion is not None and second.discussion.purpose == "extension"
    assert reload(case).decision_due == D0 + dt.timedelta(days=165)
    # an extension's discussion is not the heads' discussion of the decision (第五十七条第二款)
    assert not case.discussions.filter(purpose="decision").exists()


# --- periods left out ---------------------------------------------------------------------------------------------


def test_decision_due_excluding_counts_both_days_and_overlaps_once() -> None:
    opened_on = D(2025, 3, 3)
    base = D(2025, 6, 1)
    assert limits.decision_due_excluding(opened_on, 0, []) == base
    assert limits.decision_due_excluding(
        opened_on, 0, [(D(2025, 4, 1), D(2025, 4, 10))]
    ) == base + dt.timedelta(10)
    overlapping = [(D(2025, 4, 1), D(2025, 4, 10)), (D(2025, 4, 5), D(2025, 4, 12))]
    assert limits.decision_due_excluding(opened_on, 0, overlapping) == base + dt.timedelta(12)
    assert limits.decision_due_excluding(opened_on, 30, [(D(2025, 4, 1), None)]) is None
    # a period starting after the period ended does not revive it
    assert limits.decision_due_excluding(opened_on, 0, [(D(2025, 6, 5), D(2025, 6, 9))]) == base


def test_a_market_case_leaves_testing_time_out_of_the_period(world: CaseWorld) -> None:
    case = opened(world)
    case = services.case_start_investigation(actor=world.officer_user, case=case, on=D0)
    period = periods.case_record_excluded_period(
        actor=world.officer_user,
        case=case,
        kind="testing",
        first_day=D(2025, 3, 10),
        reason="送检",
        on=D(2025, 3, 10),
    )
    case = reload(case)
    assert case.decision_due is None and case.next_deadline is None  # the clock stands still
    assert periods.open_counted_period(case) == period
    periods.case_end_excluded_period(
        actor=world.officer_user, case=case, kind="testing", last_day=D(2025, 3, 19), on=D(2025, 3, 20)
    )
    case = reload(case)
    assert case.decision_due == D0 + dt.timedelta(days=100)
    assert case.next_deadline == case.decision_due


def test_a_domain_whose_rules_leave_nothing_out_refuses_the_period(
    world: CaseWorld, settings: object
) -> None:
    settings.ZHIFA_CASES = {"DECISION_PERIOD_EXCLUDED": {"housing": ("testing",)}}  # type: ignore[attr-defined]
    case = opened(world)
    refused(
        lambda: periods.case_record_excluded_period(
            actor=world.officer_user, case=case, kind="testing", first_day=D(2025, 3, 10), on=D(2025, 3, 10)
        ),
        "period_not_excluded_in_domain",
        case,
    )
    assert not ExcludedPeriod.objects.filter(case=case).exists()


def test_a_kind_the_domain_does_not_leave_out_is_refused(world: CaseWorld, settings: object) -> None:
    settings.ZHIFA_CASES = {"DECISION_PERIOD_EXCLUDED": {"market": ("appraisal",)}}  # type: ignore[attr-defined]
    case = opened(world)
    refused(
        lambda: periods.case_record_excluded_period(
            actor=world.officer_user, case=case, kind="notice", first_day=D(2025, 3, 10), on=D(2025, 3, 10)
        ),
        "period_not_excluded_in_domain",
        case,
    )


def test_a_period_before_the_opening_is_invalid(world: CaseWorld) -> None:
    case = opened(world)
    before = ledger_count(case)
    with pytest.raises(InvalidInput):
        periods.case_record_excluded_period(
            actor=world.officer_user, case=case, kind="testing", first_day=D0, on=D(2025, 3, 10)
        )
    assert ledger_count(case) == before


def test_ending_without_an_open_period_is_refused(world: CaseWorld) -> None:
    case = opened(world)
    refused(
        lambda: periods.case_end_excluded_period(
            actor=world.officer_user, case=case, kind="testing", last_day=D(2025, 3, 10), on=D(2025, 3, 10)
        ),
        "no_open_excluded_period",
        case,
    )


def hearing_past_day_90(world: CaseWorld) -> object:
    """A market case opened 2025-03-03 (day 90: 2025-06-01) whose hearing is held on 2025-06-10."""
    case = notified(world, fine="200000", on=D0)
    case = services.case_request_hearing(actor=world.officer_user, case=case, on=D(2025, 3, 12))
    return services.case_schedule_hearing(
        actor=world.officer_user, case=case, hearing_on=D(2025, 6, 10), on=D(2025, 3, 13)
    )


def test_a_market_case_in_a_hearing_past_day_90_is_not_overdue(world: CaseWorld) -> None:
    """Regression: a hearing that runs past day 90 used to make the case `decision_overdue`."""
    case = hearing_past_day_90(world)
    assert case.decision_due is None and case.next_deadline is None
    guards.check_decision_deadline(case, D(2025, 6, 5))  # not refused
    assert case not in selectors.cases_past_limit(world.head, today=D(2025, 6, 5))
    assert case not in selectors.cases_near_limit(world.head, today=D(2025, 6, 5))
    case = services.case_hold_hearing(
        actor=world.officer_user, case=case, host=world.officers[2], on=D(2025, 6, 10)
    )
    # 2025-03-12 … 2025-06-10: 91 days not counted
    assert case.decision_due == D(2025, 6, 1) + dt.timedelta(days=91)
    assert case not in selectors.cases_past_limit(world.head, today=D(2025, 6, 11))
    hearing = ExcludedPeriod.objects.get(case=case, kind="hearing")
    assert (hearing.first_day, hearing.last_day) == (D(2025, 3, 12), D(2025, 6, 10))


def test_without_a_rule_the_hearing_counts_and_the_case_is_overdue(
    world: CaseWorld, settings: object
) -> None:
    settings.ZHIFA_CASES = {"DECISION_PERIOD_EXCLUDED": {}}  # type: ignore[attr-defined]
    case = hearing_past_day_90(world)
    assert case.decision_due == D(2025, 6, 1)
    assert case in selectors.cases_past_limit(world.head, today=D(2025, 6, 5))


def test_the_case_page_records_a_period_and_shows_the_pause(world: CaseWorld) -> None:
    case = opened(world)
    client = Client()
    client.force_login(world.officer_user)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "登记不计入办案期限的期间" in page
    response = client.post(
        f"/cases/{case.pk}/act/record_excluded_period/",
        {
            "record_excluded_period-on": "2025-03-10",
            "record_excluded_period-kind": "appraisal",
            "record_excluded_period-first_day": "2025-03-10",
            "record_excluded_period-reason": "委托鉴定",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "暂停计算" in page and "鉴定" in page and "None" not in page
