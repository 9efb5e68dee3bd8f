"""Periods parties rely on: calendar-day periods roll over days off (民法典 第二百零三条), and the late-payment
surcharge pauses while a 复议 or 诉讼 is pending (行政处罚法 第七十三条第三款)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.cases import limits
from zhifa.core.errors import ConfigurationMissing
from zhifa.core.workdays import package_knows

pytestmark = pytest.mark.django_db

D = dt.date


# --- 民法典 第二百零三条: the last day on a day off moves to the next working day ---------------------------------


@pytest.mark.parametrize(
    ("served_on", "due"),
    [
        (D(2026, 9, 16), D(2026, 10, 8)),  # 10-01 is National Day: due after the holiday
        (D(2026, 11, 6), D(2026, 11, 23)),  # 11-21 is a Saturday: due Monday
        (D(2026, 11, 2), D(2026, 11, 17)),  # 11-17 is a Tuesday: stays fifteen days
    ],
)
def test_payment_period_ending_on_a_day_off_ends_on_the_next_working_day(served_on: D, due: D) -> None:
    assert limits.payment_due(served_on) == due


def test_payment_period_never_ends_during_national_day_regression() -> None:
    # Regression (issue 17 item 5): served 2026-09-16 used to be due 2026-10-01, inside the holiday.
    assert limits.payment_due(D(2026, 9, 16)) != D(2026, 10, 1)


@pytest.mark.parametrize(
    ("served_on", "last_day"),
    [
        (D(2026, 8, 2), D(2026, 10, 8)),  # sixty days end 10-01 (National Day)
        (D(2026, 8, 10), D(2026, 10, 9)),  # sixty days end on Friday 10-09: unchanged
    ],
)
def test_reconsideration_period_rolls_over_days_off(served_on: D, last_day: D) -> None:
    assert limits.reconsideration_period_ends(served_on) == last_day


@pytest.mark.parametrize(
    ("served_on", "last_day"),
    [
        (D(2025, 4, 1), D(2025, 10, 9)),  # six months end 2025-10-01 (National Day 10-01..10-08)
        (D(2025, 3, 25), D(2025, 9, 25)),  # a Thursday: unchanged
    ],
)
def test_litigation_period_rolls_over_days_off(served_on: D, last_day: D) -> None:
    assert limits.litigation_period_ends(served_on) == last_day
    assert limits.remedy_period_ends(served_on) == last_day  # the later of the two remedy periods


def test_court_application_window_starts_after_the_rolled_remedy_period() -> None:
    first, _last = limits.court_application_window(D(2025, 4, 1))
    assert first == D(2025, 10, 10)  # not 10-02, while the party may still sue


def test_court_application_window_ending_on_a_holiday_ends_on_the_next_working_day() -> None:
    # Served 2025-01-01: the remedy periods end Tuesday 2025-07-01; three months later is 10-01.
    first, last = limits.court_application_window(D(2025, 1, 1))
    assert first == D(2025, 7, 2)
    assert last == D(2025, 10, 9)


def test_a_period_ending_in_a_year_without_schedule_is_refused_not_guessed() -> None:
    if package_knows(2027):
        pytest.skip("chinese_calendar knows 2027")
    with pytest.raises(ConfigurationMissing):
        limits.payment_due(D(2026, 12, 20))  # 2027-01-04


# --- 行政处罚法 第七十三条第三款: no surcharge for the days of a pending 复议/诉讼 -----------------------------------

FINE = Decimal("1000")
DUE = D(2026, 1, 10)


def test_surcharge_without_remedy_counts_every_day_late() -> None:
    assert limits.late_payment_surcharge(FINE, DUE, D(2026, 1, 20)) == Decimal("300")


def test_surcharge_pauses_during_a_pending_reconsideration_regression() -> None:
    # Regression (issue 17 item 3): the 复议 from 01-12 to 01-15 used to earn 3 % a day like any other day.
    periods = [(D(2026, 1, 12), D(2026, 1, 15))]
    assert limits.late_payment_surcharge(FINE, DUE, D(2026, 1, 20), excluded_periods=periods) == Decimal(
        "180"
    )


def test_surcharge_excludes_only_days_after_the_due_date_and_up_to_payment() -> None:
    # The period starts before the due date (only 01-11, 01-12 count as excluded) …
    early = [(D(2026, 1, 1), D(2026, 1, 12))]
    assert limits.late_payment_surcharge(FINE, DUE, D(2026, 1, 20), excluded_periods=early) == Decimal("240")
    # … or lies after payment (nothing excluded); first and last day are both inclusive.
    late = [(D(2026, 1, 21), D(2026, 2, 1))]
    assert limits.late_payment_surcharge(FINE, DUE, D(2026, 1, 20), excluded_periods=late) == Decimal("300")
    edge = [(D(2026, 1, 20), D(2026, 1, 20))]
    assert limits.late_payment_surcharge(FINE, DUE, D(2026, 1, 20), excluded_periods=edge) == Decimal("270")


def test_overlapping_remedy_periods_are_not_excluded_twice() -> None:
    periods = [(D(2026, 1, 12), D(2026, 1, 15)), (D(2026, 1, 14), D(2026, 1, 16))]
    assert limits.late_payment_surcharge(FINE, DUE, D(2026, 1, 20), excluded_periods=periods) == Decimal(
        "150"
    )


def test_surcharge_with_remedy_periods_still_stops_at_the_fine() -> None:
    # 行政处罚法 第七十二条: 60 days late, 10 of them in 诉讼 → 50 × 3 % = 150 % → capped at the fine.
    periods = [(D(2026, 2, 1), D(2026, 2, 10))]
    paid = DUE + dt.timedelta(days=60)
    assert limits.late_payment_surcharge(FINE, DUE, paid, excluded_periods=periods) == FINE
    assert limits.late_payment_surcharge(FINE, DUE, D(2026, 1, 25), excluded_periods=periods) == Decimal(
        "450"
    )
