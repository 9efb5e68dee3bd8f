"""检查结果 → 案源: after a 立案 result the phone page links to the 案源登记 form filled from the
inspection (type, party, findings), where the officer picks the 执法事项; submitting registers the source."""

from __future__ import annotations

from html import unescape

from django.urls import reverse

from zhifa.cases.models import Case, SourceKind, Stage
from zhifa.core import clock
from zhifa.inspections.models import Outcome
from zhifa.inspections.tests.test_onsite import _act, as_user, visit

__all__ = ["visit"]


def test_a_case_result_links_to_a_filled_source_form_that_registers_the_source(visit) -> None:
    inspection, member = visit
    client = as_user(member)
    page_url = reverse("inspections:onsite", args=[inspection.pk])
    assert 'data-testid="inspection-case-source"' not in client.get(page_url).content.decode()
    assert _act(client, inspection, "check_in", place="示例路 1 号").status_code == 302
    assert (
        _act(client, inspection, "result", outcome=Outcome.CASE, findings="无证生产食品").status_code == 302
    )
    html = client.get(page_url).content.decode()
    assert 'data-testid="inspection-case-source"' in html
    link = unescape(html[html.index(reverse("cases:source_new")) :].split('"')[0])
    form = client.get(link).content.decode()
    assert 'value="inspection" selected' in form and "无证生产食品" in form
    assert 'name="catalog_item_code"' in form  # the 执法事项 picker
    party = inspection.party
    response = client.post(
        reverse("cases:source_new"),
        {
            "source_kind": "inspection",
            "received_on": clock.today().isoformat(),
            "title": "无证生产食品",
            "party_code": party.uscc or party.name,
            "summary": "现场检查：无证生产食品",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(title="无证生产食品")
    assert case.stage == Stage.SOURCE and case.source_kind == SourceKind.INSPECTION
    assert [link.party_id for link in case.party_links.all()] == [party.pk]


def test_an_over_long_result_is_refused_beside_the_field_in_chinese(visit) -> None:
    inspection, member = visit
    client = as_user(member)
    assert _act(client, inspection, "check_in", place="示例路 1 号").status_code == 302
    response = _act(client, inspection, "result", outcome=Outcome.PASS, findings="查" * 5001)
    assert response.status_code == 422
    assert "最多 5000 个字，现有 5001 个字" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.outcome == ""
