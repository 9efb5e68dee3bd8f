"""Reads of the enterprise's own area (企业端). Every read starts from the parties the user acts for (its 企业用户
grants only: staff who may see a party do not act for it) and from the inspections app's scoped selector.

Which visits an enterprise sees: every visit that has taken place (checked in or done, filed or not — an
unfiled entry is the enterprise's business too), and the planned visits it has been told of: a filed,
approved visit whose task announces it in advance (提前告知企业) or for which the agency has offered visit times
(商定入企时间). A random visit not announced in advance stays unseen until the officers check in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from zhifa.complaints import selectors as complaint_selectors
from zhifa.complaints.models import Complaint
from zhifa.core import clock
from zhifa.core.errors import NotFound
from zhifa.disclosure.models import PublicationStatus
from zhifa.disclosure.selectors import party_publications
from zhifa.inspections import rules as inspection_rules
from zhifa.inspections import selectors as inspection_selectors
from zhifa.inspections.models import (
    ChecklistLine,
    Inspection,
    InspectionCheck,
    InspectionOfficer,
    InspectionStatus,
    Outcome,
    TaskStatus,
    VisitWindow,
)
from zhifa.inspections.services import visit_slots
from zhifa.org import permissions as perms
from zhifa.org.models import Role, User
from zhifa.org.selectors import officer_can_enforce


def party_ids(user: User) -> list[int]:
    """The parties the user acts for as 企业用户."""
    return sorted({g.party_id for g in perms.grants(user) if g.role == Role.ENTERPRISE and g.party_id})


def _visible() -> Q:
    announced = Q(task__advance_notice=True) | Q(visit_window__isnull=False)
    planned = Q(
        status=InspectionStatus.PLANNED,
        filed_at__isnull=False,
        task__status__in=[TaskStatus.APPROVED, TaskStatus.DRAWN],
    )
    return ~Q(status=InspectionStatus.PLANNED) | (planned & announced)


def my_inspections(user: User) -> QuerySet[Inspection]:
    """我的检查 — the visits of the user's parties it may see (see the module's docstring), any order."""
    return (
        inspection_selectors.inspections(user)
        .filter(party_id__in=party_ids(user))
        .filter(_visible())
        .select_related("visit_window", "item__domain", "task")
    )


def upcoming(user: User) -> QuerySet[Inspection]:
    """待检查 — announced planned visits, the nearest first."""
    return my_inspections(user).filter(status=InspectionStatus.PLANNED).order_by("scheduled_on", "id")


def history(user: User) -> QuerySet[Inspection]:
    """检查记录 — visits that took place, the latest first."""
    return my_inspections(user).exclude(status=InspectionStatus.PLANNED).order_by("-inspected_day", "-id")


@dataclass(frozen=True)
class OfficerLine:
    """One officer of the visit with the live check of the org gate (``officer_can_enforce``) on today's date."""

    name: str
    agency_name: str
    certificate_number: str
    allowed: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class CheckLine:
    """One item checked on the visit (检查事项), for one agency, with its legal basis, checklist and result."""

    agency_name: str
    item_code: str
    item_name: str
    legal_basis: str
    outcome: str
    outcome_label: str
    findings: str
    recognised: bool
    checklist: list[ChecklistLine] = field(default_factory=list)


@dataclass(frozen=True)
class Slot:
    start: dt.datetime  # local time
    agreed: bool


@dataclass(frozen=True)
class VisitDetail:
    inspection: Inspection
    notice: str
    officers: list[OfficerLine]
    checks: list[CheckLine]
    window: VisitWindow | None
    slots: list[Slot]  # the window's slots still ahead (the agreed one always shown)
    can_agree: bool
    rectify_open: bool


def notice_text(inspection: Inspection) -> str:
    """提前告知 — how the enterprise was told of a planned visit (empty once it took place)."""
    if inspection.status != InspectionStatus.PLANNED:
        return ""
    window = _window(inspection)
    if window is not None and window.agreed_start is not None:
        return f"已商定入企时间：{clock.local(window.agreed_start):%Y-%m-%d %H:%M}"
    if window is not None:
        return "执法机关已提前告知本次检查，请在可选时段中商定入企时间。"
    return "执法机关已提前告知本次检查。"


def _window(inspection: Inspection) -> VisitWindow | None:
    try:
        return inspection.visit_window
    except VisitWindow.DoesNotExist:
        return None


def visit_detail(user: User, pk: int, *, now: dt.datetime | None = None) -> VisitDetail:
    """One visit of the user's parties with everything the enterprise is entitled to know before and after."""
    inspection = (
        my_inspections(user).select_related("agency", "party", "task__plan_item__plan").filter(pk=pk).first()
    )
    if inspection is None:
        raise NotFound(
            "检查不存在或不在您的数据范围内。", "Inspection not found.", code="inspection_not_found"
        )
    current = now or clock.now()
    today = clock.business_date(current)
    checks = list(
        InspectionCheck.objects.filter(inspection=inspection)
        .select_related("agency", "item__domain")
        .order_by("id")
    )
    day = inspection.inspected_on or inspection.scheduled_on or today
    lists = inspection_selectors.checklists_on([c.item_id for c in checks], day)
    domain_by_agency: dict[int, object] = {}
    for c in checks:
        domain_by_agency.setdefault(c.agency_id, c.item.domain)
    officers = []
    for a in InspectionOfficer.objects.filter(inspection=inspection).select_related("officer__agency"):
        domain = domain_by_agency.get(a.officer.agency_id) or (
            inspection.item.domain if inspection.item else None
        )
        decision = officer_can_enforce(a.officer, domain, today) if domain is not None else None  # type: ignore[arg-type]
        officers.append(
            OfficerLine(
                name=a.officer.name,
                agency_name=a.officer.agency.name,
                certificate_number=a.certificate_number,
                allowed=bool(decision and decision.allowed),
                reasons=decision.reasons if decision else ("未登记检查事项，无法核验执法领域。",),
            )
        )
    check_lines = [
        CheckLine(
            agency_name=c.agency.name,
            item_code=c.item.code,
            item_name=c.item.name,
            legal_basis=c.item.legal_basis,
            outcome=c.outcome,
            outcome_label=c.get_outcome_display() if c.outcome else "",
            findings=c.findings,
            recognised=c.recognised_from_id is not None,
            checklist=lists.get(c.item_id, []),
        )
        for c in checks
    ]
    window = _window(inspection)
    slots: list[Slot] = []
    if window is not None:
        for start in visit_slots(window):
            agreed = start == window.agreed_start
            if start > current or agreed:
                slots.append(Slot(clock.local(start), agreed))
    can_agree = (
        window is not None
        and inspection.status == InspectionStatus.PLANNED
        and perms.can(user, inspection_rules.AGREE_VISIT_TIME, inspection)
    )
    rectify_open = (
        inspection.outcome == Outcome.RECTIFY
        and inspection.recheck_at is None
        and inspection.rectification_closed_at is None
    )
    return VisitDetail(
        inspection, notice_text(inspection), officers, check_lines, window, slots, can_agree, rectify_open
    )


def checks_by_inspection(inspection_ids: list[int]) -> dict[int, list[InspectionCheck]]:
    """The checks of several visits at once (history rows: the result of each item)."""
    out: dict[int, list[InspectionCheck]] = defaultdict(list)
    for c in (
        InspectionCheck.objects.filter(inspection_id__in=inspection_ids)
        .select_related("agency", "item")
        .order_by("inspection_id", "id")
    ):
        out[c.inspection_id].append(c)
    return out


# --- 待办 -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnterpriseTodos:
    """What the enterprise has to act on or prepare for (its 工作台 待办)."""

    to_agree: int  # planned visits with a window but no agreed time
    upcoming: int  # announced planned visits
    rectifications_due: list[Inspection]  # 责令整改 not yet re-checked, nearest deadline first
    decisions_public: int  # its decisions in their publication period
    decisions_total: int


def enterprise_todos(user: User, *, today: dt.date | None = None) -> EnterpriseTodos:
    today = today or clock.today()
    planned = upcoming(user)
    rectify = list(
        my_inspections(user)
        .filter(outcome=Outcome.RECTIFY, recheck_at__isnull=True, rectification_closed_at__isnull=True)
        .order_by("rectify_deadline", "id")[:20]  # a panel's worth
    )
    publications = party_publications(user)
    public = sum(1 for p in publications if p.status == PublicationStatus.PUBLISHED and not p.expired(today))
    return EnterpriseTodos(
        to_agree=planned.filter(visit_window__isnull=False, visit_window__agreed_start__isnull=True).count(),
        upcoming=planned.count(),
        rectifications_due=rectify,
        decisions_public=public,
        decisions_total=len(publications),
    )


def my_complaints(user: User) -> list[Complaint]:
    """我的投诉 — complaints the user submitted while signed in, newest first (the tracking code finds others)."""
    return list(complaint_selectors.complaints_submitted_by(user)[:50])
