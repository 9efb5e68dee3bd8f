"""回访与监督员 — social supervisors and their tasks, enterprise liaison points and their visits.

Each form: done → a message and back to the list (PRG); refused → the page again, the form open with the
entered data and the message beside its field. The services are atomic: a refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.paging import capped
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import PartyKind
from zhifa.org.selectors import party_search
from zhifa.supervision import selectors, services
from zhifa.supervision.forms import (
    AppointForm,
    DesignateForm,
    DismissForm,
    FeedbackForm,
    TaskForm,
    VisitForm,
    parse,
)
from zhifa.supervision.models import LiaisonPoint, SocialSupervisor, SupervisorTask
from zhifa.supervision.rules import SUPERVISE
from zhifa.supervision.views._common import (
    _region_in_scope,
    _require,
    _scoped_agencies,
    _scoped_regions,
    _tabs,
)

# The fields each people form shows; a refusal naming one of them is shown under it, any other above the form.
_PEOPLE_FIELDS: dict[str, tuple[str, ...]] = {
    "appoint": ("region", "name", "organisation", "sector", "phone", "appointed_on", "term_ends_on"),
    "dismiss": ("dismissed_on",),
    "task": ("person", "agency", "title", "due"),
    "feedback": ("feedback",),
    "designate": ("party_code", "designated_on"),
    "visit": ("visited_on", "satisfaction", "method", "notes"),
}
_LIAISON_METHODS = ("走访", "座谈", "电话", "书面征求意见")
_SATISFACTION = ((5, "5 很满意"), (4, "4 满意"), (3, "3 基本满意"), (2, "2 不满意"), (1, "1 很不满意"))


def _person(request: AuthenticatedHttpRequest, pk: int) -> SocialSupervisor:
    person = selectors.social_supervisors(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404("社会监督员不存在或不在您的数据范围内。")
    return person


def _point(request: AuthenticatedHttpRequest, pk: int) -> LiaisonPoint:
    point = selectors.liaison_points(request.user).filter(pk=pk).first()
    if point is None:
        raise Http404("企业联系点不存在或不在您的数据范围内。")
    return point


def _people_page(request: AuthenticatedHttpRequest, failed: dict[str, Any] | None = None) -> HttpResponse:
    points = capped(selectors.liaison_points(request.user).prefetch_related("visits"), 100)
    return render(
        request,
        "supervision/people.html",
        {
            "tabs": _tabs(request),
            "visits": capped(selectors.return_visits(request.user), 50),
            "questionnaires": capped(selectors.questionnaires(request.user), 50),
            "supervisors": capped(
                selectors.social_supervisors(request.user).prefetch_related("tasks__agency"), 100
            ),
            # the task form's choices: every supervisor in scope (uncapped)
            "supervisor_choices": selectors.social_supervisors(request.user),
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


def _people_act(
    request: AuthenticatedHttpRequest, form: str, act: Callable[[], str], pk: int | None = None
) -> HttpResponse:
    """Run one people form (see the module's docstring)."""
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
def people(request: AuthenticatedHttpRequest) -> HttpResponse:
    """回访、社会监督员、企业联系点 — the lists, with the forms that add to them."""
    _require(request, SUPERVISE)
    return _people_page(request)


@login_required
@require_POST
def supervisor_appoint(request: AuthenticatedHttpRequest) -> HttpResponse:
    """聘任行政执法社会监督员."""
    _require(request, SUPERVISE)

    def act() -> str:
        data = parse(AppointForm, request.POST)
        person = services.social_supervisor_appoint(
            actor=request.user,
            region=_region_in_scope(request, data["region"]),
            name=data["name"],
            appointed_on=data["appointed_on"],
            term_ends_on=data["term_ends_on"],
            organisation=data["organisation"].strip(),
            sector=data["sector"].strip(),
            phone=data["phone"].strip(),
        )
        return f"已聘任社会监督员 {person.name}。"

    return _people_act(request, "appoint", act)


@login_required
@require_POST
def supervisor_dismiss(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """解聘 — on the date given (today if empty)."""
    _require(request, SUPERVISE)
    person = _person(request, pk)

    def act() -> str:
        data = parse(DismissForm, request.POST)
        services.social_supervisor_dismiss(actor=request.user, person=person, on=data["dismissed_on"])
        return f"已解聘 {person.name}。"

    return _people_act(request, "dismiss", act, pk)


@login_required
@require_POST
def supervisor_task_assign(request: AuthenticatedHttpRequest) -> HttpResponse:
    """布置监督任务 — to a serving social supervisor, optionally about one agency."""
    _require(request, SUPERVISE)

    def act() -> str:
        data = parse(TaskForm, request.POST)
        person = selectors.social_supervisors(request.user).filter(pk=data["person"]).first()
        if person is None:
            raise InvalidInput("请选择社会监督员。", "Choose a social supervisor.", field="person")
        agency = None
        if data["agency"] is not None:
            agency = next((a for a in _scoped_agencies(request) if a.pk == data["agency"]), None)
            if agency is None:
                raise InvalidInput("请选择您监督范围内的执法主体。", "Unknown agency.", field="agency")
        task = services.supervisor_task_assign(
            actor=request.user, person=person, title=data["title"], due=data["due"], agency=agency
        )
        return f"已向 {person.name} 布置任务：{task.title}。"

    return _people_act(request, "task", act)


@login_required
@require_POST
def supervisor_task_feedback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
        data = parse(FeedbackForm, request.POST)
        services.supervisor_task_feedback(actor=request.user, task=task, feedback=data["feedback"])
        return f"已记录“{task.title}”的反馈。"

    return _people_act(request, "feedback", act, pk)


@login_required
@require_POST
def liaison_designate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """确定企业联系点 — the enterprise by its USCC or full name, within the caller's scope."""
    _require(request, SUPERVISE)

    def act() -> str:
        data = parse(DesignateForm, request.POST)
        code = data["party_code"].strip()
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
        services.liaison_point_designate(actor=request.user, party=party, designated_on=data["designated_on"])
        return f"已将 {party.name} 确定为企业联系点。"

    return _people_act(request, "designate", act)


@login_required
@require_POST
def liaison_visit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """联系点走访 — date, satisfaction 1–5, how, what the enterprise said."""
    _require(request, SUPERVISE)
    point = _point(request, pk)

    def act() -> str:
        data = parse(VisitForm, request.POST)
        services.liaison_visit_record(
            actor=request.user,
            point=point,
            visited_on=data["visited_on"],
            satisfaction=data["satisfaction"],
            method=data["method"].strip() or "走访",
            notes=data["notes"],
        )
        return f"已记录对 {point.party.name} 的走访。"

    return _people_act(request, "visit", act, pk)
