"""Keyset (cursor) paging: next/previous by a unique key, never ``COUNT(*)`` or ``OFFSET``.

Lists over big tables (parties: a million rows) page by the last key seen, so every page costs one indexed
range query however deep the reader goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


@dataclass
class KeysetPage:
    items: list[Any] = field(default_factory=list)
    next_after: Any = None
    prev_before: Any = None

    @property
    def has_other_pages(self) -> bool:
        return self.next_after is not None or self.prev_before is not None


def _int_cursor(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


def keyset_page(
    qs: QuerySet,
    request: HttpRequest,
    *,
    key: str = "id",
    descending: bool = True,
    size: int = PAGE_SIZE,
    parse: Callable[[str], Any] = _int_cursor,
) -> KeysetPage:
    """One page of ``qs`` ordered by the unique ``key``; ``?after=`` goes forward, ``?before=`` back."""
    after = parse(request.GET.get("after", "")) if request.GET.get("after") else None
    before = parse(request.GET.get("before", "")) if request.GET.get("before") else None
    forward_order = f"-{key}" if descending else key
    backward_order = key if descending else f"-{key}"
    beyond = "lt" if descending else "gt"
    behind = "gt" if descending else "lt"

    if before is not None:
        rows = list(qs.filter(**{f"{key}__{behind}": before}).order_by(backward_order)[: size + 1])
        more_behind = len(rows) > size
        items = list(reversed(rows[:size]))
        return KeysetPage(
            items,
            next_after=getattr(items[-1], key) if items else None,
            prev_before=getattr(items[0], key) if items and more_behind else None,
        )
    if after is not None:
        qs = qs.filter(**{f"{key}__{beyond}": after})
    rows = list(qs.order_by(forward_order)[: size + 1])
    items = rows[:size]
    return KeysetPage(
        items,
        next_after=getattr(items[-1], key) if items and len(rows) > size else None,
        prev_before=getattr(items[0], key) if items and after is not None else None,
    )


def text_cursor(raw: str) -> str | None:
    """Cursor parser for text keys (materialised paths)."""
    return raw[:400] or None
