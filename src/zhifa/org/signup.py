"""企业注册码 — the one-time code an enterprise registers its own account with (自助注册).

* **Bound** to one party, **single use**, **expiring** after ``ZHIFA_ENTERPRISE_SIGNUP_CODE_DAYS`` (30) days.
* **Stored hashed**: the row keeps SHA-256 of the code only. The code itself is an HMAC (the platform's
  ``SECRET_KEY``, salt ``zhifa.org.signup``) over party, serial and issue time, so the pages that print it
  (the inspection code page, the notice of inspection, decisions) derive it again; a copy of the database
  alone gives nobody a code.
* **Printed** only while the party may still register: an enterprise (not a natural person) with fewer
  enterprise accounts than ``ZHIFA_ENTERPRISE_SIGNUP_MAX_ACCOUNTS`` (2).
* **Attempts** count against the party like a login against a username (django-axes' numbers:
  ``ZHIFA_LOGIN_FAILURE_LIMIT`` failures lock it for ``ZHIFA_LOGIN_LOCKOUT_MINUTES``); the sign-up POST is
  also under the per-IP login rate (``ZHIFA_LOGIN_IP_RATE``).

The account itself is created by ``zhifa.sysadmin.signup`` (it writes the ledger, which sits above org).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from zhifa.core import clock
from zhifa.core.env import env_int
from zhifa.org.models import EnterpriseSignupCode, Party, PartyKind, Role, RoleAssignment, ScopeKind

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read from paper and typed on a phone
CODE_LENGTH = 12


def code_days() -> int:
    return int(
        getattr(settings, "ZHIFA_ENTERPRISE_SIGNUP_CODE_DAYS", None)
        or env_int("ZHIFA_ENTERPRISE_SIGNUP_CODE_DAYS", 30)
    )


def max_accounts() -> int:
    override = getattr(settings, "ZHIFA_ENTERPRISE_SIGNUP_MAX_ACCOUNTS", None)
    if override is not None:
        return int(override)
    return env_int("ZHIFA_ENTERPRISE_SIGNUP_MAX_ACCOUNTS", 2)


def normalise(code: str) -> str:
    """What the enterprise typed, as stored: upper case, without spaces and dashes."""
    return "".join(ch for ch in code.upper() if ch not in " -\t")


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def _derive(party_id: int, serial: int, issued_at: dt.datetime) -> str:
    message = f"zhifa.org.signup|{party_id}|{serial}|{int(issued_at.timestamp())}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def formatted(code: str) -> str:
    """ABCD-EFGH-JKMN: in groups of four, as printed."""
    code = normalise(code)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def enterprise_accounts(party: Party) -> int:
    """How many active enterprise accounts act for the party."""
    return (
        RoleAssignment.objects.filter(
            role=Role.ENTERPRISE, scope=ScopeKind.PARTY, party=party, user__is_active=True
        )
        .values("user_id")
        .distinct()
        .count()
    )


def may_sign_up(party: Party) -> bool:
    return party.kind != PartyKind.NATURAL_PERSON and enterprise_accounts(party) < max_accounts()


@dataclass(frozen=True)
class PrintedCode:
    code: str  # formatted, ABCD-EFGH-JKMN
    expires_at: dt.datetime


def _current(party: Party, now: dt.datetime) -> EnterpriseSignupCode | None:
    return (
        EnterpriseSignupCode.objects.filter(party=party, used_at__isnull=True, expires_at__gt=now)
        .order_by("-serial")
        .first()
    )


def signup_code_print(party: Party, *, now: dt.datetime | None = None) -> PrintedCode | None:
    """The code to print for ``party`` now: its valid unused code, or a new one; None when it may not sign up.

    Issuing writes one row (the hash); printing the same code again writes nothing.
    """
    if not may_sign_up(party):
        return None
    now = now or clock.now()
    row = _current(party, now)
    if row is None:
        last = EnterpriseSignupCode.objects.filter(party=party).order_by("-serial").first()
        serial = (last.serial if last else 0) + 1
        issued_at = now.replace(microsecond=0)
        code = _derive(party.pk, serial, issued_at)
        try:
            with transaction.atomic():
                row = EnterpriseSignupCode.objects.create(
                    party=party,
                    serial=serial,
                    code_hash=code_hash(code),
                    issued_at=issued_at,
                    expires_at=issued_at + dt.timedelta(days=code_days()),
                    # a new code keeps the party's lock: printing one must not reset the count of attempts
                    failed_attempts=last.failed_attempts if last and last.used_at is None else 0,
                    locked_until=last.locked_until if last else None,
                )
        except IntegrityError:  # printed at the same moment elsewhere
            row = _current(party, now)
            if row is None:
                return None
    return PrintedCode(formatted(_derive(party.pk, row.serial, row.issued_at)), row.expires_at)


def locked_until(party: Party, now: dt.datetime) -> dt.datetime | None:
    """When the party's sign-up lock ends, if it is locked now."""
    row = EnterpriseSignupCode.objects.filter(party=party).order_by("-serial").first()
    if row is not None and row.locked_until is not None and row.locked_until > now:
        return row.locked_until
    return None


def attempt_failed(party: Party, now: dt.datetime) -> None:
    """Count a failed attempt against the party (its own transaction: the refusal itself writes nothing else);
    at the login failure limit the party is locked for the login lockout time."""
    row = EnterpriseSignupCode.objects.filter(party=party).order_by("-serial").first()
    if row is None:
        return
    with transaction.atomic():
        EnterpriseSignupCode.objects.filter(pk=row.pk).update(failed_attempts=F("failed_attempts") + 1)
        row.refresh_from_db(fields=["failed_attempts"])
        if row.failed_attempts >= settings.AXES_FAILURE_LIMIT:
            EnterpriseSignupCode.objects.filter(pk=row.pk).update(
                failed_attempts=0, locked_until=now + settings.AXES_COOLOFF_TIME
            )
