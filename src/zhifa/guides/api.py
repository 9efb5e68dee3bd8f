"""服务指南 — the public, read-only JSON API, mounted at /api/portal/guides beside the portal's (no login).

The list pages through agencies (keyset, ``{items, next_cursor}``, never ``COUNT(*)``), each with its guide for
every kind; the detail is one guide with its statutory parts and flow steps. Errors are ``{code, message,
message_en}``: 404 for an unknown agency or kind, 422 for a bad parameter.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router

from zhifa.core.apitypes import Id, ShortText
from zhifa.core.errors import NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.guides import selectors
from zhifa.guides.schemas import GuideAgencyPage, GuideOut
from zhifa.org.apitools import keyset
from zhifa.org.schemas import READ_ERRORS, ErrorOut

router = Router(tags=["portal"], auth=None)

MAX_ID = 2**62
MAX_LIMIT = 100
# as the portal's public API: 400 for a hostile query string (zhifa.portal.ratelimit), never 401/403
PUBLIC_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    **{k: v for k, v in READ_ERRORS.items() if k not in (401, 403)},
}


def _cited(c: Any) -> dict[str, str]:
    return {"text": c.text, "basis": c.basis}


@router.get("", response={200: GuideAgencyPage, **PUBLIC_ERRORS}, summary="服务指南（按执法主体）", auth=None)
def guide_list(
    request: HttpRequest,
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    qs = selectors.public_agencies()
    if agency_id is not None:
        qs = qs.filter(pk=agency_id)
    rows, next_cursor = keyset(qs, cursor, limit)
    summaries = selectors.guide_summaries(rows)
    return {
        "items": [
            {
                "agency_id": a.pk,
                "agency_name": a.name,
                "region_name": a.region.name,
                "guides": [
                    {
                        "kind": s.kind,
                        "kind_label": s.kind_label,
                        "version": s.version,
                        "updated_on": s.updated_on,
                        "url": reverse("api:guide_detail", kwargs={"agency_id": a.pk, "kind": s.kind}),
                    }
                    for s in summaries[a.pk]
                ],
            }
            for a in rows
        ],
        "next_cursor": next_cursor,
    }


@router.get(
    "/{agency_id}/{kind}",
    response={200: GuideOut, **PUBLIC_ERRORS},
    summary="服务指南",
    auth=None,
    url_name="guide_detail",
)
def guide_detail(request: HttpRequest, agency_id: Id, kind: ShortText) -> dict[str, Any]:
    agency = selectors.public_agency(agency_id) if 0 < agency_id <= MAX_ID else None
    if agency is None or agency.is_supervision_organ:
        raise NotFound("执法主体不存在或未公开。", "Agency not found.", code="agency_not_found")
    if not selectors.is_kind(kind):
        raise NotFound("服务指南类别不存在。", "Unknown guide kind.", code="guide_kind_not_found")
    g = selectors.guide_view(agency, kind)
    law = g.statute
    return {
        "agency_id": agency.pk,
        "agency_name": agency.name,
        "kind": kind,
        "kind_label": g.kind_label,
        "version": g.version,
        "updated_on": g.updated_on,
        "summary": law.summary,
        "basis": law.basis,
        "conditions": g.conditions,
        "materials": g.materials,
        "promised_time": g.promised_time,
        "statutory_time_limits": [_cited(c) for c in law.time_limits],
        "fees": g.fees,
        "statutory_fees": _cited(law.fees),
        "office": g.office,
        "address": g.address,
        "hours": g.hours,
        "phone": g.phone,
        "supervision": g.supervision,
        "supervision_organs": [{"name": o.name, "address": o.address, "phone": o.phone} for o in g.organs],
        "remedies": [_cited(c) for c in g.remedies],
        "remedy_bodies": g.remedy_bodies,
        "steps": [
            {
                "number": i,
                "title": s.title,
                "detail": s.detail,
                "limit": s.limit,
                "basis": s.basis,
                "optional": s.optional,
            }
            for i, s in enumerate(law.steps, start=1)
        ],
        "catalog_items": [
            {"id": i.pk, "code": i.code, "name": i.name, "legal_basis": f"{i.law_name}{i.article}"}
            for i in g.catalog_items
        ],
        "page_url": reverse("guidepub:detail", kwargs={"agency_id": agency.pk, "kind": kind}),
    }
