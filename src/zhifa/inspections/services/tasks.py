"""检查任务: create a random-inspection task, file (备案) and approve it."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence

from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.inspections import conf, draw, rules
from zhifa.inspections.models import (
    ConflictOfInterest,
    Inspection,
    InspectionItem,
    InspectionOfficer,
    InspectionStatus,
    InspectionTask,
    PlanItem,
    PlanStatus,
    TaskKind,
    TaskStatus,
    TriggerKind,
)
from zhifa.inspections.services._common import _agencies, _now, lead_checks_create
from zhifa.inspections.services.caps import routine_visit_check
from zhifa.inspections.services.matching import merge_proposals_refresh
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Domain, Officer, Party, User
from zhifa.org.selectors import officer_can_enforce
from zhifa.records.services import record_append


def _check_period(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise InvalidInput("结束日期早于开始日期。", "ends_on is before starts_on.", field="ends_on")


def _check_inspector_count(n: int) -> None:
    minimum = conf.number("ZHIFA_INSPECTION_MIN_INSPECTORS")
    if n < minimum:
        raise RuleViolation(
            f"每次检查至少 {minimum} 名执法人员。",
            f"At least {minimum} officers per inspection.",
            code="too_few_inspectors",
            field="inspectors_per_inspection",
        )


@service
def task_create_random(
    user: User,
    *,
    plan_item: PlanItem,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    quarter: int | None = None,
    party_count: int | None = None,
    inspectors_per_inspection: int = 2,
    joint_agency_ids: Sequence[int] = (),
    advance_notice: bool = False,
    now: dt.datetime | None = None,
) -> InspectionTask:
    """双随机任务 — under an approved plan item; draws its secret now and publishes only its commitment.

    ``party_count`` draws that many parties from one pool; without it the pool is stratified by credit class
    (and by industry where the plan item says so) and every stratum draws its class's ratio.
    """
    plan = plan_item.plan
    perms.require(user, rules.MANAGE_TASK, plan)
    if plan.status not in (PlanStatus.APPROVED, PlanStatus.FILED, PlanStatus.PUBLISHED):
        raise RuleViolation(
            "无计划不检查：计划未经机关负责人批准。", "The plan is not approved.", code="plan_not_approved"
        )
    if not plan_item.item.legal_basis.strip():
        raise RuleViolation(
            "抽查事项没有检查依据。", "The item has no legal basis.", code="item_without_legal_basis"
        )
    _check_period(starts_on, ends_on)
    if quarter is not None and str(quarter) not in plan_item.quarters:
        raise RuleViolation(
            f"计划未安排在第 {quarter} 季度实施该事项。",
            f"The plan does not schedule this item in quarter {quarter}.",
            code="quarter_not_planned",
            field="quarter",
        )
    if party_count is not None and party_count < 1:
        raise InvalidInput("抽取对象数至少为 1。", "party_count must be at least 1.", field="party_count")
    if advance_notice and not plan.allow_advance_notice:
        raise RuleViolation(
            "计划不允许提前告知企业。", "The plan does not allow advance notice.", code="no_advance_notice"
        )
    _check_inspector_count(inspectors_per_inspection)
    at = _now(now)
    secret = secrets.token_bytes(32)
    task = InspectionTask.objects.create(
        agency=plan.agency,
        item=plan_item.item,
        plan_item=plan_item,
        kind=TaskKind.RANDOM,
        title=title,
        quarter=quarter,
        starts_on=starts_on,
        ends_on=ends_on,
        status=TaskStatus.APPROVED,  # approved with its plan by the agency head
        party_count=party_count,
        inspectors_per_inspection=inspectors_per_inspection,
        stratify_by_credit=party_count is None,
        stratify_by_industry=plan_item.stratify_by_industry and party_count is None,
        advance_notice=advance_notice,
        secret=secret,
        commitment=draw.commitment(secret).hex(),
        created_by=user,
        filed_at=at,
        approved_by=plan.approved_by,
        approved_at=plan.approved_at,
    )
    joint = [a for a in _agencies(joint_agency_ids, "joint_agency_ids") if a.pk != task.agency_id]
    task.joint_agencies.set(joint)
    entry = record_append(
        actor=user,
        action="inspection.task.create",
        obj=task,
        changes={
            "kind": task.kind,
            "plan_item": plan_item.pk,
            "item": task.item_id,
            "commitment": task.commitment,
            "party_count": party_count,
            "inspectors_per_inspection": inspectors_per_inspection,
            "joint_agencies": [a.pk for a in joint],
        },
        sequenced=True,  # the seq is kept on the row below
    )
    task.commitment_seq = entry.seq
    task.save(update_fields=["commitment_seq"])
    return task


def _qualified(officers: Iterable[Officer], domain: Domain, on: dt.date) -> dict[int, str]:
    """Officer id → the certificate number that lets them enforce in ``domain`` on ``on``."""
    found = {}
    for officer in officers:
        decision = officer_can_enforce(officer, domain, on)
        if decision.allowed and decision.certificate_number:
            found[officer.pk] = decision.certificate_number
    return found


def _conflicted(officer_ids: Iterable[int], party_ids: Iterable[int]) -> set[tuple[int, int]]:
    return set(
        ConflictOfInterest.objects.filter(
            officer_id__in=list(officer_ids), party_id__in=list(party_ids)
        ).values_list("officer_id", "party_id")
    )


@service
def task_file(
    user: User,
    *,
    agency: Agency,
    item: InspectionItem,
    kind: str,
    party: Party,
    officer_ids: Sequence[int],
    title: str,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date,
    is_emergency: bool = False,
    entered_inspection: Inspection | None = None,
    trigger_kind: str = "",
    trigger_ref: str = "",
    now: dt.datetime | None = None,
) -> InspectionTask:
    """报备 — file a non-random inspection (专项、投诉举报、上级交办、转办移送) before entering the enterprise.

    After entry only for an emergency, with its reason, within 24 hours (configurable): pass the inspection
    that was entered unfiled as ``entered_inspection``. The agency head approves it (``task_approve``).

    A routine one (no trigger) is refused for an enterprise on the 无事不扰 list (``no_disturb``) or at its
    yearly cap (``visit_cap_reached``); a triggered one (``trigger_kind``: 投诉举报, 转办移送, 问题线索 — a
    complaint or referral task is triggered by its kind) passes and records its trigger and reference. An
    emergency entry filed afterwards is not refused (the visit happened; the 高频 warning tells).
    """
    perms.require(user, rules.MANAGE_TASK, agency)
    if kind == TaskKind.RANDOM or kind not in TaskKind.values:
        raise InvalidInput("非随机检查的类型无效。", "Invalid non-random kind.", field="kind")
    if item.agency_id != agency.pk or not item.is_active:
        raise RuleViolation(
            "检查事项不属于本部门。", "The item is not this agency's.", code="item_not_in_agency_list"
        )
    if not item.legal_basis.strip():
        raise RuleViolation(
            "检查事项没有检查依据。", "The item has no legal basis.", code="item_without_legal_basis"
        )
    if not reason.strip():
        raise InvalidInput("请写明检查事由。", "A reason is required.", field="reason")
    _check_period(starts_on, ends_on)
    trigger, trigger_ref = _trigger_of(kind, trigger_kind, trigger_ref)
    at = _now(now)
    if entered_inspection is not None:
        hours = conf.number("ZHIFA_INSPECTION_EMERGENCY_FILING_HOURS")
        if entered_inspection.filed_at is not None:
            raise RuleViolation("该检查已报备。", "Already filed.", code="already_filed")
        if not is_emergency or not entered_inspection.is_emergency:
            raise RuleViolation(
                "无报备不进企：只有紧急检查可以在进企后补报。",
                "Only an emergency inspection may be filed after entry.",
                code="filed_after_entry",
            )
        if entered_inspection.entered_at is None or at > entered_inspection.entered_at + dt.timedelta(
            hours=hours
        ):
            raise RuleViolation(
                f"紧急检查须在进企后 {hours} 小时内补报，已超时。",
                f"Emergency inspections must be filed within {hours} h of entry.",
                code="emergency_filing_late",
            )
        if entered_inspection.party_id != party.pk or entered_inspection.agency_id != agency.pk:
            raise InvalidInput(
                "补报的对象或部门与进企记录不一致。", "Party or agency mismatch.", field="party_id"
            )
    if entered_inspection is None:
        routine_visit_check(agency, party, starts_on, trigger=trigger)
    ids = list(dict.fromkeys(officer_ids))
    _check_inspector_count(len(ids))
    officers = list(Officer.objects.filter(pk__in=ids, agency=agency))
    if len(officers) != len(ids):
        raise InvalidInput(
            "检查人员须为本部门执法人员。", "Officers must belong to the agency.", field="officer_ids"
        )
    certificates = _qualified(officers, item.domain, starts_on)
    unqualified = [o.name for o in officers if o.pk not in certificates]
    if unqualified:
        raise RuleViolation(
            f"{'、'.join(unqualified)}不具备该领域的执法资格。",
            "Some officers may not enforce in this domain.",
            code="officer_not_qualified",
            field="officer_ids",
        )
    if _conflicted(ids, [party.pk]):
        raise RuleViolation(
            "检查人员与检查对象存在回避情形。",
            "An officer has a recorded conflict.",
            code="conflict_of_interest",
        )
    task = InspectionTask.objects.create(
        agency=agency,
        item=item,
        kind=kind,
        title=title,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        status=TaskStatus.FILED,
        party_count=1,
        inspectors_per_inspection=len(ids),
        stratify_by_credit=False,
        is_emergency=is_emergency,
        trigger_kind=trigger,
        trigger_ref=trigger_ref,
        created_by=user,
        filed_at=at,
    )
    if entered_inspection is not None:
        inspection = entered_inspection
        inspection.task, inspection.kind, inspection.item, inspection.filed_at = task, kind, item, at
        inspection.trigger_kind, inspection.trigger_ref = trigger, trigger_ref
        inspection.save(update_fields=["task", "kind", "item", "filed_at", "trigger_kind", "trigger_ref"])
        InspectionOfficer.objects.filter(inspection=inspection).delete()
        inspection.checks.filter(agency_id=inspection.agency_id).exclude(item_id=item.pk).delete()
    else:
        inspection = Inspection.objects.create(
            task=task,
            agency=agency,
            item=item,
            party=party,
            kind=kind,
            scheduled_on=starts_on,
            filed_at=at,
            is_emergency=is_emergency,
            emergency_reason=reason if is_emergency else "",
            trigger_kind=trigger,
            trigger_ref=trigger_ref,
        )
    lead_checks_create([inspection])  # the entered visit's check now names the filed task
    inspection.checks.filter(agency_id=inspection.agency_id, item_id=item.pk).update(task=task)
    InspectionOfficer.objects.bulk_create(
        [
            InspectionOfficer(inspection=inspection, officer_id=oid, certificate_number=certificates[oid])
            for oid in ids
        ]
    )
    record_append(
        actor=user,
        action="inspection.task.file",
        obj=task,
        changes={
            "kind": kind,
            "item": item.pk,
            "party": party.pk,
            "officers": ids,
            "reason": reason,
            "emergency": is_emergency,
            "inspection": inspection.pk,
            "filed_after_entry": entered_inspection is not None,
            "trigger_kind": trigger,
            "trigger_ref": trigger_ref,
        },
    )
    if entered_inspection is None:  # 自动匹配: other planned visits of the party within the window
        merge_proposals_refresh([party.pk], actor=user, now=at)
    return task


_TRIGGER_OF_KIND = {TaskKind.COMPLAINT: TriggerKind.COMPLAINT, TaskKind.REFERRAL: TriggerKind.REFERRAL}


def _trigger_of(kind: str, trigger_kind: str, trigger_ref: str) -> tuple[str, str]:
    """检查触发来源: a complaint or referral task is triggered by its kind; any other names its trigger (a lead
    from a case, a warning, monitoring data …), and a lead names its source."""
    trigger = trigger_kind or _TRIGGER_OF_KIND.get(TaskKind(kind), TriggerKind.NONE)
    if trigger not in TriggerKind.values:
        raise InvalidInput("检查触发来源无效。", "Unknown trigger kind.", field="trigger_kind")
    ref = trigger_ref.strip()
    if trigger == TriggerKind.LEAD and not ref:
        raise InvalidInput(
            "问题线索须写明来源编号（如案件编号、预警编号、监测记录）。",
            "A lead needs its reference (case, warning, monitoring record).",
            field="trigger_ref",
        )
    if trigger == TriggerKind.NONE and ref:
        raise InvalidInput(
            "日常检查没有触发来源编号。",
            "A routine inspection has no trigger reference.",
            field="trigger_ref",
        )
    return trigger, ref[:200]


@service
def task_approve(user: User, task: InspectionTask, *, now: dt.datetime | None = None) -> InspectionTask:
    """批准 — the agency head approves a filed non-random inspection; its inspection code becomes valid."""
    perms.require(user, rules.APPROVE_TASK, task)
    if task.parts.exists():
        raise RuleViolation(
            "联合检查任务由各部门负责人分别批准。",
            "A joint task is approved by each agency's head.",
            code="joint_task",
        )
    if task.status != TaskStatus.FILED:
        raise RuleViolation(
            "任务不是待批准状态。", "The task is not awaiting approval.", code="task_not_filed"
        )
    task.status, task.approved_by, task.approved_at = TaskStatus.APPROVED, user, _now(now)
    task.save(update_fields=["status", "approved_by", "approved_at"])
    record_append(actor=user, action="inspection.task.approve", obj=task, changes={"status": task.status})
    return task


@service
def task_cancel(
    user: User, task: InspectionTask, *, reason: str, now: dt.datetime | None = None
) -> InspectionTask:
    """撤销检查任务 — the agency head withdraws a task not yet carried out; its planned visits leave the
    officers' lists, and work captured offline for them meanwhile syncs as a conflict (never lost).

    Only the head (``approve_task``, the agency's own scope). Refused: a reason missing, a task already
    cancelled or closed, a task with a visit whose result is entered.
    """
    task = InspectionTask.objects.select_for_update().get(pk=task.pk)
    perms.require(user, rules.APPROVE_TASK, task)
    if not reason.strip():
        raise InvalidInput("请写明撤销理由。", "A reason is required.", field="reason")
    if task.status in (TaskStatus.CANCELLED, TaskStatus.CLOSED):
        raise RuleViolation("该任务已撤销或已结束。", "The task is already over.", code="task_over")
    if task.inspections.filter(status=InspectionStatus.DONE).exists():
        raise RuleViolation(
            "该任务已有检查录入结果，不能撤销。",
            "A visit of the task has its result.",
            code="task_has_results",
        )
    before = task.status
    task.status = TaskStatus.CANCELLED
    task.save(update_fields=["status"])
    record_append(
        actor=user,
        action="inspection.task.cancel",
        obj=task,
        changes={"from": before, "reason": reason.strip()[:500], "at": _now(now)},
    )
    return task
