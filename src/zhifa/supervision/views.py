"""Pages of supervision (执法监督): the warning queue, the problem ledger, instruments, 专项说明, people.

Thin: reads through ``selectors`` (scoped; out of scope is a 404), writes through ``services``; a refusal
comes back beside the form (htmx rows) or as a message after a redirect.
"""

from __future__ import annotations

import datetime as dt
import re
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
from zhifa.org.menu import may_open
from zhifa.org.models import Agency, PartyKind, Region
from zhifa.org.selectors import party_search
from zhifa.supervision import selectors, services
from zhifa.supervision.models import (
    FlagState,
    Instrument,
    InstrumentKind,
    InstrumentStatus,
    LiaisonPoint,
    ProblemCategory,
    ProblemSource,
    ProblemState,
    QuestionKind,
    Questionnaire,
    SocialSupervisor,
    SupervisorTask,
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
            # the queue's URL is the prefix of every other tab's: it is active only on itself
            active = request.path == url if name == "supervision:queue" else request.path.startswith(url)
            out.append({"label": label, "url": url, "active": active})
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
    link = (
        flag.url if flag.url and may_open(request.user, flag.url) else ""
    )  # no link to a page it may not open
    return {
        "f": flag,
        "label": flag_registry.label(flag.kind),
        "actionable": actionable,
        "error": error,
        "link": link,
    }


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


@login_required
@require_POST
def flags_bulk(request: HttpRequest) -> HttpResponse:
    """批量处理 / 排除 the ticked flags with one note or reason; back to the same filtered page."""
    _require(request, SUPERVISE)
    ids = [i for i in (_int(v) for v in request.POST.getlist("ids")) if i]
    try:
        done = services.flags_decide_many(
            actor=request.user,
            flag_ids=ids,
            action=request.POST.get("action", ""),
            text=request.POST.get("text", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        verb = "处理" if request.POST.get("action") == "handle" else "排除"
        messages.success(request, f"已{verb} {len(done)} 条预警。")
    back = request.POST.get("filters", "")
    return redirect(reverse("supervision:queue") + (f"?{back}" if back and "\n" not in back else ""))


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

# The fields each people form shows; a refusal naming one of them is shown under it, any other above the form.
_PEOPLE_FIELDS: dict[str, tuple[str, ...]] = {
    "appoint": ("region", "name", "organisation", "sector", "phone", "appointed_on", "term_ends_on"),
    "dismiss": ("dismissed_on",),
    "task": ("person", "agency", "title", "due"),
    "feedback": ("feedback",),
    "designate": ("party_code", "designated_on"),
    "visit": ("visited_on", "satisfaction", "method", "notes"),
}
_VISIT_METHODS = ("电话", "上门", "短信", "网络")
_LIAISON_METHODS = ("走访", "座谈", "电话", "书面征求意见")
_SATISFACTION = ((5, "5 很满意"), (4, "4 满意"), (3, "3 基本满意"), (2, "2 不满意"), (1, "1 很不满意"))
_CHOICE_SPLIT = re.compile(r"[、,，;；\n]+")
_QUESTION_ROWS, _MAX_QUESTION_ROWS = 5, 30


def _scoped_regions(request: HttpRequest) -> list[Region]:
    """The regions the caller supervises (its region and those below), parents first."""
    return list(perms.scoped(request.user, SUPERVISE, Region.objects.all()).order_by("path")[:300])


def _chosen_region(request: HttpRequest) -> Region:
    region = next((r for r in _scoped_regions(request) if r.pk == _int(request.POST.get("region"))), None)
    if region is None:
        raise InvalidInput("请选择您监督范围内的区划。", "Choose a region in your scope.", field="region")
    return region


def _required_date(raw: str | None, field: str, label: str) -> dt.date:
    value = _date(raw, field, label)
    if value is None:
        raise InvalidInput(f"请填写{label}。", f"{field} is required.", code="required", field=field)
    return value


def _person(request: HttpRequest, pk: int) -> SocialSupervisor:
    person = selectors.social_supervisors(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404("社会监督员不存在或不在您的数据范围内。")
    return person


def _point(request: HttpRequest, pk: int) -> LiaisonPoint:
    point = selectors.liaison_points(request.user).filter(pk=pk).first()
    if point is None:
        raise Http404("企业联系点不存在或不在您的数据范围内。")
    return point


def _people_page(request: HttpRequest, failed: dict[str, Any] | None = None) -> HttpResponse:
    points = selectors.liaison_points(request.user).prefetch_related("visits")[:100]
    return render(
        request,
        "supervision/people.html",
        {
            "tabs": _tabs(request),
            "visits": selectors.return_visits(request.user)[:50],
            "questionnaires": selectors.questionnaires(request.user)[:50],
            "supervisors": selectors.social_supervisors(request.user).prefetch_related("tasks__agency")[:100],
            "points": points,
            "regions": _scoped_regions(request),
            "agencies": _scoped_agencies(request),
            "satisfaction": _SATISFACTION,
            "liaison_methods": _LIAISON_METHODS,
            "today": services.today(),
            "failed": failed or {},
            "data": request.POST if failed else {},
        },
    )


def _people_act(request: HttpRequest, form: str, act: Any, pk: int | None = None) -> HttpResponse:
    """Run one people form: done → message and back to the list (PRG); refused → the page again, the form open
    with the entered data and the message beside its field. The services are atomic: a refusal writes nothing."""
    try:
        done = act()
    except DomainError as exc:
        field = exc.field or ""
        placed = field in _PEOPLE_FIELDS[form]
        return _people_page(
            request,
            {form: {"pk": pk, "error": exc.message, "field": field if placed else "", "placed": placed}},
        )
    messages.success(request, done)
    section = "liaison" if form in ("designate", "visit") else "supervisors"
    return redirect(reverse("supervision:people") + f"#{section}")


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """回访、社会监督员、企业联系点 — the lists, with the forms that add to them."""
    _require(request, SUPERVISE)
    return _people_page(request)


@login_required
@require_POST
def supervisor_appoint(request: HttpRequest) -> HttpResponse:
    """聘任行政执法社会监督员."""
    _require(request, SUPERVISE)
    post = request.POST

    def act() -> str:
        person = services.social_supervisor_appoint(
            actor=request.user,
            region=_chosen_region(request),
            name=post.get("name", ""),
            appointed_on=_required_date(post.get("appointed_on"), "appointed_on", "聘任日期"),
            term_ends_on=_required_date(post.get("term_ends_on"), "term_ends_on", "聘期截止日期"),
            organisation=post.get("organisation", "").strip(),
            sector=post.get("sector", "").strip(),
            phone=post.get("phone", "").strip(),
        )
        return f"已聘任社会监督员 {person.name}。"

    return _people_act(request, "appoint", act)


@login_required
@require_POST
def supervisor_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """解聘 — on the date given (today if empty)."""
    _require(request, SUPERVISE)
    person = _person(request, pk)

    def act() -> str:
        on = _date(request.POST.get("dismissed_on"), "dismissed_on", "解聘日期")
        services.social_supervisor_dismiss(actor=request.user, person=person, on=on)
        return f"已解聘 {person.name}。"

    return _people_act(request, "dismiss", act, pk)


@login_required
@require_POST
def supervisor_task_assign(request: HttpRequest) -> HttpResponse:
    """布置监督任务 — to a serving social supervisor, optionally about one agency."""
    _require(request, SUPERVISE)
    post = request.POST

    def act() -> str:
        person = selectors.social_supervisors(request.user).filter(pk=_int(post.get("person")) or 0).first()
        if person is None:
            raise InvalidInput("请选择社会监督员。", "Choose a social supervisor.", field="person")
        agency = None
        if (post.get("agency") or "").strip():
            agency = next((a for a in _scoped_agencies(request) if a.pk == _int(post.get("agency"))), None)
            if agency is None:
                raise InvalidInput("请选择您监督范围内的执法主体。", "Unknown agency.", field="agency")
        task = services.supervisor_task_assign(
            actor=request.user,
            person=person,
            title=post.get("title", ""),
            due=_required_date(post.get("due"), "due", "完成期限"),
            agency=agency,
        )
        return f"已向 {person.name} 布置任务：{task.title}。"

    return _people_act(request, "task", act)


@login_required
@require_POST
def supervisor_task_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """记录监督员对任务的反馈 — once per task."""
    _require(request, SUPERVISE)
    task = (
        SupervisorTask.objects.select_related("supervisor__region")
        .filter(pk=pk, supervisor__in=selectors.social_supervisors(request.user))
        .first()
    )
    if task is None:
        raise Http404("监督任务不存在或不在您的数据范围内。")

    def act() -> str:
        services.supervisor_task_feedback(
            actor=request.user, task=task, feedback=request.POST.get("feedback", "")
        )
        return f"已记录“{task.title}”的反馈。"

    return _people_act(request, "feedback", act, pk)


@login_required
@require_POST
def liaison_designate(request: HttpRequest) -> HttpResponse:
    """确定企业联系点 — the enterprise by its USCC or full name, within the caller's scope."""
    _require(request, SUPERVISE)
    post = request.POST

    def act() -> str:
        code = (post.get("party_code") or "").strip()
        if not code:
            raise InvalidInput(
                "请输入企业的统一社会信用代码或完整名称。", "Enter a USCC or name.", field="party_code"
            )
        matches = party_search(request.user, code)
        # the full name first; else a USCC or a name fragment that only one party has (as the case pages do)
        found = list(matches.filter(name=code)[:2]) or list(matches[:2])
        if len(found) != 1:
            raise InvalidInput(
                "有多个企业符合，请输入统一社会信用代码。"
                if found
                else "未找到该企业，或不在您的数据范围内；请输入统一社会信用代码或完整名称。",
                "No single party matches.",
                field="party_code",
            )
        party = found[0]
        if party.kind == PartyKind.NATURAL_PERSON:
            raise InvalidInput("企业联系点须为企业或个体工商户。", "Not an enterprise.", field="party_code")
        services.liaison_point_designate(
            actor=request.user,
            party=party,
            designated_on=_date(post.get("designated_on"), "designated_on", "确定日期"),
        )
        return f"已将 {party.name} 确定为企业联系点。"

    return _people_act(request, "designate", act)


@login_required
@require_POST
def liaison_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """联系点走访 — date, satisfaction 1–5, how, what the enterprise said."""
    _require(request, SUPERVISE)
    point = _point(request, pk)
    post = request.POST

    def act() -> str:
        satisfaction = _int(post.get("satisfaction"))
        if satisfaction is None:
            raise InvalidInput("请选择满意度（1–5）。", "Choose a satisfaction.", field="satisfaction")
        services.liaison_visit_record(
            actor=request.user,
            point=point,
            visited_on=_required_date(post.get("visited_on"), "visited_on", "走访日期"),
            satisfaction=satisfaction,
            method=(post.get("method") or "走访").strip(),
            notes=post.get("notes", ""),
        )
        return f"已记录对 {point.party.name} 的走访。"

    return _people_act(request, "visit", act, pk)


# --- 案件回访 and its questionnaires ----------------------------------------------------------------------------------


def _questionnaires(request: HttpRequest) -> list[Questionnaire]:
    return list(
        perms.scoped(request.user, VIEW, Questionnaire.objects.filter(active=True))
        .prefetch_related("questions")
        .order_by("-id")[:50]
    )


def _closed_cases(request: HttpRequest) -> list[tuple[str, str]]:
    """Recently closed cases in scope, offered under the case-number field."""
    from zhifa.cases.models import Stage
    from zhifa.cases.selectors import cases_visible

    qs = cases_visible(request.user).filter(stage__in=(Stage.CLOSED, Stage.ARCHIVED), number__isnull=False)
    return list(qs.values_list("number", "title")[:50])


def _case_by_number(request: HttpRequest, raw: str | None) -> Any:
    from zhifa.cases.selectors import cases_visible

    number = (raw or "").strip()
    if not number:
        raise InvalidInput("请填写案件编号。", "Enter the case number.", code="required", field="case")
    found = list(cases_visible(request.user).filter(number=number)[:2])
    if not found:
        raise InvalidInput(
            "未找到该案件编号，或案件不在您的数据范围内。",
            "Case not found.",
            code="case_not_found",
            field="case",
        )
    if len(found) > 1:
        raise InvalidInput("有多个案件使用此编号，请联系管理员。", "Ambiguous case number.", field="case")
    return found[0]


@login_required
@require_http_methods(["GET", "POST"])
def return_visit_new(request: HttpRequest) -> HttpResponse:
    """登记案件回访 — a closed case of the caller's scope, a questionnaire of its region, the answers."""
    _require(request, SUPERVISE)
    source = request.POST if request.method == "POST" else request.GET
    questionnaires = _questionnaires(request)
    wanted = _int(source.get("questionnaire"))
    chosen = next(
        (q for q in questionnaires if q.pk == wanted), questionnaires[0] if questionnaires else None
    )
    error, field = "", ""
    if request.method == "POST":
        post = request.POST
        try:
            if chosen is None or chosen.pk != wanted:
                raise InvalidInput("请选择回访问卷。", "Choose a questionnaire.", field="questionnaire")
            visit = services.return_visit_record(
                actor=request.user,
                case=_case_by_number(request, post.get("case")),
                questionnaire=chosen,
                visited_on=_required_date(post.get("visited_on"), "visited_on", "回访日期"),
                answers={str(q.pk): post.get(f"answer-{q.pk}", "").strip() for q in chosen.questions.all()},
                method=post.get("method", ""),
                result=post.get("result", ""),
            )
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
        else:
            messages.success(request, f"已登记对 {visit.case.number} 的回访。")
            return redirect(reverse("supervision:people") + "#visits")
    questions = [
        {
            "q": q,
            "value": request.POST.get(f"answer-{q.pk}", ""),
            "error": error if field == f"answers.{q.pk}" else "",
        }
        for q in (chosen.questions.all() if chosen else [])
    ]
    placed = field in ("case", "visited_on", "method", "result") or field.startswith("answers.")
    return render(
        request,
        "supervision/return_visit_new.html",
        {
            "tabs": _tabs(request),
            "questionnaires": questionnaires,
            "chosen": chosen,
            "questions": questions,
            "closed_cases": _closed_cases(request) if chosen else [],
            "methods": _VISIT_METHODS,
            "ratings": range(1, 6),
            "error": error,
            "field": field,
            "placed": placed,
            "data": request.POST
            if request.method == "POST"
            else {"case": request.GET.get("case", ""), "visited_on": services.today().isoformat()},
            "today": services.today(),
        },
    )


def _copy_of(request: HttpRequest, pk: int | None) -> dict[str, Any] | None:
    """The form data of a questionnaire of the caller's scope, to start a changed copy from (复制为新问卷)."""
    if not pk:
        return None
    old = selectors.questionnaires(request.user).filter(pk=pk).prefetch_related("questions").first()
    if old is None:
        raise Http404("问卷不存在或不在您的数据范围内。")
    data: dict[str, Any] = {"name": f"{old.name}（修订）"[:100], "region": str(old.region_id)}
    for i, question in enumerate(old.questions.all(), start=1):
        data[f"q{i}-text"] = question.text
        data[f"q{i}-kind"] = question.kind
        data[f"q{i}-choices"] = "、".join(question.choices)
        data[f"q{i}-required"] = "1" if question.required else ""
    return data


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_new(request: HttpRequest) -> HttpResponse:
    """新建回访问卷 — a few question rows (blank rows are skipped); “再加 5 题” adds rows, keeping what was typed."""
    _require(request, SUPERVISE)
    source = request.POST if request.method == "POST" else request.GET
    rows = min(max(_int(source.get("rows")) or _QUESTION_ROWS, 1), _MAX_QUESTION_ROWS)
    posted_rows = rows if request.method == "POST" else 0
    copied = _copy_of(request, _int(request.GET.get("from"))) if request.method == "GET" else None
    if copied is not None:
        count = sum(1 for key in copied if key.endswith("-text"))
        posted_rows = rows = min(max(count, _QUESTION_ROWS), _MAX_QUESTION_ROWS)
    error, field = "", ""
    if request.method == "POST" and request.POST.get("more") == "1":
        rows = min(rows + 5, _MAX_QUESTION_ROWS)
    elif request.method == "POST":
        post = request.POST
        questions = []
        for i in range(1, rows + 1):
            text = (post.get(f"q{i}-text") or "").strip()
            if not text:
                continue
            questions.append(
                {
                    "text": text,
                    "kind": post.get(f"q{i}-kind", ""),
                    "choices": [
                        c.strip() for c in _CHOICE_SPLIT.split(post.get(f"q{i}-choices", "")) if c.strip()
                    ],
                    "required": post.get(f"q{i}-required") == "1",
                }
            )
        try:
            q = services.questionnaire_create(
                actor=request.user,
                region=_chosen_region(request),
                name=post.get("name", ""),
                questions=questions,
            )
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
        else:
            messages.success(request, f"已新建问卷“{q.name}”（{len(questions)} 题）。")
            return redirect(reverse("supervision:return_visit_new") + f"?questionnaire={q.pk}")
    post = copied if copied is not None else request.POST
    return render(
        request,
        "supervision/questionnaire_new.html",
        {
            "tabs": _tabs(request),
            "regions": _scoped_regions(request),
            "kinds": QuestionKind.choices,
            "rows": [
                {
                    "i": i,
                    "text": post.get(f"q{i}-text", ""),
                    "kind": post.get(f"q{i}-kind", QuestionKind.RATING),
                    "choices": post.get(f"q{i}-choices", ""),
                    "required": post.get(f"q{i}-required") == "1" if i <= posted_rows else True,
                }
                for i in range(1, rows + 1)
            ],
            "can_add": rows < _MAX_QUESTION_ROWS,
            "error": error,
            "field": field,
            "data": post,
        },
    )


@login_required
@require_POST
def questionnaire_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """停用 / 启用回访问卷."""
    _require(request, SUPERVISE)
    if action not in ("stop", "activate"):
        raise Http404("未知操作。")
    q = selectors.questionnaires(request.user).filter(pk=pk).first()
    if q is None:
        raise Http404("问卷不存在或不在您的数据范围内。")
    try:
        services.questionnaire_set_active(actor=request.user, questionnaire=q, active=action == "activate")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"问卷“{q.name}”已{'启用' if action == 'activate' else '停用'}。")
    return redirect(reverse("supervision:people") + "#questionnaires")
