"""非现场检查: a check by documents, video or monitoring data, recorded without entering the enterprise.

国办发〔2024〕54号: 可通过书面审查、信息共享等方式监管的事项，应避免现场检查 — where documents or shared data
suffice, no one enters the premises. A remote check checks the item (its result satisfies the plan like an
on-site one) but is no visit: no code check-in, no 入企 record, not counted against the yearly caps and not in
the 重复/高频/多头 windows of the warning rules (``warnings.py`` reads ``mode``).
"""

from __future__ import annotations

import datetime as dt

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.evidence import selectors as evidence_selectors
from zhifa.inspections.models import (
    Inspection,
    InspectionMode,
    InspectionStatus,
    RemoteMethod,
    TaskStatus,
)
from zhifa.inspections.services._common import _now
from zhifa.inspections.services.results import _on_inspection, inspection_result
from zhifa.inspections.services.visits import _set_inspected
from zhifa.org.models import User
from zhifa.records.services import record_append

OBJECT_TYPE = Inspection._meta.label_lower


@service
def inspection_remote_record(
    user: User,
    inspection: Inspection,
    *,
    method: str,
    outcome: str,
    findings: str,
    rectify_deadline: dt.date | None = None,
    at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Inspection:
    """非现场检查 — an officer on a planned inspection records it as checked by documents, video or data.

    Needs the evidence it rests on, uploaded first against the inspection through the evidence app (the
    documents, the video recording …); then the result as on site (合格 / 责令整改 / 立案, ``inspection_result``).
    ``at`` is when the check was made (within the task's period). Refused: an officer not on the inspection,
    an unapproved task, an inspection already checked in or done, no evidence, an unknown method.
    """
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("task", "item", "party")
        .get(pk=inspection.pk)
    )
    officer = _on_inspection(user, inspection)
    if method not in RemoteMethod.values:
        raise InvalidInput("请选择非现场检查方式。", "Unknown remote method.", field="method")
    if inspection.task is None or inspection.task.status not in (TaskStatus.APPROVED, TaskStatus.DRAWN):
        raise RuleViolation("检查任务未经批准。", "The task is not approved.", code="task_not_approved")
    if inspection.status != InspectionStatus.PLANNED:
        raise RuleViolation(
            "该检查已进企或已办结，不能再改为非现场检查。",
            "The inspection was already entered or done.",
            code="already_checked_in",
        )
    current = _now(now)
    when = _now(at) if at is not None else current
    if when > current + dt.timedelta(minutes=5):
        raise InvalidInput("检查时间不能晚于当前时间。", "The check time is in the future.", field="at")
    day = clock.business_date(when)
    task = inspection.task
    if not task.starts_on <= day <= task.ends_on:
        raise RuleViolation(
            f"检查时间须在任务期间（{task.starts_on:%Y-%m-%d} 至 {task.ends_on:%Y-%m-%d}）内。",
            "The check time is outside the task's period.",
            code="outside_task_period",
            field="at",
        )
    evidence = evidence_selectors.evidence_for(user, OBJECT_TYPE, str(inspection.pk)).count()
    if evidence == 0:
        raise RuleViolation(
            "非现场检查须先上传所依据的书面材料、视频或监测记录。",
            "A remote check needs its evidence uploaded first.",
            code="remote_without_evidence",
            field="method",
        )
    inspection.mode, inspection.remote_method = InspectionMode.REMOTE, method
    inspection.status, inspection.recorded_at = InspectionStatus.CHECKED_IN, current
    fields = ["mode", "remote_method", "status", "recorded_at", *_set_inspected(inspection, when)]
    inspection.save(update_fields=fields)
    record_append(
        actor=user,
        action="inspection.remote_record",
        obj=inspection,
        officer=officer,
        occurred_at=when,
        changes={"method": method, "checked_at": when, "evidence_count": evidence},
    )
    # No warnings_for_inspection: a remote check is no visit (no entry, no window rule counts it).
    return inspection_result(
        user,
        inspection,
        outcome=outcome,
        findings=findings,
        rectify_deadline=rectify_deadline,
        now=current,
    )
