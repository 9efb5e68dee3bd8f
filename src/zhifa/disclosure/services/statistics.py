"""年度统计: the annual figures of an agency and their publication."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from zhifa.cases.models import Case, Procedure, Stage
from zhifa.core import clock
from zhifa.core.errors import InvalidInput
from zhifa.core.transactions import service
from zhifa.disclosure.models import AnnualStatistics, Publication, PublicationStatus
from zhifa.disclosure.rules import PUBLISH_STATS
from zhifa.disclosure.services.deadlines import stats_due
from zhifa.disclosure.services.workflow import _refuse
from zhifa.inspections.models import Inspection, InspectionStatus
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, User
from zhifa.records.services import record_append


def annual_figures(agency: Agency, year: int) -> dict[str, Any]:
    """The year's counts by act type, from the data (cases, inspections, publications)."""
    decided = Case.objects.filter(agency=agency, decided_on__year=year).exclude(penalty_kinds=[])
    by_procedure = dict(decided.values_list("procedure").annotate(n=Count("id")).order_by())
    kinds: dict[str, int] = {}
    for row in decided.values_list("penalty_kinds", flat=True):
        for k in row or []:
            kinds[k] = kinds.get(k, 0) + 1
    fines = decided.aggregate(total=Sum("fine_yuan"))["total"] or Decimal("0")
    inspections = Inspection.objects.filter(agency=agency, status=InspectionStatus.DONE, inspected_year=year)
    outcomes = dict(inspections.values_list("outcome").annotate(n=Count("id")).order_by())
    pubs = Publication.objects.filter(agency=agency, decided_on__year=year)
    return {
        "year": year,
        "penalty_decisions": sum(by_procedure.values()),
        "penalty_general": by_procedure.get(Procedure.GENERAL, 0),
        "penalty_simple": by_procedure.get(Procedure.SIMPLE, 0),
        "penalty_kinds": kinds,
        "fines_yuan": f"{fines:.2f}",
        "not_punished": Case.objects.filter(
            agency=agency, stage=Stage.NOT_PUNISHED, ended_on__year=year
        ).count(),
        "inspections": sum(outcomes.values()),
        "inspection_outcomes": outcomes,
        "published": pubs.filter(
            status__in=[PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN]
        ).count(),
        "published_late": pubs.filter(published_late=True).count(),
        "withdrawn": pubs.filter(status=PublicationStatus.WITHDRAWN).count(),
    }


@service
def annual_statistics_publish(
    *, actor: User, agency: Agency, year: int, on: dt.date | None = None
) -> AnnualStatistics:
    """公布上年度行政执法数据 — by 31 January (configurable), generated from the data; late is recorded."""
    perms.require(actor, PUBLISH_STATS, AnnualStatistics(agency=agency))
    now = clock.now()
    on = on or clock.business_date(now)
    if year >= on.year:
        raise InvalidInput(
            "只能公布已结束年度的统计。", "Only a finished year can be published.", field="year"
        )
    if AnnualStatistics.objects.filter(agency=agency, year=year).exists():
        raise _refuse("stats_already_published", f"{year} 年度统计已公布。", f"{year} is already published.")
    due = stats_due(agency, year)
    stats = AnnualStatistics.objects.create(
        agency=agency,
        year=year,
        due_on=due,
        data=annual_figures(agency, year),
        published_at=now,
        published_by=actor,
        published_late=on > due,
    )
    record_append(
        actor=actor,
        action="disclosure.annual_stats",
        obj=stats,
        changes={"year": year, "due_on": due.isoformat(), "late": stats.published_late},
    )
    return stats
