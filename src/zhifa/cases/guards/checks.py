"""The generic guards the transitions share: dates, deadlines, the rights period, limitation, legal review,
collective discussion, seizures still in force, money owed.
"""

from __future__ import annotations

import datetime as dt

from zhifa.cases import fines, hooks, limits
from zhifa.cases.guards._common import refuse, today
from zhifa.cases.guards.penalty import (
    Penalty,
    collective_discussion_reasons,
    latest_legal_review,
    legal_review_reasons,
)
from zhifa.cases.models import Case, SeizureStatus
from zhifa.core.errors import ConfigurationMissing, InvalidInput, RuleViolation


def check_date(case: Case | None, on: dt.date, field: str = "on") -> None:
    """A step is dated today or earlier, and never before the previous step of the case."""
    if on > today():
        raise InvalidInput(
            "日期不能晚于今天。", "The date may not be in the future.", code="date_in_future", field=field
        )
    if case is not None and case.stage_entered_on and on < case.stage_entered_on:
        raise InvalidInput(
            f"日期不能早于上一环节（{case.stage_entered_on:%Y-%m-%d}）。",
            f"The date may not be before the previous step ({case.stage_entered_on:%Y-%m-%d}).",
            code="date_before_previous_step",
            field=field,
        )


def check_decision_deadline(case: Case, on: dt.date) -> None:
    """行政处罚法 第六十条: no step towards a decision after the decision period without an approved extension."""
    if case.decision_due and on > case.decision_due:
        raise refuse(
            "decision_overdue",
            f"已超过办案期限（{case.decision_due:%Y-%m-%d}），且未经批准延长（行政处罚法第六十条）。"
            "只能批准延长前办理，或作不予处罚、移送、撤案处理。",
            f"The decision period ended on {case.decision_due:%Y-%m-%d} without an approved extension (Art. 60).",
        )


def notice_period_due(case: Case, which: str) -> dt.date | None:
    """The last day of the statement (``"statement"``) or hearing request (``"hearing_request"``) period.

    行政处罚法 第六十四条第一项: 当事人要求听证的，应当在行政机关告知后五日内提出 — counted from the day the
    告知书 was served, so ``None`` while it has not been (the period is not running). Stored at service; when
    the year's holiday schedule was unknown then (stored empty), counted now, or ``None`` if still unknown.
    """
    stored = case.statement_due if which == "statement" else case.hearing_request_due
    if stored is not None or case.notice_served_on is None:
        return stored
    if which == "hearing_request" and not case.hearing_right:
        return None

    count = limits.statement_due if which == "statement" else limits.hearing_request_due
    try:
        return count(case.notice_served_on)
    except ConfigurationMissing:
        return None


def check_rights_period_over(case: Case, on: dt.date) -> None:
    """行政处罚法 第六十二条、第六十四条: hear the party (or let the periods pass) before deciding."""
    if case.hearing_requested_on and not case.hearing_over:
        raise refuse(
            "hearing_pending",
            "当事人已申请听证，听证举行前不得作出决定（行政处罚法第六十三条、第六十四条）。",
            "The party asked for a hearing; no decision before it is held (Art. 63, 64).",
        )
    if case.rights_waived_on or case.hearing_over:
        return
    # 行政处罚法 第六十四条第一项: the periods run from service of the 告知书; until then they have not begun.
    if case.notice_served_on is None:
        raise refuse(
            "notice_not_served",
            "事先告知书尚未送达当事人，陈述、申辩和听证申请期限尚未起算，不得作出决定"
            "（行政处罚法第四十四条、第六十二条、第六十四条第一项）；当事人明确放弃的除外。",
            "The rights notice has not been served; the party's periods have not begun (Art. 44, 62, 64).",
        )
    statement_due = notice_period_due(case, "statement")
    request_due = notice_period_due(case, "hearing_request") if case.hearing_right else None
    if statement_due is None or (case.hearing_right and request_due is None):
        raise refuse(
            "rights_period_pending",
            "陈述、申辩和听证申请期限待节假日安排公布后计算，期限确定并届满前不得作出决定。",
            "The party's periods cannot be counted until the year's holiday schedule is known.",
        )
    if on <= statement_due:
        raise refuse(
            "statement_period_open",
            f"陈述、申辩期限至 {statement_due:%Y-%m-%d} 届满，期满前（或当事人明确放弃前）不得作出决定"
            "（行政处罚法第四十四条、第四十五条、第六十二条）。",
            f"The statement period runs until {statement_due:%Y-%m-%d} (Art. 44, 45, 62).",
        )
    if request_due is not None and on <= request_due:
        raise refuse(
            "hearing_request_period_open",
            f"听证申请期限至 {request_due:%Y-%m-%d} 届满，期满前（或当事人明确放弃前）不得作出决定"
            "（行政处罚法第六十四条第一项、第八十五条）。",
            f"The hearing request period runs until {request_due:%Y-%m-%d} (Art. 64, 85).",
        )


def check_statement_reviewed(case: Case) -> None:
    """行政处罚法 第四十五条第一款: 对当事人提出的事实、理由和证据，应当进行复核 — before the decision."""
    received = case.statement_received_on
    if received and (case.statement_reviewed_on is None or case.statement_reviewed_on < received):
        raise refuse(
            "statement_not_reviewed",
            f"当事人于 {received:%Y-%m-%d} 提出的陈述、申辩尚未复核，复核前不得作出决定（行政处罚法第四十五条第一款）。",
            "The party's statement has not been reviewed; review it before deciding (Art. 45).",
        )


def check_limitation(case: Case) -> None:
    """行政处罚法 第三十六条: a violation not discovered within two (five) years is not punished."""
    if case.limitation_expired:
        raise refuse(
            "limitation_expired",
            "违法行为在法定期限内未被发现，已超过追责时效，不再给予行政处罚（行政处罚法第三十六条）；"
            "请作不予处罚处理。",
            "The limitation period had passed when the violation was discovered (Art. 36).",
        )


def check_legal_review(case: Case, penalty: Penalty) -> None:
    """行政处罚法 第五十八条: no decision on a major case without a legal review that agreed."""
    reasons = legal_review_reasons(case, penalty)
    if not reasons:
        return

    status = hooks.legal_review_status(case)
    if status is None:  # no review workflow answered: the built-in outcome record decides
        review = latest_legal_review(case)
        status = (False, "未经法制审核") if review is None else (review.agreed, "法制审核未通过")
    agreed, state = status
    if not agreed:
        raise RuleViolation(
            f"本案须经法制审核（{'；'.join(reasons)}），{state}，不得作出决定（行政处罚法第五十八条）。",
            "This case needs a legal review that agreed before the decision (Art. 58).",
            code="legal_review_required",
            details={"reasons": reasons},
        )


def check_collective_discussion(case: Case, penalty: Penalty) -> None:
    """行政处罚法 第五十七条第二款: the heads decide a complex or major case collectively."""
    reasons = collective_discussion_reasons(case, penalty)
    if reasons and not case.discussions.filter(notice_round=case.notice_round, purpose="decision").exists():
        raise RuleViolation(
            f"本案须由行政机关负责人集体讨论决定（{'；'.join(reasons)}；行政处罚法第五十七条第二款）。",
            "The agency heads must decide this case collectively (Art. 57).",
            code="collective_discussion_required",
            details={"reasons": reasons},
        )


def check_no_active_seizure(case: Case, what: str) -> None:
    """行政强制法 第二十八条: release what is sealed or seized once no longer needed."""
    if case.seizures.filter(status=SeizureStatus.ACTIVE).exists():
        raise refuse(
            "seizure_active",
            f"尚有未解除的查封、扣押，{what}前应先依法解除（行政强制法第二十八条）。",
            "Release the active seizure first (Administrative Compulsion Law Art. 28).",
        )


def owes_money(case: Case) -> bool:
    """A fine not paid — and not wholly offset by a criminal fine for the same act (行政处罚法 第三十五条)."""
    if not case.fine_yuan or case.paid_on is not None:
        return False
    # 行政处罚法 第四十八条第二款: a decision revoked or confirmed void no longer obliges the party to pay.
    if case.decision_correction in ("revoked", "invalid"):
        return False

    return fines.fine_payable(case) > 0


def _c_correct_decision(case: Case, on: dt.date) -> None:
    if case.decision_correction in ("revoked", "invalid"):
        raise refuse(
            "decision_already_revoked",
            "该行政处罚决定已被撤销或确认无效。",
            "The decision has already been revoked or confirmed void.",
        )
    if case.decided_on is None:
        raise refuse("not_decided", "本案尚未作出行政处罚决定。", "No decision has been made.")
