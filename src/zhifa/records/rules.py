"""Ledger page actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up."""

from __future__ import annotations

from zhifa.org import permissions as perms
from zhifa.org.models import Role

VIEW_LEDGER_STATUS = "records.view_ledger_status"
SIGN_LEDGER_HEAD = "records.sign_ledger_head"

ACTIONS: tuple[str, ...] = (VIEW_LEDGER_STATUS, SIGN_LEDGER_HEAD)

# 账本状态 — supervisors watch the ledger's health; administrators may also sign a head on demand.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.SUPERVISOR: frozenset({VIEW_LEDGER_STATUS}),
    Role.ADMIN: frozenset(ACTIONS),
}


def register_permissions() -> None:
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
