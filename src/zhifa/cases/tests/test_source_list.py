"""案源登记簿 (issue 16): every case source of the officer's scope with its outcome — 立案, 不予立案, 移送 or
待处理 — linked, searchable, keyset-paged; a new source is listed at once; another agency's are not."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import D0, CaseWorld, opened, register
from zhifa.core import clock
from zhifa.core.paging import PAGE_SIZE

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _outcomes(html: str) -> dict[int, str]:
    found = {}
    for case in Case.objects.all():
        marker = f'href="{reverse("cases:detail", args=[case.pk])}"'
        if marker in html:
            row = html[: html.index(marker)]
            found[case.pk] = row[row.rindex("data-outcome=") :].split('"')[1]
    return found


def test_source_list_shows_each_source_with_its_outcome(world: CaseWorld) -> None:
    pending = register(world)
    opened_case = opened(world)
    screened = services.case_not_open(actor=world.head, case=register(world), reason="不属于本机关", on=D0)
    moved = services.case_transfer(
        actor=world.head,
        case=register(world),
        target="judicial",
        target_name="测县公安局",
        reason="涉嫌犯罪",
        on=D0,
    )
    html = _client(world.officer_user).get(reverse("cases:source_list")).content.decode()
    assert _outcomes(html) == {
        pending.pk: "pending",
        opened_case.pk: "opened",
        screened.pk: "not_opened",
        moved.pk: "transferred",
    }
    for label in ("待处理", "立案", "不予立案", "移送"):
        assert f'data-testid="source-outcome">{label}<' in html
    filtered = _client(world.officer_user).get(reverse("cases:source_list"), {"outcome": "not_opened"})
    assert set(_outcomes(filtered.content.decode())) == {screened.pk}


def test_a_source_registered_on_the_form_is_listed_at_once_and_found_by_search(world: CaseWorld) -> None:
    client = _client(world.officer_user)
    assert 'data-testid="source-list-link"' in client.get(reverse("cases:my_cases")).content.decode()
    client.post(
        reverse("cases:source_new"),
        {
            "source_kind": "hotline_12345",
            "received_on": clock.today().isoformat(),
            "title": "夜间噪声扰民",
            "reference": "GD-778",
        },
    )
    new = Case.objects.get(title="夜间噪声扰民")
    register(world)
    html = client.get(reverse("cases:source_list")).content.decode()
    assert html.index("夜间噪声扰民") > 0 and new.pk in _outcomes(html)
    found = client.get(reverse("cases:source_list"), {"q": "GD-778"}).content.decode()
    assert set(_outcomes(found)) == {new.pk}


def test_source_list_is_scoped_to_the_agency_and_pages_by_key(world: CaseWorld) -> None:
    for _ in range(PAGE_SIZE + 2):
        register(world)
    outsider = _client(world.outsider).get(reverse("cases:source_list")).content.decode()
    assert _outcomes(outsider) == {}
    client = _client(world.officer_user)
    first = client.get(reverse("cases:source_list")).content.decode()
    assert len(_outcomes(first)) == PAGE_SIZE and "下一页" in first
    cursor = first[first.index("after=") + 6 :].split('"')[0]
    second = client.get(reverse("cases:source_list") + f"?after={cursor}").content.decode()
    assert len(_outcomes(second)) == 2 and not set(_outcomes(first)) & set(_outcomes(second))
