"""期限: the region's disclosure rule, when a publication and the annual statistics are due, and how long a
publication stays public (公示期限, see ``lifecycle`` for the sources)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from zhifa.core.errors import ConfigurationMissing
from zhifa.core.workdays import add_working_days
from zhifa.disclosure.models import DisclosureRule, PeriodTier, Publication, ResultKind
from zhifa.org.models import Agency

_DECISION_KINDS = (ResultKind.PENALTY, ResultKind.LICENSING)


def rule_for(agency: Agency) -> DisclosureRule:
    """The disclosure numbers for the agency's region: the nearest region up the tree that set them."""
    path = agency.region.path
    best: DisclosureRule | None = None
    for rule in DisclosureRule.objects.select_related("region"):
        if path.startswith(rule.region.path) and (
            best is None or len(rule.region.path) > len(best.region.path)
        ):
            best = rule
    return best or DisclosureRule()


def publication_due(agency: Agency, kind: str, decided_on: dt.date) -> dt.date | None:
    """The last day to publish; ``None`` while the year's holiday schedule is not entered."""
    rule = rule_for(agency)
    # 行政处罚法 第四十八条; seed 001 (行政许可、行政处罚 7 个工作日，其他执法决定 20 个工作日)
    if kind == ResultKind.COMPULSION:
        # seed 001: 行政强制 results are published like the penalty decisions (DisclosureRule, default 7)
        days = rule.compulsion_working_days
    else:
        days = rule.decision_working_days if kind in _DECISION_KINDS else rule.other_working_days
    try:
        return add_working_days(decided_on, days)
    except ConfigurationMissing:
        return None


def stats_due(agency: Agency, year: int) -> dt.date:
    """The day by which the statistics of ``year`` are published (31 January of the next year by default)."""
    month, day = (int(p) for p in rule_for(agency).stats_deadline.split("-"))
    return dt.date(year + 1, month, day)


# --- 公示期限 -----------------------------------------------------------------------------------------------------

LIGHT_KINDS = frozenset({"warning", "criticism", "fine"})
# 吊销许可证件、责令停产停业、责令关闭、限制从业…: 严重 (the longest period); configurable only by the fine amount
SERIOUS_KINDS = frozenset(
    {
        "revoke_licence",
        "stop_business",
        "close",
        "restrict_practice",
        "restrict_business",
        "lower_qualification",
    }
)


def plus_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def period_tier(p: Publication, rule: DisclosureRule) -> str:
    """轻微 / 一般 / 严重 for a penalty; the other kinds have their own period."""
    if p.kind == ResultKind.LICENSING:
        return PeriodTier.LICENSING
    if p.kind != ResultKind.PENALTY:
        return PeriodTier.OTHER
    kinds = set(p.penalty_kinds or [])
    fine = p.fine_yuan or Decimal(0)
    if kinds & SERIOUS_KINDS or fine >= rule.serious_fine_min_yuan:
        return PeriodTier.SERIOUS
    if kinds <= LIGHT_KINDS and fine <= rule.light_fine_max_yuan and not p.confiscation_yuan:
        return PeriodTier.LIGHT
    return PeriodTier.GENERAL


def _months(rule: DisclosureRule, tier: str) -> tuple[int, int | None]:
    """(公示期, 最短公示期) in months; 公示期 0 = no end; 最短 None = no 信用修复 (not a credit record)."""
    months: dict[str, tuple[int, int | None]] = {
        PeriodTier.LIGHT: (rule.light_period_months, rule.light_repair_min_months),
        PeriodTier.GENERAL: (rule.general_period_months, rule.general_repair_min_months),
        PeriodTier.SERIOUS: (rule.serious_period_months, rule.serious_repair_min_months),
        PeriodTier.OTHER: (rule.other_period_months, None),
        PeriodTier.LICENSING: (rule.licensing_period_months, None),
    }
    return months[tier]


@dataclass(frozen=True)
class Period:
    tier: str
    expires_on: dt.date | None  # the last public day
    repair_from: dt.date | None  # the first day the party may apply


def publication_period(p: Publication) -> Period:
    """The period of a publication, from the day its region's rule says (``DisclosureRule.period_from``: the
    day it is published, or the day of the decision — 发改办财金〔2019〕527号: 自行政处罚决定之日起)."""
    rule = rule_for(p.agency)
    tier = period_tier(p, rule)
    months, minimum = _months(rule, tier)
    start = p.decided_on if rule.period_from == "decision" else (p.published_on or p.decided_on)
    expires = plus_months(start, months) - dt.timedelta(days=1) if months else None
    repair = plus_months(start, minimum) if minimum is not None else None
    return Period(tier, expires, repair)


def set_period(p: Publication) -> list[str]:
    """Write the period onto ``p`` (when it is published); the fields to save."""
    period = publication_period(p)
    p.period_tier, p.expires_on, p.repair_from = period.tier, period.expires_on, period.repair_from
    return ["period_tier", "expires_on", "repair_from"]
