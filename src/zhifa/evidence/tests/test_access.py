"""调阅监督: every view or download is recorded (who, when, which, why) in the access log and on the ledger;
supervisors see the history of files in their scope, and only they."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from zhifa.core.errors import InvalidInput, PermissionDenied
from zhifa.evidence import selectors, services
from zhifa.evidence.models import AccessLog, Evidence
from zhifa.evidence.tests.conftest import JPEG, World, changes, ledger
from zhifa.evidence.uploads import hashed_upload_from
from zhifa.org.models import Role
from zhifa.org.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(world: World) -> Evidence:
    return services.evidence_store(
        actor=world.officer_user,
        upload=hashed_upload_from(io.BytesIO(JPEG), "现场照片.jpg"),
        kind="photo",
        stage="investigation",
        **world.target,
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_download_without_a_reason_is_refused_and_records_nothing(world: World, evidence: Evidence) -> None:
    response = _client(world.officer_user).get(f"/api/evidence/{evidence.pk}/download")
    assert response.status_code == 422
    assert response.json()["code"] == "access_reason_required"
    assert not AccessLog.objects.exists()
    assert ledger("record.access") == []


def test_download_with_a_reason_streams_the_file_and_records_who_which_and_why(
    world: World, evidence: Evidence
) -> None:
    response = _client(world.officer_user).get(
        f"/api/evidence/{evidence.pk}/download", {"reason": "制作案卷"}
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Evidence-SHA256"] == evidence.sha256
    log = AccessLog.objects.get()
    assert (log.actor, log.purpose, log.reason) == (world.officer_user, "download", "制作案卷")
    assert (log.object_type, log.object_id) == ("evidence.evidence", str(evidence.pk))
    [entry] = ledger("record.access")
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "evidence.evidence",
        str(evidence.pk),
        world.officer_user.pk,
    )
    assert changes(entry) == {"purpose": "download", "reason": "制作案卷", "access_log_id": log.pk}


def test_download_page_asks_for_the_reason_then_records_it(world: World, evidence: Evidence) -> None:
    client = _client(world.officer_user)
    page = client.get(f"/evidence/{evidence.pk}/download/")
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    assert not AccessLog.objects.exists()
    refused = client.post(f"/evidence/{evidence.pk}/download/", {"reason": ""})
    assert refused.status_code == 422 and "调阅事由" in refused.content.decode()
    assert not AccessLog.objects.exists()
    response = client.post(f"/evidence/{evidence.pk}/download/", {"reason": "复核证据"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert AccessLog.objects.get().reason == "复核证据"


def test_viewing_the_file_inline_is_recorded_as_a_view(world: World, evidence: Evidence) -> None:
    response = _client(world.officer_user).get(f"/evidence/{evidence.pk}/content/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "sandbox" in response["Content-Security-Policy"]
    log = AccessLog.objects.get()
    assert (log.purpose, log.reason) == ("view", "")
    assert len(ledger("record.access")) == 1


def test_reader_outside_the_agency_can_neither_view_nor_download_and_nothing_is_recorded(
    world: World, evidence: Evidence
) -> None:
    stranger = UserFactory()
    grant(stranger, Role.OFFICER, agency=world.other_agency)
    client = _client(stranger)
    assert client.get(f"/evidence/{evidence.pk}/content/").status_code == 403
    assert client.get(f"/api/evidence/{evidence.pk}/download", {"reason": "好奇"}).status_code == 403
    assert client.get("/api/evidence/", world.target).json() == []
    assert not AccessLog.objects.exists()


def test_supervisor_in_scope_sees_the_access_history(world: World, evidence: Evidence) -> None:
    services.evidence_access(world.officer_user, evidence.pk, "download", "制作案卷")
    history = selectors.access_history(world.supervisor, "evidence.evidence", str(evidence.pk))
    assert [(h.actor_name, h.purpose, h.reason) for h in history] == [("张执法", "download", "制作案卷")]
    response = _client(world.supervisor).get(
        "/api/evidence/access", {"object_type": "evidence.evidence", "object_id": evidence.pk}
    )
    assert response.status_code == 200
    assert [r["reason"] for r in response.json()] == ["制作案卷"]
    page = _client(world.supervisor).get(f"/evidence/{evidence.pk}/")
    assert "制作案卷" in page.content.decode()


def test_supervisor_outside_the_scope_is_refused_the_access_history(world: World, evidence: Evidence) -> None:
    services.evidence_access(world.officer_user, evidence.pk, "download", "制作案卷")
    with pytest.raises(PermissionDenied):
        selectors.access_history(world.outside_supervisor, "evidence.evidence", str(evidence.pk))
    response = _client(world.outside_supervisor).get(
        "/api/evidence/access", {"object_type": "evidence.evidence", "object_id": evidence.pk}
    )
    assert response.status_code == 403


def test_officer_who_is_not_a_supervisor_is_refused_the_access_history(
    world: World, evidence: Evidence
) -> None:
    with pytest.raises(PermissionDenied):
        selectors.access_history(world.officer_user, "evidence.evidence", str(evidence.pk))
    page = _client(world.officer_user).get(f"/evidence/{evidence.pk}/")
    assert page.status_code == 200 and "调阅记录" not in page.content.decode()


def test_other_apps_record_case_file_access_through_access_record(world: World) -> None:
    log = services.access_record(world.supervisor, "org.party", str(world.party.pk), "export", "案卷评查")
    [entry] = ledger("record.access")
    assert (entry.object_type, entry.object_id) == ("org.party", str(world.party.pk))
    assert changes(entry)["reason"] == "案卷评查"
    assert selectors.access_history(world.supervisor, "org.party", str(world.party.pk)) == [log]
    with pytest.raises(InvalidInput) as exc:
        services.access_record(world.supervisor, "org.party", str(world.party.pk), "download", "  ")
    assert exc.value.code == "access_reason_required"
    with pytest.raises(InvalidInput):
        services.access_record(world.supervisor, "org.party", str(world.party.pk), "peek", "")


def test_access_log_rows_cannot_be_changed_or_deleted(world: World, evidence: Evidence) -> None:
    services.evidence_access(world.officer_user, evidence.pk, "view")
    for sql in ("UPDATE evidence_accesslog SET reason = 'x'", "DELETE FROM evidence_accesslog"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    for sql in ("UPDATE evidence_evidence SET description = 'x'", "DELETE FROM evidence_evidence"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert AccessLog.objects.get().purpose == "view"
    assert Evidence.objects.get().description == ""


def test_database_refuses_a_download_row_without_reason(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLog.objects.create(
            actor=world.officer_user,
            actor_name="x",
            object_type="org.party",
            object_id="1",
            purpose="download",
        )
