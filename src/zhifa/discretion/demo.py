"""示范县 — discretion benchmarks for a few catalog items of the demo market-regulation agency (order 60)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from zhifa.cases import hooks
from zhifa.discretion import services
from zhifa.discretion.logic import TierSpec
from zhifa.discretion.models import Benchmark
from zhifa.org.demo import DemoPartFailed
from zhifa.org.models import Agency, Role, RoleAssignment, User

D = Decimal

# Invented benchmarks shaped like real ones (演示数据，纯属虚构): (code, title, law, article, text, tiers).
# The laws are real and of the market domain (zhifa.org.demo_laws); articles verified against the current text:
# 食品安全法 第一百二十四条第一款, 市场主体登记管理条例 第四十八条第一款, 价格法 第四十条第一款.
DEMO_BENCHMARKS: list[tuple[str, str, str, str, str, list[TierSpec]]] = [
    (
        "DEMO-SCJG-001",
        "销售超过保质期的食品",
        "中华人民共和国食品安全法",
        "第一百二十四条第一款",
        "违反本法规定，有下列情形之一……货值金额不足一万元的，并处五万元以上十万元以下罚款；"
        "货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款……",
        [
            TierSpec("轻微", 1, goods_max_yuan=D(2000), harm_levels=("none", "minor"),
                     fine_min_yuan=D(50000), fine_max_yuan=D(65000), kinds=("confiscate_income",)),
            TierSpec("一般", 2, goods_max_yuan=D(2000), harm_levels=("general", "serious"),
                     fine_min_yuan=D(65000), fine_max_yuan=D(85000), kinds=("confiscate_income",)),
            TierSpec("较重", 3, goods_min_yuan=D(2000), goods_max_yuan=D(10000),
                     fine_min_yuan=D(85000), fine_max_yuan=D(100000), kinds=("confiscate_income",)),
            TierSpec("严重", 4, goods_min_yuan=D(10000), fine_basis="goods_multiple",
                     multiple_min=D(10), multiple_max=D(20), kinds=("confiscate_income",)),
        ],
    ),
    (
        "DEMO-SCJG-002",
        "未将营业执照置于经营场所醒目位置",
        "中华人民共和国市场主体登记管理条例",
        "第四十八条第一款",
        "市场主体未依照本条例将营业执照置于住所或者主要经营场所醒目位置的，由登记机关责令改正；拒不改正的，"
        "处3万元以下的罚款。",
        [
            TierSpec("一般", 1, repeat=False, fine_min_yuan=D(0), fine_max_yuan=D(10000)),
            TierSpec("较重", 2, repeat=True, fine_min_yuan=D(10000), fine_max_yuan=D(30000)),
        ],
    ),
    (
        "DEMO-SCJG-003",
        "价格欺诈",
        "中华人民共和国价格法",
        "第四十条第一款",
        "经营者有本法第十四条所列行为之一的，责令改正，没收违法所得，可以并处违法所得五倍以下的罚款……",
        [
            TierSpec("一般", 1, gains_max_yuan=D(10000), fine_basis="gains_multiple",
                     multiple_min=D(1), multiple_max=D(3), kinds=("confiscate_income",)),
            TierSpec("严重", 2, gains_min_yuan=D(10000), fine_basis="gains_multiple",
                     multiple_min=D(3), multiple_max=D(5), kinds=("confiscate_income",)),
        ],
    ),
]  # fmt: skip

# The catalogue item (catalog/demo.py ITEMS) each benchmark above is for, in the same order: a benchmark names the
# item of its own offence and law (过期食品 → SJ-CF-002, 营业执照 → SJ-CF-012, 价格欺诈 → SJ-CF-015).
CATALOG_CODES: tuple[str, ...] = ("SJ-CF-002", "SJ-CF-012", "SJ-CF-015")


def _demo_codes(agency: Agency, on: dt.date) -> list[str]:
    """For each benchmark, its catalogue item's code when the agency has that item in force, else its DEMO- code."""
    # the catalog answers through the cases hooks (its 行政处罚 items in force; the three are such items), as it
    # does for the case forms' 执法事项 picker: discretion and catalog sit side by side and catalog uses discretion
    in_force = {code for code, _label in hooks.item_choices(agency, on)}
    fallback = [code for code, *_ in DEMO_BENCHMARKS]
    return [code if code in in_force else own for own, code in zip(fallback, CATALOG_CODES, strict=True)]


def demo_step(ctx: Any) -> None:
    agency = Agency.objects.filter(
        name__startswith="示范", region__code__startswith="86", domains__code="market"
    ).first()
    admin = User.objects.filter(username="demo_admin").first()

    if agency is None or admin is None:
        raise DemoPartFailed("裁量基准", "未找到示范县市场监管机关或 demo_admin")
    if not RoleAssignment.objects.filter(user=admin, role=Role.ADMIN).exists():
        raise DemoPartFailed("裁量基准", "demo_admin 无管理员角色")
    codes = _demo_codes(agency, ctx.today)
    made = build_benchmarks(agency, admin, ctx.today, codes)
    revised = build_revisions(agency, admin, ctx.today, codes)
    ctx.say(f"裁量基准：{agency.name} {made} 项，修订 {revised} 项。")


def build_benchmarks(agency: Agency, actor: User, today: dt.date, catalog_codes: list[str]) -> int:
    """The demo benchmarks for ``agency`` (catalog codes first, else the DEMO- codes); returns how many made."""
    start = dt.date(today.year - 1, 1, 1)
    made = 0
    for i, (code, title, law, article, text, tiers) in enumerate(DEMO_BENCHMARKS):
        code = catalog_codes[i] if i < len(catalog_codes) else code
        if Benchmark.objects.filter(agency=agency, catalog_item_code=code).exists():
            continue
        services.benchmark_create(
            actor=actor,
            agency=agency,
            catalog_item_code=code,
            title=title,
            law_name=law,
            article=article,
            basis_text=text,
            effective_from=start,
            tiers=tiers,
            source="demo",
        )
        made += 1
    return made


def build_revisions(agency: Agency, actor: User, today: dt.date, catalog_codes: list[str]) -> int:
    """第 2 版 of the 营业执照 benchmark from 1 January of this year, so that the portal shows a past version
    (its ranges are the first version's: only the wording of the circumstances is made plainer, so the demo
    cases' recommendations do not change). Returns how many versions were made (0 when already there)."""
    code = catalog_codes[1] if len(catalog_codes) > 1 else DEMO_BENCHMARKS[1][0]
    first = Benchmark.objects.filter(agency=agency, catalog_item_code=code, version=1).first()
    start = dt.date(today.year, 1, 1)
    if first is None or first.effective_from >= start:
        return 0
    if Benchmark.objects.filter(agency=agency, catalog_item_code=code, version__gt=1).exists():
        return 0
    _code, title, law, article, text, tiers = DEMO_BENCHMARKS[1]
    wording = ("初次被责令改正后拒不改正", "再次拒不改正，或者拒不改正造成不良影响")
    services.benchmark_create(
        actor=actor,
        agency=agency,
        catalog_item_code=code,
        title=title,
        law_name=law,
        article=article,
        basis_text=text,
        effective_from=start,
        tiers=[replace(t, condition_text=w) for t, w in zip(tiers, wording, strict=True)],
        source="demo",
    )
    return 1
