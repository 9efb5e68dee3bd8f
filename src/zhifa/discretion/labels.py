"""裁量基准记录的中文标签 — the discretion app's action codes and ``changes`` fields, registered with
zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.discretion.logic import CIRCUMSTANCES
from zhifa.discretion.models import HarmLevel
from zhifa.records.labels import (
    BOOL,
    CHOICE,
    COUNT,
    DATE,
    ENTRY_SOURCES,
    MONEY,
    NAMES,
    Field,
    choices,
    names_of,
    register_actions,
    register_fields,
)


def register() -> None:
    register_actions(
        {
            "discretion.benchmark_create": "制定裁量基准",
            "discretion.facts_record": "记录裁量情节",
            "discretion.deviation_explain": "说明偏离裁量基准的理由",
            "discretion.outcome": "裁量结果",
        }
    )
    register_fields(
        {
            "discretion.benchmark_create:catalog_item_code": Field(
                "执法事项", NAMES, resolver=names_of("catalog.CatalogItem", key="code")
            ),
            "discretion.benchmark_create:version": Field("版本", COUNT, unit="版"),
            "discretion.benchmark_create:effective_from": Field("施行日期", DATE),
            "discretion.benchmark_create:effective_to": Field("废止日期", DATE),
            "discretion.benchmark_create:law": "法律依据",
            "discretion.benchmark_create:tiers": "裁量阶次",
            "discretion.benchmark_create:source": Field("来源", CHOICE, ENTRY_SOURCES),
            "discretion.facts_record:illegal_gains_yuan": Field("违法所得", MONEY),
            "discretion.facts_record:goods_value_yuan": Field("货值金额", MONEY),
            "discretion.facts_record:harm_level": Field("危害后果", CHOICE, choices(HarmLevel)),
            "discretion.facts_record:previous_penalty_on": Field("前次处罚日期", DATE),
            "discretion.facts_record:duration_days": Field("违法行为持续", COUNT, unit="天"),
            "discretion.facts_record:circumstances": Field(
                "情节", CHOICE, {code: label for code, (label, _effect, _basis) in CIRCUMSTANCES.items()}
            ),
            "discretion.facts_record:mitigation_applied": Field("适用减轻处罚", BOOL),
            "discretion.facts_record:note": "说明",
            "discretion.deviation_explain:reason": "偏离理由",
            "discretion.deviation_explain:recommended": "推荐幅度",
            "discretion.outcome:benchmark_id": Field(
                "裁量基准", NAMES, resolver=names_of("discretion.Benchmark", "law_name")
            ),
            "discretion.outcome:tier": "裁量阶次",
            "discretion.outcome:range": "推荐幅度",
            "discretion.outcome:fine_yuan": Field("罚款", MONEY),
            "discretion.outcome:deviated": Field("偏离裁量基准", BOOL),
        }
    )
