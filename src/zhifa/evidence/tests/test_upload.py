"""Streaming upload: hashed while it streams to a temporary file, stored once per content, refusals store
nothing, and every stored item is on the ledger."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client

from zhifa.evidence.models import Evidence
from zhifa.evidence.tests.conftest import (
    JPEG,
    MP4_HEAD,
    PDF,
    MiB,
    World,
    changes,
    ledger,
    stored_files,
    temp_files,
)
from zhifa.evidence.uploads import EvidenceUploadHandler, HashedUploadedFile

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, world: World, content: bytes, kind: str, name: str = "f.bin", **extra: Any) -> Any:
    data = {"kind": kind, "stage": "investigation", **world.target, **extra}
    data["file"] = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post("/api/evidence/", data)


def test_a_50_mb_upload_is_hashed_chunk_by_chunk_into_a_temporary_file(
    world: World, settings: Any, evidence_dirs: Path
) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = (
        1024  # Django's own handlers would also go to disk: ours replace them
    )
    content = MP4_HEAD + random.Random(4).randbytes(50 * MiB)
    response = _post(_client(world.officer_user), world, content, "video", "现场录像.mp4")
    assert response.status_code == 201, response.json()

    request = response.wsgi_request
    assert [type(h) for h in request.upload_handlers] == [EvidenceUploadHandler]
    handler = request.upload_handlers[0]
    # Never more than one chunk at a time passed through the handler: the file was never whole in memory.
    assert handler.hasher.largest_chunk <= EvidenceUploadHandler.chunk_size
    assert handler.hasher.chunks >= len(content) // EvidenceUploadHandler.chunk_size
    upload = request.FILES["file"]
    assert isinstance(upload, HashedUploadedFile) and isinstance(upload, TemporaryUploadedFile)
    assert upload.temporary_file_path().startswith(str(evidence_dirs / "upload-tmp"))

    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["sm3"] == hashlib.new("sm3", content).hexdigest()
    assert body["size_bytes"] == len(content)
    assert body["content_type"] == "video/mp4"
    assert body["storage_key"] == f"sha256/{body['sha256'][:2]}/{body['sha256'][2:4]}/{body['sha256']}"
    [blob] = stored_files(evidence_dirs)
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == body["sha256"]
    assert temp_files(evidence_dirs) == []


def test_stored_evidence_is_written_to_the_ledger_in_the_same_transaction(world: World) -> None:
    response = _post(
        _client(world.officer_user), world, JPEG, "photo", "现场照片.jpg", place="示范县幸福路 1 号"
    )
    assert response.status_code == 201
    evidence = Evidence.objects.get()
    [entry] = ledger("evidence.store")
    assert (entry.object_type, entry.object_id) == ("evidence.evidence", str(evidence.pk))
    assert entry.actor_id == world.officer_user.pk
    assert entry.officer_name == "张执法"
    assert entry.place == "示范县幸福路 1 号"
    assert changes(entry) == {
        "sm3": hashlib.new("sm3", JPEG).hexdigest(),
        "sha256": hashlib.sha256(JPEG).hexdigest(),
        "size_bytes": len(JPEG),
        "kind": "photo",
        "stage": "investigation",
        "object_type": "org.party",
        "object_id": str(world.party.pk),
        "filename": "现场照片.jpg",
    }
    assert evidence.agency == world.agency


def test_same_content_uploaded_twice_is_stored_once(world: World, evidence_dirs: Path) -> None:
    client = _client(world.officer_user)
    first = _post(client, world, PDF, "document", "笔录.pdf").json()
    second = _post(client, world, PDF, "document", "笔录-副本.pdf").json()
    assert first["id"] != second["id"]
    assert first["storage_key"] == second["storage_key"]
    assert len(stored_files(evidence_dirs)) == 1
    assert len(ledger("evidence.store")) == 2


def _assert_nothing_stored(evidence_dirs: Path) -> None:
    assert not Evidence.objects.exists()
    assert stored_files(evidence_dirs) == []
    assert temp_files(evidence_dirs) == []
    assert ledger("evidence.store") == []


def test_upload_over_the_limit_is_refused_midstream_and_stores_nothing(
    world: World, settings: Any, evidence_dirs: Path
) -> None:
    settings.ZHIFA_EVIDENCE_MAX_BYTES = MiB
    response = _post(_client(world.officer_user), world, JPEG + b"\x00" * (MiB + MiB // 2), "photo")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "evidence_too_large"
    assert "超过大小上限" in body["message"]
    handler = response.wsgi_request.upload_handlers[0]
    assert (
        handler.hasher.size <= MiB + EvidenceUploadHandler.chunk_size
    )  # stopped at the limit, not at the end
    _assert_nothing_stored(evidence_dirs)


def test_body_far_over_the_limit_is_refused_before_any_byte_is_written(
    world: World, settings: Any, evidence_dirs: Path
) -> None:
    settings.ZHIFA_EVIDENCE_MAX_BYTES = MiB
    response = _post(_client(world.officer_user), world, JPEG + b"\x00" * (4 * MiB), "photo")
    assert response.status_code == 422
    assert response.json()["code"] == "evidence_too_large"
    assert response.wsgi_request.upload_handlers[0].hasher is None
    _assert_nothing_stored(evidence_dirs)


def test_upload_at_the_limit_is_accepted(world: World, settings: Any) -> None:
    settings.ZHIFA_EVIDENCE_MAX_BYTES = MiB
    content = JPEG + b"\x00" * (MiB - len(JPEG))
    response = _post(_client(world.officer_user), world, content, "photo")
    assert response.status_code == 201
    assert response.json()["size_bytes"] == MiB


def test_empty_file_is_refused_and_stores_nothing(world: World, evidence_dirs: Path) -> None:
    response = _post(_client(world.officer_user), world, b"", "photo")
    assert response.status_code == 422
    assert response.json()["code"] == "evidence_empty"
    assert "为空" in response.json()["message"]
    _assert_nothing_stored(evidence_dirs)


def test_content_not_matching_the_declared_kind_is_refused_and_stores_nothing(
    world: World, evidence_dirs: Path
) -> None:
    # The client even claims image/jpeg: the bytes say PDF.
    data = {"kind": "photo", "stage": "investigation", **world.target}
    data["file"] = SimpleUploadedFile("photo.jpg", PDF, content_type="image/jpeg")
    response = _client(world.officer_user).post("/api/evidence/", data)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "evidence_type_mismatch"
    assert "照片" in body["message"] and "application/pdf" in body["message"]
    _assert_nothing_stored(evidence_dirs)


def test_missing_file_is_refused(world: World) -> None:
    response = _client(world.officer_user).post(
        "/api/evidence/", {"kind": "photo", "stage": "decision", **world.target}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "evidence_missing"


def test_unknown_target_object_is_refused_and_stores_nothing(world: World, evidence_dirs: Path) -> None:
    response = _post(_client(world.officer_user), world, JPEG, "photo", object_id="999999")
    assert response.status_code == 404
    _assert_nothing_stored(evidence_dirs)


def test_user_without_upload_right_is_refused_and_stores_nothing(world: World, evidence_dirs: Path) -> None:
    response = _post(_client(world.supervisor), world, JPEG, "photo")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    _assert_nothing_stored(evidence_dirs)


def test_anonymous_upload_is_refused_before_reading_the_file(world: World, evidence_dirs: Path) -> None:
    response = _post(Client(), world, JPEG, "photo")
    assert response.status_code == 401
    _assert_nothing_stored(evidence_dirs)


def test_phone_capture_form_offers_the_camera_and_stores_through_the_same_path(
    world: World, evidence_dirs: Path
) -> None:
    client = _client(world.officer_user)
    page = client.get(f"/evidence/upload/?object_type=org.party&object_id={world.party.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'accept="image/*,video/*,audio/*" capture="environment"' in html
    assert 'name="viewport"' in html
    data = {"kind": "photo", "stage": "initiation", **world.target}
    data["file"] = SimpleUploadedFile("IMG_0001.jpg", JPEG, content_type="image/jpeg")
    response = client.post("/evidence/upload/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/evidence/for/org.party/{world.party.pk}/"
    assert Evidence.objects.get().original_filename == "IMG_0001.jpg"
    gallery = client.get(response["Location"])
    assert f'src="/evidence/{Evidence.objects.get().pk}/content/"' in gallery.content.decode()


def test_upload_form_shows_a_refusal_in_chinese_and_stores_nothing(world: World, evidence_dirs: Path) -> None:
    data = {"kind": "video", "stage": "initiation", **world.target}
    data["file"] = SimpleUploadedFile("clip.mp4", JPEG, content_type="video/mp4")
    response = _client(world.officer_user).post("/evidence/upload/", data)
    assert response.status_code == 422
    assert "不符" in response.content.decode()
    _assert_nothing_stored(evidence_dirs)
