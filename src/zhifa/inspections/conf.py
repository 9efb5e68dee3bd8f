"""Inspection numbers (检查相关参数): every one a ``ZHIFA_INSPECTION_*`` variable declared in ``core/env.py``.

Local plans differ, so nothing here is hard-coded: a Django setting of the same name wins (tests use it),
then the environment, then the default below.
"""

from __future__ import annotations

from django.conf import settings

from zhifa.core.env import env_int, env_str

DEFAULTS: dict[str, int] = {
    # Warnings (预警)
    "ZHIFA_INSPECTION_REPEAT_PERIOD_DAYS": 180,
    "ZHIFA_INSPECTION_MULTI_AGENCY_WINDOW_DAYS": 30,
    "ZHIFA_INSPECTION_MULTI_AGENCY_MIN": 2,
    "ZHIFA_INSPECTION_FREQUENCY_PERIOD_DAYS": 365,
    "ZHIFA_INSPECTION_MAX_PER_PERIOD_A": 1,
    "ZHIFA_INSPECTION_MAX_PER_PERIOD_B": 2,
    "ZHIFA_INSPECTION_MAX_PER_PERIOD_C": 4,
    "ZHIFA_INSPECTION_MAX_PER_PERIOD_D": 6,
    "ZHIFA_INSPECTION_AGENCY_YEAR_CAP": 2,
    "ZHIFA_INSPECTION_MERGE_WINDOW_DAYS": 30,
    "ZHIFA_INSPECTION_RECOGNITION_DAYS": 180,
    # Yearly caps (年度检查上限) where no region sets them; 0 means none
    "ZHIFA_INSPECTION_VISIT_CAP_PER_AGENCY": 0,
    "ZHIFA_INSPECTION_VISIT_CAP_PER_ENTERPRISE": 0,
    # Draws (双随机)
    "ZHIFA_INSPECTION_DRAW_EXCLUSION_DAYS": 180,
    "ZHIFA_INSPECTION_MIN_INSPECTORS": 2,
    # Filing, entry, results
    "ZHIFA_INSPECTION_EMERGENCY_FILING_HOURS": 24,
    "ZHIFA_INSPECTION_OFFLINE_ENTRY_HOURS": 24,
    "ZHIFA_INSPECTION_BACK_ENTRY_DAYS": 10,
    "ZHIFA_INSPECTION_RESULT_PUBLISH_WORKING_DAYS": 20,
    "ZHIFA_INSPECTION_FEEDBACK_MIN_AGGREGATE": 3,
}
PLAN_DEADLINE_DEFAULT = "03-31"


def number(name: str) -> int:
    """The configured value of a ``ZHIFA_INSPECTION_*`` number."""
    override = getattr(settings, name, None)
    if override is not None:
        return int(override)
    return env_int(name, DEFAULTS[name])


def plan_deadline(year: int) -> tuple[int, int, int]:
    """Publication deadline of a year's plan, (year, month, day): 31 March unless configured (MM-DD)."""
    raw = getattr(settings, "ZHIFA_INSPECTION_PLAN_DEADLINE", None) or env_str(
        "ZHIFA_INSPECTION_PLAN_DEADLINE"
    )
    month, day = (raw or PLAN_DEADLINE_DEFAULT).split("-")
    return year, int(month), int(day)


def max_per_period(credit_class: str) -> int:
    """How many inspections in a frequency period a credit class allows (fewer for A, more for D)."""
    return number(f"ZHIFA_INSPECTION_MAX_PER_PERIOD_{credit_class}")
