"""督查与问责 — every state change of the oversight app.

Each service checks the actor's permission over the object it names (``zhifa.oversight.rules``), the guards,
writes, and appends to the ledger in the same transaction (``@service``). Problems are opened through the
supervision problem service (``problem_open``), 督查函 through the instrument service (``instrument_issue``),
and a 职责争议 decision changes the catalog through ``catalog_item_reassign``: this app writes no table of
another app.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from zhifa.cases.models import Case
from zhifa.cases.rules import VIEW_CASE
from zhifa.catalog.models import CatalogItem
from zhifa.catalog.services import catalog_item_reassign
from zhifa.core import clock
from zhifa.core.errors import ConfigurationMissing, InvalidInput, PermissionDenied, RuleViolation
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Officer, Region, User
from zhifa.oversight.documents import render_interview_pdf
from zhifa.oversight.models import (
    Accountability,
    AccountabilityKind,
    Commitment,
    Dispute,
    DisputeKind,
    DisputeState,
    Exemption,
    ExemptionState,
    InspectionTeam,
    Interview,
    JointProblem,
    JointState,
    TeamLetter,
    TeamMember,
    TeamState,
    TeamTrigger,
)
from zhifa.oversight.rules import FILE_DISPUTE, OVERSEE, REQUEST_EXEMPTION
from zhifa.records.models import LedgerEntry
from zhifa.records.services import record_append
from zhifa.supervision.models import Instrument, InstrumentKind, Problem, ProblemSource
from zhifa.supervision.services import instrument_issue, problem_open

MAX_COMMITMENTS = 20
MAX_MEMBERS = 30


def _text(value: str | None, field: str, label: str, max_len: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}。", f"{field} is required.", code="required", field=field)
    if len(value) > max_len:
        raise InvalidInput(
            f"{label}过长（最多 {max_len} 字）。", f"{field} is longer than {max_len}.", field=field
        )
    return value


def _not_future(day: dt.date, field: str, label: str) -> dt.date:
    if day > clock.today():
        raise InvalidInput(f"{label}不能晚于今天。", f"{field} is in the future.", field=field)
    return day


def _bureau(region: Region) -> Agency:
    """The supervision organ (司法局) of ``region`` or the nearest region above it."""
    codes = [c for c in region.path.strip("/").split("/") if c]
    organs = sorted(
        Agency.objects.filter(is_supervision_organ=True, region__code__in=codes).select_related("region"),
        key=lambda a: len(a.region.path),
        reverse=True,
    )
    if not organs:
        raise ConfigurationMissing(
            "未找到本区域的执法监督机构（司法局），请管理员在执法主体中标注。",
            "No supervision organ is configured for this region.",
            code="supervision_organ_missing",
        )
    return organs[0]


# --- 约谈 ----------------------------------------------------------------------------------------------------------


@service
def interview_record(
    *,
    actor: User,
    agency: Agency,
    persons: str,
    held_on: dt.date,
    reason: str,
    record: str,
    commitments: Sequence[tuple[str, dt.date]],
    grounds: Sequence[Problem] = (),
    grounds_note: str = "",
    place: str = "",
) -> Interview:
    """登记约谈 — the bureau talked with the agency's head; each commitment becomes a problem on the ledger
    (source 约谈承诺), closed one by one like any other (seed 004: “实施执法问题销号管理”)."""
    perms.require(actor, OVERSEE, Interview(agency=agency))
    _not_future(held_on, "held_on", "约谈日期")
    if not commitments:
        raise InvalidInput(
            "请至少录入一项整改承诺。",
            "Record at least one commitment.",
            code="no_commitment",
            field="commitments",
        )
    if len(commitments) > MAX_COMMITMENTS:
        raise InvalidInput(
            f"承诺事项最多 {MAX_COMMITMENTS} 项。", "Too many commitments.", field="commitments"
        )
    checked: list[tuple[str, dt.date]] = []
    for text, due in commitments:
        text = _text(text, "commitments", "承诺事项", 300)
        if due < clock.today():
            raise InvalidInput(
                f"承诺“{text}”的完成期限不能早于今天。",
                "A commitment's due date is past.",
                field="commitments",
            )
        checked.append((text, due))
    for problem in grounds:
        # 约谈的事由: problems of the agency interviewed only.
        if problem.agency_id != agency.pk or not perms.can(actor, OVERSEE, Interview(agency=problem.agency)):
            raise InvalidInput(
                "所涉问题须为被约谈单位的问题。", "A ground is another agency's problem.", field="grounds"
            )
    interview = Interview(
        agency=agency,
        issuer=_bureau(agency.region),
        persons=_text(persons, "persons", "被约谈人", 300),
        held_on=held_on,
        place=_text(place, "place", "约谈地点", 200, required=False),
        reason=_text(reason, "reason", "约谈事由", 2000),
        grounds_note=_text(grounds_note, "grounds_note", "所涉预警、投诉", 500, required=False),
        record=_text(record, "record", "约谈内容", 10000),
        recorded_by=actor,
    )
    pdf = render_interview_pdf(interview, checked)
    interview.pdf, interview.sha256 = pdf, hashlib.sha256(pdf).hexdigest()
    interview.save()
    interview.grounds.set(grounds)
    problems = []
    for text, due in checked:
        problem = problem_open(
            actor=actor,
            agency=agency,
            source_kind=ProblemSource.INTERVIEW,
            source_ref=f"约谈{held_on:%Y%m%d}",
            title=text,
            description=f"{held_on:%Y年%m月%d日}约谈时作出的整改承诺。约谈事由：{interview.reason}",
            due=due,
        )
        Commitment.objects.create(interview=interview, text=text, due=due, problem=problem)
        problems.append(problem.pk)
    record_append(
        actor=actor,
        action="oversight.interview_record",
        obj=interview,
        changes={
            "agency_id": agency.pk,
            "persons": interview.persons,
            "held_on": held_on.isoformat(),
            "reason": interview.reason,
            "grounds": [p.pk for p in grounds],
            "commitments": len(checked),
            "problems": problems,
            "sha256": interview.sha256,
        },
    )
    return interview


# --- 督查组与督查函 ---------------------------------------------------------------------------------------------------


@service
def team_form(
    *,
    actor: User,
    region: Region,
    title: str,
    trigger: str,
    scope: str,
    starts_on: dt.date,
    ends_on: dt.date,
    leader: str,
    members: Sequence[tuple[Agency, str, str]],
) -> InspectionTeam:
    """组成督查组 — for an event of major impact, a recurring kind or serious consequences (seed 004), with
    members drawn from at least two agencies; each member's agency must be in the bureau's region."""
    perms.require(actor, OVERSEE, InspectionTeam(region=region))
    if trigger not in TeamTrigger.values:
        raise InvalidInput("督查情形无效。", "Unknown trigger.", field="trigger")
    if ends_on < starts_on:
        raise InvalidInput("结束日期不能早于开始日期。", "The team ends before it starts.", field="ends_on")
    if not members or len(members) > MAX_MEMBERS:
        raise InvalidInput(f"请录入 1 至 {MAX_MEMBERS} 名成员。", "Give 1 to 30 members.", field="members")
    for agency, _name, _duty in members:
        if not agency.region.path.startswith(region.path):
            raise InvalidInput(
                f"成员单位“{agency.name}”不在督查区域内。",
                "A member's agency is outside the region.",
                field="members",
            )
    if len({a.pk for a, _n, _d in members}) < 2:
        # 督查组 draws on several agencies (会同有关部门开展专项监督, seed 004).
        raise InvalidInput(
            "督查组成员须来自至少两个单位。", "Members must come from at least two agencies.", field="members"
        )
    team = InspectionTeam.objects.create(
        region=region,
        title=_text(title, "title", "督查事项", 200),
        trigger=trigger,
        scope=_text(scope, "scope", "督查范围与方式", 5000),
        starts_on=starts_on,
        ends_on=ends_on,
        leader=_text(leader, "leader", "组长", 50),
        formed_by=actor,
    )
    TeamMember.objects.bulk_create(
        [
            TeamMember(
                team=team, agency=a, name=_text(n, "members", "成员姓名", 50), duty=(d or "").strip()[:50]
            )
            for a, n, d in members
        ]
    )
    record_append(
        actor=actor,
        action="oversight.team_form",
        obj=team,
        changes={
            "title": team.title,
            "trigger": trigger,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "members": len(members),
            "agencies": sorted({a.pk for a, _n, _d in members}),
        },
    )
    return team


def _locked_team(team: InspectionTeam | int) -> InspectionTeam:
    pk = team.pk if isinstance(team, InspectionTeam) else team
    return InspectionTeam.objects.select_for_update(of=("self",)).select_related("region").get(pk=pk)


@service
def team_letter_issue(
    *,
    actor: User,
    team: InspectionTeam | int,
    agency: Agency,
    title: str,
    findings: str,
    requirements: str,
    deadline: dt.date | None,
) -> Instrument:
    """发出督查函 — the team's written letter to an agency of its region: a supervision instrument of kind
    督查函, numbered gaplessly and sealed by the instrument service, answered and reviewed as any other."""
    team = _locked_team(team)
    perms.require(actor, OVERSEE, team)
    if team.state != TeamState.ACTIVE:
        raise RuleViolation(
            "督查已结束，不能再发出督查函。", "The team has concluded.", code="team_concluded"
        )
    if not agency.region.path.startswith(team.region.path):
        raise InvalidInput(
            "被督查单位不在督查区域内。", "The agency is outside the team's region.", field="agency"
        )
    instrument = instrument_issue(
        actor=actor,
        agency=agency,
        kind=InstrumentKind.INSPECTION,
        title=title,
        findings=findings,
        requirements=requirements,
        deadline=deadline,
    )
    TeamLetter.objects.create(team=team, instrument=instrument)
    record_append(
        actor=actor,
        action="oversight.team_letter",
        obj=team,
        changes={"number": instrument.number, "agency_id": agency.pk},
    )
    return instrument


@service
def team_conclude(*, actor: User, team: InspectionTeam | int, findings: str) -> InspectionTeam:
    """督查结束 — the team's findings are recorded and the team is closed."""
    team = _locked_team(team)
    perms.require(actor, OVERSEE, team)
    if team.state != TeamState.ACTIVE:
        raise RuleViolation("督查已结束。", "The team has concluded.", code="team_concluded")
    team.findings = _text(findings, "findings", "督查发现", 10000)
    team.state, team.concluded_on = TeamState.CONCLUDED, clock.today()
    team.save(update_fields=["findings", "state", "concluded_on"])
    record_append(
        actor=actor,
        action="oversight.team_conclude",
        obj=team,
        changes={"state": [TeamState.ACTIVE, TeamState.CONCLUDED], "findings": team.findings},
    )
    return team


# --- 共性问题 ------------------------------------------------------------------------------------------------------


@service
def joint_problem_open(
    *,
    actor: User,
    region: Region,
    title: str,
    description: str,
    lead: Agency,
    partners: Sequence[Agency],
    due: dt.date | None = None,
) -> JointProblem:
    """登记共性问题 — “对需要综合施策的跨部门行政执法问题及疑难复杂问题,由牵头部门会同相关部门共同推进问题整改”
    (seed 004): a problem on the ledger for the lead agency, with the partner agencies named."""
    perms.require(actor, OVERSEE, JointProblem(region=region, lead=lead))
    partners = [p for p in partners if p.pk != lead.pk]
    if not partners:
        raise InvalidInput(
            "请至少选择一个配合单位。", "Choose at least one partner agency.", field="partners"
        )
    for agency in (lead, *partners):
        if not agency.region.path.startswith(region.path):
            raise InvalidInput(
                f"“{agency.name}”不在本区域内。", "An agency is outside the region.", field="partners"
            )
    title = _text(title, "title", "共性问题", 200)
    description = _text(description, "description", "问题描述", 5000)
    problem = problem_open(
        actor=actor,
        agency=lead,
        source_kind=ProblemSource.JOINT,
        source_ref="",
        title=title,
        description=f"{description}（配合单位：{'、'.join(p.name for p in partners)}）",
        due=due,
    )
    joint = JointProblem.objects.create(
        region=region, title=title, description=description, lead=lead, problem=problem, opened_by=actor
    )
    joint.partners.set(partners)
    record_append(
        actor=actor,
        action="oversight.joint_open",
        obj=joint,
        changes={
            "title": title,
            "lead_id": lead.pk,
            "partner_ids": [p.pk for p in partners],
            "problem_id": problem.pk,
        },
    )
    return joint


def _locked_joint(joint: JointProblem | int) -> JointProblem:
    pk = joint.pk if isinstance(joint, JointProblem) else joint
    return JointProblem.objects.select_for_update(of=("self",)).select_related("region", "lead").get(pk=pk)


@service
def joint_problem_escalate(*, actor: User, joint: JointProblem | int, reason: str) -> JointProblem:
    """提请上级统筹 — a common problem the county cannot settle goes to the region above (county bureau → city
    bureau; seed 004: “对全县面上存在的共性问题,提请县政府进行统筹和推进问题整改”)."""
    joint = _locked_joint(joint)
    perms.require(actor, OVERSEE, joint)
    if joint.state != JointState.OPEN:
        raise RuleViolation("该共性问题已提请上级统筹。", "Already escalated.", code="joint_escalated")
    parent = joint.region.parent
    if parent is None:
        raise RuleViolation(
            "本区域无上级区域可提请。", "The region has no region above.", code="joint_no_parent"
        )
    joint.escalated_to = parent
    joint.escalation_reason = _text(reason, "reason", "提请理由", 2000)
    joint.escalated_on = clock.today()
    joint.state = JointState.ESCALATED
    joint.save(update_fields=["escalated_to", "escalation_reason", "escalated_on", "state"])
    record_append(
        actor=actor,
        action="oversight.joint_escalate",
        obj=joint,
        changes={
            "state": [JointState.OPEN, JointState.ESCALATED],
            "escalated_to_id": parent.pk,
            "reason": joint.escalation_reason,
        },
    )
    return joint


def can_coordinate(actor: User, joint: JointProblem) -> bool:
    """Only a supervisor of the region the problem was escalated to (the city bureau), not the county's own."""
    return (
        joint.state == JointState.ESCALATED
        and joint.escalated_to is not None
        and perms.can(actor, OVERSEE, InspectionTeam(region=joint.escalated_to))
    )


@service
def joint_problem_coordinate(*, actor: User, joint: JointProblem | int, opinion: str) -> JointProblem:
    """上级统筹 — the bureau above gives its coordination opinion on an escalated common problem."""
    joint = _locked_joint(joint)
    perms.require(actor, OVERSEE, joint)
    if joint.state != JointState.ESCALATED:
        raise RuleViolation("该共性问题未提请上级统筹。", "Not escalated.", code="joint_not_escalated")
    if not can_coordinate(actor, joint):
        raise PermissionDenied(
            "仅提请统筹的上级区域执法监督机构可以作出统筹意见。",
            "Only the bureau of the region above may coordinate.",
        )
    joint.coordination = _text(opinion, "opinion", "统筹意见", 5000)
    joint.coordinated_on = clock.today()
    joint.state = JointState.COORDINATED
    joint.save(update_fields=["coordination", "coordinated_on", "state"])
    record_append(
        actor=actor,
        action="oversight.joint_coordinate",
        obj=joint,
        changes={"state": [JointState.ESCALATED, JointState.COORDINATED], "opinion": joint.coordination},
    )
    return joint


# --- 职责争议协调 ----------------------------------------------------------------------------------------------------


@service
def dispute_file(
    *,
    actor: User,
    applicant: Agency,
    other: Agency,
    kind: str,
    matter: str,
    positions: str,
    item: CatalogItem | None = None,
) -> Dispute:
    """提请职责争议协调 — an agency (its head) or the bureau brings a dispute with another agency of the same
    county before the bureau (seed 004: “持续规范……责任追究、争议协调等工作制度”)."""
    region = applicant.region
    perms.require(actor, FILE_DISPUTE, Dispute(applicant=applicant, region=region))
    if other.pk == applicant.pk:
        raise InvalidInput("争议双方不能是同一单位。", "The two agencies must differ.", field="other")
    if kind not in DisputeKind.values:
        raise InvalidInput("争议类型无效。", "Unknown dispute kind.", field="kind")
    if item is not None and item.agency_id not in (applicant.pk, other.pk):
        raise InvalidInput(
            "所涉执法事项须为争议一方的事项。", "The item must be one of the two agencies'.", field="item"
        )
    dispute = Dispute.objects.create(
        region=region,
        kind=kind,
        matter=_text(matter, "matter", "争议事项", 300),
        item=item,
        applicant=applicant,
        other=other,
        positions=_text(positions, "positions", "各方意见", 5000),
        filed_by=actor,
    )
    record_append(
        actor=actor,
        action="oversight.dispute_file",
        obj=dispute,
        changes={
            "kind": kind,
            "matter": dispute.matter,
            "applicant_id": applicant.pk,
            "other_id": other.pk,
            "item_id": item.pk if item else None,
        },
    )
    return dispute


@service
def dispute_decide(
    *,
    actor: User,
    dispute: Dispute | int,
    responsible: Agency,
    reasoning: str,
    effective_on: dt.date | None = None,
) -> Dispute:
    """协调决定 — the bureau decides which agency enforces; when the dispute names a catalog item held by the
    other agency, the item moves to the responsible one from ``effective_on`` (catalog ledger entry cites the
    decision)."""
    pk = dispute.pk if isinstance(dispute, Dispute) else dispute
    dispute = Dispute.objects.select_for_update(of=("self",)).select_related("region", "item").get(pk=pk)
    perms.require(actor, OVERSEE, dispute)
    if dispute.state != DisputeState.OPEN:
        raise RuleViolation("该争议已作出协调决定。", "Already decided.", code="dispute_decided")
    if responsible.pk not in (dispute.applicant_id, dispute.other_id):
        raise InvalidInput(
            "负责单位须为争议一方。", "The responsible agency must be a party.", field="responsible"
        )
    dispute.reasoning = _text(reasoning, "reasoning", "协调决定理由", 5000)
    dispute.responsible, dispute.state = responsible, DisputeState.DECIDED
    dispute.decided_on, dispute.decided_by = clock.today(), actor
    dispute.save(update_fields=["reasoning", "responsible", "state", "decided_on", "decided_by"])
    moved = None
    if dispute.item is not None and dispute.item.agency_id != responsible.pk:
        moved = catalog_item_reassign(
            actor=actor,
            item=dispute.item,
            agency=responsible,
            on=effective_on or clock.today() + dt.timedelta(days=1),
            basis=f"职责争议协调决定（{dispute.matter}）",
        )
    record_append(
        actor=actor,
        action="oversight.dispute_decide",
        obj=dispute,
        changes={
            "state": [DisputeState.OPEN, DisputeState.DECIDED],
            "responsible_id": responsible.pk,
            "reasoning": dispute.reasoning,
            "catalog_item_id": moved.pk if moved else None,
        },
    )
    return dispute


# --- 问责与尽职免责 ------------------------------------------------------------------------------------------------------


@service
def accountability_record(
    *,
    actor: User,
    agency: Agency,
    person: str,
    kind: str,
    facts: str,
    decided_on: dt.date,
    officer: Officer | None = None,
    problem: Problem | None = None,
    case: Case | None = None,
) -> Accountability:
    """问责 — for a problem not corrected after urging (seed 003: “经督促仍不改正的,启动问责程序,依法依规予以问责”)
    or a case handled wrongly; refused for an officer the bureau has found free of blame for that case
    (seed 004: “细化追责、免予问责情形”)."""
    perms.require(actor, OVERSEE, Accountability(agency=agency))
    if kind not in AccountabilityKind.values:
        raise InvalidInput("问责方式无效。", "Unknown kind.", field="kind")
    if problem is None and case is None:
        raise InvalidInput(
            "请关联所涉问题或案件。", "Link a problem or a case.", code="no_grounds", field="problem"
        )
    if problem is not None and problem.agency_id != agency.pk:
        raise InvalidInput(
            "所涉问题须为被问责单位的问题。", "The problem is another agency's.", field="problem"
        )
    if case is not None and case.agency_id != agency.pk:
        raise InvalidInput("所涉案件须为被问责单位的案件。", "The case is another agency's.", field="case")
    if officer is not None and officer.agency_id != agency.pk:
        raise InvalidInput("被问责人员须为该单位人员。", "The officer is of another agency.", field="officer")
    _not_future(decided_on, "decided_on", "决定日期")
    if officer is not None and case is not None:
        exempt = Exemption.objects.filter(officer=officer, case=case, state=ExemptionState.GRANTED).exists()
        if exempt:
            raise RuleViolation(
                "该人员已就此案件被认定尽职免责，不予问责。",
                "The officer was found free of blame for this case.",
                code="officer_exempt",
            )
    row = Accountability.objects.create(
        agency=agency,
        officer=officer,
        person=_text(person or (officer.name if officer else ""), "person", "被问责人", 100),
        kind=kind,
        problem=problem,
        case=case,
        facts=_text(facts, "facts", "问责事实", 5000),
        decided_on=decided_on,
        decided_by=actor,
    )
    record_append(
        actor=actor,
        action="oversight.accountability_record",
        obj=row,
        changes={
            "agency_id": agency.pk,
            "person": row.person,
            "kind": kind,
            "problem_id": problem.pk if problem else None,
            "case_id": case.pk if case else None,
        },
    )
    return row


def case_entries(case: Case) -> list[LedgerEntry]:
    """The case's ledger entries an officer may cite (newest first, bounded)."""
    return list(
        LedgerEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("-seq")[:200]
    )


@service
def exemption_request(*, actor: User, case: Case, facts: str, entry_seqs: Sequence[int]) -> Exemption:
    """申请尽职免责认定 — the officer who handled the case asks the bureau, citing the case's ledger entries
    that show he did his duty (seed 004: “建立健全行政执法责任追究、尽职免责机制”)."""
    officer = Officer.objects.filter(user=actor).select_related("agency__region").first()
    if officer is None:
        raise PermissionDenied("仅执法人员本人可以申请尽职免责认定。", "Only an officer may ask.")
    perms.require(actor, REQUEST_EXEMPTION, Exemption(officer=officer))
    perms.require(actor, VIEW_CASE, case)
    if not case.officers.filter(pk=officer.pk).exists():
        raise RuleViolation(
            "只能就本人承办的案件申请尽职免责认定。",
            "Only for a case you handled.",
            code="not_case_officer",
        )
    if Exemption.objects.filter(officer=officer, case=case, state=ExemptionState.REQUESTED).exists():
        raise RuleViolation("已有待认定的申请。", "A request is already pending.", code="exemption_pending")
    seqs = sorted({int(s) for s in entry_seqs})
    if not seqs:
        raise InvalidInput(
            "请至少选择一条案件全过程记录作为履职依据。",
            "Cite at least one ledger entry.",
            field="entry_seqs",
        )
    found = set(
        LedgerEntry.objects.filter(
            seq__in=seqs, object_type="cases.case", object_id=str(case.pk)
        ).values_list("seq", flat=True)
    )
    if found != set(seqs):
        raise InvalidInput("所选记录不属于该案件。", "An entry is not of this case.", field="entry_seqs")
    row = Exemption.objects.create(
        officer=officer,
        case=case,
        facts=_text(facts, "facts", "履职情况与理由", 5000),
        entry_seqs=seqs,
        requested_by=actor,
    )
    record_append(
        actor=actor,
        action="oversight.exemption_request",
        obj=row,
        changes={"case_id": case.pk, "officer_id": officer.pk, "entries": seqs},
    )
    return row


@service
def exemption_decide(*, actor: User, exemption: Exemption | int, grant: bool, opinion: str) -> Exemption:
    """尽职免责认定 — the bureau grants or refuses, with its opinion; a grant bars 问责 of the officer for the
    case (``accountability_record``)."""
    pk = exemption.pk if isinstance(exemption, Exemption) else exemption
    exemption = Exemption.objects.select_for_update(of=("self",)).select_related("officer__agency").get(pk=pk)
    perms.require(actor, OVERSEE, exemption)
    if exemption.state != ExemptionState.REQUESTED:
        raise RuleViolation("该申请已认定。", "Already decided.", code="exemption_decided")
    before = exemption.state
    exemption.state = ExemptionState.GRANTED if grant else ExemptionState.REFUSED
    exemption.decision = _text(opinion, "opinion", "认定意见", 5000)
    exemption.decided_on, exemption.decided_by = clock.today(), actor
    exemption.save(update_fields=["state", "decision", "decided_on", "decided_by"])
    record_append(
        actor=actor,
        action="oversight.exemption_decide",
        obj=exemption,
        changes={"state": [before, exemption.state], "opinion": exemption.decision},
    )
    return exemption
