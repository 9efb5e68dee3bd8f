"""Supervision actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up.

Supervisors (司法局/司法所, REGION scope) supervise every agency of their region and nothing outside it; an
agency sees and answers what concerns it (problems, instruments, flags, 专项说明) and nothing of others.
"""

from __future__ import annotations

from zhifa.org import permissions as perms
from zhifa.org.models import Role
from zhifa.supervision import models as m

VIEW = "supervision.view"  # the queue, the problem ledger, instruments (agencies: their own)
SUPERVISE = "supervision.supervise"  # open/verify/close problems, handle flags, issue instruments, people
RECTIFY = "supervision.rectify"  # the agency's side: rectification, replies, 专项说明

ACTIONS: tuple[str, ...] = (VIEW, SUPERVISE, RECTIFY)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW, RECTIFY}),
    Role.AGENCY_HEAD: frozenset({VIEW, RECTIFY}),
    Role.LEGAL_REVIEWER: frozenset({VIEW}),
    Role.SUPERVISOR: frozenset({VIEW, SUPERVISE}),
    Role.ADMIN: frozenset(ACTIONS),
}


def register_permissions() -> None:
    by_agency = perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    for model in (m.Problem, m.Instrument, m.NoActStatement, m.ReturnVisit):
        perms.register_scope(model, by_agency)
    perms.register_scope(m.Flag, perms.ScopeLookup(agency_path="agency_path", region_path="region_path"))
    for model in (m.SocialSupervisor, m.LiaisonPoint, m.Questionnaire):
        perms.register_scope(model, perms.ScopeLookup(agency_path=None, region_path="region__path"))
    perms.register_scope(
        m.SupervisorTask, perms.ScopeLookup(agency_path=None, region_path="supervisor__region__path")
    )
    perms.register_scope(
        m.LiaisonVisit, perms.ScopeLookup(agency_path=None, region_path="point__region__path")
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
