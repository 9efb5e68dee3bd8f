"""Pages and API: the reviewer's pages render, forms go through the services, refusals come back as messages,
other agencies get 404; the API answers with declared errors."""

from __future__ import annotations

from typing import Any

from django.test import Client

from zhifa.cases.models import Stage
from zhifa.org.tokens import token_create
from zhifa.review.models import RequestState, ReviewOpinion, ReviewRequest
from zhifa.review.tests.helpers import WAIVED_ON, answer_all, catalog, ready_case, review_round, submit


def api_for(user: Any) -> Client:
    _, key = token_create(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_case_panel_offers_submission_and_the_form_submits(world, client) -> None:
    catalog(world)
    case = ready_case(world)
    client.force_login(world.officer_user)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "提交法制审核" in page and "法制审核目录" in page
    answer = client.post(
        f"/review/case/{case.pk}/submit/", {"draft_decision": "", "explanation": "说明"}, follow=True
    )
    assert "缺少：行政执法文书（决定书草稿）" in answer.content.decode()
    assert not ReviewRequest.objects.exists()
    client.post(
        f"/review/case/{case.pk}/submit/",
        {"draft_decision": "草稿", "explanation": "说明", "on": WAIVED_ON.isoformat()},
    )
    assert ReviewRequest.objects.get().case_id == case.pk


def test_reviewer_works_through_the_request_page(world, client) -> None:
    request = submit(world, ready_case(world))
    client.force_login(world.head)
    client.post(
        f"/review/requests/{request.pk}/assign/", {"reviewer": world.reviewer.pk, "on": WAIVED_ON.isoformat()}
    )
    client.force_login(world.reviewer)
    assert "我的待审" in client.get("/review/").content.decode()
    page = client.get(f"/review/requests/{request.pk}/").content.decode()
    assert "是否涉嫌犯罪需移送司法机关" in page and 'data-testid="findings-form"' in page
    form = {f"result_{p}": "ok" for p in ("subject", "qualification", "procedure", "facts", "law", "powers")}
    form |= {"result_documents": "problem", "note_documents": "", "result_crime": "ok"}
    answer = client.post(f"/review/requests/{request.pk}/findings/", form, follow=True).content.decode()
    assert "文书是否完备规范：存在问题的，请写明问题。" in answer
    form["note_documents"] = "决定书未载明救济途径"
    client.post(f"/review/requests/{request.pk}/findings/", form)
    client.post(
        f"/review/requests/{request.pk}/conclude/",
        {"agreed": "no", "opinion": "请补正决定书。", "on": WAIVED_ON.isoformat()},
    )
    request.refresh_from_db()
    assert request.state == RequestState.RETURNED
    opinion = ReviewOpinion.objects.get(request=request)
    pdf = client.get(f"/review/opinions/{opinion.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    public = Client().get(f"/review/opinions/{opinion.number}/verify/")
    assert public.status_code == 200 and "签章有效" in public.content.decode()


def test_other_agency_gets_404_on_pages(world, client) -> None:
    request = review_round(world, ready_case(world), agreed=True)
    client.force_login(world.outsider)
    assert client.get(f"/review/requests/{request.pk}/").status_code == 404
    opinion = request.opinions.get()
    assert client.get(f"/review/opinions/{opinion.pk}/pdf/").status_code == 404
    assert client.post(f"/review/requests/{request.pk}/conclude/", {"agreed": "yes"}).status_code == 404


def test_workload_report_and_catalog_pages_render(world, client) -> None:
    review_round(world, ready_case(world), agreed=True)
    client.force_login(world.head)
    assert "workload-row" in client.get("/review/workload/").content.decode()
    assert "report-row" in client.get("/review/report/").content.decode()
    answer = client.post(
        "/review/catalog/",
        {"agency": world.agency.pk, "effective_from": "2024-01-01", "fine_organisation_yuan": "abc"},
        follow=True,
    )
    assert "金额格式不正确" in answer.content.decode()
    client.post(
        "/review/catalog/", {"agency": world.agency.pk, "effective_from": "2024-01-01", "hearing": "on"}
    )
    assert "2024-01-01" in client.get("/review/catalog/").content.decode()


def test_api_walk_and_errors(world) -> None:
    catalog(world)
    case = ready_case(world)
    officer = api_for(world.officer_user)
    missing = officer.post(
        f"/api/review/cases/{case.pk}/submit",
        {"draft_decision": "", "explanation": "说明", "on": WAIVED_ON.isoformat()},
        content_type="application/json",
    )
    assert missing.status_code == 409 and missing.json()["code"] == "review_materials_missing"
    assert missing.json()["details"]["missing"] == ["行政执法文书（决定书草稿）"]
    body = officer.post(
        f"/api/review/cases/{case.pk}/submit",
        {"draft_decision": "草稿", "explanation": "说明", "on": WAIVED_ON.isoformat()},
        content_type="application/json",
    ).json()
    rid = body["id"]
    assert body["round_no"] == 1 and len(body["materials"]) == 5
    head = api_for(world.head)
    recused = head.post(
        f"/api/review/requests/{rid}/assign",
        {"reviewer_id": world.officer_user.pk, "on": WAIVED_ON.isoformat()},
        content_type="application/json",
    )
    assert recused.status_code == 422
    head.post(
        f"/api/review/requests/{rid}/assign",
        {"reviewer_id": world.reviewer.pk, "on": WAIVED_ON.isoformat()},
        content_type="application/json",
    )
    reviewer = api_for(world.reviewer)
    early = reviewer.post(
        f"/api/review/requests/{rid}/conclude", {"agreed": True}, content_type="application/json"
    )
    assert early.status_code == 409 and early.json()["code"] == "review_points_missing"
    answer_all(world, ReviewRequest.objects.get(pk=rid))
    done = reviewer.post(
        f"/api/review/requests/{rid}/conclude",
        {"agreed": True, "on": WAIVED_ON.isoformat()},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["state"] == "agreed"
    assert done.json()["opinions"][0]["number"] == "测县市监法审〔2025〕1号"
    assert reviewer.get("/api/review/requests?which=all").json()["items"][0]["id"] == rid
    assert api_for(world.outsider).get(f"/api/review/requests/{rid}").status_code == 404
    assert api_for(world.supervisor).get("/api/review/report").json()[0]["first_round_pass_rate"] == 1.0
    rounds = officer.get(f"/api/review/cases/{case.pk}/rounds").json()
    assert [r["state"] for r in rounds] == ["agreed"]
    bad = reviewer.post(
        f"/api/review/requests/{rid}/findings",
        {"point": "mood", "result": "ok"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    case.refresh_from_db()
    assert case.stage == Stage.LEGAL_REVIEW


def test_catalog_form_offers_every_agency_of_a_county_with_more_than_fifty(world, client) -> None:
    """A ``[:50]`` once cut the choices: the 51st agency (by name) of the head's county could not be chosen."""
    from zhifa.org.tests.factories import AgencyFactory, Role, grant

    many = [AgencyFactory(name=f"测县第{i:02d}局", region=world.county) for i in range(60)]
    last = many[-1]
    grant(world.head, Role.AGENCY_HEAD, region=world.county)
    client.force_login(world.head)
    page = client.get("/review/catalog/").content.decode()
    assert all(f'<option value="{a.pk}">' in page for a in [*many, world.agency])
    client.post("/review/catalog/", {"agency": last.pk, "effective_from": "2024-01-01", "hearing": "on"})
    assert last.major_catalogs.filter(hearing=True).exists()
