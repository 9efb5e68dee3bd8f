"""离线现场检查 — work captured on the phone without network syncs through
``POST /api/inspections/inspections/{id}/sync``: applied once through the online services with the capture
time (the ledger keeps capture and sync time), kept as a conflict when refused (task cancelled, a colleague
checked in first), flagged beyond the back-entry window, refused outright for junk and out of scope."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhifa.core import clock
from zhifa.core.errors import PermissionDenied, RuleViolation
from zhifa.evidence.models import Evidence
from zhifa.inspections import codes, services
from zhifa.inspections.checklists import visit_checklist
from zhifa.inspections.models import (
    ChecklistResult,
    Inspection,
    InspectionStatus,
    InspectionWarning,
    OfflineAction,
    Outcome,
    TaskStatus,
    WarningKind,
)
from zhifa.inspections.tests.conftest import TZ_NOW, World, make_officer, make_plan, make_random_task
from zhifa.org.models import User
from zhifa.records.models import LedgerEntry

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def _evidence_dirs(evidence_dirs: Path) -> Path:
    return evidence_dirs


@pytest.fixture
def visit(world: World) -> tuple[Inspection, User]:
    _, plan_item = make_plan(world)
    today = clock.today()
    task = make_random_task(
        world, plan_item, starts_on=today - dt.timedelta(days=20), ends_on=today + dt.timedelta(days=30)
    )
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    inspection = Inspection.objects.filter(task=task).order_by("id").first()
    member = User.objects.get(officer__pk=inspection.assignments.first().officer_id)
    return inspection, member


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sync(
    client: Client,
    inspection: Inspection,
    kind: str,
    captured_at: dt.datetime | str,
    payload: dict[str, Any] | str,
    *,
    client_id: str | None = None,
    file: bytes | None = None,
) -> Any:
    data: dict[str, Any] = {
        "client_id": client_id or str(uuid.uuid4()),
        "kind": kind,
        "captured_at": captured_at if isinstance(captured_at, str) else captured_at.isoformat(),
        "payload": payload if isinstance(payload, str) else json.dumps(payload),
    }
    if file is not None:
        data["file"] = SimpleUploadedFile("p.png", file, content_type="image/png")
    return client.post(reverse("api:offline_sync", args=[inspection.pk]), data)


def _ledger(inspection: Inspection, action: str) -> list[LedgerEntry]:
    return list(
        LedgerEntry.objects.filter(
            object_type="inspections.inspection", object_id=str(inspection.pk), action=action
        ).order_by("seq")
    )


def test_check_in_photo_and_result_captured_offline_apply_with_capture_time_and_sync_time(visit) -> None:
    inspection, member = visit
    client = as_user(member)
    on_site = clock.now() - dt.timedelta(hours=3)
    first = sync(client, inspection, "check_in", on_site, {"place": "示范路 8 号"})
    assert first.status_code == 200, first.content
    assert first.json()["state"] == "applied" and first.json()["state_label"] == "已同步"
    photo = sync(client, inspection, "photo", on_site + dt.timedelta(minutes=5), {}, file=PNG)
    assert photo.status_code == 200, photo.content
    result = sync(
        client,
        inspection,
        "result",
        on_site + dt.timedelta(minutes=30),
        {"outcome": "pass", "findings": "证照齐全"},
    )
    assert result.status_code == 200 and result.json()["state"] == "applied", result.content

    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.DONE and inspection.outcome == Outcome.PASS
    assert inspection.entered_at == on_site and inspection.place == "示范路 8 号"
    assert inspection.result_at == on_site + dt.timedelta(minutes=30)
    assert not inspection.entered_late  # 3 hours: within the 24 hours of the check-in's own flag
    evidence = Evidence.objects.get(object_type="inspections.inspection", object_id=str(inspection.pk))
    assert evidence.captured_at == on_site + dt.timedelta(minutes=5) and evidence.place == "示范路 8 号"
    assert photo.json()["evidence_id"] == evidence.pk

    # The ledger: capture time as occurred_at, the sync time as the entry's own time.
    check_in = _ledger(inspection, "inspection.check_in")[0]
    assert check_in.occurred_at == on_site and check_in.at > on_site + dt.timedelta(hours=2)
    entered = _ledger(inspection, "inspection.result")[0]
    assert entered.occurred_at == on_site + dt.timedelta(minutes=30) and entered.at > entered.occurred_at
    synced = _ledger(inspection, "inspection.offline.sync")
    assert [e.occurred_at for e in synced] == [
        on_site,
        on_site + dt.timedelta(minutes=5),
        on_site + dt.timedelta(minutes=30),
    ]
    actions = list(OfflineAction.objects.filter(inspection=inspection).order_by("captured_at"))
    assert [a.kind for a in actions] == ["check_in", "photo", "result"]
    assert all(a.state == "applied" and a.synced_at > a.captured_at for a in actions)
    assert [a.ledger_seq for a in actions] == [e.seq for e in synced]


def test_a_repeated_sync_applies_nothing_twice(visit) -> None:
    inspection, member = visit
    client = as_user(member)
    on_site = clock.now() - dt.timedelta(minutes=40)
    cid = str(uuid.uuid4())
    assert sync(client, inspection, "check_in", on_site, {"place": "仓库"}, client_id=cid).status_code == 200
    photo_id = str(uuid.uuid4())
    assert sync(client, inspection, "photo", on_site, {}, client_id=photo_id, file=PNG).status_code == 200
    entries = LedgerEntry.objects.count()
    again = sync(client, inspection, "check_in", on_site, {"place": "仓库"}, client_id=cid)
    assert again.status_code == 200 and again.json()["state"] == "applied"
    assert sync(client, inspection, "photo", on_site, {}, client_id=photo_id, file=PNG).status_code == 200
    assert LedgerEntry.objects.count() == entries
    assert OfflineAction.objects.count() == 2
    assert Evidence.objects.filter(object_id=str(inspection.pk)).count() == 1


def test_a_client_id_reused_on_another_inspection_is_refused(visit, world: World) -> None:
    inspection, member = visit
    client = as_user(member)
    cid = str(uuid.uuid4())
    assert (
        sync(client, inspection, "check_in", clock.now(), {"place": "仓库"}, client_id=cid).status_code == 200
    )
    other = Inspection.objects.filter(assignments__officer__user=member).exclude(pk=inspection.pk).first()
    if other is None:
        pytest.skip("the draw gave the officer one visit")
    response = sync(client, other, "check_in", clock.now(), {"place": "仓库"}, client_id=cid)
    assert response.status_code == 409 and response.json()["code"] == "client_id_reused"


def test_back_entry_within_the_window_is_applied_unflagged_and_later_is_applied_but_flagged(
    visit, settings: Any
) -> None:
    inspection, member = visit
    client = as_user(member)
    settings.ZHIFA_INSPECTION_BACK_ENTRY_DAYS = 10  # 深圳
    nine_days = clock.now() - dt.timedelta(days=9)
    response = sync(client, inspection, "check_in", nine_days, {"place": "仓库"})
    assert response.status_code == 200 and response.json()["beyond_window"] is False
    inspection.refresh_from_db()
    assert inspection.entered_late  # past the check-in's own 24 hours: 超时补录
    assert not InspectionWarning.objects.filter(inspection=inspection, basis="back_entry").exists()
    eleven_days = clock.now() - dt.timedelta(days=11)
    late = sync(client, inspection, "photo", eleven_days, {}, file=PNG)
    assert late.status_code == 200 and late.json()["state"] == "applied" and late.json()["beyond_window"]
    warning = InspectionWarning.objects.get(
        inspection=inspection, kind=WarningKind.LATE_ENTRY, basis="back_entry"
    )
    assert warning.threshold == 10 and warning.get_basis_display() == "超出离线补录期限"


def test_work_for_a_task_cancelled_meanwhile_is_kept_as_a_conflict_and_shown(visit, world: World) -> None:
    inspection, member = visit
    services.task_cancel(world.head, inspection.task, reason="企业已注销")
    client = as_user(member)
    on_site = clock.now() - dt.timedelta(hours=1)
    response = sync(client, inspection, "check_in", on_site, {"place": "仓库"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "conflict" and body["reason_code"] == "task_cancelled"
    assert "已撤销" in body["reason"]
    result = sync(client, inspection, "result", on_site, {"outcome": "pass", "findings": "好"})
    assert result.json()["state"] == "conflict"
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED  # nothing applied
    kept = OfflineAction.objects.get(client_id=body["client_id"])
    assert kept.payload == {"place": "仓库"} and kept.captured_at == on_site
    page = client.get(reverse("inspections:onsite", args=[inspection.pk])).content.decode()
    assert "冲突" in page and "检查任务已撤销" in page
    listing = as_user(world.supervisor).get(reverse("inspections:offline_conflicts")).content.decode()
    assert inspection.party.name in listing and "检查任务已撤销" in listing
    api = as_user(world.head).get("/api/inspections/offline-actions?state=conflict").json()
    assert len(api["items"]) == 2
    assert as_user(world.outside_supervisor).get("/api/inspections/offline-actions").json()["items"] == []


def test_a_colleague_checked_in_first_makes_the_offline_check_in_a_conflict(visit) -> None:
    inspection, member = visit
    colleague = User.objects.get(
        officer__pk=inspection.assignments.exclude(officer__user=member).first().officer_id
    )
    assert sync(as_user(colleague), inspection, "check_in", clock.now(), {"place": "门口"}).status_code == 200
    response = sync(
        as_user(member), inspection, "check_in", clock.now() - dt.timedelta(minutes=10), {"place": "仓库"}
    )
    assert response.json()["state"] == "conflict" and response.json()["reason_code"] == "already_checked_in"


def test_another_agencys_officer_is_refused_and_nothing_is_stored(visit, world: World) -> None:
    inspection, _ = visit
    stranger, _ = make_officer(world.other_agency, "应急检查员")
    entries = LedgerEntry.objects.count()
    response = sync(as_user(stranger), inspection, "check_in", clock.now(), {"place": "仓库"})
    assert response.status_code in (403, 404)
    assert OfflineAction.objects.count() == 0 and LedgerEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("client_id", "not-a-uuid", "client_id"),
        ("kind", "teleport", "kind"),
        ("captured_at", "2026-02-10T09:00", "captured_at"),  # naive
        ("captured_at", "昨天", "captured_at"),
        ("payload", "[1, 2]", "payload"),
        ("payload", "{broken", "payload"),
        ("payload", json.dumps({"place": ""}), "payload.place"),
        ("payload", json.dumps({"place": "x" * 201}), "payload.place"),
    ],
)
def test_junk_is_refused_with_a_clear_error_and_writes_nothing(
    visit, field: str, value: str, code: str
) -> None:
    inspection, member = visit
    client = as_user(member)
    data = {
        "client_id": str(uuid.uuid4()),
        "kind": "check_in",
        "captured_at": clock.now().isoformat(),
        "payload": json.dumps({"place": "仓库"}),
        field: value,
    }
    entries = LedgerEntry.objects.count()
    response = client.post(reverse("api:offline_sync", args=[inspection.pk]), data)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["field"] == code and body["message"] and body["message_en"]
    assert OfflineAction.objects.count() == 0 and LedgerEntry.objects.count() == entries


def test_a_capture_time_in_the_future_a_photo_without_file_and_a_bad_result_are_refused(visit) -> None:
    inspection, member = visit
    client = as_user(member)
    future = sync(client, inspection, "check_in", clock.now() + dt.timedelta(hours=1), {"place": "仓库"})
    assert future.status_code == 422 and future.json()["field"] == "captured_at"
    assert sync(client, inspection, "photo", clock.now(), {}).json()["field"] == "file"
    bad = sync(client, inspection, "result", clock.now(), {"outcome": "maybe", "findings": "x"})
    assert bad.status_code == 422 and bad.json()["field"] == "payload.outcome"
    assert OfflineAction.objects.count() == 0


def test_only_the_head_cancels_a_task_with_a_reason_and_never_one_with_a_result(visit, world: World) -> None:
    inspection, member = visit
    task = inspection.task
    with pytest.raises(PermissionDenied):
        services.task_cancel(member, task, reason="不查了")
    with pytest.raises(PermissionDenied):
        services.task_cancel(world.other_head, task, reason="不查了")
    services.inspection_check_in(member, services_code(inspection), place="仓库")
    services.inspection_result(member, inspection, outcome="pass", findings="好")
    with pytest.raises(RuleViolation) as refused:
        services.task_cancel(world.head, task, reason="不查了")
    assert refused.value.code == "task_has_results"
    task.refresh_from_db()
    assert task.status != TaskStatus.CANCELLED


def test_the_head_cancels_from_the_task_page_and_the_visit_leaves_the_today_list(visit, world: World) -> None:
    inspection, member = visit
    head = as_user(world.head)
    url = reverse("inspections:task_cancel", args=[inspection.task_id])
    assert head.post(url, {"reason": ""}).status_code == 422
    assert (
        "撤销任务" in head.get(reverse("inspections:task_detail", args=[inspection.task_id])).content.decode()
    )
    assert head.post(url, {"reason": "企业已注销"}).status_code == 302
    inspection.task.refresh_from_db()
    assert inspection.task.status == TaskStatus.CANCELLED
    assert _ledger_task(inspection.task_id)[-1].action == "inspection.task.cancel"
    today = as_user(member).get(reverse("inspections:today")).content.decode()
    assert f'data-inspection="{inspection.pk}"' not in today
    assert as_user(member).post(url, {"reason": "x"}).status_code == 403


def test_the_service_worker_and_the_manifest_are_served_by_the_app(db: Any, client: Client) -> None:
    sw = client.get(reverse("inspections:service_worker"))
    assert sw.status_code == 200 and sw["Content-Type"].startswith("application/javascript")
    assert sw["Service-Worker-Allowed"] == "/inspections/"
    assert "zhifa-onsite-v" in sw.content.decode() and "/static/inspections/offline.js" in sw.content.decode()
    manifest = json.loads(client.get(reverse("inspections:manifest")).content)
    assert manifest["start_url"] == "/inspections/today/" and manifest["scope"] == "/inspections/"
    assert manifest["display"] == "standalone"


def services_code(inspection: Inspection) -> str:
    return codes.issue_code(inspection)


def _ledger_task(task_id: int) -> list[LedgerEntry]:
    return list(
        LedgerEntry.objects.filter(object_type="inspections.inspectiontask", object_id=str(task_id)).order_by(
            "seq"
        )
    )


def test_checklist_lines_captured_offline_apply_after_the_offline_check_in(world, visit) -> None:
    """一表通查 offline: the lines recorded on the phone sync after its check-in, through ``checklist_record``."""
    inspection, member = visit
    services.checklist_set(
        world.head,
        inspection.item,
        lines=[
            {
                "content": "是否取得许可证",
                "method": "查验许可证原件",
                "basis": "《中华人民共和国食品安全法》第三十五条",
            }
        ],
        effective_from=dt.date(2025, 1, 1),
    )
    key = visit_checklist(inspection).lines[0].key
    client = as_user(member)
    on_site = clock.now() - dt.timedelta(hours=1)
    results = {"results": [{"key": key, "result": "nonconforming", "note": "许可证过期"}]}
    early = sync(client, inspection, "checklist", on_site, results)  # before the check-in: kept as a conflict
    assert early.status_code == 200 and early.json()["state"] == "conflict", early.content
    assert sync(client, inspection, "check_in", on_site, {"place": "门店"}).status_code == 200
    applied = sync(client, inspection, "checklist", on_site + dt.timedelta(minutes=10), results)
    assert applied.status_code == 200 and applied.json()["state"] == "applied", applied.content
    recorded = ChecklistResult.objects.get(inspection=inspection)
    assert (recorded.line_key, recorded.result, recorded.note) == (key, "nonconforming", "许可证过期")
    junk = sync(client, inspection, "checklist", on_site, {"results": "全部符合"})
    assert junk.status_code == 422
