"""Who may read and edit the agency's service guides (服务指南) on the staff pages; the public pages need none.

谁执法谁公示: an agency's own staff keep its guides — the head and the legal office (法制机构, which drafts
them in practice). A supervisor reads them but does not write an agency's guide.
"""

from __future__ import annotations

from zhifa.guides.models import ServiceGuide
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Role

VIEW_GUIDE = "guides.view_guide"
EDIT_GUIDE = "guides.edit_guide"

ACTIONS: tuple[str, ...] = (VIEW_GUIDE, EDIT_GUIDE)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW_GUIDE}),
    Role.LEGAL_REVIEWER: frozenset({VIEW_GUIDE, EDIT_GUIDE}),
    Role.AGENCY_HEAD: frozenset({VIEW_GUIDE, EDIT_GUIDE}),
    Role.SUPERVISOR: frozenset({VIEW_GUIDE}),
    Role.ADMIN: frozenset(ACTIONS),
}


def register_permissions() -> None:
    perms.register_scope(
        ServiceGuide, perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)


def can_edit(user: object, agency: Agency) -> bool:
    """May ``user`` edit this agency's guides (scope checked on a guide of that agency)?"""
    return perms.can(user, EDIT_GUIDE, ServiceGuide(agency=agency))
