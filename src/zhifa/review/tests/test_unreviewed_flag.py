"""Supervision flag ``major_decision_unreviewed`` (重大执法决定未经法制审核, 行政处罚法 第五十八条): the decide
guard refuses such a decision, so the flag finds decisions that went around it — and none that did not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhifa.cases.models import Case
from zhifa.review import selectors
from zhifa.review.tests.helpers import catalog, decide, ready_case, review_round


@pytest.fixture(autouse=True)
def whole_history(monkeypatch: pytest.MonkeyPatch) -> None:
    # the builders date their cases in 2025; look back far enough to see them from any test day
    monkeypatch.setattr(selectors, "UNREVIEWED_LOOKBACK_DAYS", 36500)


def flagged() -> dict[int, list[str]]:
    return {int(c.object_id): c.data["reasons"] for c in selectors.unreviewed_major_decision_flags()}


def test_a_major_decision_with_an_agreed_review_is_not_flagged(world: Any) -> None:
    catalog(world)
    case = ready_case(world, fine="5000")  # the catalog's organisation threshold: major
    review_round(world, case, agreed=True)
    case = decide(world, case)
    assert case.decided_on is not None and flagged() == {}


def test_a_decision_changed_to_a_major_one_afterwards_is_flagged(world: Any) -> None:
    case = decide(world, ready_case(world, fine="500"))  # not major: decided without review
    assert flagged() == {}
    Case.objects.filter(pk=case.pk).update(
        penalty_kinds=["fine", "revoke_licence"]
    )  # a row changed afterwards
    reasons = flagged()[case.pk]
    assert any("吊销许可证" in r for r in reasons)
    candidate = next(iter(selectors.unreviewed_major_decision_flags()))
    assert candidate.severity == "serious" and candidate.agency_id == world.agency.pk


def test_the_catalog_counts_as_it_stood_on_the_decision_day(world: Any) -> None:
    case = decide(world, ready_case(world, fine="5000"))  # no catalog on the day: not major
    catalog(world, effective_from=dt.date(2025, 6, 1))  # published later: does not make it major
    assert flagged() == {}
    Case.objects.filter(pk=case.pk).update(decided_on=dt.date(2025, 6, 2))  # as if decided under it
    assert any("法制审核目录" in r for r in flagged()[case.pk])


def test_the_flag_reaches_the_supervision_queue(world: Any) -> None:
    from zhifa.supervision import services as supervision
    from zhifa.supervision.models import Flag

    case = decide(world, ready_case(world, fine="500"))
    Case.objects.filter(pk=case.pk).update(penalty_kinds=["fine", "stop_business"])
    supervision.flags_scan(kinds=["major_decision_unreviewed"])
    flag = Flag.objects.get(kind="major_decision_unreviewed")
    assert flag.object_id == str(case.pk) and "未经法制审核" in flag.title
