"""Pages of checklists (检查表单): the xlsx import with its template, and recording a visit's merged checklist
(一表通查) from the officer's on-site page (the list itself is the include ``inspections/_checklist.html``).

Thin, as the other inspection pages: the import goes through ``imports.checklist_import``, the results through
``services.checklist_record``; every refusal is shown in Chinese and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.core import clock
from zhifa.core.errors import DomainError, NotFound
from zhifa.inspections import imports, rules, selectors, services
from zhifa.inspections.views import _onsite_step, _require, _tabs
from zhifa.org.forms import add_domain_error
from zhifa.org.http import AuthenticatedHttpRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ChecklistImportForm(forms.Form):
    file = forms.FileField(label="导入文件（.xlsx）")
    effective_from = forms.DateField(
        label="施行日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


@login_required
@require_http_methods(["GET", "POST"])
def checklist_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """检查表单导入 — every row valid, or nothing written and every row's error listed. ``?template=xlsx``
    downloads the template (the same page, so that every page of the app stays an HTML page)."""
    _require(request, rules.MANAGE_LISTS)
    if request.method == "GET" and request.GET.get("template") == "xlsx":
        response = HttpResponse(imports.template_xlsx(), content_type=XLSX)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''checklist-template.xlsx"
        return response
    form = ChecklistImportForm(
        request.POST or None, request.FILES or None, initial={"effective_from": clock.today()}
    )
    report = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = imports.checklist_import(
                    actor=request.user,
                    file=upload,
                    effective_from=form.cleaned_data["effective_from"],
                    filename=upload.name,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if report.ok:
                    lines = sum(c["lines"] for c in report.created)
                    messages.success(
                        request, f"已导入 {len(report.created)} 个事项的检查表单（共 {lines} 项检查内容）。"
                    )
                    return redirect("inspections:item_list")
    return render(
        request,
        "inspections/checklist_import.html",
        {"form": form, "report": report, "tabs": _tabs(request)},
        status=status,
    )


def _posted_results(request: AuthenticatedHttpRequest) -> list[dict[str, str]]:
    results: list[dict[str, str]] = []
    for name, value in request.POST.items():
        if name.startswith("result_") and value:
            key = name.removeprefix("result_")[:64]
            note = str(request.POST.get(f"note_{key}") or "")[:1000]
            results.append({"key": key, "result": str(value), "note": note})
    return results[:1001]


@login_required
@require_POST
def checklist_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """一表通查 — save the lines' results from the on-site page; htmx swaps the checklist in place."""
    _require(request, rules.INSPECT)
    inspection = selectors.inspections(request.user).filter(pk=pk).first()
    if inspection is None:
        raise NotFound(
            "检查不存在或不在您的数据范围内。", "Inspection not found.", code="inspection_not_found"
        )
    error = ""
    try:
        services.checklist_record(request.user, inspection, results=_posted_results(request))
    except DomainError as exc:
        error = exc.message
    if not request.htmx:
        if error:
            messages.error(request, f"检查表单结果未保存：{error}")
        else:
            messages.success(request, "检查表单结果已保存。")
        return redirect("inspections:onsite", pk=inspection.pk)
    inspection = selectors.inspections(request.user).get(pk=pk)
    context: dict[str, Any] = {
        "i": inspection,
        "step": _onsite_step(inspection),
        "checklist_error": error,
        "checklist_saved": not error,
    }
    # htmx swaps 2xx answers only: a refusal is shown inside the checklist, so it answers 200
    return render(request, "inspections/_checklist.html", context)
