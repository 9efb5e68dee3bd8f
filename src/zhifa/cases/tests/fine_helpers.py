"""Builders shared by the tests of 一事不二罚, 不予处罚 grounds, 折抵, 暂缓分期 and 当场收缴."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.cases import services
from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import D0, CaseWorld, attach, opened
from zhifa.org.models import Party

D = dt.date
BASIS = "《中华人民共和国行政处罚法》第五十九条（测试用依据）"
ITEM = "MKT-CF-001"
ACT = D(2025, 2, 20)


def reviewed(world: CaseWorld, *, party: Party | None = None, on: dt.date = D0, **kwargs: Any) -> Case:
    """Opened on ``on`` for the item ITEM and act date ACT (unless given), investigated, in review."""
    kwargs.setdefault("catalog_item_code", ITEM)
    kwargs.setdefault("act_date", ACT)
    case = opened(world, party=party, on=on, **kwargs)
    user = world.officer_user
    case = services.case_start_investigation(actor=user, case=case, on=on)
    attach(user, case, "investigation")
    return services.case_end_investigation(actor=user, case=case, on=on + dt.timedelta(days=7))


def notify(world: CaseWorld, case: Case, fine: str | None = "5000", **kwargs: Any) -> Case:
    return services.case_notify_rights(
        basis=BASIS,
        actor=world.officer_user,
        case=case,
        kinds=["fine"] if fine else ["warning"],
        fine_yuan=fine,
        on=D0 + dt.timedelta(days=7),
        **kwargs,
    )


def decided(world: CaseWorld, case: Case, fine: str = "5000", **kwargs: Any) -> Case:
    """Waived, then decided on 2025-03-10 by the head with the notified fine."""
    services.case_waive_rights(actor=world.officer_user, case=case, on=D(2025, 3, 10))
    return services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan=fine, on=D(2025, 3, 10), basis=BASIS, **kwargs
    )


def served(world: CaseWorld, fine: str = "5000", **kwargs: Any) -> Case:
    """Fined and served by mail on Tuesday 2025-03-11: the fifteen days end on Wednesday 2025-03-26."""
    case = decided(world, notify(world, reviewed(world, **kwargs), fine), fine)
    return services.case_serve(actor=world.officer_user, case=case, method="mail", on=D(2025, 3, 11))


MONDAY = D(2025, 3, 3)


def simple(world: CaseWorld, fine: str, on: dt.date = MONDAY) -> Case:
    return services.case_simple_decide(
        basis=BASIS,
        actor=world.officer_user,
        agency=world.agency,
        domain=world.market,
        party=world.citizen,
        officers=world.officers[:2],
        kinds=["fine"],
        fine_yuan=fine,
        title="当场处罚",
        on=on,
    )
