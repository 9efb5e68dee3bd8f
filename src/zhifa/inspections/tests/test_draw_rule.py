"""The public draw rule against its definition, re-implemented here with hashlib only; its ValueErrors; the
stratified draw under Hypothesis (every stratum its share, no duplicates, exclusions respected)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.inspections import draw


def reference_select(candidates: list[str], k: int, seed: bytes) -> list[str]:
    """The definition, written out: sort by SHA-256(seed || 0x00 || candidate), take k."""
    keyed = sorted(candidates, key=lambda c: hashlib.sha256(seed + b"\x00" + c.encode("utf-8")).digest())
    return keyed[:k]


candidate_lists = st.lists(st.text(min_size=0, max_size=12), unique=True, max_size=60)


@given(candidates=candidate_lists, seed=st.binary(min_size=1, max_size=64), data=st.data())
@settings(max_examples=200, deadline=None)
def test_select_is_the_k_smallest_digests_in_ascending_order(candidates, seed, data) -> None:
    k = data.draw(st.integers(min_value=0, max_value=len(candidates)))
    assert draw.select(candidates, k, seed) == reference_select(candidates, k, seed)


def test_select_known_answer() -> None:
    seed = hashlib.sha256(b"zhifa").digest()
    pool = [str(i) for i in range(1, 21)]
    expected = reference_select(pool, 5, seed)
    assert draw.select(pool, 5, seed) == expected
    assert len(set(expected)) == 5


def test_select_does_not_depend_on_pool_order() -> None:
    seed = b"\x01" * 32
    pool = [f"P{i}" for i in range(100)]
    assert draw.select(pool, 10, seed) == draw.select(list(reversed(pool)), 10, seed)


def test_select_uses_the_zero_separator() -> None:
    # Without the 0x00 separator, seed b"a" + "bc" and seed b"ab" + "c" would hash the same bytes.
    assert hashlib.sha256(b"a" + b"\x00" + b"bc").digest() != hashlib.sha256(b"ab" + b"\x00" + b"c").digest()
    assert draw.select(["bc", "x"], 1, b"a") == reference_select(["bc", "x"], 1, b"a")


def test_k_equal_to_pool_returns_everyone_and_k_zero_nobody() -> None:
    pool = ["a", "b", "c"]
    assert sorted(draw.select(pool, 3, b"s")) == pool
    assert draw.select(pool, 0, b"s") == []
    assert draw.select([], 0, b"s") == []


@pytest.mark.parametrize(
    ("candidates", "k", "seed", "message"),
    [
        (["a", "b"], -1, b"s", "k must be"),
        (["a", "b"], 3, b"s", "larger than the pool"),
        ([], 1, b"s", "larger than the pool"),
        (["a", "a", "b"], 1, b"s", "duplicate"),
        (["a", "b"], 1, b"", "seed"),
    ],
)
def test_select_refuses_bad_input(candidates, k, seed, message) -> None:
    with pytest.raises(ValueError, match=message):
        draw.select(candidates, k, seed)


def test_seed_is_sha256_of_secret_root_and_ascii_task_id() -> None:
    secret, root = b"\x11" * 32, b"\x22" * 32
    assert draw.draw_seed(secret, root, 407) == hashlib.sha256(secret + root + b"407").digest()
    assert draw.commitment(secret) == hashlib.sha256(secret).digest()
    assert (
        draw.stratum_seed(b"seed", "party/A/餐饮")
        == hashlib.sha256(b"seed" + "party/A/餐饮".encode()).digest()
    )
    with pytest.raises(ValueError):
        draw.draw_seed(b"", root, 1)
    with pytest.raises(ValueError):
        draw.draw_seed(secret, root, -1)


def test_pool_hash_is_sorted_label_tab_candidate_lines() -> None:
    strata = {"party/B": ["12", "3"], "party/A": ["7"]}
    text = "party/A\t7\nparty/B\t12\nparty/B\t3"
    assert draw.pool_hash(strata) == hashlib.sha256(text.encode()).hexdigest()
    assert draw.pool_hash({"party/B": ["3", "12"], "party/A": ["7"]}) == draw.pool_hash(strata)


@pytest.mark.parametrize(
    ("size", "ratio", "share"),
    [(10, "10", 1), (11, "10", 2), (3, "0", 0), (7, "100", 7), (1, "0.5", 1), (0, "50", 0), (200, "2.5", 5)],
)
def test_ratio_share_rounds_up(size, ratio, share) -> None:
    assert draw.ratio_share(size, Decimal(ratio)) == share


def test_ratio_share_refuses_out_of_range() -> None:
    with pytest.raises(ValueError):
        draw.ratio_share(10, Decimal("101"))
    with pytest.raises(ValueError):
        draw.ratio_share(10, Decimal("-1"))


# --- stratification ---------------------------------------------------------------------------------------------

labels = st.sampled_from(["party/A", "party/B", "party/C", "party/D", "party/B/餐饮", "party/C/零售"])


@st.composite
def stratified_pools(draw_: st.DrawFn) -> tuple[dict[str, list[str]], dict[str, Decimal], set[str]]:
    chosen = draw_(st.lists(labels, unique=True, min_size=1, max_size=6))
    ids = iter(draw_(st.permutations(range(1, 400))))
    strata = {label: [str(next(ids)) for _ in range(draw_(st.integers(0, 40)))] for label in chosen}
    ratios = {label: Decimal(draw_(st.integers(0, 1000))) / 10 for label in chosen}
    everyone = [c for pool in strata.values() for c in pool]
    excluded = set(draw_(st.lists(st.sampled_from(everyone), unique=True))) if everyone else set()
    return strata, ratios, excluded


@given(pools=stratified_pools(), seed=st.binary(min_size=1, max_size=32))
@settings(max_examples=150, deadline=None)
def test_every_stratum_draws_its_share_without_duplicates_or_excluded(pools, seed) -> None:
    strata, ratios, excluded = pools
    eligible = {label: sorted(c for c in pool if c not in excluded) for label, pool in strata.items()}
    shares = {label: draw.ratio_share(len(pool), ratios[label]) for label, pool in eligible.items()}
    result = draw.draw_strata(eligible, shares, seed)
    everyone = [c for picked in result.values() for c in picked]
    assert len(everyone) == len(set(everyone))
    assert not set(everyone) & excluded
    for label, picked in result.items():
        assert len(picked) == shares[label]
        assert set(picked) <= set(eligible[label])
        # Each stratum is the rule applied under its own seed.
        assert picked == reference_select(eligible[label], shares[label], draw.stratum_seed(seed, label))
