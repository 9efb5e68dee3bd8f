"""公示平台 — public pages (no login)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {})


def placeholder(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {})
