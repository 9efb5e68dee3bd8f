"""Case-library actions: the bureau (supervisors) chooses and withdraws; staff read the library of their region
and the regions above it (a city's guiding case guides its counties)."""

from __future__ import annotations

from zhifa.caselib.models import LibraryCase
from zhifa.org import permissions as perms
from zhifa.org.models import Role

VIEW = "caselib.view"
MANAGE = "caselib.manage"

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW}),
    Role.LEGAL_REVIEWER: frozenset({VIEW}),
    Role.AGENCY_HEAD: frozenset({VIEW}),
    Role.SUPERVISOR: frozenset({VIEW, MANAGE}),
    Role.ADMIN: frozenset({VIEW, MANAGE}),
}


def register_permissions() -> None:
    # MANAGE: the choosing bureau's region (the case's agency lies in it); VIEW is widened in the selectors
    perms.register_scope(LibraryCase, perms.ScopeLookup(agency_path=None, region_path="region__path"))
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
