"""Domain errors that escape a page view become the Chinese error pages (403, 404, …), never a 500.

The API maps its own errors (``zhifa.api``); this middleware leaves ``/api/`` alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhifa.core.errors import DomainError, NotFound, PermissionDenied


class DomainErrorPageMiddleware:
    """``zhifa.core.errors.PermissionDenied`` raised in a view → the 403 page; ``NotFound`` → 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        if isinstance(exception, PermissionDenied):
            template = "403.html"
        elif isinstance(exception, NotFound):
            template = "404.html"
        else:
            template = "core/domain_error.html"
        return render(request, template, {"message": exception.message}, status=exception.status)
