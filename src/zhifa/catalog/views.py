"""Staff pages of the catalog and the four lists: thin — parse, call a selector or service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.cases.models import Case
from zhifa.catalog import rules, selectors, services
from zhifa.catalog.forms import (
    ConfirmationConfirmForm,
    ConfirmationRequestForm,
    ConfirmationReturnForm,
    ImportForm,
    ItemFilterForm,
    ItemForm,
    LenientDecisionForm,
    RepealForm,
)
from zhifa.catalog.imports import catalog_import, lenient_import, template_xlsx
from zhifa.catalog.models import (
    LENIENT_BASIS,
    CatalogItem,
    Confirmation,
    ConfirmationKind,
    ConfirmationState,
    ItemKind,
    LenientEntry,
    LenientKind,
)
from zhifa.catalog.panels import item_panels
from zhifa.core import clock
from zhifa.core.errors import DomainError, PermissionDenied
from zhifa.core.forms import parse
from zhifa.core.paging import capped, keyset_page
from zhifa.org import permissions as perms
from zhifa.org.forms import add_domain_error
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency, Officer


def _require(request: HttpRequest, action: str, obj: Any = None) -> None:
    perms.require(request.user, action, obj, request=request)


def _managed_agencies(request: HttpRequest) -> Any:
    return perms.scoped(request.user, rules.MANAGE_CATALOG, Agency.objects.filter(is_active=True)).order_by(
        "name"
    )


@login_required
@require_GET
def item_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """执法事项目录 — items in force on a date (today), filtered; or every version."""
    _require(request, rules.VIEW_CATALOG)
    form = ItemFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    on = data.get("on") or clock.today()
    if data.get("all_versions"):
        qs = CatalogItem.objects.select_related("agency", "domain")
        if data.get("agency"):
            qs = qs.filter(agency=data["agency"])
        if data.get("domain"):
            qs = qs.filter(domain=data["domain"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
    else:
        qs = selectors.public_catalog(
            agency=data.get("agency"), domain=data.get("domain"), kind=data.get("kind") or None, on=on
        )
    if data.get("q"):
        qs = qs.filter(Q(code__icontains=data["q"]) | Q(name__icontains=data["q"]))
    page = keyset_page(qs, request, size=50, descending=False)
    query = request.GET.copy()
    for key in ("after", "before"):
        query.pop(key, None)
    return render(
        request,
        "catalog/item_list.html",
        {
            "form": form,
            "page": page,
            "on": on,
            "query": query.urlencode(),
            "can_manage": perms.can(request.user, rules.MANAGE_CATALOG),
        },
    )


@login_required
@require_GET
def item_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """事项详情 — every version with its legal basis, and the list entries tied to the code."""
    _require(request, rules.VIEW_CATALOG)
    item = get_object_or_404(CatalogItem.objects.select_related("agency__region", "domain"), pk=pk)
    versions = list(selectors.item_versions(item.agency_id, item.code).select_related("domain", "created_by"))
    entries = list(selectors.entries_for_item(item))
    can_manage = perms.can(request.user, rules.MANAGE_CATALOG, item)
    latest = versions[0] if versions else item
    initial = {
        "agency": item.agency_id,
        "code": item.code,
        "name": latest.name,
        "kind": latest.kind,
        "domain": latest.domain_id,
        "law_name": latest.law_name,
        "article": latest.article,
        "article_text": latest.article_text,
    }
    return render(
        request,
        "catalog/item_detail.html",
        {
            "item": item,
            "versions": versions,
            "entries": entries,
            "today": clock.today(),
            "can_manage": can_manage,
            "new_version_url": reverse("catalog:item_new")
            + "?"
            + "&".join(f"{k}={v}" for k, v in (("from", latest.pk),)),
            "repeal_form": RepealForm(initial={"on": clock.today()})
            if can_manage and latest.effective_to is None
            else None,
            "latest": latest,
            "initial": initial,
            "panels": item_panels(request, item),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """登记执法事项 / 新版本 — a new version closes the previous one the day before it takes effect."""
    _require(request, rules.MANAGE_CATALOG)
    agencies = _managed_agencies(request)
    initial: dict[str, Any] = {}
    source = request.GET.get("from", "")
    if source.isdigit():
        base = CatalogItem.objects.filter(pk=int(source)).first()
        if base is not None:
            initial = {
                "agency": base.agency_id,
                "code": base.code,
                "name": base.name,
                "kind": base.kind,
                "domain": base.domain_id,
                "law_name": base.law_name,
                "article": base.article,
                "article_text": base.article_text,
                "effective_from": clock.today(),
            }
    form = ItemForm(request.POST or None, agencies=agencies, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            data = services.ItemData(
                code=d["code"],
                name=d["name"],
                kind=d["kind"],
                domain=d["domain"],
                law_name=d["law_name"].strip(),
                article=d["article"].strip(),
                article_text=d["article_text"].strip(),
                effective_from=d["effective_from"],
                effective_to=d.get("effective_to"),
            )
            try:
                item = services.catalog_item_save(actor=request.user, agency=d["agency"], data=data)
            except PermissionDenied:
                raise
            except DomainError as exc:
                add_domain_error(form, exc)
                status = 422
            else:
                messages.success(request, f"已登记事项 {item.code} 第 {item.version} 版。")
                return redirect("catalog:item_detail", item.pk)
        else:
            status = 422
    return render(request, "catalog/item_form.html", {"form": form}, status=status)


@login_required
@require_POST
def item_repeal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(CatalogItem, pk=pk)
    form = RepealForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的日期。")
        return redirect("catalog:item_detail", pk)
    try:
        services.catalog_item_repeal(actor=request.user, item=item, on=form.cleaned_data["on"])
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"事项 {item.code} 自 {form.cleaned_data['on'] + dt.timedelta(days=1)} 起失效。"
        )
    return redirect("catalog:item_detail", pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """导入执法事项目录或四张清单 — the per-row error report; nothing is written when a row fails."""
    _require(request, rules.MANAGE_CATALOG)
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"which": request.GET.get("which", "items")}
    )
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = catalog_import if form.cleaned_data["which"] == "items" else lenient_import
        try:
            report = run(actor=request.user, file=upload, filename=upload.name)
        except PermissionDenied:
            raise
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 422
        else:
            if report.errors:
                status = 422
            elif report.written:
                messages.success(request, f"已导入 {report.written} 条。")
    elif request.method == "POST":
        status = 422
    return render(request, "catalog/import.html", {"form": form, "report": report}, status=status)


@login_required
@require_GET
def import_template(request: AuthenticatedHttpRequest, which: str) -> HttpResponse:
    _require(request, rules.VIEW_CATALOG)
    if which not in ("items", "entries"):
        raise Http404

    name = "执法事项目录导入模板" if which == "items" else "四张清单导入模板"
    response = HttpResponse(
        template_xlsx(which), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.xlsx"
    return response


@login_required
@require_GET
def lenient_lists(request: AuthenticatedHttpRequest) -> HttpResponse:
    """四张清单 — the entries of one list (tab), in force today unless ``?all=1``; usage for the year."""
    _require(request, rules.VIEW_CATALOG)
    kind = request.GET.get("kind", LenientKind.NO_PENALTY)
    if kind not in LenientKind.values:
        kind = LenientKind.NO_PENALTY
    today = clock.today()
    qs = LenientEntry.objects.filter(kind=kind).select_related("agency", "region").prefetch_related("items")
    if request.GET.get("all") != "1":
        qs = qs.filter(effective_from__lte=today).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=today)
        )
    entries = capped(qs.order_by("region__code", "issuer_name", "number", "id"), 500)  # says how many more
    visible = perms.scoped(request.user, perms.VIEW_AGENCY, Agency.objects.all())
    usage = [
        u
        for u in selectors.list_usage(agencies=visible.values_list("pk", flat=True), year=today.year)
        if u.kind == kind
    ]
    names = dict(Agency.objects.filter(pk__in=[u.agency_id for u in usage]).values_list("pk", "name"))
    return render(
        request,
        "catalog/lenient_lists.html",
        {
            "kind": kind,
            "kind_label": LenientKind(kind).label,
            "tabs": LenientKind.choices,
            "entries": entries,
            "basis": LENIENT_BASIS[kind],
            "show_all": request.GET.get("all") == "1",
            "usage": [(names.get(u.agency_id, u.agency_id), u) for u in usage],
            "year": today.year,
            "can_manage": perms.can(request.user, rules.MANAGE_CATALOG),
        },
    )


@login_required
@require_POST
def lenient_record(request: AuthenticatedHttpRequest, case_pk: int, entry_pk: int) -> HttpResponse:
    """记录清单适用意见 from the case page's panel; back to the case page with the outcome."""
    case = perms.scoped(request.user, "cases.view_case", Case.objects.all()).filter(pk=case_pk).first()
    if case is None:
        raise Http404("案件不存在或不在您的数据范围内。")
    entry = get_object_or_404(LenientEntry, pk=entry_pk)
    form = LenientDecisionForm(request.POST, conditions=list(entry.conditions))
    back = reverse("cases:detail", args=[case.pk]) + f"#lenient-{entry.pk}"
    if not form.is_valid():
        errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"清单第{entry.number}项：{errors}")
        return redirect(back)
    try:
        services.lenient_decision_record(
            actor=request.user,
            case=case,
            entry=entry,
            applies=form.cleaned_data["applies"],
            conditions_met=form.cleaned_data["conditions_met"],
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, f"{entry.get_kind_display()}清单第{entry.number}项：{exc.message}")
    else:
        messages.success(request, f"已记录{entry.get_kind_display()}清单第{entry.number}项的适用意见。")
    return redirect(back)


# --- 执法事项 picker of the case forms --------------------------------------------------------------------------

_PICKER_MATCHES = 8


def _picker_benchmark(agency: Agency, code: str, on: dt.date) -> Any:
    """The discretion benchmark (裁量基准) of the item in force on ``on``, with its tiers, if any."""
    if not apps.is_installed("zhifa.discretion"):
        return None
    # local import: discretion is optional here, asked only when installed (apps.is_installed above)
    from zhifa.discretion.services import applicable_benchmarks

    found = [
        b
        for b in applicable_benchmarks(agency, code)
        if b.effective_from <= on and (b.effective_to is None or on <= b.effective_to)
    ]
    return max(found, key=lambda b: b.effective_from) if found else None


@login_required
@require_GET
def item_picker(request: AuthenticatedHttpRequest) -> HttpResponse:
    """执法事项 picker (htmx fragment): the actor's agency's penalty items in force today matching the typed
    code or name; for an exact code, the item's legal basis, its four-list entries and discretion tiers."""
    field = request.GET.get("field", "q")
    if field != "q" and not field.endswith("catalog_item_code"):
        field = "q"
    query = request.GET.get(field, "").strip()[:64]
    target = request.GET.get("target", "")[:100]
    officer = Officer.objects.filter(user_id=request.user.pk).select_related("agency__region").first()
    on = clock.today()
    context: dict[str, Any] = {"query": query, "target": target, "item": None, "matches": []}
    if officer is None:
        return render(request, "catalog/_item_picker_info.html", context)
    agency = officer.agency
    items = selectors.catalog_for_agency(agency, on).filter(kind=ItemKind.PENALTY)
    context["has_catalog"] = items.exists()
    if not query:
        return render(request, "catalog/_item_picker_info.html", context)
    item = items.filter(code=query).first()
    if item is not None:
        context["item"] = item
        context["entries"] = list(selectors.entries_for_item(item, on))
        context["benchmark"] = _picker_benchmark(agency, item.code, on)
    else:
        context["matches"] = list(
            items.filter(Q(code__icontains=query) | Q(name__icontains=query))[:_PICKER_MATCHES]
        )
        context["refused"] = selectors.catalog_item_in_force(agency, query, on)  # in force, not a penalty
    return render(request, "catalog/_item_picker_info.html", context)


# --- 主体资格确认 --------------------------------------------------------------------------------------------------

BOARD_ROWS = 200


def _year_param(request: HttpRequest, today: dt.date) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return today.year


@login_required
@require_GET
def confirmation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """主体资格确认 — the year's board (agency × 执法主体资格/检查主体资格/权责清单), the requests, and the
    request form for an agency; a bureau confirms or returns from each request's page."""
    _require(request, rules.VIEW_CONFIRMATION)
    today = clock.today()
    year = _year_param(request, today)
    state = request.GET.get("state", "")
    if state not in ConfirmationState.values:
        state = ""
    agency_raw = request.GET.get("agency", "")
    agency_id = int(agency_raw) if agency_raw.isdigit() and 0 < int(agency_raw) <= 2**31 else None
    visible = perms.scoped(request.user, perms.VIEW_AGENCY, Agency.objects.filter(is_active=True))
    board_agencies = visible.filter(is_supervision_organ=False).order_by("region__code", "name", "id")
    if agency_id:
        board_agencies = board_agencies.filter(pk=agency_id)
    board_capped = capped(board_agencies, BOARD_ROWS)
    deadline = selectors.confirmation_deadline(year)
    late = (
        {g.agency.pk for g in selectors.late_confirmations_for(board_agencies, today)}
        if year == today.year
        else set()
    )
    requests = selectors.confirmations(request.user, year=year, state=state or None, agency_id=agency_id)
    page = keyset_page(requests, request, size=50)
    requestable = perms.scoped(
        request.user, rules.REQUEST_CONFIRMATION, Agency.objects.filter(is_active=True)
    )
    can_request = perms.can(request.user, rules.REQUEST_CONFIRMATION)
    form = (
        ConfirmationRequestForm(
            agencies=requestable.order_by("name"),
            initial={"year": today.year, "kind": ConfirmationKind.CATALOG},
        )
        if can_request
        else None
    )
    return render(
        request,
        "catalog/confirmation_list.html",
        {
            "year": year,
            "years": list(range(today.year + 1, today.year - 4, -1)),
            "state": state,
            "states": ConfirmationState.choices,
            "agency_id": agency_id,
            "board": selectors.confirmation_board(board_capped, year),
            "board_more": board_capped.more,
            "kinds": ConfirmationKind.choices,
            "deadline": deadline,
            "past_deadline": today > deadline,
            "late": late,
            "page": page,
            "form": form,
        },
    )


def _confirmation(request: HttpRequest, pk: int) -> Confirmation:
    found = selectors.confirmations(request.user).select_related("agency__region").filter(pk=pk).first()  # type: ignore[arg-type]
    if found is None:
        raise Http404("该确认申请不存在或不在您的数据范围内。")
    return found


@login_required
@require_GET
def confirmation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """一份确认申请 — what the agency asked, the frozen catalog versions, the bureau's answer."""
    confirmation = _confirmation(request, pk)
    items = list(confirmation.items.select_related("domain").order_by("code", "version"))
    can_decide = confirmation.state == ConfirmationState.REQUESTED and perms.can(
        request.user, rules.DECIDE_CONFIRMATION, confirmation
    )
    return render(
        request,
        "catalog/confirmation_detail.html",
        {
            "c": confirmation,
            "items": items,
            "today": clock.today(),
            "deadline": selectors.confirmation_deadline(confirmation.year),
            "can_decide": can_decide,
            "confirm_form": ConfirmationConfirmForm() if can_decide else None,
            "return_form": ConfirmationReturnForm() if can_decide else None,
        },
    )


@login_required
@require_POST
def confirmation_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """申请确认 — the agency's request (form on the list page)."""
    _require(request, rules.REQUEST_CONFIRMATION)
    requestable = perms.scoped(
        request.user, rules.REQUEST_CONFIRMATION, Agency.objects.filter(is_active=True)
    )
    form = ConfirmationRequestForm(request.POST, agencies=requestable)
    back = reverse("catalog:confirmation_list")
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(back)
    d = form.cleaned_data
    try:
        created = services.confirmation_request(
            actor=request.user, agency=d["agency"], year=d["year"], kind=d["kind"], note=d.get("note") or ""
        )
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"{back}?year={d['year']}")
    messages.success(
        request,
        f"已提交{created.agency.name}{created.year}年度{created.get_kind_display()}确认申请，待司法局确认。",
    )
    return redirect("catalog:confirmation_detail", created.pk)


@login_required
@require_POST
def confirmation_decide(request: AuthenticatedHttpRequest, pk: int, decision: str) -> HttpResponse:
    """确认 or 退回 — the bureau's answer to one request."""
    if decision not in ("confirm", "return"):
        raise Http404
    confirmation = _confirmation(request, pk)
    back = reverse("catalog:confirmation_detail", args=[confirmation.pk])
    try:
        if decision == "confirm":
            remarks = parse(ConfirmationConfirmForm, request.POST).get("remarks") or ""
            services.confirmation_confirm(actor=request.user, confirmation=confirmation, remarks=remarks)
            messages.success(
                request,
                f"已确认{confirmation.agency.name}{confirmation.year}年度{confirmation.get_kind_display()}。",
            )
        else:
            reason = parse(ConfirmationReturnForm, request.POST)["reason"]
            services.confirmation_return(actor=request.user, confirmation=confirmation, reason=reason)
            messages.success(request, "已退回该申请，并告知退回理由。")
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(back)
