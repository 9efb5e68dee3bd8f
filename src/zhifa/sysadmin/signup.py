"""企业账号自助注册 — an enterprise makes its own account with its USCC and a one-time code (``zhifa.org.signup``).

``enterprise_signup`` is a plain function on purpose (like the check-in with a forged code): a wrong, used or
expired code is counted against the party in its own transaction before the refusal, so that the count
survives the refusal; everything else is refused with nothing written. The account is made in one
transaction with its role (企业用户, scope the party), the code marked used, and the ledger entry
``account.enterprise_signup``.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.core.validators import is_valid_uscc
from zhifa.org import signup
from zhifa.org.models import EnterpriseSignupCode, Party, Role, RoleAssignment, ScopeKind, User
from zhifa.records.services import record_append

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.@+-]{4,30}$")
PHONE_PATTERN = re.compile(r"^[0-9+\-]{7,20}$")


class TooManyAttempts(RuleViolation):
    status = 429
    code = "signup_locked"


def _locked(until: dt.datetime, now: dt.datetime) -> TooManyAttempts:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return TooManyAttempts(
        f"注册码错误次数过多，该企业的自助注册已锁定，请 {minutes} 分钟后再试。",
        f"Too many failed attempts; sign-up for this enterprise is locked for {minutes} minutes.",
    )


def _check_inputs(uscc: str, username: str, password: str, full_name: str, phone: str) -> None:
    if not is_valid_uscc(uscc):
        raise InvalidInput("统一社会信用代码无效：应为 18 位，且校验码正确。", "Invalid USCC.", field="uscc")
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput(
            "用户名应为 4–30 位字母、数字或 _ . @ + -。",
            "Username: 4-30 letters, digits or _ . @ + -.",
            field="username",
        )
    if not full_name.strip():
        raise InvalidInput("请填写联系人姓名。", "Contact name is required.", field="full_name")
    if not PHONE_PATTERN.match(phone):
        raise InvalidInput("请填写正确的联系电话。", "Enter a valid phone number.", field="phone")
    if not password:
        raise InvalidInput("请设置密码。", "Password is required.", field="password")


def enterprise_signup(
    *,
    uscc: str,
    code: str,
    username: str,
    password: str,
    full_name: str,
    phone: str,
    now: dt.datetime | None = None,
) -> User:
    """自助注册 — check the party, its lock and the code, then make the account (``_signup_write``)."""
    uscc, username, phone = uscc.strip().upper(), username.strip(), phone.strip()
    full_name = full_name.strip()
    _check_inputs(uscc, username, password, full_name, phone)
    now = now or clock.now()
    party = Party.objects.filter(uscc=uscc).first()
    if party is None:
        raise RuleViolation(
            "未找到该统一社会信用代码对应的企业，请核对；尚未登记的，请联系执法部门。",
            "No enterprise with this USCC is registered.",
            code="unknown_uscc",
            field="uscc",
        )
    until = signup.locked_until(party, now)
    if until is not None:
        raise _locked(until, now)
    if not signup.may_sign_up(party):
        raise RuleViolation(
            f"该企业已有 {signup.enterprise_accounts(party)} 个企业账号，达到自助注册上限"
            f"（{signup.max_accounts()} 个）；如需更多账号，请联系执法部门。",
            "The enterprise already has the maximum number of accounts.",
            code="signup_account_limit",
            field="uscc",
        )
    row = EnterpriseSignupCode.objects.filter(party=party, code_hash=signup.code_hash(code)).first()
    refusal: RuleViolation | None = None
    if row is None:
        refusal = RuleViolation(
            "注册码不正确，请核对检查码页面或检查通知书、决定书上打印的注册码。",
            "Wrong sign-up code.",
            code="signup_code_wrong",
            field="code",
        )
    elif row.used_at is not None:
        refusal = RuleViolation(
            "该注册码已被使用，每个注册码只能使用一次。",
            "The code has been used.",
            code="signup_code_used",
            field="code",
        )
    elif row.expires_at <= now:
        refusal = RuleViolation(
            "该注册码已过期，请在企业检查码页面查看新的注册码。",
            "The code has expired.",
            code="signup_code_expired",
            field="code",
        )
    if refusal is not None:
        signup.attempt_failed(party, now)
        until = signup.locked_until(party, now)
        if until is not None:
            raise _locked(until, now)
        raise refusal
    assert row is not None
    if User.objects.filter(username__iexact=username).exists():
        raise RuleViolation(
            "该用户名已被使用，请换一个。", "The username is taken.", code="username_taken", field="username"
        )
    candidate = User(username=username, full_name=full_name, phone=phone)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise InvalidInput(
            "密码不符合要求：" + "；".join(str(m) for m in exc.messages),
            "The password does not meet the rules.",
            code="weak_password",
            field="password",
        ) from None
    return _signup_write(party=party, row=row, candidate=candidate, password=password, now=now)


@service
def _signup_write(
    *, party: Party, row: EnterpriseSignupCode, candidate: User, password: str, now: dt.datetime
) -> User:
    row = EnterpriseSignupCode.objects.select_for_update().get(pk=row.pk)
    if row.used_at is not None:  # used by a concurrent sign-up a moment ago
        raise RuleViolation(
            "该注册码已被使用，每个注册码只能使用一次。",
            "The code has been used.",
            code="signup_code_used",
            field="code",
        )
    candidate.set_password(password)
    candidate.save()
    RoleAssignment.objects.create(user=candidate, role=Role.ENTERPRISE, scope=ScopeKind.PARTY, party=party)
    row.used_at, row.used_by, row.failed_attempts, row.locked_until = now, candidate, 0, None
    row.save(update_fields=["used_at", "used_by", "failed_attempts", "locked_until"])
    record_append(
        actor=candidate,
        action="account.enterprise_signup",
        obj=candidate,
        changes={"party": party.pk, "username": candidate.username, "code_serial": row.serial},
    )
    return candidate
