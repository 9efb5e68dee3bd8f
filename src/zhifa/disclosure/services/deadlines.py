"""期限: the region's disclosure rule, when a publication and the annual statistics are due."""

from __future__ import annotations

import datetime as dt

from zhifa.core.errors import ConfigurationMissing
from zhifa.core.workdays import add_working_days
from zhifa.disclosure.models import DisclosureRule, ResultKind
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
