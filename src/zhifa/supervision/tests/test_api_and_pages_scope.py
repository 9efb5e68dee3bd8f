"""Scope of every supervision and complaint page and API: a supervisor outside the region gets 404 on reads
and 403 (or 404 for an object it cannot see) on writes; the county supervisor and the agency get theirs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from zhifa.complaints import services as cs
from zhifa.org.tokens import token_create
from zhifa.supervision import services as s
from zhifa.supervision.models import Flag, FlagState, Instrument, Problem
from zhifa.testing.worlds import SupWorld


@pytest.fixture(autouse=True)
def signing_key(settings: Any) -> None:
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = ""


@pytest.fixture
def objects(sup: SupWorld) -> dict[str, Any]:
    problem = s.problem_open(
        actor=sup.county_sup,
        agency=sup.w.agency,
        source_kind="other",
        source_ref="",
        title="台账问题",
        description="",
    )
    ins = s.instrument_issue(
        actor=sup.county_sup,
        agency=sup.w.agency,
        kind="letter",
        title="督办",
        findings="问题",
        requirements="要求",
        deadline=s.today() + dt.timedelta(days=10),
    )
    from django.db import transaction

    from zhifa.core import flags

    with transaction.atomic():
        s.flag_receive(
            flags.FlagCandidate(
                kind="case_past_limit", key="case:test", agency_id=sup.w.agency.pk, title="测试预警"
            )
        )
    flag = Flag.objects.get(key="case:test")
    complaint = cs.complaint_submit_public(region_code=sup.w.county.code, subject="x", content="y")
    return {"problem": problem, "instrument": ins, "flag": flag, "complaint": complaint}


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages_outside_region_are_404_and_inside_200(sup: SupWorld, objects: dict[str, Any]) -> None:
    p, i, c = objects["problem"], objects["instrument"], objects["complaint"]
    reads = [
        f"/supervision/problems/{p.pk}/",
        f"/supervision/instruments/{i.pk}/",
        f"/supervision/instruments/{i.pk}/pdf/",
        f"/complaints/{c.pk}/",
    ]
    foreign, county = _client(sup.foreign_sup), _client(sup.county_sup)
    for url in reads:
        assert foreign.get(url).status_code == 404, url
        assert county.get(url).status_code == 200, url
    for url in ["/supervision/", "/supervision/problems/", "/supervision/instruments/", "/complaints/"]:
        page = foreign.get(url)
        assert (
            page.status_code == 200
            and "台账问题" not in page.content.decode()
            and "测试预警" not in page.content.decode()
        )
    assert "测试预警" in county.get("/supervision/").content.decode()
    assert "台账问题" in county.get("/supervision/problems/").content.decode()
    # the other agency of the county sees nothing of this agency
    assert _client(sup.w.outsider).get(f"/supervision/problems/{p.pk}/").status_code == 404


def test_page_writes_outside_region_change_nothing(sup: SupWorld, objects: dict[str, Any]) -> None:
    foreign = _client(sup.foreign_sup)
    f, p = objects["flag"], objects["problem"]
    assert foreign.post(f"/supervision/flags/{f.pk}/dismiss/", {"text": "x"}).status_code == 404
    assert foreign.post(f"/supervision/problems/{p.pk}/close/").status_code == 404
    assert (
        foreign.post(
            "/supervision/problems/new/", {"agency": sup.w.agency.pk, "source_kind": "other", "title": "越权"}
        ).status_code
        == 200
    )
    assert not Problem.objects.filter(title="越权").exists()
    assert Flag.objects.get(pk=f.pk).state == FlagState.NEW
    # the agency may not supervise itself
    assert _client(sup.w.head).get("/supervision/problems/new/").status_code == 403


def test_queue_actions_via_htmx(sup: SupWorld, objects: dict[str, Any]) -> None:
    f = objects["flag"]
    county = _client(sup.county_sup)
    refused = county.post(f"/supervision/flags/{f.pk}/dismiss/", {"text": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and "请填写排除理由" in refused.content.decode()
    done = county.post(
        f"/supervision/flags/{f.pk}/convert/", {"category": "irregular"}, HTTP_HX_REQUEST="true"
    )
    assert done.status_code == 200 and "已转问题" in done.content.decode()
    assert Flag.objects.get(pk=f.pk).problem is not None


def test_api_scope_reads_404_and_writes_403(sup: SupWorld, objects: dict[str, Any]) -> None:
    p, i, f, c = objects["problem"], objects["instrument"], objects["flag"], objects["complaint"]
    foreign = _client(sup.foreign_sup)
    for url in [
        f"/api/supervision/problems/{p.pk}",
        f"/api/supervision/instruments/{i.pk}",
        f"/api/supervision/flags/{f.pk}",
        f"/api/complaints/{c.pk}",
    ]:
        assert foreign.get(url).status_code == 404, url
        assert _client(sup.county_sup).get(url).status_code == 200, url
    body = {"agency_id": sup.w.agency.pk, "source_kind": "other", "title": "x"}
    # the agency is not in the foreign supervisor's scope: refused, nothing written
    assert foreign.post("/api/supervision/problems", body, content_type="application/json").status_code in (
        403,
        422,
    )
    assert (
        _client(sup.w.head)
        .post("/api/supervision/problems", body, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        foreign.post(
            f"/api/supervision/problems/{p.pk}/act", {"action": "close"}, content_type="application/json"
        ).status_code
        == 404
    )
    closed = _client(sup.county_sup).post(
        f"/api/supervision/problems/{p.pk}/act", {"action": "close"}, content_type="application/json"
    )
    assert closed.status_code == 409 and closed.json()["code"] == "problem_not_verified"
    assert Problem.objects.count() == 1


def test_api_instrument_without_deadline_is_422(sup: SupWorld) -> None:
    r = _client(sup.county_sup).post(
        "/api/supervision/instruments",
        {"agency_id": sup.w.agency.pk, "kind": "opinion", "title": "t", "findings": "f", "requirements": "r"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["code"] == "deadline_required"
    assert not Instrument.objects.exists()


def test_work_orders_by_token_and_public_api(sup: SupWorld) -> None:
    _token, key = token_create(sup.county_sup, "12345 接口")
    row = {
        "work_order_no": "API-1",
        "received_on": "2026-11-02",
        "region_code": sup.w.county.code,
        "subject": "投诉",
        "content": "内容",
        "agency_uscc": sup.w.agency.uscc,
    }
    anonymous = Client()
    assert (
        anonymous.post(
            "/api/complaints/work-orders", {"rows": [row]}, content_type="application/json"
        ).status_code
        == 401
    )
    bad = anonymous.post(
        "/api/complaints/work-orders",
        {"rows": [row, {**row, "region_code": "999999"}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert bad.status_code == 422 and bad.json()["details"][0]["row"] == 2
    ok = anonymous.post(
        "/api/complaints/work-orders",
        {"rows": [row]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert ok.status_code == 201 and ok.json()["rows"] == 1
    public = anonymous.post(
        "/api/complaints/public",
        {"region_code": sup.w.county.code, "subject": "s", "content": "c"},
        content_type="application/json",
    )
    assert public.status_code == 201
    code = public.json()["tracking_code"]
    assert anonymous.get(f"/api/complaints/track/{code}").json()["state"] == "received"
