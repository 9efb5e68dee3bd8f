"""Selectors: next actions with the guard's reason, deadline sweeps, my cases by deadline, scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhifa.cases import selectors, services
from zhifa.cases.models import Stage
from zhifa.cases.tests.helpers import D0, CaseWorld, attach, notified, opened, register, reload
from zhifa.org.models import CertificateStatus
from zhifa.testing.queries import count_queries

D = dt.date


def _by_code(actions: list[selectors.NextAction]) -> dict[str, selectors.NextAction]:
    return {a.code: a for a in actions}


def test_next_actions_show_a_disabled_action_with_the_guards_reason(world: CaseWorld) -> None:
    case = opened(world)
    world.officers[1].certificates.update(status=CertificateStatus.SUSPENDED)
    actions = _by_code(selectors.case_next_actions(world.officer_user, reload(case), on=D0))
    start = actions["start_investigation"]
    assert not start.allowed and "第四十二条" in start.reason
    assert actions["withdraw"].reason == "您无权执行此操作。"  # an officer may not withdraw a case
    assert "decide" not in actions  # not a transition of this stage


def test_next_actions_allow_what_the_service_then_does(world: CaseWorld) -> None:
    case = notified(world)  # notified 2025-03-10, statement period to 03-17
    waiting = _by_code(selectors.case_next_actions(world.head, case, on=D(2025, 3, 17)))["decide"]
    assert not waiting.allowed and "陈述、申辩" in waiting.reason
    ready = _by_code(selectors.case_next_actions(world.head, case, on=D(2025, 3, 18)))["decide"]
    assert ready.allowed and ready.reason == ""
    assert services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 3, 18)
    )


def test_past_and_near_limit_sweeps(world: CaseWorld) -> None:
    case = opened(world)  # due 2025-06-01
    assert list(selectors.cases_past_limit(world.head, today=D(2025, 6, 1))) == []
    assert list(selectors.cases_past_limit(world.head, today=D(2025, 6, 2))) == [case]
    assert list(selectors.cases_near_limit(world.head, today=D(2025, 5, 17))) == [case]
    assert list(selectors.cases_near_limit(world.head, today=D(2025, 5, 16))) == []
    assert selectors.deadline_state(reload(case), D(2025, 6, 2)) == "overdue"
    assert list(selectors.cases_past_limit(world.outsider, today=D(2025, 6, 2))) == []


def test_queue_counts_in_one_query_are_the_queues_own_counts(world: CaseWorld) -> None:
    opened(world)  # due 2025-06-01
    opened(world, on=D(2025, 3, 5))
    mine = selectors.case_list(world.officer_user, mine=True)
    for today in (D(2025, 5, 16), D(2025, 5, 17), D(2025, 6, 1), D(2025, 6, 2), D(2026, 1, 1)):
        expected = {
            q: selectors.case_queue(world.officer_user, q, mine, today=today).count()
            for q in selectors.COUNTABLE_QUEUES
        }
        assert count_queries(lambda t=today: selectors.case_queue_counts(mine, today=t)) == 1
        assert selectors.case_queue_counts(mine, today=today) == expected
    assert selectors.case_queue_counts(mine, today=D(2025, 5, 17))["near"] >= 1
    assert selectors.case_queue_counts(mine, today=D(2025, 6, 2))["overdue"] >= 1
    outsider = selectors.case_list(world.outsider, mine=True)
    assert selectors.case_queue_counts(outsider, today=D(2025, 6, 2)) == {"overdue": 0, "near": 0, "serve": 0}


def test_queue_counts_refuse_a_queue_that_is_not_a_filter(world: CaseWorld) -> None:
    mine = selectors.case_list(world.officer_user, mine=True)
    with pytest.raises(ValueError, match="decide"):
        selectors.case_queue_counts(mine, ("decide",))


def test_finished_cases_leave_the_sweeps(world: CaseWorld) -> None:
    case = services.case_withdraw(actor=world.head, case=opened(world), reason="撤案", on=D0)
    assert case.next_deadline is None
    assert list(selectors.cases_past_limit(world.head, today=D(2026, 1, 1))) == []


def test_my_cases_are_ordered_by_deadline_and_paged_by_keyset(world: CaseWorld) -> None:
    cases = [opened(world, on=D(2025, 3, d)) for d in (5, 3, 4, 3)]
    register(world)  # a source without officers is nobody's case yet
    rows, cursor = selectors.my_cases_by_deadline(world.officer_user, limit=3)
    assert [c.pk for c in rows] == [cases[1].pk, cases[3].pk, cases[2].pk]
    rest, end = selectors.my_cases_by_deadline(world.officer_user, after=cursor, limit=3)
    assert [c.pk for c in rest] == [cases[0].pk] and end is None
    assert selectors.my_cases_by_deadline(world.head) == ([], None)  # the head handles none
    services.case_withdraw(actor=world.head, case=cases[1], reason="撤案", on=D(2025, 3, 5))
    rows, _ = selectors.my_cases_by_deadline(world.officer_user, limit=10)
    assert [c.pk for c in rows] == [cases[3].pk, cases[2].pk, cases[0].pk]  # a finished case leaves the list
    assert _my_sql(world).count('JOIN "cases_caseofficer"') == 1  # conditions and order share one join


def test_case_is_not_found_outside_scope(world: CaseWorld) -> None:
    import pytest

    from zhifa.core.errors import NotFound

    case = opened(world)
    assert selectors.case_get(world.supervisor, case.pk).pk == case.pk
    with pytest.raises(NotFound):
        selectors.case_get(world.outsider, case.pk)


def test_timeline_lists_the_ledger_entries_of_the_case(world: CaseWorld) -> None:
    case = services.case_start_investigation(actor=world.officer_user, case=opened(world), on=D0)
    actions = [e.action for e in selectors.case_timeline(world.supervisor, case)]
    assert actions == ["case.register_source", "case.open", "case.start_investigation"]


def test_seizures_past_limit(world: CaseWorld, settings: Any) -> None:
    case = services.case_start_investigation(actor=world.officer_user, case=opened(world), on=D0)
    attach(world.officer_user, case, "service_execution", kind="video")
    seizure = services.seizure_decide(
        actor=world.officer_user, case=case, kind="seal", items=["仓库"], approved_by=world.head, on=D0
    )
    assert list(selectors.seizures_past_limit(world.head, today=seizure.due_on)) == []
    assert list(selectors.seizures_past_limit(world.head, today=seizure.due_on + dt.timedelta(days=1))) == [
        seizure
    ]
    assert reload(case).next_deadline == seizure.due_on  # the seizure ends before the decision period
    assert reload(case).stage == Stage.INVESTIGATION


def _my_sql(world: CaseWorld) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhifa.core.paging import encode_cursor

    with CaptureQueriesContext(connection) as captured:
        after = encode_cursor((D(2025, 6, 1), 1), ("officer_links__next_deadline", "id"))
        selectors.my_cases_by_deadline(world.officer_user, after=after, limit=5)
    return captured.captured_queries[-1]["sql"].split(" FROM ", 1)[1]
