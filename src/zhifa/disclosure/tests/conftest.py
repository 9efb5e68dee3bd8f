"""Fixtures of the disclosure tests: evidence per test and a decided case of the case world."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from zhifa.testing.worlds import CaseWorld, decide_simple


@pytest.fixture
def simple_decision(world: CaseWorld) -> Any:
    return decide_simple(world)


@pytest.fixture(autouse=True)
def evidence_dirs(evidence_dirs: Path) -> Path:
    """Every test here stores its evidence in its own directory (``zhifa.testing``'s ``evidence_dirs``)."""
    return evidence_dirs
