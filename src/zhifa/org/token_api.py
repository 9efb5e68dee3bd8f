"""API tokens in the org API: ``GET /api/org/tokens`` and ``DELETE /api/org/tokens/{id}`` (issue 18).

Everyone sees and revokes their own tokens; a system administrator also those of the accounts they manage
(``zhifa.sysadmin.selectors.tokens_in_scope``). Anything else answers 404, the same as an id that never
existed. Never the key: only its first eight characters (``prefix``) and its SHA-256 are stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal, NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Schema

from zhifa.core import clock
from zhifa.core.apitypes import Id
from zhifa.core.errors import NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.org.apitools import caller, keyset
from zhifa.org.models import ApiToken, User
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS
from zhifa.org.tokens import usable

MAX_TOKEN_LIMIT = 200


class ApiTokenListItemOut(Schema):
    """One API token as its owner or an administrator sees it."""

    id: int
    name: str
    prefix: str
    user_id: int
    username: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    state: Literal["active", "expired", "revoked"]
    state_label: str
    revoked_at: dt.datetime | None
    revoked_reason: str
    revoked_reason_label: str


class ApiTokenListPage(Schema):
    items: list[ApiTokenListItemOut]
    next_cursor: str | None


class TokenManagement(NamedTuple):
    """What 系统管理 lends these endpoints: the tokens an administrator manages, and the revocation (its service,
    which checks that the actor owns the token or manages its owner)."""

    managed: Callable[[Any], QuerySet[ApiToken]]
    revoke: Callable[..., ApiToken]


# Filled in by zhifa.sysadmin in its AppConfig.ready(): org sits below sysadmin and does not import it.
_management: list[TokenManagement] = []


def register_token_management(
    *, managed: Callable[[Any], QuerySet[ApiToken]], revoke: Callable[..., ApiToken]
) -> None:
    _management[:] = [TokenManagement(managed, revoke)]


def _registered() -> TokenManagement:
    if not _management:
        raise ImproperlyConfigured(
            "zhifa.sysadmin registers the token management (register_token_management)"
        )
    return _management[0]


def _visible(actor: User) -> QuerySet[ApiToken]:
    own = ApiToken.objects.filter(user=actor)
    managed = _registered().managed(actor)
    return (own | managed).select_related("user").distinct()


def _out(t: ApiToken) -> dict[str, Any]:
    return {
        "id": t.pk,
        "name": t.name,
        "prefix": t.prefix,
        "user_id": t.user_id,
        "username": t.user.username,
        "created_at": t.created_at,
        "expires_at": t.expires_at,
        "last_used_at": t.last_used_at,
        "state": t.state,
        "state_label": t.state_label,
        "revoked_at": t.revoked_at,
        "revoked_reason": t.revoked_reason,
        "revoked_reason_label": t.get_revoked_reason_display() if t.revoked_reason else "",
    }


def register(router: Any) -> None:
    @router.get(
        "/tokens",
        response={200: ApiTokenListPage, **READ_ERRORS},
        summary="API 令牌列表（本人的；系统管理员另见其管理账号的）",
    )
    def token_list(
        request: HttpRequest,
        state: Literal["active", "expired", "revoked"] | None = None,
        mine: bool = Query(False, description="只列本人的令牌"),
        cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
        limit: int = Query(50, ge=1, le=MAX_TOKEN_LIMIT),
    ) -> dict[str, Any]:
        actor = caller(request)
        qs = ApiToken.objects.filter(user=actor).select_related("user") if mine else _visible(actor)
        if state == "active":
            qs = qs.filter(usable())
        elif state == "expired":
            qs = qs.filter(revoked=False, expires_at__lte=clock.now())
        elif state == "revoked":
            qs = qs.filter(revoked=True)
        rows, next_cursor = keyset(qs, cursor, limit)
        return {"items": [_out(t) for t in rows], "next_cursor": next_cursor}

    @router.delete(
        "/tokens/{token_id}",
        response={200: ApiTokenListItemOut, **WRITE_ERRORS},
        summary="吊销 API 令牌（本人的，或所管理账号的）",
    )
    def token_delete(request: HttpRequest, token_id: Id) -> dict[str, Any]:
        actor = caller(request)
        token = _visible(actor).filter(pk=token_id).first() if 0 < token_id < 2**63 else None
        if token is None:
            raise NotFound("令牌不存在或不在您的管理范围内。", "Token not found.")
        return _out(_registered().revoke(actor=actor, token=token))
