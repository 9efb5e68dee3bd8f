"""扫码进企: check in with the inspection code, report a forged code, enter unfiled, and what a code shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.inspections import codes, conf, rules
from zhifa.inspections.models import (
    Inspection,
    InspectionItem,
    InspectionOfficer,
    InspectionStatus,
    InspectionWarning,
    TaskKind,
    TaskStatus,
    WarningKind,
)
from zhifa.inspections.services._common import _now, _officer_of, lead_checks_create, require_inspect
from zhifa.inspections.warnings import day_number, warnings_for_inspection
from zhifa.org import permissions as perms
from zhifa.org.models import Certificate, Officer, Party, User
from zhifa.records.services import record_append


def _set_inspected(inspection: Inspection, at: dt.datetime) -> list[str]:
    local = clock.business_date(at)
    inspection.inspected_on = local
    inspection.inspected_day = day_number(local)
    inspection.inspected_year = local.year
    return ["inspected_on", "inspected_day", "inspected_year"]


@service
def forged_code_report(
    *, code: str, officer: Officer | None, claimed: codes.CodePayload | None, where: str
) -> InspectionWarning | None:
    """伪造检查码 — record a warning for a code whose signature does not hold (committed on its own)."""
    inspection = Inspection.objects.filter(pk=claimed.inspection_id).first() if claimed else None
    agency_id = inspection.agency_id if inspection else (officer.agency_id if officer else None)
    if agency_id is None:
        return None  # nothing names an agency to warn: the refusal itself is all there is
    detail = {"where": where, "code_prefix": code[:40], "officer": officer.pk if officer else None}
    if inspection is not None:
        warning, created = InspectionWarning.objects.get_or_create(
            kind=WarningKind.FORGED_CODE,
            basis="",
            inspection=inspection,
            defaults={
                "agency_id": agency_id,
                "party_id": inspection.party_id,
                "count": 1,
                "detail": detail,
                "created_at": clock.now(),
            },
        )
        if not created:
            InspectionWarning.objects.filter(pk=warning.pk).update(count=F("count") + 1)
    else:
        warning = InspectionWarning.objects.create(
            kind=WarningKind.FORGED_CODE,
            agency_id=agency_id,
            count=1,
            detail=detail,
            created_at=clock.now(),
        )
    record_append(
        action="inspection.code.forged",
        obj=warning,
        officer=officer,
        changes={"where": where, "detail": detail},
    )
    return warning


def _verified(code: str, *, officer: Officer | None, where: str) -> tuple[codes.CodePayload, Inspection]:
    try:
        payload = codes.read_code(code)
    except codes.ForgedCode as exc:
        forged_code_report(code=code, officer=officer, claimed=exc.claimed, where=where)
        raise InvalidInput(
            "检查码无效或被篡改，已记录预警。",
            "Forged or damaged inspection code.",
            code="inspection_code_forged",
        ) from None
    inspection = (
        Inspection.objects.select_related("task", "agency__region", "item__domain", "party")
        .filter(pk=payload.inspection_id, party_id=payload.party_id)
        .first()
    )
    if inspection is None:
        forged_code_report(code=code, officer=officer, claimed=None, where=where)
        raise InvalidInput(
            "检查码无效或被篡改，已记录预警。",
            "Forged or damaged inspection code.",
            code="inspection_code_forged",
        )
    return payload, inspection


def _within(payload: codes.CodePayload, at: dt.datetime) -> None:
    if at < payload.not_before:
        raise RuleViolation(
            f"检查码自 {clock.local(payload.not_before):%Y-%m-%d} 起有效，尚未生效。",
            "The inspection code is not valid yet.",
            code="inspection_code_not_yet_valid",
        )
    if at >= payload.not_after:
        raise RuleViolation(
            f"检查码已于 {clock.local(payload.not_after):%Y-%m-%d %H:%M} 过期。",
            "The inspection code has expired.",
            code="inspection_code_expired",
        )


def inspection_check_in(
    user: User, code: str, *, place: str, at: dt.datetime | None = None, now: dt.datetime | None = None
) -> Inspection:
    """扫码进企 — the officer checks in with the inspection code (time, place).

    ``at`` is when the officer was on site (offline entries give it); entered more than the configured hours
    later, the entry is flagged (超时补录). Refused: a forged code (a warning is recorded and kept), an expired
    or not yet valid code, an officer not on the task, an inspection already checked in.
    """
    officer = Officer.objects.filter(user_id=getattr(user, "pk", None)).select_related("agency").first()
    _, inspection = _verified(code, officer=officer, where="check_in")
    return _check_in(user, officer, inspection, code, place=place, at=at, now=now)


@service
def _check_in(
    user: User,
    officer: Officer | None,
    inspection: Inspection,
    code: str,
    *,
    place: str,
    at: dt.datetime | None,
    now: dt.datetime | None,
) -> Inspection:
    payload = codes.read_code(code)
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("task", "party", "agency__region")
        .get(pk=inspection.pk)
    )
    require_inspect(user, inspection)  # a partner agency's officer of a joint visit too
    officer = officer or _officer_of(user)
    if not inspection.assignments.filter(officer=officer).exists():
        raise RuleViolation(
            f"{officer.name}不是本次检查任务的检查人员，不能扫码进企。",
            "The officer is not on this inspection.",
            code="officer_not_on_task",
        )
    current = _now(now)
    on_site = _now(at) if at is not None else current
    if on_site > current + dt.timedelta(minutes=5):
        raise InvalidInput("进企时间不能晚于当前时间。", "Check-in time is in the future.", field="at")
    _within(payload, on_site)
    if inspection.task is not None and inspection.task.status == TaskStatus.CANCELLED:
        raise RuleViolation("检查任务已撤销。", "The task was cancelled.", code="task_cancelled")
    if inspection.task is None or inspection.task.status not in (TaskStatus.APPROVED, TaskStatus.DRAWN):
        raise RuleViolation("检查任务未经批准。", "The task is not approved.", code="task_not_approved")
    if inspection.status == InspectionStatus.MERGED:
        raise RuleViolation(
            "该检查已并入另一次检查（合并检查），请使用合并后检查的检查码。",
            "The visit was merged into another; use that visit's code.",
            code="visit_merged",
        )
    if inspection.status != InspectionStatus.PLANNED:
        raise RuleViolation("该检查已进企签到。", "Already checked in.", code="already_checked_in")
    if not place.strip():
        raise InvalidInput("请填写检查地点。", "The place is required.", field="place")
    late_after = dt.timedelta(hours=conf.number("ZHIFA_INSPECTION_OFFLINE_ENTRY_HOURS"))
    inspection.status = InspectionStatus.CHECKED_IN
    inspection.entered_at, inspection.place, inspection.recorded_at = on_site, place, current
    inspection.entered_late = current - on_site > late_after
    fields = [
        "status",
        "entered_at",
        "place",
        "recorded_at",
        "entered_late",
        *_set_inspected(inspection, on_site),
    ]
    inspection.save(update_fields=fields)
    record_append(
        actor=user,
        action="inspection.check_in",
        obj=inspection,
        officer=officer,
        place=place[:200],
        occurred_at=on_site,
        changes={"entered_at": on_site, "late": inspection.entered_late},
    )
    warnings_for_inspection(inspection, now=current)
    return inspection


@service
def inspection_enter_unfiled(
    user: User,
    *,
    party: Party,
    item: InspectionItem | None,
    place: str,
    at: dt.datetime | None = None,
    emergency_reason: str = "",
    officer_ids: Sequence[int] = (),
    now: dt.datetime | None = None,
) -> Inspection:
    """进企记录（未报备）— an officer records an entry that had no filed task.

    With an emergency reason it may be filed within 24 hours (``task_file(entered_inspection=…)``); without
    one it is 应报备未报备 at once. Either way it is on the record and on the warning queue if unfiled.
    """
    officer = _officer_of(user)
    perms.require(user, rules.INSPECT, officer.agency)
    current = _now(now)
    on_site = _now(at) if at is not None else current
    inspection = Inspection(
        agency=officer.agency,
        item=item,
        party=party,
        kind=TaskKind.SPECIAL,
        status=InspectionStatus.CHECKED_IN,
        is_emergency=bool(emergency_reason.strip()),
        emergency_reason=emergency_reason.strip(),
        entered_at=on_site,
        place=place,
        recorded_at=current,
    )
    _set_inspected(inspection, on_site)
    inspection.save()
    lead_checks_create([inspection])
    ids = list(dict.fromkeys([officer.pk, *officer_ids]))
    if Officer.objects.filter(pk__in=ids, agency_id=officer.agency_id).count() != len(ids):
        raise InvalidInput(
            "检查人员须为本部门执法人员。", "Officers must belong to the agency.", field="officer_ids"
        )
    InspectionOfficer.objects.bulk_create(
        [InspectionOfficer(inspection=inspection, officer_id=oid, certificate_number="") for oid in ids]
    )
    record_append(
        actor=user,
        action="inspection.enter_unfiled",
        obj=inspection,
        officer=officer,
        place=place[:200],
        occurred_at=on_site,
        changes={"party": party.pk, "emergency_reason": inspection.emergency_reason},
    )
    warnings_for_inspection(inspection, now=current)
    return inspection


@dataclass(frozen=True)
class CodeView:
    """What the enterprise sees when it scans the code: who is coming, with what authority, on what basis."""

    inspection: Inspection
    valid_now: bool
    not_before: dt.datetime
    not_after: dt.datetime
    officers: list[dict[str, Any]]


def inspection_code_view(code: str, *, now: dt.datetime | None = None) -> CodeView:
    """企业扫码核验 — read an inspection through its code; a forged code is refused and recorded."""
    payload, inspection = _verified(code, officer=None, where="enterprise_scan")
    current = _now(now)
    assignments = InspectionOfficer.objects.filter(inspection=inspection).select_related("officer")
    officer_ids = [a.officer_id for a in assignments]
    certs = {
        c.number: c
        for c in Certificate.objects.filter(officer_id__in=officer_ids).prefetch_related("domains")
    }
    officers = []
    for a in assignments:
        cert = certs.get(a.certificate_number)
        officers.append(
            {
                "name": a.officer.name,
                "certificate_number": a.certificate_number,
                "certificate_status": cert.effective_status_label(clock.business_date(current))
                if cert
                else "",
                "certificate_expires_on": cert.expires_on if cert else None,
                "domains": [d.name for d in cert.domains.all()] if cert else [],
                "issuer": cert.issuer if cert else "",
            }
        )
    task_ok = inspection.task is not None and inspection.task.status in (
        TaskStatus.APPROVED,
        TaskStatus.DRAWN,
    )
    valid = task_ok and payload.not_before <= current < payload.not_after
    return CodeView(inspection, valid, payload.not_before, payload.not_after, officers)
