"""系统管理 — what the administrator may do to the accounts of their region or agency.

An account has no place of its own: it is placed by its role assignments. An administrator manages an
account only when every one of its assignments lies inside one of the administrator's own scopes (an
administrator of county A cannot unlock, disable or re-role a user who also works in county B).
"""

from __future__ import annotations

from zhifa.org import permissions as perms
from zhifa.org.models import Role

MANAGE_USERS = "sysadmin.manage_user"
MANAGE_HOLIDAYS = "sysadmin.manage_holidays"

ACTIONS: tuple[str, ...] = (MANAGE_USERS, MANAGE_HOLIDAYS)

ROLE_ACTIONS: dict[str, frozenset[str]] = {Role.ADMIN: frozenset(ACTIONS)}

# The ledger's labels for the actions these services record (zhifa.records.timeline shows them).
ACTION_LABELS: dict[str, str] = {
    "account.unlock": "解除账号锁定",
    "account.disable": "停用账号",
    "account.enable": "启用账号",
    "account.role_grant": "分配角色",
    "account.role_remove": "撤销角色",
    "api_token.revoke": "吊销 API 令牌",
    "api_token.revoke_all": "吊销账号的全部 API 令牌",
    "holiday.day_set": "录入节假日调休",
    "holiday.day_remove": "删除节假日调休",
    "holiday.confirm": "确认年度节假日安排",
    "account.legal_qualification": "登记法律职业资格",
}


def may_manage_holidays(user: object) -> bool:
    """The holiday schedule is one for the whole country: only a province-level (or higher) administrator."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return True
    return any(
        g.role == Role.ADMIN and g.scope == "region" and (g.region_path or "").count("/") <= 2
        for g in perms.grants(user)
    )


def register_permissions() -> None:
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
