"""立案 is approved by the agency head, and a lead is checked within a set period before the head decides whether
to open (市场监督管理行政处罚程序规定 第十八条: 十五个工作日内予以核查，由负责人决定是否立案；经负责人批准可以延长
十五个工作日; 第十九条: 立案审批表)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhifa.cases import services, sources
from zhifa.cases.models import Case, Stage
from zhifa.cases.tests.helpers import D0, CaseWorld, ledger_count, register, reload
from zhifa.cases.tests.test_rules import refused
from zhifa.core import clock
from zhifa.core.errors import InvalidInput, PermissionDenied
from zhifa.core.workdays import package_knows
from zhifa.supervision.models import Flag

D = dt.date


def open_as(world: CaseWorld, case: Case, actor: object, **kw: object) -> Case:
    return services.case_open(
        actor=actor, case=case, officers=world.officers[:2], act_date=D0 - dt.timedelta(days=5), on=D0, **kw
    )


# --- 立案审批 -------------------------------------------------------------------------------------------------------


def test_an_officer_may_not_open_a_case_without_a_heads_approval(world: CaseWorld) -> None:
    case = register(world)
    refused(lambda: open_as(world, case, world.officer_user), "opening_needs_approval", case)
    assert reload(case).number is None


def test_an_officer_opens_on_the_approval_of_a_named_head(world: CaseWorld) -> None:
    case = open_as(world, register(world), world.officer_user, approved_by=world.head)
    assert case.stage == Stage.OPENED and case.open_approved_by == world.head


def test_a_head_who_opens_the_case_has_approved_it(world: CaseWorld) -> None:
    case = open_as(world, register(world), world.head)
    assert case.open_approved_by == world.head


def test_the_approver_must_be_a_head_of_the_agency(world: CaseWorld) -> None:
    case = register(world)
    before = ledger_count(case)
    for approver in (world.officer_user, world.outsider):
        with pytest.raises(InvalidInput):
            open_as(world, case, world.officer_user, approved_by=approver)
    assert ledger_count(case) == before and reload(case).stage == Stage.SOURCE


# --- 核查期限 -------------------------------------------------------------------------------------------------------


def test_a_market_lead_is_checked_within_fifteen_working_days(world: CaseWorld) -> None:
    case = register(world)  # Monday 2025-03-03
    assert case.source_check_due == D(2025, 3, 24)
    client = Client()
    client.force_login(world.head)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "2025-03-24 前由机关负责人决定是否立案" in page and "延长案源核查期限" in page


def test_a_domain_without_a_check_period_sets_none(world: CaseWorld, settings: object) -> None:
    settings.ZHIFA_CASES = {"SOURCE_CHECK": {}}  # type: ignore[attr-defined]
    case = register(world)
    assert case.source_check_due is None
    refused(
        lambda: sources.case_extend_source_check(
            actor=world.head, case=case, working_days=15, reason="需检测", on=D(2025, 3, 10)
        ),
        "no_source_check_period",
        case,
    )


def test_the_head_extends_the_check_period_once_before_it_ends(world: CaseWorld) -> None:
    case = register(world)
    case = sources.case_extend_source_check(
        actor=world.head, case=case, working_days=15, reason="线索复杂，需调取材料", on=D(2025, 3, 20)
    )
    assert case.source_check_due == D(2025, 4, 15)  # 15 more working days; 清明 04-04 off
    refused(
        lambda: sources.case_extend_source_check(
            actor=world.head, case=case, working_days=5, reason="再延", on=D(2025, 3, 21)
        ),
        "source_check_already_extended",
        case,
    )


def test_an_extension_is_at_most_fifteen_working_days_by_the_head_before_expiry(world: CaseWorld) -> None:
    case = register(world)
    refused(
        lambda: sources.case_extend_source_check(
            actor=world.head, case=case, working_days=16, reason="x", on=D(2025, 3, 20)
        ),
        "source_check_extension_too_long",
        case,
    )
    refused(
        lambda: sources.case_extend_source_check(
            actor=world.head, case=case, working_days=15, reason="x", on=D(2025, 3, 25)
        ),
        "source_check_expired",
        case,
    )
    refused(
        lambda: sources.case_extend_source_check(
            actor=world.officer_user, case=case, working_days=15, reason="x", on=D(2025, 3, 20)
        ),
        "permission_denied",
        case,
        exc=PermissionDenied,
    )


def test_a_lead_past_its_check_period_without_a_decision_is_listed_counted_and_flagged(
    world: CaseWorld,
) -> None:
    late = register(world)
    decided = register(world)
    services.case_not_open(
        actor=world.officer_user, case=decided, reason="不属于本部门管辖", on=D(2025, 3, 10)
    )
    fresh = register(world, on=D(2025, 3, 20))
    on = D(2025, 3, 25)
    assert list(sources.sources_past_check_period(world.head, today=on)) == [late]
    assert fresh not in sources.sources_past_check_period(world.head, today=on)
    with clock.set_during(on):
        assert [f.key for f in sources.source_check_overdue_flags()] == [f"case:{late.pk}:source_check"]
        client = Client()
        client.force_login(world.head)
        page = client.get("/workbench/").content.decode()
    assert "案源核查逾期" in page


@pytest.mark.skipif(package_knows(2027), reason="chinese_calendar knows 2027")
def test_a_check_period_reaching_an_unknown_year_is_pending_and_flagged(world: CaseWorld) -> None:
    with clock.set_during(D(2026, 12, 21)):
        case = register(world, on=D(2026, 12, 21))
    assert case.stage == Stage.SOURCE and case.source_check_due is None
    assert Flag.objects.filter(key=f"case:{case.pk}:案源核查期限").exists()
    assert f"case:{case.pk}:案源核查期限" in {c.key for c in services.pending_schedule_flags()}
