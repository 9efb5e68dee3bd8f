"""The 执法事项 picker of the case forms (issue 16): 案源, 立案 and 当场处罚 offer the agency's published 行政处罚
items, a case names one through the page (no API), a refused choice is shown beside the field, and the htmx
search shows the chosen item's legal basis, four-list entries and discretion tiers, scoped to the agency."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases.models import Case, Procedure, Stage
from zhifa.cases.tests.helpers import register, reload
from zhifa.catalog.tests.helpers import add_entry
from zhifa.core import clock

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _source_post(**extra: str) -> dict[str, str]:
    return {
        "source_kind": "complaint",
        "received_on": clock.today().isoformat(),
        "title": "销售过期食品",
        "party_code": "测县示例有限公司",
        **extra,
    }


def test_source_form_offers_the_agencys_penalty_items_and_stores_the_chosen_one(world, catalog) -> None:
    client = _client(world.officer_user)
    html = client.get(reverse("cases:source_new")).content.decode()
    assert '<option value="T-CF-001">' in html and '<option value="T-CF-002">' in html
    assert 'value="T-JC-001"' not in html  # an inspection item is no case's item
    assert reverse("catalog:item_picker") in html  # the htmx search
    response = client.post(reverse("cases:source_new"), _source_post(catalog_item_code="T-CF-002"))
    assert response.status_code == 302
    assert Case.objects.get(title="销售过期食品").catalog_item_code == "T-CF-002"


def test_source_form_refuses_an_unknown_item_beside_the_field(world, catalog) -> None:
    response = _client(world.officer_user).post(
        reverse("cases:source_new"), _source_post(catalog_item_code="NO-SUCH")
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Case.objects.filter(title="销售过期食品").exists()
    error = html[html.index('id="id_catalog_item_code_error"') :][:300]
    assert "执法事项编码“NO-SUCH”不在本机关" in error


def test_open_form_names_the_item_and_opens_a_registered_source(world, catalog) -> None:
    case = register(world, party=world.company, on=clock.today())
    client = _client(world.officer_user)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'name="open-catalog_item_code"' in page and '<option value="T-CF-001">' in page
    post = {
        "open-on": clock.today().isoformat(),
        "open-act_date": (clock.today() - dt.timedelta(days=2)).isoformat(),
        "open-officers": [o.pk for o in world.officers[:2]],
        "open-approved_by": world.head.pk,
    }
    refused = client.post(reverse("cases:act", args=[case.pk, "open"]), post)
    html = refused.content.decode()
    assert refused.status_code == 422 and reload(case).stage == Stage.SOURCE
    error = html[html.index('id="id_open-catalog_item_code_error"') :][:300]
    assert "须填写对应的行政处罚事项编码" in error
    opened = client.post(
        reverse("cases:act", args=[case.pk, "open"]), {**post, "open-catalog_item_code": "T-CF-001"}
    )
    assert opened.status_code == 302
    case = reload(case)
    assert case.stage == Stage.OPENED and case.catalog_item_code == "T-CF-001"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="case-item">T-CF-001 对经营超过保质期的食品的行政处罚<' in page


def test_open_form_keeps_the_item_named_on_the_source(world, catalog) -> None:
    case = register(world, party=world.company, on=clock.today())
    Case.objects.filter(pk=case.pk).update(catalog_item_code="T-CF-002")
    client = _client(world.officer_user)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'name="open-catalog_item_code" value="T-CF-002"' in page
    response = client.post(
        reverse("cases:act", args=[case.pk, "open"]),
        {
            "open-on": clock.today().isoformat(),
            "open-act_date": clock.today().isoformat(),
            "open-officers": [o.pk for o in world.officers[:2]],
            "open-approved_by": world.head.pk,
        },
    )
    assert response.status_code == 302 and reload(case).catalog_item_code == "T-CF-002"


def test_simple_decision_of_150_yuan_for_a_citizen_goes_through_with_an_item(world, catalog) -> None:
    client = _client(world.officer_user)
    post = {
        "party_code": world.citizen.name,
        "partner": world.officers[1].pk,
        "title": "占道经营",
        "place": "测县人民路 1 号",
        "kinds": ["fine"],
        "fine_yuan": "150",
        "on": clock.today().isoformat(),
        # a basis is given, so the refusal below is the catalog's (a missing basis is refused on its own)
        "basis": "《城市市容和环境卫生管理条例》第三十六条",
    }
    refused = client.post(reverse("cases:simple_new"), post)
    html = refused.content.decode()
    assert "须填写对应的行政处罚事项编码" in html[html.index('id="id_catalog_item_code_error"') :][:300]
    assert not Case.objects.filter(title="占道经营").exists()
    done = client.post(reverse("cases:simple_new"), {**post, "catalog_item_code": "T-CF-001"})
    assert done.status_code == 302
    case = Case.objects.get(title="占道经营")
    assert case.procedure == Procedure.SIMPLE and case.catalog_item_code == "T-CF-001"


def test_picker_shows_basis_and_four_list_entries_of_the_chosen_item(world, catalog) -> None:
    add_entry(world, "T-CF-002")
    html = (
        _client(world.officer_user)
        .get(reverse("catalog:item_picker"), {"field": "catalog_item_code", "catalog_item_code": "T-CF-002"})
        .content.decode()
    )
    assert 'data-testid="item-picker-chosen"' in html
    assert "《中华人民共和国食品安全法》第一百二十四条" in html
    assert "不予处罚" in html and "第1项 食品标签瑕疵" in html
    assert "本机关未制定该事项的裁量基准" in html


def test_picker_searches_by_name_within_the_agency_and_refuses_a_non_penalty_item(world, catalog) -> None:
    from zhifa.catalog import services
    from zhifa.catalog.tests.helpers import item_data
    from zhifa.org.models import Domain

    other = dataclasses.replace(
        item_data(world, "X-CF-009", name="对食品标签瑕疵的行政处罚（他机关）"),
        domain=Domain.objects.get(code="housing"),
    )
    services.catalog_item_save(actor=world.outsider, agency=world.other_agency, data=other)
    client = _client(world.officer_user)
    html = client.get(reverse("catalog:item_picker"), {"q": "标签"}).content.decode()
    assert "T-CF-002 对食品标签瑕疵的行政处罚" in html and "X-CF-009" not in html
    html = client.get(reverse("catalog:item_picker"), {"q": "T-JC-001"}).content.decode()
    assert 'data-testid="item-picker-refused"' in html and "不是行政处罚事项" in html
    html = client.get(reverse("catalog:item_picker"), {"q": "无此事项"}).content.decode()
    assert 'data-testid="item-picker-none"' in html


def test_picker_shows_the_discretion_tiers_of_the_item(world, catalog) -> None:
    from zhifa.discretion.tests.helpers import benchmark

    benchmark(world, catalog_item_code="T-CF-001")
    html = _client(world.officer_user).get(reverse("catalog:item_picker"), {"q": "T-CF-001"}).content.decode()
    assert "《中华人民共和国测试法》第十条" in html and "本机关未制定" not in html
    assert "<strong>轻微</strong>；罚款 1000 元至 3000 元" in html
    assert "<strong>严重</strong>；违法所得倍数 2 至 5 倍" in html


def test_without_a_catalog_the_item_is_free_text_and_not_required(world) -> None:
    client = _client(world.officer_user)
    response = client.post(reverse("cases:source_new"), _source_post())
    assert response.status_code == 302
