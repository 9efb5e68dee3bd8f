"""Disclosure actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up.

"谁执法谁公示": the agency that decided drafts and publishes; the agency head (or an administrator) approves
and withdraws; supervisors read everything of their region, including what is overdue.
"""

from __future__ import annotations

from zhifa.disclosure.models import AnnualStatistics, CreditRepair, Publication
from zhifa.org import permissions as perms
from zhifa.org.models import Role

VIEW = "disclosure.view_publication"
DRAFT = "disclosure.draft"  # 拟稿、预览、提交、申请不予公开（商业秘密）
APPROVE = "disclosure.approve"  # 审核公示（机关负责人或其指定人员）
WITHDRAW = "disclosure.withdraw"  # 撤回已公示的决定
PUBLISH_STATS = "disclosure.publish_stats"  # 公布上年度统计
REPAIR = "disclosure.repair"  # 信用修复决定（准予 / 不予）
APPLY_REPAIR = "disclosure.apply_repair"  # 企业：查看本企业的公示决定、申请信用修复

ACTIONS: tuple[str, ...] = (VIEW, DRAFT, APPROVE, WITHDRAW, PUBLISH_STATS, REPAIR)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW, DRAFT}),
    Role.AGENCY_HEAD: frozenset({VIEW, DRAFT, APPROVE, WITHDRAW, PUBLISH_STATS, REPAIR}),
    Role.LEGAL_REVIEWER: frozenset({VIEW}),
    Role.SUPERVISOR: frozenset({VIEW}),
    Role.ADMIN: frozenset(ACTIONS),
    Role.ENTERPRISE: frozenset({APPLY_REPAIR}),
}


def register_permissions() -> None:
    scope = perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    perms.register_scope(Publication, scope)
    perms.register_scope(AnnualStatistics, scope)
    perms.register_scope(
        CreditRepair,
        perms.ScopeLookup(
            agency_path="publication__agency__path", region_path="publication__agency__region__path"
        ),
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
