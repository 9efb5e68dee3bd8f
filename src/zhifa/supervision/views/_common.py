"""What the supervision pages share: the tabs, scope helpers, and running an action of ``actions``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse

from zhifa.core.errors import InvalidInput, NotFound
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Region
from zhifa.supervision import actions
from zhifa.supervision.forms import parse
from zhifa.supervision.rules import SUPERVISE, VIEW

_TABS: tuple[tuple[str, str, str], ...] = (
    ("预警队列", "supervision:queue", VIEW),
    ("问题台账", "supervision:problems", VIEW),
    ("监督文书", "supervision:instruments", VIEW),
    ("专项说明", "supervision:noact_file", VIEW),
    ("回访与监督员", "supervision:people", SUPERVISE),
)


def _tabs(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for label, name, action in _TABS:
        if perms.can(request.user, action):
            url = reverse(name)
            # the queue's URL is the prefix of every other tab's: it is active only on itself
            active = request.path == url if name == "supervision:queue" else request.path.startswith(url)
            out.append({"label": label, "url": url, "active": active})
    return out


def _require(request: HttpRequest, action: str, obj: Any = None) -> None:
    perms.require(request.user, action, obj, request=request)


def _get(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _date(raw: str | None, field: str, label: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(f"{label}格式应为 YYYY-MM-DD。", f"{field}: use YYYY-MM-DD.", field=field) from exc


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _scoped_agencies(request: HttpRequest) -> list[Agency]:
    return list(
        perms.scoped(request.user, perms.VIEW_AGENCY, Agency.objects.filter(is_active=True)).order_by("name")[
            :300
        ]
    )


def _scoped_regions(request: HttpRequest) -> list[Region]:
    """The regions the caller supervises (its region and those below), parents first."""
    return list(
        perms.scoped(request.user, SUPERVISE, Region.objects.all()).order_by("path")
    )  # choices: uncapped


def _region_in_scope(request: HttpRequest, pk: int | None) -> Region:
    region = next((r for r in _scoped_regions(request) if r.pk == pk), None)
    if region is None:
        raise InvalidInput("请选择您监督范围内的区划。", "Choose a region in your scope.", field="region")
    return region


def _action(aggregate: str, name: str) -> actions.Action:
    act = actions.get(aggregate, name)
    if act is None:
        raise Http404("未知操作。")
    return act


def _run(request: HttpRequest, act: actions.Action, obj: Any) -> str:
    """Parse the posted fields with the action's form, then call its service; the message to show.

    A bad field or a refusal of the service raises ``DomainError`` (``InvalidInput`` for the form)."""
    result = act.run(request.user, obj, parse(act.form, request.POST))
    return act.message.format(result=result, obj=obj)
