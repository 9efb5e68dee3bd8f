"""The review queue (审核队列) costs a fixed number of queries: 2 rounds in each list or 6, the same count.

The head sees the unassigned rounds, every open round of the agency and the recent conclusions; the reviewer
sees their own. An N+1 (a query per row: the case, its party, the reviewer) would make the larger count differ;
the pinned figure catches any other query added to the page.
"""

from __future__ import annotations

from django.test import Client

from zhifa.review import services
from zhifa.review.tests.helpers import WAIVED_ON, catalog, ready_case, review_round, submit
from zhifa.testing.queries import count_queries
from zhifa.testing.worlds import CaseWorld

# The page's cost today, for the head and for the reviewer.
HEAD_QUERIES = 11
REVIEWER_QUERIES = 11


def _rounds(world: CaseWorld, n: int) -> None:
    """``n`` rounds unassigned, ``n`` assigned to the reviewer, ``n`` concluded."""
    for _ in range(n):
        submit(world, ready_case(world))
        request = submit(world, ready_case(world))
        services.review_assign(actor=world.head, request=request, reviewer=world.reviewer, on=WAIVED_ON)
        review_round(world, ready_case(world), agreed=True)


def test_review_queue_costs_the_same_for_2_and_6_rounds_per_list(world: CaseWorld) -> None:
    catalog(world)
    head, reviewer = Client(), Client()
    head.force_login(world.head)
    reviewer.force_login(world.reviewer)
    _rounds(world, 2)
    few = (count_queries(lambda: head.get("/review/")), count_queries(lambda: reviewer.get("/review/")))
    _rounds(world, 4)
    many = (count_queries(lambda: head.get("/review/")), count_queries(lambda: reviewer.get("/review/")))
    assert many == few == (HEAD_QUERIES, REVIEWER_QUERIES)
