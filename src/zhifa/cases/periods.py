"""The decision period (办案期限) of a case: ninety days, approved extensions, and the periods left out.

行政处罚法 第六十条: 行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。法律、法规、规章另有规定的，
从其规定. A department's rule may leave periods out of the ninety days — for 市场监管, 市场监督管理行政处罚程序
规定 第六十四条第三款 (中止、听证、公告和检测、检验、检疫、鉴定、权利人辨认或者鉴别、责令退还多收价款等时间不计入);
which kinds each domain leaves out is ``limits.excluded_kinds`` (configurable per domain code).

The hearing period (from the party's request to the hearing) is recorded by the transitions themselves
(``sync_hearing_period``, called from ``services._commit``); the other periods are recorded and ended by the
handling officers (``case_record_excluded_period``, ``case_end_excluded_period``). ``Case.decision_due`` is
recomputed on every transition before the decision; it is empty while a period that counts is open (the
clock stands still, so the case is not overdue and no deadline panel lists it).
"""

from __future__ import annotations

import datetime as dt

from zhifa.cases import limits
from zhifa.cases.guards import refuse
from zhifa.cases.models import Case, DeadlineExtension, ExcludedPeriod, ExcludedPeriodKind
from zhifa.core.errors import InvalidInput
from zhifa.core.textlimits import check_length
from zhifa.core.transactions import service
from zhifa.org.models import User


def counted_periods(case: Case) -> list[ExcludedPeriod]:
    """The case's recorded periods of the kinds its domain leaves out of the decision period."""
    kinds = limits.excluded_kinds(case.domain.code)
    if not kinds or case.pk is None:
        return []
    return list(ExcludedPeriod.objects.filter(case=case, kind__in=kinds).order_by("first_day", "id"))


def case_decision_due(case: Case) -> dt.date | None:
    """The last day to decide: 90 days from opening + extensions + the days left out (行政处罚法 第六十条);
    ``None`` while a period that counts is still open."""
    assert case.opened_on is not None
    extension_days = sum(DeadlineExtension.objects.filter(case=case).values_list("days", flat=True))
    periods = [(p.first_day, p.last_day) for p in counted_periods(case)]
    return limits.decision_due_excluding(case.opened_on, extension_days, periods)


def open_counted_period(case: Case) -> ExcludedPeriod | None:
    """The open period that stops the clock now, if any (for the page: 办案期限暂停计算)."""
    return next((p for p in counted_periods(case) if p.last_day is None), None)


def sync_hearing_period(case: Case, code: str, on: dt.date, actor: User) -> None:
    """听证 time: open when the party asks for a hearing, closed when it is held (or the case goes back to
    investigation). Recorded whatever the domain; whether it counts is the domain's rule."""
    if code == "request_hearing":
        if not ExcludedPeriod.objects.filter(
            case=case, kind=ExcludedPeriodKind.HEARING, last_day=None
        ).exists():
            ExcludedPeriod.objects.create(
                case=case,
                kind=ExcludedPeriodKind.HEARING,
                first_day=on,
                reason="当事人申请听证",
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    elif code in ("hold_hearing", "return_to_investigation"):
        ExcludedPeriod.objects.filter(
            case=case, kind=ExcludedPeriodKind.HEARING, last_day=None, first_day__lte=on
        ).update(last_day=on)


# --- services ---------------------------------------------------------------------------------------------------

RECORDABLE_KINDS = [c for c in ExcludedPeriodKind.choices if c[0] != ExcludedPeriodKind.HEARING]


def _check_kind(case: Case, kind: str) -> None:
    if kind == ExcludedPeriodKind.HEARING or kind not in ExcludedPeriodKind.values:
        raise InvalidInput("请选择期间类型（听证期间自动登记）。", "Choose the kind of period.", field="kind")
    if kind not in limits.excluded_kinds(case.domain.code):
        # 行政处罚法 第六十条: only what a law, regulation or rule leaves out is left out.
        raise refuse(
            "period_not_excluded_in_domain",
            f"“{case.domain.name}”领域的规定未将{ExcludedPeriodKind(kind).label}期间排除在办案期限之外"
            "（行政处罚法第六十条：法律、法规、规章另有规定的，从其规定）。",
            f"The rules of the domain '{case.domain.code}' do not leave '{kind}' out of the period (Art. 60).",
        )


@service
def case_record_excluded_period(
    *,
    actor: User,
    case: Case | int,
    kind: str,
    first_day: dt.date,
    last_day: dt.date | None = None,
    reason: str = "",
    on: dt.date | None = None,
) -> ExcludedPeriod:
    """登记不计入办案期限的期间 — e.g. goods sent for testing or appraisal (市场监督管理行政处罚程序规定
    第六十四条第三款); without a last day the period stays open until it is ended."""
    from zhifa.cases import services  # local import: cases.services imports this module at load (cycle)

    case, on = services._begin("record_excluded_period", actor, case, on)
    _check_kind(case, kind)
    reason = check_length(reason, field="reason", label="说明", limit=500)
    assert case.opened_on is not None
    if first_day <= case.opened_on or first_day > on:
        raise InvalidInput(
            "起始日须在立案日之后、不晚于办理日期。",
            "The first day lies after the opening and not after today.",
            field="first_day",
        )
    if last_day is not None and not first_day <= last_day <= on:
        raise InvalidInput(
            "结束日须在起始日与办理日期之间。",
            "The last day lies between the first day and today.",
            field="last_day",
        )
    if last_day is None and ExcludedPeriod.objects.filter(case=case, kind=kind, last_day=None).exists():
        raise refuse(
            "excluded_period_open",
            f"已有尚未结束的{ExcludedPeriodKind(kind).label}期间，请先登记其结束日。",
            "A period of this kind is still open; end it first.",
        )
    period = ExcludedPeriod.objects.create(
        case=case, kind=kind, first_day=first_day, last_day=last_day, reason=reason, recorded_by=actor
    )
    services._commit(
        case,
        actor=actor,
        code="record_excluded_period",
        on=on,
        fields={},
        extra={"period_id": period.pk, "kind": kind, "first_day": first_day, "last_day": last_day},
    )
    return period


@service
def case_end_excluded_period(
    *, actor: User, case: Case | int, kind: str, last_day: dt.date, on: dt.date | None = None
) -> ExcludedPeriod:
    """结束不计入期间 — the testing report is back, the notice period is over: the clock runs again."""
    from zhifa.cases import services  # local import: cases.services imports this module at load (cycle)

    case, on = services._begin("end_excluded_period", actor, case, on)
    if kind == ExcludedPeriodKind.HEARING:
        raise InvalidInput(
            "听证期间于举行听证时自动结束。", "A hearing period ends with the hearing.", field="kind"
        )
    period = ExcludedPeriod.objects.filter(case=case, kind=kind, last_day=None).first()
    if period is None:
        raise refuse(
            "no_open_excluded_period",
            "没有尚未结束的该类期间。",
            "No open period of this kind.",
        )
    if not period.first_day <= last_day <= on:
        raise InvalidInput(
            f"结束日须在起始日（{period.first_day:%Y-%m-%d}）与办理日期之间。",
            "The last day lies between the first day and today.",
            field="last_day",
        )
    period.last_day = last_day
    period.save(update_fields=["last_day"])
    services._commit(
        case,
        actor=actor,
        code="end_excluded_period",
        on=on,
        fields={},
        extra={"period_id": period.pk, "kind": kind, "first_day": period.first_day, "last_day": last_day},
    )
    return period
