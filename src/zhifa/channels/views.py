"""Staff pages of outgoing webhooks (推送渠道): the agency's endpoints, registering one (its secret shown once),
disabling, enabling and testing it, and its delivery log with status, attempts, next retry and last error.

Thin: reads through ``selectors``, writes through ``services``; a refusal comes back as a message on the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.channels import selectors, services
from zhifa.channels.forms import EndpointForm, NoFieldsForm
from zhifa.channels.models import SUBSCRIBABLE, EventType, WebhookEndpoint
from zhifa.channels.rules import MANAGE, VIEW
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.forms import parse
from zhifa.core.paging import capped, keyset_page
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency

EVENT_CHOICES = [(e, EventType(e).label) for e in SUBSCRIBABLE]


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """推送地址 — the endpoints in the caller's scope, and the form to register one."""
    perms.require(request.user, VIEW, request=request)
    agencies = list(
        perms.scoped(request.user, MANAGE, Agency.objects.filter(is_active=True)).order_by("name")
    )
    error, field, posted = "", "", request.POST if request.method == "POST" else None
    if posted is not None:
        perms.require(request.user, MANAGE, request=request)  # 403 for a role that may only read
        try:
            data = parse(EndpointForm, posted)
            agency = next((a for a in agencies if a.pk == data["agency"]), None)
            if agency is None:
                raise InvalidInput(
                    "请选择您有权登记推送地址的执法主体。", "Choose an agency.", field="agency"
                )
            endpoint, secret = services.endpoint_create(
                actor=request.user, agency=agency, name=data["name"], url=data["url"], events=data["events"]
            )
        except DomainError as exc:
            error, field = exc.message, getattr(exc, "field", "") or ""
        else:
            # the secret is in this answer only: not stored in clear, not in a session, not cached
            response = render(request, "channels/endpoint_created.html", {"ep": endpoint, "secret": secret})
            response["Cache-Control"] = "no-store"
            return response
    context = {
        "rows": capped(selectors.endpoints(request.user), 200),
        "agencies": agencies,
        "can_manage": perms.can(request.user, MANAGE) and bool(agencies),
        "event_choices": EVENT_CHOICES,
        "error": error,
        "field": field,
        "posted": posted,
        "chosen_events": posted.getlist("events") if posted is not None else [e for e, _ in EVENT_CHOICES],
    }
    return render(request, "channels/endpoint_list.html", context, status=422 if error else 200)


def _endpoint(request: AuthenticatedHttpRequest, pk: int) -> WebhookEndpoint:
    perms.require(request.user, VIEW, request=request)
    try:
        return selectors.endpoint_get(request.user, pk)
    except DomainError:
        raise Http404("推送地址不存在或不在您的数据范围内。") from None


@login_required
@require_GET
def endpoint_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """推送记录 — the endpoint and its delivery log, newest first."""
    ep = _endpoint(request, pk)
    page = keyset_page(selectors.deliveries(request.user, ep), request, size=50)
    context = {
        "ep": ep,
        "page": page,
        "rows": page.items,
        "can_manage": perms.can(request.user, MANAGE, ep),
    }
    return render(request, "channels/endpoint_detail.html", context)


# action → (the service, the message when done)
_ACTIONS: dict[str, tuple[Any, str]] = {
    "disable": (services.endpoint_disable, "已停用：不再产生和发送新的推送。"),
    "enable": (services.endpoint_enable, "已启用：待推送的记录将按顺序发送。"),
    "test": (services.endpoint_send_test, "已加入测试事件，将在下次推送时按顺序发送。"),
}


@login_required
@require_POST
def endpoint_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    ep = _endpoint(request, pk)
    if action not in _ACTIONS:
        raise Http404("没有这个操作。")
    fn, done = _ACTIONS[action]
    try:
        parse(NoFieldsForm, request.POST)
        fn(actor=request.user, endpoint=ep)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("channels:endpoint_detail", pk=ep.pk)


@login_required
@require_POST
def delivery_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    perms.require(request.user, VIEW, request=request)
    try:
        d = selectors.delivery_get(request.user, pk)
    except DomainError:
        raise Http404("推送记录不存在或不在您的数据范围内。") from None
    try:
        parse(NoFieldsForm, request.POST)
        services.delivery_retry(actor=request.user, delivery=d)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已重新加入推送队列。")
    return redirect("channels:endpoint_detail", pk=d.endpoint_id)
