"""督查与问责 — JSON API under /api/oversight/: 约谈, 督查组 and 督查函, 共性问题, 职责争议, 问责, 尽职免责.

Reads are scoped (out of scope: 404, as for an id that never existed); writes go through the services (403 when
the role or region does not allow it, 409 when a rule refuses, 422 for bad input). Lists are keyset-paginated
(``cursor``/``limit`` → ``{items, next_cursor}``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from zhifa.cases import selectors as case_sel
from zhifa.catalog.models import CatalogItem
from zhifa.core.apitypes import Id
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller, keyset
from zhifa.org.models import Agency, Officer, Region
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS
from zhifa.oversight import selectors, services
from zhifa.oversight.models import InspectionTeam
from zhifa.oversight.rules import OVERSEE, VIEW
from zhifa.supervision import selectors as sup_sel

router = Router(tags=["oversight"])

MAX_ID = 2**31 - 1
MAX_LIMIT = 200
Cursor = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP)
Limit = Query(50, ge=1, le=MAX_LIMIT)


def _agency(request: HttpRequest, pk: int, field: str = "agency_id") -> Agency:
    agency = (
        perms.scoped(caller(request), perms.VIEW_AGENCY, Agency.objects.select_related("region"))
        .filter(pk=pk)
        .first()
    )
    if agency is None:
        raise InvalidInput("单位不存在或不在您的数据范围内。", "Unknown agency.", field=field)
    return agency


def _region(request: HttpRequest, pk: int) -> Region:
    region = Region.objects.filter(pk=pk).first()
    if region is None:
        raise InvalidInput("区域不存在。", "Unknown region.", field="region_id")
    return region


def _one(qs: Any, pk: int, what: str) -> Any:
    obj = qs.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if obj is None:
        raise NotFound(f"{what}不存在或不在您的数据范围内。", "Not found.")
    return obj


class Page(Schema):
    items: list[dict[str, Any]]
    next_cursor: str | None


class Created(Schema):
    id: int


# --- 约谈 ----------------------------------------------------------------------------------------------------------


class CommitmentIn(Schema):
    text: str = Field(..., min_length=1, max_length=300)
    due: dt.date


class InterviewIn(Schema):
    agency_id: int = Field(..., ge=1, le=MAX_ID)
    persons: str = Field(..., min_length=1, max_length=300)
    held_on: dt.date
    place: str = Field("", max_length=200)
    reason: str = Field(..., min_length=1, max_length=2000)
    record: str = Field(..., min_length=1, max_length=10000)
    problem_ids: list[Id] = Field(default_factory=list, max_length=50)
    grounds_note: str = Field("", max_length=500)
    commitments: list[CommitmentIn] = Field(..., min_length=1, max_length=services.MAX_COMMITMENTS)


@router.get("/interviews", response={200: Page, **READ_ERRORS}, summary="约谈")
def interview_list(request: HttpRequest, cursor: str | None = Cursor, limit: int = Limit) -> dict[str, Any]:
    perms.require(caller(request), VIEW)
    rows, after = keyset(selectors.interviews(caller(request)), cursor, limit)
    items = [
        {
            "id": i.pk,
            "agency_id": i.agency_id,
            "persons": i.persons,
            "held_on": i.held_on,
            "reason": i.reason,
            "problem_ids": [c.problem_id for c in i.commitments.all()],
        }
        for i in rows
    ]
    return {"items": items, "next_cursor": after}


@router.post("/interviews", response={201: Created, **WRITE_ERRORS}, summary="登记约谈（承诺纳入问题台账）")
def interview_create(request: HttpRequest, payload: InterviewIn) -> tuple[int, dict[str, Any]]:
    agency = _agency(request, payload.agency_id)
    grounds = list(sup_sel.problems(caller(request), agency_id=agency.pk).filter(pk__in=payload.problem_ids))
    if len(grounds) != len(set(payload.problem_ids)):
        raise InvalidInput(
            "所涉问题须为被约谈单位的问题。", "A ground is not the agency's problem.", field="problem_ids"
        )
    interview = services.interview_record(
        actor=caller(request),
        agency=agency,
        persons=payload.persons,
        held_on=payload.held_on,
        place=payload.place,
        reason=payload.reason,
        record=payload.record,
        grounds=grounds,
        grounds_note=payload.grounds_note,
        commitments=[(c.text, c.due) for c in payload.commitments],
    )
    return 201, {"id": interview.pk}


# --- 督查组 ----------------------------------------------------------------------------------------------------------


class MemberIn(Schema):
    agency_id: int = Field(..., ge=1, le=MAX_ID)
    name: str = Field(..., min_length=1, max_length=50)
    duty: str = Field("", max_length=50)


class TeamIn(Schema):
    region_id: int = Field(..., ge=1, le=MAX_ID)
    title: str = Field(..., min_length=1, max_length=200)
    trigger: str = Field(..., pattern="^(major_impact|recurring|serious|special)$")
    scope: str = Field(..., min_length=1, max_length=5000)
    starts_on: dt.date
    ends_on: dt.date
    leader: str = Field(..., min_length=1, max_length=50)
    members: list[MemberIn] = Field(..., min_length=1, max_length=services.MAX_MEMBERS)


class LetterIn(Schema):
    agency_id: int = Field(..., ge=1, le=MAX_ID)
    title: str = Field(..., min_length=1, max_length=200)
    findings: str = Field(..., min_length=1, max_length=10000)
    requirements: str = Field(..., min_length=1, max_length=10000)
    deadline: dt.date


class LetterOut(Schema):
    id: int
    number: str


class TextIn(Schema):
    text: str = Field(..., min_length=1, max_length=10000)


@router.get("/teams", response={200: Page, **READ_ERRORS}, summary="督查组")
def team_list(request: HttpRequest, cursor: str | None = Cursor, limit: int = Limit) -> dict[str, Any]:
    perms.require(caller(request), VIEW)
    rows, after = keyset(selectors.teams(caller(request)), cursor, limit)
    items = [
        {
            "id": t.pk,
            "title": t.title,
            "trigger": t.trigger,
            "state": t.state,
            "starts_on": t.starts_on,
            "ends_on": t.ends_on,
        }
        for t in rows
    ]
    return {"items": items, "next_cursor": after}


@router.post("/teams", response={201: Created, **WRITE_ERRORS}, summary="组成督查组")
def team_create(request: HttpRequest, payload: TeamIn) -> tuple[int, dict[str, Any]]:
    region = _region(request, payload.region_id)
    perms.require(caller(request), OVERSEE, InspectionTeam(region=region))
    team = services.team_form(
        actor=caller(request),
        region=region,
        title=payload.title,
        trigger=payload.trigger,
        scope=payload.scope,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        leader=payload.leader,
        members=[(_agency(request, m.agency_id, "members"), m.name, m.duty) for m in payload.members],
    )
    return 201, {"id": team.pk}


@router.post(
    "/teams/{team_id}/letters", response={201: LetterOut, **WRITE_ERRORS}, summary="督查组发出督查函"
)
def team_letter(request: HttpRequest, team_id: Id, payload: LetterIn) -> tuple[int, dict[str, Any]]:
    team = _one(selectors.teams(caller(request)), team_id, "督查组")
    letter = services.team_letter_issue(
        actor=caller(request),
        team=team,
        agency=_agency(request, payload.agency_id),
        title=payload.title,
        findings=payload.findings,
        requirements=payload.requirements,
        deadline=payload.deadline,
    )
    return 201, {"id": letter.pk, "number": letter.number}


@router.post("/teams/{team_id}/conclude", response={200: Created, **WRITE_ERRORS}, summary="结束督查")
def team_conclude(request: HttpRequest, team_id: Id, payload: TextIn) -> dict[str, Any]:
    team = _one(selectors.teams(caller(request)), team_id, "督查组")
    services.team_conclude(actor=caller(request), team=team, findings=payload.text)
    return {"id": team.pk}


# --- 共性问题 ------------------------------------------------------------------------------------------------------


class JointIn(Schema):
    region_id: int = Field(..., ge=1, le=MAX_ID)
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=5000)
    lead_id: int = Field(..., ge=1, le=MAX_ID)
    partner_ids: list[Id] = Field(..., min_length=1, max_length=50)
    due: dt.date | None = None


@router.get("/joint-problems", response={200: Page, **READ_ERRORS}, summary="共性问题")
def joint_list(request: HttpRequest, cursor: str | None = Cursor, limit: int = Limit) -> dict[str, Any]:
    perms.require(caller(request), VIEW)
    rows, after = keyset(selectors.joint_problems(caller(request)), cursor, limit)
    items = [
        {"id": j.pk, "title": j.title, "lead_id": j.lead_id, "state": j.state, "problem_id": j.problem_id}
        for j in rows
    ]
    return {"items": items, "next_cursor": after}


@router.post("/joint-problems", response={201: Created, **WRITE_ERRORS}, summary="登记共性问题")
def joint_create(request: HttpRequest, payload: JointIn) -> tuple[int, dict[str, Any]]:
    region = _region(request, payload.region_id)
    perms.require(caller(request), OVERSEE, InspectionTeam(region=region))
    joint = services.joint_problem_open(
        actor=caller(request),
        region=region,
        title=payload.title,
        description=payload.description,
        lead=_agency(request, payload.lead_id, "lead_id"),
        partners=[_agency(request, pk, "partner_ids") for pk in payload.partner_ids],
        due=payload.due,
    )
    return 201, {"id": joint.pk}


@router.post(
    "/joint-problems/{joint_id}/escalate", response={200: Created, **WRITE_ERRORS}, summary="提请上级统筹"
)
def joint_escalate(request: HttpRequest, joint_id: Id, payload: TextIn) -> dict[str, Any]:
    joint = _one(selectors.joint_problems(caller(request)), joint_id, "共性问题")
    services.joint_problem_escalate(actor=caller(request), joint=joint, reason=payload.text)
    return {"id": joint.pk}


@router.post(
    "/joint-problems/{joint_id}/coordinate", response={200: Created, **WRITE_ERRORS}, summary="上级统筹意见"
)
def joint_coordinate(request: HttpRequest, joint_id: Id, payload: TextIn) -> dict[str, Any]:
    joint = _one(selectors.joint_problems(caller(request)), joint_id, "共性问题")
    services.joint_problem_coordinate(actor=caller(request), joint=joint, opinion=payload.text)
    return {"id": joint.pk}


# --- 职责争议 ------------------------------------------------------------------------------------------------------


class DisputeIn(Schema):
    applicant_id: int = Field(..., ge=1, le=MAX_ID)
    other_id: int = Field(..., ge=1, le=MAX_ID)
    kind: str = Field(..., pattern="^(positive|negative)$")
    matter: str = Field(..., min_length=1, max_length=300)
    positions: str = Field(..., min_length=1, max_length=5000)
    item_id: int | None = Field(None, ge=1, le=MAX_ID)


class DecideIn(Schema):
    responsible_id: int = Field(..., ge=1, le=MAX_ID)
    reasoning: str = Field(..., min_length=1, max_length=5000)
    effective_on: dt.date | None = None


@router.get("/disputes", response={200: Page, **READ_ERRORS}, summary="职责争议")
def dispute_list(request: HttpRequest, cursor: str | None = Cursor, limit: int = Limit) -> dict[str, Any]:
    perms.require(caller(request), VIEW)
    rows, after = keyset(selectors.disputes(caller(request)), cursor, limit)
    items = [
        {
            "id": d.pk,
            "matter": d.matter,
            "applicant_id": d.applicant_id,
            "other_id": d.other_id,
            "state": d.state,
            "responsible_id": d.responsible_id,
        }
        for d in rows
    ]
    return {"items": items, "next_cursor": after}


@router.post("/disputes", response={201: Created, **WRITE_ERRORS}, summary="提请职责争议协调")
def dispute_create(request: HttpRequest, payload: DisputeIn) -> tuple[int, dict[str, Any]]:
    applicant = _agency(request, payload.applicant_id, "applicant_id")
    other = Agency.objects.filter(pk=payload.other_id, region_id=applicant.region_id).first()
    if other is None:
        raise InvalidInput("争议对方须为同一区域的单位。", "Unknown other agency.", field="other_id")
    item = None
    if payload.item_id is not None:
        item = CatalogItem.objects.filter(pk=payload.item_id).first()
        if item is None:
            raise InvalidInput("执法事项不存在。", "Unknown item.", field="item_id")
    dispute = services.dispute_file(
        actor=caller(request),
        applicant=applicant,
        other=other,
        kind=payload.kind,
        matter=payload.matter,
        positions=payload.positions,
        item=item,
    )
    return 201, {"id": dispute.pk}


@router.post(
    "/disputes/{dispute_id}/decide", response={200: Created, **WRITE_ERRORS}, summary="职责争议协调决定"
)
def dispute_decide(request: HttpRequest, dispute_id: Id, payload: DecideIn) -> dict[str, Any]:
    dispute = _one(selectors.disputes(caller(request)), dispute_id, "职责争议")
    responsible = next(
        (a for a in (dispute.applicant, dispute.other) if a.pk == payload.responsible_id), None
    )
    if responsible is None:
        raise InvalidInput("负责单位须为争议一方。", "Not a party.", field="responsible_id")
    services.dispute_decide(
        actor=caller(request),
        dispute=dispute,
        responsible=responsible,
        reasoning=payload.reasoning,
        effective_on=payload.effective_on,
    )
    return {"id": dispute.pk}


# --- 问责与尽职免责 ------------------------------------------------------------------------------------------------------


class AccountabilityIn(Schema):
    agency_id: int = Field(..., ge=1, le=MAX_ID)
    person: str = Field("", max_length=100)
    kind: str = Field(..., pattern="^(talk|criticism|self_check|suspend|refer)$")
    facts: str = Field(..., min_length=1, max_length=5000)
    decided_on: dt.date
    officer_id: int | None = Field(None, ge=1, le=MAX_ID)
    problem_id: int | None = Field(None, ge=1, le=MAX_ID)
    case_id: int | None = Field(None, ge=1, le=MAX_ID)


class ExemptionIn(Schema):
    case_id: int = Field(..., ge=1, le=MAX_ID)
    facts: str = Field(..., min_length=1, max_length=5000)
    entry_seqs: list[Id] = Field(..., min_length=1, max_length=200)


class ExemptionDecideIn(Schema):
    grant: bool
    opinion: str = Field(..., min_length=1, max_length=5000)


@router.get("/accountabilities", response={200: Page, **READ_ERRORS}, summary="问责")
def accountability_list(
    request: HttpRequest, cursor: str | None = Cursor, limit: int = Limit
) -> dict[str, Any]:
    perms.require(caller(request), VIEW)
    rows, after = keyset(selectors.accountabilities(caller(request)), cursor, limit)
    items = [
        {
            "id": a.pk,
            "agency_id": a.agency_id,
            "person": a.person,
            "kind": a.kind,
            "problem_id": a.problem_id,
            "case_id": a.case_id,
            "decided_on": a.decided_on,
        }
        for a in rows
    ]
    return {"items": items, "next_cursor": after}


@router.post("/accountabilities", response={201: Created, **WRITE_ERRORS}, summary="登记问责")
def accountability_create(request: HttpRequest, payload: AccountabilityIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    agency = _agency(request, payload.agency_id)
    problem = case = officer = None
    if payload.problem_id is not None:
        problem = _one(sup_sel.problems(user), payload.problem_id, "问题")
    if payload.case_id is not None:
        case = _one(case_sel.cases_visible(user), payload.case_id, "案件")
    if payload.officer_id is not None:
        officer = Officer.objects.filter(pk=payload.officer_id, agency=agency).first()
        if officer is None:
            raise InvalidInput("被问责人员须为该单位人员。", "Unknown officer.", field="officer_id")
    row = services.accountability_record(
        actor=user,
        agency=agency,
        person=payload.person,
        kind=payload.kind,
        facts=payload.facts,
        decided_on=payload.decided_on,
        officer=officer,
        problem=problem,
        case=case,
    )
    return 201, {"id": row.pk}


@router.get("/exemptions", response={200: Page, **READ_ERRORS}, summary="尽职免责认定")
def exemption_list(request: HttpRequest, cursor: str | None = Cursor, limit: int = Limit) -> dict[str, Any]:
    perms.require(caller(request), VIEW)
    rows, after = keyset(selectors.exemptions(caller(request)), cursor, limit)
    items = [
        {
            "id": e.pk,
            "officer_id": e.officer_id,
            "case_id": e.case_id,
            "state": e.state,
            "entry_seqs": e.entry_seqs,
        }
        for e in rows
    ]
    return {"items": items, "next_cursor": after}


@router.post("/exemptions", response={201: Created, **WRITE_ERRORS}, summary="申请尽职免责认定")
def exemption_create(request: HttpRequest, payload: ExemptionIn) -> tuple[int, dict[str, Any]]:
    case = _one(case_sel.cases_visible(caller(request)), payload.case_id, "案件")
    row = services.exemption_request(
        actor=caller(request), case=case, facts=payload.facts, entry_seqs=payload.entry_seqs
    )
    return 201, {"id": row.pk}


@router.post(
    "/exemptions/{exemption_id}/decide", response={200: Created, **WRITE_ERRORS}, summary="尽职免责认定"
)
def exemption_decide(request: HttpRequest, exemption_id: Id, payload: ExemptionDecideIn) -> dict[str, Any]:
    row = _one(selectors.exemptions(caller(request)), exemption_id, "尽职免责申请")
    services.exemption_decide(
        actor=caller(request), exemption=row, grant=payload.grant, opinion=payload.opinion
    )
    return {"id": row.pk}
