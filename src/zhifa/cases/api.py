"""The cases API under /api/cases/: list, detail with next actions, case sources, every transition.

Thin on purpose: parse, find the case in the caller's scope (404 outside it), call a service, answer with the
case. A refused transition answers 409 ``{code, message, message_en}`` carrying the guard's reason (and the
article of law it enforces); bad input 422; an action the role may not take 403. Lists are keyset-paginated
(``cursor``/``limit``, ``{items, next_cursor}``), never ``COUNT(*)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema

from zhifa.cases import corrections, hearing, periods, recusal, selectors, services, sources
from zhifa.cases.models import Case, CaseOfficer, CaseParty, Seizure, Stage, TransferReceipt
from zhifa.cases.rules import RECEIVE_TRANSFER, VIEW_CASE
from zhifa.cases.schemas import (
    MAX_ID,
    CaseChangeDecisionIn,
    CaseCourtIn,
    CaseCreateIn,
    CaseDeadlinePage,
    CaseDecideIn,
    CaseDetailOut,
    CaseDiscussionIn,
    CaseEndHearingIn,
    CaseExcludedPeriodEndIn,
    CaseExcludedPeriodIn,
    CaseExtendIn,
    CaseFileIn,
    CaseHoldHearingIn,
    CaseLegalReviewIn,
    CaseNotifyIn,
    CaseNotPunishIn,
    CaseOnIn,
    CaseOpenIn,
    CasePage,
    CasePaymentIn,
    CaseReasonIn,
    CaseRecusalApplyIn,
    CaseRecusalDecideIn,
    CaseRemedyIn,
    CaseRemedyList,
    CaseRemedyOut,
    CaseReviewStatementIn,
    CaseScheduleHearingIn,
    CaseServeIn,
    CaseServeNoticeIn,
    CaseSimpleDecisionIn,
    CaseSourceCheckExtendIn,
    CaseStatementIn,
    CaseTransferIn,
    SeizureApproveIn,
    SeizureExtendIn,
    SeizureIn,
    SeizureOut,
    SeizureReleaseIn,
    TransferFeedbackIn,
    TransferReceiptIn,
)
from zhifa.cases.schemas import (
    Procedure as ProcedureParam,
)
from zhifa.cases.schemas import (
    Stage as StageParam,
)
from zhifa.core import paging
from zhifa.core.apitypes import Id
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller
from zhifa.org.models import Agency, Domain, Officer, Party, User
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["cases"])

MAX_LIMIT = 200


_user = caller


# --- lookups -------------------------------------------------------------------------------------------------------


def _case(request: HttpRequest, case_id: Id) -> Case:
    if not 0 < case_id <= MAX_ID:  # beyond what the database holds: the same answer as an unknown id
        raise NotFound("案件不存在或不在您的数据范围内。", "Case not found.", code="case_not_found")
    return selectors.case_get(_user(request), case_id)


def _agency(request: HttpRequest, agency_id: int) -> Agency:
    agency = perms.scoped(_user(request), perms.VIEW_AGENCY, Agency).filter(pk=agency_id).first()
    if agency is None:
        raise NotFound("执法主体不存在或不在您的数据范围内。", "Agency not found.")
    return agency


def _domain(code: str) -> Domain:
    domain = Domain.objects.filter(code=code).first()
    if domain is None:
        raise InvalidInput(f"执法领域 {code} 不存在。", f"No domain {code}.", field="domain_code")
    return domain


def _officers(agency_id: int, ids: list[int], field: str = "officer_ids") -> list[Officer]:
    found = {o.pk: o for o in Officer.objects.filter(pk__in=ids, agency_id=agency_id)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(
            f"执法人员不存在或不属于本机关：{missing}。", "Unknown officer for this agency.", field=field
        )
    return [found[i] for i in dict.fromkeys(ids)]


def _parties(request: HttpRequest, ids: list[int], field: str = "party_ids") -> list[Party]:
    found = {p.pk: p for p in perms.scoped(_user(request), perms.VIEW_PARTY, Party).filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(f"当事人不存在：{missing}。", "Unknown party.", field=field)
    return [found[i] for i in dict.fromkeys(ids)]


def _seizure(request: HttpRequest, seizure_id: int) -> Seizure:
    seizure = (
        perms.scoped(_user(request), VIEW_CASE, Seizure).filter(pk=seizure_id).first()
        if 0 < seizure_id <= MAX_ID
        else None
    )
    if seizure is None:
        raise NotFound("查封扣押记录不存在或不在您的数据范围内。", "Seizure not found.")
    return seizure


# --- shaping ------------------------------------------------------------------------------------------------------


def _case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "procedure": case.procedure,
        "stage": case.stage,
        "stage_label": Stage(case.stage).label,
        "agency_id": case.agency_id,
        "agency_name": case.agency.name,
        "domain": case.domain.code,
        "catalog_item_code": case.catalog_item_code,
        "source_kind": case.source_kind,
        "source_received_on": case.source_received_on,
        "opened_on": case.opened_on,
        "decision_due": case.decision_due,
        "next_deadline": case.next_deadline,
        "deadline_state": selectors.deadline_state(case),
    }


_PLAIN_FIELDS = [
    "facts",
    "source_reference",
    "source_summary",
    "not_opened_reason",
    "act_date",
    "serious_harm",
    "limitation_expired",
    "is_complex",
    "investigation_started_on",
    "investigation_ended_on",
    "notice_round",
    "notified_on",
    "proposed_kinds",
    "proposed_fine_yuan",
    "proposed_confiscation_yuan",
    "hearing_right",
    "statement_due",
    "hearing_request_due",
    "statement_received_on",
    "rights_waived_on",
    "hearing_requested_on",
    "hearing_notice_on",
    "hearing_on",
    "hearing_held_on",
    "notice_served_on",
    "notice_service_method",
    "statement_reviewed_on",
    "statement_adopted",
    "statement_review_opinion",
    "hearing_closed_reason",
    "hearing_ended_on",
    "hearing_end_reason",
    "penalty_kinds",
    "fine_yuan",
    "confiscation_yuan",
    "decision_text",
    "decided_on",
    "not_punish_reason",
    "service_due",
    "service_method",
    "served_on",
    "served_late_reason",
    "place",
    "filing_due",
    "filed_on",
    "payment_due",
    "paid_on",
    "paid_yuan",
    "surcharge_yuan",
    "closed_on",
    "archived_on",
    "transfer_target",
    "transfer_target_name",
    "ended_on",
    "end_reason",
    "source_check_due",
    "decision_correction",
    "decision_corrected_on",
    "decision_correction_reason",
    "withdrawal_due",
]


def _seizure_out(s: Seizure) -> dict[str, Any]:
    return {
        "id": s.pk,
        "case_id": s.case_id,
        "kind": s.kind,
        "items": list(s.items),
        "place": s.place,
        "decided_on": s.decided_on,
        "testing_days": s.testing_days,
        "due_on": s.due_on,
        "extension_days": s.extension_days,
        "extension_reason": s.extension_reason,
        "extended_on": s.extended_on,
        "status": s.status,
        "released_on": s.released_on,
        "release_reason": s.release_reason,
    }


def _detail(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    case = (
        Case.objects.select_related("agency__region", "domain")
        .prefetch_related(
            Prefetch("party_links", CaseParty.objects.select_related("party")),
            Prefetch(
                "officer_links", CaseOfficer.objects.select_related("officer").order_by("-is_lead", "id")
            ),
            "extensions",
            "legal_reviews",
            "discussions",
            "seizures",
            "recusals",
        )
        .get(pk=case_id)
    )
    body = _case_out(case)
    body.update({name: getattr(case, name) for name in _PLAIN_FIELDS})
    body["parties"] = [
        {"id": link.party_id, "name": link.party.name, "kind": link.party.kind, "role": link.role}
        for link in case.party_links.all()
    ]
    body["officers"] = [
        {"id": link.officer_id, "name": link.officer.name, "is_lead": link.is_lead}
        for link in case.officer_links.all()
    ]
    body["recusals"] = [
        {
            "id": r.pk,
            "officer_id": r.officer_id,
            "initiator": r.initiator,
            "grounds": r.grounds,
            "applied_on": r.applied_on,
            "granted": r.granted,
            "decision_reason": r.decision_reason,
            "decided_on": r.decided_on,
            "replacement_id": r.replacement_id,
        }
        for r in case.recusals.all()
    ]
    body["extensions"] = [
        {
            "id": e.pk,
            "days": e.days,
            "reason": e.reason,
            "basis": e.basis,
            "approved_on": e.approved_on,
            "previous_due": e.previous_due,
            "new_due": e.new_due,
        }
        for e in case.extensions.all()
    ]
    body["legal_reviews"] = [
        {
            "id": r.pk,
            "agreed": r.agreed,
            "opinion": r.opinion,
            "reviewed_on": r.reviewed_on,
            "notice_round": r.notice_round,
        }
        for r in case.legal_reviews.all()
    ]
    body["discussions"] = [
        {
            "id": d.pk,
            "held_on": d.held_on,
            "participants": d.participants,
            "conclusion": d.conclusion,
            "notice_round": d.notice_round,
        }
        for d in case.discussions.all()
    ]
    body["seizures"] = [_seizure_out(s) for s in case.seizures.all()]
    enforcement = getattr(case, "enforcement", None)
    body["enforcement"] = (
        {
            "demand_served_on": enforcement.demand_served_on,
            "demand_due": enforcement.demand_due,
            "amount_yuan": enforcement.amount_yuan,
            "court_applied_on": enforcement.court_applied_on,
            "court_name": enforcement.court_name,
        }
        if enforcement
        else None
    )
    review, review_reasons = selectors.case_needs_legal_review(case)
    discussion, discussion_reasons = selectors.case_needs_collective_discussion(case)
    body["needs_legal_review"] = {"needed": review, "reasons": review_reasons}
    body["needs_collective_discussion"] = {"needed": discussion, "reasons": discussion_reasons}
    body["next_actions"] = [
        {"code": a.code, "label": a.label, "allowed": a.allowed, "reason": a.reason}
        for a in selectors.case_next_actions(_user(request), case)
    ]
    return body


_DEADLINE_ORDER = ("next_deadline", "id")


def _deadline_page(qs: QuerySet[Case], cursor: str | None, limit: int) -> dict[str, Any]:
    page = paging.keyset(
        qs.select_related("agency", "domain"), ordering=_DEADLINE_ORDER, after=cursor, limit=limit
    )
    return {"items": [_case_out(c) for c in page.items], "next_cursor": page.next_cursor}


# --- reads ---------------------------------------------------------------------------------------------------------


@router.get("", response={200: CasePage, **READ_ERRORS}, summary="案件列表")
def case_list(
    request: HttpRequest,
    stage: StageParam | None = None,
    procedure: ProcedureParam | None = None,
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    qs = selectors.cases_visible(_user(request))
    if stage:
        qs = qs.filter(stage=stage.value)
    if procedure:
        qs = qs.filter(procedure=procedure.value)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    page = paging.keyset(qs, ordering=("-id",), after=cursor, limit=limit)
    return {"items": [_case_out(c) for c in page.items], "next_cursor": page.next_cursor}


@router.get("/mine", response={200: CaseDeadlinePage, **READ_ERRORS}, summary="我的案件（按期限）")
def case_mine(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = selectors.my_cases_by_deadline(_user(request), after=cursor, limit=limit)
    return {"items": [_case_out(c) for c in rows], "next_cursor": next_cursor}


@router.get("/overdue", response={200: CaseDeadlinePage, **READ_ERRORS}, summary="超期案件")
def case_overdue(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    return _deadline_page(selectors.cases_past_limit(_user(request)), cursor, limit)


@router.get("/near-limit", response={200: CaseDeadlinePage, **READ_ERRORS}, summary="临期案件")
def case_near_limit(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    return _deadline_page(selectors.cases_near_limit(_user(request)), cursor, limit)


# --- case sources, opening, simple procedure ---------------------------------------------------------------------


@router.post("", response={201: CaseDetailOut, **WRITE_ERRORS}, summary="登记案源（可同时立案）")
def case_create(request: HttpRequest, payload: CaseCreateIn) -> tuple[int, dict[str, Any]]:
    user = _user(request)
    agency = _agency(request, payload.agency_id)
    parties = _parties(request, payload.party_ids)
    officers = _officers(agency.pk, payload.open.officer_ids) if payload.open else []

    with transaction.atomic():  # the source and its opening stand or fall together
        case = services.case_register_source(
            actor=user,
            agency=agency,
            domain=_domain(payload.domain_code),
            source_kind=payload.source_kind.value,
            received_on=payload.received_on,
            title=payload.title,
            summary=payload.summary,
            reference=payload.reference,
            parties=parties,
            catalog_item_code=payload.catalog_item_code,
        )
        if payload.open:
            _open(user, case, payload.open, officers)
    return 201, _detail(request, case.pk)


def _open(user: User, case: Case, payload: CaseOpenIn, officers: list[Officer]) -> Case:
    return services.case_open(
        actor=user,
        case=case,
        officers=officers,
        act_date=payload.act_date,
        on=payload.on,
        serious_harm=payload.serious_harm,
        is_complex=payload.is_complex,
        facts=payload.facts,
        catalog_item_code=payload.catalog_item_code,
        approved_by=_approver(payload.approved_by_id),
    )


@router.post("/simple", response={201: CaseDetailOut, **WRITE_ERRORS}, summary="当场处罚（简易程序）")
def case_simple(request: HttpRequest, payload: CaseSimpleDecisionIn) -> tuple[int, dict[str, Any]]:
    agency = _agency(request, payload.agency_id)
    case = services.case_simple_decide(
        actor=_user(request),
        agency=agency,
        domain=_domain(payload.domain_code),
        party=_parties(request, [payload.party_id], "party_id")[0],
        officers=_officers(agency.pk, payload.officer_ids),
        kinds=[k.value for k in payload.kinds],
        fine_yuan=payload.fine_yuan,
        title=payload.title,
        facts=payload.facts,
        place=payload.place,
        act_date=payload.act_date,
        on=payload.on,
        catalog_item_code=payload.catalog_item_code,
        basis=payload.basis,
        statement=payload.statement,
    )
    return 201, _detail(request, case.pk)


@router.get("/{case_id}", response={200: CaseDetailOut, **READ_ERRORS}, summary="案件详情（含下一步操作）")
def case_detail(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    return _detail(request, _case(request, case_id).pk)


# --- transitions ----------------------------------------------------------------------------------------------------


def _transition(path: str, summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return router.post(f"/{{case_id}}/{path}", response={200: CaseDetailOut, **WRITE_ERRORS}, summary=summary)


def _run(request: HttpRequest, case_id: Id, service: Callable[..., Any], **kwargs: Any) -> dict[str, Any]:
    case = _case(request, case_id)
    service(actor=_user(request), case=case, **kwargs)
    return _detail(request, case.pk)


@_transition("open", "立案")
def case_open(request: HttpRequest, case_id: Id, payload: CaseOpenIn) -> dict[str, Any]:
    case = _case(request, case_id)
    _open(_user(request), case, payload, _officers(case.agency_id, payload.officer_ids))
    return _detail(request, case.pk)


@_transition("not-open", "不予立案")
def case_not_open(request: HttpRequest, case_id: Id, payload: CaseReasonIn) -> dict[str, Any]:
    return _run(request, case_id, services.case_not_open, reason=payload.reason, on=payload.on)


@_transition("start-investigation", "开始调查取证")
def case_start_investigation(request: HttpRequest, case_id: Id, payload: CaseOnIn) -> dict[str, Any]:
    return _run(request, case_id, services.case_start_investigation, on=payload.on)


@_transition("end-investigation", "调查终结")
def case_end_investigation(request: HttpRequest, case_id: Id, payload: CaseOnIn) -> dict[str, Any]:
    return _run(request, case_id, services.case_end_investigation, on=payload.on)


@_transition("notify-rights", "事先告知")
def case_notify_rights(request: HttpRequest, case_id: Id, payload: CaseNotifyIn) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        services.case_notify_rights,
        kinds=[k.value for k in payload.kinds],
        fine_yuan=payload.fine_yuan,
        confiscation_yuan=payload.confiscation_yuan,
        grant_hearing=payload.grant_hearing,
        basis=payload.basis,
        different_act_reason=payload.different_act_reason,
        on=payload.on,
    )


@_transition("statement", "记录陈述申辩")
def case_statement(request: HttpRequest, case_id: Id, payload: CaseStatementIn) -> dict[str, Any]:
    return _run(request, case_id, services.case_record_statement, text=payload.text, on=payload.on)


@_transition("waive-rights", "当事人放弃陈述申辩和听证")
def case_waive_rights(request: HttpRequest, case_id: Id, payload: CaseOnIn) -> dict[str, Any]:
    return _run(request, case_id, services.case_waive_rights, on=payload.on)


@_transition("request-hearing", "当事人申请听证")
def case_request_hearing(request: HttpRequest, case_id: Id, payload: CaseOnIn) -> dict[str, Any]:
    return _run(request, case_id, services.case_request_hearing, on=payload.on)


@_transition("schedule-hearing", "通知听证")
def case_schedule_hearing(
    request: HttpRequest, case_id: Id, payload: CaseScheduleHearingIn
) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        services.case_schedule_hearing,
        hearing_on=payload.hearing_on,
        closed_reason=payload.closed_reason.value if payload.closed_reason else "",
        on=payload.on,
    )


@_transition("serve-notice", "送达事先告知书")
def case_serve_notice(request: HttpRequest, case_id: Id, payload: CaseServeNoticeIn) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        hearing.case_serve_notice,
        method=payload.method.value,
        consent_confirmed=payload.consent_confirmed,
        on=payload.on,
    )


@_transition("review-statement", "陈述申辩复核")
def case_review_statement(
    request: HttpRequest, case_id: Id, payload: CaseReviewStatementIn
) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        hearing.case_review_statement,
        adopted=payload.adopted,
        opinion=payload.opinion,
        on=payload.on,
    )


@_transition("end-hearing", "终止听证（当事人缺席或中途退出）")
def case_end_hearing(request: HttpRequest, case_id: Id, payload: CaseEndHearingIn) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        hearing.case_end_hearing_absent,
        reason=payload.reason.value,
        note=payload.note,
        on=payload.on,
    )


@_transition("recusals", "申请回避")
def case_recusal_apply(request: HttpRequest, case_id: Id, payload: CaseRecusalApplyIn) -> dict[str, Any]:
    case = _case(request, case_id)
    officer = _officers(case.agency_id, [payload.officer_id], "officer_id")[0]
    recusal.recusal_apply(
        actor=_user(request),
        case=case,
        officer=officer,
        initiator=payload.initiator.value,
        grounds=payload.grounds,
        on=payload.on,
    )
    return _detail(request, case.pk)


@_transition("recusal-decision", "回避决定")
def case_recusal_decide(request: HttpRequest, case_id: Id, payload: CaseRecusalDecideIn) -> dict[str, Any]:
    case = _case(request, case_id)
    replacement = None
    if payload.replacement_officer_id is not None:
        replacement = _officers(case.agency_id, [payload.replacement_officer_id], "replacement_officer_id")[0]
    recusal.recusal_decide(
        actor=_user(request),
        case=case,
        granted=payload.granted,
        reason=payload.reason,
        replacement=replacement,
        on=payload.on,
    )
    return _detail(request, case.pk)


@_transition("hold-hearing", "举行听证")
def case_hold_hearing(request: HttpRequest, case_id: Id, payload: CaseHoldHearingIn) -> dict[str, Any]:
    case = _case(request, case_id)
    host = _officers(case.agency_id, [payload.host_officer_id], "host_officer_id")[0]
    services.case_hold_hearing(
        actor=_user(request), case=case, host=host, summary=payload.summary, on=payload.on
    )
    return _detail(request, case.pk)


@_transition("submit-legal-review", "提交法制审核")
def case_submit_legal_review(request: HttpRequest, case_id: Id, payload: CaseOnIn) -> dict[str, Any]:
    return _run(request, case_id, services.case_submit_legal_review, on=payload.on)


@_transition("legal-review", "法制审核意见")
def case_legal_review(request: HttpRequest, case_id: Id, payload: CaseLegalReviewIn) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        services.case_record_legal_review,
        agreed=payload.agreed,
        opinion=payload.opinion,
        on=payload.on,
    )


@_transition("collective-discussion", "集体讨论")
def case_collective_discussion(
    request: HttpRequest, case_id: Id, payload: CaseDiscussionIn
) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        services.case_collective_discussion,
        participants=payload.participants,
        conclusion=payload.conclusion,
        on=payload.on,
    )


@_transition("decide", "作出处罚决定")
def case_decide(request: HttpRequest, case_id: Id, payload: CaseDecideIn) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        services.case_decide,
        kinds=[k.value for k in payload.kinds],
        fine_yuan=payload.fine_yuan,
        confiscation_yuan=payload.confiscation_yuan,
        text=payload.text,
        basis=payload.basis,
        different_act_reason=payload.different_act_reason,
        on=payload.on,
    )


@_transition("return-to-investigation", "退回补充调查")
def case_return_to_investigation(request: HttpRequest, case_id: Id, payload: CaseReasonIn) -> dict[str, Any]:
    return _run(request, case_id, services.case_return_to_investigation, reason=payload.reason, on=payload.on)


@_transition("extend-deadline", "延长办案期限")
def case_extend_deadline(request: HttpRequest, case_id: Id, payload: CaseExtendIn) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        services.case_extend_deadline,
        days=payload.days,
        reason=payload.reason,
        basis=payload.basis,
        on=payload.on,
        discussion_participants=payload.discussion_participants,
        discussion_conclusion=payload.discussion_conclusion,
    )


@_transition("excluded-periods", "登记不计入办案期限的期间")
def case_record_excluded_period(
    request: HttpRequest, case_id: Id, payload: CaseExcludedPeriodIn
) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        periods.case_record_excluded_period,
        kind=payload.kind.value,
        first_day=payload.first_day,
        last_day=payload.last_day,
        reason=payload.reason,
        on=payload.on,
    )


@_transition("excluded-periods/end", "结束不计入期间")
def case_end_excluded_period(
    request: HttpRequest, case_id: Id, payload: CaseExcludedPeriodEndIn
) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        periods.case_end_excluded_period,
        kind=payload.kind.value,
        last_day=payload.last_day,
        on=payload.on,
    )


@_transition("revoke-decision", "撤销行政处罚决定")
def case_revoke_decision(request: HttpRequest, case_id: Id, payload: CaseReasonIn) -> dict[str, Any]:
    return _run(request, case_id, corrections.case_revoke_decision, reason=payload.reason, on=payload.on)


@_transition("change-decision", "变更行政处罚决定")
def case_change_decision(request: HttpRequest, case_id: Id, payload: CaseChangeDecisionIn) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        corrections.case_change_decision,
        kinds=[k.value for k in payload.kinds],
        fine_yuan=payload.fine_yuan,
        confiscation_yuan=payload.confiscation_yuan,
        text=payload.text,
        reason=payload.reason,
        on=payload.on,
    )


@_transition("extend-source-check", "延长案源核查期限")
def case_extend_source_check(
    request: HttpRequest, case_id: Id, payload: CaseSourceCheckExtendIn
) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        sources.case_extend_source_check,
        working_days=payload.working_days,
        reason=payload.reason,
        on=payload.on,
    )


@_transition("serve", "送达决定书")
def case_serve(request: HttpRequest, case_id: Id, payload: CaseServeIn) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        services.case_serve,
        method=payload.method.value,
        consent_confirmed=payload.consent_confirmed,
        late_reason=payload.late_reason,
        on=payload.on,
    )


@_transition("file", "当场处罚备案")
def case_file(request: HttpRequest, case_id: Id, payload: CaseFileIn) -> dict[str, Any]:
    return _run(request, case_id, services.case_simple_file, late_reason=payload.late_reason, on=payload.on)


@_transition("payment", "登记缴款")
def case_payment(request: HttpRequest, case_id: Id, payload: CasePaymentIn) -> dict[str, Any]:
    return _run(
        request, case_id, services.case_record_payment, amount_yuan=payload.amount_yuan, on=payload.on
    )


@_transition("enforcement-demand", "催告")
def case_enforcement_demand(request: HttpRequest, case_id: Id, payload: CaseOnIn) -> dict[str, Any]:
    return _run(request, case_id, services.enforcement_demand, on=payload.on)


@_transition("court-application", "申请人民法院强制执行")
def case_court_application(request: HttpRequest, case_id: Id, payload: CaseCourtIn) -> dict[str, Any]:
    return _run(request, case_id, services.court_application, court_name=payload.court_name, on=payload.on)


@_transition("close", "结案")
def case_close(request: HttpRequest, case_id: Id, payload: CaseOnIn) -> dict[str, Any]:
    return _run(request, case_id, services.case_close, on=payload.on)


@_transition("archive", "归档")
def case_archive(request: HttpRequest, case_id: Id, payload: CaseOnIn) -> dict[str, Any]:
    return _run(request, case_id, services.case_archive, on=payload.on)


@_transition("not-punish", "不予处罚")
def case_not_punish(request: HttpRequest, case_id: Id, payload: CaseNotPunishIn) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        services.case_not_punish,
        reason=payload.reason.value,
        note=payload.note,
        on=payload.on,
    )


@_transition("transfer", "移送")
def case_transfer(request: HttpRequest, case_id: Id, payload: CaseTransferIn) -> dict[str, Any]:
    return _run(
        request,
        case_id,
        services.case_transfer,
        target=payload.target.value,
        target_name=payload.target_name,
        reason=payload.reason,
        on=payload.on,
        receiver=_receiver(payload.receiver_id),
    )


class TransferReceiptOut(Schema):
    case_id: int
    receiver_id: int | None
    received_on: dt.date | None
    receipt_no: str
    feedback: str
    feedback_text: str
    feedback_on: dt.date | None


def _receiver(pk: int | None) -> Agency | None:
    if pk is None:
        return None
    found = Agency.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise InvalidInput("接收单位不存在。", "Unknown receiving agency.", field="receiver_id")
    return found


@router.post(
    "/{case_id}/transfer-receipt",
    response={200: TransferReceiptOut, **WRITE_ERRORS},
    summary="登记移送回执（接收单位确认接收）",
)
def case_transfer_receipt(request: HttpRequest, case_id: Id, payload: TransferReceiptIn) -> TransferReceipt:
    case = _transfer_case(request, case_id)
    return services.transfer_acknowledge(
        actor=_user(request), case=case, receipt_no=payload.receipt_no, on=payload.on
    )


@router.post(
    "/{case_id}/transfer-feedback",
    response={200: TransferReceiptOut, **WRITE_ERRORS},
    summary="登记接收机关反馈",
)
def case_transfer_feedback(request: HttpRequest, case_id: Id, payload: TransferFeedbackIn) -> TransferReceipt:
    case = _transfer_case(request, case_id)
    return services.transfer_feedback(
        actor=_user(request), case=case, result=payload.result.value, text=payload.text, on=payload.on
    )


def _transfer_case(request: HttpRequest, case_id: Id) -> Case:
    """The transferred case: visible to its own agency, and to the receiving agency through the receipt only
    (it answers the transfer; it does not read the case)."""
    if 0 < case_id <= MAX_ID:
        receipt = TransferReceipt.objects.filter(case_id=case_id, receiver__isnull=False).first()
        if receipt is not None and perms.can(_user(request), RECEIVE_TRANSFER, receipt):
            return receipt.case
    return _case(request, case_id)


@_transition("withdraw", "撤案")
def case_withdraw(request: HttpRequest, case_id: Id, payload: CaseReasonIn) -> dict[str, Any]:
    return _run(request, case_id, services.case_withdraw, reason=payload.reason, on=payload.on)


# --- compulsion -------------------------------------------------------------------------------------------------------


@router.post("/{case_id}/seizures", response={201: SeizureOut, **WRITE_ERRORS}, summary="查封、扣押")
def seizure_create(request: HttpRequest, case_id: Id, payload: SeizureIn) -> tuple[int, dict[str, Any]]:
    case = _case(request, case_id)
    seizure = services.seizure_decide(
        actor=_user(request),
        case=case,
        kind=payload.kind.value,
        items=payload.items,
        place=payload.place,
        testing_days=payload.testing_days,
        on=payload.on,
        approved_by=_approver(payload.approved_by_id),
        from_preservation=payload.from_preservation_id,
        emergency=payload.emergency,
        value_yuan=payload.value_yuan,
    )
    return 201, _seizure_out(seizure)


def _approver(user_id: int | None) -> Any:
    """The approving head named by id; whether they may approve for the case is the service's check."""
    if user_id is None:
        return None

    user = User.objects.filter(pk=user_id, is_active=True).first() if 0 < user_id <= MAX_ID else None
    if user is None:
        raise InvalidInput("批准人不存在。", "Unknown approver.", field="approved_by_id")
    return user


@router.post(
    "/seizures/{seizure_id}/extend", response={200: SeizureOut, **WRITE_ERRORS}, summary="延长查封、扣押"
)
def seizure_extend(request: HttpRequest, seizure_id: Id, payload: SeizureExtendIn) -> dict[str, Any]:
    seizure = services.seizure_extend(
        actor=_user(request),
        seizure=_seizure(request, seizure_id),
        days=payload.days,
        reason=payload.reason,
        on=payload.on,
    )
    return _seizure_out(seizure)


@router.post(
    "/seizures/{seizure_id}/release", response={200: SeizureOut, **WRITE_ERRORS}, summary="解除查封、扣押"
)
def seizure_release(request: HttpRequest, seizure_id: Id, payload: SeizureReleaseIn) -> dict[str, Any]:
    seizure = services.seizure_release(
        actor=_user(request),
        seizure=_seizure(request, seizure_id),
        reason=payload.reason.value,
        on=payload.on,
    )
    return _seizure_out(seizure)


@router.post(
    "/seizures/{seizure_id}/approve",
    response={200: SeizureOut, **WRITE_ERRORS},
    summary="补办批准紧急查封、扣押",
)
def seizure_approve(request: HttpRequest, seizure_id: Id, payload: SeizureApproveIn) -> dict[str, Any]:
    seizure = services.seizure_approve(
        actor=_user(request),
        seizure=_seizure(request, seizure_id),
        approve=payload.approve,
        reason=payload.reason,
        on=payload.on,
    )
    return _seizure_out(seizure)


# --- 行政复议、行政诉讼 ----------------------------------------------------------------------------------------------


def _remedy_out(remedy: Any) -> dict[str, Any]:
    return {
        "id": remedy.pk,
        "case_id": remedy.case_id,
        "kind": remedy.kind,
        "kind_label": remedy.get_kind_display(),
        "applied_on": remedy.applied_on,
        "decided_on": remedy.decided_on,
        "outcome": remedy.outcome,
        "outcome_label": remedy.get_outcome_display() if remedy.outcome else "",
        "number": remedy.number,
    }


@router.get(
    "/{case_id}/remedies", response={200: CaseRemedyList, **READ_ERRORS}, summary="行政复议、行政诉讼（列表）"
)
def case_remedies(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    case = _case(request, case_id)
    return {"items": [_remedy_out(r) for r in case.remedies.order_by("applied_on", "id")]}


@router.post(
    "/{case_id}/remedies",
    response={201: CaseRemedyOut, **WRITE_ERRORS},
    summary="登记行政复议、行政诉讼（行政处罚法第七十三条第三款）",
)
def case_remedy_create(
    request: HttpRequest, case_id: Id, payload: CaseRemedyIn
) -> tuple[int, dict[str, Any]]:
    remedy = services.case_record_remedy(
        actor=_user(request),
        case=_case(request, case_id),
        kind=payload.kind.value,
        applied_on=payload.applied_on,
        decided_on=payload.decided_on,
        outcome=payload.outcome,
        number=payload.number,
        on=payload.on,
    )
    return 201, _remedy_out(remedy)
