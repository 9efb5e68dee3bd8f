"""Free text has a limit (issue 16 item 8): a 20,000-character 案源内容 is refused beside its field on the page,
by the API (422, Chinese and English) and by the service; what is saved is shown on the case page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import D0, CaseWorld, register
from zhifa.core import clock
from zhifa.core.errors import InvalidInput
from zhifa.core.textlimits import PARAGRAPH
from zhifa.org.tokens import token_create

pytestmark = pytest.mark.django_db

HUGE = "超" * 20_000


def _page_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _source(summary: str) -> dict[str, str]:
    return {
        "source_kind": "complaint",
        "received_on": clock.today().isoformat(),
        "title": "群众投诉",
        "summary": summary,
    }


def test_source_form_refuses_a_20000_character_summary_beside_the_field(world: CaseWorld) -> None:
    client = _page_client(world.officer_user)
    form = client.get(reverse("cases:source_new")).content.decode()
    assert f'maxlength="{PARAGRAPH}"' in form  # the browser stops at the limit too
    response = client.post(reverse("cases:source_new"), _source(HUGE))
    html = response.content.decode()
    assert not Case.objects.filter(title="群众投诉").exists()
    error = html[html.index('id="id_summary_error"') :][:200]
    assert "最多 5000 个字，现有 20000 个字" in error


def test_every_text_field_of_the_case_action_forms_has_a_limit(world: CaseWorld) -> None:
    from django import forms

    from zhifa.cases import guards
    from zhifa.cases.forms import SimpleDecisionForm, SourceForm, action_form

    case = register(world)
    found = [
        (code, name, field)
        for code in guards.TRANSITIONS
        for name, field in action_form(code, case).fields.items()
        if isinstance(field, forms.CharField)
    ]
    found += [("source", n, f) for n, f in SourceForm().fields.items() if isinstance(f, forms.CharField)]
    found += [
        ("simple", n, f) for n, f in SimpleDecisionForm().fields.items() if isinstance(f, forms.CharField)
    ]
    assert found and all(f.max_length for _, _, f in found), [(c, n) for c, n, f in found if not f.max_length]


def test_saved_source_summary_is_shown_on_the_case_page(world: CaseWorld) -> None:
    client = _page_client(world.officer_user)
    text = "群众反映：某超市销售过期牛奶。\n附照片两张。"
    response = client.post(reverse("cases:source_new"), {**_source(text), "reference": "12345-0001"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    shown = html[html.index('data-testid="source-summary"') :][:200]
    assert "群众反映：某超市销售过期牛奶。\n附照片两张。" in shown
    assert "12345-0001" in html


def test_api_refuses_a_20000_character_summary_with_422_in_chinese_and_english(world: CaseWorld) -> None:
    _, key = token_create(world.officer_user, "test")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    body = {
        "agency_id": world.agency.pk,
        "domain_code": "market",
        "source_kind": "complaint",
        "received_on": "2025-03-03",
        "title": "群众投诉",
        "summary": HUGE,
    }
    response = api.post("/api/cases/", body, content_type="application/json")
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "text_too_long" and data["field"] == "summary"
    assert "最多 5000 个字" in data["message"] and "at most 5000" in data["message_en"]
    assert not Case.objects.filter(title="群众投诉").exists()


def test_service_refuses_an_over_long_summary_rather_than_cutting_it(world: CaseWorld) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.case_register_source(
            actor=world.officer_user,
            agency=world.agency,
            domain=world.market,
            source_kind="complaint",
            received_on=D0,
            title="群众投诉",
            summary=HUGE,
        )
    assert refused.value.field == "summary" and refused.value.code == "text_too_long"
    with pytest.raises(InvalidInput) as refused:
        services.case_register_source(
            actor=world.officer_user,
            agency=world.agency,
            domain=world.market,
            source_kind="complaint",
            received_on=D0,
            title="群众投诉",
            reference="1" * 65,
        )
    assert refused.value.field == "reference"
