"""Fixtures for the ledger tests: a private signing key per test and a helper that appends entries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from zhifa.records.services import record_append


@pytest.fixture(autouse=True)
def ledger_key_file(tmp_path: Path, settings: Any) -> Path:
    """Each test signs with its own key under a temporary data directory (never the developer's key)."""
    settings.DATA_DIR = tmp_path
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = ""
    return tmp_path / "keys" / "ledger-ed25519.pem"


@pytest.fixture
def append(db: Any) -> Callable[..., list[Any]]:
    """``append(n, **fields)`` appends n entries, each in its own transaction; returns them."""

    def run(count: int = 1, **fields: Any) -> list[Any]:
        entries = []
        for i in range(count):
            values = {"action": "case.note", "object_type": "cases.case", "object_id": str(i)}
            values.update(fields)
            values.setdefault("changes", {"n": i})
            with transaction.atomic():
                entries.append(record_append(**values))
        return entries

    return run
