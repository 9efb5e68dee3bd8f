"""The benchmark's rules as pure functions over plain values — no database, usable by the benchmark script.

``recommend_for(benchmarks, facts, *, act_date, decision_date)`` picks the version (从旧兼从轻), the tier whose
conditions the facts meet, applies the circumstances and explains each step in Chinese. ``validate_tiers``
finds the errors of a tier table (min > max, empty intervals, overlapping conditions). ``deviations`` tells
whether a proposed penalty leaves the recommendation.

Intervals of amounts and days are half-open: 下限 ≤ 值 < 上限 (an empty bound is unbounded), so tiers can
partition a scale without gaps or double cover ("5,000 元以下" / "5,000 元以上" become [.., 5000) / [5000, ..)).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from zhifa.cases.models import PenaltyKind

CENT = Decimal("0.01")
ZERO = Decimal("0")

HARM_LEVELS: dict[str, str] = {
    "none": "无危害后果",
    "minor": "危害后果轻微",
    "general": "危害后果一般",
    "serious": "危害后果严重",
}
FINE_BASES = ("none", "amount", "gains_multiple", "goods_multiple")
# Kinds that follow from the facts whatever the tier (行政处罚法 第二十八条第二款: 违法所得应当予以没收),
# so they are not compared against the tier's kinds.
FACT_BOUND_KINDS = frozenset({PenaltyKind.CONFISCATE_INCOME.value, PenaltyKind.CONFISCATE_PROPERTY.value})
KIND_LABELS: dict[str, str] = {k.value: str(k.label) for k in PenaltyKind}

# 情节 — code: (label, effect, source). Effect "either" = 应当从轻或者减轻 (行政处罚法 第三十条、第三十二条):
# 从轻 by default, 减轻 when the officer applies mitigation (facts.mitigation_applied).
CIRCUMSTANCES: dict[str, tuple[str, str, str]] = {
    "eliminated_harm": ("主动消除或者减轻违法行为危害后果", "either", "行政处罚法第三十二条第一项"),
    "coerced": ("受他人胁迫或者诱骗实施违法行为", "either", "行政处罚法第三十二条第二项"),
    "confessed": ("主动供述行政机关尚未掌握的违法行为", "either", "行政处罚法第三十二条第三项"),
    "meritorious": ("配合行政机关查处违法行为有立功表现", "either", "行政处罚法第三十二条第四项"),
    "minor_age": ("已满十四周岁不满十八周岁", "either", "行政处罚法第三十条"),
    "cooperative": ("如实陈述违法事实、积极配合调查", "lighter", "裁量基准酌定从轻情节"),
    "first_offence": ("初次违法且主动改正", "lighter", "裁量基准酌定从轻情节"),
    "obstructed": ("拒绝、阻碍或者以暴力威胁执法", "heavier", "裁量基准从重情节"),
    "destroyed_evidence": ("伪造、隐匿、毁灭证据", "heavier", "裁量基准从重情节"),
    "vulnerable_victims": ("侵害老年人、未成年人、残疾人等群体利益", "heavier", "裁量基准从重情节"),
    "emergency_period": ("在发生突发事件期间实施违法行为", "heavier", "行政处罚法第四十九条"),
    "refused_correction": ("拒不改正或者改正后再次实施", "heavier", "裁量基准从重情节"),
}


def yuan(value: Decimal | None) -> str:
    """3200 → "3,200"; 3200.5 → "3,200.50"."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(CENT, ROUND_HALF_UP)
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def kind_labels(kinds: Iterable[str]) -> str:
    return "、".join(KIND_LABELS.get(k, k) for k in kinds)


def _q(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


# --- plain values ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierSpec:
    name: str
    order: int = 1
    harm_levels: tuple[str, ...] = ()
    gains_min_yuan: Decimal | None = None
    gains_max_yuan: Decimal | None = None
    goods_min_yuan: Decimal | None = None
    goods_max_yuan: Decimal | None = None
    repeat: bool | None = None
    duration_min_days: int | None = None
    duration_max_days: int | None = None
    condition_text: str = ""
    fine_basis: str = "amount"
    fine_min_yuan: Decimal | None = None
    fine_max_yuan: Decimal | None = None
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class BenchmarkSpec:
    version: int
    effective_from: dt.date
    effective_to: dt.date | None
    tiers: tuple[TierSpec, ...]
    id: int | None = None
    catalog_item_code: str = ""
    title: str = ""
    law_name: str = ""
    article: str = ""
    lighter_share: Decimal = Decimal("0.3")
    heavier_share: Decimal = Decimal("0.3")
    mitigated_floor_ratio: Decimal = ZERO
    repeat_window_months: int = 12

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class Facts:
    illegal_gains_yuan: Decimal | None = None
    goods_value_yuan: Decimal | None = None
    harm_level: str = "none"
    previous_penalty_on: dt.date | None = None
    duration_days: int | None = None
    circumstances: tuple[str, ...] = ()
    mitigation_applied: bool = False


@dataclass
class Recommendation:
    """推荐裁量结果 — tier, range and the version used, with a Chinese explanation of every step."""

    found: bool
    explanation: list[str] = field(default_factory=list)
    benchmark_id: int | None = None
    version: int | None = None
    effective_from: dt.date | None = None
    tier_name: str = ""
    min_yuan: Decimal | None = None  # None: the tier sets no fine
    max_yuan: Decimal | None = None
    kinds: tuple[str, ...] = ()
    mitigated: bool = False  # 减轻: the range lies below the statutory minimum, fewer kinds allowed
    effects: tuple[str, ...] = ()

    @property
    def range_text(self) -> str:
        parts = []
        if self.min_yuan is not None and self.max_yuan is not None:
            parts.append(f"罚款 {yuan(self.min_yuan)} 元至 {yuan(self.max_yuan)} 元")
        other = [KIND_LABELS.get(k, k) for k in self.kinds if k != PenaltyKind.FINE]
        if other:
            parts.append("、".join(other))
        return "；".join(parts) or "不予罚款"

    def as_dict(self) -> dict[str, object]:
        return {
            "found": self.found,
            "benchmark_id": self.benchmark_id,
            "version": self.version,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "tier_name": self.tier_name,
            "min_yuan": str(self.min_yuan) if self.min_yuan is not None else None,
            "max_yuan": str(self.max_yuan) if self.max_yuan is not None else None,
            "kinds": list(self.kinds),
            "mitigated": self.mitigated,
            "range_text": self.range_text if self.found else "",
            "explanation": list(self.explanation),
        }


# --- matching -------------------------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def is_repeat(facts: Facts, act_date: dt.date | None, window_months: int) -> bool:
    """再犯: a penalty for the same kind of act within ``window_months`` before this act."""
    if facts.previous_penalty_on is None or act_date is None:
        return False
    return facts.previous_penalty_on <= act_date <= _add_months(facts.previous_penalty_on, window_months)


def _in(value: Decimal | int | None, low: Decimal | int | None, high: Decimal | int | None) -> bool:
    if low is None and high is None:
        return True
    v = value if value is not None else 0
    return (low is None or v >= low) and (high is None or v < high)


def _interval_text(label: str, low: object, high: object, unit: str = "元") -> str:
    if low is not None and high is not None:
        return f"{label} {_fmt(low)}{unit}以上、不满 {_fmt(high)}{unit}"
    if low is not None:
        return f"{label} {_fmt(low)}{unit}以上"
    return f"{label}不满 {_fmt(high)}{unit}"


def _fmt(v: object) -> str:
    return yuan(Decimal(v)) if isinstance(v, Decimal) else str(v)


def condition_parts(tier: TierSpec) -> list[str]:
    parts: list[str] = []
    if tier.harm_levels:
        parts.append("危害后果为" + "或".join(HARM_LEVELS.get(h, h) for h in tier.harm_levels))
    if tier.gains_min_yuan is not None or tier.gains_max_yuan is not None:
        parts.append(_interval_text("违法所得", tier.gains_min_yuan, tier.gains_max_yuan))
    if tier.goods_min_yuan is not None or tier.goods_max_yuan is not None:
        parts.append(_interval_text("货值金额", tier.goods_min_yuan, tier.goods_max_yuan))
    if tier.repeat is not None:
        parts.append("再犯" if tier.repeat else "非再犯")
    if tier.duration_min_days is not None or tier.duration_max_days is not None:
        parts.append(_interval_text("持续", tier.duration_min_days, tier.duration_max_days, "日"))
    if tier.condition_text:
        parts.append(tier.condition_text)
    return parts


def tier_matches(tier: TierSpec, facts: Facts, *, repeat: bool) -> bool:
    if tier.harm_levels and facts.harm_level not in tier.harm_levels:
        return False
    if not _in(facts.illegal_gains_yuan, tier.gains_min_yuan, tier.gains_max_yuan):
        return False
    if not _in(facts.goods_value_yuan, tier.goods_min_yuan, tier.goods_max_yuan):
        return False
    if tier.repeat is not None and tier.repeat != repeat:
        return False
    return _in(facts.duration_days, tier.duration_min_days, tier.duration_max_days)


def tier_range(tier: TierSpec, facts: Facts) -> tuple[Decimal, Decimal] | None:
    """The tier's fine range for these facts (before circumstances); None when the tier sets no fine."""
    if tier.fine_basis == "none":
        return None
    if tier.fine_basis == "amount":
        return _q(tier.fine_min_yuan or ZERO), _q(tier.fine_max_yuan or ZERO)
    base = facts.illegal_gains_yuan if tier.fine_basis == "gains_multiple" else facts.goods_value_yuan
    base = Decimal(base or 0)
    return _q(base * (tier.multiple_min or ZERO)), _q(base * (tier.multiple_max or ZERO))


def _range_explained(tier: TierSpec, facts: Facts, rng: tuple[Decimal, Decimal] | None) -> str:
    if rng is None:
        return "本档不处罚款"
    if tier.fine_basis == "amount":
        return f"本档罚款 {yuan(rng[0])} 元至 {yuan(rng[1])} 元"
    label, base = (
        ("违法所得", facts.illegal_gains_yuan)
        if tier.fine_basis == "gains_multiple"
        else ("货值金额", facts.goods_value_yuan)
    )
    return (
        f"本档处{label} {_fmt(tier.multiple_min)} 倍至 {_fmt(tier.multiple_max)} 倍罚款，"
        f"按{label} {yuan(Decimal(base or 0))} 元计为 {yuan(rng[0])} 元至 {yuan(rng[1])} 元"
    )


def _effects(facts: Facts) -> tuple[set[str], list[str]]:
    effects: set[str] = set()
    labels: list[str] = []
    either = False
    for code in facts.circumstances:
        label, effect, source = CIRCUMSTANCES.get(code, (code, "", ""))
        labels.append(f"{label}（{source}）" if source else label)
        if effect == "either":
            either = True
        elif effect:
            effects.add(effect)
    if either:
        effects.add("mitigated" if facts.mitigation_applied else "lighter")
    return effects, labels


def _evaluate(bench: BenchmarkSpec, facts: Facts, act_date: dt.date | None) -> Recommendation:
    repeat = is_repeat(facts, act_date, bench.repeat_window_months)
    rec = Recommendation(
        found=False,
        benchmark_id=bench.id,
        version=bench.version,
        effective_from=bench.effective_from,
    )
    facts_text = [HARM_LEVELS.get(facts.harm_level, facts.harm_level)]
    if facts.illegal_gains_yuan is not None:
        facts_text.append(f"违法所得 {yuan(facts.illegal_gains_yuan)} 元")
    if facts.goods_value_yuan is not None:
        facts_text.append(f"货值金额 {yuan(facts.goods_value_yuan)} 元")
    facts_text.append(f"再犯（{bench.repeat_window_months} 个月内曾受同类处罚）" if repeat else "非再犯")
    if facts.duration_days is not None:
        facts_text.append(f"持续 {facts.duration_days} 日")
    matched = [t for t in bench.tiers if tier_matches(t, facts, repeat=repeat)]
    if not matched:
        rec.explanation.append("，".join(facts_text) + "：不符合本基准任何档次的条件，无推荐幅度。")
        return rec
    tier = min(matched, key=lambda t: t.order)
    rng = tier_range(tier, facts)
    conditions = "；".join(condition_parts(tier)) or "无附加条件"
    rec.found = True
    rec.tier_name = tier.name
    rec.kinds = tuple(dict.fromkeys((*tier.kinds, *(("fine",) if rng is not None else ()))))
    rec.explanation.append(
        "，".join(facts_text)
        + f"，适用“{tier.name}”档（条件：{conditions}）：{_range_explained(tier, facts, rng)}。"
    )
    effects, labels = _effects(facts)
    rec.effects = tuple(sorted(effects))
    if labels:
        rec.explanation.append("当事人情节：" + "；".join(labels) + "。")
    low, high = rng if rng is not None else (None, None)
    if "mitigated" in effects:
        # 行政处罚法 第三十二条: 应当从轻或者减轻; 减轻 = 在法定处罚种类或幅度最低限以下处罚. The statutory minimum
        # is the lowest minimum of the benchmark's tiers for these facts (the tiers divide the statutory range).
        floors = [r[0] for t in bench.tiers if (r := tier_range(t, facts)) is not None]
        statutory_min = min(floors) if floors else None
        rec.mitigated = True
        if statutory_min is not None:
            low = _q(statutory_min * bench.mitigated_floor_ratio)
            high = statutory_min
            rec.explanation.append(
                f"适用减轻处罚（行政处罚法第三十二条）：在法定最低限 {yuan(statutory_min)} 元以下处罚，"
                f"幅度为 {yuan(low)} 元至 {yuan(high)} 元，可减少处罚种类。"
            )
        else:
            rec.explanation.append("适用减轻处罚（行政处罚法第三十二条）：可减少处罚种类。")
    elif low is not None and high is not None:
        span = high - low
        if "lighter" in effects and "heavier" in effects:
            rec.explanation.append("从轻与从重情节并存，综合裁量，在本档全幅度内确定。")
        elif "lighter" in effects:
            high = _q(low + span * bench.lighter_share)
            rec.explanation.append(
                f"从轻处罚：在本档幅度较低的 {_pct(bench.lighter_share)} 部分内，即 {yuan(low)} 元至 {yuan(high)} 元；"
                "从轻不得减少处罚种类。"
            )
        elif "heavier" in effects:
            low = _q(high - span * bench.heavier_share)
            rec.explanation.append(
                f"从重处罚：在本档幅度较高的 {_pct(bench.heavier_share)} 部分内，即 {yuan(low)} 元至 {yuan(high)} 元。"
            )
    rec.min_yuan, rec.max_yuan = low, high
    return rec


def _pct(share: Decimal) -> str:
    return f"{(Decimal(share) * 100).normalize():f}%"


def _heaviness(rec: Recommendation) -> tuple[Decimal, Decimal]:
    return (rec.max_yuan or ZERO, rec.min_yuan or ZERO)


def is_lighter(new: Recommendation, old: Recommendation) -> bool:
    """新的规定处罚较轻: no higher bound, no extra kind, and lighter in at least one of them."""
    if not new.found or not old.found:
        return False
    new_kinds, old_kinds = set(new.kinds) - FACT_BOUND_KINDS, set(old.kinds) - FACT_BOUND_KINDS
    (nmax, nmin), (omax, omin) = _heaviness(new), _heaviness(old)
    if nmax > omax or nmin > omin or not new_kinds <= old_kinds:
        return False
    return nmax < omax or nmin < omin or new_kinds < old_kinds


def _latest_in_force(benchmarks: Iterable[BenchmarkSpec], on: dt.date | None) -> BenchmarkSpec | None:
    if on is None:
        return None
    found = [b for b in benchmarks if b.in_force(on)]
    return max(found, key=lambda b: (b.effective_from, b.version)) if found else None


def recommend_for(
    benchmarks: Sequence[BenchmarkSpec],
    facts: Facts,
    *,
    act_date: dt.date | None,
    decision_date: dt.date,
) -> Recommendation:
    """The recommendation for ``facts`` from the versions of one item's benchmark.

    行政处罚法 第三十七条 (从旧兼从轻): the version in force when the act was done applies; but when at decision
    time a newer version is in force and it is lighter for these facts, the newer one applies.
    """
    at_act = _latest_in_force(benchmarks, act_date)
    at_decision = _latest_in_force(benchmarks, decision_date)
    if at_act is None and at_decision is None:
        return Recommendation(
            found=False, explanation=["该事项在违法行为发生时和作出决定时均无有效的裁量基准。"]
        )
    if at_act is None:
        assert at_decision is not None
        rec = _evaluate(at_decision, facts, act_date)
        rec.explanation.insert(
            0,
            f"违法行为发生时（{_d(act_date)}）无有效的裁量基准版本，参照作出决定时有效的第 {at_decision.version} 版"
            f"（{at_decision.effective_from:%Y-%m-%d} 起施行）。",
        )
        return rec
    old = _evaluate(at_act, facts, act_date)
    head = f"违法行为发生于 {_d(act_date)}，适用当时有效的第 {at_act.version} 版基准（{at_act.effective_from:%Y-%m-%d} 起施行）"
    if at_decision is None or at_decision is at_act or at_decision.version == at_act.version:
        old.explanation.insert(0, head + "。")
        return old
    new = _evaluate(at_decision, facts, act_date)
    if is_lighter(new, old):
        new.explanation.insert(
            0,
            head + f"；作出决定时（{decision_date:%Y-%m-%d}）第 {at_decision.version} 版已施行且处罚较轻"
            f"（{new.range_text}，旧版 {old.range_text}），依行政处罚法第三十七条从旧兼从轻，适用新版。",
        )
        return new
    old.explanation.insert(
        0,
        head
        + f"；作出决定时有效的第 {at_decision.version} 版处罚不轻于旧版，依行政处罚法第三十七条仍适用旧版。",
    )
    return old


def _d(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "（未登记）"


# --- deviation ------------------------------------------------------------------------------------------------


def deviations(rec: Recommendation, *, fine_yuan: Decimal | None, kinds: Iterable[str]) -> list[str]:
    """Why a proposed penalty leaves the recommendation (empty: it is within)."""
    if not rec.found:
        return []
    reasons: list[str] = []
    fine = Decimal(fine_yuan or 0)
    if rec.min_yuan is not None and rec.max_yuan is not None:
        if fine < rec.min_yuan or fine > rec.max_yuan:
            reasons.append(
                f"罚款 {yuan(fine)} 元不在推荐幅度 {yuan(rec.min_yuan)} 元至 {yuan(rec.max_yuan)} 元内"
            )
    elif fine > 0:
        reasons.append(f"推荐档次不处罚款，拟罚款 {yuan(fine)} 元")
    proposed = set(kinds) - FACT_BOUND_KINDS
    allowed = set(rec.kinds) - FACT_BOUND_KINDS
    extra = proposed - allowed
    if extra:
        reasons.append("处罚种类超出推荐：" + "、".join(KIND_LABELS.get(k, k) for k in sorted(extra)))
    missing = allowed - proposed
    if missing and not rec.mitigated and not (missing == {"fine"} and (rec.min_yuan or ZERO) == 0):
        reasons.append(
            "少于推荐的处罚种类（从轻不得减少种类）："
            + "、".join(KIND_LABELS.get(k, k) for k in sorted(missing))
        )
    return reasons


# --- validation -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierError:
    row: int  # 1-based position of the tier (or the spreadsheet row when imported)
    field: str
    message: str


_Bound = TypeVar("_Bound", Decimal, int)  # a tier's bounds: yuan or days


def _overlap(
    a_low: _Bound | None, a_high: _Bound | None, b_low: _Bound | None, b_high: _Bound | None
) -> bool:
    low = max((v for v in (a_low, b_low) if v is not None), default=None)
    highs = [v for v in (a_high, b_high) if v is not None]
    high = min(highs) if highs else None
    return low is None or high is None or low < high


def tiers_overlap(a: TierSpec, b: TierSpec) -> bool:
    """Could one set of facts meet both tiers' conditions?"""
    if a.harm_levels and b.harm_levels and not set(a.harm_levels) & set(b.harm_levels):
        return False
    if a.repeat is not None and b.repeat is not None and a.repeat != b.repeat:
        return False
    return (
        _overlap(a.gains_min_yuan, a.gains_max_yuan, b.gains_min_yuan, b.gains_max_yuan)
        and _overlap(a.goods_min_yuan, a.goods_max_yuan, b.goods_min_yuan, b.goods_max_yuan)
        and _overlap(a.duration_min_days, a.duration_max_days, b.duration_min_days, b.duration_max_days)
    )


def _check_pair(
    errors: list[TierError], row: int, field_name: str, low: object, high: object, what: str
) -> None:
    if low is not None and high is not None and low > high:  # type: ignore[operator]
        errors.append(TierError(row, field_name, f"{what}下限 {_fmt(low)} 大于上限 {_fmt(high)}"))


def validate_tier(tier: TierSpec, row: int) -> list[TierError]:
    errors: list[TierError] = []
    if not tier.name.strip():
        errors.append(TierError(row, "name", "档次名称不能为空"))
    for h in tier.harm_levels:
        if h not in HARM_LEVELS:
            errors.append(TierError(row, "harm_levels", f"危害后果“{h}”无效"))
    for k in tier.kinds:
        if k not in KIND_LABELS:
            errors.append(TierError(row, "kinds", f"处罚种类“{k}”无效"))
    for name, value in (
        ("fine_min_yuan", tier.fine_min_yuan),
        ("fine_max_yuan", tier.fine_max_yuan),
        ("multiple_min", tier.multiple_min),
        ("multiple_max", tier.multiple_max),
        ("gains_min_yuan", tier.gains_min_yuan),
        ("gains_max_yuan", tier.gains_max_yuan),
        ("goods_min_yuan", tier.goods_min_yuan),
        ("goods_max_yuan", tier.goods_max_yuan),
    ):
        if value is not None and value < 0:
            errors.append(TierError(row, name, "金额或倍数不能为负数"))
    _check_pair(errors, row, "fine_min_yuan", tier.fine_min_yuan, tier.fine_max_yuan, "罚款")
    _check_pair(errors, row, "multiple_min", tier.multiple_min, tier.multiple_max, "倍数")
    for name, low, high, what in (
        ("gains_min_yuan", tier.gains_min_yuan, tier.gains_max_yuan, "违法所得"),
        ("goods_min_yuan", tier.goods_min_yuan, tier.goods_max_yuan, "货值金额"),
        ("duration_min_days", tier.duration_min_days, tier.duration_max_days, "持续天数"),
    ):
        if low is not None and high is not None and low >= high:
            errors.append(
                TierError(row, name, f"{what}条件下限 {_fmt(low)} 不小于上限 {_fmt(high)}，没有事实能满足")
            )
    if tier.fine_basis not in FINE_BASES:
        errors.append(TierError(row, "fine_basis", f"罚款方式“{tier.fine_basis}”无效"))
    elif tier.fine_basis == "amount" and (tier.fine_min_yuan is None or tier.fine_max_yuan is None):
        errors.append(TierError(row, "fine_min_yuan", "固定金额幅度须填写罚款下限和上限"))
    elif tier.fine_basis in ("gains_multiple", "goods_multiple") and (
        tier.multiple_min is None or tier.multiple_max is None
    ):
        errors.append(TierError(row, "multiple_min", "倍数罚款须填写倍数下限和上限"))
    if tier.fine_basis == "none" and not tier.kinds:
        errors.append(TierError(row, "kinds", "不罚款的档次须列明其他处罚种类"))
    return errors


def validate_tiers(tiers: Sequence[TierSpec], rows: Sequence[int] | None = None) -> list[TierError]:
    """Every error of a tier table; ``rows`` numbers the tiers as the user sees them (default 1, 2, …)."""
    rows = list(rows) if rows is not None else list(range(1, len(tiers) + 1))
    errors: list[TierError] = []
    if not tiers:
        errors.append(TierError(0, "tiers", "裁量基准至少应有一个档次"))
    for tier, row in zip(tiers, rows, strict=True):
        errors.extend(validate_tier(tier, row))
    names: dict[str, int] = {}
    for tier, row in zip(tiers, rows, strict=True):
        if tier.name in names:
            errors.append(TierError(row, "name", f"档次名称“{tier.name}”与第 {names[tier.name]} 行重复"))
        names.setdefault(tier.name, row)
    for i, (a, ra) in enumerate(zip(tiers, rows, strict=True)):
        for b, rb in list(zip(tiers, rows, strict=True))[i + 1 :]:
            if tiers_overlap(a, b):
                errors.append(
                    TierError(
                        rb,
                        "conditions",
                        f"“{b.name}”档与第 {ra} 行“{a.name}”档的条件重叠：同一事实可同时满足两档",
                    )
                )
    return errors
