"""The request type of a view that only a logged-in user reaches."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails

from zhifa.org.models import User


class HtmxHttpRequest(HttpRequest):
    """A request through django-htmx's middleware (``request.htmx``), signed in or not. Annotations only."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request that ``login_required`` (or the API's auth) let through, so its ``user`` is a ``User``.

    For annotations only (django-stubs' recipe): at run time the view gets Django's own ``HttpRequest``.
    """

    user: User


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """An htmx search or paging request (not a history restore, which needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def list_response(
    request: HtmxHttpRequest, template: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    """A list page, or only its results (``fragment``) for an htmx search or paging request; the answer varies
    with ``HX-Request``, so a cache never serves one for the other."""
    context["fragment"] = fragment
    response = render(request, fragment if wants_fragment(request) else template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
