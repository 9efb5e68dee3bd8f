"""Pages of 报送事项: my reports to file (draft, edit, submit), the reports a bureau received (accept,
return, the government's approval, what is overdue), the kinds a bureau sets, and a report as PDF/xlsx.
Thin: selectors read (scoped), services write; refusals shown on the page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from zhifa.core import clock
from zhifa.core.errors import DomainError, InvalidInput, NotFound
from zhifa.core.forms import parse
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency, Region
from zhifa.reporting import documents, rules, selectors, services
from zhifa.reporting.forms import DraftForm, GovernmentForm, KindForm, ReturnForm
from zhifa.reporting.models import FilerLevel, Period, ReportKind, ReportStatus
from zhifa.reporting.services import EDITABLE, SECTION_TEXT_MAX

ROWS = 100


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的报送 — the periods my agency (or my bureau) owes, and the reports drafted or filed."""
    perms.require(request.user, rules.VIEW, request=request)
    if request.method == "POST":
        try:
            perms.require(request.user, rules.FILE, request=request)
            data = parse(DraftForm, request.POST)
            kind = ReportKind.objects.select_related("region").filter(pk=data["kind"]).first()
            if kind is None:
                raise NotFound("报送事项不存在。", "Report kind not found.", code="kind_not_found")
            agency = region = None
            if kind.filers == FilerLevel.AGENCIES:
                agency = next(
                    (a for a in selectors.filer_agencies(request.user) if a.pk == data["agency"]), None
                )
                if agency is None:
                    raise InvalidInput("请选择报送机关。", "Choose the filing agency.", field="agency")
                region = agency.region
            else:
                region = next(
                    (r for r in selectors.filer_regions(request.user) if r.pk == data["region"]), None
                )
                if region is None:
                    raise InvalidInput("请选择报送区划。", "Choose the filing region.", field="region")
            report = services.report_draft(
                actor=request.user, kind=kind, agency=agency, region=region, period_start=data["period_start"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("reporting:mine")
        messages.success(request, "已起草报告，数据已按报告期自动生成，请填写正文后报送。")
        return redirect("reporting:report", pk=report.pk)
    today = clock.today()
    obligations = (
        selectors.obligations_for_filer(request.user, today) if perms.can(request.user, rules.FILE) else []
    )
    return render(
        request,
        "reporting/mine.html",
        {
            "open": [o for o in obligations if not o.filed][:ROWS],
            "today": today,
            "history": selectors.mine(request.user)[:ROWS],
        },
    )


def _texts(request: AuthenticatedHttpRequest, sections: list[dict[str, Any]]) -> dict[str, str]:
    return {
        s["title"]: request.POST.get(f"section_{i}", "")[: SECTION_TEXT_MAX + 1]
        for i, s in enumerate(sections)
        if f"section_{i}" in request.POST
    }


@login_required
@require_http_methods(["GET", "POST"])
def report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """报告 — the filer edits and submits; the receiving bureau accepts, returns or records the approval."""
    perms.require(request.user, rules.VIEW, request=request)
    item = selectors.report_get(request.user, pk)
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op in ("save", "submit"):
                services.report_edit(actor=request.user, report=item, texts=_texts(request, item.sections))
                if op == "submit":
                    services.report_submit(actor=request.user, report=item)
                    messages.success(request, "报告已报送。")
                else:
                    messages.success(request, "已保存。")
            elif op == "accept":
                done = services.report_accept(actor=request.user, report=item)
                messages.success(
                    request,
                    "已接收，待报请人民政府审定。" if done.status == ReportStatus.GOVERNMENT else "已接收。",
                )
            elif op == "return":
                data = parse(ReturnForm, request.POST)
                services.report_return(actor=request.user, report=item, reason=data["reason"])
                messages.success(request, "已退回报送单位。")
            elif op == "government":
                data = parse(GovernmentForm, request.POST)
                services.report_government_record(
                    actor=request.user,
                    report=item,
                    reference=data["reference"],
                    approved_on=data["approved_on"],
                )
                messages.success(request, "已登记人民政府审定。")
            else:
                raise InvalidInput("未知操作。", "Unknown operation.", field="op")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("reporting:report", pk=pk)
    can_file = services._may_file(request.user, item.filer_agency, item.filer_region)
    can_receive = services._may_receive(request.user, item.kind)
    return render(
        request,
        "reporting/report.html",
        {
            "report": item,
            "can_edit": can_file and item.status in EDITABLE,
            "can_receive": can_receive and item.status == ReportStatus.SUBMITTED,
            "can_government": can_receive and item.status == ReportStatus.GOVERNMENT,
            "can_return": can_receive and item.status in (ReportStatus.SUBMITTED, ReportStatus.GOVERNMENT),
            "today": clock.today(),
        },
    )


@login_required
@require_GET
def report_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The report as PDF (default) or xlsx (``?format=xlsx``)."""
    perms.require(request.user, rules.VIEW, request=request)
    item = selectors.report_get(request.user, pk)
    name = f"report-{item.pk}"
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            documents.render_report_xlsx(item),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(documents.render_report_pdf(item), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
@require_GET
def received(request: AuthenticatedHttpRequest) -> HttpResponse:
    """收到的报告 — reports filed to the caller's bureau, and the periods overdue (逾期未报)."""
    perms.require(request.user, rules.RECEIVE, request=request)
    status = request.GET.get("status", "")
    if status not in ReportStatus.values:
        status = ""
    today = clock.today()
    return render(
        request,
        "reporting/received.html",
        {
            "reports": selectors.received(request.user, status=status or None)[:ROWS],
            "overdue": selectors.overdue_for_receiver(request.user, today)[:ROWS],
            "statuses": [(v, label) for v, label in ReportStatus.choices if v != ReportStatus.DRAFT],
            "status": status,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def kinds(request: AuthenticatedHttpRequest) -> HttpResponse:
    """报送事项设置 — the bureau's kinds: create one, stop or restart one."""
    perms.require(request.user, rules.CONFIGURE, request=request)
    regions = selectors.configurable_regions(request.user)
    form: dict[str, Any] = {}
    error = ""
    if request.method == "POST":
        form = request.POST.dict()
        try:
            if request.POST.get("op") == "toggle":
                kind = selectors.kind_get(request.user, _int(request.POST.get("kind")))
                services.kind_set_active(actor=request.user, kind=kind, active=not kind.active)
                messages.success(request, f"已{'停用' if kind.active else '启用'}“{kind.name}”。")
                return redirect("reporting:kinds")
            data = parse(KindForm, request.POST)
            region = next((r for r in regions if r.code == data["region"]), None)
            if region is None:
                raise InvalidInput("请选择区划。", "Choose a region.", field="region", code="region_required")
            agencies = list(
                Agency.objects.filter(
                    pk__in=data["agencies"], region__path__startswith=region.path
                ).select_related("region")
            )
            kind = services.kind_create(
                actor=request.user,
                region=region,
                name=data["name"],
                period=data["period"],
                due_days=data["due_days"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                filers=data["filers"],
                agencies=agencies,
                sections=services.sections_from_text(data["sections"]),
                needs_government_approval=data["needs_government_approval"],
                basis=data["basis"],
            )
            messages.success(request, f"已设置报送事项“{kind.name}”。")
            return redirect("reporting:kinds")
        except DomainError as exc:
            error = exc.message
    agencies = list(
        Agency.objects.filter(
            region__in=Region.objects.filter(path__in=[r.path for r in regions]),
            is_active=True,
            is_supervision_organ=False,
        ).order_by("region__code", "id")
    )
    return render(
        request,
        "reporting/kinds.html",
        {
            "kinds": selectors.kinds(request.user).prefetch_related("agencies")[:ROWS],
            "regions": regions,
            "agencies": agencies,
            "periods": Period.choices,
            "filer_levels": FilerLevel.choices,
            "form": form,
            "error": error,
            "default_start": clock.today().replace(month=1, day=1).isoformat(),
            "default_sections": "工作开展情况\n存在的问题\n下一步工作打算",
        },
        status=422 if error else 200,
    )


def _int(value: Any) -> int:
    text = str(value or "")
    if not text.isdigit() or not 0 < int(text) < 2**31:
        raise InvalidInput("请选择报送事项。", "Choose a report kind.", field="kind")
    return int(text)
