"""Statistics actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up.

Supervisors (司法局) see the statistics of every agency in their region and run the assessment; an agency's
head and officers see their own agency's figures. Scope: ``Fact`` is placed by its agency (agency grants)
and its region path (region grants), so a region supervisor's query needs no join.
"""

from __future__ import annotations

from zhifa.org import permissions as perms
from zhifa.org.models import Role
from zhifa.stats import models as m

VIEW = "stats.view"  # dashboard, drill-down, exports, annual report
IMPORT_REMEDY = "stats.import_remedy"  # 复议、诉讼结果导入
MANAGE_ASSESSMENT = "stats.manage_assessment"  # 考评方案 and scoring

ACTIONS: tuple[str, ...] = (VIEW, IMPORT_REMEDY, MANAGE_ASSESSMENT)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW}),
    Role.AGENCY_HEAD: frozenset({VIEW}),
    Role.LEGAL_REVIEWER: frozenset({VIEW}),
    Role.SUPERVISOR: frozenset({VIEW, IMPORT_REMEDY, MANAGE_ASSESSMENT}),
    Role.ADMIN: frozenset(ACTIONS),
}


def register_permissions() -> None:
    perms.register_scope(m.Fact, perms.ScopeLookup(agency_path="agency__path", region_path="region_path"))
    perms.register_scope(
        m.RemedyCase, perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    )
    perms.register_scope(
        m.AssessmentScore, perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    )
    perms.register_scope(m.AssessmentScheme, perms.ScopeLookup(agency_path=None, region_path="region__path"))
    perms.register_scope(m.RemedyImport, perms.ScopeLookup(agency_path=None, region_path="region__path"))
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
