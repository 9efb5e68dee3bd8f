"""纠正行政处罚决定 — the agency head revokes or changes the agency's own decision, and a 复议/诉讼 outcome that
revokes, changes, or finds the decision unlawful or void is recorded on the case the same way.

行政处罚法 第四十八条第二款: 公开的行政处罚决定被依法变更、撤销、确认违法或者确认无效的，行政机关应当在三日内
撤回行政处罚决定信息并公开说明理由. 第八十五条 makes those three days working days. The case keeps the
correction (kind, day, reason) and ``withdrawal_due``; the disclosure app — which publishes decisions — reads it
after the step (``zhifa.cases.hooks``): a publication not yet public is withdrawn at once, a public one is
flagged to supervision until it is withdrawn, as overdue after ``withdrawal_due``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from zhifa.cases import guards, limits
from zhifa.cases.models import Case, CaseRemedy, DecisionCorrection
from zhifa.core.transactions import service
from zhifa.org.models import User

# stats.RemedyOutcome (复议决定 / 判决) that undo the decision or find it unlawful or void -> the correction
REMEDY_CORRECTIONS: dict[str, str] = {
    "revoked": DecisionCorrection.REVOKED,
    "changed": DecisionCorrection.CHANGED,
    "confirmed_illegal": DecisionCorrection.UNLAWFUL,
    "confirmed_void": DecisionCorrection.INVALID,
}


def correction_fields(case: Case, kind: str, on: dt.date, reason: str) -> dict[str, Any]:
    """The case fields a correction writes, the withdrawal deadline among them (pending while the schedule of
    its year is unknown: ``services._due_or_pending``)."""
    from zhifa.cases import services  # local import: cases.services imports this module at load (cycle)

    return {
        "decision_correction": kind,
        "decision_corrected_on": on,
        "decision_correction_reason": reason[:500],
        # 行政处罚法 第四十八条第二款、第八十五条: three working days to withdraw what was published.
        "withdrawal_due": services._due_or_pending(case, "撤回公示期限", lambda: limits.withdrawal_due(on)),
    }


def remedy_correction_fields(case: Case, remedy: CaseRemedy, on: dt.date) -> dict[str, Any]:
    """A decided 复议/诉讼 whose outcome undoes the decision: the correction fields, else nothing."""
    kind = REMEDY_CORRECTIONS.get(remedy.outcome or "")
    if kind is None or remedy.decided_on is None:
        return {}
    label = f"{remedy.get_kind_display()}{(' ' + remedy.number) if remedy.number else ''}：{remedy.get_outcome_display()}"
    return correction_fields(case, kind, on, label)


@service
def case_revoke_decision(*, actor: User, case: Case | int, reason: str, on: dt.date | None = None) -> Case:
    """撤销行政处罚决定 — the head revokes the agency's own decision (自行纠错), with the reason; the party owes
    nothing under it any more, and its publication must be withdrawn within three working days (第四十八条)."""
    from zhifa.cases import services  # local import: cases.services imports this module at load (cycle)

    case, on = services._begin("revoke_decision", actor, case, on)
    reason = services._require_text(reason, "reason", "撤销理由")
    return services._commit(
        case,
        actor=actor,
        code="revoke_decision",
        on=on,
        fields=correction_fields(case, DecisionCorrection.REVOKED, on, reason),
    )


@service
def case_change_decision(
    *,
    actor: User,
    case: Case | int,
    reason: str,
    kinds: Sequence[str],
    fine_yuan: Any = None,
    confiscation_yuan: Any = None,
    text: str = "",
    on: dt.date | None = None,
) -> Case:
    """变更行政处罚决定 — the head changes the agency's own decision to a lighter one (a heavier penalty needs a
    new notice and decision, 行政处罚法 第四十四条、第四十五条); the published decision is withdrawn within three
    working days (第四十八条第二款) and the changed one published in its place."""
    from zhifa.cases import services  # local import: cases.services imports this module at load (cycle)

    case, on = services._begin("change_decision", actor, case, on)
    reason = services._require_text(reason, "reason", "变更理由")
    penalty = services._penalty(kinds, fine_yuan, confiscation_yuan)
    current = guards.Penalty(
        tuple(case.penalty_kinds), case.fine_yuan or Decimal(0), case.confiscation_yuan or Decimal(0)
    )
    heavier = (
        not set(penalty.kinds) <= set(current.kinds)
        or penalty.fine_yuan > current.fine_yuan
        or penalty.confiscation_yuan > current.confiscation_yuan
    )
    if heavier:
        raise guards.refuse(
            "change_heavier",
            "变更后的处罚不得重于原决定；加重处罚须重新告知并作出决定（行政处罚法第四十四条、第四十五条）。",
            "A change may not make the penalty heavier (Art. 44, 45).",
        )
    fields = correction_fields(case, DecisionCorrection.CHANGED, on, reason)
    fields.update(
        {
            "penalty_kinds": list(penalty.kinds),
            "fine_yuan": penalty.fine_yuan or None,
            "confiscation_yuan": penalty.confiscation_yuan or None,
            "decision_text": text or case.decision_text,
        }
    )
    return services._commit(
        case,
        actor=actor,
        code="change_decision",
        on=on,
        fields=fields,
        extra={"previous_kinds": list(current.kinds), "previous_fine_yuan": current.fine_yuan},
    )
