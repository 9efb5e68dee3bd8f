"""The test kit itself: each registry context manager leaves the registry as it found it, and the fixed clock
sets the day for the test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from zhifa.core import clock, flags, menu
from zhifa.portal import feeds
from zhifa.testing import registries


def test_flag_source_registers_for_the_block_only() -> None:
    before = flags.sources()
    with registries.flag_source("kit_test", "测试", lambda since: []):
        assert flags.label("kit_test") == "测试"
    assert flags.sources() == before


def test_flag_source_puts_back_a_source_it_replaced() -> None:
    kind, (label, fn) = next(iter(flags.sources().items()))
    with registries.flag_source(kind, "替换", lambda since: []):
        assert flags.label(kind) == "替换"
    assert flags.sources()[kind] == (label, fn)


def test_feed_source_and_menu_item_register_for_the_block_only() -> None:
    sources, items = feeds.feed_sources(), menu.extra_items()
    with registries.feed_source("kit.test", lambda agency_id, limit: []):
        assert "kit.test" in feeds.feed_sources()
    with registries.menu_item("测试菜单", "kit:test", "bi-x", None):
        assert ("测试菜单", "kit:test", "bi-x", None) in menu.extra_items()
    assert feeds.feed_sources() == sources
    assert menu.extra_items() == items


def test_case_hooks_cleared_empties_the_hooks_and_restores_them() -> None:
    from zhifa.cases import hooks

    before = {name: getattr(hooks, name) for name in registries._CASE_HOOKS}
    with registries.case_hooks_cleared() as cleared:
        assert all(not getattr(cleared, name) for name in registries._CASE_HOOKS)
        cleared.register_panel(lambda request, case: None)
        assert len(hooks._panels) == 1
    assert {name: getattr(hooks, name) for name in registries._CASE_HOOKS} == before


@pytest.mark.parametrize("day", [dt.date(2027, 2, 6), dt.date(2024, 12, 31)])
def test_fixed_clock_sets_the_day_for_the_test(
    fixed_clock: Callable[[dt.date], dt.date], day: dt.date
) -> None:
    assert fixed_clock(day) == day == clock.today()
