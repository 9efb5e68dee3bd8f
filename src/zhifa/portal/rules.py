"""Portal actions (the monitoring-device register, the posts and windows) and which roles hold them.

Everything else in the portal is public and needs no permission.
"""

from __future__ import annotations

from zhifa.org import permissions as perms
from zhifa.org.models import Role
from zhifa.portal.models import MonitoringDevice, ServicePost

VIEW_DEVICE = "portal.view_device"
REGISTER_DEVICE = "portal.register_device"  # 登记设备 and publish it once reviewed
APPROVE_DEVICE = "portal.approve_device"  # 法制和技术审核 (the agency head signs it off)
VIEW_POST = "portal.view_post"  # 岗位/窗口: see them and print their 岗位信息公示牌 and 窗口公示公告
MANAGE_POST = "portal.manage_post"  # set up a post or window and who is on it (the agency head)

ACTIONS: tuple[str, ...] = (VIEW_DEVICE, REGISTER_DEVICE, APPROVE_DEVICE, VIEW_POST, MANAGE_POST)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW_DEVICE, REGISTER_DEVICE, VIEW_POST}),
    Role.LEGAL_REVIEWER: frozenset({VIEW_DEVICE, VIEW_POST}),
    Role.AGENCY_HEAD: frozenset({VIEW_DEVICE, REGISTER_DEVICE, APPROVE_DEVICE, VIEW_POST, MANAGE_POST}),
    Role.SUPERVISOR: frozenset({VIEW_DEVICE, VIEW_POST}),
    Role.ADMIN: frozenset(ACTIONS),
}


def register_permissions() -> None:
    perms.register_scope(
        MonitoringDevice, perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    )
    perms.register_scope(
        ServicePost, perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
