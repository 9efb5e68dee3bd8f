"""执法队伍 — JSON API under /api/personnel/: training plans (file, accept, return), the 30 June check, pre-job
exams, assessments, awards, the adviser roster (and an adviser joining a review round), delegations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from zhifa.core import clock
from zhifa.core.apitypes import BigInt, Id
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller, in_scope
from zhifa.org.models import Agency, Domain, Officer
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS
from zhifa.personnel import rules, selectors, services
from zhifa.personnel.models import Adviser, Delegation, TrainingPlan
from zhifa.review import rules as review_rules
from zhifa.review.models import ReviewRequest

router = Router(tags=["personnel"])

MAX_ID = 2**62


def _id(value: int, what: str) -> int:
    if not 0 < value <= MAX_ID:
        raise NotFound(f"{what}不存在或不在您的数据范围内。", "Not found.")
    return value


def _agency(request: HttpRequest, action: str, pk: int, field: str) -> Agency:
    agency = (
        perms.scoped(caller(request), action, Agency.objects.filter(is_active=True)).filter(pk=pk).first()
    )
    if agency is None or not 0 < pk <= MAX_ID:
        raise NotFound("执法主体不存在或不在您的数据范围内。", "Agency not found.", code="agency_not_found")
    return agency


class TrainingPlanIn(Schema):
    agency_id: Id
    year: BigInt
    content: str
    public_law_hours: BigInt = 20
    business_hours: BigInt = 40


class TrainingPlanOut(Schema):
    id: int
    agency_id: int
    agency: str
    year: int
    public_law_hours: int
    business_hours: int
    content: str
    state: str
    submitted_on: dt.date
    decided_on: dt.date | None
    return_reason: str


class PersonnelReasonIn(Schema):
    reason: str


def _plan_out(plan: TrainingPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "agency_id": plan.agency_id,
        "agency": plan.agency.name,
        "year": plan.year,
        "public_law_hours": plan.public_law_hours,
        "business_hours": plan.business_hours,
        "content": plan.content,
        "state": plan.state,
        "submitted_on": plan.submitted_on,
        "decided_on": plan.decided_on,
        "return_reason": plan.return_reason,
    }


@router.get("/plans", response={200: list[TrainingPlanOut], **READ_ERRORS}, summary="培训计划列表")
def plan_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.VIEW)
    # at most 200: one plan per agency and year
    return [_plan_out(p) for p in selectors.plans(user)[:200]]


@router.post("/plans", response={201: TrainingPlanOut, **WRITE_ERRORS}, summary="报备培训计划")
def plan_submit(request: HttpRequest, payload: TrainingPlanIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    agency = _agency(request, rules.VIEW, payload.agency_id, "agency_id")
    plan = services.plan_submit(
        actor=user,
        agency=agency,
        year=payload.year,
        content=payload.content,
        public_law_hours=payload.public_law_hours,
        business_hours=payload.business_hours,
    )
    return 201, _plan_out(plan)


@router.post(
    "/plans/{plan_id}/accept", response={200: TrainingPlanOut, **WRITE_ERRORS}, summary="培训计划备案"
)
def plan_accept(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    user = caller(request)
    plan = selectors.plan_get(user, _id(plan_id, "培训计划"))
    return _plan_out(services.plan_accept(actor=user, plan=plan))


@router.post(
    "/plans/{plan_id}/return", response={200: TrainingPlanOut, **WRITE_ERRORS}, summary="退回培训计划"
)
def plan_return(request: HttpRequest, plan_id: Id, payload: PersonnelReasonIn) -> dict[str, Any]:
    user = caller(request)
    plan = selectors.plan_get(user, _id(plan_id, "培训计划"))
    return _plan_out(services.plan_return(actor=user, plan=plan, reason=payload.reason))


class TrainingCheckOfficerOut(Schema):
    officer_id: int
    name: str
    public_law_hours: Decimal
    business_hours: Decimal
    short: bool


class TrainingCheckAgencyOut(Schema):
    agency_id: int
    agency: str
    plan_state: str | None
    public_law_required: int
    business_required: int
    flagged: bool
    reasons: list[str]
    officers: list[TrainingCheckOfficerOut]


class TrainingCheckOut(Schema):
    year: int
    deadline: dt.date
    due: bool
    agencies: list[TrainingCheckAgencyOut]


@router.get("/training-check", response={200: TrainingCheckOut, **READ_ERRORS}, summary="6月30日轮训完成检查")
def training_check(request: HttpRequest, year: BigInt | None = None) -> dict[str, Any]:
    user = caller(request)
    perms.require(user, rules.VIEW)
    today = clock.today()
    if year is not None and not 2000 <= year <= today.year:
        raise InvalidInput("年度无效。", "Invalid year.", field="year", code="bad_year")
    check = selectors.training_check(user, year, today=today)
    return {
        "year": check.year,
        "deadline": check.deadline,
        "due": check.due,
        "agencies": [
            {
                "agency_id": a.agency.pk,
                "agency": a.agency.name,
                "plan_state": a.plan.state if a.plan else None,
                "public_law_required": a.public_law_required,
                "business_required": a.business_required,
                "flagged": a.flagged,
                "reasons": a.reasons if check.due else [],
                "officers": [
                    {
                        "officer_id": o.officer.pk,
                        "name": o.officer.name,
                        "public_law_hours": o.public_law,
                        "business_hours": o.business,
                        "short": o.short,
                    }
                    for o in a.officers
                ],
            }
            for a in check.agencies
        ],
    }


class PreJobExamIn(Schema):
    trained_by_id: Id
    training_hours: Decimal
    exam_on: dt.date
    score: BigInt


class PreJobExamOut(Schema):
    id: int
    officer_id: int
    trained_by_id: int
    training_hours: Decimal
    exam_on: dt.date
    score: int
    passed: bool


@router.post(
    "/officers/{officer_id}/prejob-exams",
    response={201: PreJobExamOut, **WRITE_ERRORS},
    summary="登记岗前培训考试",
)
def prejob_exam(request: HttpRequest, officer_id: Id, payload: PreJobExamIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    officer = in_scope(
        request, rules.VIEW, Officer.objects.select_related("agency"), "执法人员", _id(officer_id, "执法人员")
    )
    trainer = (
        Agency.objects.filter(pk=payload.trained_by_id).first()
        if 0 < payload.trained_by_id <= MAX_ID
        else None
    )
    if trainer is None:
        raise InvalidInput(
            "培训机关不存在。", "Unknown trainer.", field="trained_by_id", code="unknown_agency"
        )
    exam = services.prejob_exam_record(
        actor=user,
        officer=officer,
        trained_by=trainer,
        training_hours=payload.training_hours,
        exam_on=payload.exam_on,
        score=int(payload.score),
    )
    return 201, {
        "id": exam.pk,
        "officer_id": officer.pk,
        "trained_by_id": trainer.pk,
        "training_hours": exam.training_hours,
        "exam_on": exam.exam_on,
        "score": exam.score,
        "passed": exam.passed,
    }


class AssessmentIn(Schema):
    year: BigInt
    grade: str
    note: str = ""


class AssessmentOut(Schema):
    id: int
    officer_id: int
    year: int
    grade: str
    note: str


@router.post(
    "/officers/{officer_id}/assessments", response={201: AssessmentOut, **WRITE_ERRORS}, summary="个人考核"
)
def assessment(request: HttpRequest, officer_id: Id, payload: AssessmentIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    officer = in_scope(
        request, rules.VIEW, Officer.objects.select_related("agency"), "执法人员", _id(officer_id, "执法人员")
    )
    row = services.assessment_record(
        actor=user, officer=officer, year=payload.year, grade=payload.grade, note=payload.note
    )
    return 201, {
        "id": row.pk,
        "officer_id": officer.pk,
        "year": row.year,
        "grade": row.grade,
        "note": row.note,
    }


class AdviserIn(Schema):
    agency_id: Id
    kind: str
    name: str
    licence_number: str
    employer: str = ""


class AdviserOut(Schema):
    id: int
    agency_id: int
    kind: str
    name: str
    employer: str
    licence_number: str
    listed_on: dt.date
    removed_on: dt.date | None


def _adviser_out(a: Adviser) -> dict[str, Any]:
    return {
        "id": a.pk,
        "agency_id": a.agency_id,
        "kind": a.kind,
        "name": a.name,
        "employer": a.employer,
        "licence_number": a.licence_number,
        "listed_on": a.listed_on,
        "removed_on": a.removed_on,
    }


@router.get("/advisers", response={200: list[AdviserOut], **READ_ERRORS}, summary="法律顾问、公职律师名册")
def adviser_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.VIEW)
    return [_adviser_out(a) for a in selectors.advisers(user)[:500]]


@router.post("/advisers", response={201: AdviserOut, **WRITE_ERRORS}, summary="法律顾问、公职律师入册")
def adviser_add(request: HttpRequest, payload: AdviserIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    agency = _agency(request, rules.VIEW, payload.agency_id, "agency_id")
    adviser = services.adviser_add(
        actor=user,
        agency=agency,
        kind=payload.kind,
        name=payload.name,
        licence_number=payload.licence_number,
        employer=payload.employer,
    )
    return 201, _adviser_out(adviser)


@router.post("/advisers/{adviser_id}/remove", response={200: AdviserOut, **WRITE_ERRORS}, summary="出册")
def adviser_remove(request: HttpRequest, adviser_id: Id, payload: PersonnelReasonIn) -> dict[str, Any]:
    user = caller(request)
    adviser = selectors.adviser_get(user, _id(adviser_id, "名册人员"))
    return _adviser_out(services.adviser_remove(actor=user, adviser=adviser, reason=payload.reason))


class ReviewAdviserIn(Schema):
    adviser_id: Id
    opinion: str = ""


class ReviewAdviserOut(Schema):
    id: int
    request_id: int
    adviser_id: int
    joined_on: dt.date


@router.post(
    "/review-requests/{request_id}/advisers",
    response={201: ReviewAdviserOut, **WRITE_ERRORS},
    summary="法律顾问、公职律师参与法制审核",
)
def review_adviser(
    request: HttpRequest, request_id: Id, payload: ReviewAdviserIn
) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    found = in_scope(
        request, review_rules.VIEW, ReviewRequest.objects.all(), "审核申请", _id(request_id, "审核申请")
    )
    adviser = (
        selectors.advisers(user).filter(pk=payload.adviser_id).first()
        if 0 < payload.adviser_id <= MAX_ID
        else None
    )
    if adviser is None:
        raise InvalidInput(
            "请选择名册内的法律顾问或公职律师。",
            "Unknown adviser.",
            field="adviser_id",
            code="adviser_not_rostered",
        )
    row = services.review_adviser_join(actor=user, request=found, adviser=adviser, opinion=payload.opinion)
    return 201, {"id": row.pk, "request_id": found.pk, "adviser_id": adviser.pk, "joined_on": row.joined_on}


class DelegationIn(Schema):
    delegating_id: Id
    entrusted_id: Id
    domain_code: str
    matters: str
    document_number: str
    starts_on: dt.date
    ends_on: dt.date


class DelegationOut(Schema):
    id: int
    delegating_id: int
    delegating: str
    entrusted_id: int
    entrusted: str
    domain: str
    matters: str
    document_number: str
    starts_on: dt.date
    ends_on: dt.date
    withdrawn_on: dt.date | None
    in_force: bool


def _delegation_out(d: Delegation) -> dict[str, Any]:
    return {
        "id": d.pk,
        "delegating_id": d.delegating_id,
        "delegating": d.delegating.name,
        "entrusted_id": d.entrusted_id,
        "entrusted": d.entrusted.name,
        "domain": d.domain.code,
        "matters": d.matters,
        "document_number": d.document_number,
        "starts_on": d.starts_on,
        "ends_on": d.ends_on,
        "withdrawn_on": d.withdrawn_on,
        "in_force": d.in_force(clock.today()),
    }


@router.get("/delegations", response={200: list[DelegationOut], **READ_ERRORS}, summary="行政处罚委托列表")
def delegation_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.VIEW)
    return [_delegation_out(d) for d in selectors.delegations(user)[:500]]


@router.post("/delegations", response={201: DelegationOut, **WRITE_ERRORS}, summary="行政处罚委托")
def delegation_create(request: HttpRequest, payload: DelegationIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    delegating = _agency(request, rules.VIEW, payload.delegating_id, "delegating_id")
    entrusted = (
        Agency.objects.filter(pk=payload.entrusted_id, is_active=True).first()
        if 0 < payload.entrusted_id <= MAX_ID
        else None
    )
    if entrusted is None:
        raise InvalidInput(
            "受委托组织不存在。",
            "Unknown entrusted organisation.",
            field="entrusted_id",
            code="unknown_agency",
        )
    domain = Domain.objects.filter(code=payload.domain_code).first()
    if domain is None:
        raise InvalidInput("执法领域不存在。", "Unknown domain.", field="domain_code", code="unknown_domain")
    delegation = services.delegation_create(
        actor=user,
        delegating=delegating,
        entrusted=entrusted,
        domain=domain,
        matters=payload.matters,
        document_number=payload.document_number,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return 201, _delegation_out(delegation)


@router.post(
    "/delegations/{delegation_id}/withdraw", response={200: DelegationOut, **WRITE_ERRORS}, summary="收回委托"
)
def delegation_withdraw(
    request: HttpRequest, delegation_id: Id, payload: PersonnelReasonIn
) -> dict[str, Any]:
    user = caller(request)
    delegation = selectors.delegation_get(user, _id(delegation_id, "委托"))
    return _delegation_out(
        services.delegation_withdraw(actor=user, delegation=delegation, reason=payload.reason)
    )
