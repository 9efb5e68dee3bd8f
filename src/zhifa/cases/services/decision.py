"""决定、送达、执行: decide, serve, record payment, demand, apply to the court, close and archive."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from zhifa.cases import fines, guards, limits
from zhifa.cases.guards import Penalty, refuse
from zhifa.cases.models import Case, EnforcementDemand, ServiceMethod, Stage
from zhifa.cases.services._common import _begin, _commit, _penalty, _require_text
from zhifa.cases.services.deadlines import _due_or_pending, _effective_payment_due
from zhifa.cases.services.remedies import remedy_periods
from zhifa.core.errors import ConfigurationMissing, InvalidInput, RuleViolation
from zhifa.core.textlimits import check_length
from zhifa.core.transactions import service
from zhifa.org.models import User


@service
def case_decide(
    *,
    actor: User,
    case: Case | int,
    kinds: Sequence[str],
    fine_yuan: Any = None,
    confiscation_yuan: Any = None,
    text: str = "",
    on: dt.date | None = None,
    basis: str | None = None,
    different_act_reason: str = "",
) -> Case:
    """作出行政处罚决定 — by the agency head, after notice, hearing, legal review and discussion as required.

    ``different_act_reason``: as in :func:`case_notify_rights` (一事不二罚, 第二十九条)."""
    case, on = _begin("decide", actor, case, on)
    penalty = _penalty(kinds, fine_yuan, confiscation_yuan)
    # 行政处罚法 第三十五条第二款、第二十九条
    fines.check_no_fine_after_criminal_fine(case, penalty.kinds)
    double = _double_fine_extra(case, penalty, different_act_reason)
    proposed = guards.proposed_penalty(case)
    # 行政处罚法 第四十四条、第四十五条: the decision may not go beyond what the party was told and heard on.
    heavier = (
        not set(penalty.kinds) <= set(proposed.kinds)
        or penalty.fine_yuan > proposed.fine_yuan
        or penalty.confiscation_yuan > proposed.confiscation_yuan
    )
    if heavier:
        raise refuse(
            "heavier_than_notified",
            "决定的处罚重于事先告知的内容，须退回并重新告知当事人（行政处罚法第四十四条、第四十五条）。",
            "The decision is heavier than the notified penalty; notify the party again (Art. 44, 45).",
        )
    guards.check_legal_review(case, penalty)
    guards.check_collective_discussion(case, penalty)
    # 行政处罚法 第三十八条、第五十九条: the decision states the provisions violated and the basis of the penalty.
    extra_fields = {"legal_basis": guards.legal_basis(case, basis, on)}
    return _commit(
        case,
        actor=actor,
        code="decide",
        on=on,
        fields={
            **extra_fields,
            "penalty_kinds": list(penalty.kinds),
            "fine_yuan": penalty.fine_yuan or None,
            "confiscation_yuan": penalty.confiscation_yuan or None,
            "decision_text": text,
            "decided_on": on,
            "decided_by": actor,
            # 行政处罚法 第六十一条、第八十五条: seven working days to serve an absent party.
            "service_due": _due_or_pending(case, "送达期限", lambda: limits.service_due(on)),
        },
        to_stage=Stage.DECIDED,
        extra=double or None,
    )


def _double_fine_extra(
    case: Case, penalty: Penalty, different_act_reason: str, found: list[Case] | None = None
) -> dict[str, Any]:
    """行政处罚法 第二十九条: refuse a second fine for the same act; an override is recorded on the ledger."""
    overridden = fines.check_double_fine(case, penalty.kinds, different_act_reason, found)
    if not overridden:
        return {}
    reason = check_length(
        different_act_reason.strip(), field="different_act_reason", label="不同违法行为的理由", limit=500
    )
    return {"same_act_case_ids": overridden, "different_act_reason": reason}


@service
def case_serve(
    *,
    actor: User,
    case: Case | int,
    method: str,
    on: dt.date | None = None,
    consent_confirmed: bool = False,
    late_reason: str = "",
) -> Case:
    """送达 — hand over on announcement, or serve an absent party within seven working days (第六十一条)."""
    case, on = _begin("serve", actor, case, on)
    if method not in ServiceMethod.values:
        raise InvalidInput("送达方式无效。", "Unknown service method.", field="method")
    assert case.decided_on is not None
    if method == ServiceMethod.ON_SITE and on != case.decided_on:
        raise refuse(
            "on_site_same_day",
            "当场交付应在宣告决定的当日（行政处罚法第六十一条第一款）。",
            "On-site hand-over happens on the day the decision is announced (Art. 61).",
        )
    if method == ServiceMethod.ELECTRONIC and not consent_confirmed:
        raise refuse(
            "electronic_needs_consent",
            "电子送达须当事人同意并签订确认书（行政处罚法第六十一条第二款）。",
            "Electronic service needs the party's signed consent (Art. 61).",
        )
    late_reason = (late_reason or "").strip()[:300]
    if case.service_due is None:  # 期限待节假日安排公布后计算: counted now if the schedule has been entered
        # still unknown: the service period cannot be counted, so the service is not late
        with contextlib.suppress(ConfigurationMissing):
            case.service_due = limits.service_due(case.decided_on)
    late = case.service_due is not None and on > case.service_due
    if late and not late_reason:
        raise refuse(
            "service_overdue",
            f"决定书应在七个工作日内（{case.service_due:%Y-%m-%d} 前）送达（行政处罚法第六十一条、第八十五条）；"
            "已逾期的，须写明逾期原因后登记。",
            f"The decision had to be served by {case.service_due:%Y-%m-%d} (Art. 61, 85); give the reason.",
        )
    fields: dict[str, Any] = {
        "service_due": case.service_due,
        "service_method": method,
        "served_on": on,
        "served_late_reason": late_reason if late else "",
        "payment_due": _due_or_pending(case, "缴款期限", lambda: limits.payment_due(on))
        if case.fine_yuan
        else None,
    }
    return _commit(case, actor=actor, code="serve", on=on, fields=fields, to_stage=Stage.SERVED)


@service
def case_record_payment(
    *, actor: User, case: Case | int, amount_yuan: Any, on: dt.date | None = None
) -> Case:
    """缴纳罚款 — the fine, plus the late-payment surcharge capped at the fine (第七十二条)."""
    case, on = _begin("record_payment", actor, case, on)
    assert case.fine_yuan is not None
    # 行政处罚法 第七十三条第三款: the days of a 复议/诉讼 the party brought earn no surcharge;
    # 第三十五条: a criminal fine for the same act is offset against the fine (fines.fine_payable).
    principal, surcharge = fines.amount_owed(
        case, on, _effective_payment_due(case, on), excluded=remedy_periods(case)
    )
    expected = principal + surcharge
    if Decimal(amount_yuan) != expected:
        offset = fines.criminal_fine_offset(case)
        offset_text = f"，已折抵罚金 {offset} 元（行政处罚法第三十五条）" if offset else ""
        raise RuleViolation(
            f"应缴 {expected} 元（罚款 {principal} 元{offset_text}，加处罚款 {surcharge} 元；"
            "每日按罚款数额的百分之三加处，不超出罚款数额，行政处罚法第七十二条）。",
            f"The amount due is {expected} yuan (fine {principal} + surcharge {surcharge}; Art. 72).",
            code="amount_mismatch",
            details={"expected": str(expected), "surcharge": str(surcharge)},
        )
    return _commit(
        case,
        actor=actor,
        code="record_payment",
        on=on,
        fields={"paid_on": on, "paid_yuan": expected, "surcharge_yuan": surcharge},
    )


@service
def enforcement_demand(*, actor: User, case: Case | int, on: dt.date | None = None) -> EnforcementDemand:
    """催告 — a written demand to perform before court enforcement (行政强制法 第三十五条、第五十四条)."""
    case, on = _begin("enforcement_demand", actor, case, on)
    assert case.fine_yuan is not None
    # 行政处罚法 第七十三条第三款 (remedies), 第三十五条 (criminal offset), 第六十六条 (an approved plan: what is
    # unpaid of it, each instalment's surcharge from its own due date)
    principal, surcharge = fines.amount_owed(
        case,
        on,
        None if fines.approved_plan(case) else _effective_payment_due(case, on),
        excluded=remedy_periods(case),
    )
    amount = principal + surcharge
    demand = EnforcementDemand.objects.create(
        case=case,
        demand_served_on=on,
        demand_due=limits.demand_due(on),
        amount_yuan=amount,
        created_by=actor,
    )
    _commit(
        case,
        actor=actor,
        code="enforcement_demand",
        on=on,
        fields={},
        to_stage=Stage.EXECUTING,
        extra={"demand_due": demand.demand_due, "amount_yuan": amount},
    )
    return demand


@service
def court_application(
    *, actor: User, case: Case | int, court_name: str, on: dt.date | None = None
) -> EnforcementDemand:
    """申请人民法院强制执行 — after the demand period and the remedy periods, within three months (第五十三条)."""
    case, on = _begin("court_application", actor, case, on)
    court_name = _require_text(court_name, "court_name", "受理法院", 200)
    demand = case.enforcement
    demand.court_applied_on = on
    demand.court_name = court_name
    demand.save(update_fields=["court_applied_on", "court_name"])
    _commit(case, actor=actor, code="court_application", on=on, fields={}, extra={"court_name": court_name})
    return demand


@service
def case_close(*, actor: User, case: Case | int, on: dt.date | None = None) -> Case:
    """结案 — obligations performed (or sent to the court), seizures released, records complete."""
    case, on = _begin("close", actor, case, on)
    return _commit(case, actor=actor, code="close", on=on, fields={"closed_on": on}, to_stage=Stage.CLOSED)


@service
def case_archive(*, actor: User, case: Case | int, on: dt.date | None = None) -> Case:
    """归档 — a closed or ended case goes to the archive."""
    case, on = _begin("archive", actor, case, on)
    return _commit(
        case,
        actor=actor,
        code="archive",
        on=on,
        fields={"archived_on": on, "archived_from": case.stage},
        to_stage=Stage.ARCHIVED,
    )
