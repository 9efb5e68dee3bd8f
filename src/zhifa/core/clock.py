"""The one clock (时钟) of zhifa: every "now" and "today" the platform uses comes from here.

Code never reads the wall clock itself (``timezone.now()``, ``timezone.localdate()``, ``date.today()``:
ruff's banned-api rule refuses them outside this module). That lets the clock be set in one place:

- the test suite sets it to a fixed business day (``ZHIFA_TEST_TODAY``, see ``zhifa.testing.plugin``), so the suite
  passes whatever the real date is;
- ``zhifa demo --as-of YYYY-MM-DD`` builds the demo county as it would have looked on that day;
- ``ZHIFA_TODAY=YYYY-MM-DD`` starts a whole server on another day (a training room, a rehearsal).

A set clock is an *offset* from the wall clock, not a frozen instant: time keeps flowing from the day it was
set to, so idle timeouts, "at most once a minute" writes and ordering by time behave as they do in real life.
The offset is process-wide (every thread of a server or a live-server test sees the same clock).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

# The hour of day a clock set to a date starts at (Beijing time): a working morning.
SET_DAY_HOUR = 9

_lock = threading.Lock()
_offset = dt.timedelta(0)


def now() -> dt.datetime:
    """The current instant (aware, UTC) on the platform's clock."""
    return timezone.now() + _offset  # noqa: TID251 -- the one place the wall clock is read


def today() -> dt.date:
    """Today's business date in Beijing time (the platform's ``TIME_ZONE``) on the platform's clock."""
    return business_date(now())


def localtime() -> dt.datetime:
    """The current instant in Beijing time."""
    return local(now())


def _instant(at: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(at, dt.datetime):
        if timezone.is_naive(at):
            return timezone.make_aware(at)
        return at
    return timezone.make_aware(dt.datetime.combine(at, dt.time(SET_DAY_HOUR)))


def set_to(at: dt.date | dt.datetime) -> None:
    """Set the clock so that ``now()`` is ``at`` (a date means 09:00 Beijing time of that day) from here on."""
    global _offset
    with _lock:
        _offset = _instant(at) - timezone.now()  # noqa: TID251 -- the offset is from the wall clock


def reset() -> None:
    """Back to the wall clock."""
    global _offset
    with _lock:
        _offset = dt.timedelta(0)


def is_set() -> bool:
    return _offset != dt.timedelta(0)


@contextmanager
def set_during(at: dt.date | dt.datetime) -> Iterator[None]:
    """The clock set to ``at`` inside the block, and back to what it was after."""
    global _offset
    before = _offset
    set_to(at)
    try:
        yield
    finally:
        with _lock:
            _offset = before


def parse_day(value: str) -> dt.date:
    """``YYYY-MM-DD`` as a date, with a Chinese and English message for anything else."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"日期格式应为 YYYY-MM-DD：{value!r} / expected a date as YYYY-MM-DD") from None


def set_from_environment() -> None:
    """Apply ``ZHIFA_TODAY`` when it is set (called once when the apps are ready)."""
    value = os.environ.get("ZHIFA_TODAY", "").strip()
    if value:
        set_to(parse_day(value))


def business_date(instant: dt.datetime) -> dt.date:
    """The Beijing-time business date of an aware instant."""
    return timezone.localdate(instant)  # noqa: TID251 -- a conversion, not a reading of the clock


def local(instant: dt.datetime) -> dt.datetime:
    """An aware instant in Beijing time."""
    return timezone.localtime(instant)  # noqa: TID251 -- a conversion, not a reading of the clock
