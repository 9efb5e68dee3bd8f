"""Request-level guards."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers

_EXEMPT_PREFIXES = ("/accounts/password/", "/accounts/logout/", "/static/", "/api/")


class ForcePasswordChangeMiddleware:
    """Imported users and users whose password was reset must choose their own before doing anything."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            return redirect("password_change")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every answer; ``Cache-Control: no-store`` on every answer to a logged-in user.

    What a logged-in user sees (cases, parties, evidence) must not stay in a shared or browser cache after the
    session ends. A token client's answers count as logged in too: the API sets ``request.user`` when the
    token authenticates. The Content-Security-Policy itself is django-csp's (settings.CONTENT_SECURITY_POLICY).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private; Expires now
        return response
