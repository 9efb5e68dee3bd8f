"""The supervisor's lists cost a fixed number of queries: 3 rows or 30 (more than a page of 25), the same count.

An N+1 (a query per row: the agency's name, the flag's case, the instrument's replies) would make the 30-row
count larger; the pinned figure catches any other query added to the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from zhifa.core import flags
from zhifa.supervision import selectors
from zhifa.supervision import services as s
from zhifa.supervision.models import Instrument
from zhifa.testing.queries import count_queries
from zhifa.testing.registries import flag_source
from zhifa.testing.worlds import SupWorld

_candidates: list[flags.FlagCandidate] = []


@pytest.fixture
def supervisor(sup: SupWorld) -> Client:
    client = Client()
    client.force_login(sup.county_sup)
    return client


@pytest.fixture
def flag_rows(sup: SupWorld) -> Iterator[Any]:
    """Adds ``n`` new flags of the world's agencies (a scan of a test source)."""
    _candidates.clear()

    def add(n: int) -> None:
        start = len(_candidates)
        for i in range(start, start + n):
            agency = sup.w.agency if i % 2 else sup.w.other_agency
            _candidates.append(
                flags.FlagCandidate(kind="count_test", key=f"c:{i}", agency_id=agency.pk, title=f"预警{i}")
            )
        s.flags_scan(kinds=["count_test"])

    with flag_source("count_test", "计数测试", lambda since: list(_candidates)):
        yield add


def test_flag_queue_costs_the_same_for_3_and_30_flags(
    sup: SupWorld, supervisor: Client, flag_rows: Any
) -> None:
    flag_rows(3)
    few = count_queries(lambda: supervisor.get("/supervision/"))
    flag_rows(27)
    assert count_queries(lambda: supervisor.get("/supervision/")) == few == QUEUE_QUERIES


def _open_problems(sup: SupWorld, n: int) -> None:
    for i in range(n):
        s.problem_open(
            actor=sup.county_sup,
            agency=sup.w.agency if i % 2 else sup.w.other_agency,
            source_kind="evaluation",
            source_ref=f"评查〔2026〕{i + 1}号",
            title="行政处罚决定书未载明救济途径",
            description="抽查 3 卷，2 卷缺救济途径告知。",
            category="irregular",
            due=s.today() + dt.timedelta(days=30),
        )


def test_problem_list_costs_the_same_for_3_and_30_problems(sup: SupWorld, supervisor: Client) -> None:
    _open_problems(sup, 3)
    few = count_queries(lambda: supervisor.get("/supervision/problems/"))
    selector_few = count_queries(lambda: list(selectors.problems(sup.w.fresh(sup.county_sup))[:25]))
    _open_problems(sup, 27)
    assert count_queries(lambda: supervisor.get("/supervision/problems/")) == few == PROBLEMS_QUERIES
    assert count_queries(lambda: list(selectors.problems(sup.w.fresh(sup.county_sup))[:25])) == selector_few


def _instruments(sup: SupWorld, n: int, settings: Any) -> None:
    """One instrument issued through the service (its PDF takes a second), copied ``n - 1`` times."""
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = ""
    first = s.instrument_issue(
        actor=sup.county_sup,
        agency=sup.w.agency,
        kind="letter",
        title="食品抽检不合格案件未及时立案",
        findings="2026 年第三季度 3 起抽检不合格线索超过 15 日未立案。",
        requirements="立即核查并依法立案，建立线索台账。",
        deadline=s.today() + dt.timedelta(days=15),
    )
    copies = []
    base = 1000 + Instrument.objects.count()  # clear of the numbers the service hands out next
    for i in range(1, n):
        copy = Instrument.objects.get(pk=first.pk)
        copy.pk = None
        copy.seq = base + i
        copy.number = f"{first.number}-{base + i}"
        copy.agency = sup.w.other_agency if i % 2 else sup.w.agency
        copies.append(copy)
    Instrument.objects.bulk_create(copies)


def test_instrument_list_costs_the_same_for_3_and_30_instruments(
    sup: SupWorld, supervisor: Client, settings: Any
) -> None:
    _instruments(sup, 3, settings)
    few = count_queries(lambda: supervisor.get("/supervision/instruments/"))
    _instruments(sup, 27, settings)
    assert count_queries(lambda: supervisor.get("/supervision/instruments/")) == few == INSTRUMENTS_QUERIES


# The pages' cost today (session, user, grants, the list and its page, the menu): see the module docstring.
QUEUE_QUERIES = 9
PROBLEMS_QUERIES = 9
INSTRUMENTS_QUERIES = 8
