"""法制审核 actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up."""

from __future__ import annotations

from zhifa.org import permissions as perms
from zhifa.org.models import Role
from zhifa.review.models import Discussion, MajorDecisionCatalog, ReviewRequest, ReviewSettings

VIEW = "review.view"  # read review requests, opinions, discussions, the catalog
SUBMIT = "review.submit"  # 承办机构 submits a proposed decision for review (case officers, agency head)
ASSIGN = "review.assign"  # agency head or the lead reviewer assigns; a reviewer may take a request himself
REVIEW = "review.review"  # 法制审核人员: findings and conclusion
CATALOG = "review.catalog"  # 重大执法决定法制审核目录, time limit, quorum, public-interest mark
DISCUSS = "review.discuss"  # 集体讨论 record (机关负责人)
REPORT = "review.report"  # counts, pass rate, returns by reason, time to review

ACTIONS: tuple[str, ...] = (VIEW, SUBMIT, ASSIGN, REVIEW, CATALOG, DISCUSS, REPORT)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW, SUBMIT}),
    Role.AGENCY_HEAD: frozenset({VIEW, SUBMIT, ASSIGN, CATALOG, DISCUSS, REPORT}),
    Role.LEGAL_REVIEWER: frozenset({VIEW, ASSIGN, REVIEW, REPORT}),
    Role.SUPERVISOR: frozenset({VIEW, REPORT}),
    Role.ADMIN: frozenset(ACTIONS),
}


def register_permissions() -> None:
    by_agency = perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    perms.register_scope(ReviewRequest, by_agency)
    perms.register_scope(MajorDecisionCatalog, by_agency)
    perms.register_scope(ReviewSettings, by_agency)
    perms.register_scope(
        Discussion,
        perms.ScopeLookup(agency_path="case__agency__path", region_path="case__agency__region__path"),
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
