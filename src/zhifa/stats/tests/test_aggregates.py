"""The pre-aggregated facts stay equal to a rebuild from scratch whatever happens to the cases, in any order."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.cases import services
from zhifa.cases.models import Case, Stage
from zhifa.cases.tests.helpers import D0, CaseWorld, notified, opened, register
from zhifa.core.errors import DomainError
from zhifa.stats import aggregates
from zhifa.stats.models import Fact

OPS = ("register", "open", "not_open", "withdraw", "decide", "serve", "simple", "rebuild_midway")


def _one(world: CaseWorld, stage: str, pick: int) -> Case | None:
    rows = list(Case.objects.filter(stage=stage).order_by("id").values_list("id", flat=True))
    return Case.objects.get(pk=rows[pick % len(rows)]) if rows else None


def _run(world: CaseWorld, op: str, offset: int, amount: int, pick: int) -> None:
    on = D0 + dt.timedelta(days=offset)
    user, head = world.officer_user, world.head
    if op == "register":
        register(world, on=on)
    elif op == "open" and (case := _one(world, Stage.SOURCE, pick)):
        services.case_open(
            actor=user,
            approved_by=head,
            case=case,
            officers=world.officers[:2],
            act_date=case.source_received_on,
            on=case.source_received_on,
        )
    elif op == "not_open" and (case := _one(world, Stage.SOURCE, pick)):
        services.case_not_open(actor=user, case=case, reason="不属于本机关管辖", on=case.source_received_on)
    elif op == "withdraw" and (case := _one(world, Stage.OPENED, pick)):
        services.case_withdraw(actor=head, case=case, reason="违法事实不存在", on=case.opened_on)
    elif op == "decide":
        case = notified(world, fine=str(1000 + amount), on=on)
        case = services.case_waive_rights(actor=user, case=case, on=case.notified_on)
        services.case_decide(
            actor=head,
            case=case,
            kinds=["fine"],
            fine_yuan=str(1000 + amount),
            on=case.notified_on + dt.timedelta(days=3),
        )
    elif op == "serve" and (case := _one(world, Stage.DECIDED, pick)):
        services.case_serve(actor=user, case=case, method="direct", on=case.decided_on + dt.timedelta(days=1))
    elif op == "simple":
        services.case_simple_decide(
            basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
            actor=user,
            agency=world.agency,
            domain=world.market,
            party=world.citizen,
            officers=world.officers[:2],
            kinds=["fine"] if amount % 3 else ["warning"],
            fine_yuan=str(amount % 200 + 1) if amount % 3 else None,
            title="占道经营",
            on=on,
        )
    elif op == "rebuild_midway":
        aggregates.rebuild()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(OPS), st.integers(0, 200), st.integers(0, 5000), st.integers(0, 50)),
        min_size=1,
        max_size=8,
    )
)
def test_incremental_facts_equal_a_rebuild_after_any_sequence_of_case_events(
    world: CaseWorld, events
) -> None:
    for event in events:
        with contextlib.suppress(DomainError):  # a refused step rolls back with its statistics
            _run(world, *event)
        expected, _ = aggregates.compute(["case"])
        assert aggregates.stored(["case"]) == aggregates.nonzero(expected)
        assert aggregates.stored_rollups() == aggregates.rollups_of_stored()


def test_a_decision_counts_its_fine_in_its_month_and_agency(world: CaseWorld) -> None:
    case = notified(world, fine="5000")
    case = services.case_waive_rights(actor=world.officer_user, case=case, on=case.notified_on)
    services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=dt.date(2025, 3, 20)
    )
    fine = Fact.objects.get(metric="case.fine", agency=world.agency, day=dt.date(2025, 3, 1))
    assert (fine.count, fine.amount) == (1, Decimal("5000.00"))
    assert fine.region_path == world.agency.region.path
    assert Fact.objects.get(metric="case.decided", agency=world.agency, key="general").count == 1


def test_a_refused_step_leaves_the_facts_unchanged(world: CaseWorld) -> None:
    case = opened(world)
    before = aggregates.stored()
    try:
        services.case_withdraw(actor=world.officer_user, case=case, reason="x", on=case.opened_on)
    except DomainError:
        pass
    else:  # pragma: no cover - the officer may not withdraw (机关负责人 approves)
        raise AssertionError("the officer withdrew a case")
    assert aggregates.stored() == before


def test_open_cases_are_counted_by_their_current_deadline_and_leave_when_finished(world: CaseWorld) -> None:
    case = opened(world)
    cell = Fact.objects.get(metric="case.deadline", agency=world.agency)
    assert (cell.day, cell.count) == (case.decision_due, 1)
    services.case_withdraw(actor=world.head, case=case, reason="违法事实不存在", on=case.opened_on)
    cell.refresh_from_db()
    assert cell.count == 0
    assert Fact.objects.get(metric="case.ended", key="withdrawn").count == 1


def test_rebuild_replaces_a_corrupted_table(world: CaseWorld) -> None:
    opened(world)
    Fact.objects.update(count=99)
    aggregates.rebuild()
    expected, _ = aggregates.compute()
    assert aggregates.stored() == aggregates.nonzero(expected)
    assert Fact.objects.get(metric="case.opened").count == 1
