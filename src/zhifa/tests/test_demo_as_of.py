"""``zhifa demo --as-of D``: the demo county as it looked on an awkward day, every part present, nothing later.

The suite's clock is set to the last day of the year first, so every date of the year can be asked for.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max

from zhifa.cases.models import Case, Procedure, Stage
from zhifa.cases.tests.test_demo_cases import EXPECTED_STAGES
from zhifa.core import clock
from zhifa.disclosure.models import Publication, PublicationStatus
from zhifa.disclosure.tests.test_demo_document_numbers import published_decisions_without_their_own_number
from zhifa.inspections.models import DrawRecord
from zhifa.org.demo import EARLIEST_AS_OF, build_demo
from zhifa.records.models import LedgerEntry
from zhifa.review.models import RequestState, ReviewRequest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

AWKWARD_DAYS = [
    dt.date(2026, 1, 1),  # 元旦, a holiday, the first day the demo can be built as of
    dt.date(2026, 2, 17),  # 春节 (正月初一), inside a nine-day break
    dt.date(
        2026, 2, 24
    ),  # the first working day after 春节 (国庆节 and the day after its break, 10-01 and 10-08,
    # are days of the same two kinds: left out to spare two demo builds per leg)
    dt.date(2026, 12, 6),  # a Sunday
    dt.date(2026, 12, 31),  # the last day of the year
]


@pytest.fixture
def year_end_clock() -> Any:
    from zhifa.evidence.required_defaults import ensure_default_rules
    from zhifa.org.domains import ensure_domains

    ensure_domains()  # a flush by an earlier transactional test removes the seeded rows
    ensure_default_rules()
    with clock.set_during(dt.date(2026, 12, 31)):
        yield


@pytest.mark.parametrize("as_of", AWKWARD_DAYS, ids=str)
def test_the_demo_built_as_of_an_awkward_day_has_every_part_and_nothing_later(
    as_of: dt.date, year_end_clock: Any
) -> None:
    build_demo(scale=0.05, quiet=True, as_of=as_of)

    stages = set(Case.objects.values_list("stage", flat=True))
    assert stages >= EXPECTED_STAGES, EXPECTED_STAGES - stages
    simple = Case.objects.filter(procedure=Procedure.SIMPLE)
    assert simple.filter(stage=Stage.CLOSED).exists() and simple.filter(filed_on__isnull=True).exists()
    # the legal-review rounds: one returned, then submitted again
    returned = ReviewRequest.objects.filter(state=RequestState.RETURNED, round_no=1)
    assert returned.exists()
    assert ReviewRequest.objects.filter(case__in=returned.values("case"), round_no=2).exists()
    assert DrawRecord.objects.exists()  # the double-random draw
    assert Publication.objects.filter(status=PublicationStatus.PUBLISHED).exists()
    # every published decision shows its own issued 决定书 number, on any day (issue 16)
    assert published_decisions_without_their_own_number() == []

    # nothing dated after the day: business dates of the acts, and the record of every act
    acts = [
        f.name
        for f in Case._meta.concrete_fields
        if f.get_internal_type() == "DateField"
        and not f.name.endswith("_due")
        and f.name not in {"next_deadline", "hearing_on"}  # deadlines and a scheduled hearing lie ahead
    ]
    latest = Case.objects.aggregate(**{f: Max(f) for f in acts})
    later = {f: d for f, d in latest.items() if d is not None and d > as_of}
    assert not later, later
    assert clock.business_date(LedgerEntry.objects.aggregate(last=Max("at"))["last"]) == as_of


def test_a_day_outside_the_range_is_refused_in_chinese(year_end_clock: Any) -> None:
    with pytest.raises(CommandError, match="不能晚于今天"):
        call_command("zhifa_demo", "--as-of", "2027-01-01", "--quiet")
    with pytest.raises(CommandError, match=f"不能早于 {EARLIEST_AS_OF:%Y-%m-%d}"):
        call_command("zhifa_demo", "--as-of", "2025-12-31", "--quiet")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("zhifa_demo", "--as-of", "31/12/2026", "--quiet")
    assert not Case.objects.exists()
