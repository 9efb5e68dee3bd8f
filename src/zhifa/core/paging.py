"""Keyset (cursor) paging, written once: next/previous by an ordering ending in a unique key, never ``COUNT(*)``
or ``OFFSET``.

Lists over big tables (parties: a million rows) page by the last key seen, so every page costs one indexed
range query however deep the reader goes. The ordering is a tuple of fields, each optionally ``-`` for
descending, whose last field is unique (``id``, ``pk`` or a code): ``("next_deadline", "id")``,
``("-decided_on", "-id")``. Ties on the leading fields are broken by the unique one, so no row is skipped or
repeated.

The cursor handed to clients is opaque: the base64url JSON of the last row's key values and of the ordering,
signed with ``SECRET_KEY`` (``django.core.signing``, ``.`` as separator, so it is URL-safe). A cursor that is
malformed, tampered with or made for another ordering is refused with ``InvalidCursor`` (HTTP 422,
``bad_cursor``) — on the API as JSON, on a page by the domain-error page.

Three ways in, one implementation:

- ``keyset(qs, ordering=..., after=..., before=..., limit=...)`` → ``KeysetPage`` — selectors and Ninja
  endpoints (``{"items": ..., "next_cursor": page.next_cursor}``);
- ``keyset_page(qs, request, ...)`` — page views, reading ``?after=`` / ``?before=``;
- ``keyset_filter`` / ``encode_cursor`` / ``decode_cursor`` — a selector whose ordering must share a join with
  its other conditions builds the ``Q`` itself (``cases.selectors.my_cases_by_deadline``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from zhifa.core.errors import InvalidInput

PAGE_SIZE = 25
MAX_CURSOR_LENGTH = 512  # a cursor longer than this was not made by us
CURSOR_HELP = "上一页答复中的 next_cursor（不透明的游标，原样传回）"

_SIGNER = signing.Signer(salt="zhifa.core.paging", sep=".")


class InvalidCursor(InvalidInput):
    """A paging cursor that is malformed, tampered with or made for another list (HTTP 422)."""

    code = "bad_cursor"

    def __init__(self) -> None:
        super().__init__(
            "翻页参数无效或已被改动，请从第一页重新开始。",
            "Invalid or tampered cursor; start again from the first page.",
            field="cursor",
        )


@dataclass
class KeysetPage:
    """One page: its rows, the cursor of the next page and of the previous one (``None`` at either end)."""

    items: list[Any] = field(default_factory=list)
    next_cursor: str | None = None
    prev_cursor: str | None = None

    @property
    def next_after(self) -> str | None:
        """The ``?after=`` of the next page (templates' name)."""
        return self.next_cursor

    @property
    def prev_before(self) -> str | None:
        """The ``?before=`` of the previous page (templates' name)."""
        return self.prev_cursor

    @property
    def has_other_pages(self) -> bool:
        return self.next_cursor is not None or self.prev_cursor is not None


# --- the cursor ------------------------------------------------------------------------------------------------------


def _pack(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        raise TypeError("keyset values must be non-null ints, strings, dates, datetimes or decimals")
    if isinstance(value, int | str):
        return value
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    raise TypeError(f"cannot page by a {type(value).__name__}")


def _unpack(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((tag, text),) = value.items()
        if isinstance(text, str):
            if tag == "t":
                return dt.datetime.fromisoformat(text)
            if tag == "d":
                return dt.date.fromisoformat(text)
            if tag == "n":
                return Decimal(text)
    raise ValueError(value)


def _ordering_tag(ordering: Sequence[str]) -> str:
    return ",".join(ordering)


def encode_cursor(values: Sequence[Any], ordering: Sequence[str]) -> str:
    """The opaque, signed cursor standing for the key ``values`` of a row under ``ordering``."""
    return _SIGNER.sign_object({"o": _ordering_tag(ordering), "v": [_pack(v) for v in values]})


def decode_cursor(raw: str, ordering: Sequence[str]) -> tuple[Any, ...]:
    """The key values of ``raw``; ``InvalidCursor`` if it is malformed, tampered or for another ordering."""
    if not isinstance(raw, str) or len(raw) > MAX_CURSOR_LENGTH:
        raise InvalidCursor()
    try:
        payload = _SIGNER.unsign_object(raw)
        if payload["o"] != _ordering_tag(ordering) or len(payload["v"]) != len(ordering):
            raise ValueError(payload)
        return tuple(_unpack(v) for v in payload["v"])
    except (signing.BadSignature, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InvalidCursor() from exc


# --- the query -------------------------------------------------------------------------------------------------------


def _split(ordering: Sequence[str]) -> list[tuple[str, bool]]:
    return [(f[1:], True) if f.startswith("-") else (f, False) for f in ordering]


def keyset_filter(ordering: Sequence[str], values: Sequence[Any], *, backward: bool = False) -> Q:
    """Rows strictly beyond ``values`` in ``ordering`` (before them if ``backward``): (a > x) or (a = x and b > y) …"""
    fields = _split(ordering)
    condition = Q()
    for i, (name, descending) in enumerate(fields):
        op = "lt" if descending != backward else "gt"
        condition |= Q(
            **{prior: values[j] for j, (prior, _) in enumerate(fields[:i])}, **{f"{name}__{op}": values[i]}
        )
    return condition


def _reverse(ordering: Sequence[str]) -> list[str]:
    return [f[1:] if f.startswith("-") else f"-{f}" for f in ordering]


def _attr_key(ordering: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    names = [name for name, _ in _split(ordering)]

    def key_of(row: Any) -> tuple[Any, ...]:
        out = []
        for name in names:
            value = row
            for part in name.split("__"):
                value = value[part] if isinstance(value, dict) else getattr(value, part)
            out.append(value)
        return tuple(out)

    return key_of


def keyset(
    qs: QuerySet,
    *,
    ordering: Sequence[str] = ("-id",),
    after: str | None = None,
    before: str | None = None,
    limit: int = PAGE_SIZE,
    key_of: Callable[[Any], Sequence[Any]] | None = None,
) -> KeysetPage:
    """One page of ``qs`` in ``ordering``: from the start, after the cursor ``after`` or before ``before``.

    ``key_of(row)`` gives a row's key values when they are not its attributes of the ordering's names (an
    ordering through a join). A row whose key holds ``None`` ends the paging (order such lists by non-null keys).
    """
    ordering = tuple(ordering)
    key = key_of or _attr_key(ordering)

    def cursor(row: Any) -> str | None:
        values = tuple(key(row))
        return None if any(v is None for v in values) else encode_cursor(values, ordering)

    if before:
        values = decode_cursor(before, ordering)
        rows = list(
            qs.filter(keyset_filter(ordering, values, backward=True)).order_by(*_reverse(ordering))[
                : limit + 1
            ]
        )
        items = list(reversed(rows[:limit]))
        return KeysetPage(
            items,
            next_cursor=cursor(items[-1]) if items else None,
            prev_cursor=cursor(items[0]) if items and len(rows) > limit else None,
        )
    if after:
        qs = qs.filter(keyset_filter(ordering, decode_cursor(after, ordering)))
    rows = list(qs.order_by(*ordering)[: limit + 1])
    items = rows[:limit]
    return KeysetPage(
        items,
        next_cursor=cursor(items[-1]) if items and len(rows) > limit else None,
        prev_cursor=cursor(items[0]) if items and after else None,
    )


def keyset_page(
    qs: QuerySet,
    request: HttpRequest,
    *,
    key: str = "id",
    descending: bool = True,
    size: int = PAGE_SIZE,
    ordering: Sequence[str] | None = None,
) -> KeysetPage:
    """One page of ``qs`` for a page view: ``?after=`` goes forward, ``?before=`` back.

    ``ordering`` (fields ending in a unique one) or, for the common case, the unique ``key`` and ``descending``.
    """
    return keyset(
        qs,
        ordering=ordering or ((f"-{key}",) if descending else (key,)),
        after=request.GET.get("after") or None,
        before=request.GET.get("before") or None,
        limit=size,
    )


# --- short lists with a cap that says so -----------------------------------------------------------------------------


class Capped(list):
    """The first rows of a list that may be longer, with the ``total``: a cap that is never silent.

    A template shows ``core/_keyset_more.html`` under it ("另有 N 条未显示（共 M 条），更多"), and uses
    ``rows.total`` for a count badge instead of ``rows|length``.
    """

    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self)


def capped(qs: QuerySet, limit: int) -> Capped:
    """The first ``limit`` rows of ``qs`` and its total; counts only when there are more (one extra row read)."""
    rows = list(qs[: limit + 1])
    out = Capped(rows[:limit])
    out.total = len(rows) if len(rows) <= limit else qs.order_by().count()
    return out
