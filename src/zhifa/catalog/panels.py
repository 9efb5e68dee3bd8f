"""Parts of a catalog item's page that higher apps contribute (the case library's 典型案例 of the item): each
registers a function ``(request, item) -> html`` in its ``AppConfig.ready()``; the page shows the non-empty ones.
The catalog imports none of them (it lies below them in the layers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ItemPanel = Callable[[Any, Any], str]

_PANELS: list[ItemPanel] = []


def register_item_panel(fn: ItemPanel) -> ItemPanel:
    if fn not in _PANELS:
        _PANELS.append(fn)
    return fn


def item_panels(request: Any, item: Any) -> list[str]:
    return [html for fn in _PANELS if (html := fn(request, item))]
