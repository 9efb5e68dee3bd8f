"""主体资格确认 on the workbenches: the bureau's queue counts the requests waiting and the agencies late after
31 March; the agency head's counts its own."""

from __future__ import annotations

import datetime as dt

from zhifa.catalog import services
from zhifa.catalog.tests.helpers import add_item
from zhifa.org.models import User
from zhifa.workbench.panels import workbench_for


def test_before_31_march_the_head_is_told_what_is_not_done_yet(world, sup, fixed_clock):
    add_item(world, "T-CF-001")
    fixed_clock(dt.date(2025, 3, 31))
    todos = {t.label: t for p in workbench_for(User.objects.get(pk=world.head.pk)) for t in p.todos}
    assert (
        todos["2025年度主体资格确认未完成"].count == 1
        and todos["2025年度主体资格确认未完成"].tone == "warning"
    )


def test_workbenches_count_the_late_agencies_after_31_march(world, sup, fixed_clock):
    add_item(world, "T-CF-001")
    fixed_clock(dt.date(2025, 4, 2))
    services.confirmation_request(
        actor=world.head, agency=world.agency, year=2025, kind="catalog", on=dt.date(2025, 4, 1)
    )

    def todos(user: User) -> dict[str, int]:
        return {t.label: t.count for p in workbench_for(user) for t in p.todos}

    assert todos(User.objects.get(pk=world.head.pk))["2025年度主体资格确认逾期"] == 1
    bureau = todos(User.objects.get(pk=sup.county_sup.pk))
    assert bureau["主体资格确认待审查"] == 1 and bureau["2025年度主体资格确认逾期"] >= 1
