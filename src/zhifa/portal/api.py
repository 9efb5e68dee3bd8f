"""公示平台 — the public, read-only JSON API under /api/portal/ (no login: ``auth=None``).

Lists are keyset-paginated (``cursor`` = the opaque ``next_cursor`` of the previous page, ``limit`` ≤ 100, answer
``{items, next_cursor}``), never ``COUNT(*)``. Rate-limited per client IP (429 ``{code, message,
message_en}``) by ``zhifa.portal.ratelimit``; an oversized query string answers 400.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from zhifa.catalog import selectors as catalog_selectors
from zhifa.catalog.models import CatalogItem, ItemKind
from zhifa.core import paging
from zhifa.core.apitypes import Id, ShortText
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.org.apitools import keyset
from zhifa.org.models import Domain
from zhifa.org.schemas import READ_ERRORS, ErrorOut
from zhifa.portal import selectors
from zhifa.portal.schemas import (
    CatalogPage,
    DevicePage,
    PortalAgencyOut,
    PortalAgencyPage,
    PortalCatalogItemOut,
    PortalCertificateOut,
    PortalConfirmationPage,
    PortalOfficerPage,
    PortalPlanPage,
    PortalRosterPage,
)

router = Router(tags=["portal"], auth=None)

MAX_ID = 2**62
MAX_LIMIT = 100
# 400: a hostile or oversized query string, refused before any view (zhifa.portal.ratelimit.bad_query).
PUBLIC_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    **{k: v for k, v in READ_ERRORS.items() if k not in (401, 403)},
}


def _agency_out(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "name": a.name,
        "uscc": a.uscc,
        "region_code": a.region.code,
        "region_name": a.region.name,
        "domains": [d.name for d in a.domains.all()],
        "address": a.address,
        "phone": a.phone,
    }


@router.get("/agencies", response={200: PortalAgencyPage, **PUBLIC_ERRORS}, summary="执法主体列表", auth=None)
def agency_list(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = keyset(selectors.public_agencies(), cursor, limit)
    return {"items": [_agency_out(a) for a in rows], "next_cursor": next_cursor}


@router.get(
    "/agencies/{agency_id}", response={200: PortalAgencyOut, **PUBLIC_ERRORS}, summary="执法主体", auth=None
)
def agency_detail(request: HttpRequest, agency_id: Id) -> dict[str, Any]:
    agency = selectors.public_agencies().filter(pk=agency_id).first() if 0 < agency_id <= MAX_ID else None
    if agency is None:
        raise NotFound("执法主体不存在或未公开。", "Agency not found.", code="agency_not_found")
    return _agency_out(agency)


def _catalog_item_out(i: Any, confirmed: dict[int, Any]) -> dict[str, Any]:
    c = confirmed.get(i.agency_id)
    return {
        "id": i.pk,
        "agency_id": i.agency_id,
        "agency_name": i.agency.name,
        "code": i.code,
        "version": i.version,
        "name": i.name,
        "kind": i.kind,
        "kind_label": i.get_kind_display(),
        "domain": i.domain.name,
        "domain_code": i.domain.code,
        "legal_basis": f"{i.law_name}{i.article}",
        "law_name": i.law_name,
        "article": i.article,
        "article_text": i.article_text,
        "effective_from": i.effective_from,
        "effective_to": i.effective_to,
        "confirmed_by": c.bureau_name if c else "",
        "confirmed_on": c.decided_on if c else None,
    }


@router.get(
    "/catalog",
    response={200: CatalogPage, **PUBLIC_ERRORS},
    summary="执法事项（权责清单，经司法局确认；可按日期查当日有效的版本）",
    auth=None,
)
def catalog_list(
    request: HttpRequest,
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
    q: str = Query("", max_length=100, description="事项编码、名称或法律名称"),
    domain: str = Query("", max_length=32, description="执法领域代码，如 market"),
    kind: ItemKind | None = None,
    on: dt.date | None = None,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    domain_obj = Domain.objects.filter(code=domain).first() if domain else None
    if domain and domain_obj is None:
        raise InvalidInput("执法领域不存在。", "Unknown domain.", code="unknown_domain", field="domain")
    agency = selectors.public_agencies().filter(pk=agency_id).first() if agency_id else None
    if agency_id and agency is None:
        raise NotFound("执法主体不存在或未公开。", "Agency not found.", code="agency_not_found")
    qs = selectors.public_catalog(agency, domain=domain_obj, kind=kind, q=q.strip(), on=on)
    rows, next_cursor = keyset(qs, cursor, limit)
    confirmed = selectors.confirmation_by_agency({i.agency_id for i in rows})
    return {"items": [_catalog_item_out(i, confirmed) for i in rows], "next_cursor": next_cursor}


@router.get(
    "/catalog/{item_id}/versions",
    response={200: list[PortalCatalogItemOut], **PUBLIC_ERRORS},
    summary="执法事项的各版本（经确认的，新版本在前）",
    auth=None,
)
def catalog_versions(request: HttpRequest, item_id: Id) -> list[dict[str, Any]]:
    item = (
        CatalogItem.objects.filter(pk=item_id, agency__is_active=True).first()
        if 0 < item_id <= MAX_ID
        else None
    )
    versions = list(catalog_selectors.confirmed_versions(item)) if item is not None else []
    if not versions:
        raise NotFound(
            "执法事项不存在或尚未经司法局确认公开。",
            "Catalog item not found or not confirmed.",
            code="item_not_found",
        )
    confirmed = selectors.confirmation_by_agency([versions[0].agency_id])
    return [_catalog_item_out(v, confirmed) for v in versions]


@router.get(
    "/confirmations",
    response={200: PortalConfirmationPage, **PUBLIC_ERRORS},
    summary="主体资格与权责清单确认（司法局、日期）",
    auth=None,
)
def confirmation_list(
    request: HttpRequest,
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = keyset(selectors.public_confirmations(agency_id), cursor, limit)
    return {
        "items": [
            {
                "id": c.pk,
                "agency_id": c.agency_id,
                "agency_name": c.agency.name,
                "year": c.year,
                "kind": c.kind,
                "kind_label": c.get_kind_display(),
                "bureau_name": c.bureau_name,
                "confirmed_on": c.decided_on,
            }
            for c in rows
        ],
        "next_cursor": next_cursor,
    }


@router.get(
    "/certificates/{number}",
    response={200: PortalCertificateOut, **PUBLIC_ERRORS},
    summary="执法证件核验",
    auth=None,
)
def certificate_check(request: HttpRequest, number: ShortText) -> dict[str, Any]:
    normalised = selectors.normalise_cert_number(number[:100])
    if normalised is None:
        raise InvalidInput(
            "证件编号格式不正确。",
            "Malformed certificate number.",
            code="invalid_certificate_number",
            field="number",
        )
    check = selectors.certificate_check(normalised)
    if not check.found:
        raise NotFound("未查到该执法证件。", "No such certificate.", code="certificate_not_found")
    return {
        "number": check.number,
        "valid": check.valid,
        "status": check.status,
        "status_label": check.status_label,
        "officer_name": check.officer_name,
        "agency_id": check.agency_id,
        "agency_name": check.agency_name,
        "issuer": check.issuer,
        "expires_on": check.expires_on,
        "domains": check.domains,
        "auxiliary": check.auxiliary,
    }


@router.get(
    "/officers", response={200: PortalOfficerPage, **PUBLIC_ERRORS}, summary="持有效证件的执法人员", auth=None
)
def officer_list(
    request: HttpRequest,
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = keyset(selectors.valid_certificates(agency_id=agency_id), cursor, limit)
    return {
        "items": [
            {
                "id": c.pk,
                "number": c.number,
                "officer_name": c.officer.name,
                "agency_id": c.officer.agency_id,
                "agency_name": c.officer.agency.name,
                "domains": [d.name for d in c.domains.all()],
                "expires_on": c.expires_on,
            }
            for c in rows
        ],
        "next_cursor": next_cursor,
    }


@router.get(
    "/agencies/{agency_id}/officers",
    response={200: PortalRosterPage, **PUBLIC_ERRORS},
    summary="执法人员清单（持有效证件）",
    auth=None,
)
def roster(
    request: HttpRequest,
    agency_id: Id,
    q: str = Query("", max_length=64, description="姓名的一部分或执法证件编号的开头"),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    """Seed 003: 执法人员的姓名、职务、证件编号、执法类别、执法区域 and 岗位, officers with a valid certificate only."""
    agency = selectors.public_agencies().filter(pk=agency_id).first() if 0 < agency_id <= MAX_ID else None
    if agency is None:
        raise NotFound("执法主体不存在或未公开。", "Agency not found.", code="agency_not_found")
    page = paging.keyset(
        selectors.roster(agency_id=agency.pk, query=q),
        ordering=selectors.ROSTER_ORDER,
        after=cursor,
        limit=limit,
    )
    return {
        "items": [
            {
                "id": c.pk,
                "officer_name": c.officer.name,
                "duty": c.officer.post,
                "number": c.number,
                "categories": [d.name for d in c.domains.all()],
                "area": c.area,
                "posts": [p.name for p in c.officer.public_posts],
                "auxiliary": c.officer.is_auxiliary,
                "expires_on": c.expires_on,
                "check_url": request.build_absolute_uri(selectors.certificate_check_path(c.number)),
            }
            for c in page.items
        ],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/plans", response={200: PortalPlanPage, **PUBLIC_ERRORS}, summary="已公布的年度检查计划", auth=None
)
def plan_list(
    request: HttpRequest,
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(20, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = keyset(selectors.published_plans(agency_id=agency_id), cursor, limit)
    return {
        "items": [
            {
                "id": p.pk,
                "agency_id": p.agency_id,
                "agency_name": p.agency.name,
                "year": p.year,
                "title": p.title,
                "published_at": p.published_at,
                "items": [
                    {
                        "item_code": pi.item.code,
                        "item_name": pi.item.name,
                        "domain": pi.item.domain.name,
                        "scope": pi.scope,
                        "quarters": pi.quarters,
                    }
                    for pi in p.items.all()
                ],
            }
            for p in rows
        ],
        "next_cursor": next_cursor,
    }


@router.get(
    "/devices", response={200: DevicePage, **PUBLIC_ERRORS}, summary="电子技术监控设备（已公布）", auth=None
)
def device_list(
    request: HttpRequest,
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = keyset(selectors.published_devices(agency_id=agency_id), cursor, limit)
    return {
        "items": [
            {
                "id": d.pk,
                "agency_id": d.agency_id,
                "agency_name": d.agency.name,
                "kind": d.kind,
                "kind_label": d.get_kind_display(),
                "location": d.location,
                "purpose": d.purpose,
                "in_use_from": d.in_use_from,
                "published_at": d.published_at,
                "retired_on": d.retired_on,
            }
            for d in rows
        ],
        "next_cursor": next_cursor,
    }


# The ledger's signed heads, public key and consistency proofs (zhifa.portal.ledger_api): /api/portal/ledger/…
from zhifa.portal.ledger_api import router as ledger_router  # noqa: E402

router.add_router("/ledger/", ledger_router)

# The public lists (四张清单, 裁量基准, 随机抽查事项清单 and 检查表单, zhifa.portal.lists_api): /api/portal/lists/…
from zhifa.portal.lists_api import router as lists_router  # noqa: E402

router.add_router("/lists/", lists_router)
