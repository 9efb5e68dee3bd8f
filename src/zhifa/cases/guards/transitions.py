"""The state machine of a case: ``TRANSITIONS`` (which transition may run from which stage), the allowed edges,
the stage check and :func:`precheck`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zhifa.cases import fines, hooks
from zhifa.cases.guards._common import S, refuse
from zhifa.cases.guards.checks import _c_correct_decision
from zhifa.cases.guards.execution import (
    _c_close,
    _c_court,
    _c_demand,
    _c_demand_statement,
    _c_demand_statement_review,
    _c_finish_without_decision,
    _c_payment,
    _c_seizure,
    _c_simple_file,
)
from zhifa.cases.guards.steps import (
    _c_after_rights,
    _c_collective,
    _c_deadline,
    _c_decide,
    _c_decide_recusal,
    _c_end_investigation,
    _c_end_period,
    _c_extend,
    _c_extend_source_check,
    _c_hold_hearing,
    _c_investigation,
    _c_record_period,
    _c_request_hearing,
    _c_review_statement,
    _c_schedule_hearing,
    _c_serve_notice,
)
from zhifa.cases.models import EXIT_STAGES, PRE_DECISION_STAGES, Case, Procedure, Stage
from zhifa.cases.rules import APPROVE, COMPEL, DECIDE, INVESTIGATE, LEGAL_REVIEW, OPEN_CASE
from zhifa.core.errors import RuleViolation
from zhifa.org import permissions as perms
from zhifa.org.models import User

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
