"""The evidence store never deletes and never overwrites; same content is stored once."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from zhifa.core.errors import RuleViolation
from zhifa.evidence.storage import EvidenceFileSystemStorage, content_address
from zhifa.evidence.uploads import hashed_upload_from


@pytest.fixture
def storage(tmp_path: Path) -> EvidenceFileSystemStorage:
    return EvidenceFileSystemStorage(location=str(tmp_path / "store"))


def test_delete_is_refused(storage: EvidenceFileSystemStorage) -> None:
    key = content_address(hashlib.sha256(b"abc").hexdigest())
    storage.save(key, ContentFile(b"abc"))
    with pytest.raises(RuleViolation) as exc:
        storage.delete(key)
    assert exc.value.code == "evidence_immutable"
    assert storage.exists(key)


def test_overwrite_with_different_content_is_refused(storage: EvidenceFileSystemStorage) -> None:
    storage.save("notes/a.txt", ContentFile(b"first"))
    with pytest.raises(RuleViolation) as exc:
        storage.save("notes/a.txt", ContentFile(b"second"))
    assert exc.value.code == "evidence_overwrite_refused"
    with storage.open("notes/a.txt", "rb") as fh:
        assert fh.read() == b"first"


def test_writing_identical_content_again_keeps_one_file_under_the_same_name(
    storage: EvidenceFileSystemStorage,
) -> None:
    key = content_address(hashlib.sha256(b"same").hexdigest())
    assert storage.save(key, ContentFile(b"same")) == key
    assert storage.save(key, ContentFile(b"same")) == key
    _, files = storage.listdir(str(Path(key).parent))
    assert files == [Path(key).name]


def test_content_not_matching_its_address_is_refused(storage: EvidenceFileSystemStorage) -> None:
    key = content_address(hashlib.sha256(b"claimed").hexdigest())
    with pytest.raises(RuleViolation) as exc:
        storage.save(key, ContentFile(b"actual"))
    assert exc.value.code == "evidence_address_mismatch"
    assert not storage.exists(key)
    assert not any(p.is_file() for p in Path(storage.location).rglob("*"))  # no staging file left


def test_stored_blob_is_read_only_on_disk(storage: EvidenceFileSystemStorage) -> None:
    key = content_address(hashlib.sha256(b"ro").hexdigest())
    storage.save(key, ContentFile(b"ro"))
    assert Path(storage.path(key)).stat().st_mode & 0o222 == 0


def test_upload_temporary_file_is_linked_not_copied_when_on_one_file_system(
    storage: EvidenceFileSystemStorage, settings: object, tmp_path: Path
) -> None:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)  # type: ignore[attr-defined]
    upload = hashed_upload_from(io.BytesIO(b"x" * 5000), "a.bin")
    key = content_address(upload.sha256)
    storage.save(key, upload)
    assert Path(storage.path(key)).stat().st_ino == Path(upload.temporary_file_path()).stat().st_ino
    upload.close()
    assert Path(storage.path(key)).read_bytes() == b"x" * 5000
