"""Pages of the exchange (上下级平台数据交换).

City side: 下级平台 — the counties with what they pushed, witness status and lag (the city supervisor's
dashboard), the form to register a county (administrator; the secret shown once); one county's page with its
open flags and problems, decisions, statistics and batches; 下级未办结 — the open flags and problems of every
county (linked from the supervisor's workbench). County side: 上级平台 — where this instance reports, and its
outbox (administrator).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core import clock
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.forms import parse
from zhifa.core.paging import capped
from zhifa.exchange import rules, selectors, services
from zhifa.exchange.forms import NoFieldsForm, SourceForm, UpstreamForm
from zhifa.exchange.models import ItemKind, Source, Upstream
from zhifa.exchange.outbox import RECEIVE_PATH
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Region


def lag_text(when: Any) -> str:
    """How long ago the last batch came, in words."""
    if when is None:
        return "尚未接收"
    minutes = int((clock.now() - when).total_seconds() // 60)
    if minutes < 1:
        return "1 分钟内"
    if minutes < 60:
        return f"{minutes} 分钟前"
    if minutes < 48 * 60:
        return f"{minutes // 60} 小时前"
    return f"{minutes // (24 * 60)} 天前"


@login_required
@require_http_methods(["GET", "POST"])
def city(request: AuthenticatedHttpRequest) -> HttpResponse:
    """下级平台 — per county: open flags and problems, decisions, statistics, witness, lag; and registration."""
    perms.require(request.user, rules.VIEW, request=request)
    regions = list(perms.scoped(request.user, rules.MANAGE, Region.objects.all()).order_by("path"))
    error, field, posted = "", "", request.POST if request.method == "POST" else None
    if posted is not None:
        perms.require(request.user, rules.MANAGE, request=request)
        try:
            data = parse(SourceForm, posted)
            region = next((r for r in regions if r.pk == data["region"]), None)
            if region is None:
                raise InvalidInput("请选择您有权登记的区划。", "Choose a region.", field="region")
            source, secret = services.source_create(
                actor=request.user,
                region=region,
                name=data["name"],
                code=data["code"],
                public_key_pem=data["public_key_pem"],
            )
        except DomainError as exc:
            error, field = exc.message, getattr(exc, "field", "") or ""
        else:
            context = {"source": source, "secret": secret, "receive_url": request.build_absolute_uri("/")}
            response = render(request, "exchange/source_created.html", context)
            response["Cache-Control"] = "no-store"  # the secret is in this answer only
            return response
    rows = list(capped(selectors.sources(request.user), 200))
    for s in rows:
        s.lag = lag_text(s.last_batch_at)
        stats = selectors.statistics(s)
        s.stats = stats["metrics"][:4] if stats else []
    context = {
        "rows": rows,
        "regions": regions,
        "can_manage": perms.can(request.user, rules.MANAGE) and bool(regions),
        "open_count": selectors.open_items(request.user).count(),
        "error": error,
        "field": field,
        "posted": posted,
    }
    return render(request, "exchange/city.html", context, status=422 if error else 200)


def _source(request: AuthenticatedHttpRequest, pk: int) -> Source:
    perms.require(request.user, rules.VIEW, request=request)
    try:
        return services.source_get(request.user, pk)
    except DomainError:
        raise Http404("下级平台不存在或不在您的数据范围内。") from None


@login_required
@require_GET
def source_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One county: its witness status, open flags and problems, decisions, statistics and recent batches."""
    source = _source(request, pk)
    user = request.user
    context = {
        "source": source,
        "lag": lag_text(source.last_batch_at),
        "open_items": capped(
            selectors.records(user, source, open_only=True).filter(
                kind__in=[ItemKind.FLAG, ItemKind.PROBLEM]
            ),
            100,
        ),
        "decisions": capped(selectors.records(user, source, ItemKind.DECISION), 50),
        "statistics": selectors.statistics(source),
        "batches": capped(selectors.batches(user, source), 20),
        "can_manage": perms.can(user, rules.MANAGE, source),
    }
    return render(request, "exchange/source_detail.html", context)


@login_required
@require_POST
def source_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    source = _source(request, pk)
    if action not in ("disable", "enable"):
        raise Http404("没有这个操作。")
    try:
        parse(NoFieldsForm, request.POST)
        services.source_set_active(actor=request.user, source=source, active=action == "enable")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "已启用：将接收其报送。" if action == "enable" else "已停用：其报送将被拒绝。"
        )
    return redirect("exchange:source_detail", pk=source.pk)


@login_required
@require_GET
def open_items(request: AuthenticatedHttpRequest) -> HttpResponse:
    """下级未办结 — every county's open flags and problems, newest first (the city supervisor's queue)."""
    perms.require(request.user, rules.VIEW, request=request)
    rows = capped(selectors.open_items(request.user), 300)
    return render(request, "exchange/open_items.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def upstream(request: AuthenticatedHttpRequest) -> HttpResponse:
    """上级平台 — where this instance reports, its outbox, and the form to register it (administrator)."""
    perms.require(request.user, rules.MANAGE_UPSTREAM, request=request)
    error, field, posted = "", "", request.POST if request.method == "POST" else None
    if posted is not None:
        try:
            data = parse(UpstreamForm, posted)
            services.upstream_create(actor=request.user, **data)
        except DomainError as exc:
            error, field = exc.message, getattr(exc, "field", "") or ""
        else:
            messages.success(request, "已登记上级平台：此后的监督数据将按批次报送。")
            return redirect("exchange:upstream")
    context = {
        "rows": selectors.upstreams(),
        "receive_path": RECEIVE_PATH,
        "error": error,
        "field": field,
        "posted": posted,
    }
    return render(request, "exchange/upstream.html", context, status=422 if error else 200)


@login_required
@require_POST
def upstream_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    perms.require(request.user, rules.MANAGE_UPSTREAM, request=request)
    up = Upstream.objects.filter(pk=pk).first()
    if up is None or action not in ("disable", "enable"):
        raise Http404("上级平台不存在或没有这个操作。")
    try:
        parse(NoFieldsForm, request.POST)
        services.upstream_set_active(actor=request.user, upstream=up, active=action == "enable")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已启用。" if action == "enable" else "已停用：不再产生新的报送事项。")
    return redirect("exchange:upstream")
