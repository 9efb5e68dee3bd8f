"""Complaint actions and which roles hold them.

Supervisors (司法局, REGION scope) receive, import and assign complaints of their region; agencies handle
(reply, register a case source) what they were assigned. A supervisor outside the region sees nothing.
"""

from __future__ import annotations

from zhifa.complaints.models import Complaint
from zhifa.org import permissions as perms
from zhifa.org.models import Role

VIEW = "complaints.view"
MANAGE = "complaints.manage"  # register, import 12345 work orders, assign, open a problem
HANDLE = "complaints.handle"  # reply, link to a case

ACTIONS: tuple[str, ...] = (VIEW, MANAGE, HANDLE)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW, HANDLE}),
    Role.AGENCY_HEAD: frozenset({VIEW, HANDLE}),
    Role.LEGAL_REVIEWER: frozenset({VIEW}),
    Role.SUPERVISOR: frozenset({VIEW, MANAGE}),
    Role.ADMIN: frozenset(ACTIONS),
}


def register_permissions() -> None:
    perms.register_scope(Complaint, perms.ScopeLookup(agency_path="agency__path", region_path="region_path"))
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
