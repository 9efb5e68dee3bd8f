"""The S3-compatible backend, against a local S3 server (moto) started by the test: round trip, dedup,
no delete, no overwrite, and verify_all naming an object changed in the bucket."""

from __future__ import annotations

import hashlib
import io
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from zhifa.core.errors import RuleViolation
from zhifa.evidence import services
from zhifa.evidence.conf import s3_options
from zhifa.evidence.storage import evidence_storage
from zhifa.evidence.tests.conftest import JPEG, PDF, World
from zhifa.evidence.uploads import hashed_upload_from
from zhifa.evidence.verify import verify_all

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

pytestmark = pytest.mark.django_db

BUCKET = "zhifa-evidence"
CREDENTIALS = {"access_key": "testing-key", "secret_key": "testing-secret", "region": "cn-north-1"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_endpoint: str, settings: Any) -> Any:
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
        region_name=CREDENTIALS["region"],
    )
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["region"]}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "zhifa.evidence.storage_s3.EvidenceS3Storage",
            "OPTIONS": s3_options(bucket=BUCKET, endpoint_url=s3_endpoint, **CREDENTIALS),
        },
    }
    yield client
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _store(world: World, content: bytes, kind: str, name: str) -> Any:
    return services.evidence_store(
        actor=world.officer_user,
        upload=hashed_upload_from(io.BytesIO(content), name),
        kind=kind,
        stage="investigation",
        **world.target,
    )


def _keys(client: Any) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_s3_round_trip_stores_once_per_content_and_verifies(world: World, s3: Any) -> None:
    first = _store(world, JPEG, "photo", "a.jpg")
    second = _store(world, JPEG, "photo", "a-copy.jpg")
    document = _store(world, PDF, "document", "b.pdf")
    assert type(evidence_storage()).__name__ == "EvidenceS3Storage"
    assert first.storage_key == second.storage_key
    assert sorted(_keys(s3)) == sorted([first.storage_key, document.storage_key])
    body = s3.get_object(Bucket=BUCKET, Key=first.storage_key)["Body"].read()
    assert body == JPEG
    with evidence_storage().open(first.storage_key, "rb") as fh:
        assert hashlib.new("sm3", fh.read()).hexdigest() == first.sm3
    assert verify_all() == []


def test_s3_storage_refuses_delete_and_overwrite(world: World, s3: Any) -> None:
    evidence = _store(world, JPEG, "photo", "a.jpg")
    storage = evidence_storage()
    with pytest.raises(RuleViolation):
        storage.delete(evidence.storage_key)
    with pytest.raises(RuleViolation) as exc:
        storage.save(evidence.storage_key, io.BytesIO(PDF))
    assert exc.value.code == "evidence_overwrite_refused"
    assert s3.get_object(Bucket=BUCKET, Key=evidence.storage_key)["Body"].read() == JPEG


def test_verify_all_names_an_object_changed_in_the_bucket(world: World, s3: Any) -> None:
    evidence = _store(world, JPEG, "photo", "现场照片.jpg")
    s3.put_object(Bucket=BUCKET, Key=evidence.storage_key, Body=JPEG[:-1] + b"\x01")
    [problem] = verify_all()
    assert evidence.storage_key in problem and "现场照片.jpg" in problem
