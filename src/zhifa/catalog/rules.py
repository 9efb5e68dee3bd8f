"""Catalog actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up.

The catalog and the four lists are public information (事前公开: 权责清单、四张清单), so every signed-in user
may read all of them; changing an agency's catalog belongs to its head and to administrators, within scope.
A lenient decision belongs to the officers of the case's agency (scoped by the case).
"""

from __future__ import annotations

from zhifa.catalog.models import CatalogItem, Confirmation, LenientDecision, LenientEntry
from zhifa.org import permissions as perms
from zhifa.org.models import Role

VIEW_CATALOG = "catalog.view"
MANAGE_CATALOG = "catalog.manage"  # add a version, repeal, import items and list entries
LENIENT_DECIDE = "catalog.lenient_decide"  # record whether a list entry applies to a case
VIEW_CONFIRMATION = "catalog.confirmation_view"  # 主体资格确认: see the requests and confirmations
REQUEST_CONFIRMATION = "catalog.confirmation_request"  # the agency asks the judicial bureau to confirm
DECIDE_CONFIRMATION = "catalog.confirmation_decide"  # the judicial bureau confirms or returns
REASSIGN_ITEM = (
    "catalog.reassign"  # 职责争议协调: the judicial bureau's decision moves an item to another agency
)

ACTIONS: tuple[str, ...] = (
    VIEW_CATALOG,
    MANAGE_CATALOG,
    LENIENT_DECIDE,
    VIEW_CONFIRMATION,
    REQUEST_CONFIRMATION,
    DECIDE_CONFIRMATION,
    REASSIGN_ITEM,
)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW_CATALOG, LENIENT_DECIDE, VIEW_CONFIRMATION}),
    Role.LEGAL_REVIEWER: frozenset({VIEW_CATALOG, VIEW_CONFIRMATION}),
    Role.AGENCY_HEAD: frozenset({VIEW_CATALOG, MANAGE_CATALOG, VIEW_CONFIRMATION, REQUEST_CONFIRMATION}),
    # The confirmation is the judicial bureau's own act: its supervisors decide, an administrator does not.
    Role.SUPERVISOR: frozenset({VIEW_CATALOG, VIEW_CONFIRMATION, DECIDE_CONFIRMATION, REASSIGN_ITEM}),
    Role.ADMIN: frozenset(set(ACTIONS) - {DECIDE_CONFIRMATION, REASSIGN_ITEM}),
    Role.ENTERPRISE: frozenset({VIEW_CATALOG}),
}


def register_permissions() -> None:
    perms.register_scope(
        CatalogItem, perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    )
    # A list issued by a region's government has no agency: only region-scoped grants reach it.
    perms.register_scope(
        LenientEntry, perms.ScopeLookup(agency_path="agency__path", region_path="region__path")
    )
    perms.register_scope(
        Confirmation, perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    )
    perms.register_scope(
        LenientDecision,
        perms.ScopeLookup(agency_path="case__agency__path", region_path="case__agency__region__path"),
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
