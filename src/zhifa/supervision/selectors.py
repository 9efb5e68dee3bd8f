"""执法监督 — reads, always in the caller's scope (a supervisor: the region; an agency: its own)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhifa.core import clock
from zhifa.core.errors import NotFound
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.supervision.models import (
    Flag,
    FlagState,
    Instrument,
    LiaisonPoint,
    NoActStatement,
    Problem,
    Questionnaire,
    ReturnVisit,
    SocialSupervisor,
)
from zhifa.supervision.rules import VIEW


def flags_queue(
    user: User,
    *,
    kind: str | None = None,
    state: str | None = FlagState.NEW,
    agency_id: int | None = None,
    open_only: bool = True,
) -> QuerySet[Flag]:
    """预警队列 — the flags of every source the caller may see, newest first."""
    qs = perms.scoped(user, VIEW, Flag.objects.select_related("agency", "problem"))
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if open_only:
        qs = qs.filter(source_open=True)
    return qs


def flag_get(user: User, pk: int) -> Flag:
    flag = perms.scoped(user, VIEW, Flag.objects.select_related("agency__region")).filter(pk=pk).first()
    if flag is None:
        raise NotFound("预警不存在或不在您的数据范围内。", "Flag not found.", code="flag_not_found")
    return flag


def problems(
    user: User, *, state: str | None = None, category: str | None = None, agency_id: int | None = None
) -> QuerySet[Problem]:
    """问题台账."""
    qs = perms.scoped(user, VIEW, Problem.objects.select_related("agency", "unit"))
    if state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(category=category)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return qs


def problem_get(user: User, pk: int) -> Problem:
    problem = perms.scoped(user, VIEW, Problem.objects.select_related("agency__region")).filter(pk=pk).first()
    if problem is None:
        raise NotFound("问题不存在或不在您的数据范围内。", "Problem not found.", code="problem_not_found")
    return problem


def instruments(user: User, *, status: str | None = None, kind: str | None = None) -> QuerySet[Instrument]:
    qs = perms.scoped(user, VIEW, Instrument.objects.select_related("agency", "issuer").defer("pdf"))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def instrument_get(user: User, pk: int) -> Instrument:
    ins = (
        perms.scoped(user, VIEW, Instrument.objects.select_related("agency__region", "issuer"))
        .filter(pk=pk)
        .first()
    )
    if ins is None:
        raise NotFound(
            "监督文书不存在或不在您的数据范围内。", "Instrument not found.", code="instrument_not_found"
        )
    return ins


def statements(user: User) -> QuerySet[NoActStatement]:
    return perms.scoped(user, VIEW, NoActStatement.objects.select_related("agency")).order_by("-year", "-id")


def social_supervisors(user: User) -> QuerySet[SocialSupervisor]:
    return perms.scoped(user, VIEW, SocialSupervisor.objects.select_related("region")).order_by("-id")


def liaison_points(user: User) -> QuerySet[LiaisonPoint]:
    return perms.scoped(user, VIEW, LiaisonPoint.objects.select_related("party", "region")).order_by("-id")


def questionnaires(user: User) -> QuerySet[Questionnaire]:
    """回访问卷 of the caller's regions, active and stopped, with how many questions and visits each has."""

    return (
        perms.scoped(user, VIEW, Questionnaire.objects.select_related("region"))
        .annotate(question_count=Count("questions", distinct=True))
        .order_by("-active", "-id")
    )


def return_visits(user: User) -> QuerySet[ReturnVisit]:
    return perms.scoped(user, VIEW, ReturnVisit.objects.select_related("case", "agency")).order_by("-id")


def agency_supervision_figures(
    agency_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """季度评议「预警处置」「问题整改」: per agency, the warnings first seen in [start, end) and how many were handled
    (any state but 待处理), the problems opened in the period, those open at its start or opened in it (“in
    hand”), those of them overdue at its end (past their deadline and not closed by it) and those closed in it."""
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    hi = timezone.make_aware(dt.datetime.combine(end, dt.time()))
    last_day = end - dt.timedelta(days=1)
    result: dict[int, dict[str, int]] = {
        a: {"flags": 0, "flags_handled": 0, "opened": 0, "in_hand": 0, "overdue": 0, "closed": 0}
        for a in agency_ids
    }
    for agency_id, state in Flag.objects.filter(
        agency_id__in=agency_ids, first_seen_at__gte=lo, first_seen_at__lt=hi
    ).values_list("agency_id", "state"):
        result[agency_id]["flags"] += 1
        result[agency_id]["flags_handled"] += state != FlagState.NEW
    problems = Problem.objects.filter(agency_id__in=agency_ids, opened_at__lt=hi).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=lo)
    )
    for agency_id, opened_at, closed_at, due in problems.values_list(
        "agency_id", "opened_at", "closed_at", "due"
    ):
        f = result[agency_id]
        f["in_hand"] += 1
        f["opened"] += opened_at >= lo
        closed_in = closed_at is not None and closed_at < hi
        f["closed"] += closed_in
        if due is not None and due < last_day:
            closed_day = clock.business_date(closed_at) if closed_at is not None and closed_in else None
            f["overdue"] += closed_day is None or closed_day > due
    return result
