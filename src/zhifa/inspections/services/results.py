"""检查结果: record the result of an inspection, a case source from it, and the recheck."""

from __future__ import annotations

import datetime as dt

from zhifa.core import clock
from zhifa.core.errors import ConfigurationMissing, InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.core.workdays import add_working_days
from zhifa.inspections import conf
from zhifa.inspections.models import Inspection, InspectionCheck, InspectionStatus, Outcome
from zhifa.inspections.services._common import _now, _officer_of, require_inspect
from zhifa.inspections.services.joint import inspection_check_recheck, inspection_check_result
from zhifa.org.models import Officer, User
from zhifa.records.services import record_append


def _on_inspection(user: User, inspection: Inspection) -> Officer:
    require_inspect(user, inspection)
    officer = _officer_of(user)
    if not inspection.assignments.filter(officer=officer).exists():
        raise RuleViolation(
            f"{officer.name}不是本次检查的检查人员。",
            "The officer is not on this inspection.",
            code="officer_not_on_task",
        )
    return officer


def _joint_lead_check(inspection: Inspection) -> InspectionCheck | None:
    """The lead check of a visit with several checks (综合查一次); ``None`` for a single-item visit."""
    checks = list(inspection.checks.all()[:2])
    if len(checks) < 2:
        return None
    return inspection.checks.filter(agency_id=inspection.agency_id, item_id=inspection.item_id).first()


def _case_source(user: User, inspection: Inspection, officer: Officer, reason: str) -> None:
    """立案 — the result becomes a case source (案源) on the ledger; the cases app reads it from there."""
    item = inspection.item
    entry = record_append(
        actor=user,
        action="inspection.result.case_source",
        obj=inspection,
        officer=officer,
        changes={
            "inspection": inspection.pk,
            "party": inspection.party_id,
            "agency": inspection.agency_id,
            "item": item.pk if item else None,
            "item_name": item.name if item else "",
            "legal_basis": item.legal_basis if item else "",
            "findings": inspection.findings,
            "reason": reason,
        },
        sequenced=True,  # the seq is kept on the row below
    )
    inspection.case_source_seq = entry.seq
    inspection.save(update_fields=["case_source_seq"])


@service
def inspection_result(
    user: User,
    inspection: Inspection,
    *,
    outcome: str,
    findings: str,
    rectify_deadline: dt.date | None = None,
    at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Inspection:
    """检查结果 — 合格, 责令整改 (with a deadline and a re-check) or 立案 (a case source); due for publication
    within 20 working days (configurable).

    ``at`` is when the result was recorded on site (work captured offline and synced later): the result's
    time, the day the deadline must follow and the publication is counted from, and the ledger entry's
    ``occurred_at``; the entry's own time is the sync time."""
    inspection = (
        Inspection.objects.select_for_update(of=("self",)).select_related("item").get(pk=inspection.pk)
    )
    joint = _joint_lead_check(inspection)
    if joint is not None:  # 综合查一次: the visit's lead item; the visit is done when every item is
        inspection_check_result(
            user, joint, outcome=outcome, findings=findings, rectify_deadline=rectify_deadline, now=now
        )
        return Inspection.objects.get(pk=inspection.pk)
    officer = _on_inspection(user, inspection)
    if outcome not in Outcome.values:
        raise InvalidInput("检查结果无效。", "Invalid outcome.", field="outcome")
    if inspection.status != InspectionStatus.CHECKED_IN:
        raise RuleViolation(
            "须先扫码进企，且结果只能录入一次。",
            "Check in first; a result is entered once.",
            code="not_checked_in",
        )
    current = _now(at) if at is not None else _now(now)
    today = clock.business_date(current)
    if outcome == Outcome.RECTIFY:
        if rectify_deadline is None or rectify_deadline <= today:
            raise InvalidInput(
                "责令整改须写明晚于今天的整改期限。",
                "Rectification needs a deadline after today.",
                field="rectify_deadline",
            )
    elif rectify_deadline is not None:
        raise InvalidInput(
            "只有责令整改才有整改期限。", "Only rectification has a deadline.", field="rectify_deadline"
        )
    if not findings.strip():
        raise InvalidInput("请填写检查情况。", "Findings are required.", field="findings")
    try:
        publish_due: dt.date | None = add_working_days(
            today, conf.number("ZHIFA_INSPECTION_RESULT_PUBLISH_WORKING_DAYS")
        )
    except ConfigurationMissing:
        publish_due = None  # the year's holiday schedule is not entered yet; computed when it is
    inspection.status, inspection.outcome, inspection.findings = InspectionStatus.DONE, outcome, findings
    inspection.result_at, inspection.rectify_deadline, inspection.publish_due = (
        current,
        rectify_deadline,
        publish_due,
    )
    inspection.save(
        update_fields=["status", "outcome", "findings", "result_at", "rectify_deadline", "publish_due"]
    )
    inspection.checks.filter(agency_id=inspection.agency_id, item_id=inspection.item_id).update(
        outcome=outcome, findings=findings, result_at=current
    )
    record_append(
        actor=user,
        action="inspection.result",
        obj=inspection,
        officer=officer,
        occurred_at=current if at is not None else None,
        changes={"outcome": outcome, "findings": findings, "rectify_deadline": rectify_deadline},
    )
    if outcome == Outcome.CASE:
        _case_source(user, inspection, officer, reason="inspection_result")
    return inspection


@service
def inspection_recheck(
    user: User, inspection: Inspection, *, passed: bool, findings: str, now: dt.datetime | None = None
) -> Inspection:
    """复查 — a rectification passes (销号) or, not rectified, becomes a case source."""
    inspection = (
        Inspection.objects.select_for_update(of=("self",)).select_related("item").get(pk=inspection.pk)
    )
    joint = _joint_lead_check(inspection)
    if joint is not None:
        inspection_check_recheck(user, joint, passed=passed, findings=findings, now=now)
        return Inspection.objects.get(pk=inspection.pk)
    officer = _on_inspection(user, inspection)
    if inspection.outcome != Outcome.RECTIFY or inspection.recheck_at is not None:
        raise RuleViolation(
            "该检查没有待复查的整改。", "No rectification awaits a re-check.", code="no_rectification"
        )
    current = _now(now)
    inspection.recheck_at, inspection.recheck_passed = current, passed
    inspection.findings = f"{inspection.findings}\n复查：{findings}".strip()
    fields = ["recheck_at", "recheck_passed", "findings"]
    if passed:
        inspection.rectification_closed_at = current
        fields.append("rectification_closed_at")
    inspection.save(update_fields=fields)
    record_append(
        actor=user,
        action="inspection.recheck",
        obj=inspection,
        officer=officer,
        changes={"passed": passed, "findings": findings},
    )
    if not passed:
        _case_source(user, inspection, officer, reason="not_rectified")
    return inspection
