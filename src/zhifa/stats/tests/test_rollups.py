"""区划汇总: the roll-ups a supervisor's charts read equal the agency cells they stand for, stay equal as
data arrives, and are read only where the caller may see everything in the region."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from zhifa.cases.tests.helpers import CaseWorld, opened
from zhifa.stats import aggregates, selectors
from zhifa.stats.models import Fact, RegionFact
from zhifa.stats.tests.helpers import decided, simple


def test_ancestors_are_the_region_and_every_region_above_it() -> None:
    assert aggregates.ancestors("/88/8801/880102/") == ["/88/", "/88/8801/", "/88/8801/880102/"]
    assert aggregates.ancestors("") == []


def test_a_decision_is_added_to_the_rollup_of_every_region_on_the_agencys_path(world: CaseWorld) -> None:
    decided(world, fine="5000")
    path = world.agency.region.path
    for region_path in aggregates.ancestors(path):
        cell = RegionFact.objects.get(region_path=region_path, metric="case.fine", day=dt.date(2025, 3, 1))
        assert (cell.count, cell.amount) == (1, Decimal("5000.00"))
    assert len(aggregates.ancestors(path)) == 3
    # open cases' deadlines are read per agency, never rolled up
    opened(world)
    assert not RegionFact.objects.filter(metric="case.deadline").exists()
    assert aggregates.stored_rollups() == aggregates.rollups_of_stored()


def test_a_rebuild_repairs_corrupted_rollups(world: CaseWorld) -> None:
    decided(world)
    RegionFact.objects.update(count=42)
    RegionFact.objects.create(region_path="/99/", metric="case.opened", day=dt.date(2025, 1, 1), count=7)
    aggregates.rebuild()
    assert aggregates.stored_rollups() == aggregates.rollups_of_stored()
    assert not RegionFact.objects.filter(region_path="/99/").exists()


def _everything(scope: selectors.Scope) -> tuple:
    return selectors.headline(scope), [selectors.chart(scope, name) for name in selectors.CHARTS]


def test_a_supervisors_dashboard_from_rollups_equals_the_one_summed_from_agency_cells(
    world: CaseWorld,
) -> None:
    decided(world, fine="5000")
    decided(world, fine="300", on=dt.date(2025, 8, 4))
    simple(world, fine="100")
    simple(world, fine=None)
    scope = selectors.scope_for(world.supervisor, year=2025)
    assert scope.rollup_paths == [world.county.parent.parent.path]
    from_rollups = _everything(scope)
    from_facts = _everything(replace(scope, rollup_paths=None, _cells=None))
    assert from_rollups == from_facts
    assert from_rollups[0]["decided"] == 4 and from_rollups[0]["fines"] == 5400.0
    county = selectors.scope_for(world.supervisor, year=2025, region=world.county.code)
    assert county.rollup_paths == [world.county.path]
    assert _everything(county) == _everything(replace(county, rollup_paths=None, _cells=None))
    assert Fact.objects.filter(metric="case.decided").count() >= 1


def test_an_agency_head_asking_for_the_county_sees_only_their_agency_not_the_county_rollup(
    world: CaseWorld,
) -> None:
    decided(world)  # world.agency; the outsider heads another agency of the same county
    scope = selectors.scope_for(world.outsider, year=2025, region=world.county.code)
    assert scope.rollup_paths is None
    assert selectors.headline(scope)["decided"] == 0
    assert selectors.headline(selectors.scope_for(world.head, year=2025))["decided"] == 1
