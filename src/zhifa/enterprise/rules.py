"""企业端 actions: only the enterprise role (scope of its party) uses its own area."""

from __future__ import annotations

from zhifa.org import permissions as perms
from zhifa.org.models import Role

USE = "enterprise.use"

ACTIONS: tuple[str, ...] = (USE,)


def register_permissions() -> None:
    perms.register_actions(Role.ENTERPRISE, {USE})
