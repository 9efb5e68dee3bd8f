"""The inspections API: the public draw JSON re-runs, scan-to-enter end to end, scope as 404, refusals as
{code, message, message_en}, keyset pages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from zhifa.core import clock
from zhifa.inspections import draw, services
from zhifa.inspections.models import Inspection, InspectionWarning, WarningKind
from zhifa.inspections.tests.conftest import TZ_NOW, make_item, make_plan, make_random_task
from zhifa.org.models import User
from zhifa.org.tokens import token_create

BASE = "/api/inspections"


def client(user: User) -> Client:
    _, key = token_create(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert {"code", "message", "message_en"} <= set(body)
    if code:
        assert body["code"] == code
    return body


@pytest.fixture
def drawn_task(world):
    _, plan_item = make_plan(world)
    today = clock.today()  # the API checks in at the server's time
    task = make_random_task(
        world, plan_item, starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=30)
    )
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    return task


def test_public_draw_endpoint_needs_no_login_and_reruns(world, drawn_task) -> None:
    response = Client().get(f"{BASE}/draws/{drawn_task.pk}")
    assert response.status_code == 200
    published = response.json()
    result = draw.rerun(published)
    assert sum(len(v) for k, v in result.items() if k.startswith("party/")) == Inspection.objects.count()
    assert_error(Client().get(f"{BASE}/draws/999999"), 404, "draw_not_found")


def test_draw_through_the_api_and_refusal_of_a_second(world) -> None:
    _, plan_item = make_plan(world)
    officer = client(world.officer_user)
    response = officer.post(
        f"{BASE}/tasks/random",
        {
            "plan_item_id": plan_item.pk,
            "title": "API 抽查",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-31",
            "party_count": 3,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    task = response.json()
    assert len(task["commitment"]) == 64 and "secret" not in task
    drawn = officer.post(f"{BASE}/tasks/{task['id']}/draw")
    assert drawn.status_code == 200, drawn.content
    assert drawn.json()["commitment"] == task["commitment"]
    assert_error(officer.post(f"{BASE}/tasks/{task['id']}/draw"), 409, "already_drawn")


def test_plan_approval_by_an_officer_is_403_and_outside_scope_is_404(world) -> None:
    plan, _ = make_plan(world, approve=False)
    assert_error(client(world.officer_user).post(f"{BASE}/plans/{plan.pk}/approve"), 403, "permission_denied")
    assert_error(client(world.outside_supervisor).post(f"{BASE}/plans/{plan.pk}/approve"), 404)
    response = client(world.head).post(f"{BASE}/plans/{plan.pk}/approve")
    assert response.status_code == 200 and response.json()["status"] == "approved"


def test_item_without_legal_basis_is_422(world) -> None:
    response = client(world.head).post(
        f"{BASE}/items",
        {
            "agency_id": world.agency.pk,
            "code": "X",
            "name": "无依据",
            "domain_code": "market",
            "legal_basis": "",
        },
        content_type="application/json",
    )
    assert_error(response, 422)


def test_scan_to_enter_end_to_end(world, drawn_task) -> None:
    inspection = Inspection.objects.filter(task=drawn_task).first()
    member = User.objects.get(officer__pk=inspection.assignments.first().officer_id)
    response = client(member).get(f"{BASE}/inspections/{inspection.pk}/code")
    assert response.status_code == 200, response.content
    code = response.json()["code"]
    assert response.json()["qr_svg"].startswith("<?xml") or "<svg" in response.json()["qr_svg"]
    # The enterprise reads who is coming without logging in.
    view = Client().get(f"{BASE}/code-view", {"code": code})
    assert view.status_code == 200 and len(view.json()["officers"]) == 2
    assert "食品安全法" in view.json()["legal_basis"]
    # A forged code is refused for the enterprise too, and warns.
    assert_error(Client().get(f"{BASE}/code-view", {"code": code[:-2] + "zz"}), 422, "inspection_code_forged")
    assert InspectionWarning.objects.filter(kind=WarningKind.FORGED_CODE).exists()
    checked = client(member).post(
        f"{BASE}/check-in", {"code": code, "place": "门店"}, content_type="application/json"
    )
    assert checked.status_code == 200, checked.content
    assert checked.json()["status"] == "checked_in"
    assert_error(
        client(member).post(
            f"{BASE}/check-in", {"code": code, "place": "门店"}, content_type="application/json"
        ),
        409,
        "already_checked_in",
    )


def test_warning_list_pages_by_keyset_and_hides_other_regions(world) -> None:
    item = make_item(world)
    for party in world.parties:
        services.inspection_enter_unfiled(world.officer_user, party=party, item=item, place="现场")
    supervisor = client(world.supervisor)
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 4, "kind": "unfiled"}
        if cursor:
            params["cursor"] = cursor
        page = supervisor.get(f"{BASE}/warnings", params).json()
        seen += [w["id"] for w in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == len(world.parties)
    assert client(world.outside_supervisor).get(f"{BASE}/warnings").json()["items"] == []
    first = seen[0]
    assert_error(
        client(world.outside_supervisor).post(
            f"{BASE}/warnings/{first}/dismiss", {"reason": "误报"}, content_type="application/json"
        ),
        404,
    )
    ok = supervisor.post(
        f"{BASE}/warnings/{first}/dismiss", {"reason": "实为上级交办"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["state"] == "dismissed"


def test_case_sources_endpoint_lists_case_results(world, drawn_task) -> None:
    inspection = Inspection.objects.filter(task=drawn_task).first()
    member = User.objects.get(officer__pk=inspection.assignments.first().officer_id)
    code = client(member).get(f"{BASE}/inspections/{inspection.pk}/code").json()["code"]
    client(member).post(f"{BASE}/check-in", {"code": code, "place": "门店"}, content_type="application/json")
    response = client(member).post(
        f"{BASE}/inspections/{inspection.pk}/result",
        {"outcome": "case", "findings": "无证经营"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    sources = client(world.head).get(f"{BASE}/case-sources").json()
    assert [s["inspection_id"] for s in sources] == [inspection.pk]
    assert (
        client(world.head).get(f"{BASE}/case-sources", {"after_seq": sources[0]["ledger_seq"]}).json() == []
    )
    json.dumps(sources)
