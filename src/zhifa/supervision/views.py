"""Pages of supervision (执法监督): the warning queue, the problem ledger, instruments, 专项说明, people.

Thin: reads through ``selectors`` (scoped; out of scope is a 404), writes through ``services``; a refusal
comes back beside the form (htmx rows) or as a message after a redirect.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core import flags as flag_registry
from zhifa.core.errors import DomainError, InvalidInput, NotFound
from zhifa.core.paging import keyset_page
from zhifa.org import permissions as perms
from zhifa.org.models import Agency
from zhifa.supervision import selectors, services
from zhifa.supervision.models import (
    FlagState,
    Instrument,
    InstrumentKind,
    InstrumentStatus,
    ProblemCategory,
    ProblemSource,
    ProblemState,
)
from zhifa.supervision.rules import RECTIFY, SUPERVISE, VIEW

_TABS: tuple[tuple[str, str, str], ...] = (
    ("预警队列", "supervision:queue", VIEW),
    ("问题台账", "supervision:problems", VIEW),
    ("监督文书", "supervision:instruments", VIEW),
    ("专项说明", "supervision:noact_file", VIEW),
    ("回访与监督员", "supervision:people", SUPERVISE),
)


def _tabs(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for label, name, action in _TABS:
        if perms.can(request.user, action):
            url = reverse(name)
            out.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return out


def _require(request: HttpRequest, action: str, obj: Any = None) -> None:
    perms.require(request.user, action, obj, request=request)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _get(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _date(raw: str | None, field: str, label: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(f"{label}格式应为 YYYY-MM-DD。", f"{field}: use YYYY-MM-DD.", field=field) from exc


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _scoped_agencies(request: HttpRequest) -> list[Agency]:
    return list(
        perms.scoped(request.user, perms.VIEW_AGENCY, Agency.objects.filter(is_active=True)).order_by("name")[
            :300
        ]
    )


# --- the warning queue ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """预警队列 — every source in one list; filter by kind, agency and state; act on a row via htmx."""
    _require(request, VIEW)
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", FlagState.NEW) if "state" in request.GET else FlagState.NEW
    state = state if state in FlagState.values or state == "" else FlagState.NEW
    agency_id = _int(request.GET.get("agency"))
    open_only = request.GET.get("closed") != "1"
    qs = selectors.flags_queue(
        request.user, kind=kind or None, state=state or None, agency_id=agency_id, open_only=open_only
    )
    page = keyset_page(qs, request)
    can_act = perms.can(request.user, SUPERVISE)
    kinds = sorted(((k, label) for k, (label, _fn) in flag_registry.sources().items()), key=lambda kv: kv[1])
    params = request.GET.copy()
    params.pop("after", None)
    params.pop("before", None)
    return render(
        request,
        "supervision/queue.html",
        {
            "tabs": _tabs(request),
            "page": page,
            "rows": [_flag_row(request, f) for f in page.items],
            "kinds": kinds,
            "states": FlagState.choices,
            "agencies": _scoped_agencies(request),
            "kind": kind,
            "state": state,
            "agency_id": agency_id,
            "show_closed": not open_only,
            "can_act": can_act,
            "categories": ProblemCategory.choices,
            "filters": params.urlencode(),
        },
    )


def _flag_row(request: HttpRequest, flag: Any, error: str = "") -> dict[str, Any]:
    actionable = flag.state == FlagState.NEW and perms.can(request.user, SUPERVISE, flag)
    return {"f": flag, "label": flag_registry.label(flag.kind), "actionable": actionable, "error": error}


@login_required
@require_POST
def flag_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """处理 / 排除 (reason) / 转为问题 (category, due) on one flag."""
    flag = _get(selectors.flag_get, request.user, pk)
    error = ""
    text = request.POST.get("text", "")
    try:
        if action == "handle":
            services.flag_handle(actor=request.user, flag=flag, note=text)
        elif action == "dismiss":
            services.flag_dismiss(actor=request.user, flag=flag, reason=text)
        elif action == "convert":
            services.flag_convert(
                actor=request.user,
                flag=flag,
                category=request.POST.get("category", ""),
                due=_date(request.POST.get("due"), "due", "整改期限"),
            )
        else:
            raise Http404
    except DomainError as exc:
        error = exc.message
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "预警已处理。")
        return redirect("supervision:queue")
    flag = _get(selectors.flag_get, request.user, pk)
    return render(
        request,
        "supervision/_flag_row.html",
        {"row": _flag_row(request, flag, error), "can_act": True, "categories": ProblemCategory.choices},
    )


# --- the problem ledger --------------------------------------------------------------------------------------------


@login_required
@require_GET
def problem_list(request: HttpRequest) -> HttpResponse:
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
def problem_new(request: HttpRequest) -> HttpResponse:
    _require(request, SUPERVISE)
    error, field = "", ""
    if request.method == "POST":
        try:
            agency_obj = Agency.objects.filter(pk=_int(request.POST.get("agency")) or 0).first()
            if agency_obj is None:
                raise InvalidInput("请选择责任单位。", "Choose an agency.", field="agency")
            problem = services.problem_open(
                actor=request.user,
                agency=agency_obj,
                source_kind=request.POST.get("source_kind", ""),
                source_ref=request.POST.get("source_ref", ""),
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                category=request.POST.get("category", ""),
                due=_date(request.POST.get("due"), "due", "整改期限"),
                target=request.POST.get("target", ""),
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
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
            "flags": problem.flags.all()[:20],
        },
    )


@login_required
@require_POST
def problem_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    problem = _get(selectors.problem_get, request.user, pk)
    post = request.POST
    try:
        if action == "rectify":
            services.problem_rectify(
                actor=request.user,
                problem=problem,
                measures=post.get("text", ""),
                evidence=post.get("evidence", ""),
            )
        elif action == "submit":
            services.problem_submit(actor=request.user, problem=problem, summary=post.get("text", ""))
        elif action == "verify":
            services.problem_verify(
                actor=request.user,
                problem=problem,
                passed=post.get("passed") == "1",
                opinion=post.get("text", ""),
            )
        elif action == "close":
            services.problem_close(actor=request.user, problem=problem, note=post.get("text", ""))
        elif action == "reopen":
            services.problem_reopen(actor=request.user, problem=problem, reason=post.get("text", ""))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已保存。")
    return redirect("supervision:problem", pk)


# --- instruments ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    qs = selectors.instruments(
        request.user,
        status=status if status in InstrumentStatus.values else None,
        kind=kind if kind in InstrumentKind.values else None,
    )
    page = keyset_page(qs, request)
    return render(
        request,
        "supervision/instrument_list.html",
        {
            "tabs": _tabs(request),
            "page": page,
            "statuses": InstrumentStatus.choices,
            "kinds": InstrumentKind.choices,
            "status": status,
            "kind": kind,
            "can_issue": perms.can(request.user, SUPERVISE),
            "today": services.today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def instrument_new(request: HttpRequest) -> HttpResponse:
    _require(request, SUPERVISE)
    error, field = "", ""
    if request.method == "POST":
        post = request.POST
        try:
            agency = Agency.objects.filter(pk=_int(post.get("agency")) or 0).first()
            if agency is None:
                raise InvalidInput("请选择被监督机关。", "Choose an agency.", field="agency")
            ins = services.instrument_issue(
                actor=request.user,
                agency=agency,
                kind=post.get("kind", ""),
                title=post.get("title", ""),
                findings=post.get("findings", ""),
                requirements=post.get("requirements", ""),
                deadline=_date(post.get("deadline"), "deadline", "答复期限"),
                basis=post.get("basis", ""),
                major=post.get("major") == "1",
            )
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
        else:
            messages.success(request, f"已制发 {ins.number}。")
            return redirect("supervision:instrument", ins.pk)
    return render(
        request,
        "supervision/instrument_new.html",
        {
            "tabs": _tabs(request),
            "agencies": _scoped_agencies(request),
            "kinds": InstrumentKind.choices,
            "error": error,
            "field": field,
            "data": request.POST,
        },
    )


@login_required
@require_GET
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ins = _get(selectors.instrument_get, request.user, pk)
    return render(
        request,
        "supervision/instrument_detail.html",
        {
            "tabs": _tabs(request),
            "ins": ins,
            "replies": ins.replies.select_related("submitted_by", "decided_by"),
            "can_reply": perms.can(request.user, RECTIFY, ins)
            and ins.status in (InstrumentStatus.ISSUED, InstrumentStatus.RETURNED),
            "can_review": perms.can(request.user, SUPERVISE, ins) and ins.status == InstrumentStatus.REPLIED,
            "can_void": perms.can(request.user, SUPERVISE, ins)
            and ins.status not in (InstrumentStatus.VOIDED, InstrumentStatus.ACCEPTED),
            "can_problem": perms.can(request.user, SUPERVISE, ins),
            "categories": ProblemCategory.choices,
            "overdue": ins.status in (InstrumentStatus.ISSUED, InstrumentStatus.RETURNED)
            and ins.deadline < services.today(),
        },
    )


@login_required
@require_GET
def instrument_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    ins = _get(selectors.instrument_get, request.user, pk)
    response = HttpResponse(bytes(ins.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="instrument-{ins.pk}.pdf"'
    return response


@login_required
@require_POST
def instrument_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    ins = _get(selectors.instrument_get, request.user, pk)
    post = request.POST
    try:
        if action == "reply":
            services.instrument_reply(
                actor=request.user,
                instrument=ins,
                text=post.get("text", ""),
                measures=post.get("measures", ""),
            )
        elif action == "accept":
            services.instrument_review(
                actor=request.user, instrument=ins, accept=True, note=post.get("text", "")
            )
        elif action == "return":
            services.instrument_review(
                actor=request.user, instrument=ins, accept=False, note=post.get("text", "")
            )
        elif action == "void":
            services.instrument_void(actor=request.user, instrument=ins, reason=post.get("text", ""))
        elif action == "problem":
            p = services.instrument_open_problem(
                actor=request.user,
                instrument=ins,
                title=post.get("title", ""),
                category=post.get("category", ""),
                due=_date(post.get("due"), "due", "整改期限"),
            )
            messages.success(request, f"已登记问题 #{p.pk}。")
            return redirect("supervision:instrument", pk)
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已保存。")
    return redirect("supervision:instrument", pk)


@require_GET
def instrument_verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public: what the QR code on an instrument opens — number, organs, date, digest, status."""
    ins = Instrument.objects.select_related("issuer", "agency").defer("pdf").filter(number=number).first()
    return render(
        request,
        "supervision/instrument_verify.html",
        {"ins": ins, "number": number},
        status=200 if ins else 404,
    )


# --- 专项说明 -----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def noact_file(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW)
    can_file = perms.can(request.user, RECTIFY)
    agencies = (
        list(perms.scoped(request.user, RECTIFY, Agency.objects.filter(is_active=True))[:50])
        if can_file
        else []
    )
    if request.method == "POST":
        try:
            agency = next((a for a in agencies if a.pk == _int(request.POST.get("agency"))), None)
            if agency is None:
                raise InvalidInput("请选择执法主体。", "Choose an agency.", field="agency")
            services.noact_statement_file(
                actor=request.user,
                agency=agency,
                year=_int(request.POST.get("year")) or 0,
                explanation=request.POST.get("explanation", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "专项说明已报送。")
        return redirect("supervision:noact_file")
    open_flags = selectors.flags_queue(request.user, kind="no_enforcement_act", state=None)[:50]
    return render(
        request,
        "supervision/noact.html",
        {
            "tabs": _tabs(request),
            "statements": selectors.statements(request.user)[:100],
            "flags": open_flags,
            "agencies": agencies,
            "year": services.today().year,
        },
    )


# --- people ---------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """回访、社会监督员、企业联系点 — lists (entry through the API and the admin)."""
    _require(request, SUPERVISE)
    return render(
        request,
        "supervision/people.html",
        {
            "tabs": _tabs(request),
            "visits": selectors.return_visits(request.user)[:50],
            "supervisors": selectors.social_supervisors(request.user).prefetch_related("tasks")[:100],
            "points": selectors.liaison_points(request.user)[:100],
            "today": services.today(),
        },
    )
