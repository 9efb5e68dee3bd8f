"""Fixtures of the case tests; the builders live in ``helpers``."""

from pathlib import Path
from typing import Any

import pytest

from zhifa.cases.tests.helpers import world

__all__ = ["world"]


@pytest.fixture(autouse=True)
def cases_rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The case tests prove the cases app's own rules: the checks, after-steps, reasons, status and panels
    other apps plug in through ``zhifa.cases.hooks`` (catalog, discretion, legal review, disclosure, stats)
    are set aside here — each of those apps tests its own hook against real cases (``test_hooks`` registers its
    own). The demo test sees them all: the demo county is built before this fixture runs."""
    from collections import defaultdict

    from zhifa.cases import hooks

    monkeypatch.setattr(hooks, "_reasons", [])
    monkeypatch.setattr(hooks, "_status", [])
    monkeypatch.setattr(hooks, "_checks", defaultdict(list))
    monkeypatch.setattr(hooks, "_after", defaultdict(list))
    monkeypatch.setattr(hooks, "_panels", [])
    monkeypatch.setattr(hooks, "_item_choices", [])


@pytest.fixture(autouse=True)
def evidence_dirs(settings: Any, tmp_path: Path) -> Path:
    """Evidence attached by a test goes to its own directory (the guards read the required-record rules)."""
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
