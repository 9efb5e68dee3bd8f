"""商定入企时间: the agency offers a window of visit times for a planned visit; the enterprise picks one slot.

国办发〔2024〕54号《关于严格规范涉企行政检查的意见》 asks agencies to inspect in a way that disturbs the
enterprise's normal production and business as little as possible; agreeing the time of a planned visit with
the enterprise beforehand (where the visit is announced at all) is how the platform does it. A visit that is
not announced in advance (a random task without 提前告知) gets no window: offering one would announce it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.inspections import rules
from zhifa.inspections.models import (
    Inspection,
    InspectionStatus,
    TaskKind,
    TaskStatus,
    VisitWindow,
)
from zhifa.inspections.services._common import _now
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.services import record_append

# A window offers at most this many slots (a fortnight of working hours in hourly slots is ~100).
MAX_SLOTS = 200


def visit_slots(window: VisitWindow) -> list[dt.datetime]:
    """Every slot of the window as an aware local datetime, earliest first."""
    step = dt.timedelta(minutes=window.slot_minutes)
    slots: list[dt.datetime] = []
    day = window.first_day
    while day <= window.last_day and len(slots) <= MAX_SLOTS:
        start = timezone.make_aware(dt.datetime.combine(day, window.day_starts))
        end = timezone.make_aware(dt.datetime.combine(day, window.day_ends))
        while start + step <= end and len(slots) <= MAX_SLOTS:
            slots.append(start)
            start += step
        day += dt.timedelta(days=1)
    return slots


def _planned(inspection: Inspection) -> None:
    if inspection.status != InspectionStatus.PLANNED:
        raise RuleViolation(
            "检查人员已进企，不能再商定入企时间。",
            "The officers have already checked in.",
            code="already_checked_in",
        )


@service
def visit_window_offer(
    user: User,
    inspection: Inspection,
    *,
    first_day: dt.date,
    last_day: dt.date,
    day_starts: dt.time,
    day_ends: dt.time,
    slot_minutes: int = 60,
    note: str = "",
    now: dt.datetime | None = None,
) -> VisitWindow:
    """提出入企时间窗口 — the agency offers the enterprise a window of visit times for a planned visit.

    Refused: outside the agency's scope, a visit already checked in, a task not approved, a random task not
    announced in advance (提前告知), days in the past or outside the task's period (the code is valid only
    there), an empty window or one with more than ``MAX_SLOTS`` slots. Offered again, the window replaces the
    old one and clears an agreed time (the ledger keeps both).
    """
    inspection = (
        Inspection.objects.select_for_update(of=("self",)).select_related("task").get(pk=inspection.pk)
    )
    perms.require(user, rules.MANAGE_TASK, inspection)
    _planned(inspection)
    task = inspection.task
    if task is None or task.status not in (TaskStatus.APPROVED, TaskStatus.DRAWN):
        raise RuleViolation(
            "检查任务未经批准，不能商定入企时间。", "The task is not approved.", code="task_not_approved"
        )
    # 双随机抽查 is not announced unless its task says so (提前告知企业, allowed by the plan): a window would
    # announce it.
    if task.kind == TaskKind.RANDOM and not task.advance_notice:
        raise RuleViolation(
            "该抽查任务不提前告知企业，不能商定入企时间。",
            "This random task is not announced to the enterprise in advance.",
            code="no_advance_notice",
        )
    current = _now(now)
    today = clock.business_date(current)
    if last_day < first_day:
        raise InvalidInput(
            "截止日期不能早于起始日期。", "The last day is before the first.", field="last_day"
        )
    if day_ends <= day_starts:
        raise InvalidInput("每日结束时间须晚于起始时间。", "The day ends before it starts.", field="day_ends")
    if not 15 <= int(slot_minutes) <= 480:
        raise InvalidInput("每个时段应为 15–480 分钟。", "Slots are 15-480 minutes.", field="slot_minutes")
    if first_day < today:
        raise InvalidInput("不能提出已过去的日期。", "The window starts in the past.", field="first_day")
    if first_day < task.starts_on or last_day > task.ends_on:
        raise RuleViolation(
            f"入企时间须在检查任务期限内（{task.starts_on:%Y-%m-%d} 至 {task.ends_on:%Y-%m-%d}），检查码只在期限内有效。",
            "The window must lie within the task's period.",
            code="visit_window_outside_task",
            field="last_day",
        )
    window = VisitWindow.objects.filter(inspection=inspection).first() or VisitWindow(inspection=inspection)
    replaced = window.agreed_start
    window.first_day, window.last_day = first_day, last_day
    window.day_starts, window.day_ends, window.slot_minutes = day_starts, day_ends, int(slot_minutes)
    window.note = note.strip()[:300]
    window.offered_by, window.offered_at = user, current
    window.agreed_start, window.agreed_by, window.agreed_at = None, None, None
    slots = visit_slots(window)
    if not slots:
        raise InvalidInput("时间窗口内没有可选时段。", "The window holds no slot.", field="day_ends")
    if len(slots) > MAX_SLOTS:
        raise InvalidInput(
            f"可选时段不得超过 {MAX_SLOTS} 个，请缩短日期范围或加长时段。",
            f"At most {MAX_SLOTS} slots.",
            field="last_day",
        )
    window.save()
    record_append(
        actor=user,
        action="inspection.visit_window.offer",
        obj=inspection,
        changes={
            "first_day": first_day,
            "last_day": last_day,
            "day_starts": day_starts.isoformat(timespec="minutes"),
            "day_ends": day_ends.isoformat(timespec="minutes"),
            "slot_minutes": window.slot_minutes,
            "slots": len(slots),
            "replaced_agreed_start": replaced,
        },
    )
    return window


@service
def visit_time_agree(
    user: User, inspection: Inspection, *, start: dt.datetime, now: dt.datetime | None = None
) -> VisitWindow:
    """商定入企时间 — the inspected enterprise picks one slot of the offered window.

    Only the enterprise's own users (role 企业, scope of the party) may; refused with no window, after
    check-in, for a time that is not a slot of the window or already past. Picked again before the visit, the
    later choice counts. The visit's planned date becomes the slot's date.
    """
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)
    perms.require(user, rules.AGREE_VISIT_TIME, inspection)
    _planned(inspection)
    window = VisitWindow.objects.select_for_update().filter(inspection=inspection).first()
    if window is None:
        raise RuleViolation(
            "执法机关尚未提出可选的入企时间。", "No visit window has been offered.", code="no_visit_window"
        )
    if timezone.is_naive(start):
        raise InvalidInput("时间必须带时区。", "Datetimes must be aware.", field="start")
    if start not in visit_slots(window):
        raise RuleViolation(
            "所选时间不在执法机关提出的可选时段内。",
            "The time is not one of the offered slots.",
            code="visit_time_outside_window",
            field="start",
        )
    current = _now(now)
    if start <= current:
        raise RuleViolation("所选时间已过去。", "The slot has passed.", code="visit_time_past", field="start")
    window.agreed_start, window.agreed_by, window.agreed_at = start, user, current
    window.save(update_fields=["agreed_start", "agreed_by", "agreed_at"])
    inspection.scheduled_on = clock.business_date(start)
    inspection.save(update_fields=["scheduled_on"])
    record_append(
        actor=user,
        action="inspection.visit_time.agree",
        obj=inspection,
        changes={"agreed_start": start, "scheduled_on": inspection.scheduled_on},
    )
    return window
