"""Several app servers on one PostgreSQL and one S3-compatible store (issue 22, item 3).

Two gunicorn instances (each with its own data directory: nothing shared on local disk) serve the same test
database and the same bucket of a local S3 server (moto). Officers log in on one server and carry on on the
other, upload evidence through one and download it through the other, and upload through both at once. The
ledger stays one linear, gap-free log that verifies; the evidence is shared; sessions hold across servers.

PostgreSQL only: SQLite is one file on one machine, which is not how several app servers are deployed.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection

from zhifa.core import clock
from zhifa.evidence.conf import s3_options
from zhifa.evidence.models import Evidence
from zhifa.evidence.tests.conftest import JPEG
from zhifa.org.management.commands.zhifa_serve import gunicorn_argv
from zhifa.org.models import Party, RegionLevel, Role, User
from zhifa.org.tests.factories import (
    AgencyFactory,
    OfficerFactory,
    PartyFactory,
    RegionFactory,
    UserFactory,
    grant,
)
from zhifa.records import signing
from zhifa.records.models import LedgerEntry, LedgerHead, LedgerPending
from zhifa.records.services import ledger_integrate
from zhifa.records.verify import verify_ledger
from zhifa.testing.servers import free_port, wait_until_up

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "Zhifa@2026"  # UserFactory's
BUCKET = "zhifa-several-servers"
S3 = {"access_key": "testing-key", "secret_key": "testing-secret", "region": "cn-north-1"}
UPLOADS_PER_OFFICER_AND_SERVER = 3


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("several app servers share one PostgreSQL; the PostgreSQL leg runs this test")


@dataclass
class Deployment:
    servers: list[str]  # base URLs of the two gunicorn instances
    party: Party
    officers: list[User]


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3["access_key"],
        aws_secret_access_key=S3["secret_key"],
        region_name=S3["region"],
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": S3["region"]})
    try:
        yield endpoint
    finally:
        server.stop()


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def deployment(s3_endpoint: str, tmp_path: Path, settings: Any) -> Iterator[Deployment]:
    # The signing key is made once here and shared by both servers, as a deployment mounts one key file.
    settings.DATA_DIR = tmp_path / "shared"
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = ""
    key_file = signing.load_signing_key().path
    # This process checks what the servers wrote: the same bucket and the same signing key.
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = str(key_file)
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "zhifa.evidence.storage_s3.EvidenceS3Storage",
            "OPTIONS": s3_options(bucket=BUCKET, endpoint_url=s3_endpoint, **S3),
        },
    }

    # The suite hashes passwords with MD5 for speed; the servers check them with Django's default hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    county = RegionFactory(code="890102", name="双机县", level=RegionLevel.COUNTY)
    agency = AgencyFactory(name="双机县市场监督管理局", region=county)
    officers = []
    for n in (1, 2):
        user = UserFactory(username=f"twin_officer_{n}", full_name=f"双机执法员{n}")
        OfficerFactory(agency=agency, user=user, name=user.full_name)
        grant(user, Role.OFFICER, agency=agency)
        officers.append(user)
    party = PartyFactory(region=county)

    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIFA_", "PYTEST_"))}
    base_env.update(
        DJANGO_SETTINGS_MODULE="zhifa.settings",
        ZHIFA_DATABASE_URL=_database_url(),
        ZHIFA_TODAY=clock.today().isoformat(),
        ZHIFA_LEDGER_SIGNING_KEY_FILE=str(key_file),
        ZHIFA_LEDGER_SIGN_INTERVAL="1",  # sign often: signing races the appends of both servers
        ZHIFA_EVIDENCE_STORAGE="s3",
        ZHIFA_S3_ENDPOINT_URL=s3_endpoint,
        ZHIFA_S3_BUCKET=BUCKET,
        ZHIFA_S3_ACCESS_KEY=S3["access_key"],
        ZHIFA_S3_SECRET_KEY=S3["secret_key"],
        ZHIFA_S3_REGION=S3["region"],
        ZHIFA_LOGIN_IP_RATE="1000/m",
        ZHIFA_PORTAL_RATE="10000/m",
    )
    processes: list[subprocess.Popen[bytes]] = []
    servers = []
    try:
        for name in ("a", "b"):
            data_dir = tmp_path / f"server-{name}"  # nothing on local disk is shared between the servers
            data_dir.mkdir()
            port = free_port()
            log = data_dir / "gunicorn.log"
            with log.open("wb") as out:
                processes.append(
                    subprocess.Popen(
                        # one process with threads per server: concurrent requests, one app loaded
                        [*gunicorn_argv("127.0.0.1", str(port), 1), "--threads", "4"],
                        env={**base_env, "ZHIFA_DATA_DIR": str(data_dir)},
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            servers.append((f"http://127.0.0.1:{port}", processes[-1], log))
        for base, process, log in servers:
            wait_until_up(f"{base}/accounts/login/", process, log)
        yield Deployment([base for base, _, _ in servers], party, officers)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _log_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=30)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=60,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def _upload(session: requests.Session, base: str, party: Party, content: bytes, name: str) -> None:
    response = session.post(
        f"{base}/evidence/upload/",
        data={
            "object_type": "org.party",
            "object_id": str(party.pk),
            "kind": "photo",
            "stage": "investigation",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        files={"file": (name, content, "image/jpeg")},
        headers={"Referer": f"{base}/evidence/upload/"},
        timeout=120,
        allow_redirects=False,
    )
    assert response.status_code == 302, (base, response.status_code, response.text[:500])


def test_two_app_servers_share_sessions_evidence_and_one_linear_ledger(deployment: Deployment) -> None:
    server_a, server_b = deployment.servers
    first, second = deployment.officers

    # A session made on server A holds on server B (sessions live in the database, not in a server).
    session = _log_in(server_a, first.username)
    on_b = session.get(f"{server_b}/workbench/", timeout=60, allow_redirects=False)
    assert on_b.status_code == 200, on_b.status_code
    assert first.full_name in on_b.text
    assert requests.get(f"{server_b}/workbench/", timeout=60, allow_redirects=False).status_code == 302

    # Evidence uploaded through A is downloaded through B, byte for byte (one bucket behind both).
    photo = JPEG + b"uploaded-on-server-a"
    _upload(session, server_a, deployment.party, photo, "现场照片.jpg")
    evidence = Evidence.objects.get(original_filename="现场照片.jpg")
    downloaded = session.post(  # 调阅事由 first: the download is recorded, through B, in the one ledger
        f"{server_b}/evidence/{evidence.pk}/download/",
        data={"reason": "核对现场照片", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{server_b}/evidence/{evidence.pk}/download/"},
        timeout=60,
    )
    assert downloaded.status_code == 200 and downloaded.content == photo

    # Both officers upload through both servers at once: every upload appends to the one ledger.
    sessions = {
        (user.username, base): _log_in(base, user.username)
        for user in (first, second)
        for base in (server_a, server_b)
    }
    work = [
        (
            sessions[(user.username, base)],
            base,
            JPEG + f"{user.username}@{base}#{n}".encode(),
            f"照片{i}-{n}.jpg",
        )
        for i, (user, base) in enumerate((u, b) for u in (first, second) for b in (server_a, server_b))
        for n in range(UPLOADS_PER_OFFICER_AND_SERVER)
    ]
    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        list(pool.map(lambda job: _upload(job[0], job[1], deployment.party, job[2], job[3]), work))

    assert Evidence.objects.filter(
        object_type="org.party", object_id=str(deployment.party.pk)
    ).count() == 1 + len(work)
    # Entries queued while the other server held the ledger head were sequenced after their commits; the
    # worker's job sequences any left (a holder that rolled back): nothing may stay pending.
    ledger_integrate()
    assert not LedgerPending.objects.exists()
    seqs = list(LedgerEntry.objects.order_by("seq").values_list("seq", flat=True))
    head = LedgerHead.objects.get(pk=1)
    assert seqs == list(range(head.size)), "the ledger has a gap or a fork"
    stored = Evidence.objects.filter(original_filename__startswith="照片").count()
    assert stored == len(work)
    # Every append is in the log, the tree and the heads both servers signed verify, and every evidence
    # object in the bucket matches its recorded hash.
    result = verify_ledger()
    assert result.ok, [failure.text() for failure in result.failures[:5]]
    assert result.entries_checked == head.size and result.signed_heads_checked >= 1
    assert result.evidence_checked is not None  # the bucket's objects were checked too
