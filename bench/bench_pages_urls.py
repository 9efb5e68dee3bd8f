"""Bench-only URLconf of ``bench/bench_pages.py``: zhifa's URLs plus one minimal view, the ceiling a Django view
reaches under the same server, processes, settings and middleware as the public pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from zhifa.urls import urlpatterns as zhifa_urlpatterns


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bench/minimal/", minimal), *zhifa_urlpatterns]
