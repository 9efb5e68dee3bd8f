"""执法监督 — JSON API under /api/supervision/: the warning queue, the problem ledger, instruments, 专项说明,
return visits, social supervisors and liaison points.

Reads are scoped (out of scope: 404, as for an id that never existed); writes go through the services
(403 when the role or region does not allow it, 409 when a rule refuses, 422 for bad input). Lists are
keyset-paginated (``cursor``/``limit`` → ``{items, next_cursor}``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from zhifa.cases.models import Case
from zhifa.cases.rules import VIEW_CASE
from zhifa.core.apitypes import Id
from zhifa.core.errors import InvalidInput, NotFound, PermissionDenied
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller, keyset
from zhifa.org.models import Agency, Party, Region
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS
from zhifa.supervision import actions, selectors, services
from zhifa.supervision.models import (
    Flag,
    Instrument,
    LiaisonPoint,
    Problem,
    Questionnaire,
    SocialSupervisor,
    SupervisorTask,
)
from zhifa.supervision.rules import SUPERVISE, VIEW

router = Router(tags=["supervision"])

MAX_ID = 2**31 - 1
MAX_LIMIT = 200


# --- shapes --------------------------------------------------------------------------------------------------------


class FlagOut(Schema):
    id: int
    kind: str
    key: str
    agency_id: int | None
    title: str
    detail: str
    url: str
    due: dt.date | None
    severity: str
    state: str
    source_open: bool
    note: str
    problem_id: int | None


class FlagPage(Schema):
    items: list[FlagOut]
    next_cursor: str | None


class FlagActIn(Schema):
    action: str = Field(..., pattern=actions.pattern(actions.FLAG), description="handle | dismiss | convert")
    note: str = Field("", max_length=500, description="处理说明；排除时为排除理由（必填）")
    category: str = Field("", max_length=16)
    due: dt.date | None = None


class StepOut(Schema):
    kind: str
    text: str
    evidence: str
    at: dt.datetime


class ProblemOut(Schema):
    id: int
    agency_id: int
    source_kind: str
    source_ref: str
    category: str
    title: str
    description: str
    target: str
    due: dt.date | None
    state: str
    verified: bool
    reopen_count: int


class ProblemDetailOut(ProblemOut):
    steps: list[StepOut]


class ProblemPage(Schema):
    items: list[ProblemOut]
    next_cursor: str | None


class ProblemIn(Schema):
    agency_id: int = Field(..., ge=1, le=MAX_ID)
    source_kind: str = Field(..., max_length=16)
    source_ref: str = Field("", max_length=100)
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=10000)
    category: str = Field("", max_length=16)
    target: str = Field("", max_length=300)
    due: dt.date | None = None


class ProblemActIn(Schema):
    action: str = Field(..., pattern=actions.pattern(actions.PROBLEM))
    text: str = Field("", max_length=5000, description="整改措施 / 说明 / 核验意见 / 理由")
    evidence: str = Field("", max_length=5000)
    passed: bool | None = Field(None, description="verify: 核验是否通过")


class ReplyOut(Schema):
    round: int
    text: str
    measures: str
    decision: str
    decision_note: str
    submitted_at: dt.datetime


class InstrumentOut(Schema):
    id: int
    kind: str
    number: str
    issuer_id: int
    agency_id: int
    title: str
    findings: str
    requirements: str
    basis: str
    deadline: dt.date
    issued_on: dt.date
    status: str
    sha256: str
    void_reason: str


class InstrumentDetailOut(InstrumentOut):
    replies: list[ReplyOut]


class InstrumentPage(Schema):
    items: list[InstrumentOut]
    next_cursor: str | None


class InstrumentIn(Schema):
    agency_id: int = Field(..., ge=1, le=MAX_ID)
    kind: str = Field(..., pattern="^(letter|opinion|decision)$")
    title: str = Field(..., max_length=200)
    findings: str = Field(..., max_length=10000)
    requirements: str = Field(..., max_length=10000)
    deadline: dt.date | None = Field(None, description="答复期限（必填；缺少时 422 deadline_required）")
    basis: str = Field("", max_length=300)
    major: bool = False


class InstrumentActIn(Schema):
    action: str = Field(..., pattern=actions.pattern(actions.INSTRUMENT))
    text: str = Field("", max_length=10000)
    measures: str = Field("", max_length=10000)


class InstrumentProblemIn(Schema):
    title: str = Field(..., max_length=200)
    category: str = Field("", max_length=16)
    due: dt.date | None = None


class StatementIn(Schema):
    agency_id: int = Field(..., ge=1, le=MAX_ID)
    year: int = Field(..., ge=2000, le=2100)
    explanation: str = Field(..., max_length=5000)


class StatementOut(Schema):
    id: int
    agency_id: int
    year: int
    explanation: str


class QuestionIn(Schema):
    text: str = Field(..., max_length=200)
    kind: str = Field("rating", pattern="^(rating|choice|text)$")
    choices: Annotated[list[str], Field(max_length=200)] = []
    required: bool = True


class QuestionnaireIn(Schema):
    region_code: str = Field(..., max_length=12)
    name: str = Field(..., max_length=100)
    questions: list[QuestionIn] = Field(..., min_length=1, max_length=50)


class QuestionOut(Schema):
    id: int
    order: int
    text: str
    kind: str
    choices: list[str]
    required: bool


class QuestionnaireOut(Schema):
    id: int
    name: str
    questions: list[QuestionOut]


class ReturnVisitIn(Schema):
    case_id: int = Field(..., ge=1, le=MAX_ID)
    questionnaire_id: int = Field(..., ge=1, le=MAX_ID)
    visited_on: dt.date
    method: str = Field("电话", max_length=20)
    answers: dict[str, Any] = Field(..., description="题目 id（字符串）→ 回答")
    result: str = Field("", max_length=5000)


class ReturnVisitOut(Schema):
    id: int
    case_id: int
    agency_id: int
    visited_on: dt.date
    answers: dict[str, Any]
    result: str


class SocialSupervisorIn(Schema):
    region_code: str = Field(..., max_length=12)
    name: str = Field(..., max_length=50)
    organisation: str = Field("", max_length=100)
    sector: str = Field("", max_length=30)
    phone: str = Field("", max_length=20)
    appointed_on: dt.date
    term_ends_on: dt.date


class SocialSupervisorOut(Schema):
    id: int
    name: str
    organisation: str
    sector: str
    appointed_on: dt.date
    term_ends_on: dt.date
    dismissed_on: dt.date | None


class TaskIn(Schema):
    title: str = Field(..., max_length=200)
    due: dt.date
    agency_id: int | None = Field(None, ge=1, le=MAX_ID)


class SupervisionFeedbackIn(Schema):
    feedback: str = Field(..., max_length=5000)


class SupervisionTaskOut(Schema):
    id: int
    supervisor_id: int
    title: str
    due: dt.date
    feedback: str
    feedback_on: dt.date | None


class LiaisonPointIn(Schema):
    party_id: int = Field(..., ge=1, le=MAX_ID)
    designated_on: dt.date | None = None


class LiaisonPointOut(Schema):
    id: int
    party_id: int
    designated_on: dt.date
    active: bool


class LiaisonVisitIn(Schema):
    visited_on: dt.date
    satisfaction: int = Field(..., ge=1, le=5)
    method: str = Field("走访", max_length=20)
    notes: str = Field("", max_length=5000)


class LiaisonVisitOut(Schema):
    id: int
    point_id: int
    visited_on: dt.date
    satisfaction: int


class ScanOut(Schema):
    id: int
    counts: dict[str, Any]
    errors: dict[str, str]


# --- helpers -------------------------------------------------------------------------------------------------------


def _in_scope(request: HttpRequest, model: Any, pk: int, what: str, action: str = VIEW) -> Any:
    obj = (
        perms.scoped(caller(request), action, model.objects.all()).filter(pk=pk).first()
        if 0 < pk <= MAX_ID
        else None
    )
    if obj is None:
        raise NotFound(f"{what}不存在或不在您的数据范围内。", f"{model.__name__} not found.")
    return obj


def _agency(request: HttpRequest, pk: int) -> Agency:
    agency = perms.scoped(caller(request), perms.VIEW_AGENCY, Agency).filter(pk=pk).first()
    if agency is None:
        raise InvalidInput("执法主体不存在或不在您的数据范围内。", "Unknown agency.", field="agency_id")
    return agency


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise InvalidInput("区划代码不存在。", "Unknown region code.", field="region_code")
    return region


def _problem_out(p: Problem, steps: bool = False) -> dict[str, Any]:
    out = {f: getattr(p, f) for f in ProblemOut.model_fields}
    if steps:
        out["steps"] = [
            {"kind": s.kind, "text": s.text, "evidence": s.evidence, "at": s.at} for s in p.steps.all()
        ]
    return out


def _instrument_out(i: Instrument, replies: bool = False) -> dict[str, Any]:
    out = {f: getattr(i, f) for f in InstrumentOut.model_fields}
    if replies:
        out["replies"] = list(i.replies.values(*ReplyOut.model_fields))
    return out


def _flag_out(f: Flag) -> dict[str, Any]:
    return {name: getattr(f, name) for name in FlagOut.model_fields}


# --- queue ---------------------------------------------------------------------------------------------------------


@router.get("/flags", response={200: FlagPage, **READ_ERRORS}, summary="监督预警队列")
def flag_list(
    request: HttpRequest,
    kind: str | None = Query(None, max_length=40),
    state: str | None = Query("new", pattern="^(new|handled|dismissed|converted)$"),
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
    include_closed: bool = False,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    perms.require(caller(request), VIEW)
    qs = selectors.flags_queue(
        caller(request), kind=kind, state=state, agency_id=agency_id, open_only=not include_closed
    )
    rows, after = keyset(qs, cursor, limit)
    return {"items": [_flag_out(f) for f in rows], "next_cursor": after}


@router.get("/flags/{flag_id}", response={200: FlagOut, **READ_ERRORS}, summary="预警详情")
def flag_detail(request: HttpRequest, flag_id: Id) -> dict[str, Any]:
    return _flag_out(_in_scope(request, Flag, flag_id, "预警"))


@router.post("/flags/{flag_id}/act", response={200: FlagOut, **WRITE_ERRORS}, summary="处理、排除或转为问题")
def flag_act(request: HttpRequest, flag_id: Id, payload: FlagActIn) -> dict[str, Any]:
    flag = _in_scope(request, Flag, flag_id, "预警")
    act = actions.api_get(actions.FLAG, payload.action)
    data = {"text": payload.note, "category": payload.category, "due": payload.due}
    return _flag_out(act.run(caller(request), flag, data))


@router.post("/scan", response={200: ScanOut, **WRITE_ERRORS}, summary="立即汇集预警（管理员）")
def scan(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    if not getattr(user, "is_superuser", False):  # the full gathering is an operator's job (cron runs it)
        raise PermissionDenied("仅系统管理员可立即汇集预警。", "Only a superuser may run the scan.")
    run = services.flags_scan()
    return {"id": run.pk, "counts": run.counts, "errors": run.errors}


# --- problem ledger --------------------------------------------------------------------------------------------------


@router.get("/problems", response={200: ProblemPage, **READ_ERRORS}, summary="问题台账")
def problem_list(
    request: HttpRequest,
    state: str | None = Query(None, pattern="^(open|rectifying|verifying|closed)$"),
    category: str | None = Query(None, max_length=16),
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    perms.require(caller(request), VIEW)
    rows, after = keyset(
        selectors.problems(caller(request), state=state, category=category, agency_id=agency_id),
        cursor,
        limit,
    )
    return {"items": [_problem_out(p) for p in rows], "next_cursor": after}


@router.post("/problems", response={201: ProblemDetailOut, **WRITE_ERRORS}, summary="登记问题")
def problem_create(request: HttpRequest, payload: ProblemIn) -> tuple[int, dict[str, Any]]:
    problem = services.problem_open(
        actor=caller(request),
        agency=_agency(request, payload.agency_id),
        source_kind=payload.source_kind,
        source_ref=payload.source_ref,
        title=payload.title,
        description=payload.description,
        category=payload.category,
        due=payload.due,
        target=payload.target,
    )
    return 201, _problem_out(problem, steps=True)


@router.get(
    "/problems/{problem_id}", response={200: ProblemDetailOut, **READ_ERRORS}, summary="问题详情及台账记录"
)
def problem_detail(request: HttpRequest, problem_id: Id) -> dict[str, Any]:
    return _problem_out(_in_scope(request, Problem, problem_id, "问题"), steps=True)


@router.post(
    "/problems/{problem_id}/act",
    response={200: ProblemDetailOut, **WRITE_ERRORS},
    summary="整改、提请核验、核验、销号、重新打开",
)
def problem_act(request: HttpRequest, problem_id: Id, payload: ProblemActIn) -> dict[str, Any]:
    problem = _in_scope(request, Problem, problem_id, "问题")
    act = actions.api_get(actions.PROBLEM, payload.action)
    if act.name == "verify" and payload.passed is None:
        raise InvalidInput("请说明核验是否通过。", "passed is required.", field="passed")
    data = {"text": payload.text, "evidence": payload.evidence, "passed": payload.passed}
    return _problem_out(act.run(caller(request), problem, data), steps=True)


# --- instruments -----------------------------------------------------------------------------------------------------


@router.get("/instruments", response={200: InstrumentPage, **READ_ERRORS}, summary="监督文书列表")
def instrument_list(
    request: HttpRequest,
    status: str | None = Query(None, pattern="^(issued|replied|returned|accepted|voided)$"),
    kind: str | None = Query(None, pattern="^(letter|opinion|decision)$"),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    perms.require(caller(request), VIEW)
    rows, after = keyset(selectors.instruments(caller(request), status=status, kind=kind), cursor, limit)
    return {"items": [_instrument_out(i) for i in rows], "next_cursor": after}


@router.post("/instruments", response={201: InstrumentDetailOut, **WRITE_ERRORS}, summary="制发监督文书")
def instrument_create(request: HttpRequest, payload: InstrumentIn) -> tuple[int, dict[str, Any]]:
    ins = services.instrument_issue(
        actor=caller(request),
        agency=_agency(request, payload.agency_id),
        kind=payload.kind,
        title=payload.title,
        findings=payload.findings,
        requirements=payload.requirements,
        deadline=payload.deadline,
        basis=payload.basis,
        major=payload.major,
    )
    return 201, _instrument_out(ins, replies=True)


@router.get(
    "/instruments/{instrument_id}", response={200: InstrumentDetailOut, **READ_ERRORS}, summary="监督文书详情"
)
def instrument_detail(request: HttpRequest, instrument_id: Id) -> dict[str, Any]:
    return _instrument_out(_in_scope(request, Instrument, instrument_id, "监督文书"), replies=True)


@router.get("/instruments/{instrument_id}/pdf", response={200: None, **READ_ERRORS}, summary="监督文书 PDF")
def instrument_pdf(request: HttpRequest, instrument_id: Id) -> HttpResponse:
    ins = _in_scope(request, Instrument, instrument_id, "监督文书")
    return HttpResponse(bytes(ins.pdf), content_type="application/pdf")


@router.post(
    "/instruments/{instrument_id}/act",
    response={200: InstrumentDetailOut, **WRITE_ERRORS},
    summary="答复、采纳、退回、作废",
)
def instrument_act(request: HttpRequest, instrument_id: Id, payload: InstrumentActIn) -> dict[str, Any]:
    ins = _in_scope(request, Instrument, instrument_id, "监督文书")
    act = actions.api_get(actions.INSTRUMENT, payload.action)
    act.run(caller(request), ins, {"text": payload.text, "measures": payload.measures})
    return _instrument_out(Instrument.objects.get(pk=ins.pk), replies=True)


@router.post(
    "/instruments/{instrument_id}/problems",
    response={201: ProblemDetailOut, **WRITE_ERRORS},
    summary="文书所列问题入台账",
)
def instrument_problem(
    request: HttpRequest, instrument_id: Id, payload: InstrumentProblemIn
) -> tuple[int, dict]:
    ins = _in_scope(request, Instrument, instrument_id, "监督文书")
    act = actions.api_get(actions.INSTRUMENT, "problem", endpoint="problems")
    problem = act.run(
        caller(request), ins, {"title": payload.title, "category": payload.category, "due": payload.due}
    )
    return 201, _problem_out(problem, steps=True)


# --- 专项说明 --------------------------------------------------------------------------------------------------------


@router.post("/statements", response={201: StatementOut, **WRITE_ERRORS}, summary="报送专项说明")
def statement_create(request: HttpRequest, payload: StatementIn) -> tuple[int, dict[str, Any]]:
    st = services.noact_statement_file(
        actor=caller(request),
        agency=_agency(request, payload.agency_id),
        year=payload.year,
        explanation=payload.explanation,
    )
    return 201, {"id": st.pk, "agency_id": st.agency_id, "year": st.year, "explanation": st.explanation}


# --- people ----------------------------------------------------------------------------------------------------------


@router.post("/questionnaires", response={201: QuestionnaireOut, **WRITE_ERRORS}, summary="新建回访问卷")
def questionnaire_create(request: HttpRequest, payload: QuestionnaireIn) -> tuple[int, dict[str, Any]]:
    q = services.questionnaire_create(
        actor=caller(request),
        region=_region(payload.region_code),
        name=payload.name,
        questions=[x.dict() for x in payload.questions],
    )
    return 201, {"id": q.pk, "name": q.name, "questions": list(q.questions.values(*QuestionOut.model_fields))}


@router.post("/return-visits", response={201: ReturnVisitOut, **WRITE_ERRORS}, summary="案件回访")
def return_visit_create(request: HttpRequest, payload: ReturnVisitIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    case = (
        perms.scoped(user, VIEW_CASE, Case.objects.select_related("agency__region"))
        .filter(pk=payload.case_id)
        .first()
    )
    if case is None:
        raise NotFound("案件不存在或不在您的数据范围内。", "Case not found.")
    q = _in_scope(request, Questionnaire, payload.questionnaire_id, "问卷")
    visit = services.return_visit_record(
        actor=user,
        case=case,
        questionnaire=q,
        visited_on=payload.visited_on,
        answers=payload.answers,
        method=payload.method,
        result=payload.result,
    )
    return 201, {
        "id": visit.pk,
        "case_id": visit.case_id,
        "agency_id": visit.agency_id,
        "visited_on": visit.visited_on,
        "answers": visit.answers,
        "result": visit.result,
    }


@router.post(
    "/social-supervisors", response={201: SocialSupervisorOut, **WRITE_ERRORS}, summary="聘任社会监督员"
)
def social_create(request: HttpRequest, payload: SocialSupervisorIn) -> tuple[int, dict[str, Any]]:
    data = payload.dict()
    region = _region(data.pop("region_code"))
    person = services.social_supervisor_appoint(actor=caller(request), region=region, **data)
    return 201, {f: getattr(person, f) for f in SocialSupervisorOut.model_fields}


@router.get(
    "/social-supervisors", response={200: list[SocialSupervisorOut], **READ_ERRORS}, summary="社会监督员"
)
def social_list(request: HttpRequest) -> list[dict[str, Any]]:
    perms.require(caller(request), SUPERVISE)
    return [
        {f: getattr(p, f) for f in SocialSupervisorOut.model_fields}
        # a bare list in the API contract: at most 500 (a region's social supervisors are tens); paging it
        # would change the response shape (to do with the next API version)
        for p in selectors.social_supervisors(caller(request))[:500]
    ]


@router.post(
    "/social-supervisors/{person_id}/tasks",
    response={201: SupervisionTaskOut, **WRITE_ERRORS},
    summary="布置监督任务",
)
def task_create(request: HttpRequest, person_id: Id, payload: TaskIn) -> tuple[int, dict[str, Any]]:
    person = _in_scope(request, SocialSupervisor, person_id, "社会监督员", SUPERVISE)
    agency = _agency(request, payload.agency_id) if payload.agency_id else None
    task = services.supervisor_task_assign(
        actor=caller(request), person=person, title=payload.title, due=payload.due, agency=agency
    )
    return 201, {f: getattr(task, f) for f in SupervisionTaskOut.model_fields}


@router.post(
    "/tasks/{task_id}/feedback", response={200: SupervisionTaskOut, **WRITE_ERRORS}, summary="记录监督员反馈"
)
def task_feedback(request: HttpRequest, task_id: Id, payload: SupervisionFeedbackIn) -> dict[str, Any]:
    task = _in_scope(request, SupervisorTask, task_id, "监督任务", SUPERVISE)
    task = services.supervisor_task_feedback(actor=caller(request), task=task, feedback=payload.feedback)
    return {f: getattr(task, f) for f in SupervisionTaskOut.model_fields}


@router.post("/liaison-points", response={201: LiaisonPointOut, **WRITE_ERRORS}, summary="确定企业联系点")
def liaison_create(request: HttpRequest, payload: LiaisonPointIn) -> tuple[int, dict[str, Any]]:
    party = perms.scoped(caller(request), perms.VIEW_PARTY, Party).filter(pk=payload.party_id).first()
    if party is None:
        raise InvalidInput("企业不存在或不在您的数据范围内。", "Unknown party.", field="party_id")
    point = services.liaison_point_designate(
        actor=caller(request), party=party, designated_on=payload.designated_on
    )
    return 201, {f: getattr(point, f) for f in LiaisonPointOut.model_fields}


@router.post(
    "/liaison-points/{point_id}/visits",
    response={201: LiaisonVisitOut, **WRITE_ERRORS},
    summary="记录联系点走访",
)
def liaison_visit(request: HttpRequest, point_id: Id, payload: LiaisonVisitIn) -> tuple[int, dict[str, Any]]:
    point = _in_scope(request, LiaisonPoint, point_id, "企业联系点", SUPERVISE)
    visit = services.liaison_visit_record(actor=caller(request), point=point, **payload.dict())
    return 201, {
        "id": visit.pk,
        "point_id": point.pk,
        "visited_on": visit.visited_on,
        "satisfaction": visit.satisfaction,
    }
