"""Staff pages of disclosure (执法公示): the queue by due date, the preview with its actions, annual statistics.

Thin: reads through ``selectors``, writes through ``services``; a refusal comes back as a message on the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhifa.core.errors import DomainError
from zhifa.disclosure import selectors, services
from zhifa.disclosure.models import AnnualStatistics, PublicationStatus, WithdrawKind
from zhifa.disclosure.rules import APPROVE, DRAFT, PUBLISH_STATS, VIEW, WITHDRAW
from zhifa.org import permissions as perms
from zhifa.org.models import Agency

TABS = [
    ("open", "待公示"),
    ("overdue", "逾期未公示"),
    (PublicationStatus.PUBLISHED, "已公示"),
    (PublicationStatus.WITHDRAWN, "已撤回"),
]


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """公示队列 — open obligations by due date (overdue in red, due within 2 days in yellow)."""
    perms.require(request.user, VIEW, request=request)
    tab = request.GET.get("tab", "open")
    today = timezone.localdate()
    if tab == "overdue":
        qs = selectors.publication_queue(request.user, overdue_only=True, today=today)
    elif tab in (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN):
        qs = selectors.publication_queue(request.user, status=tab)
    else:
        tab = "open"
        qs = selectors.publication_queue(request.user).filter(status__in=selectors.OPEN)
    rows = list(qs[:200])
    for p in rows:
        state = ""
        if p.status in selectors.OPEN and p.due_on:
            state = "danger" if p.due_on < today else ("warning" if (p.due_on - today).days <= 2 else "")
        p.state = state  # type: ignore[attr-defined]
    return render(request, "disclosure/queue.html", {"rows": rows, "tab": tab, "tabs": TABS, "today": today})


def _get(request: HttpRequest, pk: int) -> Any:
    perms.require(request.user, VIEW, request=request)
    try:
        return selectors.publication_get(request.user, pk)
    except DomainError:
        raise Http404("公示事项不存在或不在您的数据范围内。") from None


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """预览 — the desensitised text exactly as the portal will show it, and the next steps."""
    p = _get(request, pk)
    user = request.user
    draft_open = p.status == PublicationStatus.DRAFT and perms.can(user, DRAFT, p)
    context = {
        "p": p,
        "can_submit": draft_open,
        "can_refresh": draft_open,
        "can_approve": p.status == PublicationStatus.SUBMITTED and perms.can(user, APPROVE, p),
        "same_person": p.drafted_by_id == user.pk,
        "can_redact": (p.status == PublicationStatus.PUBLISHED and perms.can(user, APPROVE, p))
        or (p.status in selectors.OPEN and perms.can(user, DRAFT, p)),
        "can_withdraw": p.status == PublicationStatus.PUBLISHED and perms.can(user, WITHDRAW, p),
        "withdraw_kinds": WithdrawKind.choices,
    }
    return render(request, "disclosure/detail.html", context)


_ACTIONS: dict[str, tuple[Any, str, tuple[str, ...]]] = {
    "refresh": (services.publication_refresh, "已按案件重新生成公示内容。", ()),
    "submit": (services.publication_submit, "已提交审核。", ()),
    "approve": (services.publication_approve, "已审核发布，门户与检索已可见。", ()),
    "return": (services.publication_return, "已退回修改。", ("reason",)),
    "withdraw": (services.publication_withdraw, "已撤回：门户、检索与导出中已不再提供。", ("kind", "reason")),
    "redact": (services.publication_redact, "已隐去该内容（不予公开）。", ("text", "reason")),
}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    p = _get(request, pk)
    if action not in _ACTIONS:
        raise Http404("没有这个操作。")
    fn, done, fields = _ACTIONS[action]
    kwargs = {name: request.POST.get(name, "") for name in fields}
    try:
        fn(actor=request.user, publication=p, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("disclosure:detail", pk=p.pk)


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """年度统计 — publish the previous year's figures of an agency (by 31 January)."""
    perms.require(request.user, VIEW, request=request)
    today = timezone.localdate()
    agencies = perms.scoped(request.user, PUBLISH_STATS, Agency.objects.filter(is_active=True)).order_by(
        "name"
    )
    if request.method == "POST":
        agency = agencies.filter(pk=request.POST.get("agency") or 0).first()
        if agency is None:
            messages.error(request, "请选择您有权公布统计的执法主体。")
        else:
            try:
                year = int(request.POST.get("year") or today.year - 1)
                services.annual_statistics_publish(actor=request.user, agency=agency, year=year)
            except ValueError:
                messages.error(request, "年度无效。")
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"已公布 {agency.name} {year} 年度统计。")
        return redirect("disclosure:stats")
    rows = perms.scoped(request.user, VIEW, AnnualStatistics.objects.select_related("agency"))[:100]
    return render(
        request,
        "disclosure/stats.html",
        {
            "rows": rows,
            "agencies": agencies[:200],
            "year": today.year - 1,
            "can_publish": perms.can(request.user, PUBLISH_STATS),
        },
    )


def case_panel(request: HttpRequest, case: Any) -> dict[str, Any] | None:
    """A section of the case page (cases.hooks.register_panel): the case's publication, if any."""
    from zhifa.disclosure.models import Publication

    p = Publication.objects.filter(source_type="cases.case", source_id=str(case.pk)).first()
    if p is None or not perms.can(request.user, VIEW, p):
        return None
    return {"title": "执法公示", "template": "disclosure/_case_panel.html", "context": {"p": p}}
