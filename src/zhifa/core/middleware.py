"""Request-level guards."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

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
