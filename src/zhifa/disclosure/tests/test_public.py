"""Public pages and API: list with filters, detail, withdrawn notice, 404/400 pages, Atom feed, 双公示 export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

from openpyxl import load_workbook

from zhifa.core import clock
from zhifa.disclosure import services
from zhifa.disclosure.selectors import PENALTY_FIELDS
from zhifa.disclosure.tests.helpers import publication_of, publish
from zhifa.testing.worlds import decide_simple


def test_list_and_detail_show_published_decisions_only(client, world, simple_decision) -> None:
    assert "销售过期食品" not in client.get("/public/decisions/").content.decode()  # still a draft
    p = publish(world, simple_decision)
    page = client.get("/public/decisions/").content.decode()
    assert "销售过期食品" in page and world.company.name in page
    detail = client.get(f"/public/decisions/{p.pk}/")
    assert detail.status_code == 200 and "销售过期食品" in detail.content.decode()


def test_list_filters_by_agency_domain_kind_date_and_text(client, world, simple_decision) -> None:
    publish(world, simple_decision)
    base = "/public/decisions/"
    assert (
        "销售过期食品" in client.get(base, {"agency": world.agency.pk, "domain": "market"}).content.decode()
    )
    assert "销售过期食品" not in client.get(base, {"agency": world.other_agency.pk}).content.decode()
    assert "销售过期食品" not in client.get(base, {"kind": "inspection"}).content.decode()
    assert "销售过期食品" not in client.get(base, {"from": "2025-04-01"}).content.decode()
    assert "销售过期食品" in client.get(base, {"q": "罚"}).content.decode()
    found = client.get(base, {"q": "过期食品", "to": "2025-03-31"}).content.decode()
    assert "销售<mark>过期食品</mark>" in found  # the title, with the terms marked


def test_natural_person_is_masked_on_every_public_form(client, world) -> None:
    citizen = world.citizen
    citizen.phone, citizen.address = "13912345678", "测县幸福路8号"
    citizen.save()
    case = decide_simple(
        world, party=citizen, facts=f"{citizen.name}（电话13912345678）在测县幸福路8号门前占道经营。"
    )
    p = publish(world, case)
    pages = [
        client.get("/public/decisions/").content.decode(),
        client.get(f"/public/decisions/{p.pk}/").content.decode(),
        client.get(f"/public/agencies/{world.agency.pk}/decisions.atom").content.decode(),
        client.get("/public/export/penalty.json").content.decode("utf-8"),
        client.get("/api/disclosure/public/decisions").content.decode(),
        client.get("/api/search/", {"q": "占道"}).content.decode(),
    ]
    for text in pages:
        for secret in (citizen.name, citizen.id_number, "13912345678", "幸福路"):
            assert secret not in text
    assert "赵*" in pages[1]


def test_withdrawn_decision_shows_the_notice_not_the_text(client, world, simple_decision) -> None:
    p = publish(world, simple_decision)
    services.publication_withdraw(actor=world.head, publication=p, kind="remade", reason="责令重新作出")
    page = client.get(f"/public/decisions/{p.pk}/").content.decode()
    assert "已撤回" in page and "责令重新作出" in page and "超过保质期" not in page
    api = client.get(f"/api/disclosure/public/decisions/{p.pk}").json()
    assert api["status"] == "withdrawn" and api["body"] == "" and api["withdraw_reason"] == "责令重新作出"
    assert "销售过期食品" not in client.get("/public/decisions/").content.decode()


def test_unknown_ids_and_drafts_answer_a_chinese_404_page(client, world, simple_decision) -> None:
    for url in (
        "/public/decisions/999999/",
        f"/public/decisions/{publication_of(simple_decision).pk}/",
        "/public/agencies/999999/decisions.atom",
        "/public/export/nothing.csv",
    ):
        response = client.get(url)
        text = response.content.decode()
        assert response.status_code == 404 and ("不存在" in text or "没有" in text), url
    assert client.get("/api/disclosure/public/decisions/999999").status_code == 404


def test_hostile_query_strings_answer_400_never_500(client, world) -> None:
    for params in (
        {"q": "罚" * 500},
        {"q": "a\x00"},
        {"from": "2025-99-99"},
        {"agency": "1 OR 1=1"},
        {"kind": "<script>"},
        {"q": "罚", "cursor": "zzz"},
    ):
        response = client.get("/public/decisions/", params)
        assert response.status_code == 400, params
        assert "<script>" not in response.content.decode()
    response = client.get("/public/decisions/", {"cursor": "zzz"})  # a forged keyset cursor (core.paging)
    assert response.status_code == 422


def test_agency_feed_is_atom_with_the_published_decisions(client, world, simple_decision) -> None:
    p = publish(world, simple_decision)
    response = client.get(f"/public/agencies/{world.agency.pk}/decisions.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert [e.find("a:title", ns).text for e in entries] == [p.title]


def test_export_has_the_credit_fields_in_three_formats_and_is_incremental(client, world) -> None:
    first = publish(world, decide_simple(world, on=dt.date(2025, 3, 3)))
    data = client.get("/public/export/penalty.json").json()
    assert data["fields"] == list(PENALTY_FIELDS)
    row = data["items"][0]
    assert row["行政相对人名称"] == world.company.name and row["行政相对人类别"] == "法人及非法人组织"
    assert row["处罚机关统一社会信用代码"] == world.agency.uscc and row["罚款金额（万元）"] == "0.015000"
    assert row["处罚决定日期"] == "2025-03-03" and row["行政处罚决定书文号"] == first.document_number
    later = clock.today() + dt.timedelta(days=1)
    assert client.get("/public/export/penalty.json", {"since": later.isoformat()}).json()["items"] == []
    text = b"".join(client.get("/public/export/penalty.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(PENALTY_FIELDS) and rows[0]["行政相对人名称"] == world.company.name
    book = load_workbook(io.BytesIO(client.get("/public/export/penalty.xlsx").content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == list(PENALTY_FIELDS) and sheet.max_row == 2
    assert client.get("/public/export/licensing.json").json()["items"] == []
    assert json.loads(client.get("/api/disclosure/public/export/penalty").content)["items"][0] == row
