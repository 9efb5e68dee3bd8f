"""API tokens: created once (the key is shown once), stored as SHA-256, looked up by digest.

A token works until the first of: its expiry (``settings.API_TOKEN_DAYS`` after it is made, 90 by default),
its revocation (by its owner or an administrator: ``zhifa.sysadmin.services.token_revoke``), or the revocation
of all its owner's tokens when the password changes, the account is locked or it is disabled
(``zhifa.sysadmin.services.tokens_revoke_all``, called from the signals in ``zhifa.sysadmin.signals``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db.models import Q, QuerySet

from zhifa.core import clock
from zhifa.org.models import ApiToken, User

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def token_validity() -> dt.timedelta:
    return dt.timedelta(days=settings.API_TOKEN_DAYS)


def token_create(user: User, name: str) -> tuple[ApiToken, str]:
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:8],
        key_hash=_digest(key),
        expires_at=clock.now() + token_validity(),
    )
    return token, key


def usable(now: dt.datetime | None = None) -> Q:
    """Tokens a request may authenticate with: not revoked, not expired."""
    now = now or clock.now()
    return Q(revoked=False) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def active_tokens(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(usable(), user=user)


def user_for_token(key: str) -> User | None:
    now = clock.now()
    token = ApiToken.objects.select_related("user").filter(usable(now), key_hash=_digest(key)).first()
    if token is None or not token.user.is_active:
        return None
    # Written at most once a minute: a busy client's every request would otherwise be a write.
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
