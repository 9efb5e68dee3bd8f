"""Every warning rule on both sides of its threshold; the full SQL scan agrees with the incremental check;
warnings go to the agency and its supervisors, are handled or dismissed with a reason; merge suggestions."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, PermissionDenied
from zhifa.inspections import selectors, services
from zhifa.inspections.models import (
    Inspection,
    InspectionItem,
    InspectionStatus,
    InspectionWarning,
    WarningBasis,
    WarningKind,
    WarningState,
)
from zhifa.inspections.tests.conftest import at, make_item
from zhifa.inspections.warnings import day_number, warnings_for_inspection, warnings_full_scan
from zhifa.org.models import Agency

BASE = dt.date(2026, 3, 2)


def visit(
    party,
    agency: Agency,
    item: InspectionItem | None,
    day: dt.date,
    *,
    filed: bool = True,
    emergency: bool = False,
    check: bool = True,
    now: dt.datetime | None = None,
) -> Inspection:
    entered = at(day)
    inspection = Inspection.objects.create(
        agency=agency,
        item=item,
        party=party,
        kind="special",
        status=InspectionStatus.CHECKED_IN,
        filed_at=entered - dt.timedelta(days=1) if filed else None,
        is_emergency=emergency,
        entered_at=entered,
        inspected_on=day,
        inspected_day=day_number(day),
        inspected_year=day.year,
    )
    if check:
        warnings_for_inspection(inspection, now=now or entered)
    return inspection


def kinds(inspection: Inspection) -> set[tuple[str, str]]:
    return set(InspectionWarning.objects.filter(inspection=inspection).values_list("kind", "basis"))


@pytest.fixture
def items(world):
    return make_item(world), make_item(world)


@pytest.fixture
def other_item(world):
    return make_item(world, agency=world.other_agency)


# --- 应报备未报备 -------------------------------------------------------------------------------------------------


def test_unfiled_inspection_warns_and_a_filed_one_does_not(world, items) -> None:
    party = world.parties[9]
    assert (WarningKind.UNFILED, "") in kinds(visit(party, world.agency, items[0], BASE, filed=False))
    assert (WarningKind.UNFILED, "") not in kinds(visit(party, world.agency, items[1], BASE, filed=True))


def test_emergency_warns_as_unfiled_only_after_its_filing_window(world, items, settings) -> None:
    settings.ZHIFA_INSPECTION_EMERGENCY_FILING_HOURS = 24
    inside = visit(world.parties[9], world.agency, items[0], BASE, filed=False, emergency=True)
    assert (WarningKind.UNFILED, "") not in kinds(inside)
    warnings_full_scan(now=at(BASE) + dt.timedelta(hours=23))
    assert (WarningKind.UNFILED, "") not in kinds(inside)
    warnings_full_scan(now=at(BASE) + dt.timedelta(hours=25))
    assert (WarningKind.UNFILED, "") in kinds(inside)


# --- 多头检查 ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("gap_days", "warns"), [(29, True), (30, False)])
def test_two_agencies_within_a_month_warn(world, items, other_item, gap_days, warns, settings) -> None:
    settings.ZHIFA_INSPECTION_MULTI_AGENCY_WINDOW_DAYS = 30
    party = world.parties[9]
    visit(party, world.agency, items[0], BASE)
    second = visit(party, world.other_agency, other_item, BASE + dt.timedelta(days=gap_days))
    assert ((WarningKind.MULTI_AGENCY, "") in kinds(second)) is warns


def test_one_agency_twice_in_a_month_is_not_multi_agency(world, items) -> None:
    party = world.parties[9]
    visit(party, world.agency, items[0], BASE)
    second = visit(party, world.agency, items[1], BASE + dt.timedelta(days=3))
    assert (WarningKind.MULTI_AGENCY, "") not in kinds(second)


def test_multi_agency_threshold_is_a_setting(world, items, other_item, settings) -> None:
    settings.ZHIFA_INSPECTION_MULTI_AGENCY_MIN = 3
    party = world.parties[9]
    visit(party, world.agency, items[0], BASE)
    second = visit(party, world.other_agency, other_item, BASE + dt.timedelta(days=1))
    assert (WarningKind.MULTI_AGENCY, "") not in kinds(second)


# --- 重复检查 ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("gap_days", "warns"), [(179, True), (180, False)])
def test_same_item_same_enterprise_within_the_period_warns(world, items, gap_days, warns, settings) -> None:
    settings.ZHIFA_INSPECTION_REPEAT_PERIOD_DAYS = 180
    party = world.parties[9]
    visit(party, world.agency, items[0], BASE)
    second = visit(party, world.agency, items[0], BASE + dt.timedelta(days=gap_days))
    assert ((WarningKind.REPEATED, "") in kinds(second)) is warns


def test_different_items_are_not_repeated(world, items) -> None:
    party = world.parties[9]
    visit(party, world.agency, items[0], BASE)
    assert (WarningKind.REPEATED, "") not in kinds(visit(party, world.agency, items[1], BASE))


# --- 高频检查 ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("allowed", "warns"), [(1, True), (2, False)])
def test_more_inspections_than_the_credit_class_allows_warn(
    world, items, other_item, allowed, warns, settings
) -> None:
    settings.ZHIFA_INSPECTION_MAX_PER_PERIOD_A = allowed
    party = world.parties[0]
    assert party.credit_class == "A"
    visit(party, world.agency, items[0], BASE)
    second = visit(party, world.other_agency, other_item, BASE + dt.timedelta(days=100))
    assert ((WarningKind.HIGH_FREQUENCY, WarningBasis.CREDIT_CLASS) in kinds(second)) is warns


def test_class_d_allows_more_than_class_a(world, items, other_item) -> None:
    a_party, d_party = world.parties[0], world.parties[9]
    for party in (a_party, d_party):
        visit(party, world.agency, items[0], BASE)
        last = visit(party, world.other_agency, other_item, BASE + dt.timedelta(days=60))
        expected = party.credit_class == "A"
        assert ((WarningKind.HIGH_FREQUENCY, WarningBasis.CREDIT_CLASS) in kinds(last)) is expected


def test_outside_the_frequency_period_does_not_count(world, items, other_item, settings) -> None:
    settings.ZHIFA_INSPECTION_FREQUENCY_PERIOD_DAYS = 365
    party = world.parties[0]
    visit(party, world.agency, items[0], BASE)
    later = visit(party, world.other_agency, other_item, BASE + dt.timedelta(days=365))
    assert (WarningKind.HIGH_FREQUENCY, WarningBasis.CREDIT_CLASS) not in kinds(later)


@pytest.mark.parametrize(("visits", "warns"), [(2, False), (3, True)])
def test_agency_cap_per_enterprise_per_year(world, items, visits, warns, settings) -> None:
    settings.ZHIFA_INSPECTION_AGENCY_YEAR_CAP = 2
    party = world.parties[9]
    last = None
    for i in range(visits):
        last = visit(
            party, world.agency, items[i % 2], dt.date(2026, 1, 10) + dt.timedelta(days=200 * i // 2)
        )
    assert ((WarningKind.HIGH_FREQUENCY, WarningBasis.AGENCY_YEAR_CAP) in kinds(last)) is warns


def test_agency_cap_counts_per_calendar_year(world, items) -> None:
    party = world.parties[9]
    visit(party, world.agency, items[0], dt.date(2025, 6, 1))
    visit(party, world.agency, items[1], dt.date(2025, 12, 30))
    new_year = visit(party, world.agency, items[0], dt.date(2026, 1, 2))
    assert (WarningKind.HIGH_FREQUENCY, WarningBasis.AGENCY_YEAR_CAP) not in kinds(new_year)


# --- incremental check and full scan agree -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_full_scan_finds_exactly_what_the_incremental_check_found(world, items, other_item, seed) -> None:
    rng = random.Random(seed)
    agencies = [world.agency, world.other_agency]
    rows = sorted(
        (
            rng.randrange(0, 500),
            rng.randrange(len(world.parties)),
            rng.randrange(2),
            rng.randrange(3),
            rng.random(),
        )
        for _ in range(150)
    )
    created = []
    for offset, party_ix, agency_ix, item_ix, filed in rows:
        agency = agencies[agency_ix]
        item = other_item if agency_ix else items[item_ix % 2] if item_ix < 2 else None
        created.append(
            visit(
                world.parties[party_ix],
                agency,
                item,
                dt.date(2025, 1, 1) + dt.timedelta(days=offset),
                filed=filed > 0.1,
            )
        )

    def snapshot() -> set[tuple]:
        return set(
            InspectionWarning.objects.values_list(
                "kind", "basis", "inspection_id", "agency_id", "party_id", "count", "threshold"
            )
        )

    incremental = snapshot()
    assert {k for k, *_ in incremental} >= {"unfiled", "multi_agency", "repeated", "high_frequency"}
    InspectionWarning.objects.all().delete()
    warnings_full_scan(now=at(dt.date(2027, 1, 1)))
    assert snapshot() == incremental
    # A second scan adds nothing.
    assert sum(warnings_full_scan(now=at(dt.date(2027, 1, 1))).values()) == 0


def test_incremental_check_costs_a_constant_number_of_queries(
    world, items, django_assert_max_num_queries
) -> None:
    party = world.parties[9]
    for i in range(30):
        visit(party, world.agency, items[i % 2], BASE - dt.timedelta(days=i * 5), check=False)
    inspection = visit(party, world.other_agency, None, BASE, check=False)
    with django_assert_max_num_queries(4):
        warnings_for_inspection(inspection, now=clock.now())


# --- handling, scope, merge suggestions ---------------------------------------------------------------------------


def test_warnings_go_to_the_agency_and_its_supervisors_only(world, items) -> None:
    visit(world.parties[9], world.agency, items[0], BASE, filed=False)
    assert selectors.warnings(world.head).count() == 1
    assert selectors.warnings(world.supervisor).count() == 1
    assert selectors.warnings(world.outside_supervisor).count() == 0
    assert selectors.warnings(world.other_head).count() == 0


def test_warning_is_handled_or_dismissed_with_a_reason(world, items) -> None:
    first = visit(world.parties[9], world.agency, items[0], BASE, filed=False)
    second = visit(world.parties[8], world.agency, items[0], BASE, filed=False)
    w1 = InspectionWarning.objects.get(inspection=first)
    w2 = InspectionWarning.objects.get(inspection=second)
    with pytest.raises(PermissionDenied):
        services.warning_handle(world.officer_user, w1, note="已补报")
    with pytest.raises(PermissionDenied):
        services.warning_handle(world.outside_supervisor, w1, note="已补报")
    with pytest.raises(InvalidInput):
        services.warning_dismiss(world.supervisor, w2, reason=" ")
    services.warning_handle(world.head, w1, note="已约谈并补办报备")
    services.warning_dismiss(world.supervisor, w2, reason="系统误报：实为上级交办任务")
    w1.refresh_from_db()
    w2.refresh_from_db()
    assert w1.state == WarningState.HANDLED and w2.state == WarningState.DISMISSED and w2.note


def test_several_inspections_due_for_one_enterprise_suggest_one_joint_visit(world, items, other_item) -> None:
    party, alone = world.parties[9], world.parties[8]
    for agency, item, party_ in ((world.agency, items[0], party), (world.other_agency, other_item, party)):
        Inspection.objects.create(agency=agency, item=item, party=party_, kind="random", scheduled_on=BASE)
    Inspection.objects.create(
        agency=world.agency, item=items[1], party=alone, kind="random", scheduled_on=BASE
    )
    [suggestion] = selectors.merge_suggestions(world.supervisor, today=BASE - dt.timedelta(days=5))
    assert suggestion.party_id == party.pk and suggestion.joint and len(suggestion.inspection_ids) == 2
    assert selectors.merge_suggestions(world.supervisor, today=BASE + dt.timedelta(days=1)) == []


def test_scan_command_reports_new_warnings_per_rule(world, items) -> None:
    from io import StringIO

    from django.core.management import call_command

    visit(world.parties[9], world.agency, items[0], BASE, filed=False, check=False)
    out = StringIO()
    call_command("inspections_scan", stdout=out)
    assert "unfiled: 1" in out.getvalue()


# --- the nightly scan of changed parties ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [4, 5])
def test_scan_of_changed_parties_finds_what_a_whole_scan_would(world, items, other_item, seed) -> None:
    """Every rule compares inspections of one party: scanning the parties with something recorded since the
    last run finds exactly the warnings a whole scan finds (a whole scan afterwards adds nothing)."""
    rng = random.Random(seed)
    agencies = [world.agency, world.other_agency]
    last_run = at(dt.date(2025, 6, 1))

    def add(offset: int, party_ix: int, agency_ix: int, recorded: dt.datetime) -> Inspection:
        agency = agencies[agency_ix]
        item = other_item if agency_ix else items[offset % 2]
        inspection = visit(
            world.parties[party_ix],
            agency,
            item,
            dt.date(2025, 1, 1) + dt.timedelta(days=offset),
            check=False,
        )
        Inspection.objects.filter(pk=inspection.pk).update(recorded_at=recorded)
        return inspection

    for _ in range(80):  # history, already scanned
        add(
            rng.randrange(0, 150),
            rng.randrange(len(world.parties)),
            rng.randrange(2),
            last_run - dt.timedelta(days=1),
        )
    warnings_full_scan(now=last_run)
    before = InspectionWarning.objects.count()
    touched = rng.sample(range(len(world.parties)), 3)
    for _ in range(30):  # recorded after the last run, for three parties only
        add(rng.randrange(140, 200), rng.choice(touched), rng.randrange(2), last_run + dt.timedelta(hours=2))

    found = warnings_full_scan(now=last_run + dt.timedelta(days=1), since=last_run)
    assert sum(found.values()) == InspectionWarning.objects.count() - before > 0
    new_parties = set(
        InspectionWarning.objects.filter(created_at__gt=last_run).values_list("party_id", flat=True)
    )
    assert new_parties <= {world.parties[i].pk for i in touched}
    assert sum(warnings_full_scan(now=last_run + dt.timedelta(days=1)).values()) == 0


def test_scan_of_changed_parties_skips_parties_with_nothing_new(world, items) -> None:
    old = [
        visit(world.parties[0], world.agency, items[0], BASE + dt.timedelta(days=d), check=False)
        for d in (0, 5)
    ]
    Inspection.objects.filter(pk__in=[i.pk for i in old]).update(recorded_at=at(BASE))
    assert (
        warnings_full_scan(now=at(BASE + dt.timedelta(days=9)), since=at(BASE + dt.timedelta(days=8)))[
            "repeated"
        ]
        == 0
    )
    assert warnings_full_scan(now=at(BASE + dt.timedelta(days=9)))["repeated"] == 1
