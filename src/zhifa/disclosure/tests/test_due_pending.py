"""A publication deadline that reaches a year without a confirmed holiday schedule is never silently empty:
the page says "期限待节假日安排公布后计算" and supervision is flagged (issue 17 item 4)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.cases.tests.helpers import CaseWorld
from zhifa.core import clock
from zhifa.core.workdays import package_knows
from zhifa.disclosure import selectors
from zhifa.disclosure.models import Publication
from zhifa.testing.worlds import decide_simple

pytestmark = pytest.mark.skipif(package_knows(2027), reason="chinese_calendar knows 2027")


def test_a_publication_due_in_an_unknown_year_is_flagged_not_silent(world: CaseWorld) -> None:
    with clock.set_during(dt.date(2026, 12, 24)):
        case = decide_simple(world, on=dt.date(2026, 12, 24))
        known = decide_simple(world, on=dt.date(2026, 12, 1))
    pending = Publication.objects.get(source_id=str(case.pk))
    assert pending.due_on is None
    assert Publication.objects.get(source_id=str(known.pk)).due_on is not None
    flags = list(selectors.due_pending_publication_flags())
    assert [f.key for f in flags] == [f"publication:{pending.pk}"]
    assert "期限待节假日安排公布后计算" in flags[0].title
