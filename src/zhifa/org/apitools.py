"""Small helpers every app's Ninja router shares: the caller, a scoped lookup that answers 404, keyset pages."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from zhifa.core import paging
from zhifa.core.errors import NotFound
from zhifa.org import permissions as perms
from zhifa.org.models import User

M = TypeVar("M", bound=Model)


def caller(request: HttpRequest) -> User:
    """The authenticated user (session or token) of an API request."""
    return request.auth  # type: ignore[attr-defined]  # Ninja sets it; django-stubs' HttpRequest has no auth


def in_scope(
    request: HttpRequest, action: str, queryset: QuerySet[M], what: str, pk: Any, what_en: str | None = None
) -> M:
    """The object if the caller's scope holds it, else 404 — the same answer as for an id that never existed."""
    obj = perms.scoped(caller(request), action, queryset).filter(pk=pk).first()
    if obj is None:
        raise NotFound(
            f"{what}不存在或不在您的数据范围内。", f"{what_en or queryset.model.__name__} not found."
        )
    return obj


def keyset(queryset: QuerySet[M], cursor: str | None, limit: int) -> tuple[list[M], str | None]:
    """One page, newest first (by id), continuing after ``cursor`` (the ``next_cursor`` of the previous page).

    A thin wrapper over ``zhifa.core.paging.keyset`` kept for the routers' ``rows, next_cursor = ...`` idiom.
    """
    page = paging.keyset(queryset, ordering=("-id",), after=cursor, limit=limit)
    return page.items, page.next_cursor
