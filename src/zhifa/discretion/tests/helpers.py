"""Builders for discretion tests on top of the cases ``world`` (region codes 88xxxx)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

from zhifa.cases import services as case_services
from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import D0, CaseWorld, attach, opened
from zhifa.discretion import services
from zhifa.discretion.logic import TierSpec
from zhifa.discretion.models import Benchmark

CODE = "T-SCJG-001"
TIERS = [
    TierSpec("轻微", 1, gains_max_yuan=D(1000), fine_min_yuan=D(1000), fine_max_yuan=D(3000)),
    TierSpec("一般", 2, gains_min_yuan=D(1000), gains_max_yuan=D(10000), fine_min_yuan=D(3000), fine_max_yuan=D(13000)),
    TierSpec("严重", 3, gains_min_yuan=D(10000), fine_basis="gains_multiple", multiple_min=D(2), multiple_max=D(5)),
]  # fmt: skip
BASIS = {
    "law_name": "中华人民共和国测试法",
    "article": "第十条",
    "basis_text": "违反本法规定的，处一千元以上……罚款。",
}


def benchmark(world: CaseWorld, *, tiers: list[TierSpec] | None = None, **kwargs: Any) -> Benchmark:
    values: dict[str, Any] = {
        "actor": world.head,
        "agency": world.agency,
        "catalog_item_code": CODE,
        "title": "销售过期食品",
        "effective_from": dt.date(2024, 1, 1),
        "tiers": tiers or TIERS,
        **BASIS,
    }
    values.update(kwargs)
    return services.benchmark_create(**values)


def investigated(world: CaseWorld, *, gains: str | None = "3200", **facts: Any) -> Case:
    """A case of item ``CODE`` opened on D0 (act 10 days before), investigated, with facts recorded."""
    case = opened(world)
    Case.objects.filter(pk=case.pk).update(
        catalog_item_code=CODE
    )  # the case app's form sets it; tests cut short
    case.catalog_item_code = CODE
    user = world.officer_user
    if gains is not None or facts:
        services.facts_record(actor=user, case=case, illegal_gains_yuan=gains, **facts)
    case = case_services.case_start_investigation(actor=user, case=case, on=D0)
    attach(user, case, "investigation")
    return case_services.case_end_investigation(actor=user, case=case, on=D0 + dt.timedelta(days=7))


def notify(world: CaseWorld, case: Case, fine: str, kinds: tuple[str, ...] = ("fine",)) -> Case:
    """Notified on D0 + 7 days, the 告知书 served that day (行政处罚法 第六十四条第一项: the periods run from it)."""
    from zhifa.cases.hearing import case_serve_notice

    case = case_services.case_notify_rights(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=world.officer_user,
        case=case,
        kinds=list(kinds),
        fine_yuan=fine,
        on=D0 + dt.timedelta(days=7),
    )
    return case_serve_notice(actor=world.officer_user, case=case, method="direct", on=case.notified_on)


def decide(world: CaseWorld, case: Case, fine: str) -> Case:
    return case_services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan=fine, on=dt.date(2025, 3, 24)
    )
