"""The inspections API under /api/inspections/: lists, plans, tasks and draws, codes and check-in, results,
feedback, warnings, case sources.

Thin on purpose: parse, find the object in the caller's scope (404 outside it), call a service or selector,
shape the answer. Lists are keyset-paginated (``?cursor=<next_cursor>&limit=50``, an opaque cursor, newest first). Two reads are
public (no login): ``GET /draws/{task_id}`` — the values anyone needs to re-run a draw — and
``GET /code-view?code=…`` — what an enterprise sees when it scans an inspection code.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Annotated, Any, TypeVar

from django.db.models import Model, Prefetch
from django.http import HttpRequest
from ninja import File, Query, Router
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.params.functions import Path

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, NotFound, RuleViolation
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.evidence.uploads import (
    UPLOAD_FIELD,
    EvidenceUploadHandler,
    HashedUploadedFile,
    use_evidence_upload_handler,
)
from zhifa.inspections import codes, imports, rules, selectors, services
from zhifa.inspections.checklists import visit_checklist
from zhifa.inspections.models import (
    Inspection,
    InspectionCheck,
    InspectionFeedback,
    InspectionItem,
    InspectionObjection,
    InspectionOfficer,
    InspectionPlan,
    InspectionStatus,
    InspectionTask,
    InspectionWarning,
    NoDisturbEntry,
    ObjectionState,
    OfflineAction,
    OfflineActionKind,
    OfflineActionState,
    PlanItem,
    TaskStatus,
    VisitCap,
    WarningKind,
    WarningState,
)
from zhifa.inspections.schemas import (
    MAX_ID,
    CaseSourceOut,
    CheckInIn,
    ChecklistImportOut,
    ChecklistRecordIn,
    CheckOut,
    CodeOut,
    CodeViewOut,
    ConflictIn,
    Date,
    DirectoryPartyPage,
    DrawOut,
    EquivalenceIn,
    FeedbackIn,
    FeedbackPage,
    FeedbackSummaryOut,
    FiledTaskIn,
    InspectionOut,
    InspectionPage,
    InspectorOut,
    ItemIn,
    ItemOut,
    ItemPage,
    JointApproveIn,
    JointTaskIn,
    MergeProposalOut,
    MergeSuggestionOut,
    NoDisturbIn,
    NoDisturbPage,
    NoteIn,
    ObjectionAnswerIn,
    ObjectionIn,
    ObjectionOut,
    ObjectionPage,
    ObjectionSummaryOut,
    OfflineActionOut,
    OfflineActionPage,
    OkOut,
    PlanIn,
    PlanItemIn,
    PlanOut,
    PlanPage,
    RandomTaskIn,
    ReasonIn,
    RecheckIn,
    RecognitionIn,
    RectificationIn,
    RectificationOut,
    RemoteIn,
    ResultIn,
    TagsIn,
    TaskCancelIn,
    TaskOut,
    TaskPage,
    UnfiledEntryIn,
    VisitCapIn,
    VisitCapOut,
    VisitCapPage,
    VisitChecklistOut,
    VisitCountOut,
    VisitWindowIn,
    VisitWindowOut,
    WarningOut,
    WarningPage,
)
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller, in_scope, keyset
from zhifa.org.models import Agency, Officer, Party, Region
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["inspections"])

M = TypeVar("M", bound=Model)
MAX_LIMIT = 200
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
PUBLIC_ERRORS = READ_ERRORS  # 401 cannot happen without auth, but every operation declares the same set
READ_OR_REFUSED = {**READ_ERRORS, 409: WRITE_ERRORS[409]}


_user = caller
_in_scope = in_scope
_keyset = keyset


def _agency(request: HttpRequest, agency_id: int) -> Agency:
    return _in_scope(
        request, perms.VIEW_AGENCY, Agency.objects.select_related("region"), "执法主体", agency_id
    )


def _party(request: HttpRequest, party_id: int) -> Party:
    return _in_scope(request, perms.VIEW_PARTY, Party.objects.all(), "检查对象", party_id)


# --- shapes ----------------------------------------------------------------------------------------------------------


def _item_out(item: InspectionItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "agency_id": item.agency_id,
        "agency_name": item.agency.name,
        "code": item.code,
        "name": item.name,
        "domain_code": item.domain.code,
        "legal_basis": item.legal_basis,
        "objects_desc": item.objects_desc,
        "content": item.content,
        "method": item.method,
        "is_active": item.is_active,
    }


def _plan_item_out(p: PlanItem) -> dict[str, Any]:
    return {
        "id": p.pk,
        "item_id": p.item_id,
        "item_name": p.item.name,
        "quarters": p.quarters,
        "scope": p.scope,
        "industries": p.industries,
        "ratios": {c: getattr(p, f"ratio_{c.lower()}") for c in "ABCD"},
        "frequencies": {c: getattr(p, f"frequency_{c.lower()}") for c in "ABCD"},
        "stratify_by_industry": p.stratify_by_industry,
    }


_PLAN_PREFETCH = ("joint_agencies", Prefetch("items", PlanItem.objects.select_related("item")))
_PLANS = InspectionPlan.objects.select_related("agency").prefetch_related(*_PLAN_PREFETCH)


def _plan_out(plan: InspectionPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "agency_id": plan.agency_id,
        "agency_name": plan.agency.name,
        "year": plan.year,
        "title": plan.title,
        "status": plan.status,
        "status_label": plan.get_status_display(),
        "allow_advance_notice": plan.allow_advance_notice,
        "joint_agency_ids": [a.pk for a in plan.joint_agencies.all()],
        "approved_at": plan.approved_at,
        "filed_with_id": plan.filed_with_id,
        "filed_at": plan.filed_at,
        "published_at": plan.published_at,
        "published_late": plan.published_late,
        "deadline": services.plan_deadline(plan.year),
        "items": [_plan_item_out(p) for p in plan.items.all()],
    }


_TASKS = InspectionTask.objects.prefetch_related("joint_agencies")


def _task_out(task: InspectionTask) -> dict[str, Any]:
    return {
        "id": task.pk,
        "agency_id": task.agency_id,
        "item_id": task.item_id,
        "plan_item_id": task.plan_item_id,
        "kind": task.kind,
        "title": task.title,
        "reason": task.reason,
        "quarter": task.quarter,
        "starts_on": task.starts_on,
        "ends_on": task.ends_on,
        "status": task.status,
        "status_label": task.get_status_display(),
        "party_count": task.party_count,
        "inspectors_per_inspection": task.inspectors_per_inspection,
        "is_emergency": task.is_emergency,
        "commitment": task.commitment,
        "commitment_seq": task.commitment_seq,
        "filed_at": task.filed_at,
        "approved_at": task.approved_at,
        "joint_agency_ids": [a.pk for a in task.joint_agencies.all()],
        "trigger_kind": task.trigger_kind,
        "trigger_ref": task.trigger_ref,
    }


_INSPECTION_PREFETCH = (Prefetch("assignments", InspectionOfficer.objects.select_related("officer")),)
_INSPECTIONS = Inspection.objects.select_related("party").prefetch_related(*_INSPECTION_PREFETCH)


def _inspection_out(i: Inspection) -> dict[str, Any]:
    return {
        "id": i.pk,
        "task_id": i.task_id,
        "agency_id": i.agency_id,
        "item_id": i.item_id,
        "party_id": i.party_id,
        "party_name": i.party.name,
        "kind": i.kind,
        "status": i.status,
        "status_label": i.get_status_display(),
        "scheduled_on": i.scheduled_on,
        "filed_at": i.filed_at,
        "is_emergency": i.is_emergency,
        "entered_at": i.entered_at,
        "place": i.place,
        "entered_late": i.entered_late,
        "outcome": i.outcome,
        "findings": i.findings,
        "rectify_deadline": i.rectify_deadline,
        "recheck_passed": i.recheck_passed,
        "rectification_closed_at": i.rectification_closed_at,
        "publish_due": i.publish_due,
        "officers": [
            {"officer_id": a.officer_id, "name": a.officer.name, "certificate_number": a.certificate_number}
            for a in i.assignments.all()
        ],
        "mode": i.mode,
        "remote_method": i.remote_method,
        "trigger_kind": i.trigger_kind,
        "trigger_ref": i.trigger_ref,
    }


def _warning_out(w: InspectionWarning) -> dict[str, Any]:
    return {
        "id": w.pk,
        "kind": w.kind,
        "kind_label": w.get_kind_display(),
        "basis": w.basis,
        "state": w.state,
        "agency_id": w.agency_id,
        "party_id": w.party_id,
        "inspection_id": w.inspection_id,
        "count": w.count,
        "threshold": w.threshold,
        "detail": w.detail or {},
        "suggestion": w.suggestion,
        "created_at": w.created_at,
        "note": w.note,
    }


# --- lists (清单与名录库) ---------------------------------------------------------------------------------------------


@router.get("/items", response={200: ItemPage, **READ_ERRORS}, summary="随机抽查事项清单")
def item_list(
    request: HttpRequest,
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = _keyset(selectors.items(_user(request), agency_id=agency_id), cursor, limit)
    return {"items": [_item_out(i) for i in rows], "next_cursor": next_cursor}


@router.post("/items", response={201: ItemOut, **WRITE_ERRORS}, summary="新增抽查事项（须写明检查依据）")
def item_create(request: HttpRequest, payload: ItemIn) -> tuple[int, dict[str, Any]]:
    item = services.item_create(
        _user(request),
        agency=_agency(request, payload.agency_id),
        **payload.dict(exclude={"agency_id"}),
    )
    return 201, _item_out(InspectionItem.objects.select_related("agency", "domain").get(pk=item.pk))


@router.get(
    "/items/{item_id}/inspectors",
    response={200: list[InspectorOut], **READ_ERRORS},
    summary="执法检查人员名录库",
)
def item_inspectors(request: HttpRequest, item_id: PathId) -> list[dict[str, Any]]:
    item = _in_scope(
        request, rules.VIEW, InspectionItem.objects.select_related("domain"), "抽查事项", item_id
    )
    return [
        {
            "officer_id": e.officer.pk,
            "name": e.officer.name,
            "agency_id": e.officer.agency_id,
            "certificate_number": e.certificate_number,
        }
        for e in selectors.inspector_directory(_user(request), item)
    ]


@router.get("/parties", response={200: DirectoryPartyPage, **READ_ERRORS}, summary="检查对象名录库（按领域）")
def party_directory(
    request: HttpRequest,
    domain: str = Query(..., min_length=1, max_length=32),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = _keyset(selectors.inspected_parties(_user(request), domain), cursor, limit)
    return {
        "items": [
            {
                "id": p.pk,
                "name": p.name,
                "uscc": p.uscc,
                "industry": p.industry,
                "credit_class": p.credit_class,
            }
            for p in rows
        ],
        "next_cursor": next_cursor,
    }


@router.post("/parties/{party_id}/tags", response={200: OkOut, **WRITE_ERRORS}, summary="列入检查对象名录库")
def party_tags(request: HttpRequest, party_id: PathId, payload: TagsIn) -> dict[str, bool]:
    services.party_tag(_user(request), _party(request, party_id), payload.domain_codes)
    return {"ok": True}


@router.post("/no-disturb", response={200: OkOut, **WRITE_ERRORS}, summary="列入无事不扰名单")
def no_disturb_add(request: HttpRequest, payload: NoDisturbIn) -> dict[str, bool]:
    services.no_disturb_add(
        _user(request), _party(request, payload.party_id), reason=payload.reason, until=payload.until
    )
    return {"ok": True}


@router.post(
    "/parties/{party_id}/no-disturb-removal",
    response={200: OkOut, **WRITE_ERRORS},
    summary="移出无事不扰名单",
)
def no_disturb_remove(request: HttpRequest, party_id: PathId, payload: ReasonIn) -> dict[str, bool]:
    services.no_disturb_remove(_user(request), _party(request, party_id), reason=payload.reason)
    return {"ok": True}


@router.get("/no-disturb", response={200: NoDisturbPage, **READ_ERRORS}, summary="无事不扰名单")
def no_disturb_list(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = _keyset(selectors.no_disturb_entries(_user(request)), cursor, limit)
    return {"items": [_no_disturb_out(e) for e in rows], "next_cursor": next_cursor}


def _no_disturb_out(e: NoDisturbEntry) -> dict[str, Any]:
    return {
        "party_id": e.party_id,
        "party_name": e.party.name,
        "reason": e.reason,
        "until": e.until,
        "added_at": e.added_at,
    }


def _cap_out(c: VisitCap) -> dict[str, Any]:
    return {
        "id": c.pk,
        "region_id": c.region_id,
        "region_name": c.region.name,
        "year": c.year,
        "per_agency": c.per_agency,
        "per_enterprise": c.per_enterprise,
        "basis": c.basis,
    }


@router.get("/visit-caps", response={200: VisitCapPage, **READ_ERRORS}, summary="年度检查上限")
def visit_cap_list(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = _keyset(selectors.visit_caps(_user(request)), cursor, limit)
    return {"items": [_cap_out(c) for c in rows], "next_cursor": next_cursor}


@router.post(
    "/visit-caps", response={200: VisitCapOut, **WRITE_ERRORS}, summary="设定年度检查上限（司法行政机关）"
)
def visit_cap_set(request: HttpRequest, payload: VisitCapIn) -> dict[str, Any]:
    region = _in_scope(request, rules.MANAGE_VISIT_CAPS, Region.objects.all(), "区划", payload.region_id)
    cap = services.visit_cap_set(
        _user(request),
        region,
        year=payload.year,
        per_agency=payload.per_agency,
        per_enterprise=payload.per_enterprise,
        basis=payload.basis,
    )
    return _cap_out(VisitCap.objects.select_related("region").get(pk=cap.pk))


@router.get("/visit-count", response={200: VisitCountOut, **READ_ERRORS}, summary="企业年度入企次数与上限")
def visit_count(
    request: HttpRequest,
    agency_id: int = Query(..., ge=1, le=MAX_ID),
    party_id: int = Query(..., ge=1, le=MAX_ID),
    on: dt.date = Query(..., description="检查日期（所在年度）"),  # noqa: B008
) -> dict[str, Any]:
    agency, party = _agency(request, agency_id), _party(request, party_id)
    count = services.visit_count(agency, party, on)
    caps = count.caps
    return {
        "year": caps.year,
        "per_agency_cap": caps.per_agency,
        "per_enterprise_cap": caps.per_enterprise,
        "cap_region_id": caps.region.pk if caps.region else None,
        "by_agency": count.by_agency,
        "total": count.total,
        "agency_reached": count.agency_reached,
        "enterprise_reached": count.enterprise_reached,
        "no_disturb": services.no_disturb_entry(party, on) is not None,
    }


@router.post("/conflicts", response={200: OkOut, **WRITE_ERRORS}, summary="登记回避情形")
def conflict_record(request: HttpRequest, payload: ConflictIn) -> dict[str, bool]:
    officer = _in_scope(request, perms.VIEW_OFFICER, Officer.objects.all(), "执法人员", payload.officer_id)
    services.conflict_record(
        _user(request), officer, _party(request, payload.party_id), reason=payload.reason
    )
    return {"ok": True}


# --- plans ---------------------------------------------------------------------------------------------------------


@router.get("/plans", response={200: PlanPage, **READ_ERRORS}, summary="年度涉企检查计划")
def plan_list(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100),
    late: bool = Query(False, description="仅列出逾期（3 月 31 日后公布或仍未公布）的计划"),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    user = _user(request)
    if late and year is not None:
        qs = selectors.plans_late(user, year)
    else:
        qs = selectors.plans(user, year=year)
    rows, next_cursor = _keyset(qs.prefetch_related(*_PLAN_PREFETCH), cursor, limit)
    return {"items": [_plan_out(p) for p in rows], "next_cursor": next_cursor}


@router.post("/plans", response={201: PlanOut, **WRITE_ERRORS}, summary="编制年度计划")
def plan_create(request: HttpRequest, payload: PlanIn) -> tuple[int, dict[str, Any]]:
    plan = services.plan_create(
        _user(request),
        agency=_agency(request, payload.agency_id),
        year=payload.year,
        title=payload.title,
        allow_advance_notice=payload.allow_advance_notice,
        joint_agency_ids=payload.joint_agency_ids,
    )
    return 201, _plan_out(_PLANS.get(pk=plan.pk))


def _plan(request: HttpRequest, plan_id: int) -> InspectionPlan:
    return _in_scope(
        request, rules.VIEW, InspectionPlan.objects.select_related("agency__region"), "计划", plan_id
    )


@router.post("/plans/{plan_id}/items", response={200: PlanOut, **WRITE_ERRORS}, summary="计划增加抽查事项")
def plan_item_add(request: HttpRequest, plan_id: PathId, payload: PlanItemIn) -> dict[str, Any]:
    plan = _plan(request, plan_id)
    item = _in_scope(request, rules.VIEW, InspectionItem.objects.all(), "抽查事项", payload.item_id)
    services.plan_item_add(
        _user(request),
        plan,
        item=item,
        ratios=payload.ratios.dict(),
        frequencies=payload.frequencies.dict(),
        quarters=payload.quarters,
        scope=payload.scope,
        industries=payload.industries,
        stratify_by_industry=payload.stratify_by_industry,
    )
    return _plan_out(_PLANS.get(pk=plan.pk))


@router.post(
    "/plans/{plan_id}/approve", response={200: PlanOut, **WRITE_ERRORS}, summary="机关负责人批准计划"
)
def plan_approve(request: HttpRequest, plan_id: PathId) -> dict[str, Any]:
    plan = services.plan_approve(_user(request), _plan(request, plan_id))
    return _plan_out(_PLANS.get(pk=plan.pk))


@router.post("/plans/{plan_id}/file", response={200: PlanOut, **WRITE_ERRORS}, summary="报司法行政部门备案")
def plan_file(request: HttpRequest, plan_id: PathId) -> dict[str, Any]:
    plan = services.plan_file(_user(request), _plan(request, plan_id))
    return _plan_out(_PLANS.get(pk=plan.pk))


@router.post("/plans/{plan_id}/publish", response={200: PlanOut, **WRITE_ERRORS}, summary="公布计划")
def plan_publish(request: HttpRequest, plan_id: PathId) -> dict[str, Any]:
    plan = services.plan_publish(_user(request), _plan(request, plan_id))
    return _plan_out(_PLANS.get(pk=plan.pk))


# --- tasks and draws -------------------------------------------------------------------------------------------------


@router.get("/tasks", response={200: TaskPage, **READ_ERRORS}, summary="检查任务")
def task_list(
    request: HttpRequest,
    status: TaskStatus | None = None,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    qs = selectors.tasks(_user(request), status=status).prefetch_related("joint_agencies")
    rows, next_cursor = _keyset(qs, cursor, limit)
    return {"items": [_task_out(t) for t in rows], "next_cursor": next_cursor}


@router.post(
    "/tasks/random", response={201: TaskOut, **WRITE_ERRORS}, summary="创建双随机任务（公布秘密承诺值）"
)
def task_create_random(request: HttpRequest, payload: RandomTaskIn) -> tuple[int, dict[str, Any]]:
    plan_item = (
        PlanItem.objects.select_related("plan__agency", "item").filter(pk=payload.plan_item_id).first()
    )
    if plan_item is None or not perms.can(_user(request), rules.VIEW, plan_item.plan):
        raise NotFound("计划事项不存在或不在您的数据范围内。", "Plan item not found.")
    task = services.task_create_random(
        _user(request), plan_item=plan_item, **payload.dict(exclude={"plan_item_id"})
    )
    return 201, _task_out(_TASKS.get(pk=task.pk))


@router.post(
    "/tasks/filed",
    response={201: TaskOut, **WRITE_ERRORS},
    summary="非随机检查报备（紧急检查可事后 24 小时内补报）",
)
def task_file(request: HttpRequest, payload: FiledTaskIn) -> tuple[int, dict[str, Any]]:
    agency = _agency(request, payload.agency_id)
    item = _in_scope(
        request, rules.VIEW, InspectionItem.objects.select_related("domain"), "抽查事项", payload.item_id
    )
    entered = None
    if payload.entered_inspection_id is not None:
        entered = _in_scope(
            request, rules.VIEW, Inspection.objects.all(), "检查", payload.entered_inspection_id
        )
    task = services.task_file(
        _user(request),
        agency=agency,
        item=item,
        kind=payload.kind,
        party=_party(request, payload.party_id),
        officer_ids=payload.officer_ids,
        title=payload.title,
        reason=payload.reason,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        is_emergency=payload.is_emergency,
        entered_inspection=entered,
        trigger_kind=payload.trigger_kind,
        trigger_ref=payload.trigger_ref,
    )
    return 201, _task_out(_TASKS.get(pk=task.pk))


def _task(request: HttpRequest, task_id: int) -> InspectionTask:
    return _in_scope(request, rules.VIEW, InspectionTask.objects.all(), "检查任务", task_id)


@router.post(
    "/tasks/{task_id}/approve", response={200: TaskOut, **WRITE_ERRORS}, summary="机关负责人批准检查"
)
def task_approve(request: HttpRequest, task_id: PathId) -> dict[str, Any]:
    task = services.task_approve(_user(request), _task(request, task_id))
    return _task_out(_TASKS.get(pk=task.pk))


@router.post("/tasks/{task_id}/draw", response={200: DrawOut, **WRITE_ERRORS}, summary="双随机抽取")
def task_draw(request: HttpRequest, task_id: PathId) -> dict[str, Any]:
    services.task_draw(_user(request), _task(request, task_id))
    return selectors.draw_published(task_id)


@router.get(
    "/draws/{task_id}",
    response={200: DrawOut, **PUBLIC_ERRORS},
    auth=None,
    summary="抽取结果与验证数据（公开，可复算）",
)
def draw_published(request: HttpRequest, task_id: PathId) -> dict[str, Any]:
    return selectors.draw_published(task_id)


# --- inspections ------------------------------------------------------------------------------------------------------


@router.get("/inspections", response={200: InspectionPage, **READ_ERRORS}, summary="检查记录")
def inspection_list(
    request: HttpRequest,
    status: InspectionStatus | None = None,
    party_id: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    qs = selectors.inspections(_user(request), status=status, party_id=party_id)
    rows, next_cursor = _keyset(qs.prefetch_related(*_INSPECTION_PREFETCH), cursor, limit)
    return {"items": [_inspection_out(i) for i in rows], "next_cursor": next_cursor}


@router.get(
    "/inspections/today", response={200: list[InspectionOut], **READ_ERRORS}, summary="今日检查（执法人员）"
)
def inspection_today(request: HttpRequest) -> list[dict[str, Any]]:
    qs = selectors.inspections_for_officer(_user(request))
    return [_inspection_out(i) for i in qs.prefetch_related(*_INSPECTION_PREFETCH)[:MAX_LIMIT]]


def _inspection(request: HttpRequest, inspection_id: int) -> Inspection:
    return _in_scope(request, rules.VIEW, Inspection.objects.select_related("task"), "检查", inspection_id)


@router.get(
    "/inspections/{inspection_id}/code",
    response={200: CodeOut, **READ_OR_REFUSED},
    summary="检查码（二维码）",
)
def inspection_code(request: HttpRequest, inspection_id: PathId) -> dict[str, Any]:
    inspection = _inspection(request, inspection_id)
    perms.require(_user(request), rules.INSPECT, inspection, request=request)
    task = inspection.task
    if task is None or task.status not in (TaskStatus.APPROVED, TaskStatus.DRAWN):
        raise RuleViolation(
            "检查未报备或未经批准，没有检查码。", "No code: not filed or approved.", code="task_not_approved"
        )
    code = codes.issue_code(inspection)
    not_before, not_after = codes.window(task.starts_on, task.ends_on)
    return {
        "inspection_id": inspection.pk,
        "code": code,
        "not_before": not_before,
        "not_after": not_after,
        "qr_svg": codes.qr_svg(code),
    }


@router.post(
    "/inspections/{inspection_id}/visit-window",
    response={200: VisitWindowOut, **WRITE_ERRORS},
    summary="提出可选入企时间（商定入企时间）",
)
def visit_window_offer(request: HttpRequest, inspection_id: PathId, payload: VisitWindowIn) -> dict[str, Any]:
    window = services.visit_window_offer(
        _user(request), _inspection(request, inspection_id), **payload.dict()
    )
    return {
        "inspection_id": window.inspection_id,
        "first_day": window.first_day,
        "last_day": window.last_day,
        "day_starts": window.day_starts,
        "day_ends": window.day_ends,
        "slot_minutes": window.slot_minutes,
        "note": window.note,
        "offered_at": window.offered_at,
        "agreed_start": window.agreed_start,
        "slots": len(services.visit_slots(window)),
    }


@router.post("/check-in", response={200: InspectionOut, **WRITE_ERRORS}, summary="扫码进企签到")
def check_in(request: HttpRequest, payload: CheckInIn) -> dict[str, Any]:
    inspection = services.inspection_check_in(
        _user(request), payload.code, place=payload.place, at=payload.at
    )
    return _inspection_out(_INSPECTIONS.get(pk=inspection.pk))


@router.post(
    "/inspections/unfiled",
    response={201: InspectionOut, **WRITE_ERRORS},
    summary="未报备进企记录（紧急检查）",
)
def enter_unfiled(request: HttpRequest, payload: UnfiledEntryIn) -> tuple[int, dict[str, Any]]:
    item = None
    if payload.item_id is not None:
        item = _in_scope(request, rules.VIEW, InspectionItem.objects.all(), "抽查事项", payload.item_id)
    inspection = services.inspection_enter_unfiled(
        _user(request),
        party=_party(request, payload.party_id),
        item=item,
        place=payload.place,
        at=payload.at,
        emergency_reason=payload.emergency_reason,
        officer_ids=payload.officer_ids,
    )
    return 201, _inspection_out(_INSPECTIONS.get(pk=inspection.pk))


@router.get(
    "/code-view",
    response={200: CodeViewOut, **PUBLIC_ERRORS},
    auth=None,
    summary="企业扫码核验检查人员与任务（公开）",
)
def code_view(request: HttpRequest, code: str = Query(..., min_length=1, max_length=1000)) -> dict[str, Any]:
    view = services.inspection_code_view(code)
    inspection = view.inspection
    task = inspection.task
    return {
        "valid_now": view.valid_now,
        "not_before": view.not_before,
        "not_after": view.not_after,
        "agency": inspection.agency.name,
        "task_title": task.title if task else "",
        "kind_label": inspection.get_kind_display(),
        "item_name": inspection.item.name if inspection.item else "",
        "legal_basis": inspection.item.legal_basis if inspection.item else "",
        "advance_notice": bool(task and task.advance_notice),
        "officers": view.officers,
    }


@router.post(
    "/inspections/{inspection_id}/result",
    response={200: InspectionOut, **WRITE_ERRORS},
    summary="录入检查结果",
)
def inspection_result(request: HttpRequest, inspection_id: PathId, payload: ResultIn) -> dict[str, Any]:
    services.inspection_result(
        _user(request),
        _inspection(request, inspection_id),
        outcome=payload.outcome,
        findings=payload.findings,
        rectify_deadline=payload.rectify_deadline,
    )
    return _inspection_out(_INSPECTIONS.get(pk=inspection_id))


@router.post(
    "/inspections/{inspection_id}/remote",
    response={200: InspectionOut, **WRITE_ERRORS},
    summary="非现场检查（书面材料、视频、在线监测；先上传依据材料）",
)
def inspection_remote(request: HttpRequest, inspection_id: PathId, payload: RemoteIn) -> dict[str, Any]:
    services.inspection_remote_record(
        _user(request),
        _inspection(request, inspection_id),
        method=payload.method,
        outcome=payload.outcome,
        findings=payload.findings,
        rectify_deadline=payload.rectify_deadline,
        at=payload.at,
    )
    return _inspection_out(_INSPECTIONS.get(pk=inspection_id))


@router.post(
    "/inspections/{inspection_id}/recheck", response={200: InspectionOut, **WRITE_ERRORS}, summary="整改复查"
)
def inspection_recheck(request: HttpRequest, inspection_id: PathId, payload: RecheckIn) -> dict[str, Any]:
    services.inspection_recheck(
        _user(request), _inspection(request, inspection_id), passed=payload.passed, findings=payload.findings
    )
    return _inspection_out(_INSPECTIONS.get(pk=inspection_id))


@router.post(
    "/inspections/{inspection_id}/feedback", response={201: OkOut, **WRITE_ERRORS}, summary="企业匿名评价"
)
def feedback_submit(
    request: HttpRequest, inspection_id: PathId, payload: FeedbackIn
) -> tuple[int, dict[str, bool]]:
    services.feedback_submit(
        _user(request),
        _inspection(request, inspection_id),
        rating=payload.rating,
        comment=payload.comment,
        problem_text=payload.problem_text,
    )
    return 201, {"ok": True}


@router.get(
    "/feedback/summary", response={200: FeedbackSummaryOut, **READ_ERRORS}, summary="企业评价汇总（执法部门）"
)
def feedback_summary(request: HttpRequest, agency_id: int = Query(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    agency = _agency(request, agency_id)
    s = selectors.feedback_summary(_user(request), agency)
    return {
        "agency_id": agency.pk,
        "count": s.count,
        "shown": s.shown,
        "average": s.average,
        "by_rating": s.by_rating,
        "problems": s.problems,
    }


@router.get("/feedback", response={200: FeedbackPage, **READ_ERRORS}, summary="企业评价明细（执法监督）")
def feedback_list(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = _keyset(selectors.feedback_list(_user(request)), cursor, limit)
    return {"items": [_feedback_out(f) for f in rows], "next_cursor": next_cursor}


def _feedback_out(f: InspectionFeedback) -> dict[str, Any]:
    return {
        "id": f.pk,
        "inspection_id": f.inspection_id,
        "agency_id": f.inspection.agency_id,
        "party_id": f.inspection.party_id,
        "rating": f.rating,
        "comment": f.comment,
        "problem_reported": f.problem_reported,
        "problem_text": f.problem_text,
        "created_at": f.created_at,
    }


# --- rectification reports and objections (整改报告、检查异议) ------------------------------------------------------


def _rectification_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "inspection_id": r.inspection_id,
        "statement": r.statement,
        "submitted_at": r.submitted_at,
        "deadline": r.deadline,
        "late": r.late,
        "evidence_ids": [e.pk for e in selectors.rectification_files(r)],
    }


@router.post(
    "/inspections/{inspection_id}/rectification",
    response={201: RectificationOut, **WRITE_ERRORS},
    summary="企业提交整改报告（文件随后以证据上传，object_type=inspections.rectification）",
)
def rectification_submit(
    request: HttpRequest, inspection_id: PathId, payload: RectificationIn
) -> tuple[int, dict[str, Any]]:
    rectification = services.rectification_submit(
        _user(request), _inspection(request, inspection_id), statement=payload.statement
    )
    return 201, _rectification_out(rectification)


@router.get(
    "/inspections/{inspection_id}/rectification",
    response={200: RectificationOut, **READ_ERRORS},
    summary="整改报告",
)
def rectification_get(request: HttpRequest, inspection_id: PathId) -> dict[str, Any]:
    rectification = selectors.rectification_of(_inspection(request, inspection_id))
    if rectification is None:
        raise NotFound("尚未提交整改报告。", "No rectification report.", code="rectification_not_found")
    return _rectification_out(rectification)


@router.post(
    "/inspections/{inspection_id}/objections",
    response={201: OkOut, **WRITE_ERRORS},
    summary="企业提出检查异议（不记录账号）",
)
def objection_submit(
    request: HttpRequest, inspection_id: PathId, payload: ObjectionIn
) -> tuple[int, dict[str, bool]]:
    services.objection_submit(
        _user(request), _inspection(request, inspection_id), kind=payload.kind, grounds=payload.grounds
    )
    return 201, {"ok": True}


def _objection_out(o: InspectionObjection) -> dict[str, Any]:
    return {
        "id": o.pk,
        "inspection_id": o.inspection_id,
        "agency_id": o.inspection.agency_id,
        "party_id": o.inspection.party_id,
        "kind": o.kind,
        "grounds": o.grounds,
        "state": o.state,
        "created_at": o.created_at,
        "answer": o.answer,
        "answered_at": o.answered_at,
    }


@router.get(
    "/objections/summary",
    response={200: ObjectionSummaryOut, **READ_ERRORS},
    summary="检查异议汇总（执法部门）",
)
def objection_summary(request: HttpRequest, agency_id: int = Query(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    agency = _agency(request, agency_id)
    s = selectors.objection_summary(_user(request), agency)
    return {"agency_id": agency.pk, "count": s.count, "shown": s.shown, "by_kind": s.by_kind, "open": s.open}


@router.get("/objections", response={200: ObjectionPage, **READ_ERRORS}, summary="检查异议明细（执法监督）")
def objection_list(
    request: HttpRequest,
    state: ObjectionState | None = None,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = _keyset(selectors.objections(_user(request), state=state), cursor, limit)
    return {"items": [_objection_out(o) for o in rows], "next_cursor": next_cursor}


@router.post(
    "/objections/{objection_id}/answer",
    response={200: ObjectionOut, **WRITE_ERRORS},
    summary="答复检查异议（执法监督）",
)
def objection_answer(
    request: HttpRequest, objection_id: PathId, payload: ObjectionAnswerIn
) -> dict[str, Any]:
    user = _user(request)
    objection = selectors.objections(user).filter(pk=objection_id).first()
    if objection is None:
        raise NotFound("异议不存在或不在您的数据范围内。", "Objection not found.", code="objection_not_found")
    return _objection_out(services.objection_answer(user, objection, answer=payload.answer))


# --- warnings, suggestions, case sources -------------------------------------------------------------------------------


@router.get("/warnings", response={200: WarningPage, **READ_ERRORS}, summary="检查预警")
def warning_list(
    request: HttpRequest,
    state: WarningState | None = None,
    kind: WarningKind | None = None,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = _keyset(selectors.warnings(_user(request), state=state, kind=kind), cursor, limit)
    return {"items": [_warning_out(w) for w in rows], "next_cursor": next_cursor}


def _warning(request: HttpRequest, warning_id: int) -> InspectionWarning:
    return _in_scope(request, rules.VIEW_WARNING, InspectionWarning.objects.all(), "预警", warning_id)


@router.post("/warnings/{warning_id}/handle", response={200: WarningOut, **WRITE_ERRORS}, summary="处理预警")
def warning_handle(request: HttpRequest, warning_id: PathId, payload: NoteIn) -> dict[str, Any]:
    return _warning_out(
        services.warning_handle(_user(request), _warning(request, warning_id), note=payload.note)
    )


@router.post(
    "/warnings/{warning_id}/dismiss",
    response={200: WarningOut, **WRITE_ERRORS},
    summary="排除预警（须说明理由）",
)
def warning_dismiss(request: HttpRequest, warning_id: PathId, payload: ReasonIn) -> dict[str, Any]:
    return _warning_out(
        services.warning_dismiss(_user(request), _warning(request, warning_id), reason=payload.reason)
    )


@router.get(
    "/merge-suggestions", response={200: list[MergeSuggestionOut], **READ_ERRORS}, summary="综合查一次建议"
)
def merge_suggestions(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "party_id": s.party_id,
            "party_name": s.party_name,
            "inspection_ids": s.inspection_ids,
            "agency_ids": s.agency_ids,
            "first_due": s.first_due,
            "last_due": s.last_due,
            "joint": s.joint,
        }
        for s in selectors.merge_suggestions(_user(request))
    ]


def _proposal_out(p: Any) -> dict[str, Any]:
    visits = sorted(p.inspections.select_related("agency", "item"), key=lambda i: i.pk)
    agencies = sorted(p.agencies.all(), key=lambda a: a.pk)
    return {
        "id": p.pk,
        "party_id": p.party_id,
        "party_name": p.party.name,
        "status": p.status,
        "status_label": p.get_status_display(),
        "window_days": p.window_days,
        "first_due": p.first_due,
        "last_due": p.last_due,
        "visits": [
            {
                "inspection_id": i.pk,
                "agency_name": i.agency.name,
                "item_name": i.item.name if i.item else "",
                "scheduled_on": i.scheduled_on,
            }
            for i in visits
        ],
        "agency_names": [a.name for a in agencies],
        "agreed_names": [a.name for a in agencies if a.pk in set(p.agreed_agency_ids)],
        "survivor_id": p.survivor_id,
    }


@router.get(
    "/merge-proposals",
    response={200: list[MergeProposalOut], **READ_ERRORS},
    summary="合并检查建议（自动匹配）",
)
def merge_proposals(request: HttpRequest) -> list[dict[str, Any]]:
    return [_proposal_out(o.proposal) for o in selectors.merge_proposals_open(_user(request))]


@router.post(
    "/merge-proposals/{proposal_id}/accept",
    response={200: MergeProposalOut, **WRITE_ERRORS},
    summary="同意合并检查（各涉及部门均同意后合并为一次联合检查）",
)
def merge_proposal_accept(request: HttpRequest, proposal_id: PathId) -> dict[str, Any]:
    user = _user(request)
    proposal = services.merge_proposal_accept(user, services.proposal_for(user, proposal_id))
    return _proposal_out(proposal)


@router.post(
    "/merge-proposals/{proposal_id}/decline",
    response={200: MergeProposalOut, **WRITE_ERRORS},
    summary="不同意合并检查（须说明理由）",
)
def merge_proposal_decline(request: HttpRequest, proposal_id: PathId, payload: ReasonIn) -> dict[str, Any]:
    user = _user(request)
    proposal = services.proposal_for(user, proposal_id)
    return _proposal_out(services.merge_proposal_decline(user, proposal, reason=payload.reason))


@router.get("/case-sources", response={200: list[CaseSourceOut], **READ_ERRORS}, summary="检查发现的案源")
def case_sources(
    request: HttpRequest,
    after_seq: int | None = Query(None, ge=0, le=MAX_ID),
    limit: int = Query(100, ge=1, le=1000),
) -> list[dict[str, Any]]:
    return [
        s.__dict__
        for s in selectors.case_sources_from_inspections(_user(request), after_seq=after_seq, limit=limit)
    ]


# --- checklists: import (检查表单导入) and the visit's merged checklist (一表通查) -------------------------------------


def _visit_checklist_out(inspection: Inspection) -> dict[str, Any]:
    checklist = visit_checklist(inspection)
    return {
        "inspection_id": inspection.pk,
        "day": checklist.day,
        "lines": [
            {
                "key": line.key,
                "number": line.number,
                "content": line.content,
                "basis": line.basis,
                "method": line.method,
                "sources": [s.__dict__ for s in line.sources],
                "result": line.result.result if line.result else None,
                "result_label": line.result.get_result_display() if line.result else "",
                "note": line.result.note if line.result else "",
                "recorded_at": line.result.recorded_at if line.result else None,
            }
            for line in checklist.lines
        ],
        "items_without_checklist": checklist.items_without_checklist,
        "recorded": checklist.recorded,
        "nonconforming": len(checklist.nonconforming),
    }


@router.post(
    "/checklists/import",
    response={200: ChecklistImportOut, **WRITE_ERRORS},
    summary="导入检查表单（xlsx，每行一项检查内容）",
)
def checklist_import(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008
    effective_from: Date | None = Query(None, description="施行日期，默认今天"),  # noqa: B008
) -> dict[str, Any]:
    """All rows or none: a file with errors writes nothing and answers 422 with every row's error in
    ``details``. Each item named in the file gets a new version of its checklist from ``effective_from``."""
    report = imports.checklist_import(
        actor=_user(request),
        file=file,
        effective_from=effective_from or clock.today(),
        filename=file.name or "",
    )
    body = report.as_dict()
    if not report.ok:
        raise InvalidInput(
            f"导入文件有 {len(report.errors)} 处错误，未写入任何数据。",
            f"The file has {len(report.errors)} error(s); nothing was written.",
            code="import_rejected",
            field="file",
            details=body,
        )
    return body


@router.get(
    "/inspections/{inspection_id}/checklist",
    response={200: VisitChecklistOut, **READ_ERRORS},
    summary="检查表单（一表通查：合并各检查事项的检查表单）及各项结果",
)
def inspection_checklist(request: HttpRequest, inspection_id: PathId) -> dict[str, Any]:
    return _visit_checklist_out(_inspection(request, inspection_id))


@router.post(
    "/inspections/{inspection_id}/checklist",
    response={200: VisitChecklistOut, **WRITE_ERRORS},
    summary="录入检查表单结果（符合/不符合/不涉及）",
)
def inspection_checklist_record(
    request: HttpRequest, inspection_id: PathId, payload: ChecklistRecordIn
) -> dict[str, Any]:
    inspection = _inspection(request, inspection_id)
    services.checklist_record(_user(request), inspection, results=[r.dict() for r in payload.results])
    return _visit_checklist_out(inspection)


# --- 综合查一次, 结果互认 --------------------------------------------------------------------------------------------


def _check_out(c: InspectionCheck) -> dict[str, Any]:
    return {
        "id": c.pk,
        "inspection_id": c.inspection_id,
        "agency_id": c.agency_id,
        "agency_name": c.agency.name,
        "item_id": c.item_id,
        "item_name": c.item.name,
        "task_id": c.task_id,
        "outcome": c.outcome,
        "findings": c.findings,
        "result_at": c.result_at,
        "rectify_deadline": c.rectify_deadline,
        "recheck_passed": c.recheck_passed,
        "recognised_from_id": c.recognised_from_id,
        "case_source_seq": c.case_source_seq,
    }


_CHECKS = InspectionCheck.objects.select_related("agency", "item")


@router.post("/joint-tasks", response={201: TaskOut, **WRITE_ERRORS}, summary="综合查一次：新建联合检查任务")
def joint_task_create(request: HttpRequest, payload: JointTaskIn) -> tuple[int, dict[str, Any]]:
    task = services.joint_task_create(
        _user(request),
        agency=_agency(request, payload.agency_id),
        title=payload.title,
        reason=payload.reason,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        parts=[(p.agency_id, p.item_id) for p in payload.parts],
        party=_party(request, payload.party_id) if payload.party_id is not None else None,
        officer_ids=payload.officer_ids,
        industries=payload.industries,
        party_count=payload.party_count,
        inspectors_per_agency=payload.inspectors_per_agency,
    )
    return 201, _task_out(_TASKS.get(pk=task.pk))


def _visible_task(request: HttpRequest, task_id: int) -> InspectionTask:
    """A task in scope, or a joint task with a part of one of the caller's agencies (综合查一次)."""
    task = selectors.tasks(_user(request)).filter(pk=task_id).first()
    if task is None:
        raise NotFound("检查任务不存在。", "InspectionTask not found.")
    return task


@router.post(
    "/tasks/{task_id}/joint-approve",
    response={200: TaskOut, **WRITE_ERRORS},
    summary="综合查一次：本部门负责人批准本部门事项",
)
def joint_task_approve(request: HttpRequest, task_id: PathId, payload: JointApproveIn) -> dict[str, Any]:
    task = services.joint_task_approve(
        _user(request), _visible_task(request, task_id), officer_ids=payload.officer_ids
    )
    return _task_out(_TASKS.get(pk=task.pk))


@router.get(
    "/inspections/{inspection_id}/checks",
    response={200: list[CheckOut], **READ_ERRORS},
    summary="检查事项记录（每个事项一个结果）",
)
def inspection_checks(request: HttpRequest, inspection_id: PathId) -> list[dict[str, Any]]:
    inspection = selectors.inspections(_user(request)).filter(pk=inspection_id).first()
    if inspection is None:
        raise NotFound("检查不存在。", "Inspection not found.")
    return [_check_out(c) for c in _CHECKS.filter(inspection=inspection).order_by("id")]


def _check(request: HttpRequest, check_id: int) -> InspectionCheck:
    return _in_scope(request, rules.INSPECT, _CHECKS.all(), "检查事项", check_id)


@router.post(
    "/checks/{check_id}/result", response={200: CheckOut, **WRITE_ERRORS}, summary="录入本部门事项的检查结果"
)
def check_result(request: HttpRequest, check_id: PathId, payload: ResultIn) -> dict[str, Any]:
    check = services.inspection_check_result(
        _user(request),
        _check(request, check_id),
        outcome=payload.outcome,
        findings=payload.findings,
        rectify_deadline=payload.rectify_deadline,
    )
    return _check_out(_CHECKS.get(pk=check.pk))


@router.post(
    "/checks/{check_id}/recheck", response={200: CheckOut, **WRITE_ERRORS}, summary="本部门事项整改复查"
)
def check_recheck(request: HttpRequest, check_id: PathId, payload: RecheckIn) -> dict[str, Any]:
    check = services.inspection_check_recheck(
        _user(request), _check(request, check_id), passed=payload.passed, findings=payload.findings
    )
    return _check_out(_CHECKS.get(pk=check.pk))


@router.post(
    "/recognitions", response={201: CheckOut, **WRITE_ERRORS}, summary="结果互认：采用其他部门的检查结果"
)
def check_recognise(request: HttpRequest, payload: RecognitionIn) -> tuple[int, dict[str, Any]]:
    item = _in_scope(request, rules.MANAGE_TASK, InspectionItem.objects.all(), "抽查事项", payload.item_id)
    check = services.check_recognise(_user(request), item=item, party=_party(request, payload.party_id))
    return 201, _check_out(_CHECKS.get(pk=check.pk))


@router.post(
    "/item-equivalences", response={201: OkOut, **WRITE_ERRORS}, summary="登记互认事项（司法行政部门）"
)
def item_equivalence_add(request: HttpRequest, payload: EquivalenceIn) -> tuple[int, dict[str, bool]]:
    items = InspectionItem.objects.select_related("agency__region")
    a = _in_scope(request, rules.VIEW, items, "抽查事项", payload.item_a_id)
    b = _in_scope(request, rules.VIEW, items, "抽查事项", payload.item_b_id)
    services.item_equivalence_add(_user(request), item_a=a, item_b=b, note=payload.note)
    return 201, {"ok": True}


# --- offline on-site work (离线现场检查) ----------------------------------------------------------------------------

_SYNC_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["client_id", "kind", "captured_at"],
                    "properties": {
                        "client_id": {
                            "type": "string",
                            "format": "uuid",
                            "description": "generated on the phone; a repeated sync applies nothing twice",
                        },
                        "kind": {"type": "string", "enum": list(OfflineActionKind.values)},
                        "captured_at": {
                            "type": "string",
                            "format": "date-time",
                            "description": "when the officer did it on site (现场采集时间)",
                        },
                        "payload": {
                            "type": "string",
                            "maxLength": 20000,
                            "description": "the action's fields as a JSON object: check_in {place}; "
                            "result {outcome, findings, rectify_deadline}; photo {evidence_kind, description}",
                        },
                        "file": {"type": "string", "format": "binary", "description": "photo only"},
                    },
                }
            }
        },
        "required": True,
    }
}


def _offline_out(a: OfflineAction) -> dict[str, Any]:
    return {
        "client_id": a.client_id,
        "inspection_id": a.inspection_id,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "state": a.state,
        "state_label": a.get_state_display(),
        "reason": a.reason,
        "reason_code": a.reason_code,
        "captured_at": a.captured_at,
        "synced_at": a.synced_at,
        "beyond_window": a.beyond_window,
        "evidence_id": a.evidence_id,
        "party_name": a.inspection.party.name,
        "officer_name": a.officer.name,
    }


def _sync_fields(data: dict[str, str]) -> tuple[uuid.UUID, str, dt.datetime, dict[str, Any]]:
    try:
        client_id = uuid.UUID(data.get("client_id", ""))
    except ValueError:
        raise InvalidInput("离线记录编号无效。", "client_id must be a UUID.", field="client_id") from None
    kind = data.get("kind", "")
    if kind not in OfflineActionKind.values:
        raise InvalidInput("离线操作类型无效。", "Unknown offline action kind.", field="kind")
    try:
        captured_at = dt.datetime.fromisoformat(data.get("captured_at", "").replace("Z", "+00:00"))
    except ValueError:
        captured_at = None
    if captured_at is None or captured_at.tzinfo is None:
        raise InvalidInput(
            "采集时间格式不正确（须带时区）。", "captured_at must be an aware ISO time.", field="captured_at"
        )
    text = data.get("payload", "") or "{}"
    try:
        payload = json.loads(text) if len(text) <= 20000 else None
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise InvalidInput(
            "离线记录内容须为不超过 20000 字的 JSON 对象。",
            "payload must be a JSON object of at most 20000 characters.",
            field="payload",
        )
    return client_id, kind, captured_at, payload


def _sync_upload(request: HttpRequest) -> HashedUploadedFile | None:
    handler = next((h for h in request.upload_handlers if isinstance(h, EvidenceUploadHandler)), None)
    files = request.FILES  # reading the body runs the handler
    if handler is not None and handler.error is not None:
        raise handler.error
    upload = files.get(UPLOAD_FIELD)
    return upload if isinstance(upload, HashedUploadedFile) else None


@router.post(
    "/inspections/{inspection_id}/sync",
    response={200: OfflineActionOut, **WRITE_ERRORS},
    openapi_extra=_SYNC_BODY,
    summary="同步一条离线现场记录（签到、照片、结果；幂等）",
)
@decorate_view(use_evidence_upload_handler)
def offline_sync(request: HttpRequest, inspection_id: PathId) -> dict[str, Any]:
    """One action captured offline, applied through its service or kept as a conflict (``state``); the same
    ``client_id`` again answers the stored row and applies nothing. Send a visit's actions oldest first."""
    upload = _sync_upload(request)
    try:
        inspection = _inspection(request, inspection_id)
        client_id, kind, captured_at, payload = _sync_fields(request.POST.dict())
    except BaseException:
        if upload is not None:
            upload.close()
        raise
    action = services.offline_action_sync(
        _user(request),
        inspection,
        client_id=client_id,
        kind=kind,
        captured_at=captured_at,
        payload=payload,
        upload=upload,
    )
    return _offline_out(
        OfflineAction.objects.select_related("inspection__party", "officer").get(pk=action.pk)
    )


@router.get(
    "/offline-actions",
    response={200: OfflineActionPage, **READ_ERRORS},
    summary="离线同步记录与冲突（负责人、执法监督）",
)
def offline_action_list(
    request: HttpRequest,
    state: OfflineActionState | None = None,
    inspection_id: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    qs = selectors.offline_actions(_user(request), state=state, inspection_id=inspection_id)
    rows, next_cursor = _keyset(qs, cursor, limit)
    return {"items": [_offline_out(a) for a in rows], "next_cursor": next_cursor}


@router.post(
    "/tasks/{task_id}/cancel",
    response={200: TaskOut, **WRITE_ERRORS},
    summary="撤销检查任务（机关负责人）",
)
def task_cancel(request: HttpRequest, task_id: PathId, payload: TaskCancelIn) -> dict[str, Any]:
    task = services.task_cancel(_user(request), _task(request, task_id), reason=payload.reason)
    return _task_out(task)
