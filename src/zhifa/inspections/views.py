"""Pages of inspections (涉企行政检查): warning queue, plans, tasks with their draw and its proof, the
officer's list for today, and the public pages (re-run a draw, the enterprise's view of an inspection code).

Views stay thin: reads go through ``zhifa.inspections.selectors`` (always scoped to the caller; out of scope
is a 404), writes through ``zhifa.inspections.services``, and a domain error goes back beside the form.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core import clock
from zhifa.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from zhifa.core.paging import capped, keyset_page
from zhifa.evidence import selectors as evidence_selectors
from zhifa.inspections import codes, rules, selectors, services
from zhifa.inspections.forms import (
    CheckInForm,
    ChecklistForm,
    FeedbackForm,
    FiledTaskForm,
    JointApproveForm,
    JointTaskForm,
    NoDisturbForm,
    NoDisturbRemoveForm,
    PlanForm,
    PlanItemForm,
    RandomTaskForm,
    RecheckForm,
    RemoteCheckForm,
    ResultForm,
    TaskCancelForm,
    VisitCapForm,
    VisitWindowForm,
    WarningFilterForm,
    WarningHandleForm,
)
from zhifa.inspections.models import (
    InspectionCheck,
    InspectionItem,
    InspectionMode,
    InspectionStatus,
    InspectionWarning,
    OfflineActionState,
    Outcome,
    PlanStatus,
    TaskKind,
    TaskStatus,
    WarningState,
)
from zhifa.org import permissions as perms
from zhifa.org import signup
from zhifa.org.forms import add_domain_error
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency, Officer, Party, Region, User
from zhifa.org.selectors import party_search


def _require(request: HttpRequest, action: str, obj: Any = None) -> None:
    perms.require(request.user, action, obj, request=request)


# The inspection pages' own tabs (the main menu has one entry, 涉企检查, to stay on one line).
_TABS: tuple[tuple[str, str, str], ...] = (
    ("检查预警", "inspections:warning_list", rules.VIEW_WARNING),
    ("检查任务", "inspections:task_list", rules.VIEW_WARNING),
    ("检查计划", "inspections:plan_list", rules.VIEW_WARNING),
    ("抽查事项", "inspections:item_list", rules.VIEW_WARNING),
    ("无事不扰", "inspections:no_disturb", rules.VIEW_WARNING),
    ("检查上限", "inspections:visit_caps", rules.MANAGE_VISIT_CAPS),
    ("检查统计", "inspections:dashboard", rules.VIEW_WARNING),
    ("离线同步冲突", "inspections:offline_conflicts", rules.VIEW_WARNING),
    ("今日检查", "inspections:today", rules.INSPECT),
    ("检查异议", "inspections:objection_list", rules.VIEW_FEEDBACK),
)


def _tabs(request: HttpRequest) -> list[dict[str, Any]]:
    tabs = []
    for label, name, action in _TABS:
        if perms.can(request.user, action):
            url = reverse(name)
            tabs.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return tabs


# --- warning queue (预警) ------------------------------------------------------------------------------------------


@login_required
@require_GET
def warning_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """预警 queue of the agency and its supervisors, filtered by kind and state, with 综合查一次 suggestions."""
    _require(request, rules.VIEW_WARNING)
    user = request.user
    form = WarningFilterForm(request.GET or None)
    kind = state = ""
    if form.is_valid():
        kind, state = form.cleaned_data["kind"], form.cleaned_data["state"]
    page = keyset_page(selectors.warnings(user, state=state or None, kind=kind or None), request)
    can_handle = perms.can(user, rules.HANDLE_WARNING)
    return render(
        request,
        "inspections/warning_list.html",
        {
            "form": form,
            "page": page,
            "rows": [_warning_row(user, w) for w in page.items],
            "suggestions": selectors.merge_suggestions(user),
            "proposals": selectors.merge_proposals_open(user),
            "next": reverse("inspections:warning_list"),
            "can_handle": can_handle,
            "filters": request.GET.urlencode(),
            "tabs": _tabs(request),
        },
    )


@login_required
@require_POST
def merge_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """合并检查建议: 同意 (one tap) or 不同意 (with a reason); htmx swaps the proposal in place."""
    user = request.user
    error = ""
    try:
        proposal = services.proposal_for(user, pk)
    except NotFound:
        raise Http404 from None
    try:
        if action == "decline":
            services.merge_proposal_decline(user, proposal, reason=request.POST.get("reason", ""))
        else:
            proposal = services.merge_proposal_accept(user, proposal)
    except DomainError as exc:
        error = exc.message
    back = request.POST.get("next", "")
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "已不同意合并。" if action == "decline" else "已同意合并检查。")
        allowed = {reverse("inspections:today"), reverse("inspections:warning_list")}
        return redirect(back if back in allowed else "inspections:warning_list")
    proposal.refresh_from_db()
    row = selectors.proposal_view(user, proposal)
    return render(request, "inspections/_merge_proposal.html", {"o": row, "error": error, "next": back})


def _warning_row(
    user: User, warning: InspectionWarning, form: WarningHandleForm | None = None
) -> dict[str, Any]:
    open_ = warning.state == WarningState.NEW and perms.can(user, rules.HANDLE_WARNING, warning)
    return {"w": warning, "form": form or (WarningHandleForm() if open_ else None)}


@login_required
@require_POST
def warning_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """处理 (handle, with a note) or 排除 (dismiss, with a reason); htmx swaps the row in place."""
    _require(request, rules.HANDLE_WARNING)
    warning = get_object_or_404(selectors.warnings(request.user), pk=pk)
    form = WarningHandleForm(request.POST)
    if form.is_valid():
        text = form.cleaned_data["text"]
        try:
            if action == "dismiss":
                warning = services.warning_dismiss(request.user, warning, reason=text)
            else:
                warning = services.warning_handle(request.user, warning, note=text)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            form = None  # type: ignore[assignment]
            if not request.htmx:
                messages.success(request, "预警已处理。" if action == "handle" else "预警已排除。")
    if not request.htmx:
        if form is not None and form.errors:
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("inspections:warning_list")
    warning = get_object_or_404(selectors.warnings(request.user), pk=pk)
    row = _warning_row(request.user, warning, form if form is not None and form.errors else None)
    # A refusal is shown in the row itself, beside the field: htmx swaps only 2xx answers, so this is a 200.
    return render(request, "inspections/_warning_row.html", {"row": row, "can_handle": True})


# --- the random-inspection list and its checklists (随机抽查事项清单、检查表单) ---------------------------------------


@login_required
@require_GET
def item_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """抽查事项 — the items in the caller's scope, each with its checklist in force today."""
    _require(request, rules.VIEW)
    page = keyset_page(selectors.items(request.user), request, ordering=("agency_id", "code", "id"), size=100)
    checklists = selectors.checklists_on([i.pk for i in page.items], clock.today())
    rows = [{"item": i, "lines": len(checklists.get(i.pk, []))} for i in page.items]
    return render(
        request,
        "inspections/item_list.html",
        {
            "rows": rows,
            "page": page,
            "tabs": _tabs(request),
            "can_import": perms.can(request.user, rules.MANAGE_LISTS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def checklist(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """检查表单 — the item's checklist in force and its versions; the agency sets a new version here."""
    _require(request, rules.VIEW)
    item = get_object_or_404(selectors.items(request.user), pk=pk)
    can_manage = perms.can(request.user, rules.MANAGE_LISTS, item)
    if request.method == "POST" and not can_manage:
        _require(request, rules.MANAGE_LISTS, item)
    today = clock.today()
    current = selectors.checklist_on(item, today)
    form = None
    status = 200
    if can_manage:
        rows = max(len(current) + 3, 5)
        if request.method == "POST":
            posted_rows = sum(1 for key in request.POST if key.startswith("content_"))
            form = ChecklistForm(request.POST, rows=min(max(rows, posted_rows), 200))
            if form.is_valid():
                try:
                    services.checklist_set(
                        request.user,
                        item,
                        lines=form.lines(),
                        effective_from=form.cleaned_data["effective_from"],
                    )
                except DomainError as exc:
                    add_domain_error(form, exc)
                else:
                    messages.success(request, "已保存检查表单的新版本，并已向社会公示。")
                    return redirect("inspections:checklist", pk=item.pk)
            status = 422
        else:
            initial: dict[str, Any] = {"effective_from": today}
            for i, line in enumerate(current, start=1):
                initial.update(
                    {f"content_{i}": line.content, f"method_{i}": line.method, f"basis_{i}": line.basis}
                )
            form = ChecklistForm(initial=initial, rows=rows)
    return render(
        request,
        "inspections/checklist.html",
        {
            "item": item,
            "lines": current,
            "versions": selectors.checklist_versions(item),
            "form": form,
            "tabs": _tabs(request),
            "public_url": reverse("portal:inspection_item_detail", kwargs={"pk": item.pk}),
        },
        status=status,
    )


# --- plans (年度涉企检查计划) ----------------------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, rules.VIEW)
    page = keyset_page(selectors.plans(request.user), request, ordering=("-year", "-id"), size=100)
    return render(
        request,
        "inspections/plan_list.html",
        {
            "plans": page.items,
            "page": page,
            "can_create": perms.can(request.user, rules.MANAGE_PLAN),
            "tabs": _tabs(request),
        },
    )


def _plan_agencies(request: HttpRequest) -> Any:
    return perms.scoped(
        request.user, rules.MANAGE_PLAN, Agency.objects.filter(is_active=True).order_by("name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, rules.MANAGE_PLAN)
    form = PlanForm(request.POST or None, agencies=_plan_agencies(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                request.user,
                agency=data["agency"],
                year=data["year"],
                title=data["title"],
                allow_advance_notice=data["allow_advance_notice"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已创建年度计划“{plan.title}”。")
            return redirect("inspections:plan_detail", pk=plan.pk)
    return render(
        request,
        "org/form_page.html",
        {"form": form, "title": "新建年度检查计划", "back": "inspections:plan_list"},
    )


def _plan_page(
    request: AuthenticatedHttpRequest,
    plan: Any,
    item_form: PlanItemForm | None = None,
    task_form: RandomTaskForm | None = None,
    status: int = 200,
) -> Any:
    user = request.user
    draft = plan.status == PlanStatus.DRAFT
    can_edit = draft and perms.can(user, rules.MANAGE_PLAN, plan)
    if can_edit and item_form is None:
        item_form = PlanItemForm(items=selectors.items(user, agency_id=plan.agency_id))
    can_task = not draft and perms.can(user, rules.MANAGE_TASK, plan)
    if can_task and task_form is None:
        task_form = RandomTaskForm(plan_items=plan.items.select_related("item"))
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "plan_items": list(plan.items.select_related("item").order_by("id")),
            "item_form": item_form if can_edit else None,
            "can_approve": draft and perms.can(user, rules.APPROVE_PLAN, plan),
            # a refused POST shows its form with the reason, even where the plan allows no task yet
            "task_form": task_form if can_task or (task_form is not None and task_form.errors) else None,
            "tasks": capped(selectors.tasks(user).filter(plan_item__plan=plan).order_by("-id"), 50),
        },
        status=status,
    )


def _scoped_plan(request: AuthenticatedHttpRequest, pk: int) -> Any:
    _require(request, rules.VIEW)
    return get_object_or_404(selectors.plans(request.user), pk=pk)


@login_required
@require_GET
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, _scoped_plan(request, pk))


@login_required
@require_POST
def plan_item_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _scoped_plan(request, pk)
    form = PlanItemForm(request.POST, items=selectors.items(request.user, agency_id=plan.agency_id))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_item_add(
                request.user,
                plan,
                item=data["item"],
                ratios={c: data[f"ratio_{c.lower()}"] for c in "ABCD"},
                quarters=data["quarters"],
                scope=data["scope"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已列入检查事项。")
            return redirect("inspections:plan_detail", pk=plan.pk)
    return _plan_page(request, plan, item_form=form, status=422)


@login_required
@require_POST
def task_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """双随机抽查任务 under an approved plan: the secret is drawn now, only its commitment is shown."""
    plan = _scoped_plan(request, pk)
    form = RandomTaskForm(request.POST, plan_items=plan.items.select_related("item"))
    if form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_create_random(
                request.user,
                plan_item=data["plan_item"],
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                quarter=data["quarter"],
                party_count=data["party_count"],
                inspectors_per_inspection=data["inspectors_per_inspection"],
            )
        except DomainError as exc:
            if exc.status == 403:
                raise
            add_domain_error(form, exc)
        else:
            messages.success(request, "已创建抽查任务，秘密的承诺值已公开上链。")
            return redirect("inspections:task_detail", pk=task.pk)
    return _plan_page(request, plan, task_form=form, status=422)


@login_required
@require_POST
def plan_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """批准 — the agency head only; the service refuses everyone else (403)."""
    plan = _scoped_plan(request, pk)
    try:
        services.plan_approve(request.user, plan)
    except DomainError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "年度计划已批准。")
    return redirect("inspections:plan_detail", pk=plan.pk)


# --- tasks and draws ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, rules.VIEW)
    page = keyset_page(selectors.tasks(request.user), request)
    can_file = (
        perms.can(request.user, rules.MANAGE_TASK)
        and Officer.objects.filter(user_id=request.user.pk).exists()
    )
    return render(
        request,
        "inspections/task_list.html",
        {
            "page": page,
            "can_file": can_file,
            "can_joint": _lead_agency(request) is not None,
            "tabs": _tabs(request),
        },
    )


def _task_page(
    request: AuthenticatedHttpRequest,
    task: Any,
    error: str = "",
    status: int = 200,
    approve_form: JointApproveForm | None = None,
    approve_error: str = "",
    cancel_form: TaskCancelForm | None = None,
) -> HttpResponse:
    user = request.user
    try:
        published = selectors.draw_published(task.pk)
    except NotFound:
        published = None
    can_draw = (
        task.kind == TaskKind.RANDOM
        and task.status == TaskStatus.APPROVED
        and published is None
        and perms.can(user, rules.MANAGE_TASK, task)
    )
    can_cancel = task.status in (
        TaskStatus.FILED,
        TaskStatus.APPROVED,
        TaskStatus.DRAWN,
    ) and perms.can(user, rules.APPROVE_TASK, task)
    inspections = (
        selectors.inspections(user)
        .filter(task=task)
        .prefetch_related("assignments__officer", "checks__agency", "checks__item")
        .order_by("scheduled_on", "id")
    )
    parts = selectors.joint_parts(user, task)
    approve_forms = {}
    if task.kind != TaskKind.RANDOM:
        for row in parts:
            if row["can_approve"] and not row["is_lead"]:
                approve_forms[row["agency"].pk] = approve_form or JointApproveForm(
                    officers=_agency_officers(row["agency"])
                )
    for row in parts:
        row["form"] = approve_forms.get(row["agency"].pk)
    return render(
        request,
        "inspections/task_detail.html",
        {
            "task": task,
            "published": published,
            "inspections": inspections,
            "can_draw": can_draw,
            "draw_error": error,
            "joint_parts": parts,
            "approve_error": approve_error,
            "can_cancel": can_cancel,
            "cancel_form": cancel_form or TaskCancelForm(),
        },
        status=status,
    )


def _scoped_task(request: AuthenticatedHttpRequest, pk: int) -> Any:
    _require(request, rules.VIEW)
    return get_object_or_404(selectors.tasks(request.user).select_related("plan_item__plan"), pk=pk)


@login_required
@require_GET
def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, _scoped_task(request, pk))


@login_required
@require_POST
def task_draw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """抽取 — for whom the service allows; a refusal (empty pool, already drawn …) shows beside the button."""
    task = _scoped_task(request, pk)
    try:
        services.task_draw(request.user, task)
    except DomainError as exc:
        if exc.status == 403:
            raise
        return _task_page(request, task, error=exc.message, status=exc.status)
    messages.success(request, "抽取完成，全部数值已上链并公开。")
    return redirect("inspections:task_detail", pk=task.pk)


def _agency_officers(agency: Any) -> Any:
    return Officer.objects.filter(agency=agency, is_active=True, is_auxiliary=False).order_by("name", "pk")


def _lead_agency(request: AuthenticatedHttpRequest) -> Any:
    """The agency whose officer or head leads a joint task: the user's own (an officer's, else a head's)."""
    if not perms.can(request.user, rules.MANAGE_TASK):
        return None
    officer = Officer.objects.filter(user_id=request.user.pk).select_related("agency__region").first()
    if officer is not None:
        return officer.agency if perms.can(request.user, rules.MANAGE_TASK, officer.agency) else None
    return (
        perms.scoped(request.user, rules.MANAGE_TASK, Agency.objects.filter(is_active=True))
        .select_related("region")
        .order_by("pk")
        .first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def joint_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """综合查一次 — the lead agency's officer or head creates a joint task (a filed visit or a joint draw)."""
    _require(request, rules.MANAGE_TASK)
    agency = _lead_agency(request)
    if agency is None:
        raise NotFound("没有可牵头的执法部门。", "No lead agency.", code="no_lead_agency")
    form = JointTaskForm(
        request.POST or None,
        items=InspectionItem.objects.filter(
            pk__in=[i.pk for i in selectors.joint_item_choices(request.user, agency)]
        )
        .select_related("agency")
        .order_by("agency_id", "code"),
        officers=_agency_officers(agency),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            filed = data["mode"] == "filed"
            try:
                party = _party_by_code(request, data["party_code"]) if filed else None
                task = services.joint_task_create(
                    request.user,
                    agency=agency,
                    title=data["title"],
                    reason=data["reason"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    parts=[(i.agency_id, i.pk) for i in data["items"]],
                    party=party,
                    officer_ids=[o.pk for o in data["officers"]] if filed else (),
                    industries="" if filed else data["industries"],
                    party_count=None if filed else data["party_count"],
                    inspectors_per_agency=data["inspectors_per_agency"] or 1,
                )
            except DomainError as exc:
                if exc.status == 403:
                    raise
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, f"已创建联合检查任务“{task.title}”，待各部门负责人批准。")
                return redirect("inspections:task_detail", pk=task.pk)
        else:
            status = 422
    return render(
        request,
        "org/form_page.html",
        {"form": form, "title": f"新建联合检查（牵头：{agency.name}）", "back": "inspections:task_list"},
        status=status,
    )


def _party_by_code(request: AuthenticatedHttpRequest, code: str, field: str = "party_code") -> Party:
    code = (code or "").strip()
    found = list(party_search(request.user, code)[:2]) if code else []  # two are enough to tell "not unique"
    if len(found) != 1:
        raise InvalidInput(
            "请填写检查对象的统一社会信用代码或完整名称。"
            if not found
            else "有多个企业符合，请输入统一社会信用代码。",
            "No single party matches.",
            field=field,
        )
    return found[0]


@login_required
@require_POST
def joint_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """批准 — an agency head approves the agency's items of a joint task (naming its officers)."""
    task = _scoped_task(request, pk)
    officer_agency = next(
        (r["agency"] for r in selectors.joint_parts(request.user, task) if r["can_approve"]), None
    )
    form = JointApproveForm(
        request.POST, officers=_agency_officers(officer_agency) if officer_agency else Officer.objects.none()
    )
    if not form.is_valid():
        return _task_page(
            request, task, approve_form=form, approve_error="请选择本部门的检查人员。", status=422
        )
    try:
        services.joint_task_approve(
            request.user, task, officer_ids=[o.pk for o in form.cleaned_data["officers"]]
        )
    except DomainError as exc:
        if exc.status == 403:
            raise
        return _task_page(request, task, approve_form=form, approve_error=exc.message, status=exc.status)
    messages.success(request, "已批准本部门的检查事项。")
    return redirect("inspections:task_detail", pk=task.pk)


@login_required
@require_POST
def check_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """One item's result (or re-check) on a joint visit, by an officer of that item's agency."""
    _require(request, rules.INSPECT)
    check = (
        InspectionCheck.objects.filter(pk=pk, inspection__in=selectors.inspections(request.user).values("pk"))
        .select_related("inspection")
        .first()
    )
    if check is None or action not in ("result", "recheck"):
        raise NotFound("检查事项不存在或不在您的数据范围内。", "Check not found.", code="check_not_found")
    form: Any = (ResultForm if action == "result" else RecheckForm)(request.POST, prefix=f"c{check.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "result":
                services.inspection_check_result(
                    request.user,
                    check,
                    outcome=data["outcome"],
                    findings=data["findings"],
                    rectify_deadline=data["rectify_deadline"],
                )
            else:
                services.inspection_check_recheck(
                    request.user, check, passed=data["passed"], findings=data["findings"]
                )
        except DomainError as exc:
            if exc.status == 403:
                raise
            add_domain_error(form, exc)
        else:
            messages.success(request, "检查结果已录入。" if action == "result" else "复查已录入。")
            return redirect("inspections:onsite", pk=check.inspection_id)
    return onsite(request, check.inspection_id, check_form=(check.pk, form))


@login_required
@require_POST
def task_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """撤销任务 — the agency head only (the service refuses anyone else); the reason is required."""
    task = _scoped_task(request, pk)
    form = TaskCancelForm(request.POST)
    if form.is_valid():
        try:
            services.task_cancel(request.user, task, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            if exc.status == 403:
                raise
            add_domain_error(form, exc)
            return _task_page(request, task, status=exc.status, cancel_form=form)
        messages.success(request, "检查任务已撤销；离线期间为其录入的现场记录同步时将作为冲突保留。")
        return redirect("inspections:task_detail", pk=task.pk)
    return _task_page(request, task, status=422, cancel_form=form)


@require_GET
def draw_verify(request: HttpRequest, task_id: int) -> HttpResponse:
    """公开验证 — the draw's public page is on the portal (names masked, Beijing time, the re-run in the
    browser); this address, printed on earlier pages, leads there."""
    return redirect(reverse("portal:draw", kwargs={"task_id": task_id}))


# --- the officer's day and the enterprise's side -------------------------------------------------------------------


@login_required
@require_GET
def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    """今日检查 — the officer's inspections open today, each with its signed code as a QR image."""
    _require(request, rules.INSPECT)
    rows: list[dict[str, Any]] = []
    # A day's inspections are few; past 100 the page says how many more.
    open_today = capped(
        selectors.officer_open_inspections(request.user)
        .select_related("rectification")
        .order_by("scheduled_on", "id"),
        100,
    )
    for inspection in open_today:
        row: dict[str, Any] = {"i": inspection, "step": _onsite_step(inspection)}
        if row["step"] == "check_in":
            # the QR image is its own URL (code_qr), fetched when the officer opens the card's 出示检查码
            row["code"] = codes.issue_code(inspection)
        rows.append(row)
    context = {
        "rows": rows,
        "open_today": open_today,
        "tabs": _tabs(request),
        "proposals": selectors.merge_proposals_open(request.user),
        "next": reverse("inspections:today"),
        "server_now_ms": _now_ms(),
    }
    return render(request, "inspections/today.html", context)


def _now_ms() -> int:
    """The platform's clock for the offline queue: the phone corrects its own clock by it (offline.js)."""
    return int(clock.now().timestamp() * 1000)


_ONSITE_FORMS = {"check_in": CheckInForm, "result": ResultForm, "recheck": RecheckForm}


def _onsite_step(inspection: Any) -> str:
    if inspection.status == InspectionStatus.PLANNED:
        if inspection.task is not None and inspection.task.status == TaskStatus.CANCELLED:
            return "cancelled"
        return "check_in"
    if inspection.status == InspectionStatus.CHECKED_IN:
        return "result"
    if inspection.outcome == Outcome.RECTIFY and inspection.recheck_at is None:
        return "recheck"
    return "done"


def _onsite_run(
    request: AuthenticatedHttpRequest, inspection: Any, action: str, data: dict[str, Any]
) -> None:
    user = request.user
    if action == "check_in":
        services.inspection_check_in(user, codes.issue_code(inspection), place=data["place"], at=data["at"])
    elif action == "result":
        services.inspection_result(
            user,
            inspection,
            outcome=data["outcome"],
            findings=data["findings"],
            rectify_deadline=data["rectify_deadline"],
        )
    else:
        services.inspection_recheck(user, inspection, passed=data["passed"], findings=data["findings"])


def _check_rows(
    request: AuthenticatedHttpRequest, inspection: Any, check_form: tuple[int, Any] | None
) -> list[dict[str, Any]]:
    """综合查一次 — the visit's checks, each with its form where the viewer records it (own agency only)."""
    rows = selectors.visit_checks(request.user, inspection)
    if len(rows) < 2:
        return []
    out = []
    for r in rows:
        form = None
        if r.editable or r.recheck:
            cls: Any = ResultForm if r.editable else RecheckForm
            form = (
                check_form[1] if check_form and check_form[0] == r.check.pk else cls(prefix=f"c{r.check.pk}")
            )
        case_url = ""
        if r.check.case_source_seq and r.own:
            case_url = _case_source_url(inspection, item=r.check.item, findings=r.check.findings)
        out.append(
            {
                "c": r.check,
                "form": form,
                "action": "result" if r.editable else "recheck",
                "case_url": case_url,
            }
        )
    return out


def _case_source_url(inspection: Any, item: Any = None, findings: str | None = None) -> str:
    """检查结果 → 案源: the 案源登记 form filled from the inspection (the officer picks the 执法事项 there); on a
    joint visit from one check (``item``, ``findings``) of the officer's own agency."""
    party = inspection.party
    item = item or inspection.item
    findings = inspection.findings if findings is None else findings
    day = inspection.inspected_on.isoformat() if inspection.inspected_on else ""
    return (
        reverse("cases:source_new")
        + "?"
        + urlencode(
            {
                "source_kind": "inspection",
                "title": f"{item.name}检查发现的违法行为" if item else "检查发现的违法行为",
                "party_code": party.uscc or party.name,
                "summary": f"{day}现场检查：{findings}"[:5000],
            }
        )
    )


@login_required
@require_GET
def code_qr(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """检查码二维码 — the signed code of one planned visit as an SVG image, for the officers who may see the
    inspection (the on-site page's scope), only while it waits for its check-in; 404 otherwise.

    The today list loads it lazily (one image per card, when the card's 出示检查码 opens) instead of drawing
    every card's QR code into the page. The image is kept in the cache per inspection and task window: any code
    issued for the same visit and window carries the same claims and stays valid for the window.
    """
    _require(request, rules.INSPECT)
    inspection = selectors.inspections(request.user).filter(pk=pk).first()
    if inspection is None or _onsite_step(inspection) != "check_in":
        raise NotFound(
            "检查不存在或不在您的数据范围内。", "Inspection not found.", code="inspection_not_found"
        )
    return HttpResponse(codes.qr_svg_for(inspection), content_type="image/svg+xml; charset=utf-8")


@login_required
@require_http_methods(["GET", "POST"])
def onsite(
    request: AuthenticatedHttpRequest,
    pk: int,
    action: str = "",
    check_form: tuple[int, Any] | None = None,
) -> HttpResponse:
    """现场办理 — one inspection on the officer's phone: check in with its code (time, place), photos, the
    result (合格 / 责令整改 / 立案) and the re-check, each step through its service."""
    _require(request, rules.INSPECT)
    inspection = selectors.inspections(request.user).filter(pk=pk).first()
    if inspection is None:
        raise NotFound(
            "检查不存在或不在您的数据范围内。", "Inspection not found.", code="inspection_not_found"
        )
    forms = {name: cls() for name, cls in _ONSITE_FORMS.items()}
    status = 200
    if check_form is not None:
        status = 422
    elif request.method == "POST":
        if action not in _ONSITE_FORMS:
            raise NotFound("没有这个现场操作。", "Unknown on-site action.", code="unknown_action")
        form = _ONSITE_FORMS[action](request.POST)
        forms[action] = form
        if form.is_valid():
            try:
                _onsite_run(request, inspection, action, form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    {"check_in": "已签到进企。", "result": "检查结果已录入。"}.get(action, "复查已录入。"),
                )
                return redirect("inspections:onsite", pk=inspection.pk)
        else:
            status = 422
        inspection = selectors.inspections(request.user).get(pk=pk)
    step = _onsite_step(inspection)
    object_type, object_id = inspection._meta.label_lower, str(inspection.pk)
    context = {
        "i": inspection,
        "step": step,
        "forms": forms,
        "photos": list(evidence_selectors.evidence_for(request.user, object_type, object_id)),
        "object_type": object_type,
        "object_id": object_id,
        "officers": list(inspection.assignments.select_related("officer__agency")),
        "tabs": _tabs(request),
        "checks": _check_rows(request, inspection, check_form),
        "conflicts": list(
            selectors.offline_actions(
                request.user, state=OfflineActionState.CONFLICT, inspection_id=inspection.pk
            ).order_by("captured_at", "id")
        ),
        "server_now_ms": _now_ms(),
    }
    rectification = selectors.rectification_of(inspection)
    if rectification is not None:  # 整改报告: the enterprise's report and files, for the re-check
        context["rectification"] = rectification
        context["rectification_files"] = selectors.rectification_files(rectification)
    if inspection.case_source_seq and not context["checks"]:
        context["case_source_url"] = _case_source_url(inspection)
    if step == "check_in":
        code = codes.issue_code(inspection)
        context["code"], context["qr"] = code, mark_safe(codes.qr_svg(code))  # noqa: S308 - SVG drawn by qrcode
    return render(request, "inspections/onsite.html", context, status=status)


@login_required
@require_POST
def visit_window(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """商定入企时间 (officer side) — offer the enterprise a window of visit times for a planned visit."""
    _require(request, rules.MANAGE_TASK)
    inspection = get_object_or_404(selectors.inspections(request.user), pk=pk)
    form = VisitWindowForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            services.visit_window_offer(request.user, inspection, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已向企业提出可选入企时间，企业确认后显示在此。")
    return redirect("inspections:onsite", pk=inspection.pk)


def _code_page(request: HttpRequest, code: str, form: FeedbackForm | None = None, status: int = 200) -> Any:
    context: dict[str, Any] = {"code": code, "view": None, "error": ""}
    if code:
        try:
            view = services.inspection_code_view(code)
        except DomainError as exc:
            context["error"] = exc.message
            status = exc.status
        else:
            context["view"] = view
            user = request.user
            inspection = view.inspection
            if not user.is_authenticated:
                # 企业注册码: printed for the inspected enterprise while it may still register its account
                context["signup"] = signup.signup_code_print(inspection.party)
            elif perms.can(user, rules.RECTIFY, inspection):
                context["mine_links"] = True
            if (
                user.is_authenticated
                and inspection.entered_at is not None
                and perms.can(user, rules.RATE, inspection)
            ):
                # rated once only; the enterprise that may rate may know that it has
                context["rated"] = form is None and hasattr(inspection, "feedback")
                if not context["rated"]:
                    context["feedback_form"] = form or FeedbackForm(initial={"code": code})
    return render(request, "inspections/code_view.html", context, status=status)


@require_GET
def code_view(request: HttpRequest) -> HttpResponse:
    """企业扫码 — who is coming, their certificates, the task and its legal basis (no login needed)."""
    return _code_page(request, request.GET.get("code", "").strip()[:2000])


@login_required
@require_POST
def feedback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """企业评价 — anonymous rating after the visit, by the inspected enterprise."""
    _require(request, rules.RATE)
    inspection = get_object_or_404(selectors.inspections(request.user), pk=pk)
    form = FeedbackForm(request.POST)
    code = request.POST.get("code", "")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.feedback_submit(
                request.user,
                inspection,
                rating=data["rating"],
                comment=data["comment"],
                problem_text=data["problem_text"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "感谢评价。评价不记录您的身份。")
            return redirect(f"{reverse('inspections:code_view')}?code={code}")
    return _code_page(request, code, form, status=422)


# --- statistics (检查统计) -----------------------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """检查统计 — inspections per enterprise and per agency in the caller's scope (ECharts, json_script)."""
    _require(request, rules.VIEW_WARNING)
    qs = selectors.inspections(request.user)
    # 检查统计: the top 20 of each chart by design (the chart's title says 前 20)
    by_agency = list(qs.values("agency__name").annotate(n=Count("id")).order_by("-n", "agency__name")[:20])
    by_party = list(qs.values("party__name").annotate(n=Count("id")).order_by("-n", "party__name")[:20])
    chart = {
        "agencies": {"labels": [r["agency__name"] for r in by_agency], "values": [r["n"] for r in by_agency]},
        "parties": {"labels": [r["party__name"] for r in by_party], "values": [r["n"] for r in by_party]},
    }
    open_warnings = selectors.warnings(request.user, state=WarningState.NEW).count()
    return render(
        request,
        "inspections/dashboard.html",
        {
            "chart": chart,
            "by_agency": by_agency,
            "by_party": by_party,
            "open_warnings": open_warnings,
            "tabs": _tabs(request),
        },
    )


# --- offline on-site work (离线现场检查): the service worker, the web app manifest, the conflict list ----------------

# Bump when sw.js or what it caches changes: the new worker drops the old cache.
SW_VERSION = "2"


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker of the on-site pages, served from /inspections/ so that its scope covers them (the
    static files live under /static/, outside that scope). No login: it holds no data, only code."""
    response = render(
        request,
        "inspections/sw.js",
        {"version": SW_VERSION, "scope": reverse("inspections:today").rsplit("today/", 1)[0]},
        content_type="application/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = reverse("inspections:today").rsplit("today/", 1)[0]
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """Web app manifest (安装到手机): opens on the officer's today list, standalone, within /inspections/."""
    return render(
        request,
        "inspections/manifest.webmanifest",
        {
            "start_url": reverse("inspections:today"),
            "scope": reverse("inspections:today").rsplit("today/", 1)[0],
        },
        content_type="application/manifest+json; charset=utf-8",
    )


# --- 年度检查上限、无事不扰、报备检查、非现场检查 ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def visit_caps(request: AuthenticatedHttpRequest) -> HttpResponse:
    """年度检查上限 — the judicial bureau sets the yearly caps of its places; lower places inherit them."""
    _require(request, rules.MANAGE_VISIT_CAPS)
    regions = perms.scoped(request.user, rules.MANAGE_VISIT_CAPS, Region.objects.all()).order_by("path")
    form = VisitCapForm(request.POST or None, regions=regions)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.visit_cap_set(
                    request.user,
                    data["region"],
                    year=data["year"],
                    per_agency=data["per_agency"],
                    per_enterprise=data["per_enterprise"],
                    basis=data["basis"],
                )
            except DomainError as exc:
                if exc.status == 403:
                    raise
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "年度检查上限已设定，日常检查的报备与抽取即按此执行。")
                return redirect("inspections:visit_caps")
        else:
            status = 422
    caps = capped(selectors.visit_caps(request.user), 200)
    return render(
        request,
        "inspections/visit_caps.html",
        {"form": form, "caps": caps, "tabs": _tabs(request)},
        status=status,
    )


@login_required
@require_GET
def offline_conflicts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """离线同步冲突 — what officers captured offline that was not applied, and why (head, supervisors)."""
    _require(request, rules.VIEW_WARNING)
    page = keyset_page(selectors.offline_actions(request.user, state=OfflineActionState.CONFLICT), request)
    return render(request, "inspections/offline_conflicts.html", {"page": page, "tabs": _tabs(request)})


@login_required
@require_http_methods(["GET", "POST"])
def no_disturb(request: AuthenticatedHttpRequest) -> HttpResponse:
    """无事不扰名单 — who is on it and why; the judicial bureau adds (with reason and validity) and removes."""
    _require(request, rules.VIEW)
    can_manage = perms.can(request.user, rules.MANAGE_NO_DISTURB)
    form = NoDisturbForm(request.POST or None) if can_manage else None
    status = 200
    if request.method == "POST":
        if form is None:
            _require(request, rules.MANAGE_NO_DISTURB)
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            try:
                party = _party_by_code(request, data["party_code"])
                services.no_disturb_add(request.user, party, reason=data["reason"], until=data["until"])
            except DomainError as exc:
                if exc.status == 403:
                    raise
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, f"{party.name}已列入无事不扰名单。")
                return redirect("inspections:no_disturb")
        else:
            status = 422
    page = keyset_page(selectors.no_disturb_entries(request.user), request, ordering=("-added_at", "-id"))
    today = clock.today()
    rows = [
        {"e": e, "active": e.until is None or e.until >= today, "remove": NoDisturbRemoveForm()}
        for e in page.items
    ]
    return render(
        request,
        "inspections/no_disturb.html",
        {"form": form, "page": page, "rows": rows, "can_manage": can_manage, "tabs": _tabs(request)},
        status=status,
    )


@login_required
@require_POST
def no_disturb_remove(request: AuthenticatedHttpRequest, party_id: int) -> HttpResponse:
    """移出无事不扰 — with a reason."""
    _require(request, rules.MANAGE_NO_DISTURB)
    entry = get_object_or_404(selectors.no_disturb_entries(request.user), party_id=party_id)
    form = NoDisturbRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写移出理由。")
        return redirect("inspections:no_disturb")
    services.no_disturb_remove(request.user, entry.party, reason=form.cleaned_data["reason"])
    messages.success(request, f"{entry.party.name}已移出无事不扰名单。")
    return redirect("inspections:no_disturb")


def _filing_choices(request: AuthenticatedHttpRequest) -> tuple[Officer, Any, Any]:
    officer = Officer.objects.filter(user_id=request.user.pk).select_related("agency").first()
    if officer is None:
        raise PermissionDenied(
            "只有执法人员可以报备检查。", "Only officers file inspections.", code="not_an_officer"
        )
    items = selectors.items(request.user, agency_id=officer.agency_id).select_related("domain")
    officers = Officer.objects.filter(
        agency_id=officer.agency_id, is_active=True, is_auxiliary=False
    ).order_by("name", "id")
    return officer, items, officers


@login_required
@require_http_methods(["GET", "POST"])
def task_file(request: AuthenticatedHttpRequest) -> HttpResponse:
    """报备检查 — file a non-random inspection before entering; a routine one beyond the yearly cap or for an
    enterprise on the 无事不扰 list is refused beside its field, a triggered one passes with its trigger."""
    _require(request, rules.MANAGE_TASK)
    officer, items, officers = _filing_choices(request)
    form = FiledTaskForm(
        request.POST or None,
        items=items,
        officers=officers,
        initial={"officers": [officer.pk], "starts_on": clock.today(), "ends_on": clock.today()},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                party = _party_by_code(request, data["party_code"])
                task = services.task_file(
                    request.user,
                    agency=officer.agency,
                    item=data["item"],
                    kind=data["kind"],
                    party=party,
                    officer_ids=[o.pk for o in data["officers"]],
                    title=data["title"],
                    reason=data["reason"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    trigger_kind=data["trigger_kind"],
                    trigger_ref=data["trigger_ref"],
                )
            except DomainError as exc:
                if exc.status == 403:
                    raise
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "检查已报备，待机关负责人批准后检查码生效。")
                return redirect("inspections:task_detail", pk=task.pk)
        else:
            status = 422
    return render(
        request,
        "inspections/task_file.html",
        {"form": form, "agency": officer.agency, "tabs": _tabs(request)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def remote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """非现场检查 — a planned inspection checked by documents, video or monitoring data: its evidence (uploaded
    through the evidence app), the method and the result, with no check-in at the premises."""
    _require(request, rules.INSPECT)
    inspection = selectors.inspections(request.user).filter(pk=pk).first()
    if inspection is None:
        raise NotFound(
            "检查不存在或不在您的数据范围内。", "Inspection not found.", code="inspection_not_found"
        )
    planned = inspection.status == InspectionStatus.PLANNED
    if request.method == "POST" and not planned:
        messages.error(request, "该检查已进企或已办结，不能再记录为非现场检查。")
        return redirect("inspections:remote", pk=inspection.pk)
    if not planned and inspection.mode != InspectionMode.REMOTE:
        return redirect("inspections:onsite", pk=inspection.pk)
    form = RemoteCheckForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.inspection_remote_record(
                    request.user,
                    inspection,
                    method=data["method"],
                    outcome=data["outcome"],
                    findings=data["findings"],
                    rectify_deadline=data["rectify_deadline"],
                    at=data["at"],
                )
            except DomainError as exc:
                if exc.status == 403:
                    raise
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "非现场检查已记录，不计入入企次数。")
                return redirect("inspections:remote", pk=inspection.pk)
        else:
            status = 422
        inspection = selectors.inspections(request.user).get(pk=pk)
    object_type, object_id = inspection._meta.label_lower, str(inspection.pk)
    context = {
        "i": inspection,
        "form": form,
        "done": inspection.status != InspectionStatus.PLANNED,
        "files": list(evidence_selectors.evidence_for(request.user, object_type, object_id)),
        "object_type": object_type,
        "object_id": object_id,
        "officers": list(inspection.assignments.select_related("officer")),
        "tabs": _tabs(request),
    }
    return render(request, "inspections/remote.html", context, status=status)
