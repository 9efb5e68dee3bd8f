"""``before_commit``: a deferred write runs once, at the end of the outermost service, inside its
transaction; never when the service fails; at once outside a service."""

from __future__ import annotations

import pytest
from django.db import connection

from zhifa.core.transactions import before_commit, service

pytestmark = pytest.mark.django_db


def test_outside_a_service_a_deferred_write_runs_at_once() -> None:
    ran: list[str] = []
    before_commit("k", lambda: ran.append("k"))
    assert ran == ["k"]


def test_in_a_service_it_runs_once_per_key_after_the_body_inside_the_transaction() -> None:
    events: list[object] = []

    @service
    def inner() -> None:
        before_commit("stats", lambda: events.append(("late", connection.in_atomic_block)))
        events.append("inner")

    @service
    def outer() -> str:
        inner()
        before_commit("stats", lambda: events.append("second registration is ignored"))
        events.append("outer")
        return "done"

    assert outer() == "done"
    assert events == ["inner", "outer", ("late", True)]


def test_a_failed_service_runs_none_of_its_deferred_writes_and_leaves_none_behind() -> None:
    events: list[str] = []

    @service
    def failing() -> None:
        before_commit("x", lambda: events.append("x"))
        raise ValueError("refused")

    with pytest.raises(ValueError):
        failing()

    @service
    def clean() -> None:
        pass

    clean()
    assert events == []


def test_a_deferred_write_that_raises_rolls_the_service_back() -> None:
    from zhifa.org.models import Region, RegionLevel

    @service
    def create() -> None:
        Region.objects.create(code="870000", name="回滚省", level=RegionLevel.PROVINCE)
        before_commit("boom", lambda: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        create()
    assert not Region.objects.filter(code="870000").exists()
