"""公示平台 — public pages (no login) and the staff page of the monitoring-device register.

Every public page is generated from the system's own data through ``zhifa.portal.selectors`` (never typed
twice). Bad input answers 400 with a Chinese page, an unknown id 404, never a 500; the rate limit (429) and the
query-string cap sit in ``zhifa.portal.ratelimit``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.catalog import selectors as catalog_selectors
from zhifa.catalog.models import CatalogItem, ItemKind
from zhifa.core import clock
from zhifa.core.env import env_str
from zhifa.core.errors import DomainError
from zhifa.core.forms import parse
from zhifa.core.pagecache import public_page
from zhifa.core.paging import capped, keyset_page
from zhifa.core.pdf import public_url
from zhifa.inspections.models import InspectionPlan, PlanStatus
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency, Domain
from zhifa.portal import boards, rules, selectors, services
from zhifa.portal.feeds import AgencyFeed, latest_items
from zhifa.portal.forms import ACTION_FORMS, DeviceForm, PostForm
from zhifa.portal.models import MonitoringDevice, ServicePost
from zhifa.portal.ratelimit import MAX_PARAM

MAX_ID = 2**62


class BadRequest(Exception):
    """A malformed public query: answered with the 400 page."""


def _bad(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "portal/400.html", {"message": message}, status=400)


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "portal/404.html", {"message": message}, status=404)


def _param(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name, "").strip()
    if len(value) > MAX_PARAM:
        raise BadRequest(f"参数“{name}”过长。")
    return value


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = _param(request, name)
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
        raise BadRequest(f"参数“{name}”应为正整数。")
    return int(raw)


def _agency_or_none(agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    return Agency.objects.filter(pk=agency_id, is_active=True).select_related("region").first()


def public_view(view: Any) -> Any:
    """GET only; a ``BadRequest`` raised inside becomes the 400 page."""

    @require_GET
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return _bad(request, str(exc))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _safe_reverse(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


# --- home -----------------------------------------------------------------------------------------------------------


def _summary() -> dict[str, Any]:
    """Region summary for the home page, cached a minute (counts over public tables)."""
    key = "portal:home-summary"
    data = cache.get(key)
    if data is None:
        data = {
            "agencies": selectors.public_agencies().count(),
            "officers": selectors.valid_certificates().count(),
            "plans": InspectionPlan.objects.filter(status=PlanStatus.PUBLISHED).count(),
            "devices": selectors.published_devices().count(),
        }
        cache.set(key, data, 60)
    return data


@public_page
@public_view
def home(request: HttpRequest) -> HttpResponse:
    """公示平台首页 — region summary, latest public items, search, quick links."""
    region = selectors.portal_region()
    return render(
        request,
        "portal/home.html",
        {
            "region": region,
            "summary": _summary(),
            "latest": latest_items(limit=10, decisions_first=True),
            "search_url": _safe_reverse("pub:search"),
            "decisions_url": _safe_reverse("pub:decision_list"),
        },
    )


# --- before (事前公开) -------------------------------------------------------------------------------------------


_CATALOG_ORDER = ("agency__region__code", "agency__name", "code", "id")  # zhifa.catalog's order, ending in id


def _agency_choices() -> list[Any]:
    """Every public agency, for a filter's choices (uncapped: a cap would drop agencies from the form)."""
    return list(selectors.public_agencies().only("id", "name", "region__name"))


@public_page
@public_view
def agency_list(request: HttpRequest) -> HttpResponse:
    """执法主体 — every active agency by region, with its domains and office contact."""
    page = keyset_page(
        selectors.public_agencies(), request, ordering=("region__path", "name", "id"), size=100
    )
    return render(request, "portal/agency_list.html", {"agencies": page.items, "page": page})


@public_page
@public_view
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One agency: its powers (catalog), officers, inspection items and plans, devices, its feed."""
    agency = _agency_or_none(pk if 0 < pk <= MAX_ID else None)
    if agency is None:
        return _not_found(request, "该执法主体不存在或未公开。")
    catalog_qs = selectors.public_catalog(agency)
    confirmations = capped(selectors.public_confirmations(agency), 30)
    return render(
        request,
        "portal/agency_detail.html",
        {
            "agency": agency,
            "domains": list(agency.domains.order_by("sort", "code")),
            # an overview: the first rows of each list, how many more, and a link to the paged page
            "catalog": capped(catalog_qs, 50),
            "catalog_ready": catalog_qs is not None,
            "catalog_confirmed": catalog_selectors.catalog_confirmed(agency),
            "confirmations": confirmations,
            "certificates": capped(selectors.valid_certificates(agency_id=agency.pk).order_by("number"), 50),
            "items": capped(selectors.public_inspection_items(agency_id=agency.pk), 50),
            "plans": capped(selectors.published_plans(agency_id=agency.pk), 10),
            "devices": capped(selectors.published_devices(agency_id=agency.pk).order_by("-published_at"), 50),
        },
    )


_AGENCY_FEED = AgencyFeed()


@public_view
def agency_feed(request: HttpRequest, pk: int) -> HttpResponse:
    """Atom feed of one agency's public items; an unknown agency is the portal's 404 page."""
    if _agency_or_none(pk if 0 < pk <= MAX_ID else None) is None:
        return _not_found(request, "该执法主体不存在或未公开。")
    return _AGENCY_FEED(request, pk=pk)


def _date_param(request: HttpRequest, name: str) -> dt.date | None:
    raw = _param(request, name)
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"参数“{name}”应为日期（YYYY-MM-DD）。") from None
    if not 1900 <= day.year <= 2200:
        raise BadRequest(f"参数“{name}”超出范围。")
    return day


@dataclass(frozen=True)
class CatalogQuery:
    """The public catalog's filters, parsed (a bad one is the 400 page)."""

    agency: Agency | None
    domain: Domain | None
    kind: str
    q: str
    on: dt.date
    as_of: bool  # a date was asked for (not today)

    def items(self) -> QuerySet[CatalogItem]:
        return selectors.public_catalog(
            self.agency, domain=self.domain, kind=self.kind or None, q=self.q, on=self.on
        )

    def querystring(self) -> str:
        pairs = [
            ("q", self.q),
            ("agency", self.agency.pk if self.agency else ""),
            ("domain", self.domain.code if self.domain else ""),
            ("kind", self.kind),
            ("on", self.on.isoformat() if self.as_of else ""),
        ]
        return urlencode([(k, v) for k, v in pairs if v])


def _catalog_query(request: HttpRequest) -> CatalogQuery | HttpResponse:
    agency = _agency_or_none(_int_param(request, "agency"))
    if request.GET.get("agency") and agency is None:
        return _not_found(request, "该执法主体不存在或未公开。")
    domain_code = _param(request, "domain")
    domain = Domain.objects.filter(code=domain_code).first() if domain_code else None
    if domain_code and domain is None:
        raise BadRequest("执法领域不正确。")
    kind = _param(request, "kind")
    if kind and kind not in ItemKind.values:
        raise BadRequest("事项类别不正确。")
    on = _date_param(request, "on")
    return CatalogQuery(agency, domain, kind, _param(request, "q"), on or clock.today(), on is not None)


@public_page
@public_view
def catalog(request: HttpRequest) -> HttpResponse:
    """权责清单 — the powers in force on a date (today), by agency, domain and kind, with their legal basis;
    only what the judicial bureau confirmed. An agency awaiting confirmation is named, its catalog not shown."""
    query = _catalog_query(request)
    if isinstance(query, HttpResponse):
        return query
    awaiting = query.agency is not None and not catalog_selectors.catalog_confirmed(query.agency)
    page = keyset_page(query.items(), request, ordering=_CATALOG_ORDER, size=100)
    agency_confirmation = (
        selectors.confirmation_by_agency([query.agency.pk]).get(query.agency.pk) if query.agency else None
    )
    return render(
        request,
        "portal/catalog.html",
        {
            "query": query,
            "agency": query.agency,
            "agencies": _agency_choices(),
            "domains": list(Domain.objects.order_by("sort", "code")),
            "items": page.items,
            "agency_confirmation": agency_confirmation,
            "page": page,
            "kinds": list(ItemKind.choices),
            "kind": query.kind,
            "awaiting": awaiting,
            "awaiting_agencies": capped(selectors.catalog_awaiting_confirmation(), 50)
            if query.agency is None
            else [],
            "querystring": query.querystring(),
        },
    )


@public_view
def catalog_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """权责清单导出 — the page's rows (same filters and date), every row, as CSV or xlsx."""
    if fmt not in ("csv", "xlsx"):
        return _not_found(request, "没有这种导出格式。")
    query = _catalog_query(request)
    if isinstance(query, HttpResponse):
        return query
    rows = selectors.catalog_export_rows(query.items().order_by(*_CATALOG_ORDER))
    fields = selectors.CATALOG_EXPORT_FIELDS
    name = f"quanzeqingdan-{query.on.isoformat()}"
    response: HttpResponseBase
    if fmt == "csv":

        def lines() -> Iterator[str]:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(fields))
            buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
            yield buffer.getvalue()

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        # local import: openpyxl is heavy and only the spreadsheet export needs it
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("权责清单")
        sheet.append([f"权责清单（{query.on.isoformat()} 有效，经司法局确认）"])
        sheet.append(list(fields))
        for row in rows:
            sheet.append([row[f] for f in fields])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@public_page
@public_view
def catalog_item(request: HttpRequest, pk: int) -> HttpResponse:
    """一个执法事项 — its confirmed versions, each with its dates in force and legal basis, and the
    confirmation (by which judicial bureau, on which date)."""
    item = (
        CatalogItem.objects.filter(pk=pk if 0 < pk <= MAX_ID else 0, agency__is_active=True)
        .select_related("agency", "domain")
        .first()
    )
    versions = list(catalog_selectors.confirmed_versions(item)) if item is not None else []
    if item is None or not versions:
        return _not_found(request, "该执法事项不存在或尚未经司法局确认公开。")
    return render(
        request,
        "portal/catalog_item.html",
        {
            "item": versions[0],
            "versions": versions,
            "today": clock.today(),
            "confirmation": selectors.confirmation_by_agency([item.agency_id]).get(item.agency_id),
        },
    )


class CertificateCheckForm(forms.Form):
    number = forms.CharField(label="执法证件编号", max_length=64, required=False)


@public_page
@public_view
def officer_check(request: HttpRequest) -> HttpResponse:
    """执法人员 — check a certificate by its number (事中公示) and the list of valid certificates."""
    raw = _param(request, "number")
    result: dict[str, Any] | None = None
    status = 200
    if raw:
        number = selectors.normalise_cert_number(raw)
        if number is None:
            status = 400
            result = {"error": "证件编号格式不正确：应为4至32位数字、大写字母或连字符。"}
        else:
            check = selectors.certificate_check(number)
            result = {"check": check}
            if not check.found:
                status = 404
    agency = _agency_or_none(_int_param(request, "agency"))
    page = keyset_page(selectors.valid_certificates(agency_id=agency.pk if agency else None), request)
    return render(
        request,
        "portal/officer_check.html",
        {
            "form": CertificateCheckForm(initial={"number": raw}),
            "number": raw,
            "result": result,
            "page": page,
            "agency": agency,
            "agencies": _agency_choices(),
        },
        status=status,
    )


@public_page
@public_view
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    """执法人员清单 — one agency's officers with a valid certificate: name, 职务, number, 执法类别, 执法区域, 岗位
    (seed 003), searched by name or certificate number, keyset-paged; each links to the certificate check."""
    agency = _agency_or_none(pk if 0 < pk <= MAX_ID else None)
    if agency is None:
        return _not_found(request, "该执法主体不存在或未公开。")
    query = _param(request, "q")
    page = keyset_page(
        selectors.roster(agency_id=agency.pk, query=query),
        request,
        ordering=selectors.ROSTER_ORDER,
        size=50,
    )
    return render(
        request,
        "portal/roster.html",
        {
            "agency": agency,
            "q": query,
            "page": page,
            "posts": capped(selectors.public_posts(agency_id=agency.pk), 50),
        },
    )


def _public_post(pk: int) -> ServicePost | None:
    return selectors.public_post(pk) if 0 < pk <= MAX_ID else None


def _pdf(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


@public_page
@public_view
def post_board(request: HttpRequest, pk: int) -> HttpResponse:
    """岗位信息公示牌 — the print view (HTML) of a post's board; ``?format=pdf`` is the PDF."""
    post = _public_post(pk)
    if post is None:
        return _not_found(request, "该岗位或窗口不存在或已停用。")
    board = selectors.post_board(post)
    if _param(request, "format") == "pdf":
        return _pdf(boards.render_board_pdf(board), f"岗位信息公示牌-{post.name}.pdf")
    officers = [(o, mark_safe(boards.qr_svg(_absolute(request, o.check_path)))) for o in board.officers]  # noqa: S308 - SVG drawn by qrcode
    return render(
        request,
        "portal/post_board.html",
        {
            "board": board,
            "officers": officers,
            "complaints": boards.complaint_lines(
                board.agency, board.organ, _absolute(request, board.complaints_path)
            ),
        },
    )


@public_page
@public_view
def window_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """窗口公示公告 — the print view (HTML) of a window's notice; ``?format=pdf`` is the PDF."""
    post = _public_post(pk)
    if post is None:
        return _not_found(request, "该岗位或窗口不存在或已停用。")
    notice = selectors.window_notice(post)
    if _param(request, "format") == "pdf":
        return _pdf(boards.render_notice_pdf(notice), f"窗口公示公告-{post.name}.pdf")
    decisions_url = _absolute(request, notice.decisions_path)
    return render(
        request,
        "portal/window_notice.html",
        {
            "notice": notice,
            "decisions_url": decisions_url,
            "qr": mark_safe(boards.qr_svg(decisions_url)),  # noqa: S308 - SVG drawn by qrcode
            "complaints": boards.complaint_lines(
                notice.agency, notice.organ, _absolute(request, notice.complaints_path)
            ),
        },
    )


def _absolute(request: HttpRequest, path: str) -> str:
    """What a printed QR code carries: ``ZHIFA_PUBLIC_BASE_URL`` when set (as on the PDFs), else this host."""
    return public_url(path) if env_str("ZHIFA_PUBLIC_BASE_URL") else request.build_absolute_uri(path)


@public_page
@public_view
def plans(request: HttpRequest) -> HttpResponse:
    """检查计划 — published annual inspection plans and the random-inspection item list."""
    agency = _agency_or_none(_int_param(request, "agency"))
    return render(
        request,
        "portal/plans.html",
        {
            "plans": capped(selectors.published_plans(agency_id=agency.pk if agency else None), 100),
            "items": capped(selectors.public_inspection_items(agency_id=agency.pk if agency else None), 300),
            "agency": agency,
        },
    )


@public_page
@public_view
def flows(request: HttpRequest) -> HttpResponse:
    """执法流程图 — drawn from the case state machine, so the chart is always the procedure the system runs."""
    charts = [(flow, selectors.flow_svg_layout(flow)) for flow in selectors.procedure_flows()]
    return render(request, "portal/flows.html", {"charts": charts})


@public_page
@public_view
def devices(request: HttpRequest) -> HttpResponse:
    """电子技术监控设备 — published locations (行政处罚法 第四十一条)."""
    agency = _agency_or_none(_int_param(request, "agency"))
    page = keyset_page(selectors.published_devices(agency_id=agency.pk if agency else None), request)
    return render(request, "portal/devices.html", {"page": page, "agency": agency})


@public_page
@public_view
def remedy(request: HttpRequest) -> HttpResponse:
    """投诉与救济 — 行政复议 (60 days), 行政诉讼 (6 months), complaints to the supervision organs."""
    organs = list(
        Agency.objects.filter(is_active=True, is_supervision_organ=True)
        .select_related("region")
        .order_by("name")
    )
    return render(
        request,
        "portal/remedy.html",
        {"organs": organs, "complaints_url": _safe_reverse("complaints:public_new")},
    )


# --- during (事中公示): verification ----------------------------------------------------------------------------

DOCUMENT_REF_RE = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff〔〕\[\]()（）\-_.#号第]{1,80}$")
INSPECTION_CODE_RE = re.compile(r"^[0-9A-Za-z_\-.:=~]{8,2000}$")


@public_view
def verify(request: HttpRequest) -> HttpResponse:
    """核验 — one page for a certificate, a document's QR code, an inspection code, a random draw."""
    kind = _param(request, "kind") if len(request.GET.get("code", "")) <= 2000 else ""
    code = request.GET.get("code", "").strip()
    if kind or code:
        if len(code) > 2000:
            raise BadRequest("核验码过长。")
        if not code:
            return _verify_page(request, "请输入要核验的编号或核验码。", 400)
        if kind == "certificate":
            number = selectors.normalise_cert_number(code)
            if number is None:
                return _verify_page(request, "执法证件编号格式不正确。", 400)
            return redirect(f"{reverse('portal:officer_check')}?{urlencode({'number': number})}")
        if kind == "document":
            if not DOCUMENT_REF_RE.match(code):
                return _verify_page(request, "文书编号格式不正确。", 400)
            return redirect(reverse("document_verify", kwargs={"ref": code}))
        if kind == "inspection":
            if not INSPECTION_CODE_RE.match(code):
                return _verify_page(request, "检查码格式不正确。", 400)
            return redirect(f"{reverse('inspections:code_view')}?code={quote(code, safe='')}")
        if kind == "draw":
            if not code.isdigit() or not 0 < int(code) <= MAX_ID:
                return _verify_page(request, "抽查任务编号应为正整数。", 400)
            return redirect(reverse("portal:draw", kwargs={"task_id": int(code)}))
        return _verify_page(request, "请选择核验类别。", 400)
    return _verify_page(request, "", 200)


@public_page
@public_view
def draw(request: HttpRequest, task_id: int) -> HttpResponse:
    """双随机抽取结果 — who was drawn (a person's name masked), when (Beijing time), and the re-run of the draw
    in the browser from the published values; public for every drawn task (双随机、一公开), no login."""
    try:
        view = selectors.draw_result(task_id if 0 < task_id <= MAX_ID else 0)
    except DomainError as exc:
        return _not_found(request, exc.message)
    return render(
        request,
        "portal/draw.html",
        {
            "d": view,
            "json_url": reverse("api:draw_published", kwargs={"task_id": view.task_id}),
            "labels": {s.label: s.title for s in (*view.party_strata, *view.teams)},
            "names": {
                **{c: name for s in view.party_strata for c, name, _ in s.selected},
                **{f"officer:{c}": name for s in view.teams for c, name, _ in s.selected},
            },
        },
    )


def _verify_page(request: HttpRequest, error: str, status: int) -> HttpResponse:
    return render(
        request,
        "portal/verify.html",
        {
            "error": error,
            "kind": request.GET.get("kind", "")[:20],
            "code": request.GET.get("code", "")[:200],
            "kinds": [
                ("certificate", "执法证件", "执法人员出示的证件编号"),
                ("document", "执法文书", "文书上的编号或二维码"),
                ("inspection", "涉企检查码", "检查人员出示的检查码"),
                ("draw", "随机抽查", "抽查任务编号，重新演算抽取结果"),
            ],
        },
        status=status,
    )


# --- staff: the monitoring-device register ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def device_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """监控设备登记 — staff: register, review (head), publish; the public sees only published ones."""
    perms.require(request.user, rules.VIEW_DEVICE, request=request)
    form = None
    if perms.can(request.user, rules.REGISTER_DEVICE):
        form = DeviceForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.device_register(
                    request.user,
                    agency=data["agency"],
                    kind=data["kind"],
                    location=data["location"],
                    purpose=data["purpose"],
                    in_use_from=data["in_use_from"],
                )
            except DomainError as exc:
                form.add_error(getattr(exc, "field", None) or None, exc.message)
            else:
                messages.success(request, "已登记，经法制和技术审核后方可公布。")
                return redirect("portal:device_list")
    elif request.method == "POST":
        perms.require(request.user, rules.REGISTER_DEVICE, request=request)
    qs = perms.scoped(request.user, rules.VIEW_DEVICE, MonitoringDevice.objects.select_related("agency"))
    page = keyset_page(qs, request)
    rows = [
        {
            "device": d,
            "can_approve": d.approved_at is None and perms.can(request.user, rules.APPROVE_DEVICE, d),
            "can_publish": d.approved_at is not None
            and d.published_at is None
            and d.retired_on is None
            and perms.can(request.user, rules.REGISTER_DEVICE, d),
            "can_retire": d.retired_on is None and perms.can(request.user, rules.APPROVE_DEVICE, d),
        }
        for d in page.items
    ]
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "portal/device_list.html",
        {"form": form, "rows": rows, "page": page, "today": clock.today()},
        status=status,
    )


@login_required
@require_POST
def device_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    qs = perms.scoped(request.user, rules.VIEW_DEVICE, MonitoringDevice)
    device = qs.filter(pk=pk).first() if 0 < pk <= MAX_ID and action in ACTION_FORMS else None
    if device is None:
        return render(request, "404.html", {"message": "设备不存在或不在您的数据范围内。"}, status=404)
    try:
        data = parse(ACTION_FORMS[action], request.POST)
        if action == "retire":
            services.device_retire(request.user, device, on=data["retired_on"], reason=data["reason"])
        elif action == "approve":
            services.device_approve(request.user, device)
        else:
            services.device_publish(request.user, device)
    except DomainError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    else:
        done = {"approve": "已通过审核。", "publish": "已向社会公布设置地点。", "retire": "已登记停用。"}
        messages.success(request, done[action])
    return redirect("portal:device_list")


# --- staff: posts and windows, their 岗位信息公示牌 and 窗口公示公告 ---------------------------------------------------


def _post_texts(data: dict[str, Any]) -> dict[str, str]:
    return {k: data.get(k) or "" for k in ("name", "location", "duties", "service_hours")}


@login_required
@require_http_methods(["GET", "POST"])
def post_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """岗位公示牌 — staff: the posts and windows of their agency, each with its board and window notice to print;
    the agency head sets up a new one here."""
    perms.require(request.user, rules.VIEW_POST, request=request)
    form = None
    if perms.can(request.user, rules.MANAGE_POST):
        form = PostForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                post = services.service_post_create(
                    request.user,
                    agency=data["agency"],
                    kind=data["kind"],
                    officers=list(data["officers"]),
                    **_post_texts(data),
                )
            except DomainError as exc:
                if exc.status == 403:
                    raise
                form.add_error(getattr(exc, "field", None) or None, exc.message)
            else:
                messages.success(request, f"已设置“{post.name}”，可打印其岗位信息公示牌。")
                return redirect("portal:post_list")
    elif request.method == "POST":
        perms.require(request.user, rules.MANAGE_POST, request=request)
    qs = perms.scoped(
        request.user,
        rules.VIEW_POST,
        ServicePost.objects.select_related("agency").prefetch_related("officers"),
    )
    page = keyset_page(qs, request, ordering=("agency__name", "name", "id"), size=50)
    rows = [{"post": p, "can_edit": perms.can(request.user, rules.MANAGE_POST, p)} for p in page.items]
    status = 422 if request.method == "POST" else 200
    return render(request, "portal/post_list.html", {"form": form, "rows": rows, "page": page}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """修改岗位/窗口 — the agency head: who is on it, its hours, 停用."""
    qs = perms.scoped(request.user, rules.VIEW_POST, ServicePost.objects.select_related("agency"))
    post = qs.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if post is None:
        return render(request, "404.html", {"message": "岗位或窗口不存在或不在您的数据范围内。"}, status=404)
    perms.require(request.user, rules.MANAGE_POST, post, request=request)
    initial = {
        "kind": post.kind,
        "name": post.name,
        "location": post.location,
        "duties": post.duties,
        "service_hours": post.service_hours,
        "officers": list(post.officers.all()),
        "is_active": post.is_active,
    }
    form = PostForm(request.POST or None, user=request.user, post=post, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.service_post_update(
                request.user,
                post,
                kind=data["kind"],
                officers=list(data["officers"]),
                is_active=data["is_active"],
                **_post_texts(data),
            )
        except DomainError as exc:
            if exc.status == 403:
                raise
            form.add_error(getattr(exc, "field", None) or None, exc.message)
        else:
            messages.success(request, "已保存。")
            return redirect("portal:post_list")
    status = 422 if request.method == "POST" else 200
    return render(request, "portal/post_edit.html", {"form": form, "post": post}, status=status)
