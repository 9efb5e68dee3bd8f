"""Fixtures of the catalog tests: evidence per test, and a catalog for the case world's agency."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def evidence_dirs(evidence_dirs: Path) -> Path:
    """Every test here stores its evidence in its own directory (``zhifa.testing``'s ``evidence_dirs``)."""
    return evidence_dirs


@pytest.fixture
def catalog(world: Any) -> dict[str, Any]:
    """Three items of the world's agency from 2025-01-01: two penalties and an inspection."""
    from zhifa.catalog.tests.helpers import add_item

    start = dt.date(2025, 1, 1)
    return {
        "expired": add_item(world, "T-CF-001", start=start),
        "label": add_item(world, "T-CF-002", name="对食品标签瑕疵的行政处罚", start=start),
        "inspection": add_item(world, "T-JC-001", kind="inspection", start=start),
    }
