"""公示全文检索 — the public search API under /api/search/ (no login)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from zhifa.org.schemas import ErrorOut
from zhifa.search.services import MAX_LIMIT, search

router = Router(tags=["search"], auth=None)


class HitOut(Schema):
    source_type: str
    source_id: str
    agency_id: int | None
    domain: str
    kind: str
    date: dt.date
    title: str
    party: str
    snippet: str


class SearchOut(Schema):
    items: list[HitOut]
    next_cursor: str | None
    terms: list[str]


@router.get(
    "/", response={200: SearchOut, 400: ErrorOut, 422: ErrorOut}, summary="检索已公示的执法决定", auth=None
)
def search_documents(
    request: HttpRequest,
    q: str = Query("", max_length=1000),
    agency: int | None = Query(None, ge=1, le=2**62),
    domain: str | None = Query(None, max_length=32),
    kind: str | None = Query(None, max_length=32),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    cursor: str | None = Query(None, max_length=40),
    limit: int = Query(20, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    page = search(
        q,
        agency_id=agency,
        domain=domain,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        cursor=cursor,
        limit=limit,
    )
    return {
        "items": [hit.__dict__ for hit in page.items],
        "next_cursor": page.next_cursor,
        "terms": page.terms,
    }
