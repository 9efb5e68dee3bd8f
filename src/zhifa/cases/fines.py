"""What a fine still asks of the party, read-only: the criminal offset (行政处罚法 第三十五条), an approved
deferral or instalment plan (第六十六条) and the late-payment surcharge (第七十二条) around both; and the
checks of 一事不二罚 (第二十九条) and of the age ground of 不予处罚 (第三十条).

No service here: ``zhifa.cases.services`` and ``zhifa.cases.payments`` write, ``zhifa.cases.guards`` refuses;
both read through these functions so that the page, the payment and the demand count the same amount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from zhifa.cases import limits
from zhifa.cases.models import (
    Case,
    CaseParty,
    CriminalJudgment,
    Instalment,
    PartyRole,
    PaymentPlan,
    PaymentPlanStatus,
    PenaltyKind,
    Stage,
)
from zhifa.core import clock
from zhifa.core.errors import RuleViolation

ZERO = Decimal(0)

# --- 行政处罚法 第三十五条: 罚款 折抵 罚金 ---------------------------------------------------------------------


@contextmanager
def reads_once(case: Case) -> Iterator[None]:
    """Inside the block, the case's criminal offset and payment plans are read once, however many guards ask.

    For read-only pages (the case page asks every transition's guard, and a dozen of them ask these): a write
    inside the block would not be seen, so services never use it.
    """
    case._fines_memo = {}  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del case._fines_memo  # type: ignore[attr-defined]


def _memo(case: Case, key: str, read: Callable[[], Any]) -> Any:
    memo = getattr(case, "_fines_memo", None)
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def criminal_fine_offset(case: Case) -> Decimal:
    """The criminal fines (罚金) recorded on the case for the same act."""
    if not case.pk:
        return ZERO
    total = _memo(
        case,
        "offset",
        lambda: CriminalJudgment.objects.filter(case=case).aggregate(t=Sum("criminal_fine_yuan"))["t"],
    )
    return total or ZERO


def fine_payable(case: Case) -> Decimal:
    """The fine still to be paid to the agency: the fine less the recorded 罚金, never below zero.

    行政处罚法 第三十五条第二款: 违法行为构成犯罪，人民法院判处罚金时，行政机关已经给予当事人罚款的，应当折抵
    相应罚金 — the platform counts the offset against the fine the party still owes the agency.
    """
    if not case.fine_yuan:
        return ZERO
    return max(case.fine_yuan - criminal_fine_offset(case), ZERO)


def check_no_fine_after_criminal_fine(case: Case, kinds: Sequence[str]) -> None:
    """行政处罚法 第三十五条第二款: 行政机关尚未给予当事人罚款的，不再给予罚款."""
    if PenaltyKind.FINE in kinds and criminal_fine_offset(case) > 0:
        raise RuleViolation(
            "人民法院已对同一违法行为判处罚金，行政机关尚未给予罚款的，不再给予罚款（行政处罚法第三十五条第二款）。",
            "A court has imposed a criminal fine for the same act; no administrative fine follows (Art. 35).",
            code="criminal_fine_imposed",
            field="kinds",
        )


# --- 行政处罚法 第六十六条: 暂缓或者分期缴纳 ------------------------------------------------------------------


def plan_of(case: Case, status: str) -> PaymentPlan | None:
    if not case.pk:
        return None
    return _memo(
        case,
        f"plan:{status}",
        lambda: PaymentPlan.objects.filter(case=case, status=status).order_by("-id").first(),
    )


def approved_plan(case: Case) -> PaymentPlan | None:
    return plan_of(case, PaymentPlanStatus.APPROVED)


def pending_plan(case: Case) -> PaymentPlan | None:
    return plan_of(case, PaymentPlanStatus.APPLIED)


def unpaid_instalments(plan: PaymentPlan) -> list[Instalment]:
    return list(plan.instalments.filter(paid_on__isnull=True).order_by("seq"))


def missed_instalment(plan: PaymentPlan, on: dt.date) -> Instalment | None:
    """The first instalment whose due date passed unpaid by ``on`` — only then may a demand follow."""
    return plan.instalments.filter(paid_on__isnull=True, due_on__lt=on).order_by("seq").first()


def instalment_surcharge(
    instalment: Instalment, on: dt.date, excluded: Iterable[tuple[dt.date, dt.date]] = ()
) -> Decimal:
    """行政处罚法 第七十二条: 3 % a day on the instalment's amount from the day after its own due date — an approved
    plan (第六十六条) stops the surcharge on what is deferred until then."""
    return limits.late_payment_surcharge(instalment.amount_yuan, instalment.due_on, on, excluded)


def amount_owed(
    case: Case, on: dt.date, payment_due: dt.date | None, excluded: Iterable[tuple[dt.date, dt.date]] = ()
) -> tuple[Decimal, Decimal]:
    """(principal, surcharge) the party owes on ``on``: the payable fine (after the criminal offset) and the
    surcharge counted from ``payment_due``, or, under an approved plan, the unpaid instalments each with the
    surcharge from its own due date. The surcharge never exceeds the principal (第七十二条)."""
    excluded = list(excluded)
    plan = approved_plan(case)
    if plan is not None:
        rest = unpaid_instalments(plan)
        principal = sum((i.amount_yuan for i in rest), ZERO)
        surcharge = sum((instalment_surcharge(i, on, excluded) for i in rest), ZERO)
        return principal, min(surcharge, principal)
    principal = fine_payable(case)
    if principal <= 0 or payment_due is None:
        return principal, ZERO
    return principal, limits.late_payment_surcharge(principal, payment_due, on, excluded)


# --- 行政处罚法 第二十九条: 一事不二罚 --------------------------------------------------------------------------

# A case that ended in a decision with a fine: decided and on.
FINED_STAGES = (Stage.DECIDED, Stage.SERVED, Stage.EXECUTING, Stage.CLOSED, Stage.ARCHIVED)


def earlier_fines(case: Case) -> list[Case]:
    """Other cases, in any agency, that fined one of this case's parties for the same act: the same 执法事项
    (``catalog_item_code``) and the same act date, decided with a fine. Without an item or an act date the
    act cannot be matched and nothing is found."""
    if not case.pk:
        return []
    party_ids = list(
        CaseParty.objects.filter(case=case, role=PartyRole.PARTY).values_list("party_id", flat=True)
    )
    return same_act_fines(party_ids, case.catalog_item_code, case.act_date, exclude_pk=case.pk)


def same_act_fines(
    party_ids: Sequence[int], item_code: str, act_date: dt.date | None, exclude_pk: int | None = None
) -> list[Case]:
    """The cases that fined one of ``party_ids`` for the act of ``item_code`` on ``act_date``."""
    if not party_ids or not item_code or act_date is None:
        return []
    return list(
        Case.objects.filter(
            party_links__party_id__in=list(party_ids),
            party_links__role=PartyRole.PARTY,
            catalog_item_code=item_code,
            act_date=act_date,
            fine_yuan__gt=0,
            decided_on__isnull=False,
            stage__in=FINED_STAGES,
        )
        .exclude(pk=exclude_pk)
        .select_related("agency")
        .distinct()
        .order_by("id")
    )


def check_double_fine(
    case: Case, kinds: Sequence[str], different_act_reason: str, found: list[Case] | None = None
) -> list[int]:
    """行政处罚法 第二十九条: 对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚.

    Refuses a fine when another case already fined the party for the same act (``earlier_fines``), unless the
    actor states why this is a different act; returns the ids of the cases so overridden, for the ledger.
    """
    if PenaltyKind.FINE not in kinds:
        return []
    found = earlier_fines(case) if found is None else found
    if not found:
        return []
    names = "、".join(f"{c.agency.name}{c.number or ''}" for c in found)
    if not (different_act_reason or "").strip():
        raise RuleViolation(
            f"当事人的同一违法行为（同一执法事项、同一违法行为发生日）已被处以罚款（{names}），"
            "不得给予两次以上罚款的行政处罚（行政处罚法第二十九条）。确属不同违法行为的，请写明理由后再办理。",
            "The party was already fined for the same act (Art. 29); state why this is a different act.",
            code="double_fine",
            field="different_act_reason",
            details={"case_ids": [c.pk for c in found]},
        )
    return [c.pk for c in found]


# --- 行政处罚法 第三十条: 年龄 ---------------------------------------------------------------------------------


def birth_date(id_number: str) -> dt.date | None:
    """The birth date an 18-digit resident ID carries (digits 7–14), or None."""
    digits = (id_number or "").strip()
    if len(digits) != 18 or not digits[:17].isdigit():
        return None
    try:
        return dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return None


def age_on(born: dt.date, day: dt.date) -> int:
    """Full years of age (周岁) on ``day``, counted from the day after each birthday: on the fourteenth birthday
    a person is still 不满十四周岁. This follows the rule the courts apply to 周岁 (公历年月日计算，从周岁生日的
    第二天起算 — 最高人民法院《关于审理未成年人刑事案件具体应用法律若干问题的解释》第二条), the reading more
    favourable to the party; the administrative rule is to verify (docs/cases.md)."""
    return day.year - born.year - ((day.month, day.day) <= (born.month, born.day))


def natural_parties(case: Case) -> list[Any]:
    return [
        link.party
        for link in CaseParty.objects.filter(case=case, role=PartyRole.PARTY).select_related("party")
        if link.party.kind == "natural_person"
    ]


def minor_hints(case: Case) -> list[str]:
    """行政处罚法 第三十条: a party aged 14 to 17 at the act date is punished more lightly (从轻或者减轻)."""
    if not case.pk or not case.act_date:
        return []
    hints = []
    for party in natural_parties(case):
        born = birth_date(party.id_number)
        if born is None:
            continue
        age = age_on(born, case.act_date)
        if age < 14:
            hints.append(
                f"{party.name}违法行为发生时不满十四周岁（{age} 周岁），不予行政处罚，责令监护人加以管教"
                "（行政处罚法第三十条）。"
            )
        elif age < 18:
            hints.append(
                f"{party.name}违法行为发生时已满十四周岁不满十八周岁（{age} 周岁），应当从轻或者减轻行政处罚"
                "（行政处罚法第三十条）。"
            )
    return hints


def check_under_14(case: Case, note: str) -> None:
    """行政处罚法 第三十条: the under-14 ground only for a natural person under fourteen at the act date."""
    people = natural_parties(case)
    if not people:
        raise RuleViolation(
            "当事人不是自然人，不适用“不满十四周岁”不予处罚（行政处罚法第三十条）。",
            "The party is not a natural person (Art. 30).",
            code="under_14_not_applicable",
            field="reason",
        )
    if case.act_date is None:
        raise RuleViolation(
            "未登记违法行为发生日，无法认定行为时的年龄（行政处罚法第三十条）。",
            "The act date is not recorded (Art. 30).",
            code="under_14_not_applicable",
            field="reason",
        )
    for party in people:
        born = birth_date(party.id_number)
        if born is None:
            # no resident ID to read the age from: the age must be shown otherwise (户籍证明 etc.)
            if not (note or "").strip():
                raise RuleViolation(
                    f"{party.name}未登记身份证号码，请在说明中写明认定年龄的依据（如户籍证明）。",
                    "No resident ID: state the evidence of age.",
                    code="age_basis_required",
                    field="note",
                )
            continue
        age = age_on(born, case.act_date)
        if age >= 14:
            raise RuleViolation(
                f"{party.name}违法行为发生时（{case.act_date:%Y-%m-%d}）已满十四周岁（{age} 周岁），"
                "不适用“不满十四周岁”不予处罚；已满十四周岁不满十八周岁的，应当从轻或者减轻处罚（行政处罚法第三十条）。",
                f"The party was {age} at the act date; the under-14 ground does not apply (Art. 30).",
                code="not_under_14",
                field="reason",
            )


# --- the input-independent checks of the new steps (the transitions in ``guards.TRANSITIONS``) ----------------


def _refuse(code: str, message: str, message_en: str) -> RuleViolation:
    return RuleViolation(message, message_en, code=code)


def _owes(case: Case) -> bool:
    return bool(case.fine_yuan) and case.paid_on is None and fine_payable(case) > 0


def c_plan_apply(case: Case, on: dt.date) -> None:
    """行政处罚法 第六十六条第二款: the party who owes a fine may apply to defer it or pay it in instalments."""
    if not _owes(case):
        raise _refuse("nothing_owed", "当事人没有未缴纳的罚款。", "Nothing is owed.")
    if hasattr(case, "enforcement"):
        raise _refuse(
            "demand_exists", "已经催告，不再受理暂缓、分期缴纳的申请。", "A demand was already served."
        )
    if hasattr(case, "collection"):
        raise _refuse("already_collected", "罚款已当场收缴。", "The fine was collected on the spot.")
    if pending_plan(case) is not None:
        raise _refuse("payment_plan_pending", "已有待批准的申请。", "An application is pending.")
    if approved_plan(case) is not None:
        raise _refuse("payment_plan_active", "已批准暂缓或者分期缴纳。", "A plan is already approved.")


def c_plan_decide(case: Case, on: dt.date) -> None:
    if pending_plan(case) is None:
        raise _refuse(
            "payment_plan_missing",
            "没有待批准的暂缓、分期缴纳申请。",
            "No deferral or instalment application is pending.",
        )


def c_instalment_pay(case: Case, on: dt.date) -> None:
    plan = approved_plan(case)
    if plan is None or case.paid_on is not None or not unpaid_instalments(plan):
        raise _refuse(
            "payment_plan_missing",
            "没有已批准且尚未缴清的暂缓、分期缴纳（行政处罚法第六十六条）。",
            "No approved plan with an unpaid instalment (Art. 66).",
        )


def c_collect(case: Case, on: dt.date) -> None:
    if not _owes(case):
        raise _refuse("nothing_owed", "当事人没有未缴纳的罚款。", "Nothing is owed.")
    if hasattr(case, "collection"):
        raise _refuse("already_collected", "罚款已当场收缴。", "The fine was collected on the spot.")
    if hasattr(case, "enforcement"):
        raise _refuse("demand_exists", "已经催告。", "A demand was already served.")
    if approved_plan(case) is not None:
        raise _refuse(
            "payment_plan_active",
            "已批准暂缓或者分期缴纳，按期登记缴款（行政处罚法第六十六条）。",
            "A plan is approved (Art. 66).",
        )


def c_hand_in(case: Case, on: dt.date) -> None:
    collection = getattr(case, "collection", None)
    if collection is None:
        raise _refuse("no_collection", "本案没有当场收缴的罚款。", "No fine was collected on the spot.")
    if collection.handed_in_on:
        raise _refuse("already_handed_in", "罚款已交至行政机关。", "Already handed in.")


def c_bank(case: Case, on: dt.date) -> None:
    collection = getattr(case, "collection", None)
    if collection is None:
        raise _refuse("no_collection", "本案没有当场收缴的罚款。", "No fine was collected on the spot.")
    if not collection.handed_in_on:
        raise _refuse(
            "not_handed_in",
            "执法人员尚未将当场收缴的罚款交至行政机关（行政处罚法第七十一条）。",
            "The officer has not handed the money in yet (Art. 71).",
        )
    if collection.banked_on:
        raise _refuse("already_banked", "罚款已缴付银行。", "Already paid into the bank.")


def fine_summary(case: Case) -> dict[str, Any]:
    """What the case page shows of the rules above: minors (第三十条), earlier fines for the same act (第二十九条),
    criminal judgments and the offset (第三十五条), the payment plan (第六十六条), the collection (第七十一条)."""
    plan = (
        PaymentPlan.objects.filter(case=case).order_by("-id").prefetch_related("instalments").first()
        if case.pk
        else None
    )
    judgments = list(CriminalJudgment.objects.filter(case=case)) if case.pk else []
    offset = sum((j.criminal_fine_yuan for j in judgments), ZERO)
    collection = getattr(case, "collection", None) if case.pk else None

    today = clock.today()
    return {
        "minor_hints": minor_hints(case),
        "earlier_fines": earlier_fines(case) if not case.decided_on else [],
        "judgments": judgments,
        "offset": offset,
        "payable": fine_payable(case) if case.fine_yuan else None,
        "plan": plan,
        "collection": collection,
        "hand_in_late": bool(
            collection
            and not collection.handed_in_on
            and collection.hand_in_due
            and today > collection.hand_in_due
        ),
        "bank_late": bool(
            collection and not collection.banked_on and collection.bank_due and today > collection.bank_due
        ),
    }
