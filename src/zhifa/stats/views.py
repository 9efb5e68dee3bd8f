"""Pages of statistics: the supervision dashboard (ECharts), drill-down to cases, chart exports, the annual
report (HTML, xlsx, PDF), the reconsideration/litigation import and the agency assessment (考评).

Thin: reads go through ``zhifa.stats.selectors`` (scoped; a region or agency outside the caller's scope is a
404), writes through ``zhifa.stats.services``; a refusal is shown beside the form.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core import clock
from zhifa.core.errors import DomainError, InvalidInput, NotFound
from zhifa.core.forms import parse
from zhifa.core.paging import capped, keyset_page
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Region, User
from zhifa.stats import export, report, rules, selectors, services
from zhifa.stats.aggregates import METRICS
from zhifa.stats.forms import AssessmentForm
from zhifa.stats.models import AssessmentScheme, Indicator, RemedyImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int(raw: str | None, field: str) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidInput("参数须为数字。", "Not a number.", field=field, code="bad_parameter")
    return int(raw)


def _scope(request: AuthenticatedHttpRequest) -> selectors.Scope:
    g = request.GET
    return selectors.scope_for(
        request.user,
        year=_int(g.get("year"), "year"),
        region=(g.get("region") or "")[:12],
        agency=_int(g.get("agency"), "agency"),
    )


def _query(scope: selectors.Scope, **extra: Any) -> str:
    return urlencode({**scope.params, **{k: v for k, v in extra.items() if v not in (None, "")}})


def _regions(user: User) -> list[Region]:
    # every region in the user's scope (the filter's choices: a cap would drop regions)
    return list(perms.scoped(user, rules.VIEW, Region).order_by("path"))


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """执法监督看板 — every chart of the caller's region (or one agency) and year, from the facts."""
    scope = _scope(request)
    charts = [selectors.chart(scope, name) for name in selectors.CHARTS]
    q = _query(scope)
    for c in charts:
        c["export_url"] = reverse("stats:chart_export", args=[c["name"]]) + f"?{q}"
        c["drill_url"] = reverse("stats:drill") + f"?{q}"
    this_year = clock.today().year
    return render(
        request,
        "stats/dashboard.html",
        {
            "scope": scope,
            "charts": charts,
            "chart_data": {c["name"]: c for c in charts},
            "headline": selectors.headline(scope),
            "regions": _regions(request.user),
            "years": list(range(this_year, this_year - 6, -1)),
            "query": q,
        },
    )


@login_required
@require_GET
def chart_export(request: AuthenticatedHttpRequest, name: str) -> HttpResponse:
    scope = _scope(request)
    data = selectors.chart(scope, name)
    return _attachment(
        export.chart_xlsx(data, scope.label, scope.year), XLSX, f"{data['title']}-{scope.year}.xlsx"
    )


@login_required
@require_GET
def drill(request: AuthenticatedHttpRequest) -> HttpResponse:
    """下钻 — the cases counted in one bar of a chart."""
    scope = _scope(request)
    metric = request.GET.get("metric", "")[:32]
    month = _int(request.GET.get("month"), "month")
    key = request.GET.get("key", "")[:40]
    qs = selectors.drill_cases(scope, metric, month=month, key=key).select_related("agency")
    page = keyset_page(qs, request)
    return render(
        request,
        "stats/drill.html",
        {
            "scope": scope,
            "page": page,
            "metric": metric,
            "metric_label": selectors_label(metric),
            "month": month,
            "key": key,
            "query": _query(scope, metric=metric, month=month, key=key),
            "back": reverse("stats:dashboard") + f"?{_query(scope)}",
        },
    )


def selectors_label(metric: str) -> str:
    return METRICS.get(metric, metric)


@login_required
@require_GET
def annual(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = _scope(request)
    data = report.annual_report(scope)
    fmt = request.GET.get("format", "")
    name = f"{scope.year}年度行政执法统计年报-{scope.label}"
    if fmt == "xlsx":
        return _attachment(report.report_xlsx(data), XLSX, f"{name}.xlsx")
    if fmt == "pdf":
        return _attachment(report.report_pdf(data), "application/pdf", f"{name}.pdf")
    this_year = clock.today().year
    return render(
        request,
        "stats/annual.html",
        {
            "scope": scope,
            "report": data,
            "query": _query(scope),
            "regions": _regions(request.user),
            "years": list(range(this_year, this_year - 6, -1)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def remedy_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """复议、诉讼结果导入 (xlsx) — every row checked; any error and nothing is written."""
    perms.require(request.user, rules.IMPORT_REMEDY, request=request)
    regions = _regions(request.user)
    errors: list[dict[str, Any]] = []
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        region = next((r for r in regions if r.code == request.POST.get("region")), None)
        try:
            if region is None:
                raise InvalidInput("请选择区划。", "Choose a region.", field="region", code="region_required")
            if upload is None:
                raise InvalidInput("请选择文件。", "Choose a file.", field="file", code="file_required")
            if upload.size > 10 * 1024 * 1024:
                raise InvalidInput(
                    "文件不能超过 10 MB。", "At most 10 MB.", field="file", code="file_too_large"
                )
            batch = services.remedy_import(
                actor=request.user, region=region, filename=upload.name, content=upload.read()
            )
            withdrawn = f"，据原行政行为文号撤回公示 {batch.withdrawn} 条" if batch.withdrawn else ""
            messages.success(request, f"已导入 {batch.rows} 条复议、诉讼结果{withdrawn}。")
            return redirect("stats:remedy_import")
        except DomainError as exc:
            error = exc.message
            errors = exc.details if isinstance(exc.details, list) else []
    batches = capped(perms.scoped(request.user, rules.VIEW, RemedyImport).select_related("region"), 20)
    return render(
        request,
        "stats/remedy_import.html",
        {
            "regions": regions,
            "error": error,
            "errors": errors,
            "batches": batches,
            "columns": services.IMPORT_COLUMNS,
        },
        status=422 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request: AuthenticatedHttpRequest) -> HttpResponse:
    """考评方案 — list, create (weights summing to 100) and score."""
    perms.require(request.user, rules.VIEW, request=request)
    regions = _regions(request.user)
    error = ""
    form: dict[str, Any] = {}
    can_manage = perms.can(request.user, rules.MANAGE_ASSESSMENT)
    if request.method == "POST":
        form = request.POST.dict()
        region = next((r for r in regions if r.code == request.POST.get("region")), None)
        try:
            if region is None:
                raise InvalidInput("请选择区划。", "Choose a region.", field="region", code="region_required")
            data = parse(AssessmentForm, request.POST)
            indicators = [
                {"code": code, "weight": str(data[f"weight_{code}"])}
                for code in Indicator.values
                if data[f"weight_{code}"] is not None
            ]
            scheme = services.assessment_scheme_create(
                actor=request.user,
                region=region,
                year=data["year"] or 0,
                name=data["name"],
                indicators=indicators,
            )
            messages.success(request, f"已创建考评方案“{scheme.name}”。")
            return redirect("stats:assessment")
        except DomainError as exc:
            error = exc.message
    schemes = capped(
        perms.scoped(request.user, rules.VIEW, AssessmentScheme)
        .select_related("region")
        .prefetch_related("indicators"),
        30,
    )
    return render(
        request,
        "stats/assessment.html",
        {
            "schemes": schemes,
            "regions": regions,
            "indicators": Indicator.choices,
            "error": error,
            "form": form,
            "can_manage": can_manage,
            "this_year": clock.today().year,
        },
        status=422 if error else 200,
    )


@login_required
@require_POST
def assessment_score(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scheme = perms.scoped(request.user, rules.VIEW, AssessmentScheme).filter(pk=pk).first()
    if scheme is None:
        raise NotFound("考评方案不存在或不在您的数据范围内。", "Scheme not found.")
    try:
        services.assessment_score(actor=request.user, scheme=scheme)
        messages.success(request, "已完成评分。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("stats:assessment_detail", pk=pk)


@login_required
@require_GET
def assessment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scheme = (
        perms.scoped(request.user, rules.VIEW, AssessmentScheme)
        .filter(pk=pk)
        .select_related("region")
        .first()
    )
    if scheme is None:
        raise NotFound("考评方案不存在或不在您的数据范围内。", "Scheme not found.")
    scores = perms.scoped(request.user, rules.VIEW, scheme.scores.all()).select_related("agency")
    indicators = list(scheme.indicators.all())
    rows = [
        {"score": s, "values": [s.detail.get(i.code) for i in indicators]}
        for s in scores.order_by("rank", "agency_id")
    ]
    return render(
        request,
        "stats/assessment_detail.html",
        {
            "scheme": scheme,
            "indicators": indicators,
            "rows": rows,
            "can_manage": perms.can(request.user, rules.MANAGE_ASSESSMENT, scheme),
        },
    )
