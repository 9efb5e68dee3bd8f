"""Schemas of the discretion API (the contract in docs/openapi.json)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from zhifa.cases.schemas import Date, Id, LongText, Yuan
from zhifa.discretion.logic import CIRCUMSTANCES

Multiple = Annotated[Decimal, Field(ge=0, max_digits=8, decimal_places=2)]
Share = Annotated[Decimal, Field(ge=0, le=1, max_digits=4, decimal_places=2)]
Code = Annotated[str, Field(max_length=64)]


class TierIn(Schema):
    name: str = Field(min_length=1, max_length=20, description="档次，如 轻微、一般、较重、严重")
    harm_levels: list[str] = Field(
        default_factory=list, max_length=4, description="none/minor/general/serious"
    )
    gains_min_yuan: Yuan | None = Field(None, description="违法所得下限（含）")
    gains_max_yuan: Yuan | None = Field(None, description="违法所得上限（不含）")
    goods_min_yuan: Yuan | None = None
    goods_max_yuan: Yuan | None = None
    repeat: bool | None = Field(None, description="再犯：true/false，空为不限")
    duration_min_days: int | None = Field(None, ge=0, le=100_000)
    duration_max_days: int | None = Field(None, ge=0, le=100_000)
    condition_text: str = Field("", max_length=500)
    fine_basis: str = Field("amount", description="none/amount/gains_multiple/goods_multiple")
    fine_min_yuan: Yuan | None = None
    fine_max_yuan: Yuan | None = None
    multiple_min: Multiple | None = None
    multiple_max: Multiple | None = None
    kinds: list[str] = Field(default_factory=list, max_length=13, description="其他处罚种类（PenaltyKind）")


class TierOut(TierIn):
    order: int


class BenchmarkIn(Schema):
    agency_id: Id | None = Field(None, description="制定机关（与 region_code 二选一）")
    region_code: str | None = Field(None, max_length=12, description="适用区划（与 agency_id 二选一）")
    catalog_item_code: Code
    title: str = Field(max_length=300)
    law_name: str = Field(max_length=200)
    article: str = Field(max_length=100)
    basis_text: LongText
    effective_from: Date
    effective_to: Date | None = None
    lighter_share: Share | None = None
    heavier_share: Share | None = None
    mitigated_floor_ratio: Share | None = None
    repeat_window_months: int | None = Field(None, ge=1, le=120)
    tiers: list[TierIn] = Field(min_length=1, max_length=50)


class BenchmarkOut(Schema):
    id: int
    agency_id: int | None
    region_code: str | None
    catalog_item_code: str
    title: str
    version: int
    effective_from: dt.date
    effective_to: dt.date | None
    law_name: str
    article: str
    basis_text: str
    lighter_share: Decimal
    heavier_share: Decimal
    mitigated_floor_ratio: Decimal
    repeat_window_months: int
    tiers: list[TierOut]


class BenchmarkPage(Schema):
    items: list[BenchmarkOut]
    next_cursor: str | None


class ImportErrorOut(Schema):
    row: int
    column: str
    reason: str


class DiscretionImportOut(Schema):
    total_rows: int
    created: list[dict]
    errors: list[ImportErrorOut]
    ok: bool


class RecommendationOut(Schema):
    found: bool
    benchmark_id: int | None
    version: int | None
    effective_from: dt.date | None
    tier_name: str
    min_yuan: Decimal | None
    max_yuan: Decimal | None
    kinds: list[str]
    mitigated: bool
    range_text: str
    explanation: list[str]


class FactsIn(Schema):
    illegal_gains_yuan: Yuan | None = None
    goods_value_yuan: Yuan | None = None
    harm_level: str = Field("none", description="none/minor/general/serious")
    previous_penalty_on: Date | None = Field(None, description="前次同类处罚日期（认定再犯）")
    duration_days: int | None = Field(None, ge=0, le=100_000)
    circumstances: list[str] = Field(
        default_factory=list, max_length=len(CIRCUMSTANCES), description="情节：" + "、".join(CIRCUMSTANCES)
    )
    mitigation_applied: bool = Field(False, description="适用减轻处罚（须有第三十条、第三十二条情节）")
    note: str = Field("", max_length=2000)


class FactsOut(FactsIn):
    case_id: int
    act_date: dt.date | None
    recommendation: RecommendationOut


class DeviationIn(Schema):
    reason: str = Field(min_length=1, max_length=5000)


class DeviationOut(Schema):
    id: int
    case_id: int
    reason: str
    range_text: str
    recorded_at: dt.datetime


class DiscretionReportRowOut(Schema):
    agency_id: int
    agency_name: str
    year: int | None
    decided: int
    with_benchmark: int
    deviated: int
    explained: int
    deviation_rate: float | None
    tiers: dict[str, int]
