"""A due date never silently becomes None: when its year's holiday schedule is not known yet (zhifa.core.workdays
raises ConfigurationMissing), the act goes ahead, the page says "期限待节假日安排公布后计算", and supervision
is flagged (issue 17 item 4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from zhifa.cases import services
from zhifa.cases.models import Case, Stage
from zhifa.cases.tests.helpers import CaseWorld, notified
from zhifa.core import clock
from zhifa.core.errors import RuleViolation
from zhifa.core.models import HolidayScheduleYear, WorkingDayOverride
from zhifa.core.workdays import package_knows
from zhifa.supervision.models import Flag

D = dt.date

pytestmark = pytest.mark.skipif(package_knows(2027), reason="chinese_calendar knows 2027")


def decided_before_new_year(world: CaseWorld) -> Case:
    with clock.set_during(D(2026, 12, 24)):
        case = notified(world, fine="1000", on=D(2026, 12, 1))
        case = services.case_waive_rights(actor=world.officer_user, case=case, on=D(2026, 12, 8))
        # Regression: deciding on 2026-12-24 used to be refused (seven working days reach into 2027).
        return services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="1000", on=D(2026, 12, 24)
        )


def test_a_decision_whose_service_period_reaches_an_unknown_year_goes_ahead_and_is_flagged(
    world: CaseWorld,
) -> None:
    WorkingDayOverride.objects.create(date=D(2027, 1, 1), is_working_day=False)  # one row: not a schedule
    case = decided_before_new_year(world)
    assert case.stage == Stage.DECIDED and case.service_due is None
    flag = Flag.objects.get(kind=services.PENDING_SCHEDULE_FLAG, key=f"case:{case.pk}:送达期限")
    assert "期限待节假日安排公布后计算" in flag.title and "2027" in flag.detail
    client = Client()
    client.force_login(world.officer_user)
    with clock.set_during(D(2026, 12, 24)):
        page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "期限待节假日安排公布后计算" in page and "None" not in page
    assert {c.key for c in services.pending_schedule_flags()} == {f"case:{case.pk}:送达期限"}


def test_a_decision_in_a_known_period_gets_its_service_due_and_no_flag(world: CaseWorld) -> None:
    with clock.set_during(D(2026, 12, 24)):
        case = notified(world, fine="1000", on=D(2026, 11, 2))
        case = services.case_waive_rights(actor=world.officer_user, case=case, on=D(2026, 11, 9))
        case = services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="1000", on=D(2026, 11, 16)
        )
    assert case.service_due == D(2026, 11, 25)
    assert not Flag.objects.filter(kind=services.PENDING_SCHEDULE_FLAG).exists()


def test_a_pending_payment_period_blocks_the_demand_but_not_a_timely_payment(world: CaseWorld) -> None:
    case = decided_before_new_year(world)
    with clock.set_during(D(2027, 1, 20)):
        case = services.case_serve(actor=world.officer_user, case=case, method="direct", on=D(2026, 12, 28))
        assert case.payment_due is None  # 2027-01-12 may fall on a day off nobody has entered yet
        assert Flag.objects.filter(key=f"case:{case.pk}:缴款期限").exists()
        with pytest.raises(RuleViolation) as info:
            services.enforcement_demand(actor=world.officer_user, case=case, on=D(2027, 1, 20))
        assert info.value.code == "payment_due_pending"
        # within the fifteen calendar days a payment is on time whatever the schedule says
        case = services.case_record_payment(
            actor=world.officer_user, case=case, amount_yuan="1000", on=D(2027, 1, 12)
        )
    assert case.surcharge_yuan == Decimal("0")


def test_once_the_year_is_confirmed_the_payment_period_is_counted(world: CaseWorld) -> None:
    case = decided_before_new_year(world)
    with clock.set_during(D(2027, 1, 20)):
        case = services.case_serve(actor=world.officer_user, case=case, method="direct", on=D(2026, 12, 28))
        HolidayScheduleYear.objects.create(year=2027)
        # 2027-01-12 is a Tuesday: due then; a demand the day after is allowed.
        demand = services.enforcement_demand(actor=world.officer_user, case=case, on=D(2027, 1, 13))
    assert demand.amount_yuan == Decimal("1030.00")


def test_a_demand_goes_ahead_while_the_court_window_reaches_an_unknown_year(world: CaseWorld) -> None:
    # Served 2026-09-01: the remedy periods end in 2027 (schedule unknown); the 催告 is not blocked by that.
    with clock.set_during(D(2026, 11, 18)):
        case = notified(world, fine="1000", on=D(2026, 8, 3))
        case = services.case_waive_rights(actor=world.officer_user, case=case, on=D(2026, 8, 10))
        case = services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="1000", on=D(2026, 8, 31)
        )
        case = services.case_serve(actor=world.officer_user, case=case, method="direct", on=D(2026, 9, 1))
        demand = services.enforcement_demand(actor=world.officer_user, case=case, on=D(2026, 11, 18))
    assert demand.pk and Case.objects.get(pk=case.pk).next_deadline == D(2027, 6, 1)
