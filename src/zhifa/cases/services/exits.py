"""出口: not punished, transferred, withdrawn."""

from __future__ import annotations

import datetime as dt

from zhifa.cases import fines
from zhifa.cases.models import Case, NotPunishReason, Stage, TransferTarget
from zhifa.cases.services._common import _begin, _commit, _require_text
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.org.models import User


@service
def case_not_punish(
    *, actor: User, case: Case | int, reason: str, note: str = "", on: dt.date | None = None
) -> Case:
    """不予处罚 — e.g. first-time minor violation corrected in time (第三十三条), facts not established."""
    case, on = _begin("not_punish", actor, case, on)
    if reason not in NotPunishReason.values:
        raise InvalidInput("不予处罚理由无效。", "Unknown reason.", field="reason")
    if reason == NotPunishReason.OTHER and not note.strip():
        raise InvalidInput("请说明不予处罚的具体理由。", "Explain the reason.", field="note")
    if reason == NotPunishReason.UNDER_14:
        # 行政处罚法 第三十条: under fourteen at the act date, read from the resident ID.
        fines.check_under_14(case, note)
    if reason == NotPunishReason.MENTAL_INCAPACITY and not note.strip():
        # 行政处罚法 第三十一条: the incapacity at the time of the act is shown (鉴定意见、病历等).
        raise RuleViolation(
            "请在说明中写明认定当事人行为时不能辨认或者不能控制自己行为的依据（如司法鉴定意见、诊断证明）"
            "（行政处罚法第三十一条）。",
            "State the basis (e.g. a forensic appraisal) of the incapacity at the time of the act (Art. 31).",
            code="mental_basis_required",
            field="note",
        )
    return _commit(
        case,
        actor=actor,
        code="not_punish",
        on=on,
        fields={"not_punish_reason": reason, "ended_on": on, "end_reason": note[:500]},
        to_stage=Stage.NOT_PUNISHED,
        extra={"overdue": bool(case.decision_due and on > case.decision_due)},
    )


@service
def case_transfer(
    *, actor: User, case: Case | int, target: str, target_name: str, reason: str, on: dt.date | None = None
) -> Case:
    """移送 — to the competent agency, or to the judicial organs when a crime is suspected (第二十七条)."""
    case, on = _begin("transfer", actor, case, on)
    if target not in TransferTarget.values:
        raise InvalidInput("移送对象无效。", "Unknown transfer target.", field="target")
    return _commit(
        case,
        actor=actor,
        code="transfer",
        on=on,
        fields={
            "transfer_target": target,
            "transfer_target_name": _require_text(target_name, "target_name", "接收机关", 200),
            "ended_on": on,
            "end_reason": _require_text(reason, "reason", "移送理由"),
        },
        to_stage=Stage.TRANSFERRED,
    )


@service
def case_withdraw(*, actor: User, case: Case | int, reason: str, on: dt.date | None = None) -> Case:
    """撤案 — the case is withdrawn (e.g. no jurisdiction, the party died), approved by the head."""
    case, on = _begin("withdraw", actor, case, on)
    return _commit(
        case,
        actor=actor,
        code="withdraw",
        on=on,
        fields={"ended_on": on, "end_reason": _require_text(reason, "reason", "撤案理由")},
        to_stage=Stage.WITHDRAWN,
    )
