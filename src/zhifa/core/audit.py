"""Writes to the append-only security audit log (logins, failures, lockouts, permission denials)."""

from __future__ import annotations

from typing import Any

from zhifa.core.models import AuditEvent, AuditLog


def client_ip(request: Any) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(event: str, *, user: Any = None, username: str = "", request: Any = None, detail: str = "") -> None:
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    AuditLog.objects.create(
        event=event,
        user_id=user.pk if authenticated else None,
        username=(username or (user.get_username() if authenticated else ""))[:150],
        ip_address=client_ip(request),
        path=(request.path if request is not None else "")[:300],
        detail=detail[:500],
    )


def audit_permission_denied(user: Any, action: str, obj: Any, *, request: Any = None) -> None:
    target = f"{type(obj).__name__}#{getattr(obj, 'pk', '')}" if obj is not None else "-"
    audit(AuditEvent.PERMISSION_DENIED, user=user, request=request, detail=f"{action} {target}")
