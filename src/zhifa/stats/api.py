"""统计与考评 — JSON API under /api/stats/: dashboard charts, drill-down, annual report, remedy import,
assessment schemes and scores. Scoped like the pages: a region or agency outside the caller's scope is 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile

from zhifa.core.apitypes import BigInt, Id, ShortText
from zhifa.core.errors import NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller, in_scope, keyset
from zhifa.org.models import Region, User
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS
from zhifa.stats import report, rules, selectors, services
from zhifa.stats.models import AssessmentScheme

router = Router(tags=["stats"])

MAX_ID = 2**62


class SeriesOut(Schema):
    name: str
    metric: str
    key: str | None = None
    values: list[float]


class ChartOut(Schema):
    name: str
    title: str
    type: str
    dimension: str
    labels: list[str]
    keys: list[int | str]
    series: list[SeriesOut]
    note: str = ""


class HeadlineOut(Schema):
    decided: int
    fines: float
    inspections: int
    warnings: int
    reviews: int
    publications: int
    complaints: int
    overdue: int
    reviews_overdue: int
    publications_overdue: int
    complaints_overdue: int


class DashboardOut(Schema):
    scope: str
    year: int
    headline: HeadlineOut
    charts: list[ChartOut]


class DrillCaseOut(Schema):
    id: int
    number: str | None
    title: str
    agency_id: int
    stage: str
    opened_on: dt.date | None
    decided_on: dt.date | None
    fine_yuan: Decimal | None
    next_deadline: dt.date | None


class DrillPage(Schema):
    items: list[DrillCaseOut]
    next_cursor: str | None


class StatsReportRowOut(Schema):
    label: str
    value: str


class ReportSectionOut(Schema):
    title: str
    rows: list[StatsReportRowOut]


class ReportOut(Schema):
    year: int
    scope: str
    sections: list[ReportSectionOut]


class StatsImportOut(Schema):
    id: int
    rows: int
    sha256: str
    withdrawn: int = Field(..., description="公示因结果为撤销、变更、确认违法或无效而撤回的条数")


class IndicatorIn(Schema):
    code: str
    weight: BigInt


class SchemeIn(Schema):
    region: str
    year: BigInt
    name: str
    indicators: Annotated[list[IndicatorIn], Field(max_length=200)]


class IndicatorOut(Schema):
    code: str
    weight: int


class ScoreOut(Schema):
    agency_id: int
    agency: str
    total: Decimal
    rank: int
    detail: dict[str, str | None]


class SchemeOut(Schema):
    id: int
    region: str
    year: int
    name: str
    status: str
    indicators: list[IndicatorOut]
    scores: list[ScoreOut]


def _scope(request: HttpRequest, year: int | None, region: str, agency: int | None) -> selectors.Scope:
    return selectors.scope_for(caller(request), year=year, region=region, agency=agency)


@router.get("/dashboard", response={200: DashboardOut, **READ_ERRORS}, summary="执法监督看板（全部图表）")
def dashboard(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100),
    region: str = Query("", max_length=12),
    agency: int | None = Query(None, ge=1, le=MAX_ID),
) -> dict[str, Any]:
    scope = _scope(request, year, region, agency)
    return {
        "scope": scope.label,
        "year": scope.year,
        "headline": selectors.headline(scope),
        "charts": [selectors.chart(scope, name) for name in selectors.CHARTS],
    }


@router.get("/charts/{name}", response={200: ChartOut, **READ_ERRORS}, summary="单个图表数据")
def chart(
    request: HttpRequest,
    name: ShortText,
    year: int | None = Query(None, ge=2000, le=2100),
    region: str = Query("", max_length=12),
    agency: int | None = Query(None, ge=1, le=MAX_ID),
) -> dict[str, Any]:
    return selectors.chart(_scope(request, year, region, agency), name)


@router.get("/drill", response={200: DrillPage, **READ_ERRORS}, summary="下钻：图表中一个数背后的案件")
def drill(
    request: HttpRequest,
    metric: str = Query(..., max_length=32),
    year: int | None = Query(None, ge=2000, le=2100),
    month: int | None = Query(None, ge=1, le=12),
    key: str = Query("", max_length=40),
    region: str = Query("", max_length=12),
    agency: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    scope = _scope(request, year, region, agency)
    rows, next_cursor = keyset(selectors.drill_cases(scope, metric, month=month, key=key), cursor, limit)
    return {"items": rows, "next_cursor": next_cursor}


@router.get("/annual", response={200: ReportOut, **READ_ERRORS}, summary="行政执法统计年报")
def annual(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100),
    region: str = Query("", max_length=12),
    agency: int | None = Query(None, ge=1, le=MAX_ID),
) -> dict[str, Any]:
    data = report.annual_report(_scope(request, year, region, agency))
    return {
        "year": data.year,
        "scope": data.scope_label,
        "sections": [
            {"title": s.title, "rows": [{"label": label, "value": str(value)} for label, value in s.rows]}
            for s in data.sections
        ],
    }


def _region(request: HttpRequest, code: str) -> Region:
    return in_scope(request, rules.VIEW, Region.objects.all(), "区划", _region_pk(code), "Region")


def _region_pk(code: str) -> int:
    pk = Region.objects.filter(code=code).values_list("pk", flat=True).first() if code else None
    if pk is None:
        raise NotFound("区划不存在或不在您的数据范围内。", "Region not found.", code="region_not_found")
    return pk


@router.post(
    "/remedies/import",
    response={201: StatsImportOut, **WRITE_ERRORS},
    summary="导入行政复议、行政诉讼结果（.xlsx）",
)
def remedy_import(
    request: HttpRequest,
    region: str = Query(..., max_length=12),
    file: UploadedFile = File(...),  # noqa: B008
) -> tuple[int, dict[str, Any]]:
    """All rows or none: any bad row answers 422 with every row's error in ``details``."""
    found = _region(request, region)
    batch = services.remedy_import(
        actor=caller(request), region=found, filename=file.name or "", content=file.read(10 * 1024 * 1024 + 1)
    )
    return 201, {"id": batch.pk, "rows": batch.rows, "sha256": batch.sha256, "withdrawn": batch.withdrawn}


def _scheme_out(scheme: AssessmentScheme, user: User) -> dict[str, Any]:
    scores = (
        perms.scoped(user, rules.VIEW, scheme.scores.all())
        .select_related("agency")
        .order_by("rank", "agency_id")
    )
    return {
        "id": scheme.pk,
        "region": scheme.region.code,
        "year": scheme.year,
        "name": scheme.name,
        "status": scheme.status,
        "indicators": [{"code": i.code, "weight": i.weight} for i in scheme.indicators.all()],
        "scores": [
            {
                "agency_id": s.agency_id,
                "agency": s.agency.name,
                "total": s.total,
                "rank": s.rank,
                "detail": s.detail,
            }
            for s in scores
        ],
    }


@router.get("/assessment/schemes", response={200: list[SchemeOut], **READ_ERRORS}, summary="考评方案列表")
def scheme_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.VIEW)
    # A bare list in the API contract: at most 50 (a few schemes per region and year); paging it would change
    # the response shape (to do with the next API version).
    schemes = perms.scoped(user, rules.VIEW, AssessmentScheme).select_related("region")[:50]
    return [_scheme_out(s, user) for s in schemes]


@router.post(
    "/assessment/schemes", response={201: SchemeOut, **WRITE_ERRORS}, summary="新建考评方案（权重合计 100）"
)
def scheme_create(request: HttpRequest, payload: SchemeIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    scheme = services.assessment_scheme_create(
        actor=user,
        region=_region(request, payload.region),
        year=payload.year,
        name=payload.name,
        indicators=[i.dict() for i in payload.indicators],
    )
    return 201, _scheme_out(scheme, user)


@router.post(
    "/assessment/schemes/{scheme_id}/score",
    response={200: SchemeOut, **WRITE_ERRORS},
    summary="考评评分与排名",
)
def scheme_score(request: HttpRequest, scheme_id: Id) -> dict[str, Any]:
    if not 0 < scheme_id <= MAX_ID:
        raise NotFound("考评方案不存在或不在您的数据范围内。", "Scheme not found.")
    user = caller(request)
    scheme = in_scope(
        request, rules.VIEW, AssessmentScheme.objects.select_related("region"), "考评方案", scheme_id
    )
    services.assessment_score(actor=user, scheme=scheme)
    scheme.refresh_from_db()
    return _scheme_out(scheme, user)
