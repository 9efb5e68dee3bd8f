"""清单公示 — the four lists, the discretion benchmarks, the random-inspection list and its checklists in public
(事前公开, "谁编制、谁公示"), generated from the system's own data, with their versions and dates in force.

Every list answers ``?on=YYYY-MM-DD`` (as of a day): it shows each list exactly as it stood in force that day,
which 从旧兼从轻 needs (行政处罚法 第三十七条: the rule in force when the act was done applies, unless the new one
is lighter). The filters are ``q`` (words), ``agency``, ``region`` (a region code), ``domain`` (a domain code)
and, for the four lists, ``kind``. Pages are keyset-paged; ``export.csv`` / ``export.xlsx`` of each list take
the same query and give every matching row. No personal data is read here: the rows are an agency's rules.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from zhifa.catalog.models import LENIENT_BASIS, LenientEntry, LenientKind
from zhifa.catalog.selectors import public_lenient_entries
from zhifa.core import clock
from zhifa.core.pagecache import public_page
from zhifa.core.paging import keyset_page
from zhifa.discretion import selectors as discretion_selectors
from zhifa.discretion.logic import CIRCUMSTANCES, condition_parts, kind_labels, yuan
from zhifa.discretion.models import Benchmark
from zhifa.discretion.services import spec_of
from zhifa.inspections import selectors as inspection_selectors
from zhifa.inspections.models import InspectionItem
from zhifa.org.models import Agency, Domain, Region
from zhifa.portal import selectors
from zhifa.portal.views import (
    MAX_ID,
    BadRequest,
    _agency_or_none,
    _int_param,
    _not_found,
    _param,
    public_view,
)

EXPORT_MAX_ROWS = 20_000  # far above any county's lists; a cap so that one request stays bounded
EARLIEST = dt.date(1990, 1, 1)  # 行政处罚法 took effect in 1996: nothing in force before this
LATEST = dt.date(2100, 12, 31)
EFFECT_LABELS = {"lighter": "从轻", "heavier": "从重", "either": "从轻或者减轻"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ListQuery:
    """The filters of a public list, parsed and checked (a bad value is a 400 page, never a 500)."""

    q: str
    agency: Agency | None
    region: Region | None
    domain: Domain | None
    on: dt.date
    on_given: bool

    @property
    def past(self) -> bool:
        """Asked for a day before today: the page says it shows a past version (历史版本)."""
        return self.on_given and self.on < clock.today()

    def params(self, **extra: str) -> str:
        """The query string that reproduces these filters (for export links and version links)."""
        values = {
            "q": self.q,
            "agency": str(self.agency.pk) if self.agency else "",
            "region": self.region.code if self.region else "",
            "domain": self.domain.code if self.domain else "",
            "on": self.on.isoformat() if self.on_given else "",
            **extra,
        }
        return urlencode({k: v for k, v in values.items() if v})


def parse_on(raw: str) -> dt.date | None:
    """``YYYY-MM-DD`` → a date within the years the lists can hold; ``None`` for an empty value."""
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise BadRequest("日期格式应为 YYYY-MM-DD，例如 2025-01-01。") from None
    if not EARLIEST <= day <= LATEST:
        raise BadRequest("日期超出可查询的范围（1990 年至 2100 年）。")
    return day


def list_query(request: HttpRequest) -> ListQuery:
    q = _param(request, "q")
    agency_id = _int_param(request, "agency")
    agency = _agency_or_none(agency_id)
    if agency_id is not None and agency is None:
        raise BadRequest("该执法主体不存在或未公开。")
    region_code = _param(request, "region")
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region_code and region is None:
        raise BadRequest("行政区划不存在。")
    domain_code = _param(request, "domain")
    domain = Domain.objects.filter(code=domain_code).first() if domain_code else None
    if domain_code and domain is None:
        raise BadRequest("执法领域不存在。")
    on = parse_on(_param(request, "on"))
    return ListQuery(q, agency, region, domain, on or clock.today(), on is not None)


def _filter_choices() -> dict[str, Any]:
    regions = Region.objects.filter(agencies__is_active=True).distinct().order_by("path")
    return {
        "agencies": list(selectors.public_agencies().only("id", "name", "region__name")),
        "regions": list(regions.only("code", "name")),
        "domains": list(Domain.objects.order_by("sort", "code")),
    }


def _exports(name: str, params: str) -> dict[str, str]:
    return {
        fmt: reverse(name, kwargs={"fmt": fmt}) + (f"?{params}" if params else "") for fmt in ("csv", "xlsx")
    }


# --- export ------------------------------------------------------------------------------------------------------


def export_response(
    name: str, fmt: str, header: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str
) -> HttpResponse:
    """The rows as a UTF-8 CSV (with a BOM, so that Excel reads it) or an xlsx workbook (openpyxl)."""
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        # local import: openpyxl is heavy and only the spreadsheet export needs it
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        ws = book.create_sheet(sheet)
        ws.append(list(header))
        for row in rows:
            ws.append(list(row))
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _export_or_404(request: HttpRequest, fmt: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        return _not_found(request, "没有这种导出格式（可导出 csv 或 xlsx）。")
    return build()


# --- hub ---------------------------------------------------------------------------------------------------------


@public_page
@public_view
def lists_home(request: HttpRequest) -> HttpResponse:
    """清单公示 — the lists an agency publishes before it acts: four lists, benchmarks, inspection items."""
    return render(
        request,
        "portal/lists_home.html",
        {
            "kinds": [(value, label, LENIENT_BASIS[value]) for value, label in LenientKind.choices],
            "today": clock.today(),
        },
    )


# --- the four lists (四张清单) --------------------------------------------------------------------------------------


def _kind(request: HttpRequest) -> str:
    kind = _param(request, "kind")
    if kind and kind not in LenientKind.values:
        raise BadRequest("清单类别不正确。")
    return kind


def _lenient_qs(query: ListQuery, kind: str) -> Any:
    return public_lenient_entries(
        on=query.on,
        kind=kind or None,
        q=query.q,
        agency=query.agency,
        region=query.region,
        domain=query.domain,
    )


LENIENT_ORDER = ("kind", "number", "id")


@public_page
@public_view
def lenient_list(request: HttpRequest) -> HttpResponse:
    """四张清单 — 不予处罚、从轻处罚、减轻处罚、免予行政强制 entries in force on the day asked."""
    query, kind = list_query(request), _kind(request)
    page = keyset_page(_lenient_qs(query, kind), request, ordering=LENIENT_ORDER, size=50)
    return render(
        request,
        "portal/lenient_list.html",
        {
            "query": query,
            "kind": kind,
            "kind_label": LenientKind(kind).label if kind else "四张清单",
            "basis": LENIENT_BASIS.get(kind, ""),
            "tabs": [("", "全部"), *LenientKind.choices],
            "entries": page.items,
            "page": page,
            "exports": _exports("portal:lenient_export", query.params(kind=kind)),
            **_filter_choices(),
        },
    )


def _lenient_row(e: LenientEntry) -> list[Any]:
    return [
        e.get_kind_display(),
        e.number,
        e.title,
        e.conditions_text,
        "；".join(e.conditions),
        "、".join(e.item_codes),
        e.law_basis,
        e.issuer_name,
        e.region.name,
        e.effective_from.isoformat(),
        e.effective_to.isoformat() if e.effective_to else "",
    ]


LENIENT_HEADER = (
    "清单",
    "序号",
    "违法行为",
    "适用条件",
    "逐项条件",
    "对应执法事项编码",
    "法律依据",
    "发布单位",
    "适用区域",
    "施行日期",
    "失效日期",
)


@public_view
def lenient_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """四张清单 as CSV or xlsx, with the same filters and day as the page."""
    query, kind = list_query(request), _kind(request)

    def build() -> HttpResponse:
        rows = _lenient_qs(query, kind).order_by(*LENIENT_ORDER)[:EXPORT_MAX_ROWS]
        name = f"lenient-lists-{kind or 'all'}-{query.on.isoformat()}"
        return export_response(name, fmt, LENIENT_HEADER, (_lenient_row(e) for e in rows), "四张清单")

    return _export_or_404(request, fmt, build)


# --- discretion benchmarks (裁量基准) --------------------------------------------------------------------------------


def _benchmark_qs(query: ListQuery) -> Any:
    return discretion_selectors.public_benchmarks(
        on=query.on, q=query.q, agency=query.agency, region=query.region, domain=query.domain
    )


BENCHMARK_ORDER = ("catalog_item_code", "id")


def fine_text(tier: Any) -> str:
    if tier.fine_basis == "amount":
        return f"罚款 {yuan(tier.fine_min_yuan)} 至 {yuan(tier.fine_max_yuan)} 元"
    if tier.fine_basis == "gains_multiple":
        return f"违法所得 {tier.multiple_min} 至 {tier.multiple_max} 倍罚款"
    if tier.fine_basis == "goods_multiple":
        return f"货值金额 {tier.multiple_min} 至 {tier.multiple_max} 倍罚款"
    return "不罚款"


def tier_rows(benchmark: Benchmark) -> list[dict[str, Any]]:
    return [
        {
            "name": t.name,
            "conditions": "；".join(condition_parts(t)) or "不限",
            "fine": fine_text(t),
            "kinds": kind_labels(t.kinds) or "—",
        }
        for t in spec_of(benchmark).tiers
    ]


def issuer_name(benchmark: Benchmark) -> str:
    return benchmark.agency.name if benchmark.agency else f"{benchmark.region.name}人民政府"  # type: ignore[union-attr]


@public_page
@public_view
def benchmark_list(request: HttpRequest) -> HttpResponse:
    """裁量基准 — the benchmark versions in force on the day asked, each with its tiers on its page."""
    query = list_query(request)
    page = keyset_page(_benchmark_qs(query), request, ordering=BENCHMARK_ORDER, size=50)
    rows = [{"b": b, "issuer": issuer_name(b), "tiers": len(b.tiers.all())} for b in page.items]
    return render(
        request,
        "portal/benchmark_list.html",
        {
            "query": query,
            "rows": rows,
            "page": page,
            "exports": _exports("portal:benchmark_export", query.params()),
            "detail_params": f"?on={query.on.isoformat()}" if query.on_given else "",
            **_filter_choices(),
        },
    )


def _in_force_today(versions: Sequence[Benchmark]) -> Benchmark | None:
    today = clock.today()
    return next(
        (
            v
            for v in versions
            if v.effective_from <= today and (v.effective_to is None or today <= v.effective_to)
        ),
        None,
    )


@public_page
@public_view
def benchmark_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One benchmark: its tiers and circumstances, and every version; ``?on=`` shows the version of the same
    series that was in force that day (or says none was)."""
    benchmark = discretion_selectors.public_benchmark(pk) if 0 < pk <= MAX_ID else None
    if benchmark is None:
        return _not_found(request, "该裁量基准不存在或未公开。")
    on = parse_on(_param(request, "on"))
    shown: Benchmark | None = benchmark
    if on is not None:
        shown = discretion_selectors.benchmark_version_on(benchmark, on)
    versions = list(discretion_selectors.benchmark_versions(benchmark))
    return render(
        request,
        "portal/benchmark_detail.html",
        {
            "series": benchmark,
            "b": shown,
            "on": on,
            "past": on is not None and on < clock.today(),
            "issuer": issuer_name(benchmark),
            "tiers": tier_rows(shown) if shown else [],
            "versions": versions,
            "in_force_today": _in_force_today(versions),
            "circumstances": [
                (label, EFFECT_LABELS.get(effect, effect), source)
                for label, effect, source in CIRCUMSTANCES.values()
            ],
        },
    )


BENCHMARK_HEADER = (
    "执法事项编码",
    "违法行为",
    "制定机关",
    "版本",
    "施行日期",
    "失效日期",
    "法律依据",
    "档次",
    "适用情形",
    "罚款",
    "其他处罚",
    "从轻（幅度较低部分）",
    "从重（幅度较高部分）",
)


def _benchmark_export_rows(benchmarks: Iterable[Benchmark]) -> Iterable[list[Any]]:
    for b in benchmarks:
        head = [
            b.catalog_item_code,
            b.title,
            issuer_name(b),
            b.version,
            b.effective_from.isoformat(),
            b.effective_to.isoformat() if b.effective_to else "",
            f"《{b.law_name}》{b.article}",
        ]
        shares = [f"{b.lighter_share * 100:.0f}%", f"{b.heavier_share * 100:.0f}%"]
        for t in tier_rows(b):
            yield [*head, t["name"], t["conditions"], t["fine"], t["kinds"], *shares]


@public_view
def benchmark_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """裁量基准 as CSV or xlsx: one row per tier, with the same filters and day as the page."""
    query = list_query(request)

    def build() -> HttpResponse:
        rows = _benchmark_qs(query).order_by(*BENCHMARK_ORDER)[:EXPORT_MAX_ROWS]
        name = f"discretion-benchmarks-{query.on.isoformat()}"
        return export_response(name, fmt, BENCHMARK_HEADER, _benchmark_export_rows(rows), "裁量基准")

    return _export_or_404(request, fmt, build)


# --- random-inspection items and checklists (随机抽查事项清单、检查表单) -----------------------------------------


def _item_qs(query: ListQuery) -> Any:
    return inspection_selectors.public_items(
        q=query.q, agency=query.agency, region=query.region, domain=query.domain
    )


ITEM_ORDER = ("code", "id")


@public_page
@public_view
def inspection_item_list(request: HttpRequest) -> HttpResponse:
    """随机抽查事项清单 — active items with their basis, and each one's checklist as of the day asked."""
    query = list_query(request)
    page = keyset_page(_item_qs(query), request, ordering=ITEM_ORDER, size=50)
    checklists = inspection_selectors.checklists_on([i.pk for i in page.items], query.on)
    rows = [{"item": i, "lines": checklists.get(i.pk, [])} for i in page.items]
    return render(
        request,
        "portal/inspection_item_list.html",
        {
            "query": query,
            "rows": rows,
            "page": page,
            "exports": _exports("portal:inspection_item_export", query.params()),
            "detail_params": f"?on={query.on.isoformat()}" if query.on_given else "",
            **_filter_choices(),
        },
    )


@public_page
@public_view
def inspection_item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One inspection item and its checklist (检查表单) as of the day asked, with every version."""
    item = inspection_selectors.public_items().filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if item is None:
        return _not_found(request, "该抽查事项不存在或未公开。")
    on = parse_on(_param(request, "on"))
    return render(
        request,
        "portal/inspection_item_detail.html",
        {
            "item": item,
            "on": on,
            "past": on is not None and on < clock.today(),
            "lines": inspection_selectors.checklist_on(item, on or clock.today()),
            "versions": inspection_selectors.checklist_versions(item),
        },
    )


ITEM_HEADER = (
    "事项编码",
    "检查事项",
    "执法主体",
    "执法领域",
    "检查对象",
    "检查方式",
    "检查依据",
    "检查表单版本",
    "表单施行日期",
    "序号",
    "检查内容",
    "检查方法与标准",
    "依据条款",
)


def _item_export_rows(items: Sequence[InspectionItem], on: dt.date) -> Iterable[list[Any]]:
    checklists = inspection_selectors.checklists_on([i.pk for i in items], on)
    for i in items:
        head = [i.code, i.name, i.agency.name, i.domain.name, i.objects_desc, i.method, i.legal_basis]
        lines = checklists.get(i.pk, [])
        if not lines:
            yield [*head, "", "", "", "", "", ""]
        for line in lines:
            yield [
                *head,
                line.version,
                line.effective_from.isoformat(),
                line.order,
                line.content,
                line.method,
                line.basis,
            ]


@public_view
def inspection_item_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """随机抽查事项清单 with its checklists (one row per checklist line) as CSV or xlsx."""
    query = list_query(request)

    def build() -> HttpResponse:
        items = list(_item_qs(query).order_by(*ITEM_ORDER)[:EXPORT_MAX_ROWS])
        name = f"inspection-items-{query.on.isoformat()}"
        return export_response(name, fmt, ITEM_HEADER, _item_export_rows(items, query.on), "随机抽查事项清单")

    return _export_or_404(request, fmt, build)
