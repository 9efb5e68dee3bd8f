"""The API of the decision-period, correction and 案源-check actions: allowed, and refused with 409 + code."""

from __future__ import annotations

from zhifa.cases.tests.helpers import CaseWorld, opened, register
from zhifa.cases.tests.test_api import client_for
from zhifa.cases.tests.test_remedies import served


def test_excluded_period_by_api_pauses_and_resumes_the_decision_period(world: CaseWorld) -> None:
    case = opened(world)
    api = client_for(world.officer_user)
    url = f"/api/cases/{case.pk}/excluded-periods"
    body = {"kind": "testing", "first_day": "2025-03-10", "on": "2025-03-10", "reason": "送检"}
    response = api.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["decision_due"] is None
    end = {"kind": "testing", "last_day": "2025-03-19", "on": "2025-03-20"}
    response = api.post(f"{url}/end", end, content_type="application/json")
    assert response.status_code == 200 and response.json()["decision_due"] == "2025-06-11"
    again = api.post(f"{url}/end", end, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "no_open_excluded_period"


def test_second_extension_by_api_needs_the_collective_discussion(world: CaseWorld) -> None:
    case = opened(world)
    api = client_for(world.head)
    url = f"/api/cases/{case.pk}/extend-deadline"
    body = {
        "days": 30,
        "reason": "复杂",
        "basis": "市场监督管理行政处罚程序规定第六十四条",
        "on": "2025-05-01",
    }
    assert api.post(url, body, content_type="application/json").status_code == 200
    refused = api.post(url, {**body, "on": "2025-05-02"}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "extension_needs_collective_discussion"
    body = {
        **body,
        "on": "2025-05-02",
        "discussion_participants": "局长、副局长",
        "discussion_conclusion": "同意",
    }
    assert api.post(url, body, content_type="application/json").status_code == 200


def test_revoke_by_api_sets_the_withdrawal_deadline_and_an_officer_is_forbidden(world: CaseWorld) -> None:
    case = served(world)
    body = {"reason": "事实认定错误", "on": "2025-04-03"}
    forbidden = client_for(world.officer_user).post(
        f"/api/cases/{case.pk}/revoke-decision", body, content_type="application/json"
    )
    assert forbidden.status_code == 403
    response = client_for(world.head).post(
        f"/api/cases/{case.pk}/revoke-decision", body, content_type="application/json"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["decision_correction"] == "revoked" and data["withdrawal_due"] == "2025-04-09"


def test_source_check_extension_by_api(world: CaseWorld) -> None:
    case = register(world)
    api = client_for(world.head)
    url = f"/api/cases/{case.pk}/extend-source-check"
    body = {"working_days": 15, "reason": "线索复杂", "on": "2025-03-20"}
    response = api.post(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["source_check_due"] == "2025-04-15"
    again = api.post(url, {**body, "on": "2025-03-21"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "source_check_already_extended"
