"""企业端 pages: 我的检查 (upcoming and history), one visit with its officers, items, checklist and the visit
time to agree, and 我的投诉. 我的处罚决定 is the disclosure app's page (``disclosure:mine``), linked, not copied."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhifa.core import clock, paging
from zhifa.core.errors import DomainError
from zhifa.enterprise import rules, selectors
from zhifa.enterprise.forms import VisitTimeForm
from zhifa.inspections import services as inspection_services
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的检查 — 待办, announced visits ahead, the visits that took place (keyset-paged), links to decisions and
    complaints."""
    perms.require(request.user, rules.USE, request=request)
    user = request.user
    page = paging.keyset_page(selectors.history(user), request, ordering=("-inspected_day", "-id"), size=20)
    checks = selectors.checks_by_inspection([i.pk for i in page.items])
    past = [(i, checks.get(i.pk, [])) for i in page.items]
    upcoming = [(i, selectors.notice_text(i)) for i in selectors.upcoming(user)[:50]]  # a year's worth
    prev_url = f"?before={page.prev_before}" if page.prev_before else ""
    next_url = f"?after={page.next_after}" if page.next_after else ""
    return render(
        request,
        "enterprise/home.html",
        {
            "todos": selectors.enterprise_todos(user),
            "upcoming": upcoming,
            "past": past,
            "prev_url": prev_url,
            "next_url": next_url,
            "today": clock.today(),
            "has_party": bool(selectors.party_ids(user)),
        },
    )


@login_required
@require_GET
def inspection(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One visit: advance notice, officers with the live certificate check, task, items, legal basis,
    checklist lines, the visit time to agree, and afterwards the result per item and the 整改 deadline."""
    perms.require(request.user, rules.USE, request=request)
    detail = selectors.visit_detail(request.user, pk)
    return render(
        request,
        "enterprise/inspection.html",
        {"d": detail, "i": detail.inspection, "today": clock.today()},
    )


@login_required
@require_POST
def visit_time(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """商定入企时间 — the enterprise picks one offered slot."""
    perms.require(request.user, rules.USE, request=request)
    detail = selectors.visit_detail(request.user, pk)
    form = VisitTimeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择一个可选的入企时间。")
    else:
        try:
            inspection_services.visit_time_agree(
                request.user, detail.inspection, start=form.cleaned_data["start"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已确认入企时间，执法人员将按约定时间到达。")
    return redirect("enterprise:inspection", pk=pk)


@login_required
@require_GET
def complaints(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的投诉 — complaints submitted while signed in, with their progress; others by their tracking code."""
    perms.require(request.user, rules.USE, request=request)
    return render(request, "enterprise/complaints.html", {"rows": selectors.my_complaints(request.user)})
