"""主体资格确认 in the workbenches: the agency and its judicial bureau see the late confirmations after 31 March."""

from __future__ import annotations

import datetime as dt

from zhifa.catalog.tests.helpers import add_item
from zhifa.catalog.tests.test_confirmation import _request
from zhifa.org.models import User
from zhifa.workbench.panels import workbench_for


def test_workbenches_count_the_late_agencies_after_31_march(world, sup, fixed_clock):
    add_item(world, "T-CF-002", start=dt.date(2025, 1, 1))
    fixed_clock(dt.date(2025, 4, 2))
    _request(world, kind="catalog", on=dt.date(2025, 4, 1))

    def todos(user: User) -> dict[str, int]:
        return {t.label: t.count for p in workbench_for(user) for t in p.todos}

    assert todos(User.objects.get(pk=world.head.pk))["2025年度主体资格确认逾期"] == 1
    bureau = todos(User.objects.get(pk=sup.county_sup.pk))
    assert bureau["主体资格确认待审查"] == 1 and bureau["2025年度主体资格确认逾期"] >= 1
