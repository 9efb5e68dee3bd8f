"""服务指南: statutory defaults for every kind with cited time limits; edits by the agency's own staff only, each a
new version on the ledger; public pages and API anonymous; the flow chart draws every step."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from zhifa.catalog import services as catalog_services
from zhifa.catalog.models import CatalogItem
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.guides import selectors, services, statutes
from zhifa.guides.models import GuideKind, ServiceGuide
from zhifa.records.labels import action_label
from zhifa.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def _fields(agency, kind, **kw):
    data = selectors.default_fields(agency, kind)
    data.update(kw)
    return data


# --- defaults ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", GuideKind.values)
def test_every_agency_has_a_default_guide_for_every_kind_with_cited_time_limits(world, kind):
    g = selectors.guide_view(world.agency, kind)
    assert g.version == 0 and g.is_default and g.updated_on is None
    assert g.conditions and g.fees and g.office == world.agency.name
    assert g.phone == world.agency.phone
    assert g.statute.time_limits, "a guide names its statutory time limits"
    for limit in g.statute.time_limits:
        assert ("第" in limit.basis and "条" in limit.basis) or "国办发" in limit.basis, limit
    assert [r.basis for r in g.remedies] == [
        "《中华人民共和国行政复议法》第二十条",
        "《中华人民共和国行政诉讼法》第四十六条",
        "《中华人民共和国行政诉讼法》第四十五条",
    ]
    assert len(g.statute.steps) >= 5


def test_the_statutory_time_limits_are_the_laws_numbers():
    def limits_of(kind):
        return {c.basis: c.text for c in statutes.statute(kind).time_limits}

    # 行政处罚法 第六十条: 90 days from opening
    assert "90 日" in limits_of(GuideKind.PENALTY_GENERAL)["《中华人民共和国行政处罚法》第六十条"]
    # 行政许可法 第四十二条: 20 days, extendable by 10
    licensing = limits_of(GuideKind.LICENSING)["《中华人民共和国行政许可法》第四十二条第一款"]
    assert "20 日" in licensing and "延长 10 日" in licensing
    # 行政强制法 第二十五条: seizure 30 days, extension at most 30
    assert "30 日" in limits_of(GuideKind.COMPULSION_MEASURE)["《中华人民共和国行政强制法》第二十五条"]
    # 行政许可法 第五十八条: licensing is free
    fees = statutes.statute(GuideKind.LICENSING).fees
    assert fees.basis == "《中华人民共和国行政许可法》第五十八条" and fees.text.startswith("不收费")
    # simple procedure caps from 行政处罚法 第五十一条
    assert "200 元以下" in statutes.statute(GuideKind.PENALTY_SIMPLE).conditions
    assert "3000 元以下" in statutes.statute(GuideKind.PENALTY_SIMPLE).conditions


# --- editing --------------------------------------------------------------------------------------------------


def test_agency_head_saves_a_new_version_and_the_ledger_records_it(world):
    before = LedgerEntry.objects.count()
    g1 = services.guide_save(
        world.head, world.agency, GuideKind.LICENSING, note="首次填写", **_fields(world.agency, "licensing")
    )
    g2 = services.guide_save(
        world.reviewer,
        world.agency,
        GuideKind.LICENSING,
        **_fields(world.agency, "licensing", promised_time="受理后 10 个工作日内办结。"),
    )
    assert (g1.version, g2.version) == (1, 2)
    assert ServiceGuide.objects.filter(agency=world.agency, kind="licensing").count() == 2
    entries = list(LedgerEntry.objects.filter(action="guides.guide_save").order_by("seq"))
    assert LedgerEntry.objects.count() == before + 2
    assert [(e.object_type, e.object_id) for e in entries] == [
        ("guides.serviceguide", str(g1.pk)),
        ("guides.serviceguide", str(g2.pk)),
    ]
    changes = json.loads(entries[1].changes)
    assert changes["version"] == 2 and changes["promised_time"] == "受理后 10 个工作日内办结。"
    assert "conditions" not in changes  # only what changed
    assert action_label("guides.guide_save") == "保存服务指南新版本"
    view = selectors.guide_view(world.agency, GuideKind.LICENSING)
    assert view.version == 2 and view.promised_time == "受理后 10 个工作日内办结。"
    assert view.updated_on is not None


def test_another_agencys_staff_cannot_edit_the_guide(world):
    # world.outsider heads the housing agency of the same county
    with pytest.raises(PermissionDenied):
        services.guide_save(world.outsider, world.agency, "inspection", **_fields(world.agency, "inspection"))
    assert not ServiceGuide.objects.exists()
    assert not LedgerEntry.objects.filter(action="guides.guide_save").exists()


@pytest.mark.parametrize("who", ["officer_user", "supervisor"])
def test_officers_and_supervisors_read_but_do_not_edit(world, who):
    with pytest.raises(PermissionDenied):
        services.guide_save(
            getattr(world, who), world.agency, "inspection", **_fields(world.agency, "inspection")
        )


def test_a_save_that_changes_nothing_is_refused(world):
    data = _fields(world.agency, "penalty_simple")
    services.guide_save(world.head, world.agency, "penalty_simple", **data)
    with pytest.raises(RuleViolation) as exc:
        services.guide_save(world.head, world.agency, "penalty_simple", **data)
    assert exc.value.code == "guide_unchanged"
    assert ServiceGuide.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"conditions": "  "}, "required"),
        ({"office": ""}, "required"),
        ({"phone": "1" * 31}, "too_long"),
        ({"materials": "长" * 4001}, "too_long"),
        ({"hours": "上午\n下午"}, "single_line"),
        ({"phone": "13912345678"}, "personal_number"),
        ({"materials": "联系人手机13912345678"}, "personal_number"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_writes_nothing(world, change, code):
    """Required fields, lengths, one-line fields, and no personal mobile or identity number in public text."""
    with pytest.raises(InvalidInput) as exc:
        services.guide_save(
            world.head, world.agency, "inspection", **_fields(world.agency, "inspection", **change)
        )
    assert exc.value.code == code and "“" in exc.value.message
    assert not ServiceGuide.objects.exists()


def test_unknown_kind_is_refused(world):
    with pytest.raises(InvalidInput):
        services.guide_save(world.head, world.agency, "levy", **_fields(world.agency, "inspection"))


# --- staff pages ------------------------------------------------------------------------------------------------


def test_head_edits_a_guide_on_the_staff_page(world, client):
    client.force_login(world.head)
    url = f"/guides/{world.agency.pk}/licensing/"
    page = client.get(url)
    assert page.status_code == 200 and "保存为新版本" in page.content.decode()
    data = _fields(world.agency, "licensing", hours="工作日 9:00—17:00", note="调整办公时间")
    response = client.post(url, data)
    assert response.status_code == 302
    assert selectors.guide_view(world.agency, "licensing").hours == "工作日 9:00—17:00"
    listing = client.get("/guides/").content.decode()
    assert "第 1 版" in listing


def test_staff_page_shows_the_error_beside_the_field(world, client):
    client.force_login(world.head)
    data = _fields(world.agency, "licensing", office="")
    response = client.post(f"/guides/{world.agency.pk}/licensing/", data)
    assert response.status_code == 422
    assert "请填写“办理机构”。" in response.content.decode()
    assert not ServiceGuide.objects.exists()


def test_staff_page_of_another_agency(world, client):
    client.force_login(world.outsider)
    # the housing head's scope is the housing agency: the market agency's guide is not found
    assert client.get(f"/guides/{world.agency.pk}/licensing/").status_code == 404
    response = client.post(f"/guides/{world.agency.pk}/licensing/", _fields(world.agency, "licensing"))
    assert response.status_code == 404
    assert not ServiceGuide.objects.exists()


def test_officer_sees_the_guide_read_only_and_cannot_post(world, client):
    client.force_login(world.officer_user)
    page = client.get(f"/guides/{world.agency.pk}/inspection/").content.decode()
    assert "保存为新版本" not in page and "法制机构" in page
    response = client.post(f"/guides/{world.agency.pk}/inspection/", _fields(world.agency, "inspection"))
    assert response.status_code == 403
    assert not ServiceGuide.objects.exists()


# --- public pages and API -------------------------------------------------------------------------------------


def test_anonymous_index_lists_every_agency_with_every_kind(world, client):
    page = client.get("/public/guides/")
    assert page.status_code == 200
    html = page.content.decode()
    for kind, label in selectors.guide_kinds():
        assert f"/public/guides/{world.agency.pk}/{kind}/" in html
        assert label in html
    assert client.get(f"/public/guides/?agency={world.agency.pk}").status_code == 200
    assert client.get("/public/guides/?agency=abc").status_code == 400
    assert client.get("/public/guides/?agency=999999").status_code == 404


def test_anonymous_guide_page_shows_every_part_and_the_flow_chart(sup, client):
    world = sup.w
    services.guide_save(
        world.head,
        world.agency,
        "licensing",
        **_fields(world.agency, "licensing", promised_time="承诺 5 个工作日办结。"),
    )
    response = client.get(f"/public/guides/{world.agency.pk}/licensing/")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "适用条件",
        "所需材料",
        "办理时限",
        "收费",
        "办理机构",
        "办公时间",
        "咨询电话",
        "监督投诉渠道",
        "救济途径",
    ):
        assert heading in html, heading
    assert "承诺 5 个工作日办结。" in html and "第 1 版" in html
    assert "《中华人民共和国行政许可法》第四十二条第一款" in html
    assert "《中华人民共和国行政许可法》第五十八条" in html
    assert "测县司法局" in html  # the supervision organ of the agency's county
    # the flow chart: an SVG box per step, in order, and the text list with the articles
    steps = statutes.statute("licensing").steps
    assert html.count('class="flow-step') == len(steps)
    positions = [html.index(f"{i}. {s.title}") for i, s in enumerate(steps, start=1)]
    assert positions == sorted(positions)
    assert html.count("stroke-dasharray") == sum(s.optional for s in steps)
    assert "@media print" not in html and "guides/guides.css" in html


def test_public_guide_links_the_catalog_items_it_covers_once_confirmed(world, sup, client):
    def add(code, kind, name):
        return CatalogItem.objects.create(
            agency=world.agency,
            code=code,
            name=name,
            kind=kind,
            domain=world.market,
            law_name="《中华人民共和国食品安全法》",
            article="第三十五条",
            article_text="……",
            effective_from=dt.date(2020, 1, 1),
        )

    item = add("XK-001", "licensing", "食品经营许可")
    other = add("CF-001", "penalty", "无证经营的处罚")
    url = f"/public/guides/{world.agency.pk}/licensing/"
    assert item.name not in client.get(url).content.decode()  # not public until the bureau confirms it
    day = dt.date(2025, 3, 1)
    request = catalog_services.confirmation_request(
        actor=world.head, agency=world.agency, year=2025, kind="catalog", on=day
    )
    catalog_services.confirmation_confirm(
        actor=sup.county_sup, confirmation=request, remarks="予以确认", on=day
    )
    html = client.get(url).content.decode()
    assert item.name in html and other.name not in html
    assert f"/public/catalog/?agency={world.agency.pk}&amp;kind=licensing" in html


def test_unknown_agency_or_kind_is_a_404_page(world, client):
    assert client.get(f"/public/guides/{world.agency.pk}/levy/").status_code == 404
    assert client.get("/public/guides/999999/licensing/").status_code == 404


def test_public_api_lists_and_shows_guides_anonymously(sup, client):
    world = sup.w
    listing = client.get(f"/api/portal/guides?agency_id={world.agency.pk}")
    assert listing.status_code == 200
    body = listing.json()
    assert [g["kind"] for g in body["items"][0]["guides"]] == GuideKind.values
    assert body["items"][0]["guides"][0]["version"] == 0
    detail = client.get(f"/api/portal/guides/{world.agency.pk}/penalty_general")
    assert detail.status_code == 200
    g = detail.json()
    assert g["version"] == 0 and g["office"] == world.agency.name
    assert {"text", "basis"} <= set(g["statutory_time_limits"][0])
    assert any(t["basis"] == "《中华人民共和国行政处罚法》第六十条" for t in g["statutory_time_limits"])
    assert g["steps"][0]["number"] == 1 and g["remedies"][0]["basis"].endswith("第二十条")
    assert g["supervision_organs"][0]["name"] == "测县司法局"
    assert g["page_url"] == f"/public/guides/{world.agency.pk}/penalty_general/"
    missing = client.get(f"/api/portal/guides/{world.agency.pk}/levy")
    assert missing.status_code == 404 and missing.json()["code"] == "guide_kind_not_found"
    assert client.get("/api/portal/guides/999999/licensing").status_code == 404


def test_supervision_organs_have_no_guides(sup, client):
    assert client.get(f"/public/guides/{sup.justice.pk}/licensing/").status_code == 404
    assert sup.justice.pk not in [a.pk for a in selectors.public_agencies()]


def test_flow_chart_draws_one_box_per_step_and_an_arrow_between(world):
    law = statutes.statute("penalty_general")
    chart = selectors.flow_chart(law)
    assert [b["title"] for b in chart["boxes"]] == [s.title for s in law.steps]
    assert len(chart["arrows"]) == len(law.steps) - 1
    assert all(a["y2"] > a["y1"] for a in chart["arrows"])
    assert chart["height"] >= chart["boxes"][-1]["y"] + chart["boxes"][-1]["h"]
