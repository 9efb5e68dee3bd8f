"""报告期 — the periods of a report kind and their due dates (pure date arithmetic, no queries).

Bi-monthly periods are Jan–Feb, Mar–Apr …; quarters and years are calendar ones; a one-off kind has one
period, ``starts_on`` to ``ends_on``. A report is due ``due_days`` calendar days after its period ends
(“每两个月报送一次阶段性进展情况”, seed 000; “每季度向市政府汇报工作进展情况”, seed 002).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhifa.reporting.models import Period, period_label

MONTHS = {Period.BIMONTHLY: 2, Period.QUARTERLY: 3, Period.YEARLY: 12}
LOOKBACK_PERIODS = 12  # how many ended periods a filer is asked for at most (older ones are history)


@dataclass(frozen=True)
class ReportPeriod:
    start: dt.date
    end: dt.date
    due_on: dt.date

    @property
    def label(self) -> str:
        return period_label(self.start, self.end)


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def period_containing(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The recurring period of ``period`` that contains ``day``."""
    months = MONTHS[Period(period)]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    end = _month_start(day.year, first_month + months) - dt.timedelta(days=1)
    return start, end


def ended_periods(
    period: str,
    due_days: int,
    starts_on: dt.date,
    ends_on: dt.date | None,
    today: dt.date,
    limit: int = LOOKBACK_PERIODS,
) -> list[ReportPeriod]:
    """The periods of a kind that have ended by ``today`` (a report may be drafted once its period is over),
    newest first, at most ``limit``; a period ending before ``starts_on`` is not asked for."""
    lag = dt.timedelta(days=due_days)
    if period == Period.ONCE:
        if ends_on is None or ends_on >= today:
            return []
        return [ReportPeriod(starts_on, ends_on, ends_on + lag)]
    out: list[ReportPeriod] = []
    start, end = period_containing(period, today)
    while len(out) < limit:
        start, end = period_containing(period, start - dt.timedelta(days=1))
        if end < starts_on or (ends_on is not None and start > ends_on):
            break
        out.append(ReportPeriod(start, end, end + lag))
    return out


def period_of(
    period: str, due_days: int, starts_on: dt.date, ends_on: dt.date | None, start: dt.date, today: dt.date
) -> ReportPeriod | None:
    """The ended period beginning on ``start``, or None when the kind has no such period (yet)."""
    for p in ended_periods(period, due_days, starts_on, ends_on, today, limit=10_000):
        if p.start == start:
            return p
        if p.start < start:
            return None
    return None
