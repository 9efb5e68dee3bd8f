"""verify_all re-hashes every stored file and names the ones changed or missing on disk."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from zhifa.evidence import services
from zhifa.evidence.storage import evidence_storage
from zhifa.evidence.tests.conftest import JPEG, PDF, World
from zhifa.evidence.uploads import hashed_upload_from
from zhifa.evidence.verify import verify_all

pytestmark = pytest.mark.django_db


def store(world: World, content: bytes, kind: str, name: str) -> Any:
    return services.evidence_store(
        actor=world.officer_user,
        upload=hashed_upload_from(io.BytesIO(content), name),
        kind=kind,
        stage="investigation",
        **world.target,
    )


def test_all_files_intact_verify_returns_nothing(world: World) -> None:
    store(world, JPEG, "photo", "a.jpg")
    store(world, JPEG, "photo", "a-again.jpg")
    store(world, PDF, "document", "b.pdf")
    assert verify_all() == []


def test_a_file_changed_on_disk_is_named(world: World) -> None:
    kept = store(world, PDF, "document", "b.pdf")
    changed = store(world, JPEG, "photo", "现场照片.jpg")
    path = Path(evidence_storage().path(changed.storage_key))
    os.chmod(path, 0o644)
    with open(path, "r+b") as fh:
        fh.seek(100)
        fh.write(b"\x00")
    problems = verify_all()
    assert len(problems) == 1
    assert changed.storage_key in problems[0]
    assert "现场照片.jpg" in problems[0] and "被改动" in problems[0] and "altered" in problems[0]
    assert kept.storage_key not in problems[0]


def test_a_missing_file_is_named(world: World) -> None:
    gone = store(world, JPEG, "photo", "a.jpg")
    os.unlink(evidence_storage().path(gone.storage_key))
    [problem] = verify_all()
    assert gone.storage_key in problem and "缺失" in problem and "missing" in problem
