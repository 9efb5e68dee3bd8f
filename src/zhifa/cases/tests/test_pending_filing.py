"""The 备案期限 of an on-the-spot decision (行政处罚法 第五十二条第三款, counted in working days, 第八十五条) never
refuses the decision when its year's holiday schedule is unknown: it is stored empty, shown as
"期限待节假日安排公布后计算" and flagged, like the other pending deadlines (``services._due_or_pending``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhifa.cases import services
from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import CaseWorld
from zhifa.cases.tests.test_rules import refused
from zhifa.core import clock
from zhifa.core.models import HolidayScheduleYear
from zhifa.core.workdays import package_knows
from zhifa.supervision.models import Flag

D = dt.date

pytestmark = pytest.mark.skipif(package_knows(2027), reason="chinese_calendar knows 2027")


def warning_on(world: CaseWorld, on: dt.date) -> Case:
    with clock.set_during(on):
        return services.case_simple_decide(
            basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
            actor=world.officer_user,
            agency=world.agency,
            domain=world.market,
            party=world.citizen,
            officers=world.officers[:2],
            kinds=["warning"],
            title="当场警告",
            on=on,
        )


def test_an_on_the_spot_decision_whose_filing_period_reaches_an_unknown_year_goes_ahead(
    world: CaseWorld,
) -> None:
    case = warning_on(world, D(2026, 12, 30))  # three working days reach into 2027
    assert case.pk and case.filing_due is None
    assert Flag.objects.filter(kind=services.PENDING_SCHEDULE_FLAG, key=f"case:{case.pk}:备案期限").exists()
    assert f"case:{case.pk}:备案期限" in {c.key for c in services.pending_schedule_flags()}
    client = Client()
    client.force_login(world.officer_user)
    with clock.set_during(D(2026, 12, 30)):
        page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "期限待节假日安排公布后计算" in page
    # filing while the period is still unknown is not late
    with clock.set_during(D(2027, 1, 8)):
        case = services.case_simple_file(actor=world.officer_user, case=case, on=D(2027, 1, 8))
    assert case.filed_on == D(2027, 1, 8) and case.filed_late_reason == ""
    assert f"case:{case.pk}:备案期限" not in {c.key for c in services.pending_schedule_flags()}


def test_once_the_year_is_confirmed_a_late_filing_needs_its_reason(world: CaseWorld) -> None:
    case = warning_on(world, D(2026, 12, 30))
    HolidayScheduleYear.objects.create(year=2027)  # plain weeks, 2027-01-01 a working day as entered
    with clock.set_during(D(2027, 1, 20)):
        refused(
            lambda: services.case_simple_file(actor=world.officer_user, case=case, on=D(2027, 1, 20)),
            "filing_overdue",
            case,
        )
        case = services.case_simple_file(
            actor=world.officer_user, case=case, on=D(2027, 1, 20), late_reason="系统故障"
        )
    assert case.filing_due is not None and case.filed_late_reason == "系统故障"


def test_a_filing_period_in_a_known_year_is_counted(world: CaseWorld) -> None:
    case = warning_on(world, D(2026, 11, 16))
    assert case.filing_due == D(2026, 11, 19)
    assert not Flag.objects.filter(kind=services.PENDING_SCHEDULE_FLAG).exists()
