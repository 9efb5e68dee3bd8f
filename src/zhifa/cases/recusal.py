"""回避 — recusal of a case officer (行政处罚法 第四十三条).

执法人员与案件有直接利害关系或者有其他关系可能影响公正执法的，应当回避 (the officer declares it); 当事人认为
… 有权申请回避 (the party applies, an officer records it); 由行政机关负责人决定 (``cases.approve``); 决定作出
之前，不停止调查 — a pending application blocks nothing. A granted recusal takes the officer off the case; the
head may name a replacement at once, and the case keeps at least two officers entitled to enforce
(第四十二条) or the decision is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.cases import guards, limits
from zhifa.cases.guards import refuse
from zhifa.cases.models import Case, CaseOfficer, Recusal, RecusalInitiator
from zhifa.cases.services import _begin, _commit, _require_text
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.org.models import Officer, User
from zhifa.org.selectors import officer_can_enforce


def pending_recusal(case: Case) -> Recusal | None:
    """The oldest application not yet decided."""
    return case.recusals.filter(granted__isnull=True).select_related("officer").order_by("id").first()


@service
def recusal_apply(
    *,
    actor: User,
    case: Case | int,
    officer: Officer,
    grounds: str,
    initiator: str = RecusalInitiator.PARTY,
    on: dt.date | None = None,
) -> Recusal:
    """申请回避 / 自行回避 — recorded by an officer of the case; the investigation goes on (第四十三条第三款)."""
    case, on = _begin("apply_recusal", actor, case, on)
    if initiator not in RecusalInitiator.values:
        raise InvalidInput("请选择回避的提出方式。", "Unknown initiator.", field="initiator")
    grounds = _require_text(grounds, "grounds", "回避理由", 2000)
    if not case.officer_links.filter(officer=officer).exists():
        raise InvalidInput(
            "只能对本案的执法人员申请回避。", "The officer does not handle this case.", field="officer"
        )
    if case.recusals.filter(officer=officer, granted__isnull=True).exists():
        raise refuse(
            "recusal_pending",
            f"对{officer.name}的回避申请尚待机关负责人决定。",
            "A recusal application for this officer is pending.",
        )
    recusal = Recusal.objects.create(
        case=case, officer=officer, initiator=initiator, grounds=grounds, applied_on=on, applied_by=actor
    )
    _commit(
        case,
        actor=actor,
        code="apply_recusal",
        on=on,
        fields={},
        extra={
            "recusal_id": recusal.pk,
            "officer_ids": [officer.pk],
            "initiator": initiator,
            "grounds": grounds,
        },
    )
    return recusal


def _check_officers_after(case: Case, leaving: Officer, replacement: Officer | None, on: dt.date) -> None:
    """行政处罚法 第四十二条: at least two officers entitled to enforce remain once ``leaving`` is off the case."""
    able, _ = guards.eligible_officers(case, on)
    remaining = [o for o in able if o.pk != leaving.pk]
    if replacement is not None and officer_can_enforce(replacement, case.domain, on=on).allowed:
        remaining.append(replacement)
    if len(remaining) < limits.MIN_OFFICERS:
        raise RuleViolation(
            f"{leaving.name}回避后，本案具备执法资格的执法人员不足两名（行政处罚法第四十二条），"
            "请同时另行指定执法人员。",
            "After the recusal fewer than two entitled officers remain (Art. 42); name a replacement.",
            code="officers_insufficient",
            details={"eligible": len(remaining)},
        )


@service
def recusal_decide(
    *,
    actor: User,
    case: Case | int,
    granted: bool,
    reason: str,
    replacement: Officer | None = None,
    on: dt.date | None = None,
) -> Recusal:
    """回避决定 — the agency head decides the oldest pending application (第四十三条第三款).

    Granted: the officer leaves the case (the replacement, if named, joins it, as lead when the lead left).
    """
    case, on = _begin("decide_recusal", actor, case, on)
    recusal = pending_recusal(case)
    assert recusal is not None  # the transition's guard
    reason = _require_text(reason, "reason", "决定理由", 2000)
    leaving = recusal.officer
    if granted:
        if replacement is not None:
            if replacement.agency_id != case.agency_id:
                raise InvalidInput(
                    "另行指定的执法人员须为本机关执法人员。",
                    "The replacement must belong to the case's agency.",
                    field="replacement",
                )
            if replacement.pk == leaving.pk or case.officer_links.filter(officer=replacement).exists():
                raise InvalidInput(
                    "另行指定的执法人员不能是回避人员或已承办本案的人员。",
                    "The replacement must be a new officer of the case.",
                    field="replacement",
                )
        _check_officers_after(case, leaving, replacement, on)
    elif replacement is not None:
        raise InvalidInput(
            "驳回回避申请时不另行指定执法人员。",
            "No replacement when the application is refused.",
            field="replacement",
        )
    extra: dict[str, Any] = {"recusal_id": recusal.pk, "officer_ids": [leaving.pk], "granted": granted}
    if granted:
        link = case.officer_links.get(officer=leaving)
        link.delete()
        if replacement is not None:
            CaseOfficer.objects.create(
                case=case, officer=replacement, is_lead=link.is_lead, next_deadline=case.next_deadline
            )
            extra["replacement_id"] = replacement.pk
        elif link.is_lead:
            successor = case.officer_links.order_by("id").first()
            if successor is not None:
                successor.is_lead = True
                successor.save(update_fields=["is_lead"])
    recusal.granted = granted
    recusal.decision_reason = reason
    recusal.decided_on = on
    recusal.decided_by = actor
    recusal.replacement = replacement if granted else None
    recusal.save(update_fields=["granted", "decision_reason", "decided_on", "decided_by", "replacement"])
    _commit(case, actor=actor, code="decide_recusal", on=on, fields={}, extra={**extra, "reason": reason})
    return recusal
