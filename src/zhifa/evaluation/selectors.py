"""Reads of case-file evaluation, always through the caller's scope (or their own assignments)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from zhifa.core.errors import NotFound
from zhifa.evaluation import rules
from zhifa.evaluation.models import EvaluationFile, EvaluationPlan, FileStatus, PanelMember, ThirdPartyScore
from zhifa.org import permissions as perms
from zhifa.org.models import User


def plans(user: User) -> QuerySet[EvaluationPlan]:
    return perms.scoped(user, rules.VIEW, EvaluationPlan).select_related("region", "sheet")


def plan_get(user: User, pk: int) -> EvaluationPlan:
    plan = plans(user).filter(pk=pk).first()
    if plan is None:
        raise NotFound("评查方案不存在或不在您的数据范围内。", "Plan not found.", code="plan_not_found")
    return plan


def files_of(user: User, plan: EvaluationPlan) -> QuerySet[EvaluationFile]:
    return (
        perms.scoped(user, rules.VIEW, EvaluationFile)
        .filter(plan=plan)
        .select_related("case", "agency", "evaluator")
        .order_by("agency_id", "id")
    )


def my_files(user: User) -> QuerySet[EvaluationFile]:
    """评查任务 — the files assigned to the user as evaluator, open ones first."""
    if not getattr(user, "is_authenticated", False):
        return EvaluationFile.objects.none()
    return (
        EvaluationFile.objects.filter(evaluator_id=user.pk)
        .select_related("plan", "case", "agency")
        .order_by("status", "-id")
    )


def file_get(user: User, pk: int) -> EvaluationFile:
    """A file the user may see: in their evaluation scope, or assigned to them as its evaluator."""
    qs = EvaluationFile.objects.select_related("plan__sheet", "plan__region", "case", "agency", "evaluator")
    visible = perms.scoped(user, rules.VIEW, qs).filter(pk=pk).first()
    if visible is None and getattr(user, "is_authenticated", False):
        visible = qs.filter(Q(pk=pk) & Q(evaluator_id=user.pk)).first()
    if visible is None:
        raise NotFound("评查案卷不存在或不在您的数据范围内。", "File not found.", code="file_not_found")
    return visible


def average_scores(agency_ids: list[int], year: int) -> dict[int, Decimal]:
    """考评「案卷质量」: each agency's mean score of its confirmed files in the year's plans."""
    rows = (
        EvaluationFile.objects.filter(agency_id__in=agency_ids, plan__year=year, status=FileStatus.CONFIRMED)
        .values("agency_id")
        .annotate(avg=Avg("total"))
        .order_by()
    )
    return {
        r["agency_id"]: Decimal(r["avg"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
        for r in rows
        if r["avg"] is not None
    }


def average_scores_between(
    agency_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, tuple[Decimal, int]]:
    """季度评议「案卷评查」: each agency's mean score and count of files confirmed in [start, end)."""
    rows = (
        EvaluationFile.objects.filter(
            agency_id__in=agency_ids,
            status=FileStatus.CONFIRMED,
            confirmed_at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time())),
            confirmed_at__lt=timezone.make_aware(dt.datetime.combine(end, dt.time())),
        )
        .values("agency_id")
        .annotate(avg=Avg("total"), n=Count("id"))
        .order_by()
    )
    return {
        r["agency_id"]: (Decimal(r["avg"]).quantize(Decimal("0.01"), ROUND_HALF_UP), r["n"])
        for r in rows
        if r["avg"] is not None
    }


def panel_of(plan: EvaluationPlan) -> QuerySet[PanelMember]:
    """评查组 — the plan's members, with how many files each holds and has scored."""
    return PanelMember.objects.filter(plan=plan).select_related("user").order_by("kind", "id")


def third_party_scores(plan: EvaluationPlan) -> QuerySet[ThirdPartyScore]:
    return (
        ThirdPartyScore.objects.filter(file__plan=plan).select_related("file").order_by("file_id", "assessor")
    )


def open_tasks(user: User) -> QuerySet[EvaluationFile]:
    """待评分 — the files assigned to the user and not yet scored."""
    return my_files(user).filter(status=FileStatus.PENDING)
