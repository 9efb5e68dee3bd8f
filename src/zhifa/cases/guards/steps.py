"""The input-independent checks of each transition up to the decision (调查、告知、听证、审核、决定、期限)."""

from __future__ import annotations

import datetime as dt

from zhifa.cases import limits
from zhifa.cases.guards._common import refuse
from zhifa.cases.guards.checks import (
    check_collective_discussion,
    check_decision_deadline,
    check_legal_review,
    check_limitation,
    check_rights_period_over,
    check_statement_reviewed,
    notice_period_due,
)
from zhifa.cases.guards.documents import check_required_records
from zhifa.cases.guards.officers import check_officers
from zhifa.cases.guards.penalty import proposed_penalty
from zhifa.cases.models import Case

# --- per-transition input-independent checks ----------------------------------------------------------------


def _c_deadline(case: Case, on: dt.date) -> None:
    check_decision_deadline(case, on)


def _c_investigation(case: Case, on: dt.date) -> None:
    check_decision_deadline(case, on)
    check_officers(case, on)


def _c_end_investigation(case: Case, on: dt.date) -> None:
    check_decision_deadline(case, on)
    check_required_records(case, "investigation", "调查终结")


def _c_request_hearing(case: Case, on: dt.date) -> None:
    # 行政处罚法 第六十三条: only for the penalties that carry the right.
    if not case.hearing_right:
        raise refuse(
            "no_hearing_right",
            "拟作出的处罚不属于应当告知听证权利的情形（行政处罚法第六十三条）。",
            "The proposed penalty carries no hearing right (Art. 63).",
        )
    # 行政处罚法 第六十四条第一项、第八十五条: within five working days of the notice's service (not running
    # before it is served).
    due = notice_period_due(case, "hearing_request")
    if due and on > due:
        raise refuse(
            "hearing_request_late",
            f"听证申请应在告知书送达后五个工作日内（{due:%Y-%m-%d} 前）提出"
            "（行政处罚法第六十四条第一项、第八十五条）。",
            f"A hearing must be asked for by {due:%Y-%m-%d}, five working days after service (Art. 64, 85).",
        )
    if case.rights_waived_on:
        raise refuse("rights_waived", "当事人已明确放弃听证权利。", "The party waived the hearing.")


def _check_hearing_not_over(case: Case) -> None:
    if case.hearing_held_on:
        raise refuse("hearing_already_held", "听证已举行。", "The hearing has been held.")
    if case.hearing_ended_on:
        raise refuse(
            "hearing_ended",
            "听证已终止，视为当事人放弃听证权利（行政处罚法第六十四条第六项）。",
            "The hearing was ended; the party is taken to have given it up (Art. 64).",
        )


def _c_schedule_hearing(case: Case, on: dt.date) -> None:
    check_decision_deadline(case, on)
    _check_hearing_not_over(case)


def _c_hold_hearing(case: Case, on: dt.date) -> None:
    check_decision_deadline(case, on)
    _check_hearing_not_over(case)
    if not case.hearing_on:
        raise refuse(
            "hearing_not_scheduled",
            "尚未通知听证的时间、地点（行政处罚法第六十四条第二项）。",
            "The hearing has not been noticed (Art. 64).",
        )
    if on < case.hearing_on:
        raise refuse(
            "hearing_not_yet",
            f"听证定于 {case.hearing_on:%Y-%m-%d} 举行。",
            f"The hearing is set for {case.hearing_on:%Y-%m-%d}.",
        )


def _c_after_rights(case: Case, on: dt.date) -> None:
    check_decision_deadline(case, on)
    check_rights_period_over(case, on)


def _c_collective(case: Case, on: dt.date) -> None:
    _c_after_rights(case, on)
    # The legal review comes before the heads' discussion when the case needs one.
    check_legal_review(case, proposed_penalty(case))


def _c_serve_notice(case: Case, on: dt.date) -> None:
    if case.notice_served_on:
        raise refuse(
            "notice_already_served",
            f"事先告知书已于 {case.notice_served_on:%Y-%m-%d} 送达。",
            f"The rights notice was served on {case.notice_served_on:%Y-%m-%d}.",
        )


def _c_review_statement(case: Case, on: dt.date) -> None:
    received = case.statement_received_on
    if not received:
        raise refuse("no_statement", "当事人尚未提出陈述、申辩。", "The party has made no statement.")
    if case.statement_reviewed_on and case.statement_reviewed_on >= received:
        raise refuse(
            "statement_already_reviewed",
            f"当事人的陈述、申辩已于 {case.statement_reviewed_on:%Y-%m-%d} 复核。",
            "The statement has been reviewed.",
        )


def _c_decide_recusal(case: Case, on: dt.date) -> None:
    if not case.recusals.filter(granted__isnull=True).exists():
        raise refuse("no_pending_recusal", "没有待决定的回避申请。", "No recusal application is pending.")


def _c_decide(case: Case, on: dt.date) -> None:
    check_limitation(case)
    _c_after_rights(case, on)
    # 行政处罚法 第四十五条第一款: the party's statement is reviewed before the decision.
    check_statement_reviewed(case)
    penalty = proposed_penalty(case)
    check_legal_review(case, penalty)
    check_collective_discussion(case, penalty)


def _c_extend(case: Case, on: dt.date) -> None:
    if case.opened_on and case.decision_due is None:
        # 市场监督管理行政处罚程序规定 第六十四条第三款: while a period left out runs, the clock stands still.
        raise refuse(
            "decision_period_paused",
            "办案期限正暂停计算（听证、检测、鉴定、公告等期间不计入），无需延长。",
            "The decision period is paused while an excluded period runs; no extension is needed.",
        )
    # 行政处罚法 第六十条: an extension is approved before the period ends, not after.
    if case.decision_due and on > case.decision_due:
        raise refuse(
            "extension_too_late",
            f"办案期限已于 {case.decision_due:%Y-%m-%d} 届满，不能事后延长（行政处罚法第六十条）。",
            f"The period ended on {case.decision_due:%Y-%m-%d}; it cannot be extended afterwards (Art. 60).",
        )


def _c_record_period(case: Case, on: dt.date) -> None:
    # 行政处罚法 第六十条: only what a law, regulation or rule leaves out of the ninety days is left out.
    if not limits.excluded_kinds(case.domain.code):
        raise refuse(
            "period_not_excluded_in_domain",
            f"“{case.domain.name}”领域的规定未规定不计入办案期限的期间（行政处罚法第六十条）。",
            f"The rules of the domain '{case.domain.code}' leave no period out (Art. 60).",
        )


def _c_end_period(case: Case, on: dt.date) -> None:
    if not case.excluded_periods.filter(last_day=None).exclude(kind="hearing").exists():
        raise refuse("no_open_excluded_period", "没有尚未结束的不计入期间。", "No open period to end.")


def _c_extend_source_check(case: Case, on: dt.date) -> None:
    # 市场监督管理行政处罚程序规定 第十八条: one extension, approved by the head, before the period ends.
    if limits.source_check_period(case.domain.code) is None or case.source_check_due is None:
        raise refuse(
            "no_source_check_period",
            f"“{case.domain.name}”领域未规定案源核查期限，或期限尚待节假日安排公布后计算。",
            "The domain sets no check period for leads (or it cannot be counted yet).",
        )
    if case.source_check_extended_days:
        raise refuse(
            "source_check_already_extended",
            "案源核查期限已延长过一次（市场监督管理行政处罚程序规定第十八条）。",
            "The check period has already been extended once.",
        )
    if on > case.source_check_due:
        raise refuse(
            "source_check_expired",
            f"案源核查期限已于 {case.source_check_due:%Y-%m-%d} 届满，不能事后延长。",
            f"The check period ended on {case.source_check_due:%Y-%m-%d}.",
        )
