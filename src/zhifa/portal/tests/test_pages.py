"""Every public page answers anonymously; bad input is a Chinese 400/404 page, never a 500."""

from __future__ import annotations

import pytest

from zhifa.core import clock
from zhifa.testing.registries import feed_source

PAGES = [
    "/public/",
    "/public/agencies/",
    "/public/catalog/",
    "/public/guides/",
    "/public/officers/",
    "/public/plans/",
    "/public/flows/",
    "/public/devices/",
    "/public/remedy/",
    "/public/verify/",
]


@pytest.mark.parametrize("url", PAGES)
def test_public_page_answers_anonymously(world, published_device, client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert "行政执法信息公示平台" in response.content.decode()


def test_agency_page_and_feed_show_its_published_device(world, published_device, client):
    page = client.get(f"/public/agencies/{world.agency.pk}/")
    assert page.status_code == 200 and "测县人民路与解放路交叉口" in page.content.decode()
    feed = client.get(f"/public/agencies/{world.agency.pk}/feed/")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "测县人民路与解放路交叉口" in feed.content.decode()
    other = client.get(f"/public/agencies/{world.other_agency.pk}/feed/").content.decode()
    assert "测县人民路与解放路交叉口" not in other


def test_feed_source_registry_adds_items_to_home_and_feed(world, client):
    import datetime as dt

    from zhifa.portal import feeds

    def source(agency_id, limit):
        if agency_id not in (None, world.agency.pk):
            return []
        return [
            feeds.FeedItem(
                "某某决定书",
                "/public/x/",
                clock.now() - dt.timedelta(hours=1),
                world.agency.pk,
                "行政处罚决定",
            )
        ]

    with feed_source("test.decisions", source):
        assert "某某决定书" in client.get("/public/").content.decode()
        assert "某某决定书" in client.get(f"/public/agencies/{world.agency.pk}/feed/").content.decode()


def test_broken_feed_source_does_not_break_home(world, client):

    def broken(agency_id, limit):
        raise RuntimeError("boom")

    with feed_source("test.broken", broken):
        assert client.get("/public/").status_code == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/public/agencies/999999/", 404),
        ("/public/agencies/999999/feed/", 404),
        ("/public/agencies/99999999999999999999999/", 404),
        ("/public/catalog/?agency=abc", 400),
        ("/public/catalog/?agency=-1", 400),
        ("/public/catalog/?kind=nonsense", 400),
        ("/public/officers/?agency=1e9", 400),
        ("/public/devices/?agency=" + "9" * 300, 400),
        ("/public/officers/?number=" + "A" * 300, 400),
        ("/public/plans/?q=" + "x" * 3000, 400),
        ("/public/verify/?kind=document&code=%3Cscript%3E", 400),
        ("/public/verify/?kind=inspection&code=%27%20OR%201%3D1", 400),
        ("/public/verify/?kind=draw&code=abc", 400),
        ("/public/verify/?kind=unknown&code=123", 400),
        ("/public/verify/?kind=certificate&code=", 400),
        ("/public/?q=%00", 400),
    ],
)
def test_bad_input_is_a_chinese_page(world, client, url, status):
    response = client.get(url)
    assert response.status_code == status, url
    body = response.content.decode()
    assert "Traceback" not in body
    assert 'role="alert"' in body and "行政执法信息公示平台" in body


def test_certificate_check_valid_invalid_unknown_and_malformed(world, client):
    from zhifa.org.models import CertificateStatus

    cert = world.officers[0].certificates.first()
    html = client.get("/public/officers/", {"number": cert.number.lower()}).content.decode()
    assert "证件有效" in html and world.officers[0].name in html and world.officers[0].id_number not in html
    cert.status = CertificateStatus.SUSPENDED
    cert.save(update_fields=["status"])
    html = client.get("/public/officers/", {"number": cert.number}).content.decode()
    assert "证件无效（暂扣）" in html
    assert client.get("/public/officers/", {"number": "ZZ00000000"}).status_code == 404
    assert client.get("/public/officers/", {"number": "<b>"}).status_code == 400


def test_officer_list_shows_only_valid_certificates(world, client):
    from zhifa.org.models import CertificateStatus

    suspended = world.officers[1].certificates.first()
    suspended.status = CertificateStatus.SUSPENDED
    suspended.save(update_fields=["status"])
    html = client.get("/public/officers/").content.decode()
    assert world.officers[0].certificates.first().number in html
    assert suspended.number not in html


def test_verify_hub_redirects_to_each_verifier(world, client):
    cert = world.officers[0].certificates.first()
    r = client.get("/public/verify/", {"kind": "certificate", "code": cert.number})
    assert r.status_code == 302 and r["Location"].startswith("/public/officers/?number=")
    r = client.get("/public/verify/", {"kind": "document", "code": "测县市监罚〔2026〕1号"})
    assert r.status_code == 302 and r["Location"].startswith("/verify/document/")
    assert client.get(r["Location"]).status_code == 404  # no such document: the cases verifier's 404
    r = client.get("/public/verify/", {"kind": "inspection", "code": "abcdefgh.ijkl"})
    assert r.status_code == 302 and r["Location"].startswith("/inspections/code/?code=")
    r = client.get("/public/verify/", {"kind": "draw", "code": "12"})
    assert r.status_code == 302 and r["Location"] == "/public/draws/12/"


def test_flow_chart_is_generated_from_the_case_state_machine(world, client):
    from zhifa.cases.guards import TRANSITIONS

    html = client.get("/public/flows/").content.decode()
    assert "<svg" in html
    for transition in TRANSITIONS.values():
        assert transition.label in html, transition.code


def test_remedy_page_states_review_and_litigation_periods(world, client):
    html = client.get("/public/remedy/").content.decode()
    assert "60 日内" in html and "行政复议法》第二十条" in html
    assert "6 个月内" in html and "行政诉讼法》第四十五条、第四十六条" in html


def test_only_published_plans_are_public(world, client):
    from zhifa.inspections.models import InspectionPlan, PlanStatus

    draft = InspectionPlan.objects.create(
        agency=world.agency, year=2026, title="草拟中的计划", created_by=world.head, status=PlanStatus.DRAFT
    )
    assert "草拟中的计划" not in client.get("/public/plans/").content.decode()
    draft.status = PlanStatus.PUBLISHED
    draft.save(update_fields=["status"])  # a save: the cached public page follows it (zhifa.core.pagecache)
    assert "草拟中的计划" in client.get("/public/plans/").content.decode()
    assert client.get("/api/portal/plans").json()["items"][0]["title"] == "草拟中的计划"


def test_staff_menu_has_the_portal_entry(world, client):
    client.force_login(world.reviewer)
    assert 'href="/public/"' in client.get("/workbench/").content.decode()
