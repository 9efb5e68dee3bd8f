"""GET /api/enterprise/inspections (the user's own visits, newest first, keyset paged), one visit, and the
visit-time actions of both sides through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from zhifa.core import clock
from zhifa.enterprise.tests.conftest import filed_visit
from zhifa.inspections import services
from zhifa.inspections.models import VisitWindow
from zhifa.org.models import User

pytestmark = pytest.mark.django_db


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def many(scene: Any) -> list[int]:
    """Four more announced visits of the same party (each with a window): five in all."""
    ids = [scene.visit.pk]
    day = clock.today() + dt.timedelta(days=2)
    for _ in range(4):
        visit = filed_visit(scene.world, scene.world.parties[0], item=scene.item)
        services.visit_window_offer(
            scene.world.officer_user,
            visit,
            first_day=day,
            last_day=day,
            day_starts=dt.time(9),
            day_ends=dt.time(10),
        )
        ids.append(visit.pk)
    return ids


def test_the_list_is_newest_first_and_keyset_paged(scene, many) -> None:
    client = as_user(scene.company)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/enterprise/inspections", params).json()
        seen += [row["id"] for row in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(many, reverse=True) and pages == 3
    first = client.get("/api/enterprise/inspections", {"limit": 1}).json()["items"][0]
    assert first["visit_window"]["slot_minutes"] == 60 and "商定入企时间" in first["notice"]


def test_another_party_sees_none_and_gets_404(scene, many) -> None:
    client = as_user(scene.other_company)
    assert client.get("/api/enterprise/inspections").json()["items"] == []
    assert client.get(f"/api/enterprise/inspections/{scene.visit.pk}").status_code == 404


def test_staff_are_refused(scene) -> None:
    assert as_user(scene.world.officer_user).get("/api/enterprise/inspections").status_code == 403


def test_a_bad_cursor_is_a_clear_422(scene) -> None:
    response = as_user(scene.company).get("/api/enterprise/inspections", {"cursor": "junk"})
    assert response.status_code == 422 and response.json()["message"]


def test_the_detail_has_officers_checks_checklist_and_slots(scene) -> None:
    body = as_user(scene.company).get(f"/api/enterprise/inspections/{scene.visit.pk}").json()
    assert len(body["officers"]) == 2 and all(o["may_enforce"] for o in body["officers"])
    assert body["checks"][0]["checklist"][0] == "是否取得食品经营许可证"
    assert len(body["slots"]) == 6


def test_agree_through_the_api_and_refusals(scene) -> None:
    client = as_user(scene.company)
    day = clock.today() + dt.timedelta(days=3)
    url = f"/api/enterprise/inspections/{scene.visit.pk}/visit-time"
    bad = client.post(url, {"start": f"{day:%Y-%m-%d}T09:30:00+08:00"}, content_type="application/json")
    assert bad.status_code == 409 and bad.json()["code"] == "visit_time_outside_window"
    assert bad.json()["message_en"]
    junk = client.post(url, {"start": 5}, content_type="application/json")
    assert junk.status_code == 422
    ok = client.post(url, {"start": f"{day:%Y-%m-%d}T09:00:00+08:00"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["visit_window"]["agreed_start"]
    other = as_user(scene.other_company).post(
        url, {"start": f"{day:%Y-%m-%d}T10:00:00+08:00"}, content_type="application/json"
    )
    assert other.status_code == 404


def test_the_officer_offers_through_the_api(world) -> None:
    visit = filed_visit(world, world.parties[4])
    day = clock.today() + dt.timedelta(days=2)
    payload = {
        "first_day": f"{day:%Y-%m-%d}",
        "last_day": f"{day:%Y-%m-%d}",
        "day_starts": "09:00",
        "day_ends": "12:00",
    }
    url = f"/api/inspections/inspections/{visit.pk}/visit-window"
    response = as_user(world.officer_user).post(url, payload, content_type="application/json")
    assert response.status_code == 200 and response.json()["slots"] == 3
    refused = as_user(world.other_head).post(url, payload, content_type="application/json")
    assert refused.status_code == 404
    assert VisitWindow.objects.filter(inspection=visit).count() == 1
