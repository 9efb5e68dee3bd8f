"""Portal actions (the monitoring-device register) and which roles hold them.

Everything else in the portal is public and needs no permission.
"""

from __future__ import annotations

from zhifa.org import permissions as perms
from zhifa.org.models import Role
from zhifa.portal.models import MonitoringDevice

VIEW_DEVICE = "portal.view_device"
REGISTER_DEVICE = "portal.register_device"  # 登记设备 and publish it once reviewed
APPROVE_DEVICE = "portal.approve_device"  # 法制和技术审核 (the agency head signs it off)

ACTIONS: tuple[str, ...] = (VIEW_DEVICE, REGISTER_DEVICE, APPROVE_DEVICE)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({VIEW_DEVICE, REGISTER_DEVICE}),
    Role.LEGAL_REVIEWER: frozenset({VIEW_DEVICE}),
    Role.AGENCY_HEAD: frozenset({VIEW_DEVICE, REGISTER_DEVICE, APPROVE_DEVICE}),
    Role.SUPERVISOR: frozenset({VIEW_DEVICE}),
    Role.ADMIN: frozenset(ACTIONS),
}


def register_permissions() -> None:
    perms.register_scope(
        MonitoringDevice, perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
