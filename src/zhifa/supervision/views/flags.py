"""预警队列 — every source's warnings in one list; act on a row (htmx) or on the ticked rows at once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhifa.core import flags as flag_registry
from zhifa.core.errors import DomainError
from zhifa.core.paging import keyset_page
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.menu import may_open
from zhifa.supervision import actions, selectors, services
from zhifa.supervision.forms import FlagsBulkForm, parse
from zhifa.supervision.models import FlagState, ProblemCategory
from zhifa.supervision.rules import SUPERVISE, VIEW
from zhifa.supervision.views._common import (
    _action,
    _get,
    _int,
    _require,
    _run,
    _scoped_agencies,
    _tabs,
)


@login_required
@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """预警队列 — every source in one list; filter by kind, agency and state; act on a row via htmx."""
    _require(request, VIEW)
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", FlagState.NEW) if "state" in request.GET else FlagState.NEW
    state = state if state in FlagState.values or state == "" else FlagState.NEW
    agency_id = _int(request.GET.get("agency"))
    open_only = request.GET.get("closed") != "1"
    qs = selectors.flags_queue(
        request.user, kind=kind or None, state=state or None, agency_id=agency_id, open_only=open_only
    )
    page = keyset_page(qs, request)
    can_act = perms.can(request.user, SUPERVISE)
    kinds = sorted(((k, label) for k, (label, _fn) in flag_registry.sources().items()), key=lambda kv: kv[1])
    params = request.GET.copy()
    params.pop("after", None)
    params.pop("before", None)
    return render(
        request,
        "supervision/queue.html",
        {
            "tabs": _tabs(request),
            "page": page,
            "rows": [_flag_row(request, f) for f in page.items],
            "kinds": kinds,
            "states": FlagState.choices,
            "agencies": _scoped_agencies(request),
            "kind": kind,
            "state": state,
            "agency_id": agency_id,
            "show_closed": not open_only,
            "can_act": can_act,
            "categories": ProblemCategory.choices,
            "filters": params.urlencode(),
        },
    )


def _flag_row(request: HttpRequest, flag: Any, error: str = "") -> dict[str, Any]:
    actionable = flag.state == FlagState.NEW and perms.can(request.user, SUPERVISE, flag)
    link = (
        flag.url if flag.url and may_open(request.user, flag.url) else ""
    )  # no link to a page it may not open
    return {
        "f": flag,
        "label": flag_registry.label(flag.kind),
        "actionable": actionable,
        "error": error,
        "link": link,
    }


@login_required
@require_POST
def flag_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """处理 / 排除 (reason) / 转为问题 (category, due) on one flag (``actions`` FLAG)."""
    flag = _get(selectors.flag_get, request.user, pk)
    act = _action(actions.FLAG, action)
    error = done = ""
    try:
        done = _run(request, act, flag)
    except DomainError as exc:
        error = exc.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, done)
        return redirect("supervision:queue")
    flag = _get(selectors.flag_get, request.user, pk)
    return render(
        request,
        "supervision/_flag_row.html",
        {"row": _flag_row(request, flag, error), "can_act": True, "categories": ProblemCategory.choices},
    )


@login_required
@require_POST
def flags_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """批量处理 / 排除 the ticked flags with one note or reason; back to the same filtered page."""
    _require(request, SUPERVISE)
    ids = [i for i in (_int(v) for v in request.POST.getlist("ids")) if i]
    back = request.POST.get("filters", "")
    back = back if len(back) <= 2000 and "\n" not in back and "\r" not in back else ""
    try:
        data = parse(FlagsBulkForm, request.POST)
        done = services.flags_decide_many(
            actor=request.user, flag_ids=ids, action=data["action"], text=data["text"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        verb = "处理" if data["action"] == "handle" else "排除"
        messages.success(request, f"已{verb} {len(done)} 条预警。")
    return redirect(reverse("supervision:queue") + (f"?{back}" if back else ""))
