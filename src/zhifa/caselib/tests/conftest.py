"""Fixtures of the case-library tests: the case ``world`` comes from ``zhifa.testing``; evidence per test."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def evidence_dirs(evidence_dirs: Path) -> Path:
    return evidence_dirs
