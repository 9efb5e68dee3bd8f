"""Inspections and their warnings reach the facts on every save (post_save), and equal a rebuild."""

from __future__ import annotations

import datetime as dt

from zhifa.cases.tests.helpers import CaseWorld
from zhifa.core import clock
from zhifa.inspections.models import Inspection, InspectionItem, InspectionWarning
from zhifa.stats import aggregates
from zhifa.stats.models import Fact


def _inspection(world: CaseWorld, on: dt.date, outcome: str = "pass") -> Inspection:
    item = InspectionItem.objects.get_or_create(
        agency=world.agency,
        code="SC-1",
        defaults={"name": "食品经营检查", "domain": world.market, "legal_basis": "食品安全法"},
    )[0]
    return Inspection.objects.create(
        agency=world.agency,
        item=item,
        party=world.company,
        kind="random",
        status="done",
        inspected_on=on,
        outcome=outcome,
    )


def test_inspections_and_warnings_are_counted_as_they_are_saved(world: CaseWorld) -> None:
    first = _inspection(world, dt.date(2025, 4, 2))
    _inspection(world, dt.date(2025, 4, 9), outcome="rectify")
    assert Fact.objects.get(metric="inspection.done", key="random", day=dt.date(2025, 4, 1)).count == 2
    assert Fact.objects.get(metric="inspection.done").domain_id == world.market.pk
    warning = InspectionWarning.objects.create(
        kind="repeated", agency=world.agency, party=world.company, inspection=first, created_at=clock.now()
    )
    assert Fact.objects.get(metric="warning.raised", key="repeated").count == 1
    warning.state, warning.handled_at = "handled", clock.now()
    warning.save(update_fields=["state", "handled_at"])
    assert Fact.objects.get(metric="warning.closed", key="handled").count == 1
    first.outcome = "case"
    first.save(update_fields=["outcome"])
    assert Fact.objects.get(metric="inspection.outcome", key="pass").count == 0
    expected, _ = aggregates.compute(["inspection", "warning"])
    assert aggregates.stored(["inspection", "warning"]) == aggregates.nonzero(expected)
