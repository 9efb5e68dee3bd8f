"""报送事项 — JSON API under /api/reporting/: my obligations, reports (list, detail, draft, edit, submit,
accept, return, the government's approval). Parse, call a selector or service, return a schema."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from zhifa.core import clock
from zhifa.core.apitypes import Id
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller
from zhifa.org.models import Agency, Region
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS
from zhifa.reporting import rules, selectors, services
from zhifa.reporting.models import Report, ReportKind

router = Router(tags=["reporting"])


class ReportingSectionOut(Schema):
    title: str
    text: str


class ReportingReportOut(Schema):
    id: int
    kind_id: int
    kind: str
    filer: str
    filer_agency_id: int | None
    filer_region: str
    receiver_region: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    status: str
    status_label: str
    submitted_late: bool
    figures: list[list[Any]]
    sections: list[ReportingSectionOut]
    return_reason: str
    government_reference: str
    government_approved_on: dt.date | None


class ReportingObligationOut(Schema):
    kind_id: int
    kind: str
    filer: str
    agency_id: int | None
    region: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    overdue: bool
    report_id: int | None
    status: str


class ReportingDraftIn(Schema):
    kind_id: Id
    agency_id: Id | None = None
    region: str = ""
    period_start: dt.date


class ReportingEditIn(Schema):
    sections: Annotated[dict[str, Annotated[str, Field(max_length=services.SECTION_TEXT_MAX)]], Field()]


class ReportingReturnIn(Schema):
    reason: Annotated[str, Field(max_length=2000)]


class ReportingGovernmentIn(Schema):
    reference: Annotated[str, Field(max_length=100)]
    approved_on: dt.date


def _out(r: Report) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind_id": r.kind_id,
        "kind": r.kind.name,
        "filer": r.filer_name,
        "filer_agency_id": r.filer_agency_id,
        "filer_region": r.filer_region.code,
        "receiver_region": r.kind.region.code,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "due_on": r.due_on,
        "status": r.status,
        "status_label": r.get_status_display(),
        "submitted_late": r.submitted_late,
        "figures": r.figures,
        "sections": [{"title": s["title"], "text": s.get("text", "")} for s in r.sections],
        "return_reason": r.return_reason,
        "government_reference": r.government_reference,
        "government_approved_on": r.government_approved_on,
    }


def _get(request: HttpRequest, report_id: int) -> Report:
    return selectors.report_get(caller(request), report_id)


@router.get(
    "/obligations", response={200: list[ReportingObligationOut], **READ_ERRORS}, summary="我的应报事项"
)
def obligations(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.FILE)
    today = clock.today()
    return [
        {
            "kind_id": o.kind.pk,
            "kind": o.kind.name,
            "filer": o.filer_name,
            "agency_id": o.agency.pk if o.agency else None,
            "region": o.region.code,
            "period_start": o.period.start,
            "period_end": o.period.end,
            "due_on": o.period.due_on,
            "overdue": o.overdue(today),
            "report_id": o.report.pk if o.report else None,
            "status": o.report.status if o.report else "",
        }
        for o in selectors.obligations_for_filer(user)[:200]
    ]


@router.get(
    "/reports", response={200: list[ReportingReportOut], **READ_ERRORS}, summary="报告列表（我的与收到的）"
)
def report_list(request: HttpRequest, received: bool = False) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.VIEW)
    qs = selectors.received(user) if received else selectors.mine(user)
    return [_out(r) for r in qs[:100]]


@router.post("/reports", response={201: ReportingReportOut, **WRITE_ERRORS}, summary="起草报告")
def report_draft(request: HttpRequest, payload: ReportingDraftIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.FILE)
    kind = ReportKind.objects.select_related("region").filter(pk=payload.kind_id).first()
    if kind is None:
        raise NotFound("报送事项不存在。", "Report kind not found.", code="kind_not_found")
    agency = None
    if payload.agency_id is not None:
        agency = Agency.objects.select_related("region").filter(pk=payload.agency_id).first()
        if agency is None or not perms.can(user, rules.FILE, agency):
            raise NotFound(
                "执法主体不存在或不在您的数据范围内。", "Agency not found.", code="agency_not_found"
            )
        region = agency.region
    else:
        found = Region.objects.filter(code=payload.region).first() if payload.region else None
        if found is None:
            raise InvalidInput("请指定报送机关或区划。", "Give agency_id or region.", field="region")
        region = found
    report = services.report_draft(
        actor=user, kind=kind, agency=agency, region=region, period_start=payload.period_start
    )
    return 201, _out(report)


@router.get("/reports/{report_id}", response={200: ReportingReportOut, **READ_ERRORS}, summary="报告")
def report_get(request: HttpRequest, report_id: Id) -> dict[str, Any]:
    return _out(_get(request, report_id))


@router.post(
    "/reports/{report_id}/edit", response={200: ReportingReportOut, **WRITE_ERRORS}, summary="修改报告正文"
)
def report_edit(request: HttpRequest, report_id: Id, payload: ReportingEditIn) -> dict[str, Any]:
    report = services.report_edit(
        actor=caller(request), report=_get(request, report_id), texts=payload.sections
    )
    return _out(report)


@router.post(
    "/reports/{report_id}/submit", response={200: ReportingReportOut, **WRITE_ERRORS}, summary="报送报告"
)
def report_submit(request: HttpRequest, report_id: Id) -> dict[str, Any]:
    return _out(services.report_submit(actor=caller(request), report=_get(request, report_id)))


@router.post(
    "/reports/{report_id}/accept", response={200: ReportingReportOut, **WRITE_ERRORS}, summary="接收报告"
)
def report_accept(request: HttpRequest, report_id: Id) -> dict[str, Any]:
    return _out(services.report_accept(actor=caller(request), report=_get(request, report_id)))


@router.post(
    "/reports/{report_id}/return", response={200: ReportingReportOut, **WRITE_ERRORS}, summary="退回报告"
)
def report_return(request: HttpRequest, report_id: Id, payload: ReportingReturnIn) -> dict[str, Any]:
    return _out(
        services.report_return(actor=caller(request), report=_get(request, report_id), reason=payload.reason)
    )


@router.post(
    "/reports/{report_id}/government",
    response={200: ReportingReportOut, **WRITE_ERRORS},
    summary="登记人民政府审定",
)
def report_government(request: HttpRequest, report_id: Id, payload: ReportingGovernmentIn) -> dict[str, Any]:
    return _out(
        services.report_government_record(
            actor=caller(request),
            report=_get(request, report_id),
            reference=payload.reference,
            approved_on=payload.approved_on,
        )
    )
