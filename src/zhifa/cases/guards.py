"""The state machine of a case and its guards: which transition may run from which stage, and why not.

Read-only. The services call :func:`precheck` before they write; ``selectors.case_next_actions`` calls the
same function to show a disabled action with the guard's reason. A guard raises
:class:`~zhifa.core.errors.RuleViolation` (HTTP 409) with a stable code and the article it enforces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zhifa.cases import fines, hooks, limits
from zhifa.cases.models import (
    EXIT_STAGES,
    PRE_DECISION_STAGES,
    Case,
    PenaltyKind,
    Procedure,
    SeizureKind,
    SeizureStatus,
    Stage,
)
from zhifa.cases.rules import APPROVE, COMPEL, DECIDE, INVESTIGATE, LEGAL_REVIEW, OPEN_CASE
from zhifa.core import clock
from zhifa.core.errors import ConfigurationMissing, InvalidInput, RuleViolation
from zhifa.evidence.required import required_records_missing
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.org.selectors import officer_can_enforce

S = Stage


def refuse(code: str, message: str, message_en: str) -> RuleViolation:
    return RuleViolation(message, message_en, code=code)


def catalog_basis(case: Case, on: dt.date | None = None) -> str:
    """The legal basis of the case's 执法事项 in force on ``on`` (law and article), or '' without one."""
    if not case.catalog_item_code:
        return ""
    return hooks.item_basis(case.agency_id, case.catalog_item_code, on or today())


def legal_basis(case: Case, basis: str | None, on: dt.date | None = None) -> str:
    """The basis a notice or a decision states: the one given, else the case's, else its 执法事项's.

    行政处罚法 第三十八条: a penalty without a basis is void. 第四十四条 (告知), 第五十二条 (当场处罚决定书) and
    第五十九条 (决定书) state the provisions violated and the basis of the penalty — refused without one.
    """
    text = (basis if basis is not None else (case.legal_basis or catalog_basis(case, on))).strip()
    if not text:
        # 行政处罚法 第三十八条、第四十四条、第五十九条
        raise InvalidInput(
            "请写明违法和处罚的法律依据（法律名称、条、款、项）；没有依据的行政处罚无效"
            "（行政处罚法第三十八条、第四十四条、第五十九条）。",
            "State the legal basis (law, article, clause); a penalty without a basis is void (Art. 38, 44, 59).",
            field="basis",
        )
    return text[:2000]


# --- hooks for later issues ----------------------------------------------------------------------------------


# Which evidence act type and stage a case step is checked against (执法记录要求清单, zhifa.evidence.required).
# ``stage`` here is the step of the case: "investigation" (调查终结), "service_execution" (结案) or
# "seizure" (查封、扣押 on site — the measure is served and executed on the spot, 行政强制法 第二十四条, so
# docs/evidence.md checks it at the evidence stage "service_execution").
_SEIZURE_ACT = {SeizureKind.SEAL: "compulsion.seizure", SeizureKind.DETAIN: "compulsion.detention"}
_RECORD_STAGE = {
    "investigation": "investigation",
    "service_execution": "service_execution",
    "seizure": "service_execution",
}


def record_act_type(case: Case, stage: str, seizure_kind: str | None = None) -> str:
    if stage == "seizure":
        if seizure_kind not in _SEIZURE_ACT:
            raise InvalidInput("措施类型无效。", "Unknown measure.", field="kind")
        return _SEIZURE_ACT[SeizureKind(seizure_kind)]
    return "penalty.simple" if case.procedure == Procedure.SIMPLE else "penalty.general"


def _required_records_missing(case: Case, stage: str, seizure_kind: str | None = None) -> list[str]:
    """必备记录 — what the full-process record still lacks for ``stage`` of ``case`` (names, Chinese).

    Evidence counts when stored against the case itself (``cases.case`` / its id) at the mapped evidence
    stage. Written records the case app makes itself vouch for the text rules (``extra_satisfied``): the
    on-the-spot decision and its handing over (简易程序, 行政处罚法 第五十二条) and the seizure decision with
    its inventory (行政强制法 第二十四条) are written by the service; the general procedure's 笔录 and 送达回证
    must be uploaded. Audio-video can never be vouched for: the on-site seizure needs a stored video.
    """
    act_type = record_act_type(case, stage, seizure_kind)
    vouched = {"text"} if act_type != "penalty.general" else None
    return required_records_missing(
        case._meta.label_lower, str(case.pk), act_type, _RECORD_STAGE[stage], extra_satisfied=vouched
    )


def check_required_records(case: Case, stage: str, what: str, seizure_kind: str | None = None) -> None:
    missing = _required_records_missing(case, stage, seizure_kind)
    if missing:
        raise RuleViolation(
            f"{what}前须补齐必备记录：{'、'.join(missing)}。",
            f"Required records are missing: {', '.join(missing)}.",
            code="required_records_missing",
            details={"missing": missing},
        )


# --- party kinds and thresholds ------------------------------------------------------------------------------


def party_kinds(case: Case) -> list[str]:
    cached = getattr(case, "_party_kinds", None)
    if cached is None:
        cached = list(case.party_links.values_list("party__kind", flat=True)) if case.pk else []
        case._party_kinds = cached  # type: ignore[attr-defined]
    return cached


def threshold(case: Case, citizen_key: str, organisation_key: str) -> Decimal:
    """The fine threshold for the case's parties: the citizen one if any party is a citizen (the stricter)."""
    kinds = party_kinds(case)
    if not kinds or any(limits.is_citizen(k) for k in kinds):
        return limits.setting_yuan(citizen_key)
    return limits.setting_yuan(organisation_key)


def _money(value: Any) -> Decimal:
    return Decimal(value) if value is not None else Decimal(0)


@dataclass(frozen=True)
class Penalty:
    kinds: tuple[str, ...]
    fine_yuan: Decimal
    confiscation_yuan: Decimal


def proposed_penalty(case: Case) -> Penalty:
    return Penalty(
        tuple(case.proposed_kinds or ()),
        _money(case.proposed_fine_yuan),
        _money(case.proposed_confiscation_yuan),
    )


def hearing_right_reasons(case: Case, penalty: Penalty) -> list[str]:
    """行政处罚法 第六十三条 — why the party may ask for a hearing on this proposed penalty."""
    reasons = []
    limit = threshold(case, "HEARING_FINE_CITIZEN_YUAN", "HEARING_FINE_ORGANISATION_YUAN")
    if PenaltyKind.FINE in penalty.kinds and penalty.fine_yuan >= limit:
        reasons.append(f"较大数额罚款（{penalty.fine_yuan} 元，标准 {limit} 元以上）")
    confiscating = {PenaltyKind.CONFISCATE_INCOME, PenaltyKind.CONFISCATE_PROPERTY} & set(penalty.kinds)
    if confiscating and penalty.confiscation_yuan >= limit:
        reasons.append(f"没收较大数额违法所得或较大价值非法财物（{penalty.confiscation_yuan} 元）")
    for kind in (
        PenaltyKind.LOWER_QUALIFICATION,
        PenaltyKind.REVOKE_LICENCE,
        PenaltyKind.STOP_BUSINESS,
        PenaltyKind.CLOSE,
        PenaltyKind.RESTRICT_PRACTICE,
    ):
        if kind in penalty.kinds:
            reasons.append(str(PenaltyKind(kind).label))
    return reasons


def _major_reasons(case: Case, penalty: Penalty) -> list[str]:
    reasons = []
    limit = threshold(case, "MAJOR_FINE_CITIZEN_YUAN", "MAJOR_FINE_ORGANISATION_YUAN")
    if PenaltyKind.FINE in penalty.kinds and penalty.fine_yuan >= limit:
        reasons.append(f"罚款 {penalty.fine_yuan} 元达到重大标准（{limit} 元以上）")
    confiscating = {PenaltyKind.CONFISCATE_INCOME, PenaltyKind.CONFISCATE_PROPERTY} & set(penalty.kinds)
    if confiscating and penalty.confiscation_yuan >= limit:
        reasons.append(f"没收金额/价值 {penalty.confiscation_yuan} 元达到重大标准")
    for kind in (PenaltyKind.REVOKE_LICENCE, PenaltyKind.STOP_BUSINESS, PenaltyKind.CLOSE):
        if kind in penalty.kinds:
            reasons.append(str(PenaltyKind(kind).label))
    return reasons


def legal_review_reasons(case: Case, penalty: Penalty, on: dt.date | None = None) -> list[str]:
    """行政处罚法 第五十八条 — why this decision needs legal review first (the catalog issue extends this).

    ``on``: as of that day (the agency's catalog then in force), for checking a decision already made.
    """
    reasons = _major_reasons(case, penalty)
    if case.hearing_held_on:
        reasons.append("经过听证程序（第五十八条第一款第二项）")
    if case.is_complex:
        reasons.append("案件情况疑难复杂（第五十八条第一款第三项）")
    for reason in hooks.extra_legal_review_reasons(case, penalty, on=on):
        if reason not in reasons:
            reasons.append(reason)
    return reasons


def collective_discussion_reasons(case: Case, penalty: Penalty) -> list[str]:
    """行政处罚法 第五十七条第二款 — complex circumstances or a major violation given a penalty."""
    reasons = _major_reasons(case, penalty)
    if case.is_complex:
        reasons.append("情节复杂")
    return reasons


def latest_legal_review(case: Case) -> Any:
    return case.legal_reviews.filter(notice_round=case.notice_round).order_by("-id").first()


# --- generic guards --------------------------------------------------------------------------------------------


def today() -> dt.date:
    return clock.today()


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


def eligible_officers(case: Case, on: dt.date) -> tuple[list[Any], list[str]]:
    """The case's officers who may enforce in its domain on ``on``, and why the others may not."""
    able: list[Any] = []
    reasons: list[str] = []
    for link in case.officer_links.select_related("officer").all():
        decision = officer_can_enforce(link.officer, case.domain, on=on)
        if decision.allowed:
            able.append(link.officer)
        else:
            reasons.extend(decision.reasons)
    return able, reasons


def check_officers(case: Case, on: dt.date) -> None:
    """行政处罚法 第四十二条、第五十五条: at least two officers who hold a valid certificate for the domain."""
    able, reasons = eligible_officers(case, on)
    if len(able) < limits.MIN_OFFICERS:
        detail = "；".join(reasons)
        raise RuleViolation(
            f"调查、检查和现场执法须由两名以上具备执法资格的执法人员进行（行政处罚法第四十二条、第五十五条），"
            f"本案仅有 {len(able)} 名。{detail}",
            f"At least two officers entitled to enforce in this domain are required (Art. 42, 55); "
            f"the case has {len(able)}.",
            code="officers_insufficient",
            details={"eligible": len(able), "reasons": reasons},
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


def _c_payment(case: Case, on: dt.date) -> None:
    if not case.fine_yuan:
        raise refuse("no_fine", "本案没有罚款。", "This case has no fine.")
    if case.paid_on:
        raise refuse("already_paid", "罚款已缴纳。", "The fine has been paid.")

    if fines.fine_payable(case) <= 0:
        # 行政处罚法 第三十五条第二款
        raise refuse(
            "fine_offset",
            "罚款已由人民法院判处的罚金全部折抵（行政处罚法第三十五条第二款）。",
            "The fine is wholly offset by the criminal fine (Art. 35).",
        )
    if fines.approved_plan(case) is not None:
        # 行政处罚法 第六十六条: an approved plan is paid instalment by instalment.
        raise refuse(
            "payment_plan_active",
            "已批准暂缓或者分期缴纳，请按期登记分期（暂缓）缴款（行政处罚法第六十六条）。",
            "A deferral or instalment plan is approved; record the instalments (Art. 66).",
        )


def _c_demand(case: Case, on: dt.date) -> None:
    if not owes_money(case):
        raise refuse("nothing_owed", "当事人没有未履行的罚款。", "Nothing is owed.")
    if hasattr(case, "enforcement"):
        raise refuse("demand_exists", "已经催告。", "A demand was already served.")

    plan = fines.approved_plan(case)
    if plan is not None:
        # 行政处罚法 第六十六条: while an approved plan is kept, no demand — only after an instalment is missed.
        if fines.missed_instalment(plan, on) is None:
            upcoming = plan.instalments.filter(paid_on__isnull=True).order_by("seq").first()
            until = f"，下一期缴纳期限 {upcoming.due_on:%Y-%m-%d}" if upcoming is not None else ""
            raise refuse(
                "payment_plan_not_missed",
                f"已批准暂缓或者分期缴纳{until}；当事人逾期未缴纳某一期后方可催告（行政处罚法第六十六条）。",
                "An approved plan is being kept; demand only after an instalment is missed (Art. 66).",
            )
        return
    # 行政处罚法 第六十七条: the party has fifteen days to pay; 行政强制法 第三十五条 demand comes after.
    due = case.payment_due
    if due is None and case.fine_yuan and case.served_on:
        # 期限待节假日安排公布后计算: counted now if the schedule is known; else no demand yet.

        try:
            due = limits.payment_due(case.served_on)
        except ConfigurationMissing:
            raise refuse(
                "payment_due_pending",
                "缴款期限待节假日安排公布后计算，期满未缴纳方可催告（行政处罚法第六十七条，行政强制法第三十五条）。",
                "The payment period cannot be counted before the holiday schedule is entered.",
            ) from None
    if due and on <= due:
        raise refuse(
            "payment_not_due",
            f"缴款期限至 {due:%Y-%m-%d}，期满未缴纳方可催告（行政处罚法第六十七条，行政强制法第三十五条）。",
            f"Payment is due by {due:%Y-%m-%d}; demand only after that.",
        )


def _c_court(case: Case, on: dt.date) -> None:
    enforcement = getattr(case, "enforcement", None)
    if enforcement is None:
        raise refuse(
            "demand_missing",
            "申请人民法院强制执行前，应当催告当事人履行义务（行政强制法第五十四条）。",
            "Serve a written demand before applying to the court (Art. 54).",
        )
    if enforcement.court_applied_on:
        raise refuse("court_already_applied", "已申请人民法院强制执行。", "Already applied to the court.")
    if not owes_money(case):
        raise refuse("nothing_owed", "当事人已履行。", "The party has performed.")
    # 行政强制法 第三十六条: the party's statement is recorded and reviewed (复核) before the agency goes on.
    if enforcement.statements.filter(reviewed_on__isnull=True).exists():
        raise refuse(
            "demand_statement_unreviewed",
            "当事人收到催告书后提出的陈述、申辩尚未复核；应当记录、复核，成立的予以采纳后，方可申请人民法院强制执行"
            "（行政强制法第三十六条）。",
            "The party's statement on the demand has not been reviewed (Art. 36).",
        )
    # 行政强制法 第五十四条、第六十九条: ten working days after the demand is served.
    if on <= enforcement.demand_due:
        raise refuse(
            "demand_period_open",
            f"催告书送达十个工作日后（{enforcement.demand_due:%Y-%m-%d} 之后）当事人仍未履行的，方可申请"
            "人民法院强制执行（行政强制法第五十四条、第六十九条）。",
            f"Apply only after {enforcement.demand_due:%Y-%m-%d} (Art. 54, 69).",
        )
    # 行政强制法 第五十三条: after the remedy periods, within three months.
    first, last = limits.court_application_window(case.served_on or on)

    plan = fines.approved_plan(case)
    missed = fines.missed_instalment(plan, on) if plan is not None else None
    if missed is not None:
        # 行政处罚法 第六十六条: the instalment was not due before its date; the three months (行政强制法
        # 第五十三条) run no earlier than from the missed instalment.
        last = max(
            last, limits.roll_over_days_off(limits.add_months(missed.due_on, limits.COURT_APPLICATION_MONTHS))
        )
    if on < first:
        raise refuse(
            "remedy_period_open",
            f"当事人申请行政复议、提起行政诉讼的法定期限至 {first - dt.timedelta(days=1):%Y-%m-%d} 届满，"
            "期满后方可申请人民法院强制执行（行政强制法第五十三条）。",
            f"The remedy periods end on {first - dt.timedelta(days=1):%Y-%m-%d} (Art. 53).",
        )
    if on > last:
        raise refuse(
            "court_window_closed",
            f"申请人民法院强制执行的期限已于 {last:%Y-%m-%d} 届满（期限届满之日起三个月，行政强制法第五十三条）。",
            f"The three months to apply ended on {last:%Y-%m-%d} (Art. 53).",
        )


def _c_demand_statement(case: Case, on: dt.date) -> None:
    # 行政强制法 第三十六条: 当事人收到催告书后有权进行陈述和申辩.
    enforcement = getattr(case, "enforcement", None)
    if enforcement is None:
        raise refuse("demand_missing", "尚未催告。", "No demand has been served.")
    if enforcement.court_applied_on:
        raise refuse("court_already_applied", "已申请人民法院强制执行。", "Already applied to the court.")


def _c_demand_statement_review(case: Case, on: dt.date) -> None:
    enforcement = getattr(case, "enforcement", None)
    if enforcement is None or not enforcement.statements.filter(reviewed_on__isnull=True).exists():
        raise refuse(
            "no_statement_to_review",
            "没有待复核的陈述、申辩。",
            "No statement is waiting for review.",
        )


def _c_close(case: Case, on: dt.date) -> None:
    if owes_money(case) and not (hasattr(case, "enforcement") and case.enforcement.court_applied_on):
        raise refuse(
            "obligation_open",
            "罚款未缴纳，也未申请人民法院强制执行，不能结案。",
            "The fine is neither paid nor sent to the court for enforcement.",
        )
    if case.procedure == Procedure.SIMPLE and not case.filed_on:
        raise refuse(
            "not_filed",
            "当场作出的行政处罚决定尚未报所属行政机关备案（行政处罚法第五十二条第三款）。",
            "The on-the-spot decision has not been filed with the agency (Art. 52).",
        )
    check_no_active_seizure(case, "结案")
    collection = getattr(case, "collection", None)
    if collection is not None and not collection.banked_on:
        # 行政处罚法 第七十一条: money collected on the spot goes to the agency and on to the bank first.
        raise refuse(
            "collection_not_banked",
            "当场收缴的罚款尚未交至行政机关并缴付指定的银行（行政处罚法第七十一条），不能结案。",
            "The fine collected on the spot has not reached the bank (Art. 71).",
        )
    check_required_records(case, "service_execution", "结案")


def _c_finish_without_decision(case: Case, on: dt.date) -> None:
    check_no_active_seizure(case, "办结")


def _c_simple_file(case: Case, on: dt.date) -> None:
    if case.procedure != Procedure.SIMPLE:
        raise refuse("not_simple", "只有简易程序案件需要备案。", "Only on-the-spot decisions are filed.")
    if case.filed_on:
        raise refuse("already_filed", "已备案。", "Already filed.")


def _c_seizure(case: Case, on: dt.date) -> None:
    # 行政强制法 第十八条第二项: carried out by two or more officers.
    check_officers(case, on)


# --- the transitions -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    code: str
    label: str
    action: str
    from_stages: frozenset[str]
    to_stage: str | None  # None: the stage stays
    check: Callable[[Case, dt.date], None] | None = None
    procedures: frozenset[str] = field(default_factory=lambda: frozenset({Procedure.GENERAL}))


_BOTH = frozenset({Procedure.GENERAL, Procedure.SIMPLE})
_AFTER_REVIEW = frozenset({S.REVIEW, S.NOTIFIED, S.HEARING, S.LEGAL_REVIEW, S.COLLECTIVE_DISCUSSION})
_DECIDABLE = frozenset({S.NOTIFIED, S.HEARING, S.LEGAL_REVIEW, S.COLLECTIVE_DISCUSSION})

TRANSITIONS: dict[str, Transition] = {
    t.code: t
    for t in (
        Transition("open", "立案", OPEN_CASE, frozenset({S.SOURCE}), S.OPENED),
        Transition("not_open", "不予立案", OPEN_CASE, frozenset({S.SOURCE}), S.NOT_OPENED),
        Transition(
            "extend_source_check",
            "延长案源核查期限",
            APPROVE,
            frozenset({S.SOURCE}),
            None,
            _c_extend_source_check,
        ),
        Transition(
            "start_investigation",
            "开始调查取证",
            INVESTIGATE,
            frozenset({S.OPENED}),
            S.INVESTIGATION,
            _c_investigation,
        ),
        Transition(
            "end_investigation",
            "调查终结",
            INVESTIGATE,
            frozenset({S.INVESTIGATION}),
            S.REVIEW,
            _c_end_investigation,
        ),
        Transition("notify_rights", "事先告知", INVESTIGATE, frozenset({S.REVIEW}), S.NOTIFIED, _c_deadline),
        Transition("record_statement", "记录陈述申辩", INVESTIGATE, frozenset({S.NOTIFIED}), None),
        Transition("waive_rights", "当事人放弃陈述申辩和听证", INVESTIGATE, frozenset({S.NOTIFIED}), None),
        # 行政处罚法 第六十四条第一项: the party's periods run from service of the 告知书.
        Transition(
            "serve_notice", "送达事先告知书", INVESTIGATE, frozenset({S.NOTIFIED}), None, _c_serve_notice
        ),
        # 行政处罚法 第四十五条第一款: 对当事人提出的事实、理由和证据，应当进行复核.
        Transition("review_statement", "陈述申辩复核", INVESTIGATE, _DECIDABLE, None, _c_review_statement),
        Transition(
            "request_hearing",
            "当事人申请听证",
            INVESTIGATE,
            frozenset({S.NOTIFIED}),
            S.HEARING,
            _c_request_hearing,
        ),
        Transition(
            "schedule_hearing", "通知听证", INVESTIGATE, frozenset({S.HEARING}), None, _c_schedule_hearing
        ),
        Transition("hold_hearing", "举行听证", INVESTIGATE, frozenset({S.HEARING}), None, _c_hold_hearing),
        # 行政处罚法 第六十四条第六项: 无正当理由拒不出席或者未经许可中途退出的，视为放弃听证权利，终止听证.
        Transition(
            "end_hearing_absent",
            "终止听证（当事人缺席或中途退出）",
            INVESTIGATE,
            frozenset({S.HEARING}),
            None,
            _c_hold_hearing,
        ),
        Transition(
            "submit_legal_review",
            "提交法制审核",
            INVESTIGATE,
            frozenset({S.NOTIFIED, S.HEARING}),
            S.LEGAL_REVIEW,
            _c_after_rights,
        ),
        Transition("record_legal_review", "法制审核意见", LEGAL_REVIEW, frozenset({S.LEGAL_REVIEW}), None),
        Transition(
            "collective_discussion",
            "集体讨论",
            DECIDE,
            frozenset({S.NOTIFIED, S.HEARING, S.LEGAL_REVIEW}),
            S.COLLECTIVE_DISCUSSION,
            _c_collective,
        ),
        Transition("decide", "作出处罚决定", DECIDE, _DECIDABLE, S.DECIDED, _c_decide),
        Transition(
            "return_to_investigation",
            "退回补充调查",
            INVESTIGATE,
            _AFTER_REVIEW,
            S.INVESTIGATION,
            _c_investigation,
        ),
        Transition("extend_deadline", "延长办案期限", APPROVE, PRE_DECISION_STAGES, None, _c_extend),
        # 市场监督管理行政处罚程序规定 第六十四条第三款: periods left out of the decision period.
        Transition(
            "record_excluded_period",
            "登记不计入办案期限的期间",
            INVESTIGATE,
            PRE_DECISION_STAGES,
            None,
            _c_record_period,
        ),
        Transition(
            "end_excluded_period", "结束不计入期间", INVESTIGATE, PRE_DECISION_STAGES, None, _c_end_period
        ),
        Transition("serve", "送达决定书", INVESTIGATE, frozenset({S.DECIDED}), S.SERVED),
        Transition(
            "record_payment",
            "登记缴款",
            INVESTIGATE,
            frozenset({S.SERVED, S.EXECUTING}),
            None,
            _c_payment,
            _BOTH,
        ),
        Transition(
            "enforcement_demand",
            "催告",
            COMPEL,
            frozenset({S.SERVED, S.EXECUTING}),
            S.EXECUTING,
            _c_demand,
            _BOTH,
        ),
        # 行政强制法 第三十六条: the party's statement on the demand, recorded and reviewed (复核).
        Transition(
            "demand_statement",
            "记录催告后陈述申辩",
            COMPEL,
            frozenset({S.EXECUTING}),
            None,
            _c_demand_statement,
            _BOTH,
        ),
        Transition(
            "demand_statement_review",
            "复核陈述申辩",
            APPROVE,
            frozenset({S.EXECUTING}),
            None,
            _c_demand_statement_review,
            _BOTH,
        ),
        Transition(
            # 行政强制法 第五十五条: the application bears the head's signature — the head applies.
            "court_application",
            "申请法院强制执行",
            APPROVE,
            frozenset({S.EXECUTING}),
            None,
            _c_court,
            _BOTH,
        ),
        Transition("close", "结案", APPROVE, frozenset({S.SERVED, S.EXECUTING}), S.CLOSED, _c_close, _BOTH),
        Transition("archive", "归档", APPROVE, frozenset({S.CLOSED}) | EXIT_STAGES, S.ARCHIVED, None, _BOTH),
        Transition(
            "not_punish", "不予处罚", DECIDE, _AFTER_REVIEW, S.NOT_PUNISHED, _c_finish_without_decision
        ),
        Transition("transfer", "移送", DECIDE, frozenset({S.SOURCE}) | PRE_DECISION_STAGES, S.TRANSFERRED),
        Transition("withdraw", "撤案", APPROVE, PRE_DECISION_STAGES, S.WITHDRAWN, _c_finish_without_decision),
        Transition(
            "simple_file",
            "当场处罚备案",
            INVESTIGATE,
            frozenset({S.SERVED, S.EXECUTING, S.CLOSED}),
            None,
            _c_simple_file,
            frozenset({Procedure.SIMPLE}),
        ),
        Transition("seizure_decide", "查封、扣押", COMPEL, PRE_DECISION_STAGES, None, _c_seizure),
        # 行政处罚法 第四十八条第二款: the head revokes or changes the agency's own decision; the published
        # decision information is then withdrawn within three (working) days.
        Transition(
            "revoke_decision",
            "撤销行政处罚决定",
            APPROVE,
            frozenset({S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED}),
            None,
            _c_correct_decision,
            _BOTH,
        ),
        Transition(
            "change_decision",
            "变更行政处罚决定",
            APPROVE,
            frozenset({S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED}),
            None,
            _c_correct_decision,
            _BOTH,
        ),
        # 重大执法决定法制审核 (国办发〔2018〕118号): a major measure is reviewed before the head approves it.
        Transition("seizure_legal_review", "查封、扣押法制审核", LEGAL_REVIEW, PRE_DECISION_STAGES, None),
        # 行政处罚法 第四十三条: the party applies (or the officer declares) and the agency head decides; the
        # investigation is not stopped meanwhile, so neither is any other step.
        Transition("apply_recusal", "申请回避", INVESTIGATE, PRE_DECISION_STAGES, None),
        Transition("decide_recusal", "回避决定", APPROVE, PRE_DECISION_STAGES, None, _c_decide_recusal),
        # 行政处罚法 第七十三条第三款: a pending 复议/诉讼 stops the surcharge, so it is recorded on the case.
        Transition(
            "record_remedy",
            "登记行政复议、行政诉讼",
            INVESTIGATE,
            frozenset({S.SERVED, S.EXECUTING, S.CLOSED}),
            None,
            None,
            _BOTH,
        ),
        # 行政处罚法 第三十五条: a criminal judgment on the same act; its 罚金 offsets the fine.
        Transition(
            "record_criminal_judgment",
            "登记刑事判决（罚金折抵）",
            INVESTIGATE,
            PRE_DECISION_STAGES | {S.DECIDED, S.SERVED, S.EXECUTING},
            None,
            None,
            _BOTH,
        ),
        # 行政处罚法 第六十六条: 暂缓或者分期缴纳 — the party applies, the agency (head) approves.
        Transition(
            "payment_plan_apply",
            "登记暂缓、分期缴纳申请",
            INVESTIGATE,
            frozenset({S.SERVED, S.EXECUTING}),
            None,
            fines.c_plan_apply,
            _BOTH,
        ),
        Transition(
            "payment_plan_approve",
            "审批暂缓、分期缴纳",
            APPROVE,
            frozenset({S.SERVED, S.EXECUTING}),
            None,
            fines.c_plan_decide,
            _BOTH,
        ),
        Transition(
            "instalment_pay",
            "登记分期（暂缓）缴款",
            INVESTIGATE,
            frozenset({S.SERVED, S.EXECUTING}),
            None,
            fines.c_instalment_pay,
            _BOTH,
        ),
        # 行政处罚法 第六十八条至第七十一条: 当场收缴罚款, handed in to the agency, then to the bank.
        Transition(
            "collect_on_spot",
            "当场收缴罚款",
            INVESTIGATE,
            frozenset({S.SERVED, S.EXECUTING}),
            None,
            fines.c_collect,
            _BOTH,
        ),
        Transition(
            "collection_hand_in",
            "当场收缴的罚款交至机关",
            INVESTIGATE,
            frozenset({S.SERVED, S.EXECUTING}),
            None,
            fines.c_hand_in,
            _BOTH,
        ),
        Transition(
            "collection_bank",
            "当场收缴的罚款缴付银行",
            APPROVE,
            frozenset({S.SERVED, S.EXECUTING}),
            None,
            fines.c_bank,
            _BOTH,
        ),
    )
}

# Every stage change the machine allows; the stateful test proves no case moves along any other edge.
ALLOWED_EDGES: frozenset[tuple[str, str]] = frozenset(
    (src, t.to_stage) for t in TRANSITIONS.values() if t.to_stage for src in t.from_stages
) | {("", S.SOURCE), ("", S.SERVED)}


def check_stage(case: Case, transition: Transition) -> None:
    if case.procedure not in transition.procedures:
        raise refuse(
            "procedure_not_allowed",
            f"{Procedure(case.procedure).label}案件不能“{transition.label}”。",
            f"'{transition.code}' does not apply to a {case.procedure} procedure case.",
        )
    if case.stage not in transition.from_stages:
        raise RuleViolation(
            f"案件处于“{Stage(case.stage).label}”环节，不能“{transition.label}”。",
            f"The case is at stage '{case.stage}'; '{transition.code}' is not allowed there.",
            code="stage_not_allowed",
            details={"stage": case.stage, "action": transition.code},
        )


def precheck(code: str, actor: User, case: Case, on: dt.date, *, request: Any = None) -> Transition:
    """Permission, stage and the input-independent guards of a transition; raises the first refusal."""
    transition = TRANSITIONS[code]
    perms.require(actor, transition.action, case, request=request)
    check_stage(case, transition)
    if transition.check is not None:
        transition.check(case, on)

    hooks.run_checks(code, case, actor=actor, on=on, changes=None)
    return transition
