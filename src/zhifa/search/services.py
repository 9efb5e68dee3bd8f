"""Index and search public documents (公示全文检索).

``index_document`` / ``remove_document`` are called by the apps that publish (disclosure) inside their own
transaction, so a withdrawn decision leaves the index in the same commit that withdraws it. Everything
stored is scrubbed again here (``zhifa.core.masking.scrub_text``): the index never holds an ID
number, a phone number or a bank card, whatever a caller passes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q

from zhifa.core.errors import DomainError
from zhifa.core.masking import scrub_text
from zhifa.search.models import SearchDocument
from zhifa.search.tokens import fts5_match, index_tokens, pg_tsquery, query_terms

MAX_QUERY_CHARS = 100
MAX_TERMS = 24
MAX_LIMIT = 100
COUNT_CAP = 1000  # the search page counts its hits up to this many ("超过 1000 条")
WINDOW = 3000  # PostgreSQL: newest rows tried first for common terms (see ``search``)
_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{1,18})$")


class BadQuery(DomainError):
    """A query the search refuses (HTTP 400): too long, control characters, too many terms, a bad cursor."""

    status = 400
    code = "bad_query"


@dataclass(frozen=True)
class SearchHit:
    id: int
    source_type: str
    source_id: str
    agency_id: int | None
    domain: str
    kind: str
    date: dt.date
    title: str
    party: str
    snippet: str


@dataclass(frozen=True)
class SearchPage:
    items: list[SearchHit] = field(default_factory=list)
    next_cursor: str | None = None
    terms: list[str] = field(default_factory=list)


def _scrub(text: str) -> str:
    return scrub_text(text or "")


def _fts_sync(doc_id: int, tokens: str | None) -> None:
    vendor = connection.vendor
    if vendor != "sqlite":
        return  # PostgreSQL: the tsv column is generated from ``tokens``
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [doc_id])
        if tokens is not None:
            cursor.execute("INSERT INTO search_fts (rowid, tokens) VALUES (%s, %s)", [doc_id, tokens])


def index_document(
    *,
    source_type: str,
    source_id: str | int,
    agency_id: int | None,
    domain: str,
    kind: str,
    date: dt.date,
    title: str,
    party: str,
    body: str,
) -> SearchDocument:
    """Add or replace one public document in the index (run inside the publishing transaction)."""
    title, party, body = _scrub(title)[:300], _scrub(party)[:200], _scrub(body)
    tokens = index_tokens(title, party, body)
    doc, _created = SearchDocument.objects.update_or_create(
        source_type=source_type,
        source_id=str(source_id),
        defaults={
            "agency_id": agency_id,
            "domain": domain or "",
            "kind": kind or "",
            "date": date,
            "title": title,
            "party": party,
            "body": body,
            "tokens": tokens,
        },
    )
    _fts_sync(doc.pk, tokens)
    return doc


def remove_document(source_type: str, source_id: str | int) -> bool:
    """Take a document out of the index (withdrawal); True if it was there."""
    ids = list(
        SearchDocument.objects.filter(source_type=source_type, source_id=str(source_id)).values_list(
            "id", flat=True
        )
    )
    for doc_id in ids:
        _fts_sync(doc_id, None)
    SearchDocument.objects.filter(id__in=ids).delete()
    return bool(ids)


def clean_query(query: str | None) -> list[str]:
    """The terms of a query, or ``BadQuery`` (400) for what no one types: oversized, control characters."""
    query = query or ""
    if len(query) > MAX_QUERY_CHARS:
        raise BadQuery(
            f"检索词过长（最多 {MAX_QUERY_CHARS} 个字符）。",
            f"The query is longer than {MAX_QUERY_CHARS} characters.",
            code="query_too_long",
            field="q",
        )
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\t\n\r" for ch in query):
        raise BadQuery(
            "检索词含有无效字符。", "The query contains invalid characters.", code="query_invalid", field="q"
        )
    query = unicodedata.normalize("NFKC", query)
    terms = query_terms(query)
    if len(terms) > MAX_TERMS:
        raise BadQuery(
            "检索词过多，请缩短检索内容。",
            "The query has too many terms.",
            code="query_too_many_terms",
            field="q",
        )
    return terms


def _parse_cursor(cursor: str | None) -> tuple[dt.date, int] | None:
    if not cursor:
        return None
    match = _CURSOR.match(cursor)
    if match:
        try:
            return dt.date.fromisoformat(match.group(1)), int(match.group(2))
        except ValueError:
            pass
    raise BadQuery("翻页参数无效。", "Invalid cursor.", code="bad_cursor", field="cursor")


def _snippet(body: str, terms: list[str], width: int = 80) -> str:
    if not body:
        return ""
    pos = -1
    for term in terms:
        pos = body.find(term)
        if pos >= 0:
            break
    start = max(0, pos - width // 4) if pos >= 0 else 0
    text = body[start : start + width]
    return ("…" if start else "") + text + ("…" if start + width < len(body) else "")


def _page(qs: Any, limit: int) -> list[dict[str, Any]]:
    return list(
        qs.order_by("-date", "-id").values(
            "id", "source_type", "source_id", "agency_id", "domain", "kind", "date", "title", "party", "body"
        )[: limit + 1]
    )


def _filtered(
    *,
    agency_id: int | None,
    domain: str | None,
    kind: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> Any:
    qs = SearchDocument.objects.all()
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if domain:
        qs = qs.filter(domain=domain)
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs


def _matching(qs: Any, terms: list[str]) -> Any:
    if not terms:
        return qs
    if connection.vendor == "postgresql":
        return qs.extra(where=["search_searchdocument.tsv @@ %s::tsquery"], params=[pg_tsquery(terms)])
    return qs.extra(
        where=["search_searchdocument.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"],
        params=[fts5_match(terms)],
    )


def search_count(
    query: str | None,
    *,
    agency_id: int | None = None,
    domain: str | None = None,
    kind: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    cap: int = COUNT_CAP,
) -> tuple[int, bool]:
    """How many public documents match (the hit count the search page shows), counted up to ``cap``:
    ``(count, more)`` where ``more`` says there are more than ``cap`` (shown as "超过 cap 条"), so a common
    term never counts a million rows. Raises ``BadQuery`` like :func:`search`."""
    terms = clean_query(query)
    qs = _filtered(agency_id=agency_id, domain=domain, kind=kind, date_from=date_from, date_to=date_to)
    found = _matching(qs, terms).order_by().values("id")[: cap + 1].count()
    return min(found, cap), found > cap


def search(
    query: str | None,
    *,
    agency_id: int | None = None,
    domain: str | None = None,
    kind: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> SearchPage:
    """Public documents matching every term of ``query`` (all documents if it has none), newest first.

    Keyset-paged on (date, id): ``cursor`` is the ``next_cursor`` of the previous page. Raises ``BadQuery``.
    """
    terms = clean_query(query)
    after = _parse_cursor(cursor)
    limit = max(1, min(int(limit), MAX_LIMIT))
    qs = _filtered(agency_id=agency_id, domain=domain, kind=kind, date_from=date_from, date_to=date_to)
    if after is not None:
        qs = qs.filter(Q(date__lt=after[0]) | Q(date=after[0], id__lt=after[1]))
    rows: list[dict[str, Any]] | None = None
    if terms:
        if connection.vendor == "postgresql":
            tsv = (["search_searchdocument.tsv @@ %s::tsquery"], [pg_tsquery(terms)])
            # Common terms: the newest WINDOW rows (date index) usually hold a page of matches — cheaper than
            # collecting every match from the GIN index and sorting it. The window is a prefix of the order,
            # so its first matches are the overall first; when it holds too few, the GIN index answers.
            # (A derived table with LIMIT is not flattened, so the planner cannot turn it into a GIN scan.)
            window = (
                qs.order_by("-date", "-id")
                .extra(select={"tsv_": "search_searchdocument.tsv"})
                .values("id", "date", "tsv_")[:WINDOW]
            )
            inner_sql, inner_params = window.query.sql_with_params()
            with connection.cursor() as db:
                db.execute(
                    f"SELECT w.id FROM ({inner_sql}) w WHERE w.tsv_ @@ %s::tsquery "  # noqa: S608 - Django's own SQL, bound values
                    "ORDER BY w.date DESC, w.id DESC LIMIT %s",
                    [*inner_params, *tsv[1], limit + 1],
                )
                ids = [row[0] for row in db.fetchall()]
            if len(ids) > limit:
                rows = _page(SearchDocument.objects.filter(id__in=ids), limit)
            else:
                qs = qs.extra(where=tsv[0], params=tsv[1])  # noqa: S610 - fixed SQL, bound params
        else:
            qs = qs.extra(
                where=[
                    "search_searchdocument.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
                ],
                params=[fts5_match(terms)],
            )
    if rows is None:
        rows = _page(qs, limit)
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        SearchHit(
            id=r["id"],
            source_type=r["source_type"],
            source_id=r["source_id"],
            agency_id=r["agency_id"],
            domain=r["domain"],
            kind=r["kind"],
            date=r["date"],
            title=r["title"],
            party=r["party"],
            snippet=_snippet(r["body"], terms),
        )
        for r in rows
    ]
    next_cursor = f"{rows[-1]['date'].isoformat()}.{rows[-1]['id']}" if more and rows else None
    return SearchPage(items=items, next_cursor=next_cursor, terms=terms)
