"""Fixtures of the personnel tests: the case ``world`` and ``sup`` come from ``zhifa.testing``; evidence per test."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def evidence_dirs(evidence_dirs: Path) -> Path:
    """Every test here stores its evidence in its own directory (``zhifa.testing``'s ``evidence_dirs``)."""
    return evidence_dirs
