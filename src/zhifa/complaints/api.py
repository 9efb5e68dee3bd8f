"""投诉举报 — JSON API under /api/complaints/.

``POST /public`` and ``POST /rate`` need no login (the public form's API twin); ``POST /work-orders`` takes
12345 work orders from the hotline system with a token (``Authorization: Token …``) — all rows or none, with
per-row errors in ``details``. Everything else is scoped like the pages (404 outside scope, 403 for writes).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from zhifa.complaints import selectors, services
from zhifa.complaints.models import Complaint
from zhifa.complaints.rules import VIEW
from zhifa.complaints.views import limited
from zhifa.core.apitypes import Id, ShortText
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller, in_scope, keyset
from zhifa.org.models import Agency, Domain
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut

router = Router(tags=["complaints"])

MAX_ID = 2**31 - 1


class ComplaintOut(Schema):
    id: int
    tracking_code: str
    channel: str
    work_order_no: str
    region_id: int
    agency_id: int | None
    subject: str
    content: str
    received_on: dt.date
    state: str
    due: dt.date | None
    reply: str
    satisfaction: str
    case_id: int | None
    problem_id: int | None


class ComplaintPage(Schema):
    items: list[ComplaintOut]
    next_cursor: str | None


class PublicIn(Schema):
    region_code: str = Field(..., max_length=12)
    subject: str = Field(..., max_length=200)
    content: str = Field(..., max_length=5000)
    name: str = Field("", max_length=50)
    phone: str = Field("", max_length=20)


class PublicOut(Schema):
    tracking_code: str
    state: str


class TrackOut(Schema):
    tracking_code: str
    subject: str
    state: str
    received_on: dt.date
    due: dt.date | None
    reply: str
    satisfaction: str


class RateIn(Schema):
    tracking_code: str = Field(..., max_length=16)
    satisfaction: str = Field(..., pattern="^(satisfied|basic|dissatisfied)$")
    comment: str = Field("", max_length=500)


class WorkOrderIn(Schema):
    work_order_no: str = Field(..., max_length=40)
    received_on: str = Field(..., max_length=20, description="YYYY-MM-DD")
    region_code: str = Field(..., max_length=12)
    subject: str = Field(..., max_length=400)
    content: str = Field(..., max_length=10000)
    name: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    agency_uscc: str = Field("", max_length=18)


class WorkOrdersIn(Schema):
    rows: list[WorkOrderIn] = Field(..., min_length=1, max_length=services.MAX_IMPORT_ROWS)


class ComplaintImportOut(Schema):
    batch_id: int
    rows: int


class AssignIn(Schema):
    agency_id: int = Field(..., ge=1, le=MAX_ID)


class ReplyIn(Schema):
    reply: str = Field(..., max_length=5000)


class CaseLinkIn(Schema):
    domain_code: str = Field(..., max_length=32)
    title: str = Field("", max_length=200)


class ProblemLinkIn(Schema):
    title: str = Field("", max_length=200)
    category: str = Field("", max_length=16)
    due: dt.date | None = None


def _out(c: Complaint) -> dict[str, Any]:
    return {f: getattr(c, f) for f in ComplaintOut.model_fields}


def _complaint(request: HttpRequest, pk: int) -> Complaint:
    return in_scope(
        request, VIEW, Complaint.objects.select_related("agency__region", "region"), "投诉举报", pk
    )


@router.post(
    "/public",
    auth=None,
    response={201: PublicOut, 429: ErrorOut, **WRITE_ERRORS},
    summary="公众投诉举报（无需登录，按 IP 限速）",
)
def public_submit(request: HttpRequest, payload: PublicIn) -> tuple[int, dict[str, Any]]:
    if limited(request):
        return 429, {
            "code": "rate_limited",
            "message": "提交过于频繁，请稍后再试。",
            "message_en": "Too many requests.",
        }
    c = services.complaint_submit_public(**payload.dict())
    return 201, {"tracking_code": c.tracking_code, "state": c.state}


@router.get("/track/{code}", auth=None, response={200: TrackOut, **READ_ERRORS}, summary="凭查询码查询进度")
def track(request: HttpRequest, code: ShortText) -> dict[str, Any]:
    c = selectors.complaint_by_code(code)
    if c is None:
        raise NotFound("查询码不存在。", "Unknown tracking code.", code="tracking_code_unknown")
    return {f: getattr(c, f) for f in TrackOut.model_fields}


@router.post("/rate", auth=None, response={200: TrackOut, **WRITE_ERRORS}, summary="满意度评价（凭查询码）")
def rate(request: HttpRequest, payload: RateIn) -> dict[str, Any]:
    c = services.complaint_rate(**payload.dict())
    return {f: getattr(c, f) for f in TrackOut.model_fields}


@router.post(
    "/work-orders", response={201: ComplaintImportOut, **WRITE_ERRORS}, summary="12345 工单接入（令牌认证）"
)
def work_orders(request: HttpRequest, payload: WorkOrdersIn) -> tuple[int, dict[str, Any]]:
    batch = services.work_orders_import(
        actor=caller(request), rows=[r.dict() for r in payload.rows], source="api"
    )
    return 201, {"batch_id": batch.pk, "rows": batch.rows}


@router.get("", response={200: ComplaintPage, **READ_ERRORS}, summary="投诉举报列表")
def complaint_list(
    request: HttpRequest,
    state: str | None = Query(None, pattern="^(received|assigned|replied|closed)$"),
    channel: str | None = Query(None, max_length=16),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    perms.require(caller(request), VIEW)
    rows, after = keyset(selectors.complaints(caller(request), state=state, channel=channel), cursor, limit)
    return {"items": [_out(c) for c in rows], "next_cursor": after}


@router.get("/{complaint_id}", response={200: ComplaintOut, **READ_ERRORS}, summary="投诉举报详情")
def complaint_detail(request: HttpRequest, complaint_id: Id) -> dict[str, Any]:
    return _out(_complaint(request, complaint_id))


@router.post("/{complaint_id}/assign", response={200: ComplaintOut, **WRITE_ERRORS}, summary="分办")
def complaint_assign(request: HttpRequest, complaint_id: Id, payload: AssignIn) -> dict[str, Any]:
    c = _complaint(request, complaint_id)
    agency = perms.scoped(caller(request), perms.VIEW_AGENCY, Agency).filter(pk=payload.agency_id).first()
    if agency is None:
        raise InvalidInput("承办单位不存在或不在您的数据范围内。", "Unknown agency.", field="agency_id")
    return _out(services.complaint_assign(actor=caller(request), complaint=c, agency=agency))


@router.post("/{complaint_id}/reply", response={200: ComplaintOut, **WRITE_ERRORS}, summary="答复")
def complaint_reply(request: HttpRequest, complaint_id: Id, payload: ReplyIn) -> dict[str, Any]:
    c = _complaint(request, complaint_id)
    return _out(services.complaint_reply(actor=caller(request), complaint=c, reply=payload.reply))


@router.post("/{complaint_id}/case", response={200: ComplaintOut, **WRITE_ERRORS}, summary="登记为案源")
def complaint_case(request: HttpRequest, complaint_id: Id, payload: CaseLinkIn) -> dict[str, Any]:
    c = _complaint(request, complaint_id)
    domain = Domain.objects.filter(code=payload.domain_code).first()
    if domain is None:
        raise InvalidInput("执法领域不存在。", "Unknown domain.", field="domain_code")
    return _out(
        services.complaint_link_case(actor=caller(request), complaint=c, domain=domain, title=payload.title)
    )


@router.post("/{complaint_id}/problem", response={200: ComplaintOut, **WRITE_ERRORS}, summary="列入问题台账")
def complaint_problem(request: HttpRequest, complaint_id: Id, payload: ProblemLinkIn) -> dict[str, Any]:
    c = _complaint(request, complaint_id)
    return _out(services.complaint_open_problem(actor=caller(request), complaint=c, **payload.dict()))
