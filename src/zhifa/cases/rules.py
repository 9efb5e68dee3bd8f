"""Case actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up.

These actions are kept out of ``zhifa.org.permissions.ACTIONS`` (org's own tuple); the cases permission
matrix test (``tests/test_permission_matrix.py``) covers every role × scope × these actions × a case.
"""

from __future__ import annotations

from zhifa.cases.models import Case, Seizure, TransferReceipt
from zhifa.org import permissions as perms
from zhifa.org.models import Role

VIEW_CASE = "cases.view_case"
OPEN_CASE = "cases.open_case"  # register a case source (案源), open (立案) or not open it
INVESTIGATE = "cases.investigate"  # investigation, rights notice, hearing, service, payment (承办)
DECIDE = "cases.decide"  # 机关负责人: decide, not punish, transfer, collective discussion
APPROVE = "cases.approve"  # 机关负责人 approvals: extensions, seizure extension, close, withdraw
LEGAL_REVIEW = "cases.legal_review"  # 法制审核 opinion
COMPEL = "cases.compel"  # 行政强制: seizure, release, demand (催告), court application
MY_CASES = "cases.my_cases"  # 我的案件: the cases one handles as 承办人员 (the officer's landing list)
RECEIVE_TRANSFER = "cases.transfer_receive"  # 接收移送: the receiving agency acknowledges and gives feedback
LIST_CASES = "cases.list_cases"  # 案件列表 of the agency or region, with search and 待办 filters

ACTIONS: tuple[str, ...] = (
    VIEW_CASE,
    OPEN_CASE,
    INVESTIGATE,
    DECIDE,
    APPROVE,
    LEGAL_REVIEW,
    COMPEL,
    MY_CASES,
    LIST_CASES,
    RECEIVE_TRANSFER,
)

# 案件权限 — officers handle cases of their agency; the agency head decides and approves; legal reviewers
# write review opinions; supervisors read every case of their region.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW_CASE, OPEN_CASE, INVESTIGATE, COMPEL, MY_CASES}),
    Role.AGENCY_HEAD: frozenset(
        {VIEW_CASE, OPEN_CASE, INVESTIGATE, DECIDE, APPROVE, COMPEL, LIST_CASES, RECEIVE_TRANSFER}
    ),
    Role.LEGAL_REVIEWER: frozenset({VIEW_CASE, LEGAL_REVIEW, LIST_CASES}),
    Role.SUPERVISOR: frozenset({VIEW_CASE, LIST_CASES}),
    Role.ADMIN: frozenset(ACTIONS),
}


def register_permissions() -> None:
    scope = perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    perms.register_scope(Case, scope)
    perms.register_scope(
        Seizure, perms.ScopeLookup(agency_path="case__agency__path", region_path="case__agency__region__path")
    )
    perms.register_scope(
        TransferReceipt, perms.ScopeLookup(agency_path="receiver__path", region_path="receiver__region__path")
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
