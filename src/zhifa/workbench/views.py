"""The per-role workbench (工作台)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.workbench.panels import workbench_for


@login_required
def workbench(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "workbench/workbench.html", {"panels": workbench_for(request.user)})
