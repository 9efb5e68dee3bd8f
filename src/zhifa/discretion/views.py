"""Discretion pages: the benchmark list and detail, xlsx import and its template, the report, and the case
panel's two forms (facts, deviation reason), answered as an htmx fragment or, without JavaScript, a redirect.
Thin: reads through selectors, writes through services; a refusal goes back beside the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.cases.selectors import case_get
from zhifa.core import clock
from zhifa.core.errors import DomainError
from zhifa.core.paging import keyset_page
from zhifa.discretion import checks, imports, rules, selectors, services
from zhifa.discretion.forms import DeviationForm, FactsForm, ImportForm
from zhifa.discretion.logic import condition_parts, kind_labels
from zhifa.discretion.models import Benchmark
from zhifa.org import permissions as perms
from zhifa.org.forms import add_domain_error
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency, User


def _require(request: HttpRequest, action: str) -> None:
    if not perms.can(request.user, action):
        raise DjangoPermissionDenied


@login_required
@require_GET
def benchmarks(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, rules.VIEW)
    code = (request.GET.get("code") or "").strip()[:64]
    qs = selectors.benchmarks_visible(request.user).select_related("agency", "region")
    if code:
        qs = qs.filter(catalog_item_code__icontains=code)
    page = keyset_page(qs, request, ordering=("catalog_item_code", "-effective_from", "-id"), size=100)
    return render(
        request,
        "discretion/benchmarks.html",
        {
            "rows": page.items,
            "page": page,
            "code": code,
            "today": clock.today(),
            "can_manage": perms.can(request.user, rules.MANAGE),
            "can_report": perms.can(request.user, rules.VIEW_REPORT),
        },
    )


@login_required
@require_GET
def benchmark_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request, rules.VIEW)
    benchmark = get_object_or_404(
        selectors.benchmarks_visible(request.user).select_related("agency", "region"), pk=pk
    )
    spec = services.spec_of(benchmark)
    tiers = [{"tier": t, "conditions": condition_parts(t), "kinds": kind_labels(t.kinds)} for t in spec.tiers]
    versions = Benchmark.objects.filter(
        catalog_item_code=benchmark.catalog_item_code, agency=benchmark.agency, region=benchmark.region
    ).order_by("-version")
    return render(
        request, "discretion/benchmark_detail.html", {"b": benchmark, "tiers": tiers, "versions": versions}
    )


def _manageable_agencies(user: User) -> list[Agency]:
    # every agency in scope (form choices: a cap would drop agencies), filtered to those the user may manage
    agencies = perms.scoped(user, perms.VIEW_AGENCY, Agency).select_related("region").order_by("name")
    return [
        a
        for a in agencies
        if perms.can(user, rules.MANAGE, Benchmark(agency=a, agency_path=a.path, region_path=a.region.path))
    ]


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, rules.MANAGE)
    agencies = _manageable_agencies(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    chosen = request.POST.get("agency_id") or (str(agencies[0].pk) if agencies else "")
    if request.method == "POST" and form.is_valid():
        agency = next((a for a in agencies if str(a.pk) == chosen), None)
        if agency is None:
            form.add_error(None, "请选择您有权制定裁量基准的执法主体。")
        else:
            try:
                report = imports.benchmark_import(
                    actor=request.user, file=form.cleaned_data["file"], agency=agency
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if report.ok:
                    messages.success(request, f"已导入 {len(report.created)} 个裁量基准版本。")
                    return redirect("discretion:benchmarks")
    return render(
        request,
        "discretion/import.html",
        {"form": form, "report": report, "agencies": agencies, "chosen": chosen},
    )


@login_required
@require_GET
def template_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, rules.VIEW)
    response = HttpResponse(
        imports.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''discretion-template.xlsx"
    return response


@login_required
@require_GET
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, rules.VIEW_REPORT)
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    year = min(max(year, 2000), 2100)
    agencies = perms.scoped(request.user, perms.VIEW_AGENCY, Agency)
    rows = selectors.deviation_report(agencies=agencies, year=year)
    tier_names = sorted({name for r in rows for name in r["tiers"]})
    for r in rows:
        r["tier_counts"] = [r["tiers"].get(name, 0) for name in tier_names]
    return render(
        request,
        "discretion/report.html",
        {"rows": rows, "year": year, "tier_names": tier_names, "years": range(year - 3, year + 2)},
    )


# --- the case panel's forms -------------------------------------------------------------------------------------


def _panel(request: AuthenticatedHttpRequest, case: Any, **override: Any) -> HttpResponse:
    context = checks.panel_context(request.user, case)
    context.update(override)
    if request.htmx:
        return render(request, "discretion/panel.html", {"ctx": context})
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def case_facts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_get(request.user, pk)
    form = FactsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.facts_record(actor=request.user, case=case, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if not request.htmx:
                messages.success(request, "裁量情节已保存。")
            return _panel(request, case, saved="facts")
    if not request.htmx:
        messages.error(
            request, "裁量情节未保存：" + "；".join(str(e) for errs in form.errors.values() for e in errs)
        )
    return _panel(request, case, facts_form=form)


@login_required
@require_POST
def case_deviation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_get(request.user, pk)
    form = DeviationForm(request.POST)
    if form.is_valid():
        try:
            services.deviation_explain(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if not request.htmx:
                messages.success(request, "偏离理由已记录，并已提示执法监督机构。")
            return _panel(request, case, saved="deviation")
    if not request.htmx:
        messages.error(
            request, "偏离理由未记录：" + "；".join(str(e) for errs in form.errors.values() for e in errs)
        )
    return _panel(request, case, deviation_form=form)
