"""出口: not punished, transferred, withdrawn."""

from __future__ import annotations

import datetime as dt

from zhifa.cases import fines
from zhifa.cases.models import (
    Case,
    NotPunishReason,
    Stage,
    TransferFeedback,
    TransferReceipt,
    TransferTarget,
)
from zhifa.cases.rules import INVESTIGATE, RECEIVE_TRANSFER
from zhifa.cases.services._common import _begin, _commit, _locked, _require_text
from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, User
from zhifa.records.services import record_append


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
    *,
    actor: User,
    case: Case | int,
    target: str,
    target_name: str,
    reason: str,
    on: dt.date | None = None,
    receiver: Agency | None = None,
) -> Case:
    """移送 — to the competent agency, or to the judicial organs when a crime is suspected (第二十七条).

    ``receiver``: the agency on the platform the case goes to (移送其他行政机关); it then acknowledges receipt
    and answers itself (``transfer_acknowledge``, ``transfer_feedback``)."""
    case, on = _begin("transfer", actor, case, on)
    if target not in TransferTarget.values:
        raise InvalidInput("移送对象无效。", "Unknown transfer target.", field="target")
    if receiver is not None:
        if target != TransferTarget.AGENCY:
            raise InvalidInput(
                "只有移送其他行政机关时才能选择平台内的接收单位。",
                "A receiving agency is only for a transfer to an agency.",
                field="receiver",
            )
        if receiver.pk == case.agency_id:
            raise InvalidInput("不能移送给本机关。", "Cannot transfer to the same agency.", field="receiver")
        target_name = target_name or receiver.name
    TransferReceipt.objects.create(case=case, receiver=receiver)
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
        extra={"receiver_id": receiver.pk} if receiver else None,
    )


def _locked_receipt(case: Case | int) -> tuple[Case, TransferReceipt]:
    case = _locked(case)
    receipt = (
        TransferReceipt.objects.select_for_update(of=("self",))
        .filter(case=case)
        .select_related("receiver")
        .first()
    )
    if case.stage != Stage.TRANSFERRED or receipt is None:
        raise RuleViolation("该案件未移送。", "The case was not transferred.", code="case_not_transferred")
    return case, receipt


def _may_answer(actor: User, case: Case, receipt: TransferReceipt) -> None:
    """Who records the receiving organ's answer: the receiving agency itself when it is on the platform, else
    the transferring agency (from the paper 回执 / 反馈 of the 公安机关 or 检察院, 行刑衔接)."""
    if receipt.receiver_id is not None:
        perms.require(actor, RECEIVE_TRANSFER, receipt)
    else:
        perms.require(actor, INVESTIGATE, case)


def _receipt_day(on: dt.date | None, after: dt.date | None, field: str, label: str) -> dt.date:
    on = on or clock.today()
    if on > clock.today():
        raise InvalidInput(f"{label}不能晚于今天。", f"{field} is in the future.", field=field)
    if after is not None and on < after:
        raise InvalidInput(
            f"{label}不能早于移送（接收）日期。", f"{field} precedes the transfer.", field=field
        )
    return on


@service
def transfer_acknowledge(
    *, actor: User, case: Case | int, receipt_no: str = "", on: dt.date | None = None
) -> TransferReceipt:
    """接收回执 — the receiving organ acknowledges the transferred case (on the platform: its head; for the
    judicial organs: the transferring agency records the 回执 number)."""
    case, receipt = _locked_receipt(case)
    _may_answer(actor, case, receipt)
    if receipt.received_on is not None:
        raise RuleViolation("已登记接收回执。", "The receipt is already recorded.", code="transfer_received")
    receipt.received_on = _receipt_day(on, case.ended_on, "on", "接收日期")
    receipt.receipt_no = (receipt_no or "").strip()[:100]
    if receipt.receiver_id is None and not receipt.receipt_no:
        raise InvalidInput("请填写接收机关出具的回执编号。", "Give the receipt number.", field="receipt_no")
    receipt.acknowledged_by = actor
    receipt.save(update_fields=["received_on", "receipt_no", "acknowledged_by"])
    record_append(
        actor=actor,
        action="case.transfer_receipt",
        obj=case,
        changes={"received_on": receipt.received_on.isoformat(), "receipt_no": receipt.receipt_no},
    )
    return receipt


@service
def transfer_feedback(
    *, actor: User, case: Case | int, result: str, text: str, on: dt.date | None = None
) -> TransferReceipt:
    """接收机关反馈 — accepted (立案), declined or returned, after the receipt."""
    case, receipt = _locked_receipt(case)
    _may_answer(actor, case, receipt)
    if receipt.received_on is None:
        raise RuleViolation("请先登记接收回执。", "Record the receipt first.", code="transfer_not_received")
    if receipt.feedback:
        raise RuleViolation("已登记反馈。", "The feedback is already recorded.", code="transfer_answered")
    if result not in TransferFeedback.values:
        raise InvalidInput("反馈结果无效。", "Unknown result.", field="result")
    receipt.feedback = result
    receipt.feedback_text = _require_text(text, "text", "反馈内容", 2000)
    receipt.feedback_on = _receipt_day(on, receipt.received_on, "on", "反馈日期")
    receipt.save(update_fields=["feedback", "feedback_text", "feedback_on"])
    record_append(
        actor=actor,
        action="case.transfer_feedback",
        obj=case,
        changes={
            "result": result,
            "text": receipt.feedback_text,
            "feedback_on": receipt.feedback_on.isoformat(),
        },
    )
    return receipt


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
