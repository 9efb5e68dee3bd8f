"""How the API knows its caller: an ``Authorization: Token`` header or the browser session (used by every app's
router through ``zhifa.api``, and by org's token endpoints, which accept the session only)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import APIKeyHeader, SessionAuth

from zhifa.org.tokens import user_for_token


class TokenAuth(APIKeyHeader):
    """``Authorization: Token <key>`` with a key from ``org.ApiToken``."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> object | None:
        if not key or not key.startswith("Token "):
            return None
        user = user_for_token(key.removeprefix("Token ").strip())
        if user is not None:
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """Django session cookie; the CSRF check applies only when the cookie actually logs someone in.

    Without this, a request carrying no session (a token client, or nobody) would fail the CSRF check and
    get 403 instead of trying the token or answering 401.
    """

    def __call__(self, request: HttpRequest) -> object | None:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


session_auth = BrowserSessionAuth()
token_auth = TokenAuth()
