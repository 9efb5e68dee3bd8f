"""Reports: counts, first-round pass rate, returns by review point, time to review — per agency, and for
supervisors in their region only. Expected figures are worked out by hand from the rounds made here."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.core.errors import PermissionDenied
from zhifa.org.models import Region, RegionLevel, Role
from zhifa.review import selectors
from zhifa.review.tests.helpers import WAIVED_ON, another, ready_case, review_round, submit


@pytest.fixture
def rounds(world):
    a = ready_case(world)
    review_round(world, a, agreed=False, on=WAIVED_ON, problems={"law": "裁量不当", "facts": "证据不足"})
    review_round(world, a, agreed=True, on=dt.date(2025, 3, 14))  # submitted and concluded the same day
    b = ready_case(world)
    review_round(world, b, agreed=True, on=WAIVED_ON)
    c = ready_case(world)
    submit(world, c)  # open
    return a, b, c


def test_report_per_agency(world, rounds) -> None:
    [row] = selectors.review_report(world.head)
    assert row.agency_id == world.agency.pk
    assert (row.rounds, row.cases, row.open, row.agreed, row.returned) == (4, 3, 1, 2, 1)
    # First rounds concluded: a (returned), b (agreed) → 1 of 2.
    assert (row.first_round_concluded, row.first_round_agreed, row.first_round_pass_rate) == (2, 1, 0.5)
    assert row.returns_by_point == {"facts": 1, "law": 1}
    assert row.avg_days_to_review == 0.0  # every concluded round was concluded on its submission day


def test_report_date_range(world, rounds) -> None:
    [row] = selectors.review_report(world.head, date_from=dt.date(2025, 3, 12))
    assert (row.rounds, row.agreed) == (1, 1)


def test_supervisor_sees_the_region_and_not_beyond(world, rounds) -> None:
    assert [r.agency_id for r in selectors.review_report(world.supervisor)] == [world.agency.pk]
    far = Region.objects.create(code="890000", name="他省", level=RegionLevel.PROVINCE)
    outsider = another(Role.SUPERVISOR, world, region=far)
    assert selectors.review_report(outsider) == []
    assert selectors.review_report(world.outsider) == []  # another agency's head


def test_workload_per_reviewer(world, rounds) -> None:
    [w] = selectors.workload(world.head, today=dt.date(2025, 3, 14))
    assert w.reviewer_id == world.reviewer.pk
    assert (w.open, w.overdue, w.concluded, w.avg_working_days) == (0, 0, 3, 0.0)


def test_officers_cannot_read_the_report_page(world, client) -> None:
    client.force_login(world.officer_user)
    assert client.get("/review/report/").status_code == 403
    from zhifa.org import permissions as perms
    from zhifa.review import rules

    with pytest.raises(PermissionDenied):
        perms.require(world.officer_user, rules.REPORT)
