"""``/api/cases/{id}/remedies``: the party's 行政复议/行政诉讼 recorded and listed through the API (the page's
``case_record_remedy``), with the scope as 404, the role as 403, a refusal in Chinese and English."""

from __future__ import annotations

from zhifa.cases.models import CaseRemedy
from zhifa.cases.tests.helpers import CaseWorld, ledger_count
from zhifa.cases.tests.test_api import client_for
from zhifa.cases.tests.test_remedies import served


def _url(case_id: int) -> str:
    return f"/api/cases/{case_id}/remedies"


def test_record_a_reconsideration_then_complete_it_and_list_them(world: CaseWorld) -> None:
    case = served(world)
    api = client_for(world.officer_user)
    before = ledger_count(case)
    body = {"kind": "reconsideration", "applied_on": "2025-04-12", "on": "2025-04-12"}
    response = api.post(_url(case.pk), body, content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (
        data["kind"] == "reconsideration" and data["kind_label"] == "行政复议" and data["decided_on"] is None
    )
    assert ledger_count(case) == before + 1
    done = {
        **body,
        "decided_on": "2025-05-20",
        "outcome": "upheld",
        "number": "测复〔2025〕1号",
        "on": "2025-05-21",
    }
    response = api.post(_url(case.pk), done, content_type="application/json")
    assert response.status_code == 201 and response.json()["outcome_label"] == "维持"
    assert CaseRemedy.objects.filter(case=case).count() == 1
    listed = api.get(_url(case.pk)).json()["items"]
    assert [(r["kind"], r["decided_on"], r["number"]) for r in listed] == [
        ("reconsideration", "2025-05-20", "测复〔2025〕1号")
    ]


def test_refusals_answer_in_chinese_and_english_and_write_nothing(world: CaseWorld) -> None:
    case = served(world)
    api = client_for(world.officer_user)
    before = ledger_count(case)
    # before the decision was served (2025-03-25)
    response = api.post(
        _url(case.pk), {"kind": "litigation", "applied_on": "2025-03-20"}, content_type="application/json"
    )
    assert response.status_code == 422
    error = response.json()
    assert "送达" in error["message"] and error["message_en"]
    # an outcome without its date
    response = api.post(
        _url(case.pk),
        {"kind": "litigation", "applied_on": "2025-04-20", "outcome": "upheld"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["message_en"]
    # an unknown kind is bad input at the edge
    response = api.post(
        _url(case.pk), {"kind": "appeal", "applied_on": "2025-04-20"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert ledger_count(case) == before and not CaseRemedy.objects.filter(case=case).exists()


def test_scope_and_role(world: CaseWorld) -> None:
    case = served(world)
    body = {"kind": "reconsideration", "applied_on": "2025-04-12", "on": "2025-04-12"}
    # another agency's head: the case is not in his scope — 404, on reading and on writing
    outsider = client_for(world.outsider)
    assert outsider.get(_url(case.pk)).status_code == 404
    assert outsider.post(_url(case.pk), body, content_type="application/json").status_code == 404
    # the region's supervisor reads, but does not record
    supervisor = client_for(world.supervisor)
    assert supervisor.get(_url(case.pk)).status_code == 200
    response = supervisor.post(_url(case.pk), body, content_type="application/json")
    assert response.status_code == 403 and response.json()["message"]
    assert not CaseRemedy.objects.filter(case=case).exists()
    # a case still before its decision: the step is refused (409) with the reason
    from zhifa.cases.tests.helpers import opened

    early = opened(world)
    response = client_for(world.officer_user).post(_url(early.pk), body, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "stage_not_allowed"
