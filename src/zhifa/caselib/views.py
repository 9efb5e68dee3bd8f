"""Pages of the case library: the library with its search (every staff role), a case, the bureau's choosing
from confirmed evaluation files and withdrawing, and the 典型案例 part of a catalog item's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.caselib import rules, selectors, services
from zhifa.caselib.forms import ChooseForm, SearchForm, WithdrawForm
from zhifa.caselib.models import LibraryKind, LibraryStatus
from zhifa.core.errors import DomainError
from zhifa.core.forms import parse
from zhifa.core.paging import capped
from zhifa.evaluation.anonymise import anonymised_case
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Domain


@login_required
@require_GET
def library_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """典型案例 — search the library; the bureau also sees the files it may choose from."""
    perms.require(request.user, rules.VIEW, request=request)
    error = ""
    query = request.GET.get("q", "")[:200]
    try:
        data = parse(SearchForm, request.GET)
        items = selectors.search(
            request.user, query=data["q"], kind=data["kind"] or "", domain_id=data["domain"] or None
        )
    except DomainError as exc:
        error, items = exc.message, selectors.library(request.user).none()
    can_manage = perms.can(request.user, rules.MANAGE)
    return render(
        request,
        "caselib/list.html",
        {
            "items": capped(items, 50),
            "q": query,
            "kind": request.GET.get("kind", ""),
            "kinds": LibraryKind.choices,
            "domains": Domain.objects.order_by("sort", "id"),
            "domain": request.GET.get("domain", ""),
            "can_manage": can_manage,
            "candidates": capped(selectors.candidates(request.user), 20) if can_manage else [],
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
def library_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.get(request.user, pk)
    return render(
        request,
        "caselib/detail.html",
        {
            "item": item,
            "can_withdraw": perms.can(request.user, rules.MANAGE, item)
            and item.status == LibraryStatus.PUBLISHED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def library_choose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """发布典型案例 — from a confirmed evaluation file: the anonymised file beside the form."""
    perms.require(request.user, rules.MANAGE, request=request)
    file = selectors.candidate_get(request.user, pk)
    summary = anonymised_case(file.case)
    error = ""
    form: dict[str, Any] = {
        "kind": LibraryKind.WARNING if file.is_typical_bad else LibraryKind.GUIDING,
        "title": summary["title"],
        "summary": summary["facts"],
        "key_points": file.comment,
        "keywords": "",
    }
    if request.method == "POST":
        form = request.POST.dict()
        try:
            data = parse(ChooseForm, request.POST)
            item = services.case_choose(actor=request.user, file=file, **data)
            messages.success(request, f"已发布{item.get_kind_display()}“{item.title}”。")
            return redirect("caselib:detail", pk=item.pk)
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "caselib/choose.html",
        {"file": file, "summary": summary, "form": form, "kinds": LibraryKind.choices, "error": error},
        status=422 if error else 200,
    )


@login_required
@require_POST
def library_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.get(request.user, pk)
    try:
        data = parse(WithdrawForm, request.POST)
        services.case_withdraw(actor=request.user, item=item, reason=data["reason"])
        messages.success(request, "已撤回该典型案例。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("caselib:detail", pk=pk)


def catalog_item_panel(request: Any, item: Any) -> str:
    """典型案例 on a catalog item's page: the library's published cases of the item, for who may read them."""
    if not perms.can(request.user, rules.VIEW):
        return ""
    cases = list(selectors.for_item(request.user, item.agency_id, item.code)[:10])
    return render_to_string("caselib/_item_panel.html", {"cases": cases}, request=request)
