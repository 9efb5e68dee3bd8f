"""Publication deadlines in working days (行政处罚法 第四十八条; seed 001: 7 / 20 个工作日), across holidays."""

from __future__ import annotations

import datetime as dt

from zhifa.core import clock
from zhifa.core.workdays import add_working_days
from zhifa.disclosure import services
from zhifa.disclosure.models import DisclosureRule, Publication, ResultKind
from zhifa.disclosure.tests.helpers import publication_of
from zhifa.testing.worlds import decide_simple


def test_penalty_decided_before_national_day_is_due_seven_working_days_later_after_the_holiday(world) -> None:
    # 2025 National Day + Mid-Autumn: 1–8 October off, Saturday 11 October is a working day (调休).
    case = decide_simple(world, on=dt.date(2025, 9, 30))
    p = publication_of(case)
    assert p.kind == ResultKind.PENALTY
    assert p.due_on == dt.date(2025, 10, 16)  # 9, 10, 11 (Sat), 13, 14, 15, 16 October
    assert p.due_on > dt.date(2025, 9, 30) + dt.timedelta(days=7 + 8)  # calendar days would be far too early


def test_penalty_decided_on_a_plain_monday_is_due_the_next_tuesday_week(world) -> None:
    case = decide_simple(world, on=dt.date(2025, 3, 3))
    assert publication_of(case).due_on == dt.date(2025, 3, 12)


def test_a_region_can_set_its_own_number_of_working_days(world) -> None:
    DisclosureRule.objects.create(region=world.county.parent, decision_working_days=5)
    case = decide_simple(world, on=dt.date(2025, 3, 3))
    assert publication_of(case).due_on == dt.date(2025, 3, 10)


def test_inspection_result_found_by_the_sweep_is_due_in_twenty_working_days(world) -> None:
    from zhifa.inspections.models import Inspection, InspectionStatus, Outcome

    on = dt.date(2025, 9, 26)
    inspection = Inspection.objects.create(
        agency=world.agency,
        party=world.company,
        kind="random",
        status=InspectionStatus.DONE,
        outcome=Outcome.RECTIFY,
        findings="现场发现未公示食品经营许可证，责令整改。",
        inspected_on=on,
        result_at=clock.now(),
    )
    created = services.disclosure_sweep()
    assert created["inspection"] == 1
    p = Publication.objects.get(source_type="inspections.inspection", source_id=str(inspection.pk))
    assert p.kind == ResultKind.INSPECTION
    assert p.due_on == add_working_days(on, 20) == dt.date(2025, 10, 30)
    assert services.disclosure_sweep()["inspection"] == 0  # idempotent


def test_sweep_creates_obligations_for_decisions_made_without_one(world, simple_decision) -> None:
    publication_of(simple_decision).delete()
    assert services.disclosure_sweep()["penalty"] == 1
    assert publication_of(simple_decision).due_on == dt.date(2025, 3, 12)
