"""Pages of the people who enforce: training plans (file, accept, return), the 30 June check, auxiliary staff,
pre-job exams, assessments and awards, the adviser roster (and an adviser joining a review round), delegations.
Thin: selectors read (scoped), services write; refusals beside the form or as a message.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.cases.models import Case
from zhifa.core import clock
from zhifa.core.errors import DomainError, InvalidInput, NotFound
from zhifa.core.forms import parse
from zhifa.core.paging import capped
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency, Domain, Officer, PreJobExam, User
from zhifa.personnel import forms, rules, selectors, services
from zhifa.personnel.models import AdviserKind, Grade, PlanState, ReviewAdviser
from zhifa.review import rules as review_rules
from zhifa.review.models import ReviewRequest

AUXILIARY_LIMITS = (
    "在执法人员指导和监督下从事宣传教育、信息采集、接收或者受理申请、送达文书等辅助性事务",
    "不得单独从事行政执法活动，不得作为调查取证、现场检查的两名执法人员之一",
    "不得作出或者签署行政执法决定、审批和法制审核意见",
)


def _pick(rows: list[Any], pk: Any, message: str, field: str) -> Any:
    found = next((r for r in rows if r.pk == pk), None)
    if found is None:
        raise InvalidInput(message, f"{field}: not in your scope.", field=field)
    return found


@login_required
@require_http_methods(["GET", "POST"])
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """培训计划 — the plans in scope; a head files his agency's plan here."""
    perms.require(request.user, rules.VIEW, request=request)
    agencies = selectors.staff_agencies(request.user) if perms.can(request.user, rules.STAFF) else []
    error, form = "", request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        try:
            data = parse(forms.PlanForm, request.POST)
            agency = _pick(agencies, data["agency"], "请选择本机关。", "agency")
            plan = services.plan_submit(
                actor=request.user,
                agency=agency,
                year=data["year"],
                content=data["content"],
                public_law_hours=data["public_law_hours"],
                business_hours=data["business_hours"],
            )
            messages.success(request, f"已报备 {plan.year} 年度培训计划，待司法局备案。")
            return redirect("personnel:plan_detail", pk=plan.pk)
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "personnel/index.html",
        {
            "plans": capped(selectors.plans(request.user), 100),
            "agencies": agencies,
            "error": error,
            "form": form,
            "this_year": clock.today().year,
        },
        status=422 if error else 200,
    )


@login_required
@require_GET
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    perms.require(request.user, rules.VIEW, request=request)
    plan = selectors.plan_get(request.user, pk)
    return render(
        request,
        "personnel/plan_detail.html",
        {
            "plan": plan,
            "can_decide": plan.state == PlanState.SUBMITTED
            and perms.can(request.user, rules.SUPERVISE, plan),
        },
    )


@login_required
@require_POST
def plan_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    try:
        services.plan_accept(actor=request.user, plan=plan)
        messages.success(request, "培训计划已备案。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("personnel:plan_detail", pk=pk)


@login_required
@require_POST
def plan_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    try:
        data = parse(forms.ReasonForm, request.POST)
        services.plan_return(actor=request.user, plan=plan, reason=data["reason"])
        messages.success(request, "培训计划已退回。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("personnel:plan_detail", pk=pk)


@login_required
@require_GET
def training_check(request: AuthenticatedHttpRequest) -> HttpResponse:
    """6月30日轮训检查 — the one clock's day decides whether shortfalls are flagged yet."""
    perms.require(request.user, rules.VIEW, request=request)
    today = clock.today()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year else today.year
    check = selectors.training_check(request.user, year, today=today)
    return render(
        request,
        "personnel/training_check.html",
        {"check": check, "years": list(range(today.year, today.year - 4, -1)), "today": today},
    )


@login_required
@require_GET
def auxiliary(request: AuthenticatedHttpRequest) -> HttpResponse:
    """辅助人员 — who they are and what they may not do; registered on the officer form (辅助人员)."""
    perms.require(request.user, rules.VIEW, request=request)
    return render(
        request,
        "personnel/auxiliary.html",
        {
            "staff": capped(selectors.auxiliaries(request.user), 200),
            "limits": AUXILIARY_LIMITS,
            "can_register": perms.can(request.user, perms.CHANGE_OFFICER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def prejob(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """岗前培训考试 — of one officer; a passed one lets the certificate be issued."""
    perms.require(request.user, rules.VIEW, request=request)
    officer = selectors.officers(request.user).filter(pk=pk).first()
    if officer is None:
        raise NotFound("执法人员不存在或不在您的数据范围内。", "Officer not found.", code="officer_not_found")
    can_record = perms.can(request.user, rules.EXAM, PreJobExam(officer=officer))
    trainers = [officer.agency]
    if officer.agency.parent_id:
        trainers.append(Agency.objects.get(pk=officer.agency.parent_id))
    trainers += [d.delegating for d in selectors.public_delegations().filter(entrusted=officer.agency)]
    trainers = list({a.pk: a for a in trainers}.values())
    error, form = "", request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        try:
            data = parse(forms.PreJobForm, request.POST)
            trainer = _pick(trainers, data["trained_by"], "请选择培训机关。", "trained_by")
            exam = services.prejob_exam_record(
                actor=request.user,
                officer=officer,
                trained_by=trainer,
                training_hours=data["training_hours"],
                exam_on=data["exam_on"],
                score=data["score"],
            )
            messages.success(request, f"已登记岗前培训考试（{'合格' if exam.passed else '不合格'}）。")
            return redirect("personnel:prejob", pk=officer.pk)
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "personnel/prejob.html",
        {
            "officer": officer,
            "exams": list(officer.prejob_exams.select_related("trained_by")),
            "trainers": trainers,
            "can_record": can_record,
            "error": error,
            "form": form,
            "today": clock.today(),
        },
        status=422 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessments(request: AuthenticatedHttpRequest) -> HttpResponse:
    """个人考核 and 表彰奖励."""
    perms.require(request.user, rules.VIEW, request=request)
    can_assess = perms.can(request.user, rules.STAFF)
    staff = list(
        perms.scoped(request.user, rules.STAFF, Officer.objects.filter(is_active=True)).order_by("name")
    )
    award_agencies = list(
        perms.scoped(request.user, rules.AWARD, Agency.objects.filter(is_active=True)).order_by("path")
    )
    award_officers = list(
        perms.scoped(request.user, rules.AWARD, Officer.objects.filter(is_active=True))
        .select_related("agency")
        .order_by("agency__name", "name")
    )
    error, form = "", request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        try:
            data = parse(forms.AssessmentForm, request.POST)
            officer = _pick(staff, data["officer"], "请选择本机关的执法人员。", "officer")
            services.assessment_record(
                actor=request.user, officer=officer, year=data["year"], grade=data["grade"], note=data["note"]
            )
            messages.success(request, f"已登记{officer.name}{data['year']} 年度考核。")
            return redirect("personnel:assessments")
        except DomainError as exc:
            error = exc.message
    today = clock.today()
    return render(
        request,
        "personnel/assessments.html",
        {
            "assessments": capped(selectors.assessments(request.user), 100),
            "awards": capped(selectors.awards(request.user), 100),
            "staff": staff if can_assess else [],
            "grades": Grade.choices,
            "award_agencies": award_agencies,
            "award_officers": award_officers,
            "error": error,
            "form": form,
            "last_year": today.year - 1,
            "today": today,
        },
        status=422 if error else 200,
    )


@login_required
@require_POST
def award_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.require(request.user, rules.AWARD, request=request)
    try:
        data = parse(forms.AwardForm, request.POST)
        agencies = list(perms.scoped(request.user, rules.AWARD, Agency.objects.filter(pk=data["agency"])))
        agency = _pick(agencies, data["agency"], "请选择执法主体。", "agency")
        officer = None
        if data["officer"]:
            officer = Officer.objects.filter(pk=data["officer"], agency=agency).first()
            if officer is None:
                raise InvalidInput(
                    "受表彰人员不属于该执法主体。", "Officer not of the agency.", field="officer"
                )
        services.award_record(
            actor=request.user,
            agency=agency,
            officer=officer,
            title=data["title"],
            granted_by=data["granted_by"],
            awarded_on=data["awarded_on"],
            reason=data["reason"],
        )
        messages.success(request, "已登记表彰奖励。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("personnel:assessments")


@login_required
@require_http_methods(["GET", "POST"])
def advisers(request: AuthenticatedHttpRequest) -> HttpResponse:
    """法律顾问、公职律师名册."""
    perms.require(request.user, rules.VIEW, request=request)
    agencies = selectors.staff_agencies(request.user) if perms.can(request.user, rules.STAFF) else []
    error, form = "", request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        try:
            data = parse(forms.AdviserForm, request.POST)
            agency = _pick(agencies, data["agency"], "请选择本机关。", "agency")
            adviser = services.adviser_add(
                actor=request.user,
                agency=agency,
                kind=data["kind"],
                name=data["name"],
                licence_number=data["licence_number"],
                employer=data["employer"],
            )
            messages.success(request, f"{adviser.name}已入册。")
            return redirect("personnel:advisers")
        except DomainError as exc:
            error = exc.message
    today = clock.today()
    rows = list(capped(selectors.advisers(request.user), 200))
    return render(
        request,
        "personnel/advisers.html",
        {
            "rows": [(a, a.on_roster(today), perms.can(request.user, rules.STAFF, a)) for a in rows],
            "agencies": agencies,
            "kinds": AdviserKind.choices,
            "error": error,
            "form": form,
        },
        status=422 if error else 200,
    )


@login_required
@require_POST
def adviser_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    adviser = selectors.adviser_get(request.user, pk)
    try:
        data = parse(forms.ReasonForm, request.POST)
        services.adviser_remove(actor=request.user, adviser=adviser, reason=data["reason"])
        messages.success(request, f"{adviser.name}已出册。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("personnel:advisers")


@login_required
@require_POST
def review_adviser(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A rostered adviser joins a review round (from the case page's panel)."""
    found = perms.scoped(request.user, review_rules.VIEW, ReviewRequest).filter(pk=pk).first()
    if found is None:
        raise NotFound("审核申请不存在或不在您的数据范围内。", "Review request not found.", code="not_found")
    try:
        data = parse(forms.ReviewAdviserForm, request.POST)
        adviser = selectors.advisers(request.user).filter(pk=data["adviser"]).first()
        if adviser is None:
            raise InvalidInput(
                "请选择名册内的法律顾问或公职律师。", "Choose a rostered adviser.", field="adviser"
            )
        services.review_adviser_join(
            actor=request.user, request=found, adviser=adviser, opinion=data["opinion"]
        )
        messages.success(request, f"{adviser.name}已参与本轮法制审核。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("cases:detail", pk=found.case_id)


def case_panel(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    """法律顾问、公职律师参与审核 section of the case page, while a review round is open."""
    user = cast(User, request.user)
    open_round = (
        perms.scoped(user, review_rules.VIEW, ReviewRequest)
        .filter(case_id=case.pk, state__in=("submitted", "assigned"))
        .order_by("-round_no")
        .first()
    )
    joined = list(ReviewAdviser.objects.filter(request__case_id=case.pk).select_related("adviser", "request"))
    if open_round is None and not joined:
        return None
    may_invite = open_round is not None and (
        perms.can(user, review_rules.CATALOG, open_round) or open_round.reviewer_id == user.pk
    )
    today = clock.today()
    roster = [a for a in selectors.advisers(user).filter(agency_id=case.agency_id) if a.on_roster(today)]
    return {
        "title": "法律顾问、公职律师参与法制审核",
        "template": "personnel/_case_panel.html",
        "context": {"round": open_round, "joined": joined, "roster": roster if may_invite else []},
    }


@login_required
@require_http_methods(["GET", "POST"])
def delegations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """行政处罚委托 — made and withdrawn by the delegating agency; every delegation is listed."""
    perms.require(request.user, rules.VIEW, request=request)
    agencies = selectors.staff_agencies(request.user) if perms.can(request.user, rules.STAFF) else []
    error, form = "", request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        try:
            data = parse(forms.DelegationForm, request.POST)
            delegating = _pick(agencies, data["delegating"], "请选择本机关为委托机关。", "delegating")
            entrusted = Agency.objects.filter(pk=data["entrusted"], is_active=True).first()
            if entrusted is None:
                raise InvalidInput(
                    "请选择受委托组织。", "Choose the entrusted organisation.", field="entrusted"
                )
            domain = Domain.objects.filter(pk=data["domain"]).first()
            if domain is None:
                raise InvalidInput("请选择执法领域。", "Choose the field.", field="domain")
            services.delegation_create(
                actor=request.user,
                delegating=delegating,
                entrusted=entrusted,
                domain=domain,
                matters=data["matters"],
                document_number=data["document_number"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
            messages.success(request, "已登记行政处罚委托。")
            return redirect("personnel:delegations")
        except DomainError as exc:
            error = exc.message
    today = clock.today()
    rows = list(capped(selectors.delegations(request.user), 200))
    entrusted_choices = (
        list(
            Agency.objects.filter(is_active=True, region__path__startswith=agencies[0].region.path).order_by(
                "name"
            )
        )
        if agencies
        else []
    )
    return render(
        request,
        "personnel/delegations.html",
        {
            "rows": [
                (d, d.state_label(today), d.withdrawn_on is None and perms.can(request.user, rules.STAFF, d))
                for d in rows
            ],
            "agencies": agencies,
            "entrusted_choices": entrusted_choices,
            "domains": Domain.objects.filter(agencies__in=agencies).distinct().order_by("sort", "id"),
            "error": error,
            "form": form,
            "today": today,
        },
        status=422 if error else 200,
    )


@login_required
@require_POST
def delegation_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    delegation = selectors.delegation_get(request.user, pk)
    try:
        data = parse(forms.ReasonForm, request.POST)
        services.delegation_withdraw(actor=request.user, delegation=delegation, reason=data["reason"])
        messages.success(request, "委托已收回。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("personnel:delegations")
