"""报送事项 — reads: the report kinds a bureau set, what a filer owes (obligations: period × filer, with its
report if drafted), what a bureau received, what is overdue, and the figures a report is drafted from.

Figures come from the other apps' own reads in the *filer's* scope: case, inspection, review and complaint
counts from the statistics facts (``zhifa.stats.selectors.scope_for``, the dashboard's numbers), problems and
rectifications from the supervision ledger (``zhifa.supervision.selectors.problems``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Q, QuerySet, Sum, Value, When

from zhifa.core import clock
from zhifa.core.errors import NotFound
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Region, ScopeKind, User
from zhifa.reporting import rules
from zhifa.reporting.models import FILED_STATUSES, FilerLevel, Report, ReportKind, ReportStatus
from zhifa.reporting.periods import ReportPeriod, ended_periods
from zhifa.stats.aggregates import DUE_METRICS
from zhifa.stats.selectors import scope_for
from zhifa.supervision import selectors as supervision
from zhifa.supervision.models import ProblemStep, ProblemStepKind

# --- figures --------------------------------------------------------------------------------------------------

# (label, stats metric, key or None, "count"/"amount")
FACT_FIGURES: tuple[tuple[str, str, str | None, str], ...] = (
    ("案源登记（件）", "case.source", None, "count"),
    ("立案（件）", "case.opened", None, "count"),
    ("作出行政处罚决定（件）", "case.decided", None, "count"),
    ("罚款金额（元）", "case.fine", None, "amount"),
    ("结案（件）", "case.closed", None, "count"),
    ("超期作出决定（件）", "case.decided_late", None, "count"),
    ("法制审核（件）", "case.legal_review", None, "count"),
    ("举行听证（件）", "case.hearing", None, "count"),
    ("行政强制措施（件）", "case.compulsion", None, "count"),
    ("涉企检查（次）", "inspection.done", None, "count"),
    ("检查预警（条）", "warning.raised", None, "count"),
    ("投诉举报受理（件）", "complaint.received", None, "count"),
    ("投诉举报答复（件）", "complaint.replied", None, "count"),
)


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Beijing-time midnight of ``start`` and of the day after ``end`` (business dates)."""
    tz = clock.local(clock.now()).tzinfo
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def figures(
    actor: User, *, agency: Agency | None, region: Region, start: dt.date, end: dt.date
) -> list[list[Any]]:
    """The report's figures for the filer (an agency, or a whole region) over the period, in the actor's scope:
    ``[[label, value], ...]`` (values are ints or yuan strings, JSON-safe)."""
    if agency is not None:
        scope = scope_for(actor, year=end.year, agency=agency.pk)
    else:
        scope = scope_for(actor, year=end.year, region=region.code)
    # monthly facts carry the first day of their month; the periods are whole months
    facts = (
        scope.facts.exclude(metric__in=DUE_METRICS)
        .filter(day__gte=start.replace(day=1), day__lte=end)
        .values("metric")
        .annotate(n=Sum("count"), amt=Sum("amount"))
        .order_by()
    )
    by_metric = {r["metric"]: (r["n"] or 0, r["amt"] or Decimal(0)) for r in facts}
    out: list[list[Any]] = []
    for label, metric, _key, value in FACT_FIGURES:
        n, amount = by_metric.get(metric, (0, Decimal(0)))
        out.append([label, f"{amount:.2f}" if value == "amount" else int(n)])
    problems = supervision.problems(actor, agency_id=agency.pk if agency else None)
    if agency is None:
        problems = problems.filter(agency__region__path__startswith=region.path)
    since, until = _day_bounds(start, end)
    opened = problems.filter(opened_at__gte=since, opened_at__lt=until).count()
    closed = problems.filter(closed_at__gte=since, closed_at__lt=until).count()
    open_at_end = (
        problems.filter(opened_at__lt=until)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=until))
        .count()
    )
    rectified = ProblemStep.objects.filter(
        problem__in=problems.values("pk"), kind=ProblemStepKind.RECTIFY, at__gte=since, at__lt=until
    ).count()
    out += [
        ["监督发现问题（个）", opened],
        ["问题整改销号（个）", closed],
        ["报告期末未销号问题（个）", open_at_end],
        ["报送整改措施（次）", rectified],
    ]
    return out


def figure_text(rows: Iterable[list[Any]]) -> str:
    """The drafted first section: the period's figures in one paragraph (“立案12件，……”)."""
    parts = []
    for label, value in rows:
        name, _, unit = str(label).partition("（")
        parts.append(f"{name}{value}{unit.rstrip('）')}")
    return "本报告期内，" + "，".join(parts) + "。（以上数据由平台根据执法、检查、审核、监督记录自动生成。）"


# --- kinds ----------------------------------------------------------------------------------------------------


def kinds(user: User) -> QuerySet[ReportKind]:
    """The report kinds the caller may configure (their regions'), newest first."""
    return perms.scoped(user, rules.CONFIGURE, ReportKind.objects.select_related("region")).order_by("-id")


def kind_get(user: User, pk: int) -> ReportKind:
    kind = kinds(user).filter(pk=pk).first()
    if kind is None:
        raise NotFound(
            "报送事项不存在或不在您的数据范围内。", "Report kind not found.", code="kind_not_found"
        )
    return kind


def configurable_regions(user: User) -> list[Region]:
    """Regions whose kinds the caller sets: the regions of their own REGION grants (a bureau sets its own)."""
    if getattr(user, "is_superuser", False):
        return list(Region.objects.filter(level__in=["city", "county"]).order_by("path"))
    paths = [
        g.region_path
        for g in perms.grants(user)
        if g.scope == ScopeKind.REGION and rules.CONFIGURE in perms.ROLE_ACTIONS.get(g.role, frozenset())
    ]
    return list(Region.objects.filter(path__in=paths).order_by("path"))


# --- obligations: what a filer owes ------------------------------------------------------------------------


@dataclass
class Obligation:
    """应报事项 — one filer's report for one ended period of a kind, and the report if drafted."""

    kind: ReportKind
    agency: Agency | None
    region: Region
    period: ReportPeriod
    report: Report | None

    @property
    def filer_name(self) -> str:
        return self.agency.name if self.agency else f"{self.region.name}司法局"

    @property
    def filed(self) -> bool:
        return self.report is not None and self.report.status in FILED_STATUSES

    def overdue(self, today: dt.date) -> bool:
        return not self.filed and self.period.due_on < today

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else "未起草"


def _kind_agencies(kind: ReportKind, agencies: list[Agency]) -> list[Agency]:
    chosen = {a.pk for a in kind.agencies.all()}
    return [
        a for a in agencies if a.region.path.startswith(kind.region.path) and (not chosen or a.pk in chosen)
    ]


def _obligations(pairs: list[tuple[ReportKind, Agency | None, Region]], today: dt.date) -> list[Obligation]:
    """Every ended period of each (kind, filer) pair, with the reports already drafted (one query)."""
    out: list[Obligation] = []
    for kind, agency, region in pairs:
        for period in ended_periods(kind.period, kind.due_days, kind.starts_on, kind.ends_on, today):
            out.append(Obligation(kind, agency, region, period, None))
    if not out:
        return out
    kind_ids = {o.kind.pk for o in out}
    reports = Report.objects.filter(kind_id__in=kind_ids).select_related("filer_agency", "filer_region")
    index = {(r.kind_id, r.filer_agency_id, r.filer_region_id, r.period_start): r for r in reports}
    for o in out:
        o.report = index.get((o.kind.pk, o.agency.pk if o.agency else None, o.region.pk, o.period.start))
    out.sort(key=lambda o: (o.filed, o.period.due_on, o.kind.pk))
    return out


def filer_agencies(user: User) -> list[Agency]:
    """The agencies the caller files for: their own agency grants with ``reporting.file``."""
    agency_paths = [
        g.agency_path
        for g in perms.grants(user)
        if g.scope in (ScopeKind.OWN_AGENCY, ScopeKind.AGENCY_TREE)
        and rules.FILE in perms.ROLE_ACTIONS.get(g.role, frozenset())
    ]
    if not agency_paths:
        return []
    return list(
        Agency.objects.filter(path__in=agency_paths, is_active=True).select_related("region").order_by("id")
    )


def filer_regions(user: User) -> list[Region]:
    """The regions whose bureau the caller is (REGION grants with ``reporting.file``): they file the region's
    own summaries to the bureau above."""
    paths = [
        g.region_path
        for g in perms.grants(user)
        if g.scope == ScopeKind.REGION and rules.FILE in perms.ROLE_ACTIONS.get(g.role, frozenset())
    ]
    return list(Region.objects.filter(path__in=paths).select_related("parent").order_by("path"))


def obligations_for_filer(user: User, today: dt.date | None = None) -> list[Obligation]:
    """我的报送 — what the caller files: their agency's reports, and their region's summaries upward."""
    today = today or clock.today()
    pairs: list[tuple[ReportKind, Agency | None, Region]] = []
    agencies = filer_agencies(user)
    if agencies:
        region_paths = {a.region.path for a in agencies}
        ancestor_paths = {p[: i + 1] for p in region_paths for i, ch in enumerate(p) if ch == "/" and i > 0}
        agency_kinds = (
            ReportKind.objects.filter(
                active=True, filers=FilerLevel.AGENCIES, region__path__in=ancestor_paths
            )
            .select_related("region")
            .prefetch_related("agencies")
        )
        for kind in agency_kinds:
            pairs += [(kind, a, a.region) for a in _kind_agencies(kind, agencies)]
    regions = filer_regions(user)
    parents = {r.parent_id: r for r in regions if r.parent_id}
    if parents:
        for kind in ReportKind.objects.filter(
            active=True, filers=FilerLevel.BUREAUS, region_id__in=parents
        ).select_related("region"):
            pairs.append((kind, None, parents[kind.region_id]))
    return _obligations(pairs, today)


def obligations_of_kinds(kinds_: Iterable[ReportKind], today: dt.date | None = None) -> list[Obligation]:
    """Every filer's obligations under the given kinds (the receiving bureau's view)."""
    today = today or clock.today()
    kinds_ = list(kinds_)
    pairs: list[tuple[ReportKind, Agency | None, Region]] = []
    agency_kinds = [k for k in kinds_ if k.filers == FilerLevel.AGENCIES]
    if agency_kinds:
        prefixes = Q()
        for k in agency_kinds:
            prefixes |= Q(region__path__startswith=k.region.path)
        agencies = list(
            Agency.objects.filter(prefixes, is_active=True, is_supervision_organ=False)
            .select_related("region")
            .order_by("id")
        )
        for kind in agency_kinds:
            pairs += [(kind, a, a.region) for a in _kind_agencies(kind, agencies)]
    bureau_kinds = [k for k in kinds_ if k.filers == FilerLevel.BUREAUS]
    if bureau_kinds:
        children = list(
            Region.objects.filter(parent_id__in={k.region_id for k in bureau_kinds}).order_by("code")
        )
        for kind in bureau_kinds:
            pairs += [(kind, None, r) for r in children if r.parent_id == kind.region_id]
    return _obligations(pairs, today)


def receiving_kinds(user: User) -> QuerySet[ReportKind]:
    """The kinds whose reports the caller receives: kinds of the regions the caller is the bureau of."""
    regions = configurable_regions(user) if perms.can(user, rules.RECEIVE) else []
    return (
        ReportKind.objects.filter(region__in=regions, active=True)
        .select_related("region")
        .prefetch_related("agencies")
        .order_by("id")
    )


def overdue_for_receiver(user: User, today: dt.date | None = None) -> list[Obligation]:
    today = today or clock.today()
    return [o for o in obligations_of_kinds(receiving_kinds(user), today) if o.overdue(today)]


def overdue_for_filer(user: User, today: dt.date | None = None) -> list[Obligation]:
    today = today or clock.today()
    return [o for o in obligations_for_filer(user, today) if o.overdue(today)]


def overdue_all(today: dt.date | None = None) -> list[Obligation]:
    """Every overdue obligation of every active kind (the warning scan; no caller scope: it scopes later)."""
    today = today or clock.today()
    return [
        o
        for o in obligations_of_kinds(
            ReportKind.objects.filter(active=True).select_related("region").prefetch_related("agencies"),
            today,
        )
        if o.overdue(today)
    ]


# --- reports --------------------------------------------------------------------------------------------------


def _reports(user: User) -> QuerySet[Report]:
    return perms.scoped(
        user,
        rules.VIEW,
        Report.objects.select_related("kind__region", "filer_agency__region", "filer_region"),
    )


def report_get(user: User, pk: int) -> Report:
    report = _reports(user).filter(pk=pk).first()
    if report is None:
        raise NotFound("报告不存在或不在您的数据范围内。", "Report not found.", code="report_not_found")
    return report


def received(user: User, *, status: str | None = None) -> QuerySet[Report]:
    """收到的报告 — the filed reports of the kinds the caller receives, waiting ones first."""
    qs = _reports(user).filter(kind__in=receiving_kinds(user)).exclude(status=ReportStatus.DRAFT)
    if status:
        qs = qs.filter(status=status)
    waiting = Case(
        When(status__in=[ReportStatus.SUBMITTED, ReportStatus.GOVERNMENT], then=Value(0)), default=Value(1)
    )
    return qs.order_by(waiting, "-submitted_at", "-id")


def waiting_count(user: User) -> int:
    """Reports waiting for the caller's decision (submitted, or awaiting the government's approval)."""
    return received(user).filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.GOVERNMENT]).count()


def mine(user: User) -> QuerySet[Report]:
    """The reports the caller's agencies and bureaus drafted or filed (history)."""
    agencies = [a.pk for a in filer_agencies(user)]
    regions = [r.pk for r in filer_regions(user)]
    return (
        _reports(user)
        .filter(Q(filer_agency_id__in=agencies) | Q(filer_agency__isnull=True, filer_region_id__in=regions))
        .order_by("-period_end", "-id")
    )


# --- the workbench's 待办 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TodoCounts:
    """What the 工作台 shows: reports owed (not filed) and overdue, or waiting for the bureau's decision."""

    owed: int = 0
    overdue: int = 0
    waiting: int = 0


def filer_todo(user: User, today: dt.date | None = None) -> TodoCounts:
    if not perms.can(user, rules.FILE):
        return TodoCounts()
    today = today or clock.today()
    owed = [o for o in obligations_for_filer(user, today) if not o.filed]
    return TodoCounts(owed=len(owed), overdue=sum(1 for o in owed if o.overdue(today)))


def receiver_todo(user: User, today: dt.date | None = None) -> TodoCounts:
    if not perms.can(user, rules.RECEIVE):
        return TodoCounts()
    return TodoCounts(overdue=len(overdue_for_receiver(user, today)), waiting=waiting_count(user))
