"""The publication queue (公示队列) costs a fixed number of queries: 3 decisions to publish or 15, the same count.

An N+1 (a query per row: the case, its agency, the party) would make the larger count differ; the pinned figure
catches any other query added to the page.
"""

from __future__ import annotations

import datetime as dt

from django.test import Client

from zhifa.disclosure import selectors
from zhifa.testing.queries import count_queries
from zhifa.testing.worlds import CaseWorld, decide_simple

# The page's cost today (session, user, grants, the queue, the menu).
QUEUE_QUERIES = 8


def _decide(world: CaseWorld, n: int) -> None:
    for i in range(n):
        decide_simple(world, on=dt.date(2025, 3, 3) + dt.timedelta(days=i % 3), title=f"销售过期食品{i}")


def test_publication_queue_costs_the_same_for_3_and_15_rows(world: CaseWorld) -> None:
    client = Client()
    client.force_login(world.head)
    _decide(world, 3)
    few = count_queries(lambda: client.get("/disclosure/"))
    selector_few = count_queries(lambda: list(selectors.publication_queue(world.fresh(world.head))[:200]))
    _decide(world, 12)
    assert len(selectors.publication_queue(world.head)) >= 15
    assert count_queries(lambda: client.get("/disclosure/")) == few == QUEUE_QUERIES
    assert (
        count_queries(lambda: list(selectors.publication_queue(world.fresh(world.head))[:200]))
        == selector_few
    )
