"""Fixtures of the evaluation tests: the cases app's world (an agency with officers, head, supervisor)."""

from pathlib import Path
from typing import Any

import pytest

from zhifa.cases.tests.helpers import world

__all__ = ["world"]


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
