"""The public side of decisions: 最新公开 lists decisions first, a decision shows its own 文号 and its legal basis,
search shows how many it found and marks the terms (escaped)."""

from __future__ import annotations

import datetime as dt
import re

from zhifa.cases import services as case_services
from zhifa.core import clock
from zhifa.disclosure.public_views import highlight
from zhifa.disclosure.tests.helpers import publication_of, publish
from zhifa.search.services import search_count
from zhifa.testing.worlds import decide_simple


def _detail(client, p) -> str:
    return client.get(f"/public/decisions/{p.pk}/").content.decode()


def test_home_latest_lists_decisions_before_newer_plans_and_devices(client, world, simple_decision) -> None:
    from zhifa.portal import services as portal_services

    p = publish(world, simple_decision)
    with clock.set_during(clock.now() + dt.timedelta(hours=2)):  # the device is published after it
        device = portal_services.device_register(
            world.head,
            agency=world.agency,
            kind="camera",
            location="测县人民路口",
            purpose="占道经营",
            in_use_from=dt.date(2026, 1, 1),
        )
        portal_services.device_approve(world.head, device)
        portal_services.device_publish(world.head, device)
    html = client.get("/public/").content.decode()
    latest = html.split('data-testid="latest"')[1]
    assert f"/public/decisions/{p.pk}/" in latest and "测县人民路口" in latest
    assert latest.index(f"/public/decisions/{p.pk}/") < latest.index("测县人民路口")
    assert "行政处罚决定" in latest


def test_decision_page_shows_the_decision_document_number_not_the_case_number(client, world) -> None:
    case = decide_simple(world)
    document = case_services.document_issue(actor=world.officer_user, case=case, doc_type="decision")
    p = publish(world, case)
    html = _detail(client, p)
    assert p.document_number == document.number and "罚" in document.number
    assert re.search(r"行政处罚决定书文号</dt><dd[^>]*>" + re.escape(document.number) + "<", html)
    assert case.number not in html  # the 立案 number is never shown as the 文号 (nor in the text)


def test_a_decision_without_an_issued_document_does_not_borrow_the_case_number(client, world) -> None:
    case = decide_simple(world)
    p = publish(world, case)
    html = _detail(client, p)
    assert p.document_number == "" and case.number not in html
    assert "决定书尚未编号" in html


def test_decision_page_shows_the_legal_basis(client, world) -> None:
    case = decide_simple(world)
    case.legal_basis = "违反《中华人民共和国食品安全法》第三十四条，依据第一百二十四条"
    case.save(update_fields=["legal_basis"])
    from zhifa.disclosure import services

    services.publication_refresh(actor=world.officer_user, publication=publication_of(case))
    html = _detail(client, publish(world, case))
    assert "违法依据及处罚依据" in html
    assert re.search(r'data-testid="legal-basis">违反《中华人民共和国食品安全法》第三十四条', html)


def test_search_shows_the_hit_count_and_marks_the_terms(client, world) -> None:
    publish(world, decide_simple(world))
    publish(world, decide_simple(world, title="无照经营", facts="当事人未取得营业执照从事经营活动。"))
    html = client.get("/public/search/", {"q": "过期食品"}).content.decode()
    assert re.search(r'data-testid="hit-count">检索“过期食品”：共找到 <strong>1</strong> 条', html)
    assert "<mark>过期食品</mark>" in html
    html = client.get("/public/search/", {"q": "经营"}).content.decode()
    assert "共找到 <strong>2</strong> 条" in html
    html = client.get("/public/decisions/").content.decode()
    assert 'data-testid="hit-count"' not in html and "<mark>" not in html  # no query: no count, no marks


def test_the_hit_count_stops_at_its_cap(world) -> None:
    publish(world, decide_simple(world))
    publish(world, decide_simple(world, title="过期食品二"))
    assert search_count("过期食品") == (2, False)
    assert search_count("过期食品", cap=1) == (1, True)
    assert search_count("没有这个词") == (0, False)


def test_highlight_escapes_the_text_and_the_query() -> None:
    marked = highlight('<b onclick="x">过期</b>食品 & FOOD', ["过期", "food", "<b"])
    assert marked == (
        "<mark>&lt;b</mark> onclick=&quot;x&quot;&gt;<mark>过期</mark>&lt;/b&gt;食品 &amp; <mark>FOOD</mark>"
    )
    assert highlight("过期食品", ["过期", "期食", "食品"]) == "<mark>过期食品</mark>"  # bigrams join up
    assert highlight("无关", ["过期"]) == "无关"


def test_a_query_with_markup_is_shown_escaped(client, world) -> None:
    publish(world, decide_simple(world))
    html = client.get("/public/search/", {"q": "<script>alert(1)</script>过期"}).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_a_decision_document_issued_after_publication_gives_the_public_page_its_number(client, world) -> None:
    from zhifa.records.models import LedgerEntry

    case = decide_simple(world)
    p = publish(world, case)
    assert "决定书尚未编号" in _detail(client, p)

    document = case_services.document_issue(actor=world.officer_user, case=case, doc_type="decision")

    p.refresh_from_db()
    assert p.document_number == document.number and f"决定书文号：{document.number}" in p.body
    html = _detail(client, p)
    assert document.number in html and "决定书尚未编号" not in html
    assert search_count(document.number)[0] == 1  # re-indexed
    entry = LedgerEntry.objects.filter(object_type="disclosure.publication", object_id=str(p.pk)).last()
    assert entry.action == "disclosure.renumber" and document.number in entry.changes


def test_a_draft_takes_the_number_when_the_document_is_issued_and_other_documents_change_nothing(
    world,
) -> None:
    case = decide_simple(world)
    draft = publication_of(case)
    before = draft.body
    case_services.document_issue(actor=world.officer_user, case=case, doc_type="service_receipt")
    draft.refresh_from_db()
    assert draft.document_number == "" and draft.body == before  # a 送达回证 is no decision document

    document = case_services.document_issue(actor=world.officer_user, case=case, doc_type="decision")
    draft.refresh_from_db()
    assert draft.document_number == document.number and draft.status == "draft"
