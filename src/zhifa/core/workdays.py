"""Working days (工作日) of mainland China: statutory holidays and adjusted working weekends (调休).

Deadlines counted in working days (e.g. publishing a penalty decision within 7 working days) are computed
here. Two sources, in order:

1. ``WorkingDayOverride`` rows an administrator entered (``zhifa.core.models``): a row for a date always
   wins, in any year.
2. The ``chinese_calendar`` package, which carries the State Council's yearly holiday notices
   (国务院办公厅关于部分节假日安排的通知) for the years it knows.

For a year the package does not know, the year's override rows are the schedule once an administrator has
confirmed it whole (``HolidayScheduleYear``): a day is a working day if it is Monday–Friday, unless a row
says otherwise. A year not confirmed is refused with :class:`~zhifa.core.errors.ConfigurationMissing` — a
deadline is never guessed from weekends alone, nor from a half-entered schedule, since every year moves
about a dozen days.

Each public call reads the overrides of each year it touches in one query, and keeps nothing once it
returns, so a changed schedule takes effect at once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar

from zhifa.core.errors import ConfigurationMissing
from zhifa.core.models import HolidayScheduleYear, WorkingDayOverride

__all__ = ["add_working_days", "is_working_day", "package_knows", "working_days_between"]

_ONE_DAY = timedelta(days=1)


def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class _Calendar:
    """The working-day calendar for one public call: each year's overrides are loaded once, on first use."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[date, bool]] = {}
        self._package_years: dict[int, bool] = {}
        self._confirmed: dict[int, bool] = {}

    def _year_overrides(self, year: int) -> dict[date, bool]:
        overrides = self._overrides.get(year)
        if overrides is None:
            rows = WorkingDayOverride.objects.filter(
                date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)
            ).values_list("date", "is_working_day")
            overrides = self._overrides[year] = dict(rows)
        return overrides

    def _knows(self, year: int) -> bool:
        known = self._package_years.get(year)
        if known is None:
            known = self._package_years[year] = _package_knows(year)
        return known

    def _year_confirmed(self, year: int) -> bool:
        confirmed = self._confirmed.get(year)
        if confirmed is None:
            confirmed = self._confirmed[year] = HolidayScheduleYear.objects.filter(year=year).exists()
        return confirmed

    def is_working_day(self, d: date) -> bool:
        known = self._knows(d.year)
        # A year the package does not know counts only once an administrator confirmed its whole schedule:
        # until then no date of it is answered, whatever override rows exist (issue 17 item 4).
        if not known and not self._year_confirmed(d.year):
            raise ConfigurationMissing(
                f"缺少 {d.year} 年的节假日安排："
                "请系统管理员在“节假日调休安排”中录入并确认该年国务院公布的放假安排。",
                f"The holiday schedule for {d.year} is missing: an administrator must enter the State "
                "Council schedule for that year.",
                code="holiday_schedule_missing",
                details={"year": d.year},
            )
        override = self._year_overrides(d.year).get(d)
        if override is not None:
            return override
        if known:
            return bool(chinese_calendar.is_workday(d))
        # A year the administrator entered and confirmed: Monday–Friday work unless a row says otherwise.
        return d.weekday() < 5


def package_knows(year: int) -> bool:
    """Does chinese-calendar carry the State Council's schedule for ``year``?"""
    return _package_knows(year)


def _plain_date(d: date) -> date:
    # A datetime is a date subclass, but which calendar day it falls on depends on the time zone: the
    # caller decides (``clock.business_date(dt)``), so an instant is refused rather than silently cut.
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"expected a date, got {type(d).__name__}; use clock.today() for an instant")
    return d


def is_working_day(d: date) -> bool:
    """True if ``d`` is a working day in mainland China (holidays and 调休 included).

    Raises ``ConfigurationMissing`` (code ``holiday_schedule_missing``) for a year whose schedule is
    neither in ``chinese_calendar`` nor entered as overrides.
    """
    return _Calendar().is_working_day(_plain_date(d))


def add_working_days(start: date, n: int) -> date:
    """The date ``n`` working days after ``start`` (``start`` itself not counted; ``n == 0`` gives ``start``).

    E.g. a decision made on Friday 2024-09-27 and due "within 7 working days" is due on the date this
    returns for ``n=7`` (2024-10-12, after the National Day holiday). Raises ``ValueError`` for ``n < 0``.
    """
    if n < 0:
        raise ValueError(f"n must be ≥ 0, got {n}")
    calendar = _Calendar()
    current = _plain_date(start)
    remaining = n
    while remaining:
        current += _ONE_DAY
        if calendar.is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """The number of working days in the half-open range (``start``, ``end``]; 0 if ``end <= start``."""
    calendar = _Calendar()
    current, end = _plain_date(start), _plain_date(end)
    count = 0
    while current < end:
        current += _ONE_DAY
        if calendar.is_working_day(current):
            count += 1
    return count
