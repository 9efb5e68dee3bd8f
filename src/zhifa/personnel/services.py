"""State changes of the people who enforce (执法队伍管理); each checks the actor's scope over the object it names,
writes, and appends to the ledger in one transaction.

* ``plan_submit`` / ``plan_accept`` / ``plan_return`` — 全员轮训计划报司法局备案 (seed 004 一、1);
* ``prejob_exam_record`` — 岗前培训考试 (seed 004 三、3), read by ``zhifa.org.services.certificate_issue``;
* ``assessment_record`` — 个人考核; ``award_record`` — 表彰奖励;
* ``adviser_add`` / ``adviser_remove`` — 法律顾问、公职律师名册; ``review_adviser_join`` — a rostered adviser
  takes part in a legal review round (only a rostered one);
* ``delegation_create`` / ``delegation_withdraw`` — 行政处罚委托 and its withdrawal (行政处罚法 第二十条).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, AgencyKind, Domain, Officer, PreJobExam, User
from zhifa.personnel import rules
from zhifa.personnel.models import (
    Adviser,
    AdviserKind,
    Assessment,
    Award,
    Delegation,
    Grade,
    PlanState,
    ReviewAdviser,
    TrainingPlan,
)
from zhifa.records.services import record_append
from zhifa.review import rules as review_rules
from zhifa.review.models import ReviewRequest


def _text(value: str | None, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}。", f"{field} is required.", code="required", field=field)
    if len(value) > max_length:
        raise InvalidInput(
            f"{label}过长（最多 {max_length} 字）。", f"{field} is too long.", code="too_long", field=field
        )
    return value


def _year(year: Any) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not 2000 <= value <= 2100:
        raise InvalidInput("年度无效。", "Invalid year.", code="bad_year", field="year")
    return value


# --- 全员轮训计划 ------------------------------------------------------------------------------------------------------


@service
def plan_submit(
    *,
    actor: User,
    agency: Agency,
    year: int,
    content: str,
    public_law_hours: int = 20,
    business_hours: int = 40,
) -> TrainingPlan:
    """报备 — seed 004: “各…行政执法机关要于…3月底前将…全员轮训计划报县司法局备案”. A returned plan may be filed
    again; a plan on file (submitted or accepted) blocks a second one for the year."""
    perms.require(actor, rules.STAFF, TrainingPlan(agency=agency))
    year = _year(year)
    content = _text(content, "content", "培训安排", 5000)
    # Seed 004: 公共法律知识“不少于20学时”; 业务知识和行政执法技能“合计不少于40学时”.
    if int(public_law_hours) < 20 or int(public_law_hours) > 500:
        raise InvalidInput(
            "公共法律知识培训每人不少于 20 学时。",
            "Public-law training is at least 20 hours per person.",
            code="too_few_hours",
            field="public_law_hours",
        )
    if int(business_hours) < 40 or int(business_hours) > 500:
        raise InvalidInput(
            "业务知识和行政执法技能培训每人合计不少于 40 学时。",
            "Business training is at least 40 hours per person.",
            code="too_few_hours",
            field="business_hours",
        )
    live = (
        TrainingPlan.objects.select_for_update()
        .filter(agency=agency, year=year)
        .exclude(state=PlanState.RETURNED)
    )
    if live.exists():
        raise RuleViolation(
            f"{agency.name}{year} 年度培训计划已报备，不能重复报备。",
            "A plan for this year is already on file.",
            code="plan_exists",
        )
    plan = TrainingPlan.objects.create(
        agency=agency,
        year=year,
        content=content,
        public_law_hours=int(public_law_hours),
        business_hours=int(business_hours),
        submitted_by=actor,
        submitted_on=clock.today(),
    )
    record_append(
        actor=actor,
        action="personnel.plan_submit",
        obj=plan,
        changes={
            "year": year,
            "public_law_hours": plan.public_law_hours,
            "business_hours": plan.business_hours,
        },
    )
    return plan


def _locked_plan(plan: TrainingPlan | int) -> TrainingPlan:
    pk = plan.pk if isinstance(plan, TrainingPlan) else plan
    return TrainingPlan.objects.select_for_update(of=("self",)).select_related("agency__region").get(pk=pk)


@service
def plan_accept(*, actor: User, plan: TrainingPlan | int) -> TrainingPlan:
    """备案 — the judicial bureau of the agency's region accepts the plan."""
    plan = _locked_plan(plan)
    perms.require(actor, rules.SUPERVISE, plan)
    if plan.state != PlanState.SUBMITTED:
        raise RuleViolation(
            f"培训计划当前为“{plan.get_state_display()}”，不能备案。",
            "Only a submitted plan can be accepted.",
            code="plan_not_submitted",
        )
    plan.state = PlanState.ACCEPTED
    plan.decided_by = actor
    plan.decided_on = clock.today()
    plan.save(update_fields=["state", "decided_by", "decided_on"])
    record_append(
        actor=actor, action="personnel.plan_accept", obj=plan, changes={"state": PlanState.ACCEPTED}
    )
    return plan


@service
def plan_return(*, actor: User, plan: TrainingPlan | int, reason: str) -> TrainingPlan:
    """退回 — with the reason; the agency files a new plan."""
    plan = _locked_plan(plan)
    perms.require(actor, rules.SUPERVISE, plan)
    reason = _text(reason, "reason", "退回原因", 500)
    if plan.state != PlanState.SUBMITTED:
        raise RuleViolation(
            f"培训计划当前为“{plan.get_state_display()}”，不能退回。",
            "Only a submitted plan can be returned.",
            code="plan_not_submitted",
        )
    plan.state = PlanState.RETURNED
    plan.decided_by = actor
    plan.decided_on = clock.today()
    plan.return_reason = reason
    plan.save(update_fields=["state", "decided_by", "decided_on", "return_reason"])
    record_append(
        actor=actor,
        action="personnel.plan_return",
        obj=plan,
        changes={"state": PlanState.RETURNED, "reason": reason},
    )
    return plan


# --- 岗前培训考试 ------------------------------------------------------------------------------------------------------


@service
def prejob_exam_record(
    *,
    actor: User,
    officer: Officer,
    trained_by: Agency,
    training_hours: Any,
    exam_on: dt.date,
    score: int,
) -> PreJobExam:
    """岗前培训考试 — seed 004: “未经培训考试合格，不得取得行政执法证件”; the trainer is the body that gave the
    power (“谁赋权谁培训、谁委托谁培训”): the officer's own agency, the agency it belongs to, or the agency that
    delegated the power to it. 60 points pass."""
    perms.require(actor, rules.EXAM, PreJobExam(officer=officer))
    agency = officer.agency
    delegators = set(
        Delegation.objects.filter(entrusted=agency, withdrawn_on__isnull=True).values_list(
            "delegating_id", flat=True
        )
    )
    trainers = {agency.pk, *([agency.parent_id] if agency.parent_id else []), *delegators}
    if trained_by.pk not in trainers:
        raise InvalidInput(
            "培训机关应为赋予或委托执法权的机关（谁赋权谁培训、谁委托谁培训）。",
            "The trainer must be the body that gave or delegated the power.",
            code="trainer_not_empowering",
            field="trained_by",
        )
    try:
        hours = Decimal(str(training_hours))
    except InvalidOperation:
        hours = Decimal(0)
    if not Decimal(0) < hours <= Decimal(500):
        raise InvalidInput(
            "岗前培训学时须大于 0。", "Hours must be positive.", code="bad_hours", field="training_hours"
        )
    if not isinstance(score, int) or not 0 <= score <= 100:
        raise InvalidInput("考试成绩应为 0–100 分。", "Score 0-100.", code="bad_score", field="score")
    if exam_on > clock.today():
        raise InvalidInput(
            "考试日期不能晚于今天。", "The exam date is in the future.", code="future", field="exam_on"
        )
    exam = PreJobExam.objects.create(
        officer=officer,
        trained_by=trained_by,
        training_hours=hours,
        exam_on=exam_on,
        score=score,
        passed=score >= 60,
        recorded_by=actor,
    )
    record_append(
        actor=actor,
        action="personnel.prejob_exam",
        obj=officer,
        changes={
            "trained_by": trained_by.pk,
            "training_hours": str(hours),
            "exam_on": exam_on.isoformat(),
            "score": score,
            "passed": exam.passed,
        },
    )
    return exam


# --- 个人考核、表彰奖励 --------------------------------------------------------------------------------------------------


@service
def assessment_record(*, actor: User, officer: Officer, year: int, grade: str, note: str = "") -> Assessment:
    """个人考核 — one grade per officer and year, by the officer's agency."""
    perms.require(actor, rules.STAFF, Assessment(officer=officer))
    year = _year(year)
    if year > clock.today().year:
        raise InvalidInput("不能考核未来年度。", "The year is in the future.", code="bad_year", field="year")
    if grade not in Grade.values:
        raise InvalidInput("考核等次无效。", "Unknown grade.", code="bad_grade", field="grade")
    note = _text(note, "note", "考核评语", 500, required=False)
    if Assessment.objects.filter(officer=officer, year=year).exists():
        raise RuleViolation(
            f"{officer.name}{year} 年度已考核。", "Already assessed for this year.", code="assessment_exists"
        )
    assessment = Assessment.objects.create(
        officer=officer, year=year, grade=grade, note=note, recorded_by=actor
    )
    record_append(
        actor=actor,
        action="personnel.assessment",
        obj=officer,
        changes={"year": year, "grade": grade},
    )
    return assessment


@service
def award_record(
    *,
    actor: User,
    agency: Agency,
    officer: Officer | None,
    title: str,
    granted_by: str,
    awarded_on: dt.date,
    reason: str = "",
) -> Award:
    """表彰奖励 — seed 004: “对在行政执法中作出突出贡献的集体和个人给予表彰奖励”."""
    perms.require(actor, rules.AWARD, Award(agency=agency))
    if officer is not None and officer.agency_id != agency.pk:
        raise InvalidInput(
            "受表彰人员不属于该执法主体。",
            "The officer is not of the agency.",
            code="officer_not_of_agency",
            field="officer",
        )
    title = _text(title, "title", "表彰名称", 200)
    granted_by = _text(granted_by, "granted_by", "表彰机关", 100)
    reason = _text(reason, "reason", "事迹", 500, required=False)
    if awarded_on > clock.today():
        raise InvalidInput(
            "表彰日期不能晚于今天。", "The date is in the future.", code="future", field="awarded_on"
        )
    award = Award.objects.create(
        agency=agency,
        officer=officer,
        title=title,
        granted_by=granted_by,
        awarded_on=awarded_on,
        reason=reason,
        recorded_by=actor,
    )
    record_append(
        actor=actor,
        action="personnel.award",
        obj=award,
        changes={"title": title, "officer_id": officer.pk if officer else None, "on": awarded_on.isoformat()},
    )
    return award


# --- 法律顾问、公职律师名册 ---------------------------------------------------------------------------------------------


@service
def adviser_add(
    *,
    actor: User,
    agency: Agency,
    kind: str,
    name: str,
    licence_number: str,
    employer: str = "",
    listed_on: dt.date | None = None,
) -> Adviser:
    """入册 — seed 004 (四、16): “充分发挥公职律师及法律顾问作用”."""
    perms.require(actor, rules.STAFF, Adviser(agency=agency))
    if kind not in AdviserKind.values:
        raise InvalidInput("类别无效。", "Unknown kind.", code="bad_kind", field="kind")
    name = _text(name, "name", "姓名", 50)
    licence_number = _text(licence_number, "licence_number", "执业证号", 40)
    employer = _text(employer, "employer", "工作单位", 100, required=False)
    listed_on = listed_on or clock.today()
    if Adviser.objects.filter(agency=agency, licence_number=licence_number, removed_on__isnull=True).exists():
        raise RuleViolation(
            "该证号的人员已在本机关名册中。",
            "Already on the roster.",
            code="adviser_exists",
            field="licence_number",
        )
    adviser = Adviser.objects.create(
        agency=agency,
        kind=kind,
        name=name,
        licence_number=licence_number,
        employer=employer,
        listed_on=listed_on,
        recorded_by=actor,
    )
    record_append(
        actor=actor,
        action="personnel.adviser_add",
        obj=adviser,
        changes={"kind": kind, "name": name, "on": listed_on.isoformat()},
    )
    return adviser


@service
def adviser_remove(*, actor: User, adviser: Adviser | int, reason: str) -> Adviser:
    """出册 — the adviser may no longer take part in review from today."""
    pk = adviser.pk if isinstance(adviser, Adviser) else adviser
    adviser = Adviser.objects.select_for_update(of=("self",)).select_related("agency__region").get(pk=pk)
    perms.require(actor, rules.STAFF, adviser)
    reason = _text(reason, "reason", "出册原因", 300)
    if adviser.removed_on is not None:
        raise RuleViolation("该人员已出册。", "Already removed.", code="adviser_removed")
    adviser.removed_on = max(clock.today(), adviser.listed_on)
    adviser.removed_reason = reason
    adviser.save(update_fields=["removed_on", "removed_reason"])
    record_append(
        actor=actor,
        action="personnel.adviser_remove",
        obj=adviser,
        changes={"on": adviser.removed_on.isoformat(), "reason": reason},
    )
    return adviser


@service
def review_adviser_join(
    *, actor: User, request: ReviewRequest | int, adviser: Adviser, opinion: str = ""
) -> ReviewAdviser:
    """法律顾问、公职律师参与法制审核 — seed 001: “建立健全法律顾问、公职律师参与法制审核工作机制”. Only an adviser
    on the request's agency's roster on the day may be chosen; the agency head or the assigned reviewer adds."""
    pk = request.pk if isinstance(request, ReviewRequest) else request
    request = (
        ReviewRequest.objects.select_for_update(of=("self",)).select_related("agency__region").get(pk=pk)
    )
    perms.require(actor, review_rules.VIEW, request)
    if not (perms.can(actor, review_rules.CATALOG, request) or request.reviewer_id == actor.pk):
        raise PermissionDenied(
            "只有机关负责人或本轮审核人员可以邀请法律顾问参与审核。",
            "Only the agency head or the assigned reviewer invites an adviser.",
            code="not_assigner",
        )
    if not request.is_open:
        raise RuleViolation("本轮审核已经完成。", "This round is concluded.", code="review_concluded")
    today = clock.today()
    adviser = Adviser.objects.get(pk=adviser.pk)  # the roster as it stands, not the caller's copy
    # Seed 001: 法律顾问、公职律师参与法制审核 — only from the agency's roster, in force today.
    if adviser.agency_id != request.agency_id or not adviser.on_roster(today):
        raise RuleViolation(
            f"{adviser.name}不在本机关法律顾问、公职律师名册内，不能参与法制审核。",
            "The adviser is not on the agency's roster.",
            code="adviser_not_rostered",
            field="adviser",
        )
    opinion = _text(opinion, "opinion", "参与意见", 5000, required=False)
    if ReviewAdviser.objects.filter(request=request, adviser=adviser).exists():
        raise RuleViolation("该人员已参与本轮审核。", "Already taking part.", code="adviser_already_joined")
    row = ReviewAdviser.objects.create(
        request=request, adviser=adviser, opinion=opinion, joined_on=today, recorded_by=actor
    )
    record_append(
        actor=actor,
        action="personnel.review_adviser",
        obj=request,
        changes={"adviser_id": adviser.pk, "on": today.isoformat()},
    )
    return row


# --- 行政处罚委托 ------------------------------------------------------------------------------------------------------


@service
def delegation_create(
    *,
    actor: User,
    delegating: Agency,
    entrusted: Agency,
    domain: Domain,
    matters: str,
    document_number: str,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Delegation:
    """委托 — 行政处罚法 第二十条: “行政机关依照法律、法规、规章的规定，可以在其法定权限内书面委托符合本法第二十一条
    规定条件的组织实施行政处罚”; “委托书应当载明委托的具体事项、权限、期限等内容”; the entrusted “不得再委托”."""
    perms.require(actor, rules.STAFF, Delegation(delegating=delegating))
    if entrusted.pk == delegating.pk:
        raise InvalidInput(
            "不能委托本机关。", "An agency cannot delegate to itself.", code="self", field="entrusted"
        )
    if not entrusted.region.path.startswith(delegating.region.path):
        raise InvalidInput(
            "受委托组织应在委托机关的辖区内。",
            "The entrusted organisation must be within the delegating agency's area.",
            code="entrusted_outside_area",
            field="entrusted",
        )
    if delegating.kind == AgencyKind.ENTRUSTED:
        # 行政处罚法 第二十条第四款: 受委托组织……不得再委托其他组织或者个人实施行政处罚.
        raise RuleViolation(
            "受委托组织不得再委托其他组织实施行政处罚（行政处罚法第二十条）。",
            "An entrusted organisation may not delegate again (Art. 20).",
            code="no_sub_delegation",
        )
    # 法定权限内: only a field the delegating agency enforces.
    if not delegating.domains.filter(pk=domain.pk).exists():
        raise RuleViolation(
            f"{delegating.name}无“{domain.name}”领域的执法职权，不能委托。",
            "The delegating agency has no power in this field.",
            code="domain_not_of_agency",
            field="domain",
        )
    matters = _text(matters, "matters", "委托事项与权限", 500)
    document_number = _text(document_number, "document_number", "委托书文号", 60)
    if ends_on < starts_on:
        raise InvalidInput(
            "委托截止日不能早于起始日。", "The term ends before it starts.", code="bad_term", field="ends_on"
        )
    delegation = Delegation.objects.create(
        delegating=delegating,
        entrusted=entrusted,
        domain=domain,
        matters=matters,
        document_number=document_number,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=actor,
    )
    record_append(
        actor=actor,
        action="personnel.delegation_create",
        obj=delegation,
        changes={
            "entrusted": entrusted.pk,
            "domain": domain.code,
            "term": [starts_on.isoformat(), ends_on.isoformat()],
            "document_number": document_number,
        },
    )
    return delegation


@service
def delegation_withdraw(*, actor: User, delegation: Delegation | int, reason: str) -> Delegation:
    """收回委托 — from today; cases in the entrusted organisation's name stop at their next step."""
    pk = delegation.pk if isinstance(delegation, Delegation) else delegation
    delegation = (
        Delegation.objects.select_for_update(of=("self",)).select_related("delegating__region").get(pk=pk)
    )
    perms.require(actor, rules.STAFF, delegation)
    reason = _text(reason, "reason", "收回原因", 300)
    if delegation.withdrawn_on is not None:
        raise RuleViolation("该委托已收回。", "Already withdrawn.", code="delegation_withdrawn")
    delegation.withdrawn_on = clock.today()
    delegation.withdraw_reason = reason
    delegation.save(update_fields=["withdrawn_on", "withdraw_reason"])
    record_append(
        actor=actor,
        action="personnel.delegation_withdraw",
        obj=delegation,
        changes={"on": delegation.withdrawn_on.isoformat(), "reason": reason},
    )
    return delegation
