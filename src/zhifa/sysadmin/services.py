"""Writes of 系统管理. Each checks that the actor manages the account it names, writes in one transaction and
appends the change to the tamper-evident record (zhifa.records)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.models import AccessAttempt
from django.db import IntegrityError

from zhifa.core import clock
from zhifa.core.audit import audit
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.core.models import AuditEvent, HolidayScheduleYear, WorkingDayOverride
from zhifa.core.transactions import flush_denial_audit, service
from zhifa.core.workdays import package_knows
from zhifa.org import permissions as perms
from zhifa.org.models import (
    Agency,
    ApiToken,
    LegalQualification,
    Region,
    Role,
    RoleAssignment,
    ScopeKind,
    TokenRevokeReason,
    User,
)
from zhifa.org.tokens import active_tokens
from zhifa.records.services import record_append
from zhifa.sysadmin import selectors
from zhifa.sysadmin.rules import MANAGE_HOLIDAYS, MANAGE_USERS, may_manage_holidays


def _denied(actor: User, obj: Any) -> PermissionDenied:
    exc = PermissionDenied(
        "该账号不在您的管理范围内。", "This account is outside your scope.", code="permission_denied"
    )
    exc.pending_audit = (actor, MANAGE_USERS, obj, None)  # type: ignore[attr-defined]
    flush_denial_audit(exc)
    return exc


def _require_manages(actor: User, user: User) -> None:
    perms.require(actor, MANAGE_USERS)
    if not selectors.user_in_scope(actor, user):
        raise _denied(actor, user)


@service
def account_unlock(*, actor: User, user: User) -> int:
    """解除锁定 — clear the failed-login counters of a locked account; returns the failures cleared."""

    _require_manages(actor, user)
    if not selectors.is_locked(user.username):
        raise RuleViolation("该账号当前未被锁定。", "The account is not locked.", code="not_locked")
    attempts = AccessAttempt.objects.filter(username=user.username)
    failures = sum(a.failures_since_start for a in attempts)
    attempts.delete()
    record_append(actor=actor, action="account.unlock", obj=user, changes={"failures": failures})
    audit(AuditEvent.ACCOUNT_UNLOCKED, user=actor, detail=f"{user.username}（{failures} 次失败）")
    return failures


@service
def account_set_active(*, actor: User, user: User, active: bool) -> User:
    """停用 / 启用 an account; a disabled account can neither log in nor use its API tokens."""
    _require_manages(actor, user)
    if user.pk == actor.pk:
        raise RuleViolation("不能停用或启用自己的账号。", "You cannot change your own account.", code="self")
    if user.is_active == active:
        raise RuleViolation(
            "该账号已是启用状态。" if active else "该账号已是停用状态。",
            "The account is already in that state.",
            code="unchanged",
        )
    user.is_active = active
    user.save(update_fields=["is_active"])
    changes: dict[str, Any] = {"is_active": [not active, active]}
    if not active:
        # A disabled account's tokens are revoked, not merely refused: enabling it again revives none.
        revoked = _revoke_tokens_of(user, TokenRevokeReason.DISABLED)
        if revoked:
            changes["tokens_revoked"] = revoked
    record_append(
        actor=actor,
        action="account.enable" if active else "account.disable",
        obj=user,
        changes=changes,
    )
    audit(
        AuditEvent.ACCOUNT_ENABLED if active else AuditEvent.ACCOUNT_DISABLED,
        user=actor,
        detail=user.username,
    )
    return user


# Which data scopes each role may be given: an enterprise user sees only its own party.
_SCOPES_FOR_ROLE: dict[str, frozenset[str]] = {
    Role.ENTERPRISE: frozenset({ScopeKind.PARTY}),
    # 外聘评查人员: the region whose evaluation panels may take them (zhifa.evaluation.panel)
    Role.EVALUATOR: frozenset({ScopeKind.REGION}),
    **{
        role: frozenset({ScopeKind.OWN_AGENCY, ScopeKind.AGENCY_TREE, ScopeKind.REGION})
        for role in (Role.OFFICER, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD, Role.SUPERVISOR, Role.ADMIN)
    },
}


@service
def role_grant(
    *,
    actor: User,
    user: User,
    role: str,
    scope: str,
    agency: Agency | None = None,
    region: Region | None = None,
) -> RoleAssignment:
    """分配角色 — one role with its data scope; the account and the scope must both lie inside the actor's."""
    _require_manages(actor, user)
    if role not in Role.values:
        raise InvalidInput("请选择角色。", "Choose a role.", field="role")
    if scope not in _SCOPES_FOR_ROLE.get(role, frozenset()):
        raise InvalidInput(
            "该角色不能使用所选的数据范围。", "That scope does not fit the role.", field="scope"
        )
    if scope == ScopeKind.REGION:
        if region is None:
            raise InvalidInput("请选择区域。", "Choose a region.", field="region")
        agency = None
    else:
        if agency is None:
            raise InvalidInput("请选择机关。", "Choose an agency.", field="agency")
        region = None
    assignment = RoleAssignment(user=user, role=role, scope=scope, agency=agency, region=region)
    if not selectors.assignment_in_scope(actor, assignment):
        raise _denied(actor, user)
    if RoleAssignment.objects.filter(
        user=user, role=role, scope=scope, agency=agency, region=region, party=None
    ).exists():
        raise RuleViolation(
            "该用户已有相同的角色和数据范围。", "The same assignment exists.", code="duplicate"
        )
    try:
        assignment.save()
    except IntegrityError as exc:  # a concurrent identical grant
        raise RuleViolation("该用户已有相同的角色和数据范围。", "The same assignment exists.") from exc
    record_append(
        actor=actor,
        action="account.role_grant",
        obj=user,
        changes={
            "role": role,
            "scope": scope,
            "agency_id": agency.pk if agency else None,
            "region_id": region.pk if region else None,
        },
    )
    audit(AuditEvent.ROLE_CHANGED, user=actor, detail=f"{user.username} 分配 {assignment.get_role_display()}")
    return assignment


@service
def role_remove(*, actor: User, assignment: RoleAssignment) -> None:
    """撤销角色 — remove one role assignment; an account keeps at least one, and nobody drops their own admin."""
    user = assignment.user
    _require_manages(actor, user)
    if user.pk == actor.pk and assignment.role == Role.ADMIN:
        raise RuleViolation(
            "不能撤销自己的系统管理员角色。", "You cannot remove your own admin role.", code="self"
        )
    if RoleAssignment.objects.filter(user=user).count() <= 1:
        raise RuleViolation(
            "这是该账号唯一的角色：请先分配新角色，或停用账号。",
            "This is the account's only role.",
            code="last_role",
        )
    changes = {
        "role": assignment.role,
        "scope": assignment.scope,
        "agency_id": assignment.agency_id,
        "region_id": assignment.region_id,
    }
    assignment.delete()
    record_append(actor=actor, action="account.role_remove", obj=user, changes=changes)
    audit(AuditEvent.ROLE_CHANGED, user=actor, detail=f"{user.username} 撤销 {assignment.get_role_display()}")


@service
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """吊销 API 令牌 — from now on the key is refused; the row stays for the record.

    The token's owner may revoke it; anyone else must manage the owner's account."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    own = token.user_id == getattr(actor, "pk", None)
    if not own:
        _require_manages(actor, token.user)
    if token.revoked:
        raise RuleViolation("该令牌已吊销。", "The token is already revoked.", code="already_revoked")
    token.revoked = True
    token.revoked_at = clock.now()
    token.revoked_reason = TokenRevokeReason.OWNER if own else TokenRevokeReason.ADMIN
    token.save(update_fields=["revoked", "revoked_at", "revoked_reason"])
    record_append(
        actor=actor,
        action="api_token.revoke",
        obj=token,
        changes={"user_id": token.user_id, "name": token.name, "revoked": [False, True]},
    )
    audit(AuditEvent.TOKEN_REVOKED, user=actor, detail=f"{token.user.username} 的令牌“{token.name}”")
    return token


def _revoke_tokens_of(user: User, reason: str) -> int:
    """Revoke every still-usable token of ``user``; the caller records it. Returns how many."""
    ids = list(active_tokens(user).select_for_update().values_list("pk", flat=True))
    if ids:
        ApiToken.objects.filter(pk__in=ids).update(
            revoked=True, revoked_at=clock.now(), revoked_reason=reason
        )
    return len(ids)


@service
def tokens_revoke_all(*, user: User, reason: str, actor: User | None = None) -> int:
    """吊销某账号的全部 API 令牌 — when its password changes or it is locked out (``zhifa.sysadmin.signals``).

    No permission check: nobody asks for it, the account's own event causes it. Writes nothing (no ledger
    entry) when the account holds no usable token. Returns how many were revoked."""
    revoked = _revoke_tokens_of(user, reason)
    if revoked:
        record_append(
            actor=actor,
            action="api_token.revoke_all",
            obj=user,
            changes={"reason": reason, "tokens_revoked": revoked},
        )
        audit(
            AuditEvent.TOKEN_REVOKED,
            user=actor,
            username=user.username,
            detail=f"{user.username} 的全部令牌（{TokenRevokeReason(reason).label}，{revoked} 个）",
        )
    return revoked


# --- holiday schedule -------------------------------------------------------------------------------------------


def _require_holidays(actor: User) -> None:
    if not may_manage_holidays(actor):
        exc = PermissionDenied(
            "节假日安排全国统一，仅省级系统管理员可以录入和确认。",
            "Only a province-level administrator may enter the holiday schedule.",
            code="permission_denied",
        )
        exc.pending_audit = (actor, MANAGE_HOLIDAYS, None, None)  # type: ignore[attr-defined]
        flush_denial_audit(exc)
        raise exc


def _refuse_confirmed(year: int) -> None:
    if HolidayScheduleYear.objects.filter(year=year).exists():
        raise RuleViolation(
            f"{year} 年的节假日安排已确认，不能再修改。",
            f"The {year} schedule is confirmed and cannot change.",
            code="holiday_year_confirmed",
            field="date",
        )


@service
def holiday_day_set(*, actor: User, on: dt.date, is_working_day: bool, note: str) -> WorkingDayOverride:
    """录入一天 — a statutory holiday on a weekday, or a working weekend (调休上班)."""
    _require_holidays(actor)
    _refuse_confirmed(on.year)
    note = note.strip()
    if len(note) > 100:
        raise InvalidInput("说明最多 100 字。", "The note is at most 100 characters.", field="note")
    row, created = WorkingDayOverride.objects.get_or_create(
        date=on, defaults={"is_working_day": is_working_day, "note": note}
    )
    if not created:
        row.is_working_day, row.note = is_working_day, note
        row.save(update_fields=["is_working_day", "note"])
    record_append(
        actor=actor,
        action="holiday.day_set",
        obj=row,
        changes={"date": on, "is_working_day": is_working_day, "note": note},
    )
    return row


@service
def holiday_day_remove(*, actor: User, row: WorkingDayOverride) -> None:
    _require_holidays(actor)
    _refuse_confirmed(row.date.year)
    record_append(
        actor=actor,
        action="holiday.day_remove",
        obj=row,
        changes={"date": row.date, "is_working_day": row.is_working_day},
    )
    row.delete()


@service
def holiday_year_confirm(*, actor: User, year: int, basis: str) -> HolidayScheduleYear:
    """确认 — the entered rows are the year's whole schedule; from now on deadlines in it are counted."""

    _require_holidays(actor)
    if package_knows(year):
        raise RuleViolation(
            f"{year} 年的放假安排已随国务院通知收录，无须确认。",
            f"{year} is known from chinese-calendar.",
            code="holiday_year_known",
        )
    _refuse_confirmed(year)
    days = WorkingDayOverride.objects.filter(date__year=year).count()
    if not days:
        raise RuleViolation(
            f"请先录入 {year} 年的法定节假日和调休上班日，再确认。",
            f"Enter the {year} schedule before confirming it.",
            code="holiday_year_empty",
        )
    basis = basis.strip()
    if not basis:
        raise InvalidInput("请填写依据（国务院办公厅通知的文号）。", "Give the basis.", field="basis")
    if len(basis) > 200:
        raise InvalidInput("依据最多 200 字。", "The basis is at most 200 characters.", field="basis")
    confirmation = HolidayScheduleYear.objects.create(year=year, confirmed_by=actor, basis=basis)
    record_append(
        actor=actor,
        action="holiday.confirm",
        obj=confirmation,
        changes={"year": year, "days": days, "basis": basis},
    )
    return confirmation


@service
def legal_qualification_record(
    *, actor: User, user: User, certificate_number: str, obtained_on: dt.date
) -> Any:
    """登记法律职业资格 — the certificate of a legal reviewer (行政处罚法 第五十八条第二款: 初次从事行政处罚决定法制审核
    的人员，应当通过国家统一法律职业资格考试取得法律职业资格); entered again, it corrects the record."""

    _require_manages(actor, user)
    number = (certificate_number or "").strip()
    if not number or len(number) > 40:
        raise InvalidInput(
            "请填写法律职业资格证书编号（至多 40 字）。",
            "Enter the certificate number (at most 40 characters).",
            field="certificate_number",
        )
    if obtained_on > clock.today():
        raise InvalidInput("取得日期不能晚于今天。", "The date is in the future.", field="obtained_on")
    row, created = LegalQualification.objects.update_or_create(
        user=user,
        defaults={"certificate_number": number, "obtained_on": obtained_on, "recorded_by": actor},
    )
    record_append(
        actor=actor,
        action="account.legal_qualification",
        obj=user,
        changes={"certificate_number": number, "obtained_on": obtained_on.isoformat(), "new": created},
    )
    return row
