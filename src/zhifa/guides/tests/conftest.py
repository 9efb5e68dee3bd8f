"""Guides test set-up: an empty rate-limit cache for the anonymous pages (as the portal's tests)."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request: Any) -> None:
    if {"db", "world", "sup", "demo_county"} & set(request.fixturenames):
        with contextlib.suppress(Exception):  # no database for this test
            caches["shared"].clear()
    caches["default"].clear()
