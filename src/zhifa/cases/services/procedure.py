"""调查、审查、告知: investigation, notice of rights, statements, hearing, legal review, collective discussion,
extension of the deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from zhifa.cases import fines, guards, limits
from zhifa.cases.guards import refuse
from zhifa.cases.models import (
    Case,
    CollectiveDiscussion,
    DeadlineExtension,
    HearingClosedReason,
    LegalReviewOutcome,
    Stage,
)
from zhifa.cases.services._common import _begin, _commit, _officer_of, _penalty, _require_text
from zhifa.cases.services.decision import _double_fine_extra
from zhifa.core.errors import InvalidInput
from zhifa.core.transactions import service
from zhifa.org.models import Officer, User


@service
def case_start_investigation(*, actor: User, case: Case | int, on: dt.date | None = None) -> Case:
    """调查取证 — begin investigating; two entitled officers (行政处罚法 第四十二条、第五十五条)."""
    case, on = _begin("start_investigation", actor, case, on)
    return _commit(
        case,
        actor=actor,
        code="start_investigation",
        on=on,
        fields={"investigation_started_on": on},
        to_stage=Stage.INVESTIGATION,
    )


@service
def case_end_investigation(
    *, actor: User, case: Case | int, on: dt.date | None = None, facts: str | None = None
) -> Case:
    """调查终结 — the investigation report goes to case review (案件审查)."""
    case, on = _begin("end_investigation", actor, case, on)
    fields: dict[str, Any] = {"investigation_ended_on": on}
    if facts is not None:
        fields["facts"] = facts
    return _commit(case, actor=actor, code="end_investigation", on=on, fields=fields, to_stage=Stage.REVIEW)


@service
def case_notify_rights(
    *,
    actor: User,
    case: Case | int,
    kinds: Sequence[str],
    fine_yuan: Any = None,
    confiscation_yuan: Any = None,
    on: dt.date | None = None,
    grant_hearing: bool = False,
    basis: str | None = None,
    different_act_reason: str = "",
) -> Case:
    """事先告知 — tell the party the proposed penalty, facts, reasons, basis and rights (第四十四条).

    The hearing right (第六十三条) follows from the proposed penalty; ``grant_hearing`` may add it for
    "其他较重的行政处罚", never take it away. ``different_act_reason``: why a fine is proposed although another
    case fined the party for what looks like the same act (第二十九条, ``fines.check_double_fine``).
    """
    case, on = _begin("notify_rights", actor, case, on)
    penalty = _penalty(kinds, fine_yuan, confiscation_yuan)
    # 行政处罚法 第三十五条第二款: after a criminal fine, no administrative fine.
    fines.check_no_fine_after_criminal_fine(case, penalty.kinds)
    # 行政处罚法 第二十九条: 一事不二罚 — refused, or overridden with the reason on the ledger.
    double = _double_fine_extra(case, penalty, different_act_reason)
    hearing_reasons = guards.hearing_right_reasons(case, penalty)
    hearing_right = bool(hearing_reasons) or grant_hearing
    fields: dict[str, Any] = {
        "notice_round": case.notice_round + 1,
        "notified_on": on,
        "proposed_kinds": list(penalty.kinds),
        "proposed_fine_yuan": penalty.fine_yuan or None,
        "proposed_confiscation_yuan": penalty.confiscation_yuan or None,
        "hearing_right": hearing_right,
        # 行政处罚法 第六十四条第一项: the party's periods run from service of the 告知书 (case_serve_notice),
        # not from this step; until it is served they have not begun.
        "notice_served_on": None,
        "notice_service_method": "",
        "statement_due": None,
        "hearing_request_due": None,
        "statement_received_on": None,
        "statement_text": "",
        "statement_reviewed_on": None,
        "statement_adopted": None,
        "statement_review_opinion": "",
        "rights_waived_on": None,
        "hearing_requested_on": None,
        "hearing_notice_on": None,
        "hearing_on": None,
        "hearing_held_on": None,
        "hearing_closed_reason": "",
        "hearing_ended_on": None,
        "hearing_end_reason": "",
    }
    # 行政处罚法 第三十八条、第四十四条: the notice states the facts, reasons and basis (违法和处罚依据).
    fields["legal_basis"] = guards.legal_basis(case, basis, on)
    return _commit(
        case,
        actor=actor,
        code="notify_rights",
        on=on,
        fields=fields,
        to_stage=Stage.NOTIFIED,
        extra={"hearing_reasons": hearing_reasons, **double},
    )


@service
def case_record_statement(*, actor: User, case: Case | int, text: str, on: dt.date | None = None) -> Case:
    """陈述、申辩 — record what the party said; the agency must hear it (第四十五条)."""
    case, on = _begin("record_statement", actor, case, on)
    text = _require_text(text, "text", "陈述申辩内容", 5000)
    return _commit(
        case,
        actor=actor,
        code="record_statement",
        on=on,
        # 行政处罚法 第四十五条第一款: a new statement is reviewed afresh.
        fields={
            "statement_received_on": on,
            "statement_text": text,
            "statement_reviewed_on": None,
            "statement_adopted": None,
            "statement_review_opinion": "",
        },
    )


@service
def case_waive_rights(*, actor: User, case: Case | int, on: dt.date | None = None) -> Case:
    """当事人明确放弃陈述、申辩和听证权利 (第六十二条 但书) — the decision need not wait for the periods."""
    case, on = _begin("waive_rights", actor, case, on)
    if case.hearing_requested_on:
        raise refuse("hearing_requested", "当事人已申请听证。", "The party has asked for a hearing.")
    return _commit(case, actor=actor, code="waive_rights", on=on, fields={"rights_waived_on": on})


@service
def case_request_hearing(*, actor: User, case: Case | int, on: dt.date | None = None) -> Case:
    """当事人要求听证 — within five working days of the notice (第六十四条第一项、第八十五条)."""
    case, on = _begin("request_hearing", actor, case, on)
    return _commit(
        case,
        actor=actor,
        code="request_hearing",
        on=on,
        fields={"hearing_requested_on": on},
        to_stage=Stage.HEARING,
    )


@service
def case_schedule_hearing(
    *,
    actor: User,
    case: Case | int,
    hearing_on: dt.date,
    on: dt.date | None = None,
    closed_reason: str = "",
) -> Case:
    """听证通知 — tell the parties time and place seven working days ahead (第六十四条第二项、第八十五条).

    The hearing is public unless it involves state secrets, business secrets or personal privacy
    (第六十四条第三项): ``closed_reason`` (a ``HearingClosedReason``) records why it is not; empty is public.
    """
    case, on = _begin("schedule_hearing", actor, case, on)
    closed_reason = (closed_reason or "").strip()
    # 行政处罚法 第六十四条第三项: 除涉及国家秘密、商业秘密或者个人隐私依法予以保密外，听证公开举行.
    if closed_reason and closed_reason not in HearingClosedReason.values:
        raise InvalidInput(
            "不公开举行听证须是涉及国家秘密、商业秘密或者个人隐私的情形（行政处罚法第六十四条第三项）。",
            "A hearing is closed only for state secrets, business secrets or personal privacy (Art. 64).",
            field="closed_reason",
        )
    earliest = limits.earliest_hearing_on(on)
    if hearing_on < earliest:
        raise refuse(
            "hearing_notice_too_short",
            f"应当在举行听证的七个工作日前通知当事人；{on:%Y-%m-%d} 通知的，听证最早于 {earliest:%Y-%m-%d} 举行"
            "（行政处罚法第六十四条第二项、第八十五条）。",
            f"Noticed on {on:%Y-%m-%d}, the hearing may be held from {earliest:%Y-%m-%d} (Art. 64, 85).",
        )
    return _commit(
        case,
        actor=actor,
        code="schedule_hearing",
        on=on,
        fields={"hearing_notice_on": on, "hearing_on": hearing_on, "hearing_closed_reason": closed_reason},
    )


@service
def case_hold_hearing(
    *, actor: User, case: Case | int, host: Officer, summary: str = "", on: dt.date | None = None
) -> Case:
    """举行听证 — presided by someone who did not investigate the case (第六十四条第四项)."""
    case, on = _begin("hold_hearing", actor, case, on)
    if case.officer_links.filter(officer=host).exists():
        raise refuse(
            "hearing_host_investigator",
            "听证由行政机关指定的非本案调查人员主持（行政处罚法第六十四条第四项）。",
            "The hearing must be presided by someone who did not investigate the case (Art. 64).",
        )
    if host.agency_id != case.agency_id:
        raise InvalidInput(
            "听证主持人须为本机关人员。", "The host must belong to the agency.", field="host_id"
        )
    return _commit(
        case,
        actor=actor,
        code="hold_hearing",
        on=on,
        fields={"hearing_held_on": on},
        extra={"host_officer_id": host.pk, "summary": summary[:2000]},
    )


@service
def case_submit_legal_review(*, actor: User, case: Case | int, on: dt.date | None = None) -> Case:
    """提交法制审核 — after the party has been heard (or the periods passed)."""
    case, on = _begin("submit_legal_review", actor, case, on)
    return _commit(
        case, actor=actor, code="submit_legal_review", on=on, fields={}, to_stage=Stage.LEGAL_REVIEW
    )


@service
def case_record_legal_review(
    *, actor: User, case: Case | int, agreed: bool, opinion: str, on: dt.date | None = None
) -> LegalReviewOutcome:
    """法制审核意见（简版）— agreed or problems found. Replaced by the legal-review issue's workflow."""
    case, on = _begin("record_legal_review", actor, case, on)
    opinion = _require_text(opinion, "opinion", "审核意见", 5000)
    officer = _officer_of(actor)
    if officer is not None and case.officer_links.filter(officer=officer).exists():
        raise refuse(
            "reviewer_is_handler",
            "法制审核人员不得审核本人承办的案件。",
            "A legal reviewer may not review a case they handle.",
        )
    # local import: zhifa.cases.compulsion imports this package at load
    from zhifa.cases.compulsion import check_reviewer_qualified

    # 行政处罚法 第五十八条第二款: a first-time reviewer holds the 法律职业资格.
    check_reviewer_qualified(actor)
    outcome = LegalReviewOutcome.objects.create(
        case=case,
        agreed=agreed,
        reviewer=actor,
        reviewed_on=on,
        opinion=opinion,
        notice_round=case.notice_round,
    )
    _commit(
        case,
        actor=actor,
        code="record_legal_review",
        on=on,
        fields={},
        extra={"legal_review_id": outcome.pk, "agreed": agreed},
    )
    return outcome


@service
def case_collective_discussion(
    *, actor: User, case: Case | int, participants: str, conclusion: str, on: dt.date | None = None
) -> Case:
    """集体讨论 — the agency heads discuss a complex or major case (第五十七条第二款)."""
    case, on = _begin("collective_discussion", actor, case, on)
    discussion = CollectiveDiscussion.objects.create(
        case=case,
        held_on=on,
        participants=_require_text(participants, "participants", "参加人员"),
        conclusion=_require_text(conclusion, "conclusion", "讨论结论", 5000),
        recorded_by=actor,
        notice_round=case.notice_round,
    )
    return _commit(
        case,
        actor=actor,
        code="collective_discussion",
        on=on,
        fields={},
        to_stage=Stage.COLLECTIVE_DISCUSSION,
        extra={"discussion_id": discussion.pk},
    )


@service
def case_return_to_investigation(
    *, actor: User, case: Case | int, reason: str, on: dt.date | None = None
) -> Case:
    """退回补充调查 — back to investigation; the party must be notified again afterwards."""
    case, on = _begin("return_to_investigation", actor, case, on)
    reason = _require_text(reason, "reason", "退回理由")
    return _commit(
        case,
        actor=actor,
        code="return_to_investigation",
        on=on,
        fields={
            "investigation_ended_on": None,
            "hearing_held_on": None,
            "hearing_requested_on": None,
            "hearing_ended_on": None,
            "hearing_end_reason": "",
        },
        to_stage=Stage.INVESTIGATION,
        extra={"reason": reason},
    )


@service
def case_extend_deadline(
    *,
    actor: User,
    case: Case | int,
    days: int,
    reason: str,
    basis: str,
    on: dt.date | None = None,
    discussion_participants: str = "",
    discussion_conclusion: str = "",
) -> DeadlineExtension:
    """延长办案期限 — approved by the agency head before the period ends, on a legal basis (第六十条).

    The head approves one extension of at most 30 days; a further one only on the heads' collective
    discussion, recorded with it (市场监督管理行政处罚程序规定 第六十四条: 经本机关负责人批准，可以延长三十日；
    案情特别复杂或者有其他特殊情况，经延期仍不能作出处理决定的，应当由本机关负责人集体讨论决定是否继续延期).
    """
    case, on = _begin("extend_deadline", actor, case, on)
    max_days = limits.setting_int("EXTENSION_MAX_DAYS")
    further = DeadlineExtension.objects.filter(case=case).exists()
    if not 1 <= days <= (365 if further else max_days):
        raise refuse(
            "extension_too_long",
            f"经机关负责人批准，可延长不超过 {max_days} 日。"
            if not further
            else "继续延长的天数须为 1 至 365 日。",
            f"An extension is 1 to {max_days} days.",
        )
    reason = _require_text(reason, "reason", "延长理由")
    basis = _require_text(basis, "basis", "延长依据（法律、法规、规章）", 300)
    discussion = None
    if further:
        # 市场监督管理行政处罚程序规定 第六十四条: a further extension is for the heads' collective discussion.
        if not (discussion_participants or "").strip() or not (discussion_conclusion or "").strip():
            raise refuse(
                "extension_needs_collective_discussion",
                "本案已延长过办案期限；继续延长须由机关负责人集体讨论决定，请填写集体讨论的参加人员和结论"
                "（市场监督管理行政处罚程序规定第六十四条）。",
                "The period was extended once; a further extension needs the heads' collective discussion.",
            )
        discussion = CollectiveDiscussion.objects.create(
            case=case,
            held_on=on,
            participants=_require_text(discussion_participants, "discussion_participants", "参加人员"),
            conclusion=_require_text(discussion_conclusion, "discussion_conclusion", "讨论结论", 5000),
            recorded_by=actor,
            notice_round=case.notice_round,
            purpose="extension",
        )
    previous = case.decision_due
    assert previous is not None
    new_due = previous + dt.timedelta(days=days)
    extension = DeadlineExtension.objects.create(
        case=case,
        days=days,
        reason=reason,
        basis=basis,
        approved_by=actor,
        approved_on=on,
        previous_due=previous,
        new_due=new_due,
        discussion=discussion,
    )
    _commit(
        case,
        actor=actor,
        code="extend_deadline",
        on=on,
        fields={"decision_due": new_due},
        extra={
            "extension_id": extension.pk,
            "days": days,
            "previous_due": previous,
            "basis": basis,
            "discussion_id": discussion.pk if discussion else None,
        },
    )
    return extension
