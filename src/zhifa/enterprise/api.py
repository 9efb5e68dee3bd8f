"""The enterprise API under /api/enterprise/ (企业端): the user's own inspections, newest first and keyset-paged
(``?cursor=<next_cursor>&limit=50``), one inspection with its officers, items and checklist, and 商定入企时间.

Only the enterprise role uses it (action ``enterprise.use``); every read starts from the parties the user acts
for, so another party's inspection answers 404 as if it did not exist.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.params.functions import Path

from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.enterprise import rules, selectors
from zhifa.enterprise.schemas import EnterpriseInspectionDetail, EnterpriseInspectionPage, VisitTimeIn
from zhifa.inspections import services as inspection_services
from zhifa.inspections.models import Inspection, VisitWindow
from zhifa.inspections.schemas import MAX_ID
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller, keyset
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["enterprise"])

MAX_LIMIT = 200
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _window(i: Inspection) -> VisitWindow | None:
    try:
        return i.visit_window
    except VisitWindow.DoesNotExist:
        return None


def _out(i: Inspection) -> dict[str, Any]:
    w = _window(i)
    return {
        "id": i.pk,
        "agency_name": i.agency.name,
        "item_name": i.item.name if i.item else "",
        "kind": i.kind,
        "kind_label": i.get_kind_display(),
        "status": i.status,
        "status_label": i.get_status_display(),
        "mode_label": i.get_mode_display(),
        "notice": selectors.notice_text(i),
        "task_title": i.task.title if i.task else "",
        "task_starts_on": i.task.starts_on if i.task else None,
        "task_ends_on": i.task.ends_on if i.task else None,
        "scheduled_on": i.scheduled_on,
        "entered_at": i.entered_at,
        "filed": i.filed_at is not None,
        "outcome": i.outcome,
        "outcome_label": i.get_outcome_display() if i.outcome else "",
        "rectify_deadline": i.rectify_deadline,
        "recheck_passed": i.recheck_passed,
        "visit_window": None
        if w is None
        else {
            "first_day": w.first_day,
            "last_day": w.last_day,
            "day_starts": w.day_starts,
            "day_ends": w.day_ends,
            "slot_minutes": w.slot_minutes,
            "note": w.note,
            "agreed_start": w.agreed_start,
        },
    }


def _detail(request: HttpRequest, inspection_id: int) -> dict[str, Any]:
    d = selectors.visit_detail(caller(request), inspection_id)
    return {
        **_out(d.inspection),
        "officers": [
            {
                "name": o.name,
                "agency_name": o.agency_name,
                "certificate_number": o.certificate_number,
                "may_enforce": o.allowed,
                "reasons": list(o.reasons),
            }
            for o in d.officers
        ],
        "checks": [
            {
                "agency_name": c.agency_name,
                "item_code": c.item_code,
                "item_name": c.item_name,
                "legal_basis": c.legal_basis,
                "outcome": c.outcome,
                "outcome_label": c.outcome_label,
                "findings": c.findings,
                "recognised": c.recognised,
                "checklist": [line.content for line in c.checklist],
            }
            for c in d.checks
        ],
        "slots": [s.start for s in d.slots],
    }


@router.get(
    "/inspections", response={200: EnterpriseInspectionPage, **READ_ERRORS}, summary="我的检查（企业）"
)
def my_inspections(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    user = caller(request)
    perms.require(user, rules.USE, request=request)
    qs = selectors.my_inspections(user).select_related("agency")
    rows, next_cursor = keyset(qs, cursor, limit)
    return {"items": [_out(i) for i in rows], "next_cursor": next_cursor}


@router.get(
    "/inspections/{inspection_id}",
    response={200: EnterpriseInspectionDetail, **READ_ERRORS},
    summary="检查详情（企业）",
)
def my_inspection(request: HttpRequest, inspection_id: PathId) -> dict[str, Any]:
    perms.require(caller(request), rules.USE, request=request)
    return _detail(request, inspection_id)


@router.post(
    "/inspections/{inspection_id}/visit-time",
    response={200: EnterpriseInspectionDetail, **WRITE_ERRORS},
    summary="商定入企时间（企业选定时段）",
)
def visit_time(request: HttpRequest, inspection_id: PathId, payload: VisitTimeIn) -> dict[str, Any]:
    user = caller(request)
    # the visit first (404 outside the user's own parties, as if it did not exist); the service checks the role
    detail = selectors.visit_detail(user, inspection_id)
    inspection_services.visit_time_agree(user, detail.inspection, start=payload.start)
    return _detail(request, inspection_id)
