"""行政裁量权基准 — JSON API under /api/discretion/: benchmarks (list, detail, create or next version, xlsx
import), a case's facts, recommendation and deviation reason, and the deviation report.

Thin: parse, find the object in the caller's scope (404 outside it), call a service or selector. A refusal
answers ``{code, message, message_en}``: 409 for a rule (e.g. ``benchmark_version_order``), 422 for bad
input (``benchmark_basis_missing``, ``benchmark_tiers_invalid`` with the rows in ``details``), 403 for an
action the role may not take.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Query, Router
from ninja.files import UploadedFile

from zhifa.cases.models import Case
from zhifa.cases.schemas import MAX_ID
from zhifa.cases.selectors import case_get
from zhifa.core import clock
from zhifa.core.apitypes import Id
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.discretion import imports, rules, selectors, services
from zhifa.discretion.models import Benchmark
from zhifa.discretion.schemas import (
    BenchmarkIn,
    BenchmarkOut,
    BenchmarkPage,
    DeviationIn,
    DeviationOut,
    DiscretionImportOut,
    DiscretionReportRowOut,
    FactsIn,
    FactsOut,
    RecommendationOut,
)
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller, keyset
from zhifa.org.models import Agency, Region
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["discretion"])

MAX_LIMIT = 200


def _benchmark_out(b: Benchmark) -> dict[str, Any]:
    spec = services.spec_of(b)
    return {
        "id": b.pk,
        "agency_id": b.agency_id,
        "region_code": b.region.code if b.region is not None else None,
        "catalog_item_code": b.catalog_item_code,
        "title": b.title,
        "version": b.version,
        "effective_from": b.effective_from,
        "effective_to": b.effective_to,
        "law_name": b.law_name,
        "article": b.article,
        "basis_text": b.basis_text,
        "lighter_share": b.lighter_share,
        "heavier_share": b.heavier_share,
        "mitigated_floor_ratio": b.mitigated_floor_ratio,
        "repeat_window_months": b.repeat_window_months,
        "tiers": [
            {**t.__dict__, "harm_levels": list(t.harm_levels), "kinds": list(t.kinds)} for t in spec.tiers
        ],
    }


def _visible(request: HttpRequest) -> Any:
    return selectors.benchmarks_visible(caller(request)).select_related("region").prefetch_related("tiers")


def _case(request: HttpRequest, case_id: int) -> Case:
    if not 0 < case_id <= MAX_ID:
        raise NotFound("案件不存在或不在您的数据范围内。", "Case not found.", code="case_not_found")
    user = caller(request)
    case = case_get(user, case_id)
    perms.require(user, rules.VIEW, case)
    return case


@router.get("/benchmarks", response={200: BenchmarkPage, **READ_ERRORS}, summary="裁量基准列表")
def benchmark_list(
    request: HttpRequest,
    catalog_item_code: str | None = Query(None, max_length=64),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    perms.require(caller(request), rules.VIEW)
    qs = _visible(request)
    if catalog_item_code:
        qs = qs.filter(catalog_item_code=catalog_item_code)
    rows, next_cursor = keyset(qs, cursor, limit)
    return {"items": [_benchmark_out(b) for b in rows], "next_cursor": next_cursor}


def _issuer(request: HttpRequest, agency_id: int | None, region_code: str | None) -> dict[str, Any]:
    if agency_id is not None and region_code:
        raise InvalidInput(
            "制定机关与适用区划只能填一个。", "Give agency_id or region_code.", field="agency_id"
        )
    if agency_id is not None:
        agency = (
            perms.scoped(caller(request), perms.VIEW_AGENCY, Agency)
            .select_related("region")
            .filter(pk=agency_id)
            .first()
        )
        if agency is None:
            raise NotFound("执法主体不存在或不在您的数据范围内。", "Agency not found.")
        return {"agency": agency}
    region = Region.objects.filter(code=region_code or "").first()
    if region is None:
        raise InvalidInput("区划代码不存在。", "Unknown region code.", field="region_code")
    return {"region": region}


@router.post(
    "/benchmarks", response={201: BenchmarkOut, **WRITE_ERRORS}, summary="制定裁量基准（或其新版本）"
)
def benchmark_create(request: HttpRequest, payload: BenchmarkIn) -> tuple[int, dict[str, Any]]:
    data = payload.dict()
    issuer = _issuer(request, data.pop("agency_id"), data.pop("region_code"))
    benchmark = services.benchmark_create(actor=caller(request), **issuer, **data, source="api")
    return 201, _benchmark_out(Benchmark.objects.prefetch_related("tiers").get(pk=benchmark.pk))


@router.post(
    "/benchmarks/import",
    response={200: DiscretionImportOut, **WRITE_ERRORS},
    summary="导入裁量基准（xlsx，每行一个档次）",
)
def benchmark_import(
    request: HttpRequest,
    agency_id: int = Query(..., ge=1, le=MAX_ID),
    file: UploadedFile = File(...),  # noqa: B008
) -> dict[str, Any]:
    """All rows or none: a file with errors writes nothing and answers 422 with the report in ``details``."""
    issuer = _issuer(request, agency_id, None)
    report = imports.benchmark_import(actor=caller(request), file=file, **issuer)
    body = report.as_dict()
    if not report.ok:
        raise InvalidInput(
            f"导入文件有 {len(report.errors)} 处错误，未写入任何数据。",
            f"The file has {len(report.errors)} error(s); nothing was written.",
            code="import_rejected",
            field="file",
            details=body,
        )
    return body


@router.get("/benchmarks/{benchmark_id}", response={200: BenchmarkOut, **READ_ERRORS}, summary="裁量基准详情")
def benchmark_detail(request: HttpRequest, benchmark_id: Id) -> dict[str, Any]:
    perms.require(caller(request), rules.VIEW)
    found = _visible(request).filter(pk=benchmark_id).first() if 0 < benchmark_id <= MAX_ID else None
    if found is None:
        raise NotFound("裁量基准不存在或不在您的数据范围内。", "Benchmark not found.")
    return _benchmark_out(found)


def _facts_out(case: Case) -> dict[str, Any]:
    row = services.facts_for(case)
    values: dict[str, Any] = {
        "case_id": case.pk,
        "act_date": case.act_date,
        "recommendation": services.recommend(case).as_dict(),
    }
    if row is not None:
        for name in (
            "illegal_gains_yuan",
            "goods_value_yuan",
            "harm_level",
            "previous_penalty_on",
            "duration_days",
            "circumstances",
            "mitigation_applied",
            "note",
        ):
            values[name] = getattr(row, name)
    return values


@router.get(
    "/cases/{case_id}/recommendation", response={200: RecommendationOut, **READ_ERRORS}, summary="推荐裁量"
)
def case_recommendation(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    return services.recommend(_case(request, case_id)).as_dict()


@router.get("/cases/{case_id}/facts", response={200: FactsOut, **READ_ERRORS}, summary="案件裁量情节")
def case_facts(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    return _facts_out(_case(request, case_id))


@router.put("/cases/{case_id}/facts", response={200: FactsOut, **WRITE_ERRORS}, summary="登记裁量情节")
def case_facts_record(request: HttpRequest, case_id: Id, payload: FactsIn) -> dict[str, Any]:
    case = _case(request, case_id)
    services.facts_record(actor=caller(request), case=case, **payload.dict())
    return _facts_out(case)


@router.post(
    "/cases/{case_id}/deviation", response={201: DeviationOut, **WRITE_ERRORS}, summary="说明偏离基准的理由"
)
def case_deviation(request: HttpRequest, case_id: Id, payload: DeviationIn) -> tuple[int, dict[str, Any]]:
    case = _case(request, case_id)
    d = services.deviation_explain(actor=caller(request), case=case, reason=payload.reason)
    return 201, {
        "id": d.pk,
        "case_id": case.pk,
        "reason": d.reason,
        "range_text": d.range_text,
        "recorded_at": d.recorded_at,
    }


@router.get(
    "/report", response={200: list[DiscretionReportRowOut], **READ_ERRORS}, summary="裁量偏离与档次分布统计"
)
def report(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100),
    agency_id: int | None = Query(None, ge=1, le=MAX_ID),
) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.VIEW_REPORT)
    agencies = perms.scoped(user, perms.VIEW_AGENCY, Agency)
    if agency_id is not None:
        agencies = agencies.filter(pk=agency_id)
    return selectors.deviation_report(agencies=agencies, year=year or clock.today().year)
