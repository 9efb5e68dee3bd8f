"""案源核查 — the period to check a lead before the agency head decides whether to open a case.

市场监督管理行政处罚程序规定 第十八条: 应当自发现线索或者收到材料之日起十五个工作日内予以核查，由市场监督管理部门
负责人决定是否立案；特殊情况下，经市场监督管理部门负责人批准，可以延长十五个工作日. The period is set per domain
(``limits.source_check_period``) and counted in working days from the day the source is registered
(``Case.source_check_due``; pending while the year's holiday schedule is unknown). The head may extend it once,
before it ends; a source past its period without 立案 / 不予立案 is listed (``sources_past_check_period``), counted
on the head's workbench and flagged to supervision (``source_check_overdue_flags``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from zhifa.cases import guards, limits, services
from zhifa.cases.models import Case, Stage
from zhifa.cases.rules import VIEW_CASE
from zhifa.core import clock
from zhifa.core.flags import FlagCandidate
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import User

SOURCE_CHECK_OVERDUE_FLAG = "source_check_overdue"


@service
def case_extend_source_check(
    *, actor: User, case: Case | int, working_days: int, reason: str, on: dt.date | None = None
) -> Case:
    """延长案源核查期限 — once, by the agency head, before the period ends (第十八条: 可以延长十五个工作日)."""
    case, on = services._begin("extend_source_check", actor, case, on)
    period = limits.source_check_period(case.domain.code)
    assert period is not None  # the transition's check
    if not 1 <= working_days <= period[1]:
        raise guards.refuse(
            "source_check_extension_too_long",
            f"核查期限经机关负责人批准可延长不超过 {period[1]} 个工作日（市场监督管理行政处罚程序规定第十八条）。",
            f"The check period may be extended by 1 to {period[1]} working days.",
        )
    reason = services._require_text(reason, "reason", "延长理由")
    previous = case.source_check_due
    assert previous is not None
    return services._commit(
        case,
        actor=actor,
        code="extend_source_check",
        on=on,
        fields={
            # counted in working days; pending (shown and flagged) while the year's schedule is unknown
            "source_check_due": services._due_or_pending(
                case, "案源核查期限", lambda: limits.source_check_due(previous, working_days)
            ),
            "source_check_extended_days": working_days,
        },
        extra={"previous_due": previous, "reason": reason},
    )


def sources_past_check_period(user: User, today: dt.date | None = None) -> QuerySet[Case]:
    """案源核查逾期 — sources in the user's scope past their check period with no decision whether to open."""
    today = today or guards.today()
    qs = perms.scoped(user, VIEW_CASE, Case.objects.all())
    return qs.filter(stage=Stage.SOURCE, source_check_due__lt=today).order_by("source_check_due", "id")


def source_check_overdue_flags(since: Any = None) -> Any:
    """Flag source: every source past its check period without 立案 / 不予立案 (第十八条)."""
    today = clock.today()
    qs = Case.objects.filter(stage=Stage.SOURCE, source_check_due__lt=today).select_related("agency")
    for case in qs.only("pk", "agency_id", "agency__name", "title", "source_check_due").iterator(
        chunk_size=500
    ):
        assert case.source_check_due is not None
        yield FlagCandidate(
            kind=SOURCE_CHECK_OVERDUE_FLAG,
            key=f"case:{case.pk}:source_check",
            agency_id=case.agency_id,
            title=f"{case.agency.name}：案源“{case.title}”逾期未作出是否立案的决定（核查期限 {case.source_check_due:%Y-%m-%d}）",
            detail="市场监督管理行政处罚程序规定第十八条",
            object_type="cases.case",
            object_id=str(case.pk),
            url=reverse("cases:detail", args=[case.pk]),
            due=case.source_check_due,
            severity="warning",
        )
