"""Evidence pages name the object they belong to as a person knows it — 案件 and its number, 案源 and its 案由 —
with a link to its page for whoever may open it; never ``案件 #17`` (issue 16)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from zhifa.cases.tests.helpers import attach, opened, register
from zhifa.evidence import services as evidence_services
from zhifa.records.labels import object_reference


def _page(user: Any, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _no_id(html: str) -> None:
    """No ``案件 #17`` in the visible text (scripts, styles and tags left out; the ledger's ``#5 证明`` links
    number entries of the record, not objects)."""
    text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", html, flags=re.S)
    assert not re.search(r"(案件|案源|检查|证据|对象) ?#\d", text)


def test_evidence_pages_show_the_case_number_linked_to_the_case(world: Any) -> None:
    case = opened(world)
    evidence = attach(world.officer_user, case, "investigation")
    link = f'<a href="/cases/{case.pk}/">案件 {case.number}</a>'

    for url in (f"/evidence/{evidence.pk}/", f"/evidence/for/cases.case/{case.pk}/"):
        html = _page(world.officer_user, url)
        assert link in html, url
        _no_id(html)
    record = _page(world.officer_user, f"/records/object/cases.case/{case.pk}/")
    assert f'执法全过程记录 <small class="text-body-secondary">案件 {case.number}</small>' in record


def test_the_access_history_names_the_file_and_its_case_not_their_ids(world: Any) -> None:
    case = opened(world)
    evidence = attach(world.officer_user, case, "investigation")
    evidence_services.evidence_access(world.officer_user, evidence.pk, "view")

    html = _page(world.supervisor, f"/evidence/access/evidence.evidence/{evidence.pk}/")

    assert f"证据「笔录.pdf」（案件 {case.number}）" in html
    _no_id(html)


def test_a_source_not_yet_opened_reads_as_its_cause_and_registration_day(world: Any) -> None:
    source = register(world)
    attach(world.officer_user, source, "initiation")

    html = _page(world.officer_user, f"/evidence/for/cases.case/{source.pk}/")

    assert f'<a href="/cases/{source.pk}/">案源「销售过期食品」（2025-03-03 登记）</a>' in html
    _no_id(html)


def test_no_link_for_a_user_who_may_not_open_the_case_and_no_id_for_a_missing_one(world: Any) -> None:
    case = opened(world)
    assert object_reference("cases.case", case.pk, world.officer_user).url == f"/cases/{case.pk}/"
    outsider = object_reference("cases.case", case.pk, world.outsider)
    assert outsider.text == f"案件 {case.number}" and outsider.url == ""
    assert object_reference("cases.case", case.pk).url == ""  # no user, no link
    assert object_reference("cases.case", 999999, world.officer_user).text == "执法案件（已不存在）"
    assert object_reference("evaluation-file", 3, world.supervisor).text == "对象"
