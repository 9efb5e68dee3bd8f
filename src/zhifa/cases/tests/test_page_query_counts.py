"""The officer's workbench (工作台) and a case page (案件详情) cost the same number of queries however many cases
the officer has: an N+1 (a query per case, party or next action) makes the larger count differ; the pinned
figures catch any other query added to the pages (issue 22: officer pages p95 under 100 ms)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from zhifa.testing.queries import count_queries
from zhifa.testing.worlds import CaseWorld, decide_simple

# The pages' cost today, for the world's officer.
# Both include the session write of every request in the suite (3 statements with its savepoint; a deployment
# writes it once a minute: zhifa.core.sessions).
# Workbench: 26, then the officer's 待办 of issue 21 (移送回执/反馈, 尽职免责申请): one query each, 28; then 25: the
# 待办 counts are one query (cases.case_queue_counts), the officer record is read once.
WORKBENCH_QUERIES = 25
# Case page: 33, then 30: the record timeline checks the case the page has already read (3: the case, its agency
# and region).
CASE_PAGE_QUERIES = 30


def _decide(world: CaseWorld, n: int) -> list[Any]:
    return [decide_simple(world, facts=f"第{i}次：销售超过保质期的食品。") for i in range(n)]


def test_the_workbench_costs_the_same_queries_for_1_and_5_cases(world: CaseWorld) -> None:
    officer = Client()
    officer.force_login(world.officer_user)
    _decide(world, 1)
    officer.get("/workbench/")
    few = count_queries(lambda: officer.get("/workbench/"))
    _decide(world, 4)
    assert count_queries(lambda: officer.get("/workbench/")) == few == WORKBENCH_QUERIES


def test_a_case_page_costs_the_same_queries_whatever_the_officers_other_cases(world: CaseWorld) -> None:
    officer = Client()
    officer.force_login(world.officer_user)
    case = _decide(world, 1)[0]
    url = f"/cases/{case.pk}/"
    officer.get(url)
    few = count_queries(lambda: officer.get(url))
    _decide(world, 4)
    assert count_queries(lambda: officer.get(url)) == few == CASE_PAGE_QUERIES
