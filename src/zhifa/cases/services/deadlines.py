"""A case's deadlines as services set them, and the ones waiting for a year's holiday schedule (期限待节假日安排)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from zhifa.cases import fines, guards, limits
from zhifa.cases.models import (
    FINISHED_STAGES,
    PRE_DECISION_STAGES,
    Case,
    EnforcementDemand,
    OnSpotCollection,
    Procedure,
    Seizure,
    SeizureStatus,
    Stage,
)
from zhifa.core import flags
from zhifa.core.errors import ConfigurationMissing
from zhifa.core.flags import FlagCandidate
from zhifa.org.models import Domain


def _next_deadline(case: Case) -> dt.date | None:
    """The nearest deadline of the case's current stage (the workbench sorts by it)."""
    if case.stage in FINISHED_STAGES or case.stage == Stage.SOURCE:
        return None
    candidates: list[dt.date] = []
    if case.stage in PRE_DECISION_STAGES and case.decision_due:
        candidates.append(case.decision_due)
    elif case.stage == Stage.DECIDED and case.service_due:
        candidates.append(case.service_due)
    else:  # served / executing
        if case.procedure == Procedure.SIMPLE and not case.filed_on and case.filing_due:
            candidates.append(case.filing_due)
        if guards.owes_money(case):
            enforcement = EnforcementDemand.objects.filter(case=case).first()
            plan = fines.approved_plan(case)
            if enforcement is None and plan is not None:
                # 行政处罚法 第六十六条: under an approved plan the next instalment's due date is the deadline
                next_due = plan.instalments.filter(paid_on__isnull=True).order_by("seq").first()
                if next_due is not None:
                    candidates.append(next_due.due_on)
            elif enforcement is None and case.payment_due:
                candidates.append(case.payment_due)
            elif enforcement is not None and not enforcement.court_applied_on and case.served_on:
                try:
                    candidates.append(limits.court_application_window(case.served_on)[1])
                except ConfigurationMissing:
                    # the window's end waits for a year's holiday schedule: the earliest it can be, so the
                    # reminder comes early, never late (the court-application guard itself refuses until then)
                    remedy_end = limits.add_months(case.served_on, limits.REMEDY_MONTHS)
                    candidates.append(limits.add_months(remedy_end, limits.COURT_APPLICATION_MONTHS))
    collection = OnSpotCollection.objects.filter(case=case).first()
    if collection is not None:  # 行政处罚法 第七十一条: handed in to the agency, then to the bank
        if not collection.handed_in_on and collection.hand_in_due:
            candidates.append(collection.hand_in_due)
        elif collection.handed_in_on and not collection.banked_on and collection.bank_due:
            candidates.append(collection.bank_due)
    seizure_due = (
        Seizure.objects.filter(case=case, status=SeizureStatus.ACTIVE)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    if seizure_due:
        candidates.append(seizure_due)
    return min(candidates) if candidates else None


# A deadline counted across a year whose holiday schedule is not published/confirmed yet (zhifa.core.workdays).
PENDING_SCHEDULE = "期限待节假日安排公布后计算"
PENDING_SCHEDULE_FLAG = "deadline_pending_schedule"


def _pending_schedule_flag(case: Case, what: str, year: int | None) -> Any:
    return FlagCandidate(
        kind=PENDING_SCHEDULE_FLAG,
        key=f"case:{case.pk}:{what}",
        agency_id=case.agency_id,
        title=f"{case.number or case.title}：{what}{PENDING_SCHEDULE}",
        detail=f"缺少 {year} 年的节假日安排，请系统管理员录入并确认国务院公布的放假安排。" if year else "",
        object_type="cases.case",
        object_id=str(case.pk),
        url=reverse("cases:detail", args=[case.pk]),
        severity="warning",
    )


def _due_or_pending(case: Case, what: str, compute: Any) -> dt.date | None:
    """The deadline, or ``None`` when its year's holiday schedule is not known yet: the act goes ahead, the
    page shows PENDING_SCHEDULE, and supervision is flagged at once (the flag source keeps it open)."""
    try:
        return compute()  # type: ignore[no-any-return]
    except ConfigurationMissing as missing:
        flags.notify(_pending_schedule_flag(case, what, (missing.details or {}).get("year")))
        return None


def _payment_due_or_none(served_on: dt.date) -> dt.date | None:
    try:
        return limits.payment_due(served_on)
    except ConfigurationMissing:
        return None


def _filing_due_or_none(decided_on: dt.date) -> dt.date | None:
    try:
        return limits.simple_filing_due(decided_on)
    except ConfigurationMissing:
        return None


def _effective_payment_due(case: Case, on: dt.date) -> dt.date:
    """The 缴款期限 for the surcharge: stored, or counted now that the schedule may be known. Until then a
    payment within the fifteen calendar days is on time whatever the schedule (rolling only extends it);
    a later one needs the schedule (ConfigurationMissing, a clear refusal)."""
    if case.payment_due is not None:
        return case.payment_due
    assert case.served_on is not None
    earliest = case.served_on + dt.timedelta(days=limits.PAYMENT_DAYS)
    return earliest if on <= earliest else limits.payment_due(case.served_on)


def pending_schedule_flags(since: Any = None) -> Any:
    """Flag source: every open case whose 送达期限 or 缴款期限 waits for a year's holiday schedule."""
    decided = Case.objects.filter(stage=Stage.DECIDED, decided_on__isnull=False, service_due__isnull=True)
    for case in decided.only("pk", "agency_id", "number", "title"):
        yield _pending_schedule_flag(case, "送达期限", None)
    owing = Case.objects.filter(
        stage__in=[Stage.SERVED, Stage.EXECUTING],
        fine_yuan__isnull=False,
        served_on__isnull=False,
        payment_due__isnull=True,
        paid_on__isnull=True,
    )
    for case in owing.only("pk", "agency_id", "number", "title"):
        yield _pending_schedule_flag(case, "缴款期限", None)
    unfiled = Case.objects.filter(
        procedure=Procedure.SIMPLE, filed_on__isnull=True, filing_due__isnull=True, decided_on__isnull=False
    ).exclude(stage__in=FINISHED_STAGES - {Stage.CLOSED})
    for case in unfiled.only("pk", "agency_id", "number", "title"):
        yield _pending_schedule_flag(case, "备案期限", None)
    # 市场监督管理行政处罚程序规定 第十八条: a lead's check period in a domain that sets one
    periods = {
        d.code: p for d in Domain.objects.all() if (p := limits.source_check_period(d.code)) is not None
    }
    unchecked = Case.objects.filter(
        stage=Stage.SOURCE, source_check_due__isnull=True, domain__code__in=list(periods)
    ).select_related("domain")
    for case in unchecked.only("pk", "agency_id", "number", "title", "source_received_on", "domain__code"):
        try:  # a source registered before the period was configured is not pending: only an unknown year is
            limits.source_check_due(case.source_received_on, periods[case.domain.code][0])
        except ConfigurationMissing:
            yield _pending_schedule_flag(case, "案源核查期限", None)
