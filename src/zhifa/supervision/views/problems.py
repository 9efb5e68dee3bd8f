"""问题台账 — the problem ledger: the list, a new problem, one problem and its steps (``actions`` PROBLEM)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.paging import capped, keyset_page
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency
from zhifa.supervision import actions, selectors, services
from zhifa.supervision.forms import ProblemForm, parse
from zhifa.supervision.models import ProblemCategory, ProblemSource, ProblemState
from zhifa.supervision.rules import RECTIFY, SUPERVISE, VIEW
from zhifa.supervision.views._common import _action, _get, _int, _require, _run, _scoped_agencies, _tabs


@login_required
@require_GET
def problem_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, VIEW)
    state = request.GET.get("state", "")
    category = request.GET.get("category", "")
    agency_id = _int(request.GET.get("agency"))
    qs = selectors.problems(
        request.user,
        state=state if state in ProblemState.values else None,
        category=category if category in ProblemCategory.values else None,
        agency_id=agency_id,
    )
    page = keyset_page(qs, request)
    params = request.GET.copy()
    params.pop("after", None)
    params.pop("before", None)
    return render(
        request,
        "supervision/problem_list.html",
        {
            "tabs": _tabs(request),
            "page": page,
            "states": ProblemState.choices,
            "categories": ProblemCategory.choices,
            "agencies": _scoped_agencies(request),
            "state": state,
            "category": category,
            "agency_id": agency_id,
            "can_open": perms.can(request.user, SUPERVISE),
            "filters": params.urlencode(),
            "today": services.today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def problem_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, SUPERVISE)
    error, field = "", ""
    if request.method == "POST":
        try:
            data = parse(ProblemForm, request.POST)
            agency_obj = Agency.objects.filter(pk=data["agency"]).first()
            if agency_obj is None:
                raise InvalidInput("请选择责任单位。", "Choose an agency.", field="agency")
            problem = services.problem_open(
                actor=request.user,
                agency=agency_obj,
                source_kind=data["source_kind"],
                source_ref=data["source_ref"],
                title=data["title"],
                description=data["description"],
                category=data["category"],
                due=data["due"],
                target=data["target"],
            )
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
        else:
            messages.success(request, f"问题 #{problem.pk} 已登记。")
            return redirect("supervision:problem", problem.pk)
    return render(
        request,
        "supervision/problem_new.html",
        {
            "tabs": _tabs(request),
            "agencies": _scoped_agencies(request),
            "sources": ProblemSource.choices,
            "categories": ProblemCategory.choices,
            "error": error,
            "field": field,
            "data": request.POST,
        },
    )


@login_required
@require_GET
def problem_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = _get(selectors.problem_get, request.user, pk)
    steps = problem.steps.select_related("actor").order_by("id")
    can_rectify = perms.can(request.user, RECTIFY, problem)
    can_supervise = perms.can(request.user, SUPERVISE, problem)
    return render(
        request,
        "supervision/problem_detail.html",
        {
            "tabs": _tabs(request),
            "p": problem,
            "steps": steps,
            "can_rectify": can_rectify,
            "can_supervise": can_supervise,
            "flags": capped(problem.flags.all(), 20),
        },
    )


@login_required
@require_POST
def problem_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """整改 / 提请核验 / 核验 / 销号 / 重新打开 (``actions`` PROBLEM); the message after the redirect."""
    problem = _get(selectors.problem_get, request.user, pk)
    act = _action(actions.PROBLEM, action)
    try:
        done = _run(request, act, problem)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("supervision:problem", pk)
