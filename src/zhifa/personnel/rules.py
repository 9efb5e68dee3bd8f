"""Personnel actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up.

Agency heads (and admins) keep their own agency's people: file the training plan, record pre-job exams,
assessments and awards, keep the adviser roster and the delegations the agency makes. The judicial bureau
(supervisors) accepts or returns the plans of its region, runs the 30 June check and records pre-job exams and
awards too. Officers and reviewers read.
"""

from __future__ import annotations

from zhifa.org import permissions as perms
from zhifa.org.models import PreJobExam, Role
from zhifa.personnel import models as m

VIEW = "personnel.view"
STAFF = "personnel.staff"  # 本机关执法队伍管理 (机关负责人)
SUPERVISE = "personnel.supervise"  # 司法局: 培训计划备案审查、6月30日检查
EXAM = "personnel.exam"  # 岗前培训考试登记
AWARD = "personnel.award"

ACTIONS: tuple[str, ...] = (VIEW, STAFF, SUPERVISE, EXAM, AWARD)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW}),
    Role.LEGAL_REVIEWER: frozenset({VIEW}),
    Role.AGENCY_HEAD: frozenset({VIEW, STAFF, EXAM, AWARD}),
    Role.SUPERVISOR: frozenset({VIEW, SUPERVISE, EXAM, AWARD}),
    Role.ADMIN: frozenset(ACTIONS),
}

_BY_AGENCY = perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
_BY_OFFICER = perms.ScopeLookup(
    agency_path="officer__agency__path", region_path="officer__agency__region__path"
)


def register_permissions() -> None:
    perms.register_scope(m.TrainingPlan, _BY_AGENCY)
    perms.register_scope(m.Award, _BY_AGENCY)
    perms.register_scope(m.Adviser, _BY_AGENCY)
    perms.register_scope(m.Assessment, _BY_OFFICER)
    perms.register_scope(PreJobExam, _BY_OFFICER)
    perms.register_scope(
        m.ReviewAdviser,
        perms.ScopeLookup(agency_path="request__agency__path", region_path="request__agency__region__path"),
    )
    perms.register_scope(
        m.Delegation,
        perms.ScopeLookup(agency_path="delegating__path", region_path="delegating__region__path"),
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
