"""季度评议与满意度调查 — actions and the roles that hold them; registered with ``zhifa.org.permissions``.

The judicial bureau (执法监督人员, region scope) sets the weights, computes, reviews and publishes a quarter's
rating and runs the satisfaction surveys of its region; an agency's head sees its own agency's published rating
and rank; an enterprise user answers the surveys of its region.
"""

from __future__ import annotations

from zhifa.org import permissions as perms
from zhifa.org.models import Role
from zhifa.ratings import models as m

VIEW = "ratings.view"  # published ratings (an agency: its own), survey results of the region
MANAGE = "ratings.manage"  # weights, compute / review / publish a quarter, survey rounds
ANSWER = "ratings.answer"  # an enterprise answers a survey of its region

ACTIONS: tuple[str, ...] = (VIEW, MANAGE, ANSWER)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.AGENCY_HEAD: frozenset({VIEW}),
    Role.SUPERVISOR: frozenset({VIEW, MANAGE}),
    Role.ADMIN: frozenset({VIEW, MANAGE}),
    Role.ENTERPRISE: frozenset({ANSWER}),
}


def register_permissions() -> None:
    region = perms.ScopeLookup(agency_path=None, region_path="region__path")
    perms.register_scope(m.RatingRun, region)
    perms.register_scope(m.SurveyRound, region)
    perms.register_scope(m.RatingWeight, region)
    perms.register_scope(
        m.AgencyRating, perms.ScopeLookup(agency_path="agency__path", region_path="run__region__path")
    )
    perms.register_scope(
        m.SurveyResponse,
        perms.ScopeLookup(agency_path=None, region_path="round__region__path", party_id="party_id"),
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
