"""The transaction wrapper every service uses, and durable auditing of permission denials.

A denial raised inside a service's transaction would be rolled back with it — and with it the audit row.
``require`` therefore writes the audit row at once only when no transaction is open; otherwise it attaches
the row to the exception, and ``service`` (or the API/page error handler) writes it after the rollback.

``before_commit`` defers a write to the end of the outermost service, still inside its transaction: writes
to rows that every transaction updates (statistics counters) then hold their row locks only for the last
moment before the commit instead of for the whole service, so concurrent services queue behind each other
for less time. A deferred write that the transaction no longer needs is harmless only if it recomputes from
what is stored (as ``zhifa.stats.aggregates.sync`` does); it runs once per key however often it is asked.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any, ParamSpec, TypeVar

from django.db import transaction

from zhifa.core.audit import audit_permission_denied
from zhifa.core.errors import PermissionDenied

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

    exc.pending_audit = None  # type: ignore[attr-defined]
    user, action, obj, request = pending
    audit_permission_denied(user, action, obj, request=request)


def _state() -> Any:
    """The per-connection state of running services: their depth and the deferred writes (key -> fn)."""
    connection = transaction.get_connection()
    state = getattr(connection, "_zhifa_services", None)
    if state is None:
        state = connection._zhifa_services = {"depth": 0, "late": {}}
    return state


def before_commit(key: Hashable, fn: Callable[[], Any]) -> None:
    """Run ``fn`` at the end of the outermost running service, inside its transaction, once per ``key``.

    Outside a service (a script, a test writing rows directly) it runs at once.
    """
    state = _state()
    if state["depth"] == 0:
        fn()
        return
    state["late"].setdefault(key, fn)


def _run_late(state: dict[str, Any]) -> None:
    late: dict[Hashable, Callable[[], Any]] = state["late"]
    while late:  # a deferred write may defer another
        key = next(iter(late))
        late.pop(key)()


def service(func: Callable[P, R]) -> Callable[P, R]:
    """Run a state change in one transaction; audit a permission denial after the rollback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        state = _state()
        outermost = state["depth"] == 0
        state["depth"] += 1
        try:
            with transaction.atomic():
                result = func(*args, **kwargs)
                if outermost:
                    _run_late(state)
                return result
        except PermissionDenied as exc:
            flush_denial_audit(exc)
            raise
        finally:
            state["depth"] -= 1
            if outermost:
                state["late"].clear()

    return wrapper
