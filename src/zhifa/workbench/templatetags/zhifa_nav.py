"""The one tabs component and the one pager component (``core/_tabs.html``, ``core/_pager.html``).

``{% area_tabs "stats" label="统计" %}`` draws an area's registered tabs (``zhifa.core.tabs``); ``{% tabs tabs
label="…" %}`` draws a list a view made; ``{% query_tabs choices "kind" current as kinds %}`` makes tabs of one
query parameter's values. ``{% pager page %}`` draws 上一页/下一页 for a keyset page, keeping the page's other query parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.http import urlencode

from zhifa.core.tabs import tabs_for
from zhifa.org.permissions import can

register = template.Library()


@register.inclusion_tag("core/_tabs.html")
def tabs(items: Iterable[Any], label: str = "", pills: bool = False) -> dict[str, Any]:
    """A row of tabs, each ``{label, url, active}``; none when there is only one."""
    return {"tabs": list(items or []), "label": label, "pills": pills}


@register.inclusion_tag("core/_tabs.html", takes_context=True)
def area_tabs(
    context: template.Context, area: str, active: str | None = None, label: str = "", pills: bool = False
) -> dict[str, Any]:
    """The tabs ``area`` registered (``zhifa.core.tabs``) that the user may open; ``active`` names the current
    one when its URL does not."""

    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated

    def allowed(action: str) -> bool:
        return signed_in and can(user, action)

    found = tabs_for(getattr(request, "path", ""), area, allowed, active)
    return {"tabs": found, "label": label, "pills": pills}


@register.simple_tag
def query_tabs(
    choices: Iterable[tuple[Any, Any]], param: str, current: Any, suffix: str = ""
) -> list[dict[str, Any]]:
    """Tabs that switch one query parameter: ``?param=value`` for each ``(value, label)``."""

    return [
        {
            "label": f"{label}{suffix}",
            "url": "?" + urlencode({param: value}),
            "active": str(value) == str(current),
        }
        for value, label in choices
    ]


def _cursor_url(request: Any, key: str, value: Any, cursor_keys: tuple[str, ...]) -> str:
    query = request.GET.copy()
    for k in cursor_keys:
        query.pop(k, None)
    query[key] = str(value)
    return f"{request.path}?{query.urlencode()}"


@register.inclusion_tag("core/_pager.html", takes_context=True)
def pager(
    context: template.Context,
    page: Any = None,
    next_after: Any = None,
    prev_before: Any = None,
    hx_target: str = "",
    after: str = "after",
    before: str = "before",
) -> dict[str, Any]:
    """上一页 / 下一页 of a keyset page (``page.prev_before``, ``page.next_after``, or given one by one); the
    links keep the request's other query parameters and drop its old cursor. ``hx_target`` swaps the results in
    place with htmx."""
    request = context["request"]
    if page is not None:
        next_after, prev_before = page.next_after, page.prev_before
    keys = (after, before)
    return {
        "prev_url": _cursor_url(request, before, prev_before, keys) if prev_before not in (None, "") else "",
        "next_url": _cursor_url(request, after, next_after, keys) if next_after not in (None, "") else "",
        "hx_target": hx_target,
    }
