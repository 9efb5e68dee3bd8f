"""Pages of complaints (投诉举报): the public form and tracking page (no login), the staff list, detail
(assign, reply, case source, problem) and the 12345 import with per-row errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from zhifa.complaints import selectors, services
from zhifa.complaints.forms import ACTION_FORMS, PublicSubmitForm, RateForm
from zhifa.complaints.models import Channel, ComplaintState, Satisfaction
from zhifa.complaints.rules import HANDLE, MANAGE, VIEW
from zhifa.core.errors import DomainError, InvalidInput, NotFound
from zhifa.core.forms import parse
from zhifa.core.paging import keyset_page
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency, Domain, Region
from zhifa.supervision.models import ProblemCategory

PUBLIC_SUBMIT_RATE = "10/h"  # per client IP: a person files a few complaints, a script many


def limited(request: HttpRequest) -> bool:
    return is_ratelimited(
        request, group="complaints.submit", key="ip", rate=PUBLIC_SUBMIT_RATE, method="POST", increment=True
    )


def _public_regions() -> list[Region]:
    # every region of the deployment (the public form's choices: a cap would drop regions)
    return list(Region.objects.order_by("code"))


@require_http_methods(["GET", "POST"])
def public_submit(request: HttpRequest) -> HttpResponse:
    """网上投诉举报 — no login, no captcha; rate-limited per IP; returns the tracking code."""
    error, field, status = "", "", 200
    if request.method == "POST":
        if limited(request):
            error, status = "提交过于频繁，请稍后再试或拨打 12345 热线。", 429
        else:
            try:
                actor = request.user if request.user.is_authenticated else None
                complaint = services.complaint_submit_public(
                    **parse(PublicSubmitForm, request.POST), actor=actor
                )
            except DomainError as exc:
                error, field, status = exc.message, exc.field or "", 422
            else:
                return render(request, "complaints/public_done.html", {"c": complaint})
    return render(
        request,
        "complaints/public_submit.html",
        {"regions": _public_regions(), "error": error, "field": field, "data": request.POST},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def public_track(request: HttpRequest) -> HttpResponse:
    """办理进度查询与满意度评价 — by tracking code only."""
    code = (request.POST.get("code") or request.GET.get("code") or "").strip().upper()
    error = ""
    if request.method == "POST" and request.POST.get("satisfaction"):
        try:
            data = parse(RateForm, request.POST)
            services.complaint_rate(
                tracking_code=code, satisfaction=data["satisfaction"], comment=data["comment"]
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, "感谢您的评价。")
    complaint = selectors.complaint_by_code(code) if code else None
    if code and complaint is None:
        error = error or "查询码不存在，请核对。"
    return render(
        request,
        "complaints/public_track.html",
        {"c": complaint, "code": code, "error": error, "satisfactions": Satisfaction.choices},
    )


def _get(request: AuthenticatedHttpRequest, pk: int) -> Any:
    try:
        return selectors.complaint_get(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_GET
def complaint_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.require(request.user, VIEW, request=request)
    state = request.GET.get("state", "")
    channel = request.GET.get("channel", "")
    qs = selectors.complaints(
        request.user,
        state=state if state in ComplaintState.values else None,
        channel=channel if channel in Channel.values else None,
    )
    page = keyset_page(qs, request)
    return render(
        request,
        "complaints/list.html",
        {
            "page": page,
            "states": ComplaintState.choices,
            "channels": Channel.choices,
            "state": state,
            "channel": channel,
            "can_manage": perms.can(request.user, MANAGE),
            "today": services.today(),
        },
    )


@login_required
@require_GET
def complaint_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    c = _get(request, pk)
    can_manage = perms.can(request.user, MANAGE, c)
    agencies = []
    if can_manage and c.state in (ComplaintState.RECEIVED, ComplaintState.ASSIGNED):
        # The agencies of the complaint's region, above or below it (services._related), chosen in the
        # database: a [:300] before this filter once dropped county agencies past the 300th name of the scope.
        path = c.region.path
        ancestors = ["/".join(path.split("/")[:n]) + "/" for n in range(2, path.count("/") + 1)]
        agencies = list(
            perms.scoped(
                request.user,
                perms.VIEW_AGENCY,
                Agency.objects.filter(is_active=True, is_supervision_organ=False),
            )
            .filter(Q(region__path__startswith=path) | Q(region__path__in=ancestors))
            .select_related("region")
            .order_by("name")
        )
    return render(
        request,
        "complaints/detail.html",
        {
            "c": c,
            "can_manage": can_manage,
            "agencies": agencies,
            "can_handle": perms.can(request.user, HANDLE, c),
            "domains": Domain.objects.order_by("sort", "code"),
            "categories": ProblemCategory.choices,
        },
    )


@login_required
@require_POST
def complaint_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    c = _get(request, pk)
    if action not in ACTION_FORMS:
        raise Http404("没有这个操作。")
    try:
        data = parse(ACTION_FORMS[action], request.POST)
        if action == "assign":
            agency = Agency.objects.filter(pk=data["agency"]).first()
            if agency is None:
                raise InvalidInput("请选择承办单位。", "Choose an agency.", field="agency")
            services.complaint_assign(actor=request.user, complaint=c, agency=agency)
        elif action == "reply":
            services.complaint_reply(actor=request.user, complaint=c, reply=data["reply"])
        elif action == "case":
            domain = Domain.objects.filter(code=data["domain"]).first()
            if domain is None:
                raise InvalidInput("请选择执法领域。", "Choose a domain.", field="domain")
            services.complaint_link_case(actor=request.user, complaint=c, domain=domain)
        else:
            services.complaint_open_problem(actor=request.user, complaint=c, category=data["category"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已保存。")
    return redirect("complaints:detail", pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_work_orders(request: AuthenticatedHttpRequest) -> HttpResponse:
    """12345 工单导入 — .xlsx or .csv; every row checked, nothing written when one is wrong."""
    perms.require(request.user, MANAGE, request=request)
    errors: list[dict[str, Any]] = []
    message = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput("请选择文件。", "Choose a file.", field="file")
            if upload.size > 10 * 1024 * 1024:
                raise InvalidInput("文件过大（最大 10 MB）。", "File too large.", field="file")
            batch = services.work_orders_import_file(
                actor=request.user, data=upload.read(), filename=upload.name
            )
        except DomainError as exc:
            message = exc.message
            errors = exc.details if isinstance(exc.details, list) else []
        else:
            messages.success(request, f"已导入 {batch.rows} 条 12345 工单。")
            return redirect("complaints:list")
    return render(
        request,
        "complaints/import.html",
        {"message": message, "errors": errors, "columns": list(services.COLUMNS)},
        status=422 if message else 200,
    )
