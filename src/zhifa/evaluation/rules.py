"""Evaluation actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up.

Judicial bureaus (supervisors) make plans, draw the samples, assign evaluators and confirm results for the
agencies of their region; agency heads read their own agency's files and results; any certified officer,
head or supervisor may be *assigned* as an evaluator, but only of another agency's files — the scoring
service checks the assignment, not the scope (an evaluator from another agency is outside the file's scope
by design).
"""

from __future__ import annotations

from zhifa.evaluation import models as m
from zhifa.org import permissions as perms
from zhifa.org.models import Role

VIEW = "evaluation.view"
MANAGE = "evaluation.manage"
SCORE = "evaluation.score"

ACTIONS: tuple[str, ...] = (VIEW, MANAGE, SCORE)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({SCORE}),
    Role.AGENCY_HEAD: frozenset({VIEW, SCORE}),
    Role.LEGAL_REVIEWER: frozenset({VIEW, SCORE}),
    Role.SUPERVISOR: frozenset({VIEW, MANAGE, SCORE}),
    Role.ADMIN: frozenset(ACTIONS),
    # 外聘评查人员 (lawyers, experts on a panel): they score the files assigned to them, and see nothing else
    Role.EVALUATOR: frozenset({SCORE}),
}


def register_permissions() -> None:
    perms.register_scope(m.EvaluationPlan, perms.ScopeLookup(agency_path=None, region_path="region__path"))
    perms.register_scope(
        m.EvaluationFile, perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
