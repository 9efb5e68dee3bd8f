"""Rate limits of everything an anonymous client can reach, per client IP, with one configuration.

- every request of a client that is neither logged in nor carrying a valid API token: pages under
  ``PORTAL_RATE`` (``ZHIFA_PORTAL_RATE``, the public portal, the public disclosure pages, the complaint form,
  the login page, document verification), the API under ``PORTAL_API_RATE`` (``ZHIFA_PORTAL_API_RATE``:
  ``/api/portal/``, ``/api/search/``, ``/api/disclosure/public/*``, ``/api/complaints/track/``, any 401);
- login attempts (a POST to the login page, the admin site's or the enterprise sign-up page) under ``LOGIN_IP_RATE``
  (``ZHIFA_LOGIN_IP_RATE``) per IP, on top of django-axes' lockout per account;
- over a rate the answer is 429 with ``Retry-After`` (the seconds left in the window): a Chinese page, or
  JSON ``{code, message, message_en}`` under ``/api/``.

The count lives in the cache named by ``RATELIMIT_USE_CACHE`` (settings: the ``shared`` database cache, one
table for every app server, created by this app's migration ``0002``). Behind a reverse proxy, set
``ZHIFA_TRUSTED_PROXY_HEADER`` (e.g. ``X-Forwarded-For`` or ``X-Real-IP``) to the header that proxy sets; the
last address in it is the one the proxy saw. Without it, ``REMOTE_ADDR`` is used: a client cannot forge it.
Logged-in staff and token clients are not limited here (their accounts are, by lockout and revocation).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from zhifa.org.tokens import user_for_token

MAX_QUERY_STRING = 2048  # an oversized query string is refused (400) before any view runs
MAX_PARAM = 200  # longest single query value a public page accepts


def client_ip(request: HttpRequest) -> str:
    """The client's address: from the trusted proxy header when one is configured, else ``REMOTE_ADDR``."""
    header = getattr(settings, "PORTAL_TRUSTED_PROXY_HEADER", "")
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 - a rate-limit key, not a bind
    if header:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        # the proxy appends the address it saw: the last entry is the only one we can trust
        candidate = raw.split(",")[-1].strip() if raw else ""
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return remote
    return remote


def _too_many(request: HttpRequest, api: bool, retry_after: int = 60) -> HttpResponse:
    retry = str(max(1, retry_after))
    if api:
        return JsonResponse(
            {
                "code": "rate_limited",
                "message": "请求过于频繁，请稍后再试。",
                "message_en": "Too many requests; please try again later.",
            },
            status=429,
            json_dumps_params={"ensure_ascii": False},
            headers={"Retry-After": retry},
        )
    response = render(request, "portal/429.html", {"retry_after": retry}, status=429)
    response["Retry-After"] = retry
    return response


def bad_query(request: HttpRequest, api: bool) -> HttpResponse:
    if api:
        return JsonResponse(
            {
                "code": "query_too_long",
                "message": "查询参数过长或不合法。",
                "message_en": "The query string is too long or malformed.",
            },
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "portal/400.html", {"message": "查询参数过长或不合法。"}, status=400)


def _over(request: HttpRequest, group: str, rate: str) -> int | None:
    """Count this request against ``rate``; the seconds until the window ends when it is over, else None."""
    if not rate:
        return None

    usage = get_usage(request, group=group, key="ip", rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return int(usage["time_left"]) if usage["time_left"] > 0 else 60


def _anonymous(request: HttpRequest, api: bool) -> bool:
    """Neither a logged-in session nor (under /api/) a usable API token."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if api and header.startswith("Token "):
        return user_for_token(header.removeprefix("Token ").strip()) is None
    return True


class PortalRateLimitMiddleware:
    """429 for an anonymous client over ``PORTAL_RATE`` (pages) or ``PORTAL_API_RATE`` (API), and for a client
    over ``LOGIN_IP_RATE`` login attempts; 400 for hostile queries on the public portal.

    Placed after ``AuthenticationMiddleware``: it must know whether the request is logged in."""

    PAGE_PREFIXES = ("/public/", "/verify/")
    API_PREFIX = "/api/portal/"
    LOGIN_PATHS = ("/accounts/login/", "/admin/login/", "/accounts/enterprise-signup/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        api = path.startswith("/api/")
        if path.startswith(self.API_PREFIX) or path.startswith(self.PAGE_PREFIXES):
            query = request.META.get("QUERY_STRING", "")
            if len(query) > MAX_QUERY_STRING or "\x00" in query or "%00" in query:
                return bad_query(request, api)
        if request.method == "POST" and path in self.LOGIN_PATHS:
            left = _over(request, "login-ip", getattr(settings, "LOGIN_IP_RATE", ""))
            if left is not None:
                return _too_many(request, False, left)
        if _anonymous(request, api):
            rate = settings.PORTAL_API_RATE if api else settings.PORTAL_RATE
            left = _over(request, "anonymous-api" if api else "anonymous-page", rate)
            if left is not None:
                return _too_many(request, api, left)
        return self.get_response(request)
