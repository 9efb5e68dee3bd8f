"""The numbers module: every configurable number declared once in zhifa.core.env; date arithmetic edges."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhifa.cases import limits
from zhifa.core.env import VARIABLES


def test_every_case_setting_is_a_declared_environment_variable_with_the_same_default() -> None:
    declared = {v.name: v.default for v in VARIABLES}
    for spec in limits.SETTINGS:
        assert declared.get(spec.env) == spec.default, spec.env


def test_settings_override_the_environment(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHIFA_CASE_NEAR_LIMIT_DAYS", "20")
    assert limits.setting_int("NEAR_LIMIT_DAYS") == 20
    settings.ZHIFA_CASES = {"NEAR_LIMIT_DAYS": 5}
    assert limits.setting_int("NEAR_LIMIT_DAYS") == 5


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [(dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28)), (dt.date(2025, 3, 25), 6, dt.date(2025, 9, 25))],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(start: dt.date, months: int, end: dt.date) -> None:
    assert limits.add_months(start, months) == end


def test_limitation_from_a_leap_day() -> None:
    assert limits.limitation_ends(dt.date(2024, 2, 29), serious=False) == dt.date(2026, 2, 28)


def test_individual_business_counts_as_a_citizen() -> None:
    assert limits.is_citizen("individual_business") and limits.is_citizen("natural_person")
    assert not limits.is_citizen("legal_person")
