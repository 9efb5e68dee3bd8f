"""服务指南 — the staff pages (the agency's guides, edit = save a new version) and the public pages (index by
agency and kind, one guide with its flow chart, printable). Views are thin: ``selectors`` read, ``services``
write; public pages follow the portal's ``public_view`` (GET only, a malformed query answers 400)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from zhifa.core.errors import DomainError
from zhifa.core.pagecache import public_page
from zhifa.core.paging import keyset_page
from zhifa.guides import rules, selectors, services
from zhifa.guides.forms import GuideForm
from zhifa.guides.models import EDITABLE_FIELDS
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency

MAX_ID = 2**62


class BadRequest(Exception):
    """A malformed public query: answered with the portal's 400 page."""


def public_view(view: Any) -> Any:
    """GET only; a ``BadRequest`` raised inside becomes the 400 page (as the portal's public pages)."""

    @require_GET
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return render(request, "portal/400.html", {"message": str(exc)}, status=400)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "portal/404.html", {"message": message}, status=404)


def _agency_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("agency", "").strip()
    if not raw:
        return None
    if len(raw) > 20 or not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
        raise BadRequest("参数“agency”应为正整数。")
    return int(raw)


# --- staff ----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """服务指南 — the agencies in the user's scope, each kind's current version, and who may edit it."""
    perms.require(request.user, rules.VIEW_GUIDE, request=request)
    qs = perms.scoped(request.user, rules.VIEW_GUIDE, selectors.public_agencies())
    page = keyset_page(qs, request, ordering=("region__path", "name", "id"), size=50)
    agencies = list(page.items)
    summaries = selectors.guide_summaries(agencies)
    rows = [
        {"agency": a, "guides": summaries[a.pk], "can_edit": rules.can_edit(request.user, a)}
        for a in agencies
    ]
    return render(request, "guides/staff_list.html", {"rows": rows, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, agency_id: int, kind: str) -> HttpResponse:
    """编辑服务指南 — the agency's part, prefilled from its current version (or the statutory defaults); saving
    adds a version. The statutory part is shown read-only beside the form."""
    perms.require(request.user, rules.VIEW_GUIDE, request=request)
    agency = (
        perms.scoped(request.user, rules.VIEW_GUIDE, Agency).filter(pk=agency_id, is_active=True).first()
        if 0 < agency_id <= MAX_ID and selectors.is_kind(kind)
        else None
    )
    if agency is None:
        return render(
            request, "404.html", {"message": "执法主体或指南类别不存在，或不在您的数据范围内。"}, status=404
        )
    can_edit = rules.can_edit(request.user, agency)
    view = selectors.guide_view(agency, kind, with_links=False)
    initial = {f: getattr(view, f) for f in EDITABLE_FIELDS}
    form = GuideForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if not can_edit:
            perms.require(request.user, rules.EDIT_GUIDE, agency, request=request)
        if form.is_valid():
            try:
                guide = services.guide_save(request.user, agency, kind, **form.cleaned_data)
            except DomainError as exc:
                if exc.status == 403:
                    raise
                field = getattr(exc, "field", None)
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, f"已保存为第 {guide.version} 版，公示平台即时更新。")
                return redirect("guides:edit", agency_id=agency.pk, kind=kind)
        status = 422
    return render(
        request,
        "guides/edit.html",
        {
            "agency": agency,
            "g": view,
            "form": form,
            "can_edit": can_edit,
            "versions": list(selectors.guide_versions(agency, kind)[:20]),
        },
        status=status,
    )


# --- public ---------------------------------------------------------------------------------------------------


@public_page
@public_view
def public_index(request: HttpRequest) -> HttpResponse:
    """办事指南 — every agency's guides by kind of act, with the date each was last updated."""
    agency_id = _agency_param(request)
    qs = selectors.public_agencies()
    if agency_id is not None:
        qs = qs.filter(pk=agency_id)
    page = keyset_page(qs, request, ordering=("region__path", "name", "id"), size=50)
    agencies = list(page.items)
    if agency_id is not None and not agencies:
        return _not_found(request, "该执法主体不存在或未公开。")
    summaries = selectors.guide_summaries(agencies)
    return render(
        request,
        "guides/public_index.html",
        {
            "rows": [
                (
                    a,
                    summaries[a.pk],
                    max((s.updated_on for s in summaries[a.pk] if s.updated_on), default=None),
                )
                for a in agencies
            ],
            "page": page,
            "kinds": selectors.guide_kinds(),
            "filtered": agency_id is not None,
        },
    )


@public_page
@public_view
def public_detail(request: HttpRequest, agency_id: int, kind: str) -> HttpResponse:
    """一份服务指南 — the agency's part, the statutory time limits, fees and remedies with their articles, the
    supervision channels, the catalog items it covers, and the flow chart of the procedure."""
    if len(kind) > 40:
        raise BadRequest("指南类别不正确。")
    agency = selectors.public_agency(agency_id) if 0 < agency_id <= MAX_ID else None
    if agency is None or agency.is_supervision_organ or not selectors.is_kind(kind):
        return _not_found(request, "该执法主体或服务指南不存在。")
    view = selectors.guide_view(agency, kind)
    return render(
        request,
        "guides/public_detail.html",
        {"g": view, "chart": selectors.flow_chart(view.statute), "kinds": selectors.guide_kinds()},
    )
