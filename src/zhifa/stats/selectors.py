"""Reads of the statistics: the caller's scope over the facts, each dashboard chart, and the drill-down list.

Every chart reads only ``Fact`` (a few thousand rows per region and year), never the case or inspection
tables; the drill-down reads the cases behind one number through the cases app's own scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from zhifa.cases.models import FINISHED_STAGES, Case, PenaltyKind
from zhifa.cases.rules import VIEW_CASE
from zhifa.core import clock
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.inspections.models import WarningKind
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Domain, Region, ScopeKind, User
from zhifa.stats import rules
from zhifa.stats.aggregates import DUE_METRICS
from zhifa.stats.models import AssessmentScheme, AssessmentScore, Fact, RegionFact, SchemeStatus

MONTHS = [f"{m}月" for m in range(1, 13)]


@dataclass
class Scope:
    """The facts a caller may see, narrowed to a region or an agency they asked for, and one year.

    ``rollup_paths``: when the caller sees *everything* in some regions (a region grant covering them), the
    monthly series are read from those regions' roll-ups (``RegionFact``, a few hundred rows) instead of
    summing every agency's cells; otherwise (an agency's own figures, mixed grants) from ``Fact``.
    """

    user: User
    year: int
    facts: QuerySet[Fact]
    label: str
    region: Region | None = None
    agency: Agency | None = None
    params: dict[str, str] = field(default_factory=dict)
    rollup_paths: list[str] | None = None
    _cells: dict[tuple[str, str, int], tuple[int, Decimal]] | None = field(default=None, repr=False)

    def of_year(self) -> QuerySet[Fact]:
        return self.facts.filter(day__gte=dt.date(self.year, 1, 1), day__lt=dt.date(self.year + 1, 1, 1))

    def year_cells(self) -> dict[tuple[str, str, int], tuple[int, Decimal]]:
        """Every monthly metric of the year in scope: ``(metric, key, month) -> (count, amount)`` (one query)."""
        if self._cells is None:
            if self.rollup_paths is not None:
                qs: QuerySet[Any] = RegionFact.objects.filter(
                    region_path__in=self.rollup_paths,
                    day__gte=dt.date(self.year, 1, 1),
                    day__lt=dt.date(self.year + 1, 1, 1),
                )
            else:
                qs = self.of_year().exclude(metric__in=DUE_METRICS)
            rows = qs.values("metric", "key", "day").annotate(c=Sum("count"), a=Sum("amount")).order_by()
            self._cells = {(r["metric"], r["key"], r["day"].month): (r["c"], r["a"]) for r in rows}
        return self._cells

    def total(self, metric: str, key: str | None = None, value: str = "count") -> Any:
        """The year's total of one metric (optionally one key)."""
        i = 0 if value == "count" else 1
        zero: Any = 0 if value == "count" else Decimal(0)
        return sum(
            (v[i] for (m, k, _), v in self.year_cells().items() if m == metric and key in (None, k)), zero
        )


def _sees_whole(user: User, path: str) -> bool:
    """Does a region grant (with ``stats.view``) cover everything under ``path``?"""
    if getattr(user, "is_superuser", False):
        return True
    return any(
        g.scope == ScopeKind.REGION and path.startswith(g.region_path or "\x00")
        for g in perms.grants(user)
        if rules.VIEW in perms.ROLE_ACTIONS.get(g.role, frozenset())
    )


def _rollup_paths(user: User, region: Region | None, agency: Agency | None) -> list[str] | None:
    """The regions whose roll-ups add up to exactly what the caller may see, or None (read ``Fact``)."""
    if agency is not None:
        return None
    if region is not None:
        return [region.path] if _sees_whole(user, region.path) else None
    if getattr(user, "is_superuser", False):
        return None  # everything, including cells placed in no region
    relevant = [g for g in perms.grants(user) if rules.VIEW in perms.ROLE_ACTIONS.get(g.role, frozenset())]
    if not relevant or any(g.scope != ScopeKind.REGION for g in relevant):
        return None
    paths = sorted({g.region_path or "" for g in relevant})
    return [p for p in paths if p and not any(q != p and p.startswith(q) for q in paths)]


def scope_for(user: User, *, year: int | None = None, region: str = "", agency: int | None = None) -> Scope:
    """The caller's facts; a region or agency outside the caller's scope answers 404 (as if unknown)."""
    perms.require(user, rules.VIEW)
    today = clock.today()
    year = year or today.year
    if not 2000 <= year <= today.year + 1:
        raise InvalidInput("年度超出范围。", "Year out of range.", field="year", code="year_out_of_range")
    facts = perms.scoped(user, rules.VIEW, Fact)
    params = {"year": str(year)}
    label = "本人数据范围"
    found_region = found_agency = None
    if region:
        found_region = Region.objects.filter(code=region).first()
        if found_region is None or not perms.can(user, rules.VIEW, found_region):
            raise NotFound("区划不存在或不在您的数据范围内。", "Region not found.", code="region_not_found")
        facts = facts.filter(region_path__startswith=found_region.path)
        params["region"] = region
        label = found_region.name
    if agency:
        found_agency = Agency.objects.filter(pk=agency).select_related("region").first()
        if found_agency is None or not perms.can(user, rules.VIEW, found_agency):
            raise NotFound(
                "执法主体不存在或不在您的数据范围内。", "Agency not found.", code="agency_not_found"
            )
        facts = facts.filter(agency=found_agency)
        params["agency"] = str(agency)
        label = found_agency.name
    rollup = _rollup_paths(user, found_region, found_agency)
    return Scope(user, year, facts, label, found_region, found_agency, params, rollup)


# --- charts ------------------------------------------------------------------------------------------------------


def _by_month(scope: Scope, metric: str, value: str = "count", key: str | None = None) -> list[Any]:
    i = 0 if value == "count" else 1
    totals: dict[int, Any] = {}
    for (m, k, month), v in scope.year_cells().items():
        if m == metric and key in (None, k):
            totals[month] = totals.get(month, 0) + v[i]
    zero: Any = Decimal(0) if value == "amount" else 0
    return [_plain(totals.get(m, zero)) for m in range(1, 13)]


def _by_key(scope: Scope, metric: str) -> dict[str, int]:
    totals: dict[str, int] = {}
    for (m, k, _), (count, _amount) in scope.year_cells().items():
        if m == metric:
            totals[k] = totals.get(k, 0) + count
    return totals


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value.quantize(Decimal("0.01")))
    return value or 0


def _agency_names(ids: list[int]) -> dict[int, str]:
    return dict(Agency.objects.filter(pk__in=ids).values_list("id", "name"))


def chart_acts_by_month(scope: Scope) -> dict[str, Any]:
    series = [
        ("立案", "case.opened"),
        ("处罚决定", "case.decided"),
        ("行政强制措施", "case.compulsion"),
        ("涉企检查", "inspection.done"),
    ]
    return {
        "title": "执法行为（按月）",
        "type": "bar",
        "labels": MONTHS,
        "dimension": "month",
        "keys": list(range(1, 13)),
        "series": [{"name": n, "metric": m, "values": _by_month(scope, m)} for n, m in series],
    }


def chart_acts_by_agency(scope: Scope, limit: int = 20) -> dict[str, Any]:
    qs = scope.of_year().filter(metric__in=["case.decided", "case.compulsion", "inspection.done"])
    rows = qs.values("agency_id", "metric").annotate(v=Sum("count")).order_by()
    table: dict[int, dict[str, int]] = {}
    for r in rows:
        if r["agency_id"] is not None:
            table.setdefault(r["agency_id"], {})[r["metric"]] = r["v"]
    top = sorted(table, key=lambda a: (-sum(table[a].values()), a))[:limit]
    names = _agency_names(top)
    return {
        "title": "执法行为（按执法主体，前 20）",
        "type": "hbar",
        "labels": [names.get(a, str(a)) for a in top],
        "dimension": "agency",
        "keys": top,
        "series": [
            {"name": n, "metric": m, "values": [table[a].get(m, 0) for a in top]}
            for n, m in (
                ("处罚决定", "case.decided"),
                ("行政强制措施", "case.compulsion"),
                ("涉企检查", "inspection.done"),
            )
        ],
    }


def chart_penalty_kinds(scope: Scope) -> dict[str, Any]:
    totals = _by_key(scope, "case.penalty")
    rows: list[dict[str, Any]] = [
        {"key": k, "v": v} for k, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])) if v
    ]
    labels = dict(PenaltyKind.choices)
    return {
        "title": "处罚种类",
        "type": "pie",
        "labels": [str(labels.get(r["key"], r["key"])) for r in rows],
        "dimension": "key",
        "keys": [r["key"] for r in rows],
        "series": [{"name": "处罚决定", "metric": "case.penalty", "values": [r["v"] for r in rows]}],
    }


def chart_fines(scope: Scope) -> dict[str, Any]:
    return {
        "title": "罚没金额（元，按月）",
        "type": "line",
        "labels": MONTHS,
        "dimension": "month",
        "keys": list(range(1, 13)),
        "series": [
            {"name": "罚款", "metric": "case.fine", "values": _by_month(scope, "case.fine", "amount")},
            {
                "name": "没收",
                "metric": "case.confiscation",
                "values": _by_month(scope, "case.confiscation", "amount"),
            },
        ],
    }


def overdue_by_agency(scope: Scope, today: dt.date | None = None, limit: int = 20) -> list[tuple[int, int]]:
    today = today or clock.today()
    rows = (
        scope.facts.filter(metric="case.deadline", day__lt=today)
        .values("agency_id")
        .annotate(v=Sum("count"))
        .order_by("-v", "agency_id")
    )
    return [(r["agency_id"], r["v"]) for r in rows if r["v"]][:limit]


def chart_overdue(scope: Scope) -> dict[str, Any]:
    rows = overdue_by_agency(scope)
    names = _agency_names([a for a, _ in rows])
    return {
        "title": "在办超期案件（当前，按执法主体）",
        "type": "hbar",
        "labels": [names.get(a, str(a)) for a, _ in rows],
        "dimension": "agency",
        "keys": [a for a, _ in rows],
        "series": [{"name": "超期未办结", "metric": "case.deadline", "values": [v for _, v in rows]}],
        "note": "按各案件当前环节的期限（办案期限、送达期限、缴款期限等）已过计算；不限年度。",
    }


def overdue_now(scope: Scope, metric: str) -> int:
    """Open items of one ``*.due`` metric whose deadline has passed (cases, reviews, publications, complaints)."""
    today = clock.today()
    return scope.facts.filter(metric=metric, day__lt=today).aggregate(v=Sum("count"))["v"] or 0


def chart_disclosure(scope: Scope) -> dict[str, Any]:
    late = overdue_now(scope, "publication.due")
    return {
        "title": "执法信息公示（按月）",
        "type": "bar",
        "labels": MONTHS,
        "dimension": "month",
        "keys": list(range(1, 13)),
        "series": [
            {
                "name": "公示",
                "metric": "publication.published",
                "values": _by_month(scope, "publication.published"),
            },
            {
                "name": "逾期公示",
                "metric": "publication.late",
                "values": _by_month(scope, "publication.late"),
            },
            {
                "name": "撤回",
                "metric": "publication.withdrawn",
                "values": _by_month(scope, "publication.withdrawn"),
            },
        ],
        "note": f"当前已过公示期限仍未公示 {late} 件（处罚、许可决定 7 个工作日，其他结果 20 个工作日）。",
    }


def chart_complaints(scope: Scope) -> dict[str, Any]:
    late = overdue_now(scope, "complaint.due")
    rated = _by_key(scope, "complaint.rated")
    return {
        "title": "投诉举报（按月）",
        "type": "bar",
        "labels": MONTHS,
        "dimension": "month",
        "keys": list(range(1, 13)),
        "series": [
            {
                "name": "受理",
                "metric": "complaint.received",
                "values": _by_month(scope, "complaint.received"),
            },
            {"name": "答复", "metric": "complaint.replied", "values": _by_month(scope, "complaint.replied")},
            {
                "name": "不满意",
                "metric": "complaint.rated",
                "key": "dissatisfied",
                "values": _by_month(scope, "complaint.rated", key="dissatisfied"),
            },
        ],
        "note": (
            f"评价：满意 {rated.get('satisfied', 0)}、基本满意 {rated.get('basic', 0)}、"
            f"不满意 {rated.get('dissatisfied', 0)}；当前超过办理期限未办结 {late} 件。"
        ),
    }


def chart_late_decisions(scope: Scope) -> dict[str, Any]:
    return {
        "title": "超过办案期限作出决定（按月）",
        "type": "bar",
        "labels": MONTHS,
        "dimension": "month",
        "keys": list(range(1, 13)),
        "series": [
            {
                "name": "超期决定",
                "metric": "case.decided_late",
                "values": _by_month(scope, "case.decided_late"),
            }
        ],
    }


def chart_legal_reviews(scope: Scope) -> dict[str, Any]:
    return {
        "title": "法制审核与听证（按月）",
        "type": "bar",
        "labels": MONTHS,
        "dimension": "month",
        "keys": list(range(1, 13)),
        "series": [
            {
                "name": "审核同意",
                "metric": "case.legal_review",
                "key": "agreed",
                "values": _by_month(scope, "case.legal_review", key="agreed"),
            },
            {
                "name": "审核未通过",
                "metric": "case.legal_review",
                "key": "not_agreed",
                "values": _by_month(scope, "case.legal_review", key="not_agreed"),
            },
            {"name": "举行听证", "metric": "case.hearing", "values": _by_month(scope, "case.hearing")},
            {
                "name": "送审（审核流程）",
                "metric": "review.submitted",
                "values": _by_month(scope, "review.submitted"),
            },
            {"name": "超期完成审核", "metric": "review.late", "values": _by_month(scope, "review.late")},
        ],
        "note": f"当前超过审核期限仍在审 {overdue_now(scope, 'review.due')} 件。",
    }


def chart_warnings(scope: Scope) -> dict[str, Any]:
    raised = _by_key(scope, "warning.raised")
    closed = _by_key(scope, "warning.closed")
    kinds = [k for k in WarningKind.values if raised.get(k)]
    return {
        "title": "检查预警（按类型）",
        "type": "bar",
        "labels": [str(WarningKind(k).label) for k in kinds],
        "dimension": "key",
        "keys": kinds,
        "series": [{"name": "预警", "metric": "warning.raised", "values": [raised[k] for k in kinds]}],
        "note": f"已处理 {closed.get('handled', 0)} 条，已排除 {closed.get('dismissed', 0)} 条。",
    }


TOP_SCORES = 20


def latest_scores(scope: Scope) -> tuple[AssessmentScheme | None, list[AssessmentScore]]:
    schemes = perms.scoped(scope.user, rules.VIEW, AssessmentScheme).filter(
        status=SchemeStatus.SCORED, year__lte=scope.year
    )
    scheme = schemes.order_by("-year", "-id").first()
    if scheme is None:
        return None, []
    scores = (
        perms.scoped(scope.user, rules.VIEW, AssessmentScore).filter(scheme=scheme).select_related("agency")
    )
    if scope.agency is not None:
        scores = scores.filter(agency=scope.agency)
    elif scope.region is not None:
        scores = scores.filter(agency__region__path__startswith=scope.region.path)
    # a dashboard chart: the top 20 by design (chart_scores' note says so; the scheme's page ranks them all)
    return scheme, list(scores.order_by("rank", "agency_id")[:TOP_SCORES])


def chart_scores(scope: Scope) -> dict[str, Any]:
    scheme, scores = latest_scores(scope)
    return {
        "title": f"考评得分（{scheme.name}）" if scheme else "考评得分",
        "type": "hbar",
        "labels": [s.agency.name for s in scores],
        "dimension": "agency",
        "keys": [s.agency_id for s in scores],
        "series": [{"name": "总分", "metric": "", "values": [float(s.total) for s in scores]}],
        "note": (
            "尚无已评分的考评方案。"
            if scheme is None
            else f"仅显示前 {TOP_SCORES} 名，完整名次见考评方案。"
            if len(scores) >= TOP_SCORES
            else ""
        ),
    }


CHARTS = {
    "acts_by_month": chart_acts_by_month,
    "acts_by_agency": chart_acts_by_agency,
    "penalty_kinds": chart_penalty_kinds,
    "fines": chart_fines,
    "overdue": chart_overdue,
    "late_decisions": chart_late_decisions,
    "legal_reviews": chart_legal_reviews,
    "warnings": chart_warnings,
    "disclosure": chart_disclosure,
    "complaints": chart_complaints,
    "scores": chart_scores,
}


def chart(scope: Scope, name: str) -> dict[str, Any]:
    fn = CHARTS.get(name)
    if fn is None:
        raise NotFound("图表不存在。", "Chart not found.", code="chart_not_found")
    data = fn(scope)
    data["name"] = name
    return data


def headline(scope: Scope) -> dict[str, Any]:
    """The dashboard's numbers at the top (one grouped query)."""
    return {
        "decided": scope.total("case.decided"),
        "fines": _plain(scope.total("case.fine", value="amount")),
        "inspections": scope.total("inspection.done"),
        "warnings": scope.total("warning.raised"),
        "reviews": scope.total("case.legal_review"),
        "publications": scope.total("publication.published"),
        "complaints": scope.total("complaint.received"),
        "overdue": overdue_now(scope, "case.deadline"),
        "reviews_overdue": overdue_now(scope, "review.due"),
        "publications_overdue": overdue_now(scope, "publication.due"),
        "complaints_overdue": overdue_now(scope, "complaint.due"),
    }


# --- drill-down: the cases behind a number ------------------------------------------------------------------


def _month_range(year: int, month: int | None) -> tuple[dt.date, dt.date]:
    if month is None:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    if not 1 <= month <= 12:
        raise InvalidInput("月份须为 1–12。", "Month must be 1-12.", field="month", code="month_out_of_range")
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, 1), end


DRILL_METRICS = {
    "case.source": "source_received_on",
    "case.opened": "opened_on",
    "case.decided": "decided_on",
    "case.penalty": "decided_on",
    "case.fine": "decided_on",
    "case.confiscation": "decided_on",
    "case.decided_late": "decided_on",
    "case.closed": "closed_on",
    "case.ended": "ended_on",
    "case.hearing": "hearing_held_on",
    "case.legal_review": "legal_reviews__reviewed_on",
    "case.compulsion": "seizures__decided_on",
    "case.deadline": "",
}


def drill_cases(
    scope: Scope, metric: str, *, month: int | None = None, key: str = "", domain: int | None = None
) -> QuerySet[Any]:
    """The cases counted in one cell of a chart, seen through the cases app's scope (``cases.view_case``)."""

    if metric not in DRILL_METRICS:
        raise InvalidInput(
            "该指标不能下钻到案件。",
            "This metric has no case list.",
            field="metric",
            code="metric_not_drillable",
        )
    qs = perms.scoped(scope.user, VIEW_CASE, Case)
    if scope.agency is not None:
        qs = qs.filter(agency=scope.agency)
    elif scope.region is not None:
        qs = qs.filter(agency__region__path__startswith=scope.region.path)
    if domain:
        qs = qs.filter(domain_id=domain)
    date_field = DRILL_METRICS[metric]
    if metric == "case.deadline":  # 超期: open cases whose current deadline has passed
        return qs.filter(next_deadline__lt=clock.today()).exclude(stage__in=FINISHED_STAGES)
    start, end = _month_range(scope.year, month)
    qs = qs.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
    if metric in ("case.decided", "case.penalty", "case.fine", "case.confiscation", "case.decided_late"):
        qs = qs.exclude(penalty_kinds=[])
    if (metric == "case.decided" and key) or (metric == "case.opened" and key):
        qs = qs.filter(procedure=key)
    elif metric == "case.source" and key:
        qs = qs.filter(source_kind=key)
    elif metric == "case.penalty" and key:
        qs = qs.filter(penalty_kinds__icontains=f'"{key}"')
    elif metric == "case.fine":
        qs = qs.filter(fine_yuan__gt=0)
    elif metric == "case.confiscation":
        qs = qs.filter(confiscation_yuan__gt=0)
    elif metric == "case.decided_late":
        qs = qs.filter(decided_on__gt=F("decision_due"))
    elif metric == "case.ended" and key:
        qs = qs.filter(Q(stage=key) | Q(stage="archived", archived_from=key))
    elif metric == "case.legal_review" and key:
        qs = qs.filter(legal_reviews__agreed=(key == "agreed"))
    elif metric == "case.compulsion":
        qs = qs.filter(seizures__kind__in=[key] if key else ["seal", "detain"])
    return qs.distinct() if "__" in date_field else qs


def domains() -> list[Domain]:
    return list(Domain.objects.order_by("sort", "id"))


def count_cells(scope: Scope) -> int:
    return scope.of_year().aggregate(n=Count("id"))["n"]


def agency_metric_totals(
    agency_ids: list[int], start: dt.date, end: dt.date, metrics: list[str]
) -> dict[tuple[int, str, str], int]:
    """Counts of ``metrics`` per (agency, metric, key) for days in [start, end) — the figures a period's rating
    (季度评议, zhifa.ratings) and the annual assessment read; monthly metrics are dated the month's first day."""
    rows = (
        Fact.objects.filter(agency_id__in=agency_ids, day__gte=start, day__lt=end, metric__in=metrics)
        .values("agency_id", "metric", "key")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return {(r["agency_id"], r["metric"], r["key"]): r["n"] or 0 for r in rows}
