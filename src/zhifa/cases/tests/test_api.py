"""The cases API: scope as 404, a refused transition as 409 with the guard's reason, keyset pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from zhifa.cases.models import Case, Stage
from zhifa.cases.tests.helpers import D0, CaseWorld, attach, ledger_count, notified, opened
from zhifa.org.models import CertificateStatus
from zhifa.org.tokens import token_create


def client_for(user: Any) -> Client:
    _, key = token_create(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_create_a_source_and_open_it_in_one_call(world: CaseWorld) -> None:
    api = client_for(world.officer_user)
    body = {
        "agency_id": world.agency.pk,
        "domain_code": "market",
        "source_kind": "hotline_12345",
        "received_on": "2025-03-03",
        "title": "无证经营",
        "reference": "12345-2025-0001",
        "party_ids": [world.company.pk],
        "open": {
            "officer_ids": [o.pk for o in world.officers[:2]],
            "act_date": "2025-03-01",
            "on": "2025-03-04",
            "approved_by_id": world.head.pk,
        },
    }
    response = api.post("/api/cases/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["stage"] == "opened" and data["number"] == "测县市监立〔2025〕1号"
    assert data["decision_due"] == "2025-06-02"
    assert [o["is_lead"] for o in data["officers"]] == [True, False]
    codes = {a["code"]: a for a in data["next_actions"]}
    # judged today, long after the 2025 limit: the action is shown disabled with the article that stops it
    assert (
        not codes["start_investigation"]["allowed"] and "第六十条" in codes["start_investigation"]["reason"]
    )


def test_refused_opening_leaves_no_source_behind(world: CaseWorld) -> None:
    api = client_for(world.officer_user)
    world.officers[1].certificates.update(status=CertificateStatus.REVOKED)
    body = {
        "agency_id": world.agency.pk,
        "domain_code": "market",
        "source_kind": "complaint",
        "received_on": "2025-03-03",
        "title": "无证经营",
        "party_ids": [world.company.pk],
        "open": {
            "officer_ids": [o.pk for o in world.officers[:2]],
            "act_date": "2025-03-01",
            "on": "2025-03-04",
            "approved_by_id": world.head.pk,
        },
    }
    response = api.post("/api/cases/", body, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "officers_insufficient"
    assert not Case.objects.filter(agency=world.agency).exists()


def test_refused_transition_answers_409_with_the_guards_reason(world: CaseWorld) -> None:
    case = notified(world)
    api = client_for(world.head)
    before = ledger_count(case)
    response = api.post(
        f"/api/cases/{case.pk}/decide",
        {"kinds": ["fine"], "fine_yuan": "5000", "on": "2025-03-17"},
        content_type="application/json",
    )
    assert response.status_code == 409
    error = response.json()
    assert (
        error["code"] == "statement_period_open" and "第六十二条" in error["message"] and error["message_en"]
    )
    assert ledger_count(case) == before
    response = api.post(
        f"/api/cases/{case.pk}/decide",
        {"kinds": ["fine"], "fine_yuan": "5000", "on": "2025-03-18"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["stage"] == Stage.DECIDED


def test_simple_procedure_over_the_limit_is_409_citing_article_51(world: CaseWorld) -> None:
    api = client_for(world.officer_user)
    body = {
        "agency_id": world.agency.pk,
        "domain_code": "market",
        "party_id": world.citizen.pk,
        "officer_ids": [o.pk for o in world.officers[:2]],
        "kinds": ["fine"],
        "fine_yuan": "200.01",
        "title": "占道经营",
        "basis": "《城市市容和环境卫生管理条例》第三十六条",
        "on": "2025-06-03",
    }
    response = api.post("/api/cases/simple", body, content_type="application/json")
    assert response.status_code == 409 and "第五十一条" in response.json()["message"]
    body["fine_yuan"] = "200"
    response = api.post("/api/cases/simple", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["stage"] == "served"


def test_case_outside_scope_is_404_and_forbidden_action_403(world: CaseWorld) -> None:
    case = opened(world)
    assert client_for(world.outsider).get(f"/api/cases/{case.pk}").status_code == 404
    response = client_for(world.supervisor).post(
        f"/api/cases/{case.pk}/start-investigation", {"on": "2025-03-03"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert client_for(world.supervisor).get(f"/api/cases/{case.pk}").status_code == 200


def test_bad_input_is_422(world: CaseWorld) -> None:
    case = notified(world)
    api = client_for(world.head)
    for body in (
        {"kinds": [], "on": "2025-03-20"},
        {"kinds": ["fine"], "fine_yuan": "-1", "on": "2025-03-20"},
        {"kinds": ["fine"], "fine_yuan": "1", "on": "1999-12-31"},
        {"kinds": ["fine"], "fine_yuan": "1", "on": "2099-01-01"},
    ):
        response = api.post(f"/api/cases/{case.pk}/decide", body, content_type="application/json")
        assert response.status_code == 422, (body, response.json())


def test_list_and_my_cases_page_by_keyset(world: CaseWorld) -> None:
    cases = [opened(world, on=D0 + dt.timedelta(days=i)) for i in range(3)]
    api = client_for(world.officer_user)
    first = api.get("/api/cases/", {"limit": 2}).json()
    assert [c["id"] for c in first["items"]] == [cases[2].pk, cases[1].pk]
    rest = api.get("/api/cases/", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [c["id"] for c in rest["items"]] == [cases[0].pk] and rest["next_cursor"] is None
    mine = api.get("/api/cases/mine", {"limit": 2}).json()
    assert [c["id"] for c in mine["items"]] == [cases[0].pk, cases[1].pk]
    more = api.get("/api/cases/mine", {"limit": 2, "cursor": mine["next_cursor"]}).json()
    assert [c["id"] for c in more["items"]] == [cases[2].pk]
    assert api.get("/api/cases/mine", {"cursor": "nonsense"}).status_code == 422


def test_seizure_endpoints(world: CaseWorld) -> None:
    case = opened(world)
    api = client_for(world.officer_user)
    head = client_for(
        world.head
    )  # 行政强制法 第十八条: the head decides the measure (his filing is his approval)
    refused = head.post(
        f"/api/cases/{case.pk}/seizures",
        {"kind": "detain", "items": ["过期奶粉 20 箱"], "on": "2025-03-04"},
        content_type="application/json",
    )
    assert refused.status_code == 409 and refused.json()["code"] == "required_records_missing"
    attach(world.officer_user, case, "service_execution", kind="video")
    created = head.post(
        f"/api/cases/{case.pk}/seizures",
        {"kind": "detain", "items": ["过期奶粉 20 箱"], "on": "2025-03-04"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["due_on"] == "2025-04-03"
    seizure_id = created.json()["id"]
    denied = api.post(
        f"/api/cases/seizures/{seizure_id}/extend",
        {"days": 30, "reason": "待检测", "on": "2025-04-01"},
        content_type="application/json",
    )
    assert denied.status_code == 403
    extended = client_for(world.head).post(
        f"/api/cases/seizures/{seizure_id}/extend",
        {"days": 30, "reason": "待检测", "on": "2025-04-01"},
        content_type="application/json",
    )
    assert extended.status_code == 200 and extended.json()["due_on"] == "2025-05-03"
    again = client_for(world.head).post(
        f"/api/cases/seizures/{seizure_id}/extend",
        {"days": 1, "reason": "再延", "on": "2025-04-02"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "seizure_already_extended"
    released = api.post(
        f"/api/cases/seizures/{seizure_id}/release",
        {"reason": "decided", "on": "2025-04-10"},
        content_type="application/json",
    )
    assert released.status_code == 200 and released.json()["status"] == "released"


def test_ids_beyond_the_database_are_404_or_422_not_500(world: CaseWorld) -> None:
    api = client_for(world.head)
    assert api.get(f"/api/cases/{2**70}").status_code == 422  # beyond the bounds of every id (issue 18 §4)
    assert api.get("/api/cases/", {"cursor": 2**70}).status_code == 422
    response = api.post(
        "/api/cases/seizures/99999999999999999999999/release",
        {"reason": "decided"},
        content_type="application/json",
    )
    assert response.status_code == 422
