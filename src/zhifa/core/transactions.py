"""The transaction wrapper every service uses, and durable auditing of permission denials.

A denial raised inside a service's transaction would be rolled back with it — and with it the audit row.
``require`` therefore writes the audit row at once only when no transaction is open; otherwise it attaches
the row to the exception, and ``service`` (or the API/page error handler) writes it after the rollback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")


def in_transaction() -> bool:
    """Is a transaction open that a rollback could undo? (A test case's own wrapping block does not count,
    as with Django's ``durable`` check.)"""
    connection = transaction.get_connection()
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def flush_denial_audit(exc: BaseException) -> None:
    """Write the audit row a ``PermissionDenied`` carries, once, when no transaction would roll it back."""
    pending = getattr(exc, "pending_audit", None)
    if pending is None or in_transaction():
        return
    from zhifa.core.audit import audit_permission_denied

    exc.pending_audit = None  # type: ignore[attr-defined]
    user, action, obj, request = pending
    audit_permission_denied(user, action, obj, request=request)


def service(func: Callable[P, R]) -> Callable[P, R]:
    """Run a state change in one transaction; audit a permission denial after the rollback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from zhifa.core.errors import PermissionDenied

        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except PermissionDenied as exc:
            flush_denial_audit(exc)
            raise

    return wrapper
