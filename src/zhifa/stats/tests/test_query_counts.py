"""The supervision dashboard (执法监督看板) costs a fixed number of queries: 3 decided cases or 15, the same count.

Its charts read the aggregated facts, never a row per case; the pinned figure catches any query added to it.
"""

from __future__ import annotations

import datetime as dt

from django.test import Client

from zhifa.testing.queries import count_queries
from zhifa.testing.worlds import CaseWorld, decide_simple

# The page's cost today (session, user, grants, every chart of the scope, the headline, the regions).
DASHBOARD_QUERIES = 21


def _decide(world: CaseWorld, n: int) -> None:
    for i in range(n):
        decide_simple(world, on=dt.date(2025, 3, 3) + dt.timedelta(days=i % 3), title=f"销售过期食品{i}")


def test_dashboard_costs_the_same_for_3_and_15_cases(world: CaseWorld) -> None:
    client = Client()
    client.force_login(world.supervisor)
    _decide(world, 3)
    few = count_queries(lambda: client.get("/stats/?year=2025"))
    _decide(world, 12)
    assert count_queries(lambda: client.get("/stats/?year=2025")) == few == DASHBOARD_QUERIES
