"""Rate limits of the public portal: pages under /public/ and the API under /api/portal/, per client IP.

The count lives in the cache named by ``RATELIMIT_USE_CACHE`` (settings: the ``shared`` database cache, one
table for every app server, created by this app's migration ``0002``). Behind a reverse proxy, set
``ZHIFA_TRUSTED_PROXY_HEADER`` (e.g. ``X-Forwarded-For`` or ``X-Real-IP``) to the header that proxy sets; the
last address in it is the one the proxy saw. Without it, ``REMOTE_ADDR`` is used: a client cannot forge it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

MAX_QUERY_STRING = 2048  # an oversized query string is refused (400) before any view runs
MAX_PARAM = 200  # longest single query value a public page accepts


def client_ip(request: HttpRequest) -> str:
    """The client's address: from the trusted proxy header when one is configured, else ``REMOTE_ADDR``."""
    header = getattr(settings, "PORTAL_TRUSTED_PROXY_HEADER", "")
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    if header:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        # the proxy appends the address it saw: the last entry is the only one we can trust
        candidate = raw.split(",")[-1].strip() if raw else ""
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return remote
    return remote


def _too_many(request: HttpRequest, api: bool) -> HttpResponse:
    if api:
        return JsonResponse(
            {
                "code": "rate_limited",
                "message": "请求过于频繁，请稍后再试。",
                "message_en": "Too many requests; please try again later.",
            },
            status=429,
            json_dumps_params={"ensure_ascii": False},
            headers={"Retry-After": "60"},
        )
    response = render(request, "portal/429.html", status=429)
    response["Retry-After"] = "60"
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


class PortalRateLimitMiddleware:
    """429 for a client over ``PORTAL_RATE`` (pages) or ``PORTAL_API_RATE`` (API); 400 for hostile queries."""

    PAGE_PREFIXES = ("/public/", "/verify/")
    API_PREFIX = "/api/portal/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        api = path.startswith(self.API_PREFIX)
        if not api and not path.startswith(self.PAGE_PREFIXES):
            return self.get_response(request)
        query = request.META.get("QUERY_STRING", "")
        if len(query) > MAX_QUERY_STRING or "\x00" in query or "%00" in query:
            return bad_query(request, api)
        from django_ratelimit.core import is_ratelimited

        rate = settings.PORTAL_API_RATE if api else settings.PORTAL_RATE
        if rate and is_ratelimited(
            request, group="portal-api" if api else "portal-page", key="ip", rate=rate, increment=True
        ):
            return _too_many(request, api)
        return self.get_response(request)
