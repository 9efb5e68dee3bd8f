"""Fixtures of the catalog tests: the case world (region codes 88xxxx) and a catalog for its agency."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from zhifa.cases.tests.helpers import world

__all__ = ["world"]


@pytest.fixture(autouse=True)
def evidence_dirs(settings: Any, tmp_path: Path) -> Path:
    """Evidence attached by a test goes to its own directory (as in the case tests)."""
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "zhifa.evidence.storage.EvidenceFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence")},
        },
    }
    (tmp_path / "upload-tmp").mkdir(exist_ok=True)
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    return tmp_path


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
