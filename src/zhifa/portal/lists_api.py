"""清单公示 — the public lists in the open API: ``/api/portal/lists/…`` (anonymous, read-only, rate-limited with the
portal's router under which it is mounted).

The four lists (``lenient-entries``), the discretion benchmarks (``benchmarks``, one with all its versions at
``benchmarks/{id}``) and the random-inspection items with their checklists (``inspection-items``). Each list
takes ``on`` (YYYY-MM-DD, today by default: the lists exactly as they stood in force that day — the end date is
the last day in force), ``q`` and the filters of the portal pages, and pages by keyset like the rest of the
public API (``cursor`` = the previous page's ``next_cursor``, ``limit`` ≤ 100; no ``COUNT(*)``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from zhifa.catalog.models import LenientEntry, LenientKind
from zhifa.catalog.selectors import public_lenient_entries
from zhifa.core import clock
from zhifa.core.apitypes import Id
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.discretion import selectors as discretion_selectors
from zhifa.discretion.models import Benchmark
from zhifa.inspections import selectors as inspection_selectors
from zhifa.inspections.models import ChecklistLine, InspectionItem
from zhifa.org.apitools import keyset
from zhifa.org.models import Agency, Domain, Region
from zhifa.org.schemas import READ_ERRORS, ErrorOut
from zhifa.portal import lists

router = Router(tags=["portal"], auth=None)

MAX_ID = 2**62
MAX_LIMIT = 100
PUBLIC_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    **{k: v for k, v in READ_ERRORS.items() if k not in (401, 403)},
}
ON_HELP = "有效日期 YYYY-MM-DD（默认今日）：返回当日施行的版本（施行日期 ≤ 该日，且失效日期为空或 ≥ 该日）"

ON_QUERY: Any = Query(None, description=ON_HELP)  # one shared default (ruff B008)


# --- schemas -----------------------------------------------------------------------------------------------------


class PublicLenientEntryOut(Schema):
    id: int
    kind: str = Field(
        description="no_penalty 不予处罚 / lighter 从轻处罚 / mitigated 减轻处罚 / no_compulsion 免予行政强制"
    )
    kind_label: str
    number: str
    title: str = Field(description="违法行为")
    conditions_text: str
    conditions: list[str]
    item_codes: list[str] = Field(description="对应的执法事项编码")
    law_basis: str
    issuer_name: str
    agency_id: int | None
    region_code: str
    region_name: str
    effective_from: dt.date
    effective_to: dt.date | None = Field(description="最后施行的一日；空表示现行有效")


class PublicLenientEntryPage(Schema):
    on: dt.date
    items: list[PublicLenientEntryOut]
    next_cursor: str | None


class PublicTierOut(Schema):
    order: int
    name: str
    conditions: str = Field(description="适用情形（金额区间：下限 ≤ 值 < 上限）")
    fine: str = Field(description="罚款幅度")
    other_kinds: str = Field(description="其他处罚种类")


class PublicBenchmarkOut(Schema):
    id: int
    catalog_item_code: str
    title: str
    issuer_name: str
    agency_id: int | None
    region_code: str | None = Field(description="政府制定的基准：适用区划代码")
    version: int
    effective_from: dt.date
    effective_to: dt.date | None = Field(description="最后施行的一日；空表示现行有效")
    law_name: str
    article: str
    basis_text: str
    lighter_share: float = Field(description="从轻：在本档幅度较低的该比例部分内裁量")
    heavier_share: float = Field(description="从重：在本档幅度较高的该比例部分内裁量")
    mitigated_floor_ratio: float = Field(description="减轻：不低于法定最低限的该比例")
    repeat_window_months: int
    tiers: list[PublicTierOut]


class PublicBenchmarkPage(Schema):
    on: dt.date
    items: list[PublicBenchmarkOut]
    next_cursor: str | None


class PublicBenchmarkVersionOut(Schema):
    id: int
    version: int
    effective_from: dt.date
    effective_to: dt.date | None


class PublicBenchmarkDetailOut(PublicBenchmarkOut):
    versions: list[PublicBenchmarkVersionOut] = Field(
        description="同一制定机关、同一事项的全部版本，新版在前"
    )


class PublicChecklistLineOut(Schema):
    order: int
    content: str = Field(description="检查内容")
    method: str = Field(description="检查方法与标准")
    basis: str = Field(description="依据条款")


class PublicInspectionItemOut(Schema):
    id: int
    code: str
    name: str
    agency_id: int
    agency_name: str
    domain: str
    legal_basis: str
    objects_desc: str
    method: str
    checklist_version: int | None = Field(description="当日施行的检查表单版本；空表示尚无")
    checklist_effective_from: dt.date | None
    checklist_effective_to: dt.date | None
    checklist: list[PublicChecklistLineOut]


class PublicInspectionItemPage(Schema):
    on: dt.date
    items: list[PublicInspectionItemOut]
    next_cursor: str | None


class PublicChecklistVersionOut(Schema):
    version: int
    effective_from: dt.date
    effective_to: dt.date | None
    lines: int


class PublicInspectionItemDetailOut(PublicInspectionItemOut):
    on: dt.date
    checklist_versions: list[PublicChecklistVersionOut]


# --- helpers -----------------------------------------------------------------------------------------------------


def _on(on: dt.date | None) -> dt.date:
    if on is None:
        return clock.today()
    if not lists.EARLIEST <= on <= lists.LATEST:
        raise InvalidInput(
            "有效日期超出可查询的范围（1990 年至 2100 年）。", "on: out of range (1990–2100).", field="on"
        )
    return on


def _filters(agency_id: int | None, region_code: str | None, domain_code: str | None) -> dict[str, Any]:
    agency = region = domain = None
    if agency_id is not None:
        agency = Agency.objects.filter(pk=agency_id, is_active=True).select_related("region").first()
        if agency is None:
            raise InvalidInput("执法主体不存在或未公开。", "Unknown agency.", field="agency_id")
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise InvalidInput("行政区划不存在。", "Unknown region.", field="region_code")
    if domain_code:
        domain = Domain.objects.filter(code=domain_code).first()
        if domain is None:
            raise InvalidInput("执法领域不存在。", "Unknown domain.", field="domain_code")
    return {"agency": agency, "region": region, "domain": domain}


def _entry(e: LenientEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "number": e.number,
        "title": e.title,
        "conditions_text": e.conditions_text,
        "conditions": [str(c) for c in e.conditions],
        "item_codes": e.item_codes,
        "law_basis": e.law_basis,
        "issuer_name": e.issuer_name,
        "agency_id": e.agency_id,
        "region_code": e.region.code,
        "region_name": e.region.name,
        "effective_from": e.effective_from,
        "effective_to": e.effective_to,
    }


def _benchmark(b: Benchmark) -> dict[str, Any]:
    return {
        "id": b.pk,
        "catalog_item_code": b.catalog_item_code,
        "title": b.title,
        "issuer_name": lists.issuer_name(b),
        "agency_id": b.agency_id,
        "region_code": b.region.code if b.region is not None else None,
        "version": b.version,
        "effective_from": b.effective_from,
        "effective_to": b.effective_to,
        "law_name": b.law_name,
        "article": b.article,
        "basis_text": b.basis_text,
        "lighter_share": float(b.lighter_share),
        "heavier_share": float(b.heavier_share),
        "mitigated_floor_ratio": float(b.mitigated_floor_ratio),
        "repeat_window_months": b.repeat_window_months,
        "tiers": [
            {
                "order": order,
                "name": t["name"],
                "conditions": t["conditions"],
                "fine": t["fine"],
                "other_kinds": t["kinds"],
            }
            for order, t in enumerate(lists.tier_rows(b), start=1)
        ],
    }


def _item(i: InspectionItem, lines: list[ChecklistLine]) -> dict[str, Any]:
    first = lines[0] if lines else None
    return {
        "id": i.pk,
        "code": i.code,
        "name": i.name,
        "agency_id": i.agency_id,
        "agency_name": i.agency.name,
        "domain": i.domain.name,
        "legal_basis": i.legal_basis,
        "objects_desc": i.objects_desc,
        "method": i.method,
        "checklist_version": first.version if first else None,
        "checklist_effective_from": first.effective_from if first else None,
        "checklist_effective_to": first.effective_to if first else None,
        "checklist": [
            {"order": line.order, "content": line.content, "method": line.method, "basis": line.basis}
            for line in lines
        ],
    }


# --- endpoints ---------------------------------------------------------------------------------------------------


@router.get(
    "/lenient-entries",
    response={200: PublicLenientEntryPage, **PUBLIC_ERRORS},
    summary="四张清单（不予处罚、从轻、减轻、免予行政强制）",
    auth=None,
)
def lenient_entry_list(
    request: HttpRequest,
    kind: LenientKind | None = None,
    q: str = Query("", max_length=100),
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
    region_code: str | None = Query(None, max_length=12),
    domain_code: str | None = Query(None, max_length=32),
    on: dt.date | None = ON_QUERY,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    day = _on(on)
    qs = public_lenient_entries(
        on=day, kind=kind or None, q=q, **_filters(agency_id, region_code, domain_code)
    )
    rows, next_cursor = keyset(qs, cursor, limit)
    return {"on": day, "items": [_entry(e) for e in rows], "next_cursor": next_cursor}


@router.get(
    "/benchmarks",
    response={200: PublicBenchmarkPage, **PUBLIC_ERRORS},
    summary="行政裁量权基准（含档次）",
    auth=None,
)
def benchmark_list(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
    region_code: str | None = Query(None, max_length=12),
    domain_code: str | None = Query(None, max_length=32),
    on: dt.date | None = ON_QUERY,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    day = _on(on)
    qs = discretion_selectors.public_benchmarks(on=day, q=q, **_filters(agency_id, region_code, domain_code))
    rows, next_cursor = keyset(qs, cursor, limit)
    return {"on": day, "items": [_benchmark(b) for b in rows], "next_cursor": next_cursor}


@router.get(
    "/benchmarks/{benchmark_id}",
    response={200: PublicBenchmarkDetailOut, **PUBLIC_ERRORS},
    summary="行政裁量权基准的一个版本及其全部版本",
    auth=None,
)
def benchmark_detail(request: HttpRequest, benchmark_id: Id) -> dict[str, Any]:
    benchmark = discretion_selectors.public_benchmark(benchmark_id) if 0 < benchmark_id <= MAX_ID else None
    if benchmark is None:
        raise NotFound("该裁量基准不存在或未公开。", "Benchmark not found.", code="benchmark_not_found")
    versions = discretion_selectors.benchmark_versions(benchmark)
    return {
        **_benchmark(benchmark),
        "versions": [
            {
                "id": v.pk,
                "version": v.version,
                "effective_from": v.effective_from,
                "effective_to": v.effective_to,
            }
            for v in versions
        ],
    }


@router.get(
    "/inspection-items",
    response={200: PublicInspectionItemPage, **PUBLIC_ERRORS},
    summary="随机抽查事项清单（含当日施行的检查表单）",
    auth=None,
)
def inspection_item_list(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
    region_code: str | None = Query(None, max_length=12),
    domain_code: str | None = Query(None, max_length=32),
    on: dt.date | None = ON_QUERY,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    day = _on(on)
    qs = inspection_selectors.public_items(q=q, **_filters(agency_id, region_code, domain_code))
    rows, next_cursor = keyset(qs, cursor, limit)
    checklists = inspection_selectors.checklists_on([i.pk for i in rows], day)
    return {
        "on": day,
        "items": [_item(i, checklists.get(i.pk, [])) for i in rows],
        "next_cursor": next_cursor,
    }


@router.get(
    "/inspection-items/{item_id}",
    response={200: PublicInspectionItemDetailOut, **PUBLIC_ERRORS},
    summary="随机抽查事项及其检查表单（当日施行的版本和全部版本）",
    auth=None,
)
def inspection_item_detail(
    request: HttpRequest, item_id: Id, on: dt.date | None = ON_QUERY
) -> dict[str, Any]:
    day = _on(on)
    item = inspection_selectors.public_items().filter(pk=item_id).first() if 0 < item_id <= MAX_ID else None
    if item is None:
        raise NotFound(
            "该抽查事项不存在或未公开。", "Inspection item not found.", code="inspection_item_not_found"
        )
    return {
        **_item(item, inspection_selectors.checklist_on(item, day)),
        "on": day,
        "checklist_versions": [asdict(v) for v in inspection_selectors.checklist_versions(item)],
    }
