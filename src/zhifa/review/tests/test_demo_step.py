"""The demo step puts a notified demo case into review with one returned round; with none that fits, it stops
the demo naming the part (never a quiet skip)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhifa.org.demo import DemoPartFailed
from zhifa.review.demo import demo_step
from zhifa.review.models import ReviewRequest
from zhifa.review.tests.helpers import ready_case


class Ctx:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.said: list[str] = []

    def say(self, text: str) -> Any:
        self.said.append(text)


def _demo_names(world) -> None:
    world.agency.name = "示范县测试局"
    world.agency.save(update_fields=["name"])
    world.reviewer.username = "demo_reviewer"
    world.reviewer.save(update_fields=["username"])
    world.head.username = "demo_head"
    world.head.save(update_fields=["username"])


def test_demo_step_without_a_fitting_case_stops_the_demo_naming_the_part(world) -> None:
    _demo_names(world)
    ctx = Ctx(dt.date(2025, 3, 12))
    with pytest.raises(DemoPartFailed, match="法制审核"):
        demo_step(ctx)
    assert not ReviewRequest.objects.exists()


def test_demo_step_leaves_a_case_in_review_with_a_returned_round(world) -> None:
    case = ready_case(world)
    _demo_names(world)
    demo_step(Ctx(dt.date(2025, 3, 12)))
    rounds = list(
        ReviewRequest.objects.filter(case=case).order_by("round_no").values_list("state", flat=True)
    )
    assert rounds == ["returned", "submitted"]
