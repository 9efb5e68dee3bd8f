"""案卷评查 — JSON API under /api/evaluation/: plans, the draw, files (assign, score, confirm), my tasks."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from zhifa.core.apitypes import BigInt, Id
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.evaluation import panel, rules, selectors, services, thirdparty
from zhifa.evaluation.models import EvaluationFile, EvaluationPlan, PanelMember, PlanKind
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller
from zhifa.org.models import Domain, Region, User
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["evaluation"])

MAX_ID = 2**62


class EvaluationPlanIn(Schema):
    region: str
    year: BigInt
    title: str
    kind: str = PlanKind.ANNUAL
    domain_id: Id | None = None
    closed_from: dt.date
    closed_to: dt.date
    sample_per_agency: BigInt
    pass_score: Decimal = Decimal(60)
    criteria: Annotated[list[str], Field(max_length=200)] | None = None


class EvaluationPlanOut(Schema):
    id: int
    region: str
    year: int
    kind: str
    title: str
    status: str
    closed_from: dt.date
    closed_to: dt.date
    sample_per_agency: int
    pass_score: Decimal
    criteria: list[str]
    seed: str
    pool_hash: str


class ItemScoreOut(Schema):
    item_id: int
    order: int
    text: str
    points: Decimal
    awarded: Decimal | None
    note: str


class FileOut(Schema):
    id: int
    plan_id: int
    case_id: int
    case_number: str | None
    agency_id: int
    evaluator_id: int | None
    status: str
    total: Decimal | None
    grade: str
    is_typical_bad: bool
    bad_criteria: list[str]
    comment: str
    problem_id: int | None
    items: list[ItemScoreOut]


class EvaluationAssignIn(Schema):
    evaluator_id: Id


class AwardIn(Schema):
    item_id: Id
    awarded: Decimal
    note: str = ""


class ScoreIn(Schema):
    awards: Annotated[list[AwardIn], Field(max_length=500)]
    criteria: Annotated[list[str], Field(max_length=200)] = []
    comment: str = ""


def _id(value: int, what: str) -> int:
    if not 0 < value <= MAX_ID:
        raise NotFound(f"{what}不存在或不在您的数据范围内。", "Not found.")
    return value


def _plan_out(plan: EvaluationPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "region": plan.region.code,
        "year": plan.year,
        "kind": plan.kind,
        "title": plan.title,
        "status": plan.status,
        "closed_from": plan.closed_from,
        "closed_to": plan.closed_to,
        "sample_per_agency": plan.sample_per_agency,
        "pass_score": plan.pass_score,
        "criteria": plan.criteria,
        "seed": plan.seed,
        "pool_hash": plan.pool_hash,
    }


def _file_out(file: EvaluationFile) -> dict[str, Any]:
    scores = {s.item_id: s for s in file.scores.all()}
    return {
        "id": file.pk,
        "plan_id": file.plan_id,
        "case_id": file.case_id,
        "case_number": file.case.number,
        "agency_id": file.agency_id,
        "evaluator_id": file.evaluator_id,
        "status": file.status,
        "total": file.total,
        "grade": file.grade,
        "is_typical_bad": file.is_typical_bad,
        "bad_criteria": file.bad_criteria,
        "comment": file.comment,
        "problem_id": file.problem_id,
        "items": [
            {
                "item_id": i.pk,
                "order": i.order,
                "text": i.text,
                "points": i.points,
                "awarded": scores[i.pk].awarded if i.pk in scores else None,
                "note": scores[i.pk].note if i.pk in scores else "",
            }
            for i in file.plan.sheet.items.all()
        ],
    }


@router.get("/plans", response={200: list[EvaluationPlanOut], **READ_ERRORS}, summary="评查方案列表")
def plan_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.VIEW)
    # A bare list in the API contract: at most 100 (plans are a few per region and year); paging it would change
    # the response shape (issue 23: to do with the next API version).
    return [_plan_out(p) for p in selectors.plans(user)[:100]]


@router.post("/plans", response={201: EvaluationPlanOut, **WRITE_ERRORS}, summary="新建评查方案")
def plan_create(request: HttpRequest, payload: EvaluationPlanIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    region = Region.objects.filter(code=payload.region).first()
    if region is None or not perms.can(user, rules.VIEW, region):
        raise NotFound("区划不存在或不在您的数据范围内。", "Region not found.", code="region_not_found")
    domain = None
    if payload.domain_id is not None:
        domain = Domain.objects.filter(pk=payload.domain_id).first()
        if domain is None:
            raise InvalidInput("领域不存在。", "Unknown domain.", field="domain_id", code="unknown_domain")
    plan = services.plan_create(
        actor=user,
        region=region,
        year=payload.year,
        title=payload.title,
        kind=payload.kind,
        domain=domain,
        closed_from=payload.closed_from,
        closed_to=payload.closed_to,
        sample_per_agency=payload.sample_per_agency,
        pass_score=payload.pass_score,
        criteria=payload.criteria,
    )
    return 201, _plan_out(plan)


@router.get("/plans/{plan_id}", response={200: EvaluationPlanOut, **READ_ERRORS}, summary="评查方案")
def plan_get(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    return _plan_out(selectors.plan_get(caller(request), _id(plan_id, "评查方案")))


@router.post("/plans/{plan_id}/draw", response={200: list[FileOut], **WRITE_ERRORS}, summary="随机抽取案卷")
def plan_draw(request: HttpRequest, plan_id: Id) -> list[dict[str, Any]]:
    user = caller(request)
    plan = selectors.plan_get(user, _id(plan_id, "评查方案"))
    services.plan_draw(actor=user, plan=plan)
    return [_file_out(f) for f in selectors.files_of(user, plan).select_related("plan__sheet")]


@router.get("/mine", response={200: list[FileOut], **READ_ERRORS}, summary="我的评查任务")
def mine(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.SCORE)
    # A bare list in the API contract: at most 100 (one reviewer's files of the open plans); see plan_list.
    return [_file_out(f) for f in selectors.my_files(user).select_related("plan__sheet")[:100]]


@router.get("/files/{file_id}", response={200: FileOut, **READ_ERRORS}, summary="评查案卷与评分表")
def file_get(request: HttpRequest, file_id: Id) -> dict[str, Any]:
    return _file_out(selectors.file_get(caller(request), _id(file_id, "评查案卷")))


@router.post("/files/{file_id}/assign", response={200: FileOut, **WRITE_ERRORS}, summary="分配评查人员")
def file_assign(request: HttpRequest, file_id: Id, payload: EvaluationAssignIn) -> dict[str, Any]:
    user = caller(request)
    file = selectors.file_get(user, _id(file_id, "评查案卷"))
    evaluator = (
        User.objects.filter(pk=payload.evaluator_id).first() if 0 < payload.evaluator_id <= MAX_ID else None
    )
    if evaluator is None:
        raise InvalidInput(
            "评查人员不存在。", "Unknown evaluator.", field="evaluator_id", code="unknown_user"
        )
    return _file_out(services.file_assign(actor=user, file=file, evaluator=evaluator))


@router.post("/files/{file_id}/score", response={200: FileOut, **WRITE_ERRORS}, summary="评分")
def file_score(request: HttpRequest, file_id: Id, payload: ScoreIn) -> dict[str, Any]:
    user = caller(request)
    file = selectors.file_get(user, _id(file_id, "评查案卷"))
    file = services.file_score(
        actor=user,
        file=file,
        awards={a.item_id: a.awarded for a in payload.awards},
        notes={a.item_id: a.note for a in payload.awards},
        criteria=payload.criteria,
        comment=payload.comment,
    )
    return _file_out(file)


@router.post("/files/{file_id}/confirm", response={200: FileOut, **WRITE_ERRORS}, summary="确认评查结果")
def file_confirm(request: HttpRequest, file_id: Id) -> dict[str, Any]:
    user = caller(request)
    file = selectors.file_get(user, _id(file_id, "评查案卷"))
    return _file_out(services.file_confirm(actor=user, file=file))


# --- 评查组与第三方评估 ---------------------------------------------------------------------------------------------


class PanelMemberIn(Schema):
    user_id: Id
    kind: str
    affiliation: str = ""


class PanelMemberOut(Schema):
    id: int
    user_id: int
    name: str
    kind: str
    kind_label: str
    affiliation: str


class ThirdPartyImportOut(Schema):
    imported: int


def _member_out(m: PanelMember) -> dict[str, Any]:
    return {
        "id": m.pk,
        "user_id": m.user_id,
        "name": m.user.display_name,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "affiliation": m.affiliation,
    }


def _managed_plan(request: HttpRequest, plan_id: int) -> tuple[User, EvaluationPlan]:
    user = caller(request)
    plan = selectors.plan_get(user, _id(plan_id, "评查方案"))
    perms.require(user, rules.MANAGE, plan)
    return user, plan


@router.get(
    "/plans/{plan_id}/panel", response={200: list[PanelMemberOut], **READ_ERRORS}, summary="评查组成员"
)
def panel_list(request: HttpRequest, plan_id: Id) -> list[dict[str, Any]]:
    _, plan = _managed_plan(request, plan_id)
    return [_member_out(m) for m in selectors.panel_of(plan)[:200]]


@router.post("/plans/{plan_id}/panel", response={201: PanelMemberOut, **WRITE_ERRORS}, summary="加入评查组")
def panel_add(request: HttpRequest, plan_id: Id, payload: PanelMemberIn) -> tuple[int, dict[str, Any]]:
    user, plan = _managed_plan(request, plan_id)
    member_user = User.objects.filter(pk=payload.user_id).first() if 0 < payload.user_id <= MAX_ID else None
    if member_user is None:
        raise InvalidInput("用户不存在。", "Unknown user.", field="user_id", code="unknown_user")
    member = panel.member_add(
        actor=user, plan=plan, user=member_user, kind=payload.kind, affiliation=payload.affiliation
    )
    return 201, _member_out(member)


@router.post(
    "/plans/{plan_id}/third-party/export",
    response={200: dict[str, Any], **WRITE_ERRORS},
    summary="导出第三方评估样本（脱敏 JSON）",
)
def third_party_export(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    """The anonymised sample and its figures; the export is on the ledger. The xlsx is on the plan's page."""
    user, plan = _managed_plan(request, plan_id)
    return json.loads(thirdparty.third_party_export(actor=user, plan=plan, fmt="json"))


@router.post(
    "/plans/{plan_id}/third-party/import",
    response={200: ThirdPartyImportOut, **WRITE_ERRORS},
    summary="导入第三方评估得分（.xlsx）",
)
def third_party_import(
    request: HttpRequest,
    plan_id: Id,
    assessor: str = Form(..., max_length=200),
    file: UploadedFile | None = File(None),  # noqa: B008
) -> dict[str, Any]:
    """All rows or none: a sheet with bad rows answers 422 with each row's error in ``details``."""
    user, plan = _managed_plan(
        request, plan_id
    )  # the scope first: another region's plan is 404 whatever is sent
    if file is None:
        raise InvalidInput(
            "请上传评分回填表。", "Upload the filled-in sheet.", field="file", code="file_required"
        )
    saved = thirdparty.score_import(
        actor=user, plan=plan, assessor=assessor, data=file.read(), filename=file.name or ""
    )
    return {"imported": len(saved)}
