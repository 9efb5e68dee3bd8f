"""Public pages (no login) of disclosure: decisions with filters and full-text search, a decision, the
withdrawal notice, an Atom feed per agency, the 双公示 export and annual statistics.

Everything shown here was desensitised when drafted (``privacy``) and is scrubbed again on the way out, so a
row written by hand in the database cannot leak an ID or phone number either. Unknown ids answer a Chinese
404 page; a hostile or oversized query answers a Chinese 400 page; never a 500.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from zhifa.core import clock
from zhifa.core.errors import DomainError
from zhifa.core.pagecache import public_page
from zhifa.core.paging import MAX_CURSOR_LENGTH, capped
from zhifa.disclosure import selectors
from zhifa.disclosure.models import AnnualStatistics, ResultKind
from zhifa.disclosure.privacy import scrub_code, scrub_text
from zhifa.org.models import Agency, Domain
from zhifa.search.services import BadQuery, search, search_count

PAGE = 20
MAX_PARAM = 100


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return render(request, "pub/error.html", {"status": status, "message": message}, status=status)


def _date(request: HttpRequest, name: str) -> dt.date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        raise BadQuery(f"日期格式应为 YYYY-MM-DD：{name}", f"Invalid date: {name}", field=name) from None


def _int(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise BadQuery(f"参数无效：{name}", f"Invalid parameter: {name}", field=name)
    return int(raw)


def _filters(request: HttpRequest) -> dict[str, Any]:
    for key, value in request.GET.items():
        if len(value) > (MAX_CURSOR_LENGTH if key == "cursor" else MAX_PARAM) and key != "q":
            raise BadQuery("查询参数过长。", "A parameter is too long.", field=key)
    kind = request.GET.get("kind", "").strip()
    if kind and kind not in ResultKind.values:
        raise BadQuery("公示类别无效。", "Unknown kind.", field="kind")
    return {
        "agency_id": _int(request, "agency"),
        "domain": request.GET.get("domain", "").strip()[:32] or None,
        "kind": kind or None,
        "date_from": _date(request, "from"),
        "date_to": _date(request, "to"),
    }


def highlight(text: str, terms: list[str]) -> SafeString:
    """The text HTML-escaped, with every span that a search term covers wrapped in ``<mark>``.

    Terms are those the search matched on (CJK runs become bigrams, so 过期食品 marks the whole run); the
    marking is computed on the raw text and each piece is escaped on its own, so neither the text nor the
    query can inject markup.
    """
    text = text or ""
    covered = [False] * len(text)
    folded = text.lower()
    for term in {t.lower() for t in terms if t}:
        start = folded.find(term)
        while start >= 0:
            for i in range(start, min(start + len(term), len(text))):
                covered[i] = True
            start = folded.find(term, start + 1)
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and covered[j] == covered[i]:
            j += 1
        piece = escape(text[i:j])
        out.append(f"<mark>{piece}</mark>" if covered[i] else str(piece))
        i = j
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


@public_page
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    """执法决定公示 — newest first, filtered by agency, domain, type and date; ``q`` searches the full text."""
    try:
        filters = _filters(request)
        query = request.GET.get("q", "")
        cursor = request.GET.get("cursor", "")[:MAX_CURSOR_LENGTH] or None
        terms: list[str] = []
        total: tuple[int, bool] | None = None
        if query.strip():
            page = search(query, cursor=cursor, limit=PAGE, **filters)
            terms = page.terms
            total = search_count(query, **filters)
            ids = [int(hit.source_id) for hit in page.items if hit.source_type == "disclosure.publication"]
            # the index may still hold one past its period until the sweep removes it: never shown
            by_id = {
                p.pk: p
                for p in selectors.live_publications().filter(pk__in=ids).select_related("agency", "domain")
            }
            rows = [by_id[i] for i in ids if i in by_id]
            snippets = {int(h.source_id): h.snippet for h in page.items}
            next_cursor = page.next_cursor
        else:
            qs = selectors.public_publications(**filters)
            rows, next_cursor = selectors.keyset_page(qs, cursor, PAGE)
            snippets = {}
    except DomainError as exc:
        return _error(request, exc.status if exc.status < 500 else 400, exc.message)
    for p in rows:
        p.snippet = highlight(scrub_text(snippets.get(p.pk) or p.facts[:120]), terms)  # type: ignore[attr-defined]
        p.title_marked = highlight(p.title, terms)  # type: ignore[attr-defined]
        p.party_marked = highlight(p.party_name, terms)  # type: ignore[attr-defined]
    params = request.GET.copy()
    params.pop("cursor", None)
    return render(
        request,
        "pub/decision_list.html",
        {
            "rows": rows,
            "next_cursor": next_cursor,
            "params": params.urlencode(),
            "q": query,
            "total": total[0] if total else None,
            "total_more": bool(total and total[1]),
            "f": request.GET,
            # every active agency (the filter's choices: a cap would drop agencies from the form)
            "agencies": Agency.objects.filter(is_active=True).order_by("region__code", "name"),
            "domains": Domain.objects.order_by("sort", "code"),
            "kinds": ResultKind.choices,
        },
    )


@public_page
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        p = selectors.public_publication(pk)
    except DomainError as exc:
        return _error(request, 404, exc.message)
    context = {
        "p": p,
        # 更正: the one this corrects (its withdrawal reason and date), or the correction that replaced it
        "corrected": p.corrects,
        "correction_reason": scrub_text(p.corrects.withdraw_reason) if p.corrects is not None else "",
        "corrected_on": clock.business_date(p.corrects.withdrawn_at)
        if p.corrects is not None and p.corrects.withdrawn_at
        else None,
        "correction": selectors.correction_of(p) if p.withdraw_kind == "corrected" else None,
        "body": scrub_text(p.body),
        "licence_number": scrub_code(p.licence_number),
        "document_number": scrub_code(p.document_number),
        "basis": scrub_text(p.basis),
        "content": scrub_text(p.content),
    }
    return render(request, "pub/decision_detail.html", context)


class _AgencyFeed(Atom1Feed):
    pass


@require_GET
def agency_feed(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Atom feed of an agency's published decisions (newest 50)."""
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        return _error(request, 404, "该执法主体不存在。")
    link = request.build_absolute_uri(reverse("pub:decision_list") + f"?agency={agency.pk}")
    feed = _AgencyFeed(
        title=f"{agency.name} · 行政执法决定公示",
        link=link,
        description=f"{agency.name}公示的行政执法决定",
        language="zh-hans",
        feed_url=request.build_absolute_uri(),
    )
    for p in selectors.public_publications(agency_id=agency.pk)[:50]:  # a feed carries the 50 newest entries
        url = request.build_absolute_uri(reverse("pub:decision_detail", args=[p.pk]))
        feed.add_item(
            title=p.title,
            link=url,
            unique_id=url,
            description=scrub_text(p.body),
            pubdate=p.published_at or clock.now(),
            updateddate=p.updated_at,
            author_name=agency.name,
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


@require_GET
def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    """双公示 — licensing / penalty data in the national field layout (and 行政强制 in the same shape); xlsx, csv
    or json; ``?since=YYYY-MM-DD``."""
    if kind not in selectors.EXPORT_FIELDS or fmt not in ("xlsx", "csv", "json"):
        return _error(request, 404, "没有这种导出。")
    try:
        since = _date(request, "since")
    except DomainError as exc:
        return _error(request, 400, exc.message)
    fields = selectors.EXPORT_FIELDS[kind]
    rows = selectors.public_export_rows(kind, since=since)
    name = f"shuanggongshi-{kind}-{(since or dt.date(2000, 1, 1)).isoformat()}"
    response: HttpResponseBase
    if fmt == "json":
        body = {
            "kind": kind,
            "since": since.isoformat() if since else None,
            "fields": list(fields),
            "items": list(rows),
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8"
        )
    elif fmt == "csv":

        def lines() -> Any:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(fields))
            buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
            yield buffer.getvalue()

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        # local import: openpyxl is heavy and only the spreadsheet export needs it
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(selectors.EXPORT_SHEETS[kind])
        sheet.append(list(fields))
        for row in rows:
            sheet.append([row.get(f, "") for f in fields])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@public_page
@require_GET
def annual_stats(request: HttpRequest) -> HttpResponse:
    rows = capped(AnnualStatistics.objects.select_related("agency").order_by("-year", "agency__name"), 200)
    return render(request, "pub/stats.html", {"rows": rows})
