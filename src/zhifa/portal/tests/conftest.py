"""Portal test set-up: the case world (region 88xxxx), a published device, an empty rate-limit cache."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pytest
from django.core.cache import caches

from zhifa.portal.ratelimit import COUNTER


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request: Any) -> None:
    """Rate-limit counters live in each process and the shared database cache; each test starts below every
    limit."""
    if (
        "db" in request.fixturenames
        or "world" in request.fixturenames
        or "demo_county" in request.fixturenames
    ):
        with contextlib.suppress(Exception):  # no database for this test
            caches["shared"].clear()
    caches["default"].clear()
    COUNTER.reset()


@pytest.fixture
def published_device(world: Any) -> Any:
    from zhifa.portal import services

    device = services.device_register(
        world.head,
        agency=world.agency,
        kind="camera",
        location="测县人民路与解放路交叉口",
        purpose="占道经营",
        in_use_from=dt.date(2026, 1, 1),
    )
    services.device_approve(world.head, device)
    return services.device_publish(world.head, device)
