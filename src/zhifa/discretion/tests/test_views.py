"""The discretion pages: list, detail, template download, import page, report, the panel's htmx answers."""

from __future__ import annotations

import io

from django.test import Client

from zhifa.cases.tests.helpers import CaseWorld
from zhifa.discretion.models import CaseFacts, Deviation
from zhifa.discretion.tests.helpers import benchmark, investigated


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_detail_and_template_for_staff(world: CaseWorld) -> None:
    b = benchmark(world)
    client = _client(world.officer_user)
    assert "T-SCJG-001" in client.get("/discretion/").content.decode()
    assert "中华人民共和国测试法" in client.get(f"/discretion/{b.pk}/").content.decode()
    r = client.get("/discretion/template.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert _client(world.outsider).get(f"/discretion/{b.pk}/").status_code == 404


def test_import_page_only_for_managers_and_bad_file_is_refused(world: CaseWorld) -> None:
    assert _client(world.officer_user).get("/discretion/import/").status_code == 403
    client = _client(world.head)
    r = client.post("/discretion/import/", {"agency_id": world.agency.pk, "file": io.BytesIO(b"not xlsx")})
    assert r.status_code == 200 and "无法读取 Excel 文件" in r.content.decode()


def test_report_page_for_supervisor_not_officer(world: CaseWorld) -> None:
    assert _client(world.supervisor).get("/discretion/report/?year=2025").status_code == 200
    assert _client(world.officer_user).get("/discretion/report/").status_code == 403


def test_facts_form_through_htmx_answers_the_panel(world: CaseWorld) -> None:
    benchmark(world)
    case = investigated(world, gains=None)
    client = _client(world.officer_user)
    r = client.post(
        f"/discretion/case/{case.pk}/facts/",
        {"illegal_gains_yuan": "20000", "harm_level": "general", "circumstances": ["obstructed"]},
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert r.status_code == 200 and "推荐：“严重”档" in body and "从重处罚" in body
    assert CaseFacts.objects.get(case=case).illegal_gains_yuan == 20000


def test_facts_refusal_shows_beside_the_field(world: CaseWorld) -> None:
    case = investigated(world, gains=None)
    r = _client(world.officer_user).post(
        f"/discretion/case/{case.pk}/facts/",
        {"harm_level": "none", "circumstances": ["cooperative"], "mitigation_applied": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert "第三十条、第三十二条规定的情节" in r.content.decode()
    assert not CaseFacts.objects.filter(case=case).exists()


def test_deviation_without_javascript_redirects_to_the_case(world: CaseWorld) -> None:
    case = investigated(world)
    r = _client(world.officer_user).post(
        f"/discretion/case/{case.pk}/deviation/", {"reason": "当事人经营困难，已全额退赔消费者。"}
    )
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    assert Deviation.objects.filter(case=case).exists()


def test_outsider_posting_to_a_case_gets_404(world: CaseWorld) -> None:
    case = investigated(world)
    r = _client(world.outsider).post(f"/discretion/case/{case.pk}/deviation/", {"reason": "x" * 20})
    assert r.status_code == 404
    assert not Deviation.objects.exists()


def test_case_page_shows_the_panel(world: CaseWorld) -> None:
    benchmark(world)
    case = investigated(world)
    body = _client(world.officer_user).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="discretion-panel"' in body and "推荐：“一般”档" in body
