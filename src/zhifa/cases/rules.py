"""Case actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up.

These actions are kept out of ``zhifa.org.permissions.ACTIONS`` (org's own tuple); the cases permission
matrix test (``tests/test_permission_matrix.py``) covers every role × scope × these actions × a case.
"""

from __future__ import annotations

from zhifa.org import permissions as perms
from zhifa.org.models import Role

VIEW_CASE = "cases.view_case"
OPEN_CASE = "cases.open_case"  # register a case source (案源), open (立案) or not open it
INVESTIGATE = "cases.investigate"  # investigation, rights notice, hearing, service, payment (承办)
DECIDE = "cases.decide"  # 机关负责人: decide, not punish, transfer, collective discussion
APPROVE = "cases.approve"  # 机关负责人 approvals: extensions, seizure extension, close, withdraw
LEGAL_REVIEW = "cases.legal_review"  # 法制审核 opinion
COMPEL = "cases.compel"  # 行政强制: seizure, release, demand (催告), court application

ACTIONS: tuple[str, ...] = (VIEW_CASE, OPEN_CASE, INVESTIGATE, DECIDE, APPROVE, LEGAL_REVIEW, COMPEL)

# 案件权限 — officers handle cases of their agency; the agency head decides and approves; legal reviewers
# write review opinions; supervisors read every case of their region.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW_CASE, OPEN_CASE, INVESTIGATE, COMPEL}),
    Role.AGENCY_HEAD: frozenset({VIEW_CASE, OPEN_CASE, INVESTIGATE, DECIDE, APPROVE, COMPEL}),
    Role.LEGAL_REVIEWER: frozenset({VIEW_CASE, LEGAL_REVIEW}),
    Role.SUPERVISOR: frozenset({VIEW_CASE}),
    Role.ADMIN: frozenset(ACTIONS),
}


def register_permissions() -> None:
    from zhifa.cases.models import Case, Seizure

    scope = perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    perms.register_scope(Case, scope)
    perms.register_scope(
        Seizure, perms.ScopeLookup(agency_path="case__agency__path", region_path="case__agency__region__path")
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
