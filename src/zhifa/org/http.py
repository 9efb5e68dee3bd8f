"""The request type of a view that only a logged-in user reaches."""

from __future__ import annotations

from django.http import HttpRequest
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
