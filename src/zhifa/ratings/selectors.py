"""季度评议与满意度调查 — reads, always in the caller's scope; and the figures a quarter's rating is computed from.

The figures come from the apps that own them, through their selectors: ``zhifa.stats`` (decisions on time,
inspection warnings, cases and inspections done), ``zhifa.supervision`` (warnings and the problem ledger),
``zhifa.evaluation`` (案卷评查 scores), ``zhifa.complaints`` (complaints replied on time, their ratings), and the
enterprise's rating of an inspection (``InspectionFeedback``, issue 19) and this app's own survey answers.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from zhifa.complaints.selectors import agency_complaint_figures
from zhifa.core import clock
from zhifa.core.errors import NotFound
from zhifa.evaluation.selectors import average_scores_between
from zhifa.inspections.models import InspectionFeedback
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Officer, Party, Region, Role, ScopeKind, User
from zhifa.ratings import rules
from zhifa.ratings.models import (
    DEFAULT_MIN_ACTS_PER_OFFICER,
    DEFAULT_WEIGHTS,
    SATISFIED_FROM,
    SCALE,
    AgencyRating,
    Dimension,
    RatingRun,
    RatingSettings,
    RatingWeight,
    RespondentKind,
    RoundStatus,
    RunStatus,
    SurveyFieldVote,
    SurveyResponse,
    SurveyRound,
)
from zhifa.stats.selectors import agency_metric_totals
from zhifa.supervision.selectors import agency_supervision_figures

# --- periods --------------------------------------------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """The first day of the quarter and the first day after it."""
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end


def last_finished_quarter(today: dt.date | None = None) -> tuple[int, int]:
    today = today or clock.today()
    q = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if q == 1 else (today.year, q - 1)


def _instant(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


# --- weights --------------------------------------------------------------------------------------------------


def region_weights(region: Region) -> tuple[dict[str, int], Decimal]:
    """The weights of each dimension (the bureau's, else the defaults) and the platform-use threshold."""
    rows = dict(RatingWeight.objects.filter(region=region).values_list("dimension", "weight"))
    weights = (
        {str(d): rows.get(d, DEFAULT_WEIGHTS[d]) for d in Dimension.values} if rows else dict(DEFAULT_WEIGHTS)
    )
    setting = RatingSettings.objects.filter(region=region).first()
    return {str(k): int(v) for k, v in weights.items()}, (
        setting.min_acts_per_officer if setting else DEFAULT_MIN_ACTS_PER_OFFICER
    )


def managed_regions(user: User) -> list[Region]:
    """The regions whose ratings and surveys the user runs (every one: a form's choices)."""
    if not perms.can(user, rules.MANAGE):
        return []
    return list(perms.scoped(user, rules.MANAGE, Region).order_by("path"))


# --- the figures of a quarter ---------------------------------------------------------------------------------


@dataclass
class AgencyFigures:
    """What the platform holds about one agency in one period (the 原始数据 of its rating)."""

    officers: int = 0
    decided: int = 0
    decided_late: int = 0
    cases_opened: int = 0
    inspections: int = 0
    case_sources: int = 0
    inspection_warnings: int = 0
    inspection_warnings_closed: int = 0
    flags: int = 0
    flags_handled: int = 0
    problems_opened: int = 0
    problems_in_hand: int = 0
    problems_overdue: int = 0
    problems_closed: int = 0
    evaluated_files: int = 0
    evaluation_average: str | None = None
    complaints: int = 0
    complaints_on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def acts(self) -> int:
        """执法行为: cases opened, inspections done and case sources registered."""
        return self.cases_opened + self.inspections + self.case_sources


STATS_METRICS = [
    "case.decided",
    "case.decided_late",
    "case.opened",
    "case.source",
    "inspection.done",
    "warning.raised",
    "warning.closed",
]


def period_figures(agency_ids: list[int], start: dt.date, end: dt.date) -> dict[int, AgencyFigures]:
    """Each agency's figures for [start, end), read from the apps that hold them (a few grouped queries)."""
    result = {a: AgencyFigures() for a in agency_ids}
    for agency_id, n in (
        Officer.objects.filter(agency_id__in=agency_ids, is_active=True)
        .values_list("agency_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        result[agency_id].officers = n
    attr = {
        "case.decided": "decided",
        "case.decided_late": "decided_late",
        "case.opened": "cases_opened",
        "case.source": "case_sources",
        "inspection.done": "inspections",
        "warning.raised": "inspection_warnings",
        "warning.closed": "inspection_warnings_closed",
    }
    for (agency_id, metric, _key), n in agency_metric_totals(agency_ids, start, end, STATS_METRICS).items():
        f = result[agency_id]
        setattr(f, attr[metric], getattr(f, attr[metric]) + n)
    for agency_id, s in agency_supervision_figures(agency_ids, start, end).items():
        f = result[agency_id]
        f.flags, f.flags_handled = s["flags"], s["flags_handled"]
        f.problems_opened, f.problems_in_hand = s["opened"], s["in_hand"]
        f.problems_overdue, f.problems_closed = s["overdue"], s["closed"]
    for agency_id, (average, n) in average_scores_between(agency_ids, start, end).items():
        result[agency_id].evaluation_average, result[agency_id].evaluated_files = str(average), n
    for agency_id, c in agency_complaint_figures(agency_ids, start, end).items():
        f = result[agency_id]
        f.complaints, f.complaints_on_time = c["received"], c["on_time"]
        f.rated += c["rated"]
        f.satisfied += c["satisfied"]
    # 企业评价 of an inspection (issue 19): 4 or 5 of 5 counts as satisfied, as in the surveys.
    for agency_id, satisfied, n in (
        InspectionFeedback.objects.filter(
            inspection__agency_id__in=agency_ids,
            created_at__gte=_instant(start),
            created_at__lt=_instant(end),
        )
        .values_list("inspection__agency_id")
        .annotate(s=Count("id", filter=Q(rating__gte=SATISFIED_FROM)), n=Count("id"))
        .order_by()
    ):
        result[agency_id].rated += n
        result[agency_id].satisfied += satisfied
    for agency_id, satisfied, n in (
        SurveyResponse.objects.filter(
            agency_id__in=agency_ids, created_at__gte=_instant(start), created_at__lt=_instant(end)
        )
        .values_list("agency_id")
        .annotate(s=Count("id", filter=Q(overall__gte=SATISFIED_FROM)), n=Count("id"))
        .order_by()
    ):
        result[agency_id].rated += n
        result[agency_id].satisfied += satisfied
    return result


# --- reads in scope --------------------------------------------------------------------------------------------


def runs(user: User) -> QuerySet[RatingRun]:
    """The quarters' ratings the user runs (a bureau: its regions)."""
    return perms.scoped(user, rules.MANAGE, RatingRun).select_related("region")


def run_get(user: User, pk: int) -> RatingRun:
    run = runs(user).filter(pk=pk).first()
    if run is None:
        raise NotFound("季度评议不存在或不在您的数据范围内。", "Rating not found.", code="rating_not_found")
    return run


def run_ratings(run: RatingRun) -> list[AgencyRating]:
    return list(run.ratings.select_related("agency").order_by("rank", "agency__name"))


def my_ratings(user: User) -> list[AgencyRating]:
    """本单位评议结果 — the published ratings of the agencies in the user's view (an agency head: its own)."""
    return list(
        perms.scoped(user, rules.VIEW, AgencyRating)
        .filter(run__status=RunStatus.PUBLISHED)
        .select_related("agency", "run__region")
        .order_by("-run__year", "-run__quarter", "rank")[:40]
    )


def run_sizes(run_ids: list[int]) -> dict[int, int]:
    return dict(
        AgencyRating.objects.filter(run_id__in=run_ids)
        .values_list("run_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def rounds(user: User) -> QuerySet[SurveyRound]:
    return perms.scoped(user, rules.MANAGE, SurveyRound).select_related("region")


def round_get(user: User, pk: int) -> SurveyRound:
    r = rounds(user).filter(pk=pk).first()
    if r is None:
        raise NotFound("满意度调查不存在或不在您的数据范围内。", "Survey not found.", code="survey_not_found")
    return r


def round_by_token(token: str) -> SurveyRound | None:
    """The survey a public link names (any state: a closed one says so)."""
    if not token or len(token) > 32:
        return None
    return SurveyRound.objects.select_related("region").filter(token=token).first()


def enterprise_party_ids(user: User) -> list[int]:
    return sorted({g.party_id for g in perms.grants(user) if g.role == Role.ENTERPRISE and g.party_id})


def rounds_for_enterprise(user: User, today: dt.date | None = None) -> list[tuple[SurveyRound, Any, bool]]:
    """The open surveys of the regions of the user's enterprises: (round, party, already answered)."""
    today = today or clock.today()
    parties = list(Party.objects.filter(pk__in=enterprise_party_ids(user)).order_by("id"))
    if not parties:
        return []
    candidates = SurveyRound.objects.filter(
        status=RoundStatus.OPEN,
        opens_on__lte=today,
        closes_on__gte=today,
        audience__in=["both", "enterprise"],
    ).select_related("region")
    answered = set(SurveyResponse.objects.filter(party__in=parties).values_list("round_id", "party_id"))
    result = []
    for r in candidates.order_by("closes_on", "id")[:50]:
        for p in parties:
            if (p.region_path or "").startswith(r.region.path):
                result.append((r, p, (r.pk, p.pk) in answered))
    return result


# --- survey results -------------------------------------------------------------------------------------------

Z95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval (95 %) of a proportion, as fractions 0–1; (0, 1) when nothing was asked."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class SurveyResult:
    n: int
    satisfied: int
    rate: float | None  # percent
    low: float | None
    high: float | None
    margin: float | None  # half the interval's width, percentage points
    target: float
    verdict: str
    by_kind: list[tuple[str, int, float | None]]
    scale: list[tuple[str, int]]
    questions: list[tuple[str, float | None, int]]
    fields: list[tuple[str, int]]
    feedback_n: int
    feedback_rate: float | None


def _pct(a: int, n: int) -> float | None:
    return round(100 * a / n, 1) if n else None


def survey_result(r: SurveyRound) -> SurveyResult:
    """满意率 with its 95 % Wilson interval against the target, by respondent kind, the 1–5 scale, each question's
    mean, the least-satisfactory-field poll, and the enterprises' inspection ratings over the same period."""
    responses = list(r.responses.values_list("kind", "overall", "answers"))
    n = len(responses)
    satisfied = sum(1 for _, o, _ in responses if o >= SATISFIED_FROM)
    target = float(r.target_percent)
    low: float | None
    high: float | None
    rate: float | None
    margin: float | None
    if n:
        lo, hi = wilson_interval(satisfied, n)
        low, high, rate = round(lo * 100, 1), round(hi * 100, 1), round(100 * satisfied / n, 1)
        margin = round((hi - lo) * 50, 1)
        if low >= target:
            verdict = "达到目标（置信区间下限不低于目标）"
        elif high < target:
            verdict = "未达到目标（置信区间上限低于目标）"
        else:
            verdict = "样本不足以判断是否达标（目标在置信区间内）"
    else:
        low = high = rate = margin = None
        verdict = "尚无答卷"
    by_kind = []
    for value, label in RespondentKind.choices:
        rows = [o for k, o, _ in responses if k == value]
        by_kind.append((str(label), len(rows), _pct(sum(1 for o in rows if o >= SATISFIED_FROM), len(rows))))
    scale = [(label, sum(1 for _, o, _ in responses if o == score)) for score, label in SCALE]
    questions = []
    for q in r.questions.all():
        marks = [int(a[str(q.pk)]) for _, _, a in responses if str(q.pk) in (a or {})]
        questions.append((q.text, round(sum(marks) / len(marks), 2) if marks else None, len(marks)))
    fields = [
        (row["domain__name"], row["n"])
        for row in SurveyFieldVote.objects.filter(round=r)
        .values("domain__name")
        .annotate(n=Count("id"))
        .order_by("-n", "domain__name")
    ]
    feedback = InspectionFeedback.objects.filter(
        inspection__agency__region__path__startswith=r.region.path,
        created_at__gte=_instant(r.opens_on),
        created_at__lt=_instant(r.closes_on + dt.timedelta(days=1)),
    ).aggregate(n=Count("id"), s=Count("id", filter=Q(rating__gte=SATISFIED_FROM)))
    return SurveyResult(
        n=n,
        satisfied=satisfied,
        rate=rate,
        low=low,
        high=high,
        margin=margin,
        target=target,
        verdict=verdict,
        by_kind=by_kind,
        scale=scale,
        questions=questions,
        fields=fields,
        feedback_n=feedback["n"],
        feedback_rate=_pct(feedback["s"], feedback["n"]),
    )


def region_agencies(region: Region) -> list[Agency]:
    """The agencies a region's rating covers: active, not the supervision organ itself."""
    return list(
        Agency.objects.filter(
            region__path__startswith=region.path, is_active=True, is_supervision_organ=False
        )
        .select_related("region")
        .order_by("id")
    )


def workbench_todos(user: User) -> list[tuple[str, int, str, str]]:
    """The 待办 lines of this app for the user's workbench: (label, count, url, tone).

    Bureau: quarters computed and waiting for review, reviewed and waiting for the 通报, the last finished quarter
    not yet rated, open surveys. Agency head: its published ratings that flag it. Enterprise: surveys to answer.
    """
    todos: list[tuple[str, int, str, str]] = []
    if perms.can(user, rules.MANAGE):
        mine = runs(user)
        index = reverse("ratings:index")
        year, quarter = last_finished_quarter()
        # the regions the user was granted (not every region below them): the bureau's own quarter to rate
        own = {g.region_path for g in perms.grants(user) if g.scope == ScopeKind.REGION and g.region_path}
        rated = set(mine.filter(year=year, quarter=quarter).values_list("region__path", flat=True))
        todos += [
            ("季度评议待审核", mine.filter(status=RunStatus.COMPUTED).count(), index, "warning"),
            ("季度评议待通报", mine.filter(status=RunStatus.REVIEWED).count(), index, "warning"),
            (
                f"{year}年第{quarter}季度未评议",
                len(own - rated),
                index,
                "danger",
            ),
            (
                "满意度调查进行中",
                rounds(user).filter(status=RoundStatus.OPEN).count(),
                reverse("ratings:surveys"),
                "secondary",
            ),
        ]
    elif perms.can(user, rules.VIEW):
        flagged = [r for r in my_ratings(user)[:4] if r.flagged]
        todos.append(("季度评议被列为重点监督", len(flagged), reverse("ratings:mine"), "danger"))
    if perms.can(user, rules.ANSWER):
        todos.append(
            (
                "待填写的满意度调查",
                sum(1 for _, _, done in rounds_for_enterprise(user) if not done),
                reverse("ratings:enterprise_surveys"),
                "warning",
            )
        )
    return todos
