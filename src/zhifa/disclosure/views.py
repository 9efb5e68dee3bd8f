"""Staff pages of disclosure (执法公示): the queue by due date, the preview with its actions, annual statistics.

Thin: reads through ``selectors``, writes through ``services``; a refusal comes back as a message on the page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core import clock
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.forms import parse
from zhifa.core.paging import capped, keyset_page
from zhifa.disclosure import selectors, services
from zhifa.disclosure.forms import (
    CorrectForm,
    DisclosureDecideForm,
    NoFieldsForm,
    RedactForm,
    RepairApplyForm,
    RepairDecideForm,
    ReturnForm,
    StatsForm,
    WithdrawForm,
)
from zhifa.disclosure.models import (
    AnnualStatistics,
    CreditRepairFile,
    Publication,
    PublicationStatus,
    RepairStatus,
    ResultKind,
    WithdrawKind,
)
from zhifa.disclosure.rules import APPLY_REPAIR, APPROVE, DRAFT, PUBLISH_STATS, REPAIR, VIEW, WITHDRAW
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency

TABS = [
    ("open", "待公示"),
    ("overdue", "逾期未公示"),
    (PublicationStatus.PUBLISHED, "已公示"),
    ("expired", "已到期"),
    (PublicationStatus.WITHDRAWN, "已撤回"),
    ("withheld", "不予公开"),
    (PublicationStatus.REPAIRED, "已信用修复"),
    ("repairs", "信用修复申请"),
]
_LISTED = (PublicationStatus.PUBLISHED, "expired", PublicationStatus.WITHDRAWN, PublicationStatus.REPAIRED)


@login_required
@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """公示队列 — open obligations by due date (overdue in red, due within 2 days in yellow)."""
    perms.require(request.user, VIEW, request=request)
    tab = request.GET.get("tab", "open")
    today = clock.today()
    if tab == "repairs":
        return render(
            request,
            "disclosure/repair_queue.html",
            {"rows": capped(selectors.repair_queue(request.user), 200), "tab": tab, "tabs": TABS},
        )
    if tab == "overdue":
        qs = selectors.publication_queue(request.user, overdue_only=True, today=today)
    elif tab in _LISTED:
        qs = selectors.publication_queue(request.user, status=tab, today=today)
    elif tab == "withheld":
        qs = selectors.withheld_publications(request.user)
    else:
        tab = "open"
        qs = selectors.publication_queue(request.user).filter(status__in=selectors.OPEN, withheld=False)
    page = None
    if tab in (*_LISTED, "withheld"):
        page = keyset_page(qs, request, size=100)  # newest first, by id
        rows: list[Any] = page.items
    else:
        rows = capped(qs, 200)  # by due date, which may be empty: the first 200 and how many more
    for p in rows:
        state = ""
        if p.status in selectors.OPEN and p.due_on and not p.withheld:
            state = "danger" if p.due_on < today else ("warning" if (p.due_on - today).days <= 2 else "")
        p.state = state
    context = {
        "rows": rows,
        "page": page,
        "tab": tab,
        "tabs": TABS,
        "today": today,
        "can_import": perms.can(request.user, DRAFT),
    }
    return render(request, "disclosure/queue.html", context)


def _get(request: AuthenticatedHttpRequest, pk: int) -> Any:
    perms.require(request.user, VIEW, request=request)
    try:
        return selectors.publication_get(request.user, pk)
    except DomainError:
        raise Http404("公示事项不存在或不在您的数据范围内。") from None


@login_required
@require_GET
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """预览 — the desensitised text exactly as the portal will show it, and the next steps."""
    p = _get(request, pk)
    user = request.user
    draft_open = p.status == PublicationStatus.DRAFT and perms.can(user, DRAFT, p)
    today = clock.today()
    open_ = p.status in selectors.OPEN
    context = {
        "p": p,
        "state": p.state_label(today),
        "expired": p.expired(today),
        "repairs": list(p.repairs.prefetch_related("files").order_by("-id")),
        "can_repair": perms.can(user, REPAIR, p),
        "can_correct": p.status == PublicationStatus.PUBLISHED and perms.can(user, WITHDRAW, p),
        "can_submit": draft_open and not p.withheld,
        # 行政处罚法 第四十八条: the agency head decides to publish, or not, against the region's default
        "can_decide": open_ and perms.can(user, APPROVE, p),
        # a licensing decision has no case to regenerate from: it was imported as it stands
        "can_refresh": draft_open and p.source_type != services.LICENSING,
        "can_approve": p.status == PublicationStatus.SUBMITTED
        and not p.withheld
        and perms.can(user, APPROVE, p),
        "same_person": p.drafted_by_id == user.pk,
        "can_redact": (p.status == PublicationStatus.PUBLISHED and perms.can(user, APPROVE, p))
        or (p.status in selectors.OPEN and perms.can(user, DRAFT, p)),
        "can_withdraw": p.status == PublicationStatus.PUBLISHED and perms.can(user, WITHDRAW, p),
        "withdraw_kinds": [c for c in WithdrawKind.choices if c[0] != WithdrawKind.CORRECTED],
        # a decision's own 文号 comes from the issued 决定书; until then the preview says so
        "number_pending": p.source_type == services.CASE
        and p.kind in (ResultKind.PENALTY, ResultKind.NOT_PUNISH)
        and not p.document_number,
    }
    return render(request, "disclosure/detail.html", context)


# action → (the service, the message when done, the form of its fields)
_ACTIONS: dict[str, tuple[Any, str, type[forms.Form]]] = {
    "refresh": (services.publication_refresh, "已按案件重新生成公示内容。", NoFieldsForm),
    "submit": (services.publication_submit, "已提交审核。", NoFieldsForm),
    "approve": (services.publication_approve, "已审核发布，门户与检索已可见。", NoFieldsForm),
    "return": (services.publication_return, "已退回修改。", ReturnForm),
    "withdraw": (services.publication_withdraw, "已撤回：门户、检索与导出中已不再提供。", WithdrawForm),
    "redact": (services.publication_redact, "已隐去该内容（不予公开）。", RedactForm),
    "decide": (services.publication_disclosure_decide, "已记录机关决定及理由。", DisclosureDecideForm),
    "correct": (
        services.publication_correct,
        "已撤回原公示（更正），并生成更正后的公示草稿：请预览后提交审核。",
        CorrectForm,
    ),
}


@login_required
@require_POST
def act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    p = _get(request, pk)
    if action not in _ACTIONS:
        raise Http404("没有这个操作。")
    fn, done, form = _ACTIONS[action]
    try:
        result = fn(actor=request.user, publication=p, **parse(form, request.POST))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
        if action == "correct":  # to the corrected draft, for its preview
            return redirect("disclosure:detail", pk=result.pk)
    return redirect("disclosure:detail", pk=p.pk)


@login_required
@require_POST
def repair_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """准予 / 不予信用修复 — the publishing agency decides an application (``services.credit_repair_decide``)."""
    perms.require(request.user, VIEW, request=request)
    try:
        repair = selectors.repair_get(request.user, pk)
    except DomainError:
        raise Http404("信用修复申请不存在或不在您的数据范围内。") from None
    try:
        data = parse(RepairDecideForm, request.POST)
        services.credit_repair_decide(
            actor=request.user, repair=repair, grant=data["decision"] == "grant", reason=data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "已准予信用修复：该公示信息已停止公示。" if data["decision"] == "grant" else "已决定不予修复。",
        )
    return redirect("disclosure:detail", pk=repair.publication_id)


@login_required
@require_GET
def repair_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A proof file of an application, to the staff who may see the publication (always as a download)."""
    perms.require(request.user, VIEW, request=request)
    f = CreditRepairFile.objects.select_related("repair").filter(pk=pk).first()
    if f is None:
        raise Http404("文件不存在。")
    try:
        selectors.repair_get(request.user, f.repair_id)
    except DomainError:
        raise Http404("文件不存在或不在您的数据范围内。") from None
    response = HttpResponse(bytes(f.content), content_type=f.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的公示决定 — an enterprise's publications (by its 统一社会信用代码): status, period, 信用修复."""
    perms.require(request.user, APPLY_REPAIR, request=request)
    today = clock.today()
    rows = selectors.party_publications(request.user)
    for p in rows:
        p.state = "已到期" if p.expired(today) else p.get_status_display()  # type: ignore[attr-defined]
        p.eligibility = services.repair_eligibility(p, today)  # type: ignore[attr-defined]
        p.pending = any(r.status == RepairStatus.PENDING for r in p.repairs.all())  # type: ignore[attr-defined]
        p.repair_list = sorted(p.repairs.all(), key=lambda r: r.pk, reverse=True)  # type: ignore[attr-defined]
    return render(
        request,
        "disclosure/mine.html",
        {"rows": rows, "today": today, "max_files": services.MAX_FILES},
    )


@login_required
@require_POST
def mine_repair(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """申请信用修复 — the statement and the proof files (PDF/JPEG/PNG, 5 MB each, at most 5)."""
    perms.require(request.user, APPLY_REPAIR, request=request)
    uploads = request.FILES.getlist("files")
    try:
        data = parse(RepairApplyForm, request.POST)
        files = []
        for u in uploads[: services.MAX_FILES + 1]:
            if u.size is not None and u.size > services.MAX_FILE_BYTES:
                raise InvalidInput("单个文件不得超过 5 MB。", "A file is larger than 5 MB.", field="files")
            files.append(services.ProofFile(name=u.name or "证明材料", data=u.read()))
        services.credit_repair_apply(
            actor=request.user, publication=pk, statement=data["statement"], files=files
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已提交信用修复申请，执法机关将作出决定。")
    return redirect("disclosure:mine")


@login_required
def stats(request: AuthenticatedHttpRequest) -> HttpResponse:
    """年度统计 — publish the previous year's figures of an agency (by 31 January)."""
    perms.require(request.user, VIEW, request=request)
    today = clock.today()
    agencies = perms.scoped(request.user, PUBLISH_STATS, Agency.objects.filter(is_active=True)).order_by(
        "name"
    )
    if request.method == "POST":
        try:
            data = parse(StatsForm, request.POST)
            agency = agencies.filter(pk=data["agency"]).first()
            if agency is None:
                raise InvalidInput("请选择您有权公布统计的执法主体。", "Choose an agency.", field="agency")
            year = data["year"] or today.year - 1
            services.annual_statistics_publish(actor=request.user, agency=agency, year=year)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已公布 {agency.name} {year} 年度统计。")
        return redirect("disclosure:stats")
    rows = capped(perms.scoped(request.user, VIEW, AnnualStatistics.objects.select_related("agency")), 100)
    return render(
        request,
        "disclosure/stats.html",
        {
            "rows": rows,
            "agencies": agencies,  # every agency the user may publish for (form choices, uncapped)
            "year": today.year - 1,
            "can_publish": perms.can(request.user, PUBLISH_STATS),
        },
    )


MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@login_required
@require_http_methods(["GET", "POST"])
def licensing_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """导入行政许可决定 — an .xlsx / .csv from the government services system; every row checked, nothing
    written when one is wrong (the errors listed by row); each row becomes a draft in the queue."""
    perms.require(request.user, DRAFT, request=request)
    # every agency the user may import for (form choices, uncapped)
    agencies = list(
        perms.scoped(
            request.user, DRAFT, Agency.objects.filter(is_active=True).select_related("region")
        ).order_by("name")
    )
    errors: list[dict[str, Any]] = []
    message = ""
    chosen = request.POST.get("agency", "")
    if request.method == "POST":
        upload = request.FILES.get("file")
        agency = next(
            (a for a in agencies if str(a.pk) == chosen), agencies[0] if len(agencies) == 1 else None
        )
        try:
            if agency is None:
                raise InvalidInput("请选择执法主体。", "Choose an agency.", field="agency")
            if upload is None:
                raise InvalidInput("请选择文件。", "Choose a file.", field="file")
            if upload.size > MAX_UPLOAD_BYTES:
                raise InvalidInput("文件过大（最大 10 MB）。", "File too large.", field="file")
            result = services.licensing_decisions_import_file(
                actor=request.user, agency=agency, data=upload.read(), filename=upload.name or ""
            )
        except DomainError as exc:
            message = exc.message
            errors = exc.details if isinstance(exc.details, list) else []
        else:
            messages.success(
                request,
                f"已导入 {result.rows} 件行政许可决定，已生成公示草稿，请在公示期限内预览、提交审核。",
            )
            return redirect("disclosure:queue")
    labels = services.LICENSING_COLUMNS
    for e in errors:
        e["label"] = labels.get(e.get("field", ""), e.get("field", ""))
    return render(
        request,
        "disclosure/licensing_import.html",
        {
            "message": message,
            "errors": errors,
            "agencies": agencies,
            "chosen": chosen,
            "columns": [(h, k in services.LICENSING_REQUIRED) for k, h in labels.items()],
        },
        status=422 if message else 200,
    )


@login_required
@require_GET
def licensing_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The upload template (.xlsx): the header row, an example row and the allowed values."""

    perms.require(request.user, DRAFT, request=request)
    response = HttpResponse(
        services.licensing_template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('行政许可决定导入模板')}.xlsx"
    return response


def case_panel(request: HttpRequest, case: Any) -> dict[str, Any] | None:
    """A section of the case page (cases.hooks.register_panel): the case's publications (a corrected one and
    its correction, its compulsion results), oldest first."""

    sources = Q(source_type=services.CASE, source_id=str(case.pk))
    seizures = [str(pk) for pk in case.seizures.values_list("pk", flat=True)]
    if seizures:
        sources |= Q(source_type=services.SEIZURE, source_id__in=seizures)
    demand = getattr(case, "enforcement", None)  # the reverse one-to-one raises AttributeError when absent
    if demand is not None:
        sources |= Q(source_type=services.ENFORCEMENT, source_id=str(demand.pk))
    # the scope check reads each publication's agency and region: joined, not read per publication
    publications = perms.scoped_select_related(Publication.objects.filter(sources)).order_by("id")
    rows = [p for p in publications if perms.can(request.user, VIEW, p)]
    if not rows:
        return None
    return {
        "title": "执法公示",
        "template": "disclosure/_case_panel.html",
        "context": {"p": rows[0], "rows": rows},
    }
