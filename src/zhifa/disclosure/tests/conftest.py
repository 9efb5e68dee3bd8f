"""Fixtures of the disclosure tests: the case world (region codes 88xxxx) and a decided case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhifa.cases import services as case_services
from zhifa.cases.tests.conftest import evidence_dirs
from zhifa.cases.tests.helpers import CaseWorld, world

__all__ = ["evidence_dirs", "simple_decision", "world"]


def decide_simple(
    world: CaseWorld, *, on: dt.date = dt.date(2025, 3, 3), party: Any = None, facts: str = "", **kw: Any
) -> Any:
    """An on-the-spot fine (简易程序) — decided and handed over, which creates the publication obligation."""
    return case_services.case_simple_decide(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=world.officer_user,
        agency=world.agency,
        domain=world.market,
        party=party or world.company,
        officers=world.officers[:2],
        kinds=kw.pop("kinds", ["fine"]),
        fine_yuan=kw.pop("fine_yuan", "150"),
        title=kw.pop("title", "销售过期食品"),
        facts=facts or "当事人在经营场所销售超过保质期的食品，违反了食品安全法第三十四条。",
        place="测县某路",
        on=on,
        **kw,
    )


@pytest.fixture
def simple_decision(world: CaseWorld) -> Any:
    return decide_simple(world)
