"""The tab rows of an area's pages (统计: 监督看板 / 统计年报 / 考评 …): each app registers its tabs in
``AppConfig.ready()``, and the pages render them with ``{% area_tabs "stats" %}`` (``zhifa.workbench.templatetags.zhifa_nav``) and the one tabs
component, ``core/_tabs.html``. A tab shows only to a user whose roles allow one of its actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class TabEntry:
    key: str
    label: str
    url_name: str
    actions: tuple[str, ...]  # any of them lets the tab show; none = every user who sees the page
    order: int
    exact: bool  # active only on its own URL (else also on the pages below it)


_AREAS: dict[str, list[TabEntry]] = {}


def register_tab(
    area: str,
    key: str,
    label: str,
    url_name: str,
    *actions: str,
    order: int = 100,
    exact: bool = False,
) -> None:
    """Add (or replace, by key) one tab of ``area``."""
    entries = [e for e in _AREAS.get(area, []) if e.key != key]
    entries.append(TabEntry(key, label, url_name, tuple(actions), order, exact))
    entries.sort(key=lambda e: e.order)
    _AREAS[area] = entries


def tabs_for(
    path: str, area: str, allowed: Callable[[str], bool], active: str | None = None
) -> list[dict[str, Any]]:
    """The tabs of ``area`` whose actions ``allowed`` grants (one of them is enough), as ``{label, url, active}``;
    the active one is ``active`` (a key) when the page names it, else the one whose URL ``path`` is on."""
    out = []
    for entry in _AREAS.get(area, []):
        if entry.actions and not any(allowed(a) for a in entry.actions):
            continue
        url = reverse(entry.url_name)
        if active:
            is_active = entry.key == active
        else:
            is_active = path == url if entry.exact else path.startswith(url)
        out.append({"label": entry.label, "url": url, "active": is_active})
    return out
