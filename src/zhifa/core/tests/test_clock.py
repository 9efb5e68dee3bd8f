"""The one clock: set in one place, read everywhere, flowing from the day it is set to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import models

from zhifa.core import clock
from zhifa.core.fields import ClockDateTimeField


def test_the_suite_runs_on_a_set_clock_not_the_wall_clock() -> None:
    from zhifa.testing.plugin import TEST_TODAY

    assert clock.today() == dt.date.fromisoformat(TEST_TODAY)


def test_a_clock_set_to_a_day_starts_that_morning_in_beijing_and_keeps_flowing() -> None:
    with clock.set_during(dt.date(2027, 2, 6)):  # a Saturday before 春节
        assert clock.today() == dt.date(2027, 2, 6)
        assert clock.localtime().hour == clock.SET_DAY_HOUR
        first = clock.now()
        assert clock.now() >= first
    assert clock.today() != dt.date(2027, 2, 6)


def test_set_during_restores_the_clock_it_found() -> None:
    before = clock.today()
    with clock.set_during(dt.date(2026, 1, 1)), clock.set_during(dt.date(2026, 12, 31)):
        assert clock.today() == dt.date(2026, 12, 31)
    assert clock.today() == before


def test_zhifa_today_sets_the_clock_and_a_bad_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with clock.set_during(dt.date(2026, 6, 1)):
        monkeypatch.setenv("ZHIFA_TODAY", "2026-10-01")
        clock.set_from_environment()
        assert clock.today() == dt.date(2026, 10, 1)
        monkeypatch.setenv("ZHIFA_TODAY", "2026/10/01")
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            clock.set_from_environment()


def test_every_automatic_timestamp_is_stamped_from_the_one_clock() -> None:
    wall = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label not in {"auth", "admin", "contenttypes", "sessions", "axes"}
        for field in model._meta.get_fields()
        if isinstance(field, models.DateTimeField)
        and (field.auto_now or field.auto_now_add)
        and not isinstance(field, ClockDateTimeField)
    ]
    assert wall == []


@pytest.mark.django_db
def test_a_created_at_stamp_follows_the_set_clock() -> None:
    from zhifa.core.models import WorkingDayOverride

    with clock.set_during(dt.date(2026, 3, 2)):
        row = WorkingDayOverride.objects.create(date=dt.date(2031, 1, 1), is_working_day=False, note="元旦")
    assert clock.business_date(WorkingDayOverride.objects.get(pk=row.pk).created_at) == dt.date(2026, 3, 2)
