"""法制审核 — JSON API: the review rounds of a case, submit / assign / findings / conclude, queues, the report.

Thin: parse, call a service or selector, return a schema. A refusal answers 4xx ``{code, message, message_en}``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from zhifa.cases import selectors as case_selectors
from zhifa.core.apitypes import Id
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller, keyset
from zhifa.org.models import User
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS
from zhifa.review import rules, selectors, services
from zhifa.review.models import ReviewPoint, ReviewRequest

router = Router(tags=["review"])
MAX_ID = 2**63 - 1


class ReviewMaterialOut(Schema):
    kind: str
    present: bool
    detail: str


class ReviewFindingOut(Schema):
    point: str
    result: str
    note: str


class ReviewOpinionOut(Schema):
    id: int
    number: str
    status: str
    issued_on: dt.date
    sha256: str


class ReviewOut(Schema):
    id: int
    case_id: int
    agency_id: int
    round_no: int
    notice_round: int
    state: str
    reasons: list[str]
    draft_decision: str
    explanation: str
    proposed_kinds: list[str]
    proposed_fine_yuan: Decimal | None
    submitted_by_id: int
    submitted_on: dt.date
    due_on: dt.date
    reviewer_id: int | None
    assigned_on: dt.date | None
    concluded_on: dt.date | None
    opinion: str
    reminded_on: dt.date | None
    escalated_on: dt.date | None
    materials: list[ReviewMaterialOut]
    findings: list[ReviewFindingOut]
    opinions: list[ReviewOpinionOut]


class ReviewPageOut(Schema):
    items: list[ReviewOut]
    next_cursor: str | None


class ReviewSubmitIn(Schema):
    draft_decision: str = Field(max_length=20000)
    explanation: str = Field(max_length=10000)
    on: dt.date | None = None


class ReviewAssignIn(Schema):
    reviewer_id: int = Field(gt=0, le=MAX_ID)
    on: dt.date | None = None


class ReviewFindingIn(Schema):
    point: Literal[tuple(ReviewPoint.values)]  # type: ignore[valid-type]
    result: Literal["ok", "problem"]
    note: str = Field(default="", max_length=5000)


class ReviewConcludeIn(Schema):
    agreed: bool
    opinion: str = Field(default="", max_length=5000)
    on: dt.date | None = None


class ReviewReportRowOut(Schema):
    agency_id: int
    agency_name: str
    rounds: int
    cases: int
    open: int
    agreed: int
    returned: int
    first_round_concluded: int
    first_round_agreed: int
    first_round_pass_rate: float | None
    returns_by_point: dict[str, int]
    avg_days_to_review: float | None
    overdue_concluded: int


class ReviewReportQuery(Schema):
    agency_id: int | None = Field(default=None, gt=0, le=MAX_ID)
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class ReviewQueueQuery(Schema):
    which: Literal["mine", "unassigned", "open", "all"] = "mine"
    cursor: str | None = Field(default=None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP)
    limit: int = Field(default=50, ge=1, le=200)


def _out(r: ReviewRequest) -> dict[str, Any]:
    return {
        **{
            f: getattr(r, f) for f in ReviewOut.model_fields if f not in ("materials", "findings", "opinions")
        },
        "materials": [{"kind": m.kind, "present": m.present, "detail": m.detail} for m in r.materials.all()],
        "findings": [{"point": f.point, "result": f.result, "note": f.note} for f in r.findings.all()],
        "opinions": [
            {"id": o.pk, "number": o.number, "status": o.status, "issued_on": o.issued_on, "sha256": o.sha256}
            for o in r.opinions.all()
        ],
    }


def _request(request: HttpRequest, pk: int) -> ReviewRequest:
    if not 0 < pk <= MAX_ID:
        raise NotFound(
            "法制审核申请不存在或不在您的数据范围内。", "Review request not found.", code="review_not_found"
        )
    return selectors.request_get(caller(request), pk)


def _fresh(pk: int) -> dict[str, Any]:
    row = ReviewRequest.objects.prefetch_related("materials", "findings", "opinions").get(pk=pk)
    return _out(row)


@router.get(
    "/requests",
    response={200: ReviewPageOut, **READ_ERRORS},
    summary="法制审核队列（我的 / 待分配 / 在审 / 全部）",
)
def review_list(request: HttpRequest, q: Query[ReviewQueueQuery]) -> dict[str, Any]:
    user = caller(request)
    qs = {
        "mine": selectors.my_queue(user),
        "unassigned": selectors.unassigned_queue(user),
        "open": selectors.requests_visible(user).filter(state__in=["submitted", "assigned"]),
        "all": selectors.requests_visible(user),
    }[q.which]
    rows, next_cursor = keyset(qs.prefetch_related("materials", "findings", "opinions"), q.cursor, q.limit)
    return {"items": [_out(r) for r in rows], "next_cursor": next_cursor}


@router.get("/requests/{request_id}", response={200: ReviewOut, **READ_ERRORS}, summary="法制审核申请详情")
def review_detail(request: HttpRequest, request_id: Id) -> dict[str, Any]:
    return _fresh(_request(request, request_id).pk)


@router.get(
    "/cases/{case_id}/rounds", response={200: list[ReviewOut], **READ_ERRORS}, summary="案件的各轮法制审核"
)
def case_rounds(request: HttpRequest, case_id: Id) -> list[dict[str, Any]]:
    if not 0 < case_id <= MAX_ID:
        raise NotFound("案件不存在或不在您的数据范围内。", "Case not found.", code="case_not_found")
    case = case_selectors.case_get(caller(request), case_id)
    return [_out(r) for r in selectors.case_rounds(case)]


@router.post(
    "/cases/{case_id}/submit",
    response={200: ReviewOut, **WRITE_ERRORS},
    summary="送法制审核（材料齐全性检查）",
)
def review_submit(request: HttpRequest, case_id: Id, payload: ReviewSubmitIn) -> dict[str, Any]:
    if not 0 < case_id <= MAX_ID:
        raise NotFound("案件不存在或不在您的数据范围内。", "Case not found.", code="case_not_found")
    case = case_selectors.case_get(caller(request), case_id)
    row = services.review_submit(
        actor=caller(request),
        case=case,
        draft_decision=payload.draft_decision,
        explanation=payload.explanation,
        on=payload.on,
    )
    return _fresh(row.pk)


@router.post(
    "/requests/{request_id}/assign", response={200: ReviewOut, **WRITE_ERRORS}, summary="分配审核人员（回避）"
)
def review_assign(request: HttpRequest, request_id: Id, payload: ReviewAssignIn) -> dict[str, Any]:
    row = _request(request, request_id)
    reviewer = User.objects.filter(pk=payload.reviewer_id).first()
    if reviewer is None:
        raise InvalidInput(
            "审核人员不存在。", "No such user.", code="reviewer_not_eligible", field="reviewer_id"
        )
    services.review_assign(actor=caller(request), request=row, reviewer=reviewer, on=payload.on)
    return _fresh(row.pk)


@router.post(
    "/requests/{request_id}/findings",
    response={200: ReviewOut, **WRITE_ERRORS},
    summary="记录一项审核要点意见",
)
def review_finding(request: HttpRequest, request_id: Id, payload: ReviewFindingIn) -> dict[str, Any]:
    row = _request(request, request_id)
    services.review_record_finding(
        actor=caller(request), request=row, point=payload.point, result=payload.result, note=payload.note
    )
    return _fresh(row.pk)


@router.post(
    "/requests/{request_id}/conclude",
    response={200: ReviewOut, **WRITE_ERRORS},
    summary="出具法制审核意见（同意/存在问题）",
)
def review_conclude(request: HttpRequest, request_id: Id, payload: ReviewConcludeIn) -> dict[str, Any]:
    row = _request(request, request_id)
    services.review_conclude(
        actor=caller(request), request=row, agreed=payload.agreed, opinion=payload.opinion, on=payload.on
    )
    return _fresh(row.pk)


@router.get(
    "/report", response={200: list[ReviewReportRowOut], **READ_ERRORS}, summary="法制审核统计（按执法主体）"
)
def review_report(request: HttpRequest, q: Query[ReviewReportQuery]) -> list[Any]:
    perms.require(caller(request), rules.REPORT)
    return selectors.review_report(
        caller(request), agency_id=q.agency_id, date_from=q.date_from, date_to=q.date_to
    )
