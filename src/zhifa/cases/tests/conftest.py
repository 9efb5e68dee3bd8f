"""Fixtures of the case tests (the world is ``zhifa.testing``'s; the builders live in ``helpers``)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from zhifa.testing.registries import case_hooks_cleared


@pytest.fixture(autouse=True)
def cases_rules_only() -> Iterator[None]:
    """The case tests prove the cases app's own rules: the checks, after-steps, reasons, status and panels
    other apps plug in through ``zhifa.cases.hooks`` (catalog, discretion, legal review, disclosure, stats)
    are set aside here — each of those apps tests its own hook against real cases (``test_hooks`` registers its
    own). The demo test sees them all: the demo county is built before this fixture runs."""
    with case_hooks_cleared():
        yield


@pytest.fixture(autouse=True)
def evidence_dirs(evidence_dirs: Path) -> Path:
    """Every test here stores its evidence in its own directory (``zhifa.testing``'s ``evidence_dirs``)."""
    return evidence_dirs
