"""商定入企时间: the agency offers a window of visit times, the enterprise picks a slot — each rule with its
refusal, the scope of both sides, and the ledger."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.enterprise.tests.conftest import enterprise_user, filed_visit
from zhifa.inspections import codes, services
from zhifa.inspections.models import Inspection, InspectionStatus, VisitWindow
from zhifa.inspections.tests.conftest import make_plan, make_random_task
from zhifa.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def in_days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def offer(user, visit, **kwargs):
    values = {
        "first_day": in_days(2),
        "last_day": in_days(4),
        "day_starts": dt.time(9),
        "day_ends": dt.time(11),
        "slot_minutes": 60,
    }
    values.update(kwargs)
    return services.visit_window_offer(user, visit, **values)


# --- offer (officer side) ------------------------------------------------------------------------------------------


def test_the_agency_offers_a_window_of_slots_on_the_ledger(scene) -> None:
    window = VisitWindow.objects.get(inspection=scene.visit)
    slots = services.visit_slots(window)
    assert [clock.local(s).strftime("%m-%d %H:%M") for s in slots[:3]] == [
        f"{in_days(2):%m-%d} 09:00",
        f"{in_days(2):%m-%d} 10:00",
        f"{in_days(3):%m-%d} 09:00",
    ]
    assert len(slots) == 6
    entry = LedgerEntry.objects.get(action="inspection.visit_window.offer", object_id=str(scene.visit.pk))
    assert json.loads(entry.changes)["slots"] == 6


def test_the_enterprise_cannot_offer_a_window(scene) -> None:
    with pytest.raises(PermissionDenied):
        offer(scene.company, scene.visit)


def test_another_agency_cannot_offer_a_window(scene) -> None:
    with pytest.raises(PermissionDenied):
        offer(scene.world.other_head, scene.visit)


def test_a_window_outside_the_tasks_period_is_refused(scene) -> None:
    with pytest.raises(RuleViolation) as exc:
        offer(scene.world.officer_user, scene.visit, last_day=in_days(40))
    assert exc.value.code == "visit_window_outside_task"


def test_a_window_in_the_past_is_refused(world) -> None:
    visit = filed_visit(world, world.parties[2], starts_in=-3)
    with pytest.raises(InvalidInput):
        offer(world.officer_user, visit, first_day=in_days(-1))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"day_starts": dt.time(9), "day_ends": dt.time(9, 30)}, "day_ends"),  # no whole slot
        ({"day_starts": dt.time(11), "day_ends": dt.time(9)}, "day_ends"),
        ({"first_day": in_days(4), "last_day": in_days(2)}, "last_day"),
        ({"slot_minutes": 5}, "slot_minutes"),
        (
            {
                "last_day": in_days(20),
                "day_starts": dt.time(0),
                "day_ends": dt.time(23, 59),
                "slot_minutes": 15,
            },
            "last_day",
        ),
    ],
)
def test_a_window_without_slots_or_with_too_many_is_refused(scene, kwargs, field) -> None:
    with pytest.raises(InvalidInput) as exc:
        offer(scene.world.officer_user, scene.visit, **kwargs)
    assert exc.value.field == field


def test_a_random_task_not_announced_in_advance_gets_no_window(world) -> None:
    _, plan_item = make_plan(world)
    task = make_random_task(
        world, plan_item, starts_on=in_days(1), ends_on=in_days(20), party_count=1, now=clock.now()
    )
    services.task_draw(world.officer_user, task)
    visit = Inspection.objects.get(task=task)
    with pytest.raises(RuleViolation) as exc:
        offer(world.officer_user, visit)
    assert exc.value.code == "no_advance_notice"


# --- agree (enterprise side) ---------------------------------------------------------------------------------------


def test_the_enterprise_agrees_a_slot_on_the_ledger(scene) -> None:
    start = local(in_days(3), 10)
    window = services.visit_time_agree(scene.company, scene.visit, start=start)
    assert window.agreed_start == start and window.agreed_by == scene.company
    scene.visit.refresh_from_db()
    assert scene.visit.scheduled_on == in_days(3)
    entry = LedgerEntry.objects.get(action="inspection.visit_time.agree", object_id=str(scene.visit.pk))
    assert entry.actor_id == scene.company.pk


def test_another_partys_user_cannot_agree(scene) -> None:
    with pytest.raises(PermissionDenied):
        services.visit_time_agree(scene.other_company, scene.visit, start=local(in_days(3), 10))
    assert VisitWindow.objects.get(inspection=scene.visit).agreed_start is None


def test_an_officer_cannot_agree_for_the_enterprise(scene) -> None:
    with pytest.raises(PermissionDenied):
        services.visit_time_agree(scene.world.officer_user, scene.visit, start=local(in_days(3), 10))


@pytest.mark.parametrize("start", [(3, 9, 30), (3, 11, 0), (5, 9, 0), (1, 9, 0)])
def test_a_time_outside_the_window_is_refused(scene, start) -> None:
    day, hour, minute = start
    with pytest.raises(RuleViolation) as exc:
        services.visit_time_agree(scene.company, scene.visit, start=local(in_days(day), hour, minute))
    assert exc.value.code == "visit_time_outside_window"


def test_a_slot_already_past_is_refused(scene, fixed_clock) -> None:
    day = in_days(3)
    fixed_clock(local(day, 9, 30))
    with pytest.raises(RuleViolation) as exc:
        services.visit_time_agree(scene.company, scene.visit, start=local(day, 9))
    assert exc.value.code == "visit_time_past"


def test_no_window_no_agreement(world) -> None:
    visit = filed_visit(world, world.parties[2])
    with pytest.raises(RuleViolation) as exc:
        services.visit_time_agree(enterprise_user(world.parties[2]), visit, start=local(in_days(2), 9))
    assert exc.value.code == "no_visit_window"


def test_after_check_in_neither_side_may_change_the_time(scene) -> None:
    member = scene.world.officer_user
    services.inspection_check_in(
        member, codes.issue_code(scene.visit), place="门店", now=local(in_days(2), 9)
    )
    scene.visit.refresh_from_db()
    assert scene.visit.status == InspectionStatus.CHECKED_IN
    with pytest.raises(RuleViolation) as exc:
        services.visit_time_agree(scene.company, scene.visit, start=local(in_days(3), 10))
    assert exc.value.code == "already_checked_in"
    with pytest.raises(RuleViolation):
        offer(member, scene.visit)


def test_a_new_offer_clears_the_agreed_time(scene) -> None:
    services.visit_time_agree(scene.company, scene.visit, start=local(in_days(3), 10))
    offer(scene.world.officer_user, scene.visit, first_day=in_days(5), last_day=in_days(6))
    window = VisitWindow.objects.get(inspection=scene.visit)
    assert window.agreed_start is None and window.first_day == in_days(5)
    entry = LedgerEntry.objects.filter(action="inspection.visit_window.offer").order_by("-seq").first()
    assert json.loads(entry.changes)["replaced_agreed_start"]
