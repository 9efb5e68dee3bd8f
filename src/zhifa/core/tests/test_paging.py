"""Keyset paging (zhifa.core.paging): every row once in order, ties broken by the unique key, opaque cursors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import RequestFactory

from zhifa.core import paging
from zhifa.core.paging import InvalidCursor, decode_cursor, encode_cursor, keyset, keyset_page
from zhifa.org.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions() -> list[Region]:
    # Three names for nine codes: ordering by name ties, the code breaks the ties.
    return [
        Region.objects.create(
            code=f"{11 + i}0000", name="北京天津河北"[i % 3], level="province", path=f"/{11 + i}0000/"
        )
        for i in range(9)
    ]


def _all_pages(qs, ordering, limit):
    seen, cursor, pages = [], None, 0
    while True:
        page = keyset(qs, ordering=ordering, after=cursor, limit=limit)
        seen += page.items
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            return seen, pages


def test_paging_through_visits_every_row_once_in_order(regions) -> None:
    seen, pages = _all_pages(Region.objects.all(), ("-id",), 4)
    assert [r.pk for r in seen] == sorted((r.pk for r in regions), reverse=True)
    assert pages == 3


def test_ties_on_the_leading_field_are_broken_by_the_unique_key(regions) -> None:
    ordering = ("name", "-code")
    seen, _ = _all_pages(Region.objects.all(), ordering, 2)
    assert [(r.name, r.code) for r in seen] == sorted(
        ((r.name, r.code) for r in regions), key=lambda t: (t[0], -int(t[1]))
    )
    assert len({r.pk for r in seen}) == 9


def test_the_last_full_page_has_no_next_cursor(regions) -> None:
    page = keyset(Region.objects.all(), ordering=("code",), limit=9)
    assert len(page.items) == 9 and page.next_cursor is None and page.prev_cursor is None


def test_an_empty_list_is_one_empty_page() -> None:
    page = keyset(Region.objects.none(), ordering=("-id",), limit=5)
    assert page.items == [] and page.next_cursor is None and not page.has_other_pages


def test_before_goes_back_to_the_previous_page(regions) -> None:
    first = keyset(Region.objects.all(), ordering=("code",), limit=4)
    second = keyset(Region.objects.all(), ordering=("code",), after=first.next_cursor, limit=4)
    back = keyset(Region.objects.all(), ordering=("code",), before=second.prev_cursor, limit=4)
    assert [r.pk for r in back.items] == [r.pk for r in first.items]
    assert back.prev_cursor is None and back.next_cursor is not None


def test_page_views_read_after_and_before(regions) -> None:
    rf = RequestFactory()
    first = keyset_page(Region.objects.all(), rf.get("/"), size=5)
    second = keyset_page(Region.objects.all(), rf.get("/", {"after": first.next_after}), size=5)
    assert len(first.items) == 5 and len(second.items) == 4
    assert second.next_after is None and second.prev_before is not None


def test_the_cursor_is_opaque_and_url_safe(regions) -> None:
    page = keyset(Region.objects.all(), ordering=("-id",), limit=2)
    assert str(page.items[-1].pk) != page.next_cursor
    assert set(page.next_cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


@pytest.mark.parametrize(
    "values",
    [
        (7,),
        ("110000", 3),
        (dt.date(2026, 5, 1), 12),
        (dt.datetime(2026, 5, 1, 8, 30, tzinfo=dt.UTC), 1),
        (Decimal("1.50"), 2),
    ],
)
def test_key_values_round_trip(values) -> None:
    ordering = tuple(f"f{i}" for i in range(len(values)))
    assert decode_cursor(encode_cursor(values, ordering), ordering) == values


def _tampered(token: str) -> str:
    body, sig = token.rsplit(".", 1)
    return f"{body[:-2]}{'A' if body[-2] != 'A' else 'B'}{body[-1]}.{sig}"


@pytest.mark.parametrize(
    "raw",
    ["123", "", "not a cursor", "eyJvIjoiLWlkIiwidiI6WzVdfQ.forged", "x" * (paging.MAX_CURSOR_LENGTH + 1)],
)
def test_a_malformed_cursor_is_refused(raw) -> None:
    with pytest.raises(InvalidCursor) as exc:
        decode_cursor(raw, ("-id",))
    assert exc.value.status == 422 and exc.value.code == "bad_cursor" and exc.value.message_en


def test_a_tampered_cursor_is_refused(regions) -> None:
    token = keyset(Region.objects.all(), ordering=("-id",), limit=2).next_cursor
    with pytest.raises(InvalidCursor):
        keyset(Region.objects.all(), ordering=("-id",), after=_tampered(token), limit=2)


def test_a_cursor_of_another_ordering_is_refused(regions) -> None:
    token = keyset(Region.objects.all(), ordering=("-id",), limit=2).next_cursor
    with pytest.raises(InvalidCursor):
        keyset(Region.objects.all(), ordering=("code",), after=token, limit=2)


def test_the_api_answers_a_tampered_cursor_with_422(client) -> None:
    response = client.get("/api/portal/agencies", {"cursor": "forged.cursor"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "bad_cursor" and body["message"] and body["message_en"]


def test_a_capped_list_knows_its_total_and_the_note_says_how_many_more(regions) -> None:
    from django.template.loader import render_to_string

    from zhifa.core.paging import capped

    rows = capped(Region.objects.order_by("code"), 4)
    assert len(rows) == 4 and rows.total == 9 and rows.more == 5
    note = render_to_string("core/_keyset_more.html", {"rows": rows, "more_url": "/x/"})
    assert "另有 5 条未显示（共 9 条）" in note and 'href="/x/"' in note
    whole = capped(Region.objects.order_by("code"), 9)
    assert whole.total == 9 and whole.more == 0
    assert render_to_string("core/_keyset_more.html", {"rows": whole}).strip() == ""
