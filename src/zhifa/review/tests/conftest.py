"""Fixtures of the review tests: the case world of the case tests, evidence stored in a per-test directory."""

from pathlib import Path
from typing import Any

import pytest

from zhifa.cases.tests.helpers import world

__all__ = ["world"]


@pytest.fixture(autouse=True)
def evidence_dirs(settings: Any, tmp_path: Path) -> Path:
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
