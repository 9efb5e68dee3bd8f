"""Reads of 系统管理: the accounts, lockouts and API tokens inside the administrator's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, QuerySet, Sum
from django.utils import timezone

from zhifa.core import clock
from zhifa.core.models import HolidayScheduleYear, WorkingDayOverride
from zhifa.core.workdays import package_knows
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, ApiToken, Region, RoleAssignment, ScopeKind, User
from zhifa.org.tokens import usable
from zhifa.records import signing
from zhifa.records.selectors import latest_signed_head, ledger_size
from zhifa.sysadmin.rules import MANAGE_USERS


def _assignment_q(actor: User) -> Q | None:
    """The role assignments (``RoleAssignment`` rows) that lie inside the actor's administrative scopes."""
    conditions: list[Q] = []
    for grant in perms.grants(actor):
        if MANAGE_USERS not in perms.ROLE_ACTIONS.get(grant.role, frozenset()):
            continue
        if grant.scope == ScopeKind.REGION:
            path = grant.region_path
            conditions.append(
                Q(agency__region__path__startswith=path)
                | Q(region__path__startswith=path)
                | Q(party__region_path__startswith=path)
            )
        elif grant.scope == ScopeKind.AGENCY_TREE:
            conditions.append(Q(agency__path__startswith=grant.agency_path))
        elif grant.scope == ScopeKind.OWN_AGENCY:
            conditions.append(Q(agency__path=grant.agency_path))
    return reduce(or_, conditions) if conditions else None


def users_in_scope(actor: User) -> QuerySet[User]:
    """用户 the actor manages: at least one role assignment, and every one inside the actor's scopes."""
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return User.objects.all()
    q = _assignment_q(actor)
    if q is None or not perms.can(actor, MANAGE_USERS):
        return User.objects.none()
    inside = RoleAssignment.objects.filter(q).values("user_id")
    outside = RoleAssignment.objects.exclude(q).values("user_id")
    return User.objects.filter(id__in=inside, is_superuser=False).exclude(id__in=outside)


def user_in_scope(actor: User, user: User) -> bool:
    return users_in_scope(actor).filter(pk=user.pk).exists()


def assignment_in_scope(actor: User, assignment: RoleAssignment) -> bool:
    """Would a (possibly unsaved) assignment lie inside the actor's scopes?"""
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return True
    if not perms.can(actor, MANAGE_USERS):
        return False
    for grant in perms.grants(actor):
        if MANAGE_USERS not in perms.ROLE_ACTIONS.get(grant.role, frozenset()):
            continue
        agency, region, party = assignment.agency, assignment.region, assignment.party
        if grant.scope == ScopeKind.REGION:
            path = (
                agency.region.path
                if agency is not None
                else region.path
                if region is not None
                else party.region_path
                if party is not None
                else None
            )
            if path is not None and path.startswith(grant.region_path or "\x00"):
                return True
        elif grant.scope == ScopeKind.AGENCY_TREE and agency is not None:
            if agency.path.startswith(grant.agency_path or "\x00"):
                return True
        elif (
            grant.scope == ScopeKind.OWN_AGENCY
            and agency is not None
            and agency.path == grant.agency_path
            and assignment.scope
            == ScopeKind.OWN_AGENCY  # not its subordinates, which the actor does not manage
        ):
            return True
    return False


def user_search(
    actor: User, q: str = "", *, role: str = "", agency_id: int | None = None, state: str = ""
) -> QuerySet[User]:
    """The users list: name or login fragment, role, agency and 启用/停用 filters (keyset paged by id)."""
    qs = users_in_scope(actor)
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(username__icontains=q))
    if role:
        qs = qs.filter(id__in=RoleAssignment.objects.filter(role=role).values("user_id"))
    if agency_id:
        qs = qs.filter(id__in=RoleAssignment.objects.filter(agency_id=agency_id).values("user_id"))
    if state == "active":
        qs = qs.filter(is_active=True)
    elif state == "disabled":
        qs = qs.filter(is_active=False)
    return qs


def agencies_for_assignment(actor: User) -> QuerySet[Agency]:
    return perms.scoped(actor, perms.VIEW_AGENCY, Agency.objects.filter(is_active=True)).order_by(
        "region__code", "name"
    )


def regions_for_assignment(actor: User) -> QuerySet[Region]:
    """Regions a region-wide role may be given in: inside the actor's own region scopes (an agency-scoped
    administrator gives none)."""
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return Region.objects.order_by("code")
    paths = [
        g.region_path
        for g in perms.grants(actor)
        if g.scope == ScopeKind.REGION and MANAGE_USERS in perms.ROLE_ACTIONS.get(g.role, frozenset())
    ]
    if not paths:
        return Region.objects.none()
    return Region.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths))).order_by("code")


# --- lockouts (django-axes) -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lockout:
    """One locked account: how many failures, how long ago the last one was, and when the lock lapses.

    django-axes stamps attempts with the wall clock, not the platform's business clock (which a test or a
    demo may set to another day), so the page shows durations measured on axes' clock, never its instants.
    """

    username: str
    user: User | None
    failures: int
    minutes_ago: int
    minutes_left: int

    @property
    def ago_text(self) -> str:
        return f"{self.minutes_ago} 分钟前" if self.minutes_ago else "刚刚"

    @property
    def left_text(self) -> str:
        return f"{self.minutes_left} 分钟后" if self.minutes_left else "1 分钟内"


def _axes_now() -> dt.datetime:
    # django-axes stamps attempts with the wall clock and decides a lock by it; the page must agree with it.
    return timezone.now()  # noqa: TID251 -- axes' own clock


def _cool_off_threshold() -> dt.datetime:
    return _axes_now() - settings.AXES_COOLOFF_TIME


def locked_accounts(actor: User, *, limit: int = 200) -> list[Lockout]:
    """Accounts locked now (``AXES_FAILURE_LIMIT`` failures within the cool-off), inside the actor's scope."""

    rows = list(
        AccessAttempt.objects.filter(attempt_time__gte=_cool_off_threshold(), username__isnull=False)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")[:limit]
    )
    users = {u.username: u for u in users_in_scope(actor).filter(username__in=[r["username"] for r in rows])}
    superuser = getattr(actor, "is_superuser", False)
    now = _axes_now()
    return [
        Lockout(
            username=r["username"],
            user=users.get(r["username"]),
            failures=r["failures"],
            minutes_ago=max(0, int((now - r["last"]).total_seconds() // 60)),
            minutes_left=max(0, int((r["last"] + settings.AXES_COOLOFF_TIME - now).total_seconds() // 60)),
        )
        for r in rows
        if r["username"] in users or superuser
    ]


def is_locked(username: str) -> bool:
    total = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=_cool_off_threshold()
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return (total or 0) >= settings.AXES_FAILURE_LIMIT


# --- API tokens ---------------------------------------------------------------------------------------------------


def tokens_in_scope(actor: User, *, state: str = "") -> QuerySet[ApiToken]:
    """API 令牌 of the accounts the actor manages (never the key: only its SHA-256 is stored)."""

    qs = ApiToken.objects.filter(user__in=users_in_scope(actor)).select_related("user")
    if state == "active":
        qs = qs.filter(usable())
    elif state == "expired":
        qs = qs.filter(revoked=False, expires_at__lte=clock.now())
    elif state == "revoked":
        qs = qs.filter(revoked=True)
    return qs


# --- holiday schedule and ledger signing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleYear:
    """Whether working-day deadlines in ``year`` can be counted, and from what (the stack rule: a year
    chinese-calendar does not know counts only once an administrator entered and confirmed it whole)."""

    year: int
    source: str  # "package", "confirmed", "unconfirmed" (rows entered, not confirmed), "missing"
    entered_days: int
    confirmation: Any = None

    @property
    def known(self) -> bool:
        return self.source in ("package", "confirmed")

    @property
    def text(self) -> str:
        if self.source == "package":
            return "已收录国务院放假安排"
        if self.source == "confirmed":
            return f"管理员已录入并确认（{self.entered_days} 天）"
        if self.source == "unconfirmed":
            return f"已录入 {self.entered_days} 天，尚未确认：期限仍无法计算"
        return "缺失：该年按工作日计算的期限无法计算"


def schedule_year(year: int) -> ScheduleYear:
    entered = WorkingDayOverride.objects.filter(date__year=year).count()
    if package_knows(year):
        return ScheduleYear(year, "package", entered)
    confirmation = HolidayScheduleYear.objects.select_related("confirmed_by").filter(year=year).first()
    if confirmation is not None:
        return ScheduleYear(year, "confirmed", entered, confirmation)
    return ScheduleYear(year, "unconfirmed" if entered else "missing", entered)


@dataclass(frozen=True)
class SigningStatus:
    key_exists: bool
    fingerprint: str
    size: int
    latest_head: Any
    unsigned: int


def signing_status() -> SigningStatus:
    """The signing key and the newest signed tree head (cheap: no root is recomputed)."""

    key_exists = signing.key_path().exists()
    fingerprint = ""
    if key_exists:
        key = signing.load_signing_key()
        fingerprint = signing.key_fingerprint(key.public_key_raw)
    size = ledger_size()
    head = latest_signed_head()
    return SigningStatus(key_exists, fingerprint, size, head, size - head.tree_size if head else size)
