"""The demo benchmarks are valid (they go through the service) and recommend for typical facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from zhifa.cases.tests.helpers import CaseWorld
from zhifa.discretion import logic, services
from zhifa.discretion.demo import DEMO_BENCHMARKS, build_benchmarks
from zhifa.discretion.models import Benchmark


def test_demo_benchmarks_build_once_and_recommend(world: CaseWorld) -> None:
    today = dt.date(2026, 11, 26)
    assert build_benchmarks(world.agency, world.head, today, ["CAT-1"]) == len(DEMO_BENCHMARKS)
    assert build_benchmarks(world.agency, world.head, today, ["CAT-1"]) == 0  # idempotent
    codes = set(Benchmark.objects.values_list("catalog_item_code", flat=True))
    assert codes == {"CAT-1", "DEMO-SCJG-002", "DEMO-SCJG-003"}
    specs = [services.spec_of(Benchmark.objects.get(catalog_item_code="CAT-1"))]
    rec = logic.recommend_for(
        specs, logic.Facts(goods_value_yuan=D(30000)), act_date=dt.date(2026, 3, 1), decision_date=today
    )
    assert rec.tier_name == "严重" and (rec.min_yuan, rec.max_yuan) == (D(300000), D(600000))
