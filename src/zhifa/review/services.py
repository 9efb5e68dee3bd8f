"""State changes of the legal review (法制审核), the catalog of major decisions and the heads' discussion.

Each service runs in one transaction (``@service``), checks permission and the rules, writes, and appends
one ledger entry. The case's own transitions are made by calling the case services
(``case_submit_legal_review``, ``case_record_legal_review``, ``case_collective_discussion``), never by
writing case rows; the one-step stand-in ``case_record_legal_review`` refuses unless this module calls it
(``hooks.register_check("record_legal_review", ...)``, see :func:`refuse_stand_in`).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from zhifa.cases import guards
from zhifa.cases import services as case_services
from zhifa.cases.models import Case, Stage
from zhifa.cases.rules import DECIDE
from zhifa.cases.services import document_seal_message
from zhifa.core import clock, flags
from zhifa.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from zhifa.core.numbering import next_number
from zhifa.core.transactions import service
from zhifa.core.workdays import add_working_days, working_days_between
from zhifa.evidence.required import own_evidence, required_records_missing
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Role, User
from zhifa.records.models import LedgerEntry
from zhifa.records.services import record_append
from zhifa.records.signing import load_signing_key, sign
from zhifa.review import rules
from zhifa.review.documents import render_opinion_pdf
from zhifa.review.models import (
    OPEN_STATES,
    CaseMark,
    Discussion,
    DiscussionParticipant,
    FindingResult,
    MajorDecisionCatalog,
    MaterialKind,
    OpinionCounter,
    OpinionStatus,
    RequestState,
    ReviewFinding,
    ReviewMaterial,
    ReviewOpinion,
    ReviewPoint,
    ReviewRequest,
    ReviewSettings,
)
from zhifa.review.selectors import overdue_flag

# --- the stand-in guard -----------------------------------------------------------------------------------------

_in_workflow: contextvars.ContextVar[bool] = contextvars.ContextVar("zhifa_review_workflow", default=False)


@contextlib.contextmanager
def _workflow() -> Iterator[None]:
    token = _in_workflow.set(True)
    try:
        yield
    finally:
        _in_workflow.reset(token)


def refuse_stand_in(case: Case, *, code: str, actor: User, on: dt.date, changes: Any) -> None:
    """The one-step ``case_record_legal_review`` may only run from :func:`review_conclude`."""
    if not _in_workflow.get():
        raise RuleViolation(
            "法制审核意见须经法制审核流程（送审、分配、逐项审核、出具意见书）作出，不能直接登记。",
            "The legal review opinion is given through the review workflow, not recorded directly.",
            code="legal_review_via_workflow",
        )


# --- helpers ------------------------------------------------------------------------------------------------------


def _today() -> dt.date:
    return clock.today()


def _date(on: dt.date | None, not_before: dt.date | None = None) -> dt.date:
    on = on or _today()
    if on > _today():
        raise InvalidInput(
            "日期不能晚于今天。", "The date may not be in the future.", code="date_in_future", field="on"
        )
    if not_before and on < not_before:
        raise InvalidInput(
            f"日期不能早于 {not_before:%Y-%m-%d}。",
            f"The date may not be before {not_before:%Y-%m-%d}.",
            code="date_before_previous_step",
            field="on",
        )
    return on


def _text(value: str | None, field: str, label: str, max_length: int = 5000) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"请填写{label}。", f"{field} is required.", code="required", field=field)
    if len(value) > max_length:
        raise InvalidInput(
            f"{label}过长（最多 {max_length} 字）。", f"{field} is too long.", code="too_long", field=field
        )
    return value


def _officer_id(user: User) -> int | None:
    try:
        return user.officer.pk if user is not None and getattr(user, "pk", None) else None
    except ObjectDoesNotExist:
        return None


def _locked_case(case: Case | int) -> Case:
    pk = case.pk if isinstance(case, Case) else case
    found = (
        Case.objects.select_for_update(of=("self",)).select_related("agency__region", "domain").filter(pk=pk)
    )
    row = found.first()
    if row is None:
        raise NotFound("案件不存在。", "No such case.", code="case_not_found")
    return row


def _locked_request(request: ReviewRequest | int) -> ReviewRequest:
    pk = request.pk if isinstance(request, ReviewRequest) else request
    row = (
        ReviewRequest.objects.select_for_update(of=("self",))
        .select_related("agency__region", "case__agency__region")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise NotFound("法制审核申请不存在。", "No such review request.", code="review_not_found")
    return row


def settings_for(agency: Agency | int) -> ReviewSettings:
    """The agency's review settings (defaults when it has set none; not saved)."""
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    found = ReviewSettings.objects.filter(agency_id=agency_id).select_related("agency").first()
    return found or ReviewSettings(agency_id=agency_id)


def _json(value: Any) -> Any:
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    return value


def _is_case_officer(user: User, case: Case) -> bool:
    officer_id = _officer_id(user)
    return officer_id is not None and case.officer_links.filter(officer_id=officer_id).exists()


# --- catalog ------------------------------------------------------------------------------------------------------


def _amount(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput("金额格式不正确。", "Not an amount.", code="invalid_amount", field=field) from None
    if amount <= 0 or amount >= Decimal("1e12") or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(
            "金额须大于零，最多两位小数。", "An amount above zero with at most two decimals.", field=field
        )
    return amount


@service
def catalog_publish(
    *,
    actor: User,
    agency: Agency,
    effective_from: dt.date,
    fine_citizen_yuan: Any = None,
    fine_organisation_yuan: Any = None,
    confiscation_yuan: Any = None,
    revoke_licence: bool = True,
    stop_business: bool = True,
    close: bool = True,
    hearing: bool = True,
    public_interest: bool = True,
    complex_facts: bool = True,
    item_codes: Sequence[str] = (),
    note: str = "",
) -> MajorDecisionCatalog:
    """制定（新版）重大执法决定法制审核目录 — a new version from ``effective_from``; the previous one ends then."""
    perms.require(actor, rules.CATALOG, agency)
    codes = sorted({c.strip() for c in item_codes if c and c.strip()})
    if any(len(c) > 64 for c in codes):
        raise InvalidInput("执法事项编码过长。", "An item code is too long.", field="item_codes")
    if MajorDecisionCatalog.objects.filter(agency=agency, effective_from=effective_from).exists():
        raise RuleViolation(
            "该日期已有一版目录生效；请选择其他生效日期。",
            "A version already takes effect on that date.",
            code="catalog_version_exists",
        )
    catalog = MajorDecisionCatalog.objects.create(
        agency=agency,
        effective_from=effective_from,
        fine_citizen_yuan=_amount(fine_citizen_yuan, "fine_citizen_yuan"),
        fine_organisation_yuan=_amount(fine_organisation_yuan, "fine_organisation_yuan"),
        confiscation_yuan=_amount(confiscation_yuan, "confiscation_yuan"),
        revoke_licence=revoke_licence,
        stop_business=stop_business,
        close=close,
        hearing=hearing,
        public_interest=public_interest,
        complex_facts=complex_facts,
        item_codes=codes,
        note=note.strip()[:500],
        created_by=actor,
    )
    # The version before (by date) ends when this one begins; a later one bounds this one.
    previous = (
        MajorDecisionCatalog.objects.filter(agency=agency, effective_from__lt=effective_from)
        .order_by("-effective_from")
        .first()
    )
    if previous is not None and (previous.effective_to is None or previous.effective_to > effective_from):
        previous.effective_to = effective_from
        previous.save(update_fields=["effective_to"])
    following = (
        MajorDecisionCatalog.objects.filter(agency=agency, effective_from__gt=effective_from)
        .order_by("effective_from")
        .first()
    )
    if following is not None:
        catalog.effective_to = following.effective_from
        catalog.save(update_fields=["effective_to"])
    record_append(
        actor=actor,
        action="review.catalog_publish",
        obj=catalog,
        changes={
            "agency_id": agency.pk,
            "effective_from": effective_from.isoformat(),
            "fine_citizen_yuan": _json(catalog.fine_citizen_yuan),
            "fine_organisation_yuan": _json(catalog.fine_organisation_yuan),
            "confiscation_yuan": _json(catalog.confiscation_yuan),
            "item_codes": codes,
        },
    )
    return catalog


@service
def review_settings_set(
    *,
    actor: User,
    agency: Agency,
    time_limit_working_days: int,
    remind_working_days: int,
    discussion_quorum: int,
    lead_reviewer: User | None = None,
) -> ReviewSettings:
    """法制审核设置 — the agency's time limit, reminder, quorum and lead reviewer."""
    perms.require(actor, rules.CATALOG, agency)
    if not 1 <= time_limit_working_days <= 60:
        raise InvalidInput(
            "审核时限应为 1–60 个工作日。", "1 to 60 working days.", field="time_limit_working_days"
        )
    if not 0 <= remind_working_days < time_limit_working_days:
        raise InvalidInput(
            "提醒天数应小于审核时限。", "Remind before the limit.", field="remind_working_days"
        )
    if not 2 <= discussion_quorum <= 30:
        raise InvalidInput("集体讨论人数应为 2–30 人。", "Quorum 2 to 30.", field="discussion_quorum")
    if lead_reviewer is not None and not perms.can(lead_reviewer, rules.REVIEW, agency):
        raise InvalidInput(
            "法制审核负责人须为本机关的法制审核人员。",
            "The lead must be a reviewer of the agency.",
            field="lead_reviewer",
        )
    row, _ = ReviewSettings.objects.select_for_update().get_or_create(agency=agency)
    row.time_limit_working_days = time_limit_working_days
    row.remind_working_days = remind_working_days
    row.discussion_quorum = discussion_quorum
    row.lead_reviewer = lead_reviewer
    row.save()
    record_append(
        actor=actor,
        action="review.settings_set",
        obj=row,
        changes={
            "time_limit_working_days": time_limit_working_days,
            "remind_working_days": remind_working_days,
            "discussion_quorum": discussion_quorum,
            "lead_reviewer_id": lead_reviewer.pk if lead_reviewer else None,
        },
    )
    return row


@service
def case_mark_public_interest(
    *, actor: User, case: Case | int, public_interest: bool, note: str = ""
) -> CaseMark:
    """标记案件涉及重大公共利益 (行政处罚法 第五十八条第一款第一项) — by the case's officers or the head."""
    case = _locked_case(case)
    perms.require(actor, rules.SUBMIT, case)
    if public_interest:
        note = _text(note, "note", "说明", 500)
    mark, _ = CaseMark.objects.update_or_create(
        case=case,
        defaults={"public_interest": public_interest, "note": note.strip()[:500], "marked_by": actor},
    )
    record_append(
        actor=actor,
        action="review.mark_public_interest",
        obj=case,
        changes={"public_interest": public_interest, "note": mark.note},
    )
    return mark


# --- 法制审核: submit ---------------------------------------------------------------------------------------------


def materials_check(
    actor: User, case: Case, draft_decision: str, explanation: str, on: dt.date
) -> list[dict]:
    """送审材料完整性 — each required material with whether it is there and what stands for it."""
    rows: list[dict] = []
    rows.append(
        {
            "kind": MaterialKind.EXPLANATION,
            "present": bool(explanation.strip()),
            "detail": f"{len(explanation.strip())} 字" if explanation.strip() else "未填写情况说明",
        }
    )
    rows.append(
        {
            "kind": MaterialKind.DRAFT,
            "present": bool(draft_decision.strip()),
            "detail": f"{len(draft_decision.strip())} 字" if draft_decision.strip() else "未提交决定书草稿",
        }
    )
    evidence = own_evidence("cases.case", str(case.pk)).count()  # the case's agency's own (issue 18)
    rows.append(
        {
            "kind": MaterialKind.EVIDENCE,
            "present": evidence > 0,
            "detail": f"已归集证据 {evidence} 件" if evidence else "案件未归集任何证据",
        }
    )
    if case.hearing_held_on:
        statement = (True, f"{case.hearing_held_on:%Y-%m-%d} 举行听证")
    elif case.statement_text:
        statement = (True, f"{case.statement_received_on or ''} 陈述申辩记录")
    elif case.rights_waived_on:
        statement = (True, f"{case.rights_waived_on:%Y-%m-%d} 当事人明确放弃")
    elif case.statement_due and on > case.statement_due:
        statement = (True, f"陈述申辩期限 {case.statement_due:%Y-%m-%d} 届满，当事人未陈述申辩")
    else:
        statement = (False, "尚无陈述申辩、听证或放弃的记录")
    rows.append({"kind": MaterialKind.STATEMENT, "present": statement[0], "detail": statement[1]})
    entries = LedgerEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).count()
    missing = required_records_missing(
        "cases.case", str(case.pk), guards.record_act_type(case, "investigation"), "investigation"
    )
    if not entries:
        process = (False, "没有执法过程记录")
    elif missing:
        process = (False, "缺少必备记录：" + "、".join(missing))
    else:
        process = (True, f"执法过程记录 {entries} 条，必备记录齐全")
    rows.append({"kind": MaterialKind.PROCESS, "present": process[0], "detail": process[1][:500]})
    return rows


@service
def review_submit(
    *,
    actor: User,
    case: Case | int,
    draft_decision: str,
    explanation: str,
    on: dt.date | None = None,
) -> ReviewRequest:
    """送审 — the handling unit sends the proposed decision with its materials; refused with what is missing.

    Calls ``case_submit_legal_review`` when the case is not yet at the legal review stage (a resubmission
    after a return finds it there already). 行政处罚法 第五十八条; seed 001 "明确审核责任" lists the materials.
    """
    case = _locked_case(case)
    perms.require(actor, rules.SUBMIT, case)
    if not (_is_case_officer(actor, case) or perms.can(actor, DECIDE, case)):
        raise PermissionDenied(
            "只有本案承办人员或机关负责人可以送审。",
            "Only the case's officers or the agency head may submit it.",
            code="not_case_handler",
        )
    on = _date(on, case.stage_entered_on)
    if case.stage not in (Stage.NOTIFIED, Stage.HEARING, Stage.LEGAL_REVIEW):
        raise RuleViolation(
            f"案件处于“{Stage(case.stage).label}”环节，须在事先告知之后、作出决定之前送法制审核。",
            f"The case is at stage '{case.stage}'; submit after the rights notice and before the decision.",
            code="stage_not_allowed",
        )
    last = ReviewRequest.objects.filter(case=case).order_by("-round_no").first()
    if last is not None and last.is_open:
        raise RuleViolation(
            f"本案第 {last.round_no} 轮法制审核尚未完成。",
            "A review round of this case is still open.",
            code="review_already_open",
        )
    if last is not None and last.state == RequestState.AGREED and last.notice_round == case.notice_round:
        raise RuleViolation(
            "法制审核已同意，无需再次送审。", "The review has already agreed.", code="review_already_agreed"
        )
    draft_decision = (draft_decision or "").strip()
    explanation = (explanation or "").strip()
    materials = materials_check(actor, case, draft_decision, explanation, on)
    missing = [str(MaterialKind(m["kind"]).label) for m in materials if not m["present"]]
    if missing:
        raise RuleViolation(
            f"送审材料不齐全，缺少：{'、'.join(missing)}。",
            f"Materials missing: {', '.join(str(m['kind']) for m in materials if not m['present'])}.",
            code="review_materials_missing",
            details={
                "missing": missing,
                "materials": [
                    {"kind": str(m["kind"]), "present": m["present"], "detail": m["detail"]}
                    for m in materials
                ],
            },
        )
    _text(draft_decision, "draft_decision", "决定书草稿", 20000)
    _text(explanation, "explanation", "情况说明", 10000)
    if case.stage != Stage.LEGAL_REVIEW:
        case = case_services.case_submit_legal_review(actor=actor, case=case, on=on)
    penalty = guards.proposed_penalty(case)
    settings = settings_for(case.agency_id)
    request = ReviewRequest.objects.create(
        case=case,
        agency_id=case.agency_id,
        round_no=(last.round_no + 1) if last else 1,
        notice_round=case.notice_round,
        draft_decision=draft_decision,
        explanation=explanation,
        proposed_kinds=list(penalty.kinds),
        proposed_fine_yuan=penalty.fine_yuan or None,
        proposed_confiscation_yuan=penalty.confiscation_yuan or None,
        reasons=guards.legal_review_reasons(case, penalty),
        submitted_by=actor,
        submitted_on=on,
        due_on=add_working_days(on, settings.time_limit_working_days),
    )
    ReviewMaterial.objects.bulk_create(
        [ReviewMaterial(request=request, kind=m["kind"], present=True, detail=m["detail"]) for m in materials]
    )
    record_append(
        actor=actor,
        action="review.submit",
        obj=request,
        changes={
            "case_id": case.pk,
            "round_no": request.round_no,
            "notice_round": request.notice_round,
            "on": on.isoformat(),
            "due_on": request.due_on.isoformat(),
            "reasons": request.reasons,
            "draft_sha256": hashlib.sha256(draft_decision.encode()).hexdigest(),
            "materials": {m["kind"]: m["detail"] for m in materials},
        },
    )
    return request


# --- assign, findings, conclude --------------------------------------------------------------------------------------


def check_recusal(request: ReviewRequest, reviewer: User) -> None:
    """回避 — a reviewer who handled the case, or who submitted it, may not review it."""
    if _is_case_officer(reviewer, request.case) or reviewer.pk == request.submitted_by_id:
        raise RuleViolation(
            "审核人员是本案承办人员或送审人，应当回避，不得审核本案。",
            "The reviewer handled or submitted this case and must recuse.",
            code="reviewer_recused",
        )


@service
def review_assign(
    *, actor: User, request: ReviewRequest | int, reviewer: User, on: dt.date | None = None
) -> ReviewRequest:
    """分配审核人员 — by the agency head or the lead reviewer; a reviewer may take a request himself."""
    request = _locked_request(request)
    perms.require(actor, rules.ASSIGN, request)
    settings = settings_for(request.agency_id)
    may_assign = (
        perms.can(actor, rules.CATALOG, request)  # 机关负责人 (or admin)
        or (settings.lead_reviewer_id is not None and settings.lead_reviewer_id == actor.pk)
        or actor.pk == reviewer.pk
    )
    if not may_assign:
        raise PermissionDenied(
            "只有机关负责人或法制审核负责人可以分配；审核人员只能认领给自己。",
            "Only the agency head or the lead reviewer assigns; a reviewer may only take a request himself.",
            code="not_assigner",
        )
    if not request.is_open:
        raise RuleViolation("本轮审核已经完成。", "This round is concluded.", code="review_concluded")
    on = _date(on, request.submitted_on)
    reviewer = User.objects.get(pk=reviewer.pk)
    if not (perms.has_role(reviewer, Role.LEGAL_REVIEWER) and perms.can(reviewer, rules.REVIEW, request)):
        raise InvalidInput(
            "所选人员不是本机关的法制审核人员。",
            "The chosen user is not a legal reviewer of the agency.",
            code="reviewer_not_eligible",
            field="reviewer",
        )
    check_recusal(request, reviewer)
    previous = request.reviewer_id
    request.reviewer = reviewer
    request.assigned_by = actor
    request.assigned_on = on
    request.state = RequestState.ASSIGNED
    request.save(update_fields=["reviewer", "assigned_by", "assigned_on", "state"])
    record_append(
        actor=actor,
        action="review.assign",
        obj=request,
        changes={"reviewer_id": reviewer.pk, "previous_reviewer_id": previous, "on": on.isoformat()},
    )
    return request


def _require_reviewer(actor: User, request: ReviewRequest) -> None:
    perms.require(actor, rules.REVIEW, request)
    if request.reviewer_id != actor.pk:
        raise PermissionDenied(
            "只有分配的审核人员可以审核本轮。",
            "Only the assigned reviewer reviews this round.",
            code="not_assigned_reviewer",
        )
    if request.state != RequestState.ASSIGNED:
        raise RuleViolation(
            "本轮审核不在审核中。", "This round is not under review.", code="review_not_in_progress"
        )


@service
def review_record_finding(
    *, actor: User, request: ReviewRequest | int, point: str, result: str, note: str = ""
) -> ReviewFinding:
    """审核要点意见 — 符合 or 存在问题 (with a note) for one of the eight points."""
    request = _locked_request(request)
    _require_reviewer(actor, request)
    if point not in ReviewPoint.values:
        raise InvalidInput("审核要点无效。", "Unknown review point.", code="invalid_point", field="point")
    if result not in FindingResult.values:
        raise InvalidInput("审核结论无效。", "Unknown result.", code="invalid_result", field="result")
    note = (note or "").strip()
    if result == FindingResult.PROBLEM and not note:
        raise InvalidInput("存在问题的，请写明问题。", "Describe the problem.", code="required", field="note")
    if len(note) > 5000:
        raise InvalidInput("说明过长。", "Note too long.", code="too_long", field="note")
    finding, _ = ReviewFinding.objects.update_or_create(
        request=request, point=point, defaults={"result": result, "note": note, "recorded_by": actor}
    )
    record_append(
        actor=actor,
        action="review.finding",
        obj=request,
        changes={"point": point, "result": result, "note": note},
    )
    return finding


@service
def review_conclude(
    *, actor: User, request: ReviewRequest | int, agreed: bool, opinion: str = "", on: dt.date | None = None
) -> ReviewRequest:
    """审核意见 — 同意, or 存在问题 with a written opinion that returns the case to the handling unit.

    Every point must be answered first; 同意 with a point found wanting is refused. The case's record is
    written by ``case_record_legal_review`` (the case stays at 法制审核; the unit revises and resubmits, or
    returns it to investigation itself and notifies the party again). The numbered opinion PDF is issued.
    """
    request = _locked_request(request)
    _require_reviewer(actor, request)
    case = _locked_case(request.case_id)
    on = _date(
        on, max(request.assigned_on or request.submitted_on, case.stage_entered_on or request.submitted_on)
    )
    check_recusal(request, actor)
    findings = {f.point: f for f in request.findings.all()}
    unanswered = [str(p.label) for p in ReviewPoint if p.value not in findings]
    if unanswered:
        raise RuleViolation(
            f"以下审核要点尚未作出结论：{'、'.join(unanswered)}。",
            "Answer every review point first.",
            code="review_points_missing",
            details={"missing": unanswered},
        )
    problems = [f for f in findings.values() if f.result == FindingResult.PROBLEM]
    if agreed and problems:
        raise RuleViolation(
            "有审核要点存在问题，不能出具同意意见。",
            "A point was found wanting; the opinion cannot agree.",
            code="findings_contradict_conclusion",
        )
    if agreed:
        opinion = (
            (opinion or "").strip()
            or "经审核，拟作出的行政执法决定主体合法、程序合法、事实清楚、证据充分、适用依据正确，同意。"
        )
    else:
        opinion = _text(opinion, "opinion", "书面审核意见（存在问题及处理建议）")
    if case.stage != Stage.LEGAL_REVIEW or case.notice_round != request.notice_round:
        raise RuleViolation(
            "案件已不在本轮法制审核环节（可能已退回调查或重新告知），请承办机构重新送审。",
            "The case left this review round; the unit must resubmit.",
            code="review_round_stale",
        )
    with _workflow():
        case_services.case_record_legal_review(actor=actor, case=case, agreed=agreed, opinion=opinion, on=on)
    request.state = RequestState.AGREED if agreed else RequestState.RETURNED
    request.opinion = opinion
    request.concluded_on = on
    request.save(update_fields=["state", "opinion", "concluded_on"])
    document = _issue_opinion(actor, request, on)
    record_append(
        actor=actor,
        action="review.conclude",
        obj=request,
        changes={
            "agreed": agreed,
            "opinion": opinion,
            "on": on.isoformat(),
            "problems": [f.point for f in problems],
            "opinion_number": document.number,
            "opinion_sha256": document.sha256,
        },
    )
    return request


# --- 法制审核意见书 --------------------------------------------------------------------------------------------------


def _next_opinion_number(agency: Agency, year: int) -> tuple[str, int]:
    """The next gapless number per agency and year, under a row lock; voided numbers keep their row."""
    last = next_number(OpinionCounter, agency=agency, year=year)
    prefix = agency.short_name or agency.name
    return f"{prefix}法审〔{year}〕{last}号", last


def _issue_opinion(actor: User, request: ReviewRequest, on: dt.date) -> ReviewOpinion:
    agency = request.case.agency
    number, seq = _next_opinion_number(agency, on.year)
    pdf = render_opinion_pdf(request, number, on)
    digest = hashlib.sha256(pdf).hexdigest()
    key = load_signing_key()
    signature = sign(key, document_seal_message(number, digest, agency.name, on))
    return ReviewOpinion.objects.create(
        request=request,
        agency=agency,
        year=on.year,
        seq=seq,
        number=number,
        pdf=pdf,
        sha256=digest,
        signature=signature.hex(),
        public_key=key.public_key_raw.hex(),
        issued_on=on,
        issued_by=actor,
    )


@service
def review_opinion_void(*, actor: User, opinion: ReviewOpinion | int, reason: str) -> ReviewOpinion:
    """作废法制审核意见书 — the number stays recorded as voided and is never issued again."""
    pk = opinion.pk if isinstance(opinion, ReviewOpinion) else opinion
    row = ReviewOpinion.objects.select_for_update(of=("self",)).select_related("request__agency__region")
    locked = row.filter(pk=pk).first()
    if locked is None:
        raise NotFound("意见书不存在。", "No such opinion.", code="opinion_not_found")
    perms.require(actor, rules.CATALOG, locked.request)
    if locked.status == OpinionStatus.VOIDED:
        raise RuleViolation("该意见书已作废。", "Already voided.", code="opinion_already_voided")
    locked.status = OpinionStatus.VOIDED
    locked.void_reason = _text(reason, "reason", "作废理由", 300)
    locked.voided_on = _today()
    locked.save(update_fields=["status", "void_reason", "voided_on"])
    record_append(
        actor=actor,
        action="review.opinion_void",
        obj=locked.request,
        changes={"number": locked.number, "reason": locked.void_reason},
    )
    return locked


# --- time limit: reminders and escalation ------------------------------------------------------------------------------


@service
def review_sweep(*, on: dt.date | None = None) -> dict[str, int]:
    """审核时限 — remind the reviewer before the limit, report to the agency head after it (once each).

    Run daily by a timer (``zhifa review_sweep``). The escalation also raises the supervision flag
    ``legal_review_overdue`` at once; the flag source keeps yielding it until the round is concluded.
    """
    on = on or _today()
    reminded = escalated = 0
    open_rows = (
        ReviewRequest.objects.select_for_update(of=("self",))
        .filter(state__in=OPEN_STATES)
        .select_related("case", "agency")
        .order_by("id")
    )
    limits: dict[int, ReviewSettings] = {}
    for request in open_rows:
        settings = limits.setdefault(request.agency_id, settings_for(request.agency_id))
        near = working_days_between(on, request.due_on) <= settings.remind_working_days
        if on > request.due_on and request.escalated_on is None:
            request.escalated_on = on
            request.save(update_fields=["escalated_on"])
            record_append(
                actor=None,
                action="review.escalate",
                obj=request,
                changes={"due_on": request.due_on.isoformat(), "on": on.isoformat(), "to": "agency_head"},
            )
            flags.notify(overdue_flag(request, on))
            escalated += 1
        elif near and on <= request.due_on and request.reminded_on is None:
            request.reminded_on = on
            request.save(update_fields=["reminded_on"])
            record_append(
                actor=None,
                action="review.remind",
                obj=request,
                changes={
                    "due_on": request.due_on.isoformat(),
                    "on": on.isoformat(),
                    "to": request.reviewer_id,
                },
            )
            reminded += 1
    return {"reminded": reminded, "escalated": escalated}


# --- 集体讨论 --------------------------------------------------------------------------------------------------------


@service
def discussion_record(
    *,
    actor: User,
    case: Case | int,
    participants: Sequence[dict[str, Any]],
    host: User,
    minutes: str,
    decision: str,
    place: str = "",
    on: dt.date | None = None,
) -> Discussion:
    """集体讨论 — the heads discuss a complex or major case before the decision (行政处罚法 第五十七条第二款).

    ``participants``: ``[{"user": User, "opinion": str, "dissent": bool}, ...]``; each must be a head of the
    agency, at least the agency's quorum of them. Calls ``case_collective_discussion`` (which itself refuses
    before an agreed legal review where one is needed) and keeps the minutes, opinions and dissent here.
    """
    case = _locked_case(case)
    perms.require(actor, rules.DISCUSS, case)
    on = _date(on, case.stage_entered_on)
    minutes = _text(minutes, "minutes", "讨论记录", 20000)
    decision = _text(decision, "decision", "讨论决定", 5000)
    settings = settings_for(case.agency_id)
    seen: dict[int, dict[str, Any]] = {}
    for p in participants:
        user = User.objects.get(pk=p["user"].pk)
        if not (perms.has_role(user, Role.AGENCY_HEAD) and perms.can(user, DECIDE, case)):
            raise InvalidInput(
                f"{user.display_name}不是本机关负责人，不能作为集体讨论的参加人。",
                "Every participant must be a head of the agency.",
                code="participant_not_head",
                field="participants",
            )
        seen[user.pk] = {
            "user": user,
            "opinion": (p.get("opinion") or "").strip()[:5000],
            "dissent": bool(p.get("dissent")),
        }
    if len(seen) < settings.discussion_quorum:
        raise RuleViolation(
            f"集体讨论须有至少 {settings.discussion_quorum} 名机关负责人参加，本次仅 {len(seen)} 名。",
            f"At least {settings.discussion_quorum} agency heads must take part; {len(seen)} did.",
            code="discussion_quorum",
            details={"quorum": settings.discussion_quorum, "present": len(seen)},
        )
    if host.pk not in seen:
        raise InvalidInput("主持人须为参加人之一。", "The host must take part.", field="host")
    for row in seen.values():
        if row["dissent"] and not row["opinion"]:
            raise InvalidInput(
                "持不同意见的，请记录其意见。",
                "Record the dissenting opinion.",
                code="required",
                field="participants",
            )
    names = "、".join(r["user"].display_name for r in seen.values())
    case = case_services.case_collective_discussion(
        actor=actor, case=case, participants=names[:500], conclusion=decision, on=on
    )
    case_row = case.discussions.order_by("-id").first()
    discussion = Discussion.objects.create(
        case=case,
        notice_round=case.notice_round,
        held_on=on,
        place=place.strip()[:200],
        host=host,
        minutes=minutes,
        decision=decision,
        recorded_by=actor,
        case_discussion_id=case_row.pk if case_row else 0,
    )
    DiscussionParticipant.objects.bulk_create(
        [
            DiscussionParticipant(
                discussion=discussion,
                user=r["user"],
                name=r["user"].display_name,
                opinion=r["opinion"],
                dissent=r["dissent"],
            )
            for r in seen.values()
        ]
    )
    record_append(
        actor=actor,
        action="review.discussion",
        obj=case,
        changes={
            "discussion_id": discussion.pk,
            "on": on.isoformat(),
            "participants": [r["user"].pk for r in seen.values()],
            "dissent": [r["user"].pk for r in seen.values() if r["dissent"]],
            "decision": decision,
            "minutes_sha256": hashlib.sha256(minutes.encode()).hexdigest(),
        },
    )
    return discussion
