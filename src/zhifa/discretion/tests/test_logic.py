"""The benchmark's rules as pure functions: version choice, tiers, circumstances, validation, deviation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.discretion.logic import (
    BenchmarkSpec,
    Facts,
    TierSpec,
    deviations,
    recommend_for,
    tiers_overlap,
    validate_tiers,
)

TIERS = (
    TierSpec("轻微", 1, gains_max_yuan=D(1000), fine_min_yuan=D(1000), fine_max_yuan=D(3000)),
    TierSpec("一般", 2, gains_min_yuan=D(1000), gains_max_yuan=D(10000), fine_min_yuan=D(3000), fine_max_yuan=D(13000)),
    TierSpec("严重", 3, gains_min_yuan=D(10000), fine_basis="gains_multiple", multiple_min=D(2), multiple_max=D(5),
             kinds=("stop_business",)),
)  # fmt: skip
V1 = BenchmarkSpec(
    version=1, effective_from=dt.date(2024, 1, 1), effective_to=dt.date(2024, 12, 31), tiers=TIERS
)
LIGHTER = (
    TierSpec("轻微", 1, gains_max_yuan=D(1000), fine_min_yuan=D(500), fine_max_yuan=D(2000)),
    TierSpec("一般", 2, gains_min_yuan=D(1000), gains_max_yuan=D(10000), fine_min_yuan=D(2000), fine_max_yuan=D(8000)),
    TierSpec("严重", 3, gains_min_yuan=D(10000), fine_basis="gains_multiple", multiple_min=D(1), multiple_max=D(3)),
)  # fmt: skip
HEAVIER = tuple(
    TierSpec(t.name, t.order, gains_min_yuan=t.gains_min_yuan, gains_max_yuan=t.gains_max_yuan,
             fine_min_yuan=D(5000), fine_max_yuan=D(20000))
    for t in TIERS
)  # fmt: skip
ACT = dt.date(2024, 6, 1)
DECISION = dt.date(2025, 3, 1)


def v2(tiers: tuple[TierSpec, ...]) -> BenchmarkSpec:
    return BenchmarkSpec(version=2, effective_from=dt.date(2025, 1, 1), effective_to=None, tiers=tiers)


def test_gains_3200_fall_in_general_tier_with_explanation() -> None:
    rec = recommend_for(
        [V1], Facts(illegal_gains_yuan=D(3200)), act_date=ACT, decision_date=dt.date(2024, 7, 1)
    )
    assert rec.found and rec.tier_name == "一般"
    assert (rec.min_yuan, rec.max_yuan) == (D(3000), D(13000))
    text = "".join(rec.explanation)
    assert "违法所得 3,200 元" in text and "适用“一般”档" in text and "第 1 版" in text


def test_tier_boundary_is_half_open() -> None:
    at = recommend_for([V1], Facts(illegal_gains_yuan=D(1000)), act_date=ACT, decision_date=ACT)
    below = recommend_for([V1], Facts(illegal_gains_yuan=D("999.99")), act_date=ACT, decision_date=ACT)
    assert at.tier_name == "一般" and below.tier_name == "轻微"


def test_multiple_of_gains_range() -> None:
    rec = recommend_for([V1], Facts(illegal_gains_yuan=D(20000)), act_date=ACT, decision_date=ACT)
    assert rec.tier_name == "严重" and (rec.min_yuan, rec.max_yuan) == (D(40000), D(100000))
    assert set(rec.kinds) == {"fine", "stop_business"}


def test_version_in_force_at_act_date_applies_when_newer_is_heavier() -> None:
    rec = recommend_for(
        [V1, v2(HEAVIER)], Facts(illegal_gains_yuan=D(3200)), act_date=ACT, decision_date=DECISION
    )
    assert rec.version == 1 and rec.max_yuan == D(13000)
    assert "仍适用旧版" in "".join(rec.explanation)


def test_lighter_newer_version_wins_from_old_and_lighter_art_37() -> None:
    rec = recommend_for(
        [V1, v2(LIGHTER)], Facts(illegal_gains_yuan=D(3200)), act_date=ACT, decision_date=DECISION
    )
    assert rec.version == 2 and (rec.min_yuan, rec.max_yuan) == (D(2000), D(8000))
    assert "第三十七条" in "".join(rec.explanation)


def test_newer_version_not_yet_in_force_at_decision_is_ignored() -> None:
    rec = recommend_for(
        [V1, v2(LIGHTER)],
        Facts(illegal_gains_yuan=D(3200)),
        act_date=ACT,
        decision_date=dt.date(2024, 12, 31),
    )
    assert rec.version == 1


def test_act_after_new_version_uses_new_version_even_if_heavier() -> None:
    rec = recommend_for(
        [V1, v2(HEAVIER)],
        Facts(illegal_gains_yuan=D(3200)),
        act_date=dt.date(2025, 2, 1),
        decision_date=DECISION,
    )
    assert rec.version == 2


def test_no_benchmark_in_force() -> None:
    rec = recommend_for([V1], Facts(), act_date=dt.date(2023, 1, 1), decision_date=dt.date(2023, 2, 1))
    assert not rec.found


def test_lighter_circumstance_takes_lower_part_of_tier() -> None:
    rec = recommend_for(
        [V1],
        Facts(illegal_gains_yuan=D(3200), circumstances=("cooperative",)),
        act_date=ACT,
        decision_date=ACT,
    )
    assert (rec.min_yuan, rec.max_yuan) == (D(3000), D(6000))


def test_heavier_circumstance_takes_upper_part_of_tier() -> None:
    rec = recommend_for(
        [V1],
        Facts(illegal_gains_yuan=D(3200), circumstances=("obstructed",)),
        act_date=ACT,
        decision_date=ACT,
    )
    assert (rec.min_yuan, rec.max_yuan) == (D(10000), D(13000))


def test_lighter_and_heavier_together_keep_whole_tier() -> None:
    rec = recommend_for(
        [V1],
        Facts(illegal_gains_yuan=D(3200), circumstances=("obstructed", "cooperative")),
        act_date=ACT,
        decision_date=ACT,
    )
    assert (rec.min_yuan, rec.max_yuan) == (D(3000), D(13000))


def test_mitigation_goes_below_statutory_minimum_art_32() -> None:
    facts = Facts(illegal_gains_yuan=D(3200), circumstances=("eliminated_harm",), mitigation_applied=True)
    rec = recommend_for([V1], facts, act_date=ACT, decision_date=ACT)
    assert rec.mitigated and (rec.min_yuan, rec.max_yuan) == (D(0), D(1000))
    assert "第三十二条" in "".join(rec.explanation)
    # without applying mitigation the same statutory circumstance is 从轻 (lower part of the tier)
    lighter = recommend_for(
        [V1],
        Facts(illegal_gains_yuan=D(3200), circumstances=("eliminated_harm",)),
        act_date=ACT,
        decision_date=ACT,
    )
    assert not lighter.mitigated and lighter.max_yuan == D(6000)


def test_repeat_offence_within_window_selects_repeat_tier() -> None:
    tiers = (
        TierSpec("一般", 1, repeat=False, fine_min_yuan=D(0), fine_max_yuan=D(10000)),
        TierSpec("较重", 2, repeat=True, fine_min_yuan=D(10000), fine_max_yuan=D(30000)),
    )
    bench = BenchmarkSpec(version=1, effective_from=dt.date(2020, 1, 1), effective_to=None, tiers=tiers)
    inside = Facts(previous_penalty_on=dt.date(2023, 6, 2))
    outside = Facts(previous_penalty_on=dt.date(2023, 5, 31))
    assert recommend_for([bench], inside, act_date=ACT, decision_date=ACT).tier_name == "较重"
    assert recommend_for([bench], outside, act_date=ACT, decision_date=ACT).tier_name == "一般"


def test_min_greater_than_max_refused() -> None:
    errors = validate_tiers([TierSpec("一般", 1, fine_min_yuan=D(5000), fine_max_yuan=D(1000))])
    assert [(e.row, e.field) for e in errors] == [(1, "fine_min_yuan")]


def test_min_equal_max_allowed() -> None:
    assert validate_tiers([TierSpec("一般", 1, fine_min_yuan=D(5000), fine_max_yuan=D(5000))]) == []


def test_overlapping_tiers_refused_and_adjacent_allowed() -> None:
    overlapping = [
        TierSpec("轻微", 1, gains_max_yuan=D(1001), fine_min_yuan=D(1), fine_max_yuan=D(2)),
        TierSpec("一般", 2, gains_min_yuan=D(1000), fine_min_yuan=D(2), fine_max_yuan=D(3)),
    ]
    errors = validate_tiers(overlapping)
    assert [(e.row, e.field) for e in errors] == [(2, "conditions")]
    assert validate_tiers(TIERS) == []


def test_disjoint_harm_levels_or_repeat_do_not_overlap() -> None:
    a = TierSpec("a", 1, harm_levels=("none",))
    b = TierSpec("b", 2, harm_levels=("serious",))
    assert not tiers_overlap(a, b)
    assert tiers_overlap(a, TierSpec("c", 3))
    assert not tiers_overlap(TierSpec("a", 1, repeat=True), TierSpec("b", 2, repeat=False))


def test_deviation_both_sides_of_range() -> None:
    rec = recommend_for([V1], Facts(illegal_gains_yuan=D(3200)), act_date=ACT, decision_date=ACT)
    assert deviations(rec, fine_yuan=D(3000), kinds=["fine"]) == []
    assert deviations(rec, fine_yuan=D(13000), kinds=["fine", "confiscate_income"]) == []
    assert deviations(rec, fine_yuan=D("2999.99"), kinds=["fine"])
    assert deviations(rec, fine_yuan=D("13000.01"), kinds=["fine"])
    assert deviations(rec, fine_yuan=D(5000), kinds=["fine", "revoke_licence"])


def test_lighter_may_not_drop_a_kind_but_mitigated_may() -> None:
    rec = recommend_for([V1], Facts(illegal_gains_yuan=D(20000)), act_date=ACT, decision_date=ACT)
    assert deviations(rec, fine_yuan=D(50000), kinds=["fine"])  # stop_business dropped
    mitigated = recommend_for(
        [V1],
        Facts(illegal_gains_yuan=D(20000), circumstances=("coerced",), mitigation_applied=True),
        act_date=ACT,
        decision_date=ACT,
    )
    assert deviations(mitigated, fine_yuan=D(1000), kinds=["fine"]) == []


amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(gains=amounts, circumstances=st.sets(st.sampled_from(["cooperative", "obstructed", "confessed"])))
def test_recommendation_always_within_its_tier(gains: D, circumstances: set[str]) -> None:
    facts = Facts(illegal_gains_yuan=gains, circumstances=tuple(sorted(circumstances)))
    rec = recommend_for([V1], facts, act_date=ACT, decision_date=ACT)
    assert rec.found
    tier = next(t for t in TIERS if t.name == rec.tier_name)
    if tier.fine_basis == "amount":
        low, high = tier.fine_min_yuan, tier.fine_max_yuan
    else:
        low, high = (
            (gains * tier.multiple_min).quantize(D("0.01")),
            (gains * tier.multiple_max).quantize(D("0.01")),
        )
    assert rec.min_yuan is not None and rec.max_yuan is not None
    assert low <= rec.min_yuan <= rec.max_yuan <= high
    assert deviations(rec, fine_yuan=rec.min_yuan, kinds=rec.kinds) == []
    assert deviations(rec, fine_yuan=rec.max_yuan, kinds=rec.kinds) == []
