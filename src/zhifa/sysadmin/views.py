"""系统管理 pages: users and their roles, locked accounts, API tokens.

Views stay thin: every list and detail is narrowed to the accounts the administrator manages
(``selectors.users_in_scope``: an account outside it is a 404, like one that does not exist), and every
write goes through ``zhifa.sysadmin.services``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhifa.core import clock, jobs
from zhifa.core.errors import DomainError
from zhifa.core.models import WorkingDayOverride
from zhifa.core.paging import keyset_page
from zhifa.org import permissions as perms
from zhifa.org.forms import add_domain_error
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.http import list_response as _list_response
from zhifa.org.models import ApiToken, LegalQualification, Role, RoleAssignment, User
from zhifa.sysadmin import selectors, services
from zhifa.sysadmin.forms import HolidayConfirmForm, HolidayDayForm, LegalQualificationForm, RoleGrantForm
from zhifa.sysadmin.rules import MANAGE_USERS, may_manage_holidays

STATES = [("active", "启用"), ("disabled", "停用")]
TOKEN_STATES = [("active", "有效"), ("expired", "已过期"), ("revoked", "已吊销")]


def _require(request: HttpRequest) -> None:
    perms.require(request.user, MANAGE_USERS, request=request)


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def _assignments() -> Prefetch:
    return Prefetch(
        "role_assignments",
        queryset=RoleAssignment.objects.select_related("agency", "region", "party").order_by("role", "id"),
    )


@login_required
@require_GET
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """用户 — search by name or login, filter by role, agency and 启用/停用; keyset paging."""
    _require(request)
    q = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    state = request.GET.get("state", "")
    state = state if state in dict(STATES) else ""
    agencies = list(selectors.agencies_for_assignment(request.user).only("id", "name"))
    agency_id = _int(request.GET.get("agency", ""))
    if agency_id not in {a.id for a in agencies}:
        agency_id = None
    qs = selectors.user_search(request.user, q, role=role, agency_id=agency_id, state=state)
    page = keyset_page(qs.prefetch_related(_assignments()), request, descending=False)
    return _list_response(
        request,
        "sysadmin/user_list.html",
        "sysadmin/_user_table.html",
        {
            "page": page,
            "q": q,
            "role": role,
            "state": state,
            "agency_id": agency_id,
            "roles": Role.choices,
            "states": STATES,
            "agencies": agencies,
        },
    )


def _scoped_user(request: AuthenticatedHttpRequest, pk: int) -> User:
    _require(request)
    return get_object_or_404(selectors.users_in_scope(request.user).prefetch_related(_assignments()), pk=pk)


def _user_page(
    request: AuthenticatedHttpRequest,
    user: User,
    *,
    grant_form: RoleGrantForm | None = None,
    qualification_form: LegalQualificationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    officer = getattr(user, "officer", None) if hasattr(user, "officer") else None
    qualification = LegalQualification.objects.filter(user=user).first()
    return render(
        request,
        "sysadmin/user_detail.html",
        {
            "u": user,
            "officer": officer,
            "assignments": list(user.role_assignments.all()),
            "tokens": list(ApiToken.objects.filter(user=user).order_by("-id")),
            "locked": selectors.is_locked(user.username),
            "grant_form": grant_form or RoleGrantForm(actor=request.user),
            "is_self": user.pk == request.user.pk,
            "qualification": qualification,
            "is_reviewer": any(a.role == Role.LEGAL_REVIEWER for a in user.role_assignments.all()),
            "qualification_form": qualification_form
            or LegalQualificationForm(
                initial={
                    "certificate_number": qualification.certificate_number,
                    "obtained_on": qualification.obtained_on,
                }
                if qualification
                else None
            ),
        },
        status=status,
    )


@login_required
@require_GET
def user_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _user_page(request, _scoped_user(request, pk))


@login_required
@require_POST
def user_set_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """停用 / 启用 (``services.account_set_active``)."""
    user = _scoped_user(request, pk)
    active = request.POST.get("active") == "1"
    services.account_set_active(actor=request.user, user=user, active=active)
    messages.success(request, f"已{'启用' if active else '停用'}账号“{user.display_name}”。")
    return redirect("sysadmin:user_detail", pk=user.pk)


@login_required
@require_POST
def user_role_grant(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """分配角色 (``services.role_grant``); a refusal goes back beside its field with 422."""
    user = _scoped_user(request, pk)
    form = RoleGrantForm(request.POST, actor=request.user)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.role_grant(
                actor=request.user,
                user=user,
                role=data["role"],
                scope=data["scope"],
                agency=data["agency"],
                region=data["region"],
            )
        except DomainError as exc:  # a scope refusal too: on the form, with its 403
            add_domain_error(form, exc)
            status = exc.status if exc.status == 403 else 422
        else:
            messages.success(request, "角色已分配。")
            return redirect("sysadmin:user_detail", pk=user.pk)
    return _user_page(request, user, grant_form=form, status=status)


@login_required
@require_POST
def user_role_remove(request: AuthenticatedHttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    user = _scoped_user(request, pk)
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user"), pk=assignment_pk, user=user)
    services.role_remove(actor=request.user, assignment=assignment)
    messages.success(request, "角色已撤销。")
    return redirect("sysadmin:user_detail", pk=user.pk)


@login_required
@require_POST
def user_qualification(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """登记法律职业资格 (``services.legal_qualification_record``, 行政处罚法 第五十八条第二款); a refusal goes back
    beside its field with 422."""
    user = _scoped_user(request, pk)
    form = LegalQualificationForm(request.POST)
    if form.is_valid():
        try:
            services.legal_qualification_record(actor=request.user, user=user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记“{user.display_name}”的法律职业资格。")
            return redirect("sysadmin:user_detail", pk=user.pk)
    return _user_page(request, user, qualification_form=form, status=422)


@login_required
@require_POST
def user_unlock(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """解除锁定 (``services.account_unlock``); back to the page the button was on."""
    user = _scoped_user(request, pk)
    services.account_unlock(actor=request.user, user=user)
    messages.success(request, f"已解除账号“{user.display_name}”的锁定。")
    if request.POST.get("next") == "lockouts":
        return redirect("sysadmin:lockout_list")
    return redirect("sysadmin:user_detail", pk=user.pk)


@login_required
@require_GET
def lockout_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """锁定账号 — locked now, with the last failure's time, the failures and when the lock lapses."""
    _require(request)
    return render(
        request, "sysadmin/lockout_list.html", {"lockouts": selectors.locked_accounts(request.user)}
    )


@login_required
@require_GET
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """API 令牌 — owner, purpose, created, last used, state; never the key."""
    _require(request)
    state = request.GET.get("state", "")
    state = state if state in dict(TOKEN_STATES) else ""
    page = keyset_page(selectors.tokens_in_scope(request.user, state=state), request, descending=True)
    return _list_response(
        request,
        "sysadmin/token_list.html",
        "sysadmin/_token_table.html",
        {"page": page, "state": state, "states": TOKEN_STATES, "q": ""},
    )


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request)
    token = get_object_or_404(selectors.tokens_in_scope(request.user), pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, f"已吊销“{token.user.display_name}”的令牌“{token.name}”。")
    if request.POST.get("next") == "user":
        return redirect("sysadmin:user_detail", pk=token.user_id)
    return redirect("sysadmin:token_list")


# --- holiday schedule -----------------------------------------------------------------------------------------


def _year(request: HttpRequest, raw: str | None = None) -> int:
    this_year = clock.today().year
    value = _int(raw if raw is not None else request.GET.get("year", ""))
    return value if value is not None and this_year - 5 <= value <= this_year + 5 else this_year + 1


def _holiday_page(
    request: HttpRequest,
    year: int,
    *,
    day_form: HolidayDayForm | None = None,
    confirm_form: HolidayConfirmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    this_year = clock.today().year
    schedule = selectors.schedule_year(year)
    return render(
        request,
        "sysadmin/holidays.html",
        {
            "year": year,
            "schedule": schedule,
            "years": [selectors.schedule_year(y) for y in (this_year, this_year + 1)],
            "days": list(WorkingDayOverride.objects.filter(date__year=year).order_by("date")),
            "may_edit": may_manage_holidays(request.user) and schedule.source != "confirmed",
            "may_confirm": may_manage_holidays(request.user) and schedule.source == "unconfirmed",
            "day_form": day_form or HolidayDayForm(initial={"date": dt.date(year, 1, 1)}),
            "confirm_form": confirm_form or HolidayConfirmForm(),
        },
        status=status,
    )


@login_required
@require_GET
def holidays(request: AuthenticatedHttpRequest) -> HttpResponse:
    """节假日调休安排 — per year: from chinese-calendar, or entered and confirmed by an administrator."""
    _require(request)
    return _holiday_page(request, _year(request))


@login_required
@require_POST
def holiday_day_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    form = HolidayDayForm(request.POST)
    year = _year(request, request.POST.get("year", ""))
    if form.is_valid():
        data = form.cleaned_data
        year = data["date"].year
        try:
            services.holiday_day_set(
                actor=request.user,
                on=data["date"],
                is_working_day=data["kind"] == "working",
                note=data["note"],
            )
        except DomainError as exc:
            if exc.status == 403:
                raise
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已录入 {data['date']:%Y-%m-%d}。")
            return redirect(f"{reverse('sysadmin:holidays')}?year={year}")
    return _holiday_page(request, year, day_form=form, status=422)


@login_required
@require_POST
def holiday_day_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request)
    row = get_object_or_404(WorkingDayOverride, pk=pk)
    services.holiday_day_remove(actor=request.user, row=row)
    messages.success(request, f"已删除 {row.date:%Y-%m-%d}。")
    return redirect(f"{reverse('sysadmin:holidays')}?year={row.date.year}")


@login_required
@require_POST
def holiday_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    year = _year(request, request.POST.get("year", ""))
    form = HolidayConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.holiday_year_confirm(actor=request.user, year=year, basis=form.cleaned_data["basis"])
        except DomainError as exc:
            if exc.status == 403:
                raise
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已确认 {year} 年的节假日安排。")
            return redirect(f"{reverse('sysadmin:holidays')}?year={year}")
    return _holiday_page(request, year, confirm_form=form, status=422)


@login_required
@require_GET
def job_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """后台任务 — each periodic job of ``zhifa worker``: interval, last run, result or error, next run."""
    _require(request)
    return render(request, "sysadmin/job_list.html", {"statuses": jobs.job_statuses()})
