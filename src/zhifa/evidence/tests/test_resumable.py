"""Resumable upload for large video: chunks in order with Content-Range, resumable after a break, hashed at
completion exactly like a direct upload."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from zhifa.evidence.models import Evidence
from zhifa.evidence.tests.conftest import MP4_HEAD, World, ledger

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _start(client: Client, world: World, total: int, kind: str = "video") -> str:
    response = client.post(
        "/api/evidence/uploads",
        {
            "filename": "执法记录仪.mp4",
            "total_bytes": total,
            "kind": kind,
            "stage": "investigation",
            **world.target,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def _put(client: Client, session: str, data: bytes, start: int, total: int) -> Any:
    return client.generic(
        "PUT",
        f"/api/evidence/uploads/{session}",
        data,
        content_type="application/octet-stream",
        headers={"content-range": f"bytes {start}-{start + len(data) - 1}/{total}"},
    )


def test_chunks_in_order_then_complete_store_one_evidence_item(world: World, evidence_dirs: Path) -> None:
    content = MP4_HEAD + random.Random(7).randbytes(300_000)
    total = len(content)
    client = _client(world.officer_user)
    session = _start(client, world, total)
    pieces = [(0, content[:100_000]), (100_000, content[100_000:200_000]), (200_000, content[200_000:])]
    for start, data in pieces[:2]:
        assert _put(client, session, data, start, total).status_code == 200
    # The connection broke; the client asks where to resume and resends the last chunk it is unsure of.
    assert client.get(f"/api/evidence/uploads/{session}").json()["received_bytes"] == 200_000
    assert _put(client, session, pieces[1][1], 100_000, total).status_code == 200
    assert _put(client, session, pieces[2][1], 200_000, total).json()["received_bytes"] == total
    response = client.post(f"/api/evidence/uploads/{session}/complete")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["sm3"] == hashlib.new("sm3", content).hexdigest()
    assert len(ledger("evidence.store")) == 1
    assert list((evidence_dirs / "parts").iterdir()) == []


def test_chunk_out_of_order_is_refused(world: World) -> None:
    client = _client(world.officer_user)
    session = _start(client, world, 1000)
    response = _put(client, session, b"x" * 100, 500, 1000)
    assert response.status_code == 409
    assert response.json()["code"] == "upload_out_of_order"


def test_complete_before_all_bytes_arrived_is_refused(world: World) -> None:
    client = _client(world.officer_user)
    session = _start(client, world, 1000)
    _put(client, session, MP4_HEAD, 0, 1000)
    response = client.post(f"/api/evidence/uploads/{session}/complete")
    assert response.status_code == 409
    assert response.json()["code"] == "upload_incomplete"
    assert not Evidence.objects.exists()


def test_wrong_kind_at_completion_stores_nothing_and_removes_the_chunks(
    world: World, evidence_dirs: Path
) -> None:
    client = _client(world.officer_user)
    content = MP4_HEAD + b"\x00" * 100
    session = _start(client, world, len(content), kind="photo")
    _put(client, session, content, 0, len(content))
    response = client.post(f"/api/evidence/uploads/{session}/complete")
    assert response.status_code == 422
    assert response.json()["code"] == "evidence_type_mismatch"
    assert not Evidence.objects.exists()
    assert list((evidence_dirs / "parts").iterdir()) == []


def test_declared_size_over_the_limit_is_refused_at_start(world: World, settings: Any) -> None:
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 1000
    response = _client(world.officer_user).post(
        "/api/evidence/uploads",
        {"filename": "a.mp4", "total_bytes": 1001, "kind": "video", "stage": "investigation", **world.target},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "evidence_too_large"


def test_another_users_session_is_not_found(world: World) -> None:
    session = _start(_client(world.officer_user), world, 1000)
    other = _client(world.supervisor)
    assert _put(other, session, b"x" * 10, 0, 1000).status_code == 404
