"""Writes to the append-only security audit log (logins, failures, lockouts, permission denials)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zhifa.core.models import AuditEvent, AuditLog

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    # Any user, or none: core sits below org, so it names Django's base class, not org.User.
    AnyUser = AbstractBaseUser | AnonymousUser | None


def client_ip(request: Any) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(
    event: str, *, user: AnyUser = None, username: str = "", request: Any = None, detail: str = ""
) -> None:
    known = user if user is not None and getattr(user, "is_authenticated", False) else None
    AuditLog.objects.create(
        event=event,
        user_id=known.pk if known is not None else None,
        username=(username or (known.get_username() if known is not None else ""))[:150],
        ip_address=client_ip(request),
        path=(request.path if request is not None else "")[:300],
        detail=detail[:500],
    )


def audit_permission_denied(user: AnyUser, action: str, obj: Any, *, request: Any = None) -> None:
    target = f"{type(obj).__name__}#{getattr(obj, 'pk', '')}" if obj is not None else "-"
    audit(AuditEvent.PERMISSION_DENIED, user=user, request=request, detail=f"{action} {target}")
