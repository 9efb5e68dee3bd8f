"""专项说明 — an agency's statement for a year with no enforcement act, and the open flags that ask for one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.paging import capped
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency
from zhifa.supervision import selectors, services
from zhifa.supervision.forms import NoActForm, parse
from zhifa.supervision.rules import RECTIFY, VIEW
from zhifa.supervision.views._common import _require, _tabs


@login_required
@require_http_methods(["GET", "POST"])
def noact_file(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, VIEW)
    can_file = perms.can(request.user, RECTIFY)
    agencies = (
        list(
            perms.scoped(request.user, RECTIFY, Agency.objects.filter(is_active=True))
        )  # form choices: uncapped
        if can_file
        else []
    )
    if request.method == "POST":
        try:
            data = parse(NoActForm, request.POST)
            agency = next((a for a in agencies if a.pk == data["agency"]), None)
            if agency is None:
                raise InvalidInput("请选择执法主体。", "Choose an agency.", field="agency")
            services.noact_statement_file(
                actor=request.user, agency=agency, year=data["year"], explanation=data["explanation"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "专项说明已报送。")
        return redirect("supervision:noact_file")
    open_flags = capped(selectors.flags_queue(request.user, kind="no_enforcement_act", state=None), 50)
    return render(
        request,
        "supervision/noact.html",
        {
            "tabs": _tabs(request),
            "statements": capped(selectors.statements(request.user), 100),
            "flags": open_flags,
            "agencies": agencies,
            "year": services.today().year,
        },
    )
