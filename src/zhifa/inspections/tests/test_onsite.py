"""现场办理 — the officer's phone page for one inspection: check in with its code, photos through the
evidence store, the result (合格 / 责令整改 / 立案) and the re-check; each refusal shown beside its field,
nothing written when refused, and nobody outside the inspection's scope sees it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhifa.core import clock
from zhifa.inspections import services
from zhifa.inspections.models import Inspection, InspectionStatus, Outcome
from zhifa.inspections.tests.conftest import TZ_NOW, World, make_officer, make_plan, make_random_task
from zhifa.org.models import User
from zhifa.records.labels import object_reference
from zhifa.records.models import LedgerEntry

# A 1×1 PNG: enough for the evidence store's format check.
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
        world, plan_item, starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=30)
    )
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    inspection = Inspection.objects.filter(task=task).order_by("id").first()
    member = User.objects.get(officer__pk=inspection.assignments.first().officer_id)
    return inspection, member


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _act(client: Client, inspection: Inspection, action: str, **data: Any) -> Any:
    return client.post(reverse("inspections:onsite_act", args=[inspection.pk, action]), data)


def _entries(inspection: Inspection) -> int:
    return LedgerEntry.objects.filter(
        object_type="inspections.inspection", object_id=str(inspection.pk)
    ).count()


def test_the_phone_page_walks_check_in_photo_result_and_recheck(visit) -> None:
    inspection, member = visit
    client = as_user(member)
    page = client.get(reverse("inspections:onsite", args=[inspection.pk]))
    assert (
        page.status_code == 200
        and 'data-step="check_in"' in page.content.decode()
        and "<svg" in page.content.decode()
    )

    response = _act(client, inspection, "check_in", place="示例路 1 号 车间")
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CHECKED_IN and inspection.place == "示例路 1 号 车间"
    assert 'data-step="result"' in client.get(response["Location"]).content.decode()

    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    page_url = reverse("inspections:onsite", args=[inspection.pk])
    uploaded = client.post(
        reverse("evidence:upload"),
        {
            "object_type": "inspections.inspection",
            "object_id": str(inspection.pk),
            "kind": "photo",
            "stage": "investigation",
            "next": page_url,
            "file": photo,
        },
    )
    assert uploaded.status_code == 302 and uploaded["Location"] == page_url
    assert "现场.png" in client.get(page_url).content.decode()

    deadline = clock.today() + dt.timedelta(days=15)
    response = _act(
        client,
        inspection,
        "result",
        outcome=Outcome.RECTIFY,
        findings="消防通道堵塞",
        rectify_deadline=deadline.isoformat(),
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.outcome == Outcome.RECTIFY and inspection.rectify_deadline == deadline
    assert 'data-step="recheck"' in client.get(page_url).content.decode()
    today = client.get(reverse("inspections:today")).content.decode()
    assert f'data-inspection="{inspection.pk}"' in today and "整改复查" in today

    assert _act(client, inspection, "recheck", passed="1", findings="已清理").status_code == 302
    inspection.refresh_from_db()
    assert inspection.recheck_passed is True and inspection.rectification_closed_at is not None
    assert 'data-step="done"' in client.get(page_url).content.decode()


def test_check_in_without_a_place_is_refused_beside_the_field_and_writes_nothing(visit) -> None:
    inspection, member = visit
    before = _entries(inspection)
    response = _act(as_user(member), inspection, "check_in", place="")
    assert response.status_code == 422 and "is-invalid" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED and _entries(inspection) == before


def test_rectification_without_a_deadline_is_refused_with_the_services_reason(visit) -> None:
    inspection, member = visit
    client = as_user(member)
    _act(client, inspection, "check_in", place="现场")
    before = _entries(inspection)
    response = _act(client, inspection, "result", outcome=Outcome.RECTIFY, findings="未整改")
    assert response.status_code == 422 and "整改期限" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CHECKED_IN and _entries(inspection) == before


def test_an_officer_not_on_the_inspection_is_refused_check_in(world, visit) -> None:
    inspection, _ = visit
    stranger, _ = make_officer(world.agency, "未分配检查员")
    response = _act(as_user(stranger), inspection, "check_in", place="现场")
    assert response.status_code == 409 and "不是本次检查任务的检查人员" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED


def test_outside_the_scope_the_page_is_404_and_the_head_is_refused(world, visit) -> None:
    inspection, _ = visit
    outsider, _ = make_officer(world.other_agency, "外单位检查员")
    assert as_user(outsider).get(reverse("inspections:onsite", args=[inspection.pk])).status_code == 404
    assert as_user(world.head).get(reverse("inspections:onsite", args=[inspection.pk])).status_code == 403
    assert (
        as_user(outsider).post(reverse("inspections:onsite_act", args=[inspection.pk, "nope"])).status_code
        == 404
    )


# --- how other pages name an inspection --------------------------------------------------------------------------
# An inspection, where another page names it (its evidence, an access log), reads as 检查, its item, its party and
# its day — never 检查#17 — linked to the on-site page for the officer and to its record page for a supervisor.


def test_an_inspection_reads_as_its_item_party_and_day_with_the_right_link_per_role(
    world: Any, visit: Any
) -> None:
    inspection, member = visit
    day = inspection.inspected_on or inspection.scheduled_on
    expected = f"检查 {inspection.item.name} · {inspection.party.name}（{day:%Y-%m-%d}）"

    mine = object_reference("inspections.inspection", inspection.pk, member)
    assert mine.text == expected and mine.url == f"/inspections/inspections/{inspection.pk}/onsite/"
    # the supervisor reads its record page — once it has a record (no link to a 404 before)
    assert object_reference("inspections.inspection", inspection.pk, world.supervisor).url == ""
    _act(as_user(member), inspection, "check_in", place="示例路 1 号 车间")
    inspection.refresh_from_db()  # checked in: the day is the day of the inspection now
    expected = expected.replace(f"{day:%Y-%m-%d}", f"{inspection.inspected_on:%Y-%m-%d}")
    supervised = object_reference("inspections.inspection", inspection.pk, world.supervisor)
    assert supervised.text == expected
    assert supervised.url == f"/records/object/inspections.inspection/{inspection.pk}/"
    client = Client()
    client.force_login(world.supervisor)
    assert client.get(supervised.url).status_code == 200  # the link leads to a page, not a 403
    # another agency's head may not read it: the reference, no link
    outside = object_reference("inspections.inspection", inspection.pk, world.other_head)
    assert outside.text == expected and outside.url == ""
    assert f"#{inspection.pk}" not in mine.text


def test_the_evidence_page_of_an_inspection_names_it_not_its_id(visit: Any) -> None:
    inspection, member = visit
    client = Client()
    client.force_login(member)
    html = client.get(f"/evidence/for/inspections.inspection/{inspection.pk}/").content.decode()
    assert f'<a href="/inspections/inspections/{inspection.pk}/onsite/">检查 {inspection.item.name}' in html
    assert "检查 #" not in html and f"检查#{inspection.pk}" not in html
