"""Discretion actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up."""

from __future__ import annotations

from zhifa.discretion.models import Benchmark
from zhifa.org import permissions as perms
from zhifa.org.models import Role

VIEW = "discretion.view"  # read benchmarks and a case's recommendation (signed-in staff in scope)
MANAGE = "discretion.manage_benchmark"  # create, version and import benchmarks (机关负责人, 管理员)
RECORD = "discretion.record_facts"  # a case's discretion facts and deviation reasons (本机关执法人员)
VIEW_REPORT = "discretion.view_report"  # deviation and tier reports

ACTIONS: tuple[str, ...] = (VIEW, MANAGE, RECORD, VIEW_REPORT)

# 裁量基准权限 — the agency head (or an administrator) sets the agency's benchmarks; the agency's officers
# record a case's facts and explain a deviation; supervisors and reviewers read and see the reports.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW, RECORD}),
    Role.AGENCY_HEAD: frozenset({VIEW, RECORD, MANAGE, VIEW_REPORT}),
    Role.LEGAL_REVIEWER: frozenset({VIEW, VIEW_REPORT}),
    Role.SUPERVISOR: frozenset({VIEW, VIEW_REPORT}),
    Role.ADMIN: frozenset(ACTIONS),
}


def register_permissions() -> None:
    # A benchmark is placed by its issuer: an agency's by the agency path, a region's by the region path only
    # (so an agency grant never manages a region's benchmark).
    perms.register_scope(Benchmark, perms.ScopeLookup(agency_path="agency_path", region_path="region_path"))
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
