"""Evidence actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up."""

from __future__ import annotations

from zhifa.evidence.models import Evidence
from zhifa.org import permissions as perms
from zhifa.org.models import Role

VIEW_EVIDENCE = "evidence.view_evidence"
ADD_EVIDENCE = "evidence.add_evidence"
VIEW_ACCESS_HISTORY = "evidence.view_access_history"

ACTIONS: tuple[str, ...] = (VIEW_EVIDENCE, ADD_EVIDENCE, VIEW_ACCESS_HISTORY)

# 证据权限 — officers and heads record evidence for their agency; reviewers read it; supervisors read it and
# see who retrieved what (调阅监督) in their region.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW_EVIDENCE, ADD_EVIDENCE}),
    Role.AGENCY_HEAD: frozenset({VIEW_EVIDENCE, ADD_EVIDENCE}),
    Role.LEGAL_REVIEWER: frozenset({VIEW_EVIDENCE}),
    Role.SUPERVISOR: frozenset({VIEW_EVIDENCE, VIEW_ACCESS_HISTORY}),
    Role.ADMIN: frozenset(ACTIONS),
}


def register_permissions() -> None:
    perms.register_scope(
        Evidence, perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.ROLE_ACTIONS[role] = perms.ROLE_ACTIONS.get(role, frozenset()) | actions
