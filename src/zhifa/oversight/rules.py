"""Oversight actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up.

The judicial bureau's supervisors (REGION scope) record 约谈, form 督查组, open 共性问题, decide 职责争议, record
问责 and decide 尽职免责 within their region; an agency head sees what concerns the agency and files a 职责争议;
an officer asks for a 尽职免责 determination of a case he handled.
"""

from __future__ import annotations

from zhifa.org import permissions as perms
from zhifa.org.models import Role
from zhifa.oversight import models as m

VIEW = "oversight.view"
OVERSEE = "oversight.oversee"  # 约谈、督查组、共性问题、协调决定、问责、免责认定
FILE_DISPUTE = "oversight.dispute_file"  # 提请职责争议协调
REQUEST_EXEMPTION = "oversight.exemption_request"  # 申请尽职免责认定

# The per-model view actions the record pages ask for (``<app>.view_<model>``, zhifa.records.timeline.view_action):
# whoever may view oversight records may view each kind, within the scope of that kind.
MODEL_VIEWS: tuple[str, ...] = tuple(
    f"oversight.view_{name}"
    for name in ("interview", "inspectionteam", "jointproblem", "dispute", "accountability", "exemption")
)

ACTIONS: tuple[str, ...] = (VIEW, OVERSEE, FILE_DISPUTE, REQUEST_EXEMPTION, *MODEL_VIEWS)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW, REQUEST_EXEMPTION}),
    Role.AGENCY_HEAD: frozenset({VIEW, FILE_DISPUTE}),
    Role.SUPERVISOR: frozenset({VIEW, OVERSEE, FILE_DISPUTE}),
    Role.ADMIN: frozenset({VIEW}),
}


def register_permissions() -> None:
    by_agency = perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    perms.register_scope(m.Interview, by_agency)
    perms.register_scope(m.Accountability, by_agency)
    perms.register_scope(m.InspectionTeam, perms.ScopeLookup(agency_path=None, region_path="region__path"))
    perms.register_scope(
        m.JointProblem, perms.ScopeLookup(agency_path="lead__path", region_path="region__path")
    )
    perms.register_scope(
        m.Dispute, perms.ScopeLookup(agency_path="applicant__path", region_path="region__path")
    )
    perms.register_scope(
        m.Exemption,
        perms.ScopeLookup(agency_path="officer__agency__path", region_path="officer__agency__region__path"),
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions | set(MODEL_VIEWS) if VIEW in actions else actions)
