"""State changes around paying a fine: a criminal judgment's offset (行政处罚法 第三十五条), deferred and
instalment payment (第六十六条), and collection on the spot (第六十八条至第七十一条).

Each service follows ``zhifa.cases.services``: one transaction, the case row locked, permission, stage and
guards (``guards.TRANSITIONS``, checks in ``zhifa.cases.fines``) before anything is written, one ledger entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.urls import reverse

from zhifa.cases import fines
from zhifa.cases.guards import refuse
from zhifa.cases.models import (
    Case,
    CollectionGround,
    CriminalJudgment,
    Instalment,
    OnSpotCollection,
    PaymentPlan,
    PaymentPlanKind,
    PaymentPlanStatus,
    Procedure,
)
from zhifa.cases.services import _begin, _commit, _due_or_pending, _effective_payment_due, remedy_periods
from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.flags import FlagCandidate
from zhifa.core.textlimits import check_length
from zhifa.core.transactions import service
from zhifa.core.workdays import add_working_days
from zhifa.org.models import User

# 行政处罚法 第六十八条第一项: on the spot, a fine of 100 yuan or less may be collected at once.
ON_SPOT_SMALL_FINE_YUAN = Decimal("100")
# 行政处罚法 第七十一条 + 第八十五条: two (working) days to the agency, two more to the bank.
HAND_IN_WORKING_DAYS = 2
BANK_WORKING_DAYS = 2


def _text(value: str, field: str, label: str, limit: int, required: bool = True) -> str:
    value = check_length((value or "").strip(), field=field, label=label, limit=limit)
    if required and not value:
        raise InvalidInput(f"请填写{label}。", f"{field} is required.", code="required", field=field)
    return value


def _yuan(value: Any, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise InvalidInput(f"{label}无效。", f"Invalid {field}.", field=field) from None
    if amount < 0:
        raise InvalidInput(f"{label}不能为负数。", f"{field} may not be negative.", field=field)
    return amount.quantize(Decimal("0.01"))


# --- 行政处罚法 第三十五条: 刑事判决与折抵 ----------------------------------------------------------------------


@service
def criminal_judgment_record(
    *,
    actor: User,
    case: Case | int,
    court: str,
    number: str,
    judged_on: dt.date,
    criminal_fine_yuan: Any = None,
    custody: str = "",
    on: dt.date | None = None,
) -> CriminalJudgment:
    """登记刑事判决 — the court, the judgment's number and date, the 罚金 (and any 拘役/有期徒刑) for the same act.

    行政处罚法 第三十五条第二款: the 罚金 offsets the fine (what the party still owes the agency is the fine less
    the 罚金, never below zero); before a fine is given, no fine follows (``fines.check_no_fine_after_criminal_fine``).
    """
    case, on = _begin("record_criminal_judgment", actor, case, on)
    court = _text(court, "court", "判决法院", 200)
    number = _text(number, "number", "判决书案号", 80)
    custody = _text(custody, "custody", "判处拘役、有期徒刑", 200, required=False)
    amount = _yuan(criminal_fine_yuan, "criminal_fine_yuan", "罚金")
    if judged_on > on:
        raise InvalidInput("判决日期不能晚于办理日期。", "The judgment is after today.", field="judged_on")
    if amount == 0 and not custody:
        raise InvalidInput(
            "请填写判处的罚金，或拘役、有期徒刑。",
            "Give the criminal fine or the custody.",
            field="criminal_fine_yuan",
        )
    before = fines.fine_payable(case)
    judgment = CriminalJudgment.objects.create(
        case=case,
        court=court,
        number=number,
        judged_on=judged_on,
        criminal_fine_yuan=amount,
        custody=custody,
        recorded_on=on,
        recorded_by=actor,
    )
    _commit(
        case,
        actor=actor,
        code="record_criminal_judgment",
        on=on,
        fields={},
        extra={
            "judgment_id": judgment.pk,
            "court": court,
            "judgment_number": number,
            "judged_on": judged_on,
            "criminal_fine_yuan": amount,
            "custody": custody,
            "fine_payable_before": before,
            "fine_payable": fines.fine_payable(case),
        },
    )
    return judgment


# --- 行政处罚法 第六十六条: 暂缓或者分期缴纳 ------------------------------------------------------------------


def parse_schedule(schedule: str | Sequence[tuple[dt.date, Any]]) -> list[tuple[dt.date, Decimal]]:
    """The schedule as (due date, amount) pairs; text is one line per instalment: ``2026-12-01 500``."""
    if isinstance(schedule, str):
        rows: list[tuple[dt.date, Decimal]] = []
        for line in schedule.splitlines():
            parts = line.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            try:
                rows.append((dt.date.fromisoformat(parts[0]), Decimal(parts[1])))
            except (IndexError, ValueError, InvalidOperation):
                raise InvalidInput(
                    f"无法识别的一行：“{line.strip()[:40]}”。每行写一期：缴纳期限 金额，如 2026-12-01 500。",
                    "One instalment per line: due date and amount.",
                    field="schedule",
                ) from None
        return rows
    return [(due, Decimal(str(amount))) for due, amount in schedule]


@service
def payment_plan_apply(
    *,
    actor: User,
    case: Case | int,
    kind: str,
    reason: str,
    schedule: str | Sequence[tuple[dt.date, Any]],
    on: dt.date | None = None,
) -> PaymentPlan:
    """暂缓、分期缴纳的申请 — the party, in real economic difficulty, applies (行政处罚法 第六十六条第二款);
    the officer records the application and its proposed schedule, which must cover what is owed."""
    case, on = _begin("payment_plan_apply", actor, case, on)
    if kind not in PaymentPlanKind.values:
        raise InvalidInput("请选择暂缓缴纳或分期缴纳。", "Choose deferral or instalments.", field="kind")
    reason = _text(reason, "reason", "经济困难的情况", 500)
    rows = parse_schedule(schedule)
    if not rows:
        raise InvalidInput("请填写缴纳期限和金额。", "Give the schedule.", field="schedule")
    if kind == PaymentPlanKind.DEFER and len(rows) != 1:
        raise InvalidInput(
            "暂缓缴纳只有一个缴纳期限；分多期的请选择分期缴纳。",
            "A deferral has one due date.",
            field="schedule",
        )
    if kind == PaymentPlanKind.INSTALMENTS and len(rows) < 2:
        raise InvalidInput("分期缴纳至少分两期。", "Instalments need at least two.", field="schedule")
    dues = [due for due, _ in rows]
    if dues != sorted(set(dues)) or dues[0] <= on:
        raise InvalidInput(
            "各期缴纳期限须晚于申请日期，并依次递增。",
            "Due dates must follow the application, ascending.",
            field="schedule",
        )
    if any(amount <= 0 for _, amount in rows):
        raise InvalidInput("每期金额须大于零。", "Each amount must be above zero.", field="schedule")
    principal, surcharge = fines.amount_owed(
        case, on, _effective_payment_due(case, on), excluded=remedy_periods(case)
    )
    total = sum((amount for _, amount in rows), Decimal(0))
    if total != principal:
        raise InvalidInput(
            f"各期金额合计 {total} 元，应等于应缴罚款 {principal} 元。",
            f"The instalments add up to {total}, not the {principal} owed.",
            code="schedule_total_mismatch",
            field="schedule",
        )
    if surcharge > 0:
        # 行政处罚法 第七十二条: a surcharge already accrued is not waived by a later plan.
        raise refuse(
            "payment_overdue",
            f"缴款期限已过，已产生加处罚款 {surcharge} 元；应在缴款期限内申请暂缓或者分期缴纳（行政处罚法第六十六条、第七十二条）。",
            f"The payment period has passed and a surcharge of {surcharge} accrued (Art. 66, 72).",
        )
    plan = PaymentPlan.objects.create(case=case, kind=kind, reason=reason, applied_on=on, created_by=actor)
    Instalment.objects.bulk_create(
        [
            Instalment(plan=plan, seq=i, due_on=due, amount_yuan=amount)
            for i, (due, amount) in enumerate(rows, 1)
        ]
    )
    _commit(
        case,
        actor=actor,
        code="payment_plan_apply",
        on=on,
        fields={},
        extra={
            "plan_id": plan.pk,
            "plan_kind": kind,
            "reason": reason,
            "schedule": [f"{due:%Y-%m-%d} {amount} 元" for due, amount in rows],
        },
    )
    return plan


@service
def payment_plan_approve(
    *, actor: User, case: Case | int, approve: bool, note: str = "", on: dt.date | None = None
) -> PaymentPlan:
    """批准（不予批准）暂缓、分期缴纳 — by the agency head (行政处罚法 第六十六条第二款: 经行政机关批准).

    Approved, the surcharge on each instalment runs only from its own due date, and no demand or court
    application is made until an instalment is missed (``guards._c_demand``, ``guards._c_court``)."""
    case, on = _begin("payment_plan_approve", actor, case, on)
    plan = fines.pending_plan(case)
    assert plan is not None
    note = _text(note, "note", "审批意见", 500, required=not approve)
    if approve and plan.instalments.order_by("seq").first().due_on <= on:  # type: ignore[union-attr]
        raise refuse(
            "payment_plan_stale",
            "申请的第一期缴纳期限已过，请重新登记申请。",
            "The first due date has passed; record a new application.",
        )
    plan.status = PaymentPlanStatus.APPROVED if approve else PaymentPlanStatus.REFUSED
    plan.decided_by = actor
    plan.decided_on = on
    plan.decision_note = note
    plan.save(update_fields=["status", "decided_by", "decided_on", "decision_note"])
    _commit(
        case,
        actor=actor,
        code="payment_plan_approve" if approve else "payment_plan_refuse",
        on=on,
        fields={},
        extra={"plan_id": plan.pk, "approve": approve, "note": note},
    )
    return plan


@service
def instalment_pay(
    *, actor: User, case: Case | int, amount_yuan: Any, on: dt.date | None = None
) -> Instalment:
    """登记分期（暂缓）缴款 — the next unpaid instalment, with the surcharge from its own due date if late
    (行政处罚法 第六十六条、第七十二条); the last one settles the case's fine."""
    case, on = _begin("instalment_pay", actor, case, on)
    plan = fines.approved_plan(case)
    assert plan is not None
    instalment = fines.unpaid_instalments(plan)[0]
    surcharge = min(fines.instalment_surcharge(instalment, on, remedy_periods(case)), instalment.amount_yuan)
    expected = instalment.amount_yuan + surcharge
    if _yuan(amount_yuan, "amount_yuan", "缴款金额") != expected:
        raise RuleViolation(
            f"第 {instalment.seq} 期应缴 {expected} 元（本期 {instalment.amount_yuan} 元，"
            f"缴纳期限 {instalment.due_on:%Y-%m-%d}，加处罚款 {surcharge} 元；行政处罚法第六十六条、第七十二条）。",
            f"Instalment {instalment.seq} is {expected} yuan (Art. 66, 72).",
            code="amount_mismatch",
            field="amount_yuan",
            details={"expected": str(expected), "surcharge": str(surcharge)},
        )
    instalment.paid_on, instalment.paid_yuan, instalment.surcharge_yuan = on, expected, surcharge
    instalment.save(update_fields=["paid_on", "paid_yuan", "surcharge_yuan"])
    fields: dict[str, Any] = {}
    if not fines.unpaid_instalments(plan):
        paid = list(plan.instalments.all())
        fields = {
            "paid_on": on,
            "paid_yuan": sum((i.paid_yuan or Decimal(0) for i in paid), Decimal(0)),
            "surcharge_yuan": sum((i.surcharge_yuan or Decimal(0) for i in paid), Decimal(0)),
        }
    _commit(
        case,
        actor=actor,
        code="instalment_pay",
        on=on,
        fields=fields,
        extra={
            "plan_id": plan.pk,
            "instalment": instalment.seq,
            "amount_yuan": expected,
            "instalment_surcharge_yuan": surcharge,
        },
    )
    return instalment


# --- 行政处罚法 第六十八条至第七十一条: 当场收缴罚款 ----------------------------------------------------------


@service
def collect_on_spot(
    *,
    actor: User,
    case: Case | int,
    ground: str,
    receipt_number: str,
    on_water: bool = False,
    party_requested: bool = False,
    on: dt.date | None = None,
) -> OnSpotCollection:
    """当场收缴罚款 — only on a ground of 第六十八条 (simple procedure: 100 yuan or less, or hard to collect
    later) or 第六十九条 (remote, on water, poor transport, at the party's request); with the 专用票据 whose
    number is recorded (第七十条); the money goes to the agency within two working days (on water: of
    reaching the shore) and on to the bank within two more (第七十一条、第八十五条)."""
    case, on = _begin("collect_on_spot", actor, case, on)
    if ground not in CollectionGround.values:
        raise InvalidInput("请选择当场收缴的情形。", "Choose the ground.", field="ground")
    principal, surcharge = fines.amount_owed(
        case, on, _effective_payment_due(case, on), excluded=remedy_periods(case)
    )
    if ground in (CollectionGround.SMALL_FINE, CollectionGround.HARD_TO_ENFORCE):
        # 行政处罚法 第六十八条: 依照本法第五十一条的规定当场作出行政处罚决定 — the simple procedure only.
        if case.procedure != Procedure.SIMPLE:
            raise refuse(
                "collection_not_allowed",
                "第六十八条的当场收缴只适用于依照第五十一条当场作出的处罚决定；普通程序的罚款应当到指定的银行"
                "或者通过电子支付系统缴纳（行政处罚法第六十七条）。",
                "Art. 68 collection applies only to on-the-spot decisions (Art. 51, 67).",
            )
        if ground == CollectionGround.SMALL_FINE and (case.fine_yuan or 0) > ON_SPOT_SMALL_FINE_YUAN:
            raise refuse(
                "collection_not_allowed",
                f"罚款 {case.fine_yuan} 元超过一百元，不能以“一百元以下罚款”当场收缴（行政处罚法第六十八条第一项）。",
                "Only a fine of 100 yuan or less may be collected on that ground (Art. 68).",
            )
    elif not party_requested:
        # 行政处罚法 第六十九条: 经当事人提出.
        raise refuse(
            "collection_not_allowed",
            "边远、水上、交通不便地区当场收缴罚款，须当事人到银行或者通过电子支付系统缴纳确有困难并由当事人提出"
            "（行政处罚法第六十九条）。",
            "In remote areas the fine is collected on the spot only at the party's request (Art. 69).",
        )
    if on_water and ground != CollectionGround.REMOTE:
        raise InvalidInput(
            "在水上收缴的，请选择边远、水上、交通不便地区的情形。",
            "On water: choose Art. 69.",
            field="on_water",
        )
    # 行政处罚法 第七十条: the receipt the finance department issues, or the party may refuse to pay.
    receipt_number = (receipt_number or "").strip()
    if not receipt_number:
        raise refuse(
            "receipt_required",
            "当场收缴罚款必须出具财政部门统一制发的专用票据，请登记票据号码（行政处罚法第七十条）。",
            "Collection on the spot needs the official receipt; give its number (Art. 70).",
        )
    receipt_number = _text(receipt_number, "receipt_number", "专用票据号码", 64)
    amount = principal + surcharge
    # 行政处罚法 第七十一条、第八十五条: on water the two days run from reaching the shore (unknown yet).
    hand_in_due = (
        None
        if on_water
        else _due_or_pending(
            case, "当场收缴罚款交至机关期限", lambda: add_working_days(on, HAND_IN_WORKING_DAYS)
        )
    )
    collection = OnSpotCollection.objects.create(
        case=case,
        ground=ground,
        receipt_number=receipt_number,
        amount_yuan=amount,
        collected_on=on,
        on_water=on_water,
        hand_in_due=hand_in_due,
        collected_by=actor,
    )
    _commit(
        case,
        actor=actor,
        code="collect_on_spot",
        on=on,
        fields={"paid_on": on, "paid_yuan": amount, "surcharge_yuan": surcharge},
        extra={
            "collection_ground": ground,
            "receipt_number": receipt_number,
            "on_water": on_water,
            "hand_in_due": hand_in_due,
        },
    )
    return collection


@service
def collection_hand_in(
    *,
    actor: User,
    case: Case | int,
    ashore_on: dt.date | None = None,
    late_reason: str = "",
    on: dt.date | None = None,
) -> OnSpotCollection:
    """交至行政机关 — within two working days of the collection, or of reaching the shore (第七十一条)."""
    case, on = _begin("collection_hand_in", actor, case, on)
    collection = OnSpotCollection.objects.select_for_update().get(case=case)
    if collection.on_water:
        if ashore_on is None:
            raise InvalidInput("在水上收缴的，请填写抵岸日期。", "Give the day ashore.", field="ashore_on")
        if not collection.collected_on <= ashore_on <= on:
            raise InvalidInput(
                "抵岸日期须在收缴日期与交款日期之间。", "The day ashore is out of range.", field="ashore_on"
            )
        collection.ashore_on = ashore_on
        collection.hand_in_due = _due_or_pending(
            case, "当场收缴罚款交至机关期限", lambda: add_working_days(ashore_on, HAND_IN_WORKING_DAYS)
        )
    if collection.hand_in_due is None:  # the schedule may be known by now
        start = collection.ashore_on or collection.collected_on
        collection.hand_in_due = _due_or_pending(
            case, "当场收缴罚款交至机关期限", lambda: add_working_days(start, HAND_IN_WORKING_DAYS)
        )
    late = collection.hand_in_due is not None and on > collection.hand_in_due
    late_reason = _text(late_reason, "late_reason", "逾期原因", 300, required=False)
    if late and not late_reason:
        raise refuse(
            "hand_in_overdue",
            f"当场收缴的罚款应于 {collection.hand_in_due:%Y-%m-%d} 前交至行政机关（行政处罚法第七十一条、"
            "第八十五条）；已逾期的，须写明逾期原因后登记。",
            f"The money was due at the agency by {collection.hand_in_due:%Y-%m-%d} (Art. 71); give the reason.",
        )
    collection.handed_in_on = on
    collection.bank_due = _due_or_pending(
        case, "罚款缴付银行期限", lambda: add_working_days(on, BANK_WORKING_DAYS)
    )
    collection.save(update_fields=["ashore_on", "hand_in_due", "handed_in_on", "bank_due"])
    _commit(
        case,
        actor=actor,
        code="collection_hand_in",
        on=on,
        fields={},
        extra={
            "hand_in_due": collection.hand_in_due,
            "late": late,
            **({"late_reason": late_reason} if late else {}),
            "bank_due": collection.bank_due,
        },
    )
    return collection


@service
def collection_bank(
    *, actor: User, case: Case | int, late_reason: str = "", on: dt.date | None = None
) -> OnSpotCollection:
    """缴付指定的银行 — the agency pays the money in within two working days (第七十一条、第八十五条)."""
    case, on = _begin("collection_bank", actor, case, on)
    collection = OnSpotCollection.objects.select_for_update().get(case=case)
    if collection.bank_due is None:
        handed = collection.handed_in_on
        assert handed is not None
        collection.bank_due = _due_or_pending(
            case, "罚款缴付银行期限", lambda: add_working_days(handed, BANK_WORKING_DAYS)
        )
    late = collection.bank_due is not None and on > collection.bank_due
    late_reason = _text(late_reason, "late_reason", "逾期原因", 300, required=False)
    if late and not late_reason:
        raise refuse(
            "bank_overdue",
            f"罚款应于 {collection.bank_due:%Y-%m-%d} 前缴付指定的银行（行政处罚法第七十一条、第八十五条）；"
            "已逾期的，须写明逾期原因后登记。",
            f"The money was due at the bank by {collection.bank_due:%Y-%m-%d} (Art. 71); give the reason.",
        )
    collection.banked_on = on
    collection.save(update_fields=["bank_due", "banked_on"])
    _commit(
        case,
        actor=actor,
        code="collection_bank",
        on=on,
        fields={},
        extra={
            "bank_due": collection.bank_due,
            "late": late,
            **({"late_reason": late_reason} if late else {}),
        },
    )
    return collection


# --- supervision: a collected fine late at the agency or the bank (行政处罚法 第七十一条) -----------------------

COLLECTION_OVERDUE_FLAG = "collection_overdue"


def collection_overdue_flags(since: Any = None) -> Any:
    """Flag source: money collected on the spot not handed in, or not banked, by its due date."""
    today = clock.today()
    late_hand_in = OnSpotCollection.objects.filter(handed_in_on__isnull=True, hand_in_due__lt=today)
    late_bank = OnSpotCollection.objects.filter(banked_on__isnull=True, bank_due__lt=today)
    for what, qs, due_of in (
        ("交至行政机关", late_hand_in, "hand_in_due"),
        ("缴付银行", late_bank, "bank_due"),
    ):
        for collection in qs.select_related("case"):
            case = collection.case
            due = getattr(collection, due_of)
            yield FlagCandidate(
                kind=COLLECTION_OVERDUE_FLAG,
                key=f"case:{case.pk}:{due_of}",
                agency_id=case.agency_id,
                title=f"{case.number or case.title}：当场收缴的罚款逾期未{what}（期限 {due:%Y-%m-%d}）",
                detail="行政处罚法第七十一条：执法人员自收缴之日起二日内交至行政机关，行政机关二日内缴付指定的银行。",
                object_type="cases.case",
                object_id=str(case.pk),
                url=reverse("cases:detail", args=[case.pk]),
                due=due,
                severity="warning",
            )


__all__ = [
    "BANK_WORKING_DAYS",
    "COLLECTION_OVERDUE_FLAG",
    "HAND_IN_WORKING_DAYS",
    "collect_on_spot",
    "collection_bank",
    "collection_hand_in",
    "collection_overdue_flags",
    "criminal_judgment_record",
    "instalment_pay",
    "payment_plan_apply",
    "payment_plan_approve",
]
