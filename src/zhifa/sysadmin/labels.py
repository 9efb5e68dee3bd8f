"""系统管理记录的中文标签 — the ``changes`` fields of the sysadmin app's ledger entries (its action labels are
``rules.ACTION_LABELS``), registered with zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.org.models import Role, ScopeKind, TokenRevokeReason
from zhifa.records.labels import (
    BOOL,
    CHOICE,
    COUNT,
    DATE,
    NAMES,
    Field,
    choices,
    names_of,
    register_actions,
    register_fields,
    user_names,
)
from zhifa.sysadmin.rules import ACTION_LABELS


def register() -> None:
    register_actions(ACTION_LABELS)
    grant = {
        "role": Field("角色", CHOICE, choices(Role)),
        "scope": Field("数据范围", CHOICE, choices(ScopeKind)),
        "agency_id": Field("机关", NAMES, resolver=names_of("org.Agency")),
        "region_id": Field("区域", NAMES, resolver=names_of("org.Region")),
    }
    day: dict[str, Field | str] = {
        "date": Field("日期", DATE),
        "is_working_day": Field("工作日", BOOL),
        "note": "说明",
    }
    register_fields(
        {
            "account.unlock:failures": Field("登录失败", COUNT, unit="次"),
            "account.enable:is_active": Field("账号启用", BOOL, transition=True),
            "account.disable:is_active": Field("账号启用", BOOL, transition=True),
            **{f"account.role_{verb}:{key}": f for verb in ("grant", "remove") for key, f in grant.items()},
            "api_token.revoke:user_id": Field("令牌所属用户", NAMES, resolver=user_names),
            "api_token.revoke:name": "令牌名称",
            "api_token.revoke:revoked": Field("已吊销", BOOL, transition=True),
            "api_token.revoke_all:reason": Field("吊销原因", CHOICE, choices(TokenRevokeReason)),
            "api_token.revoke_all:tokens_revoked": Field("吊销令牌", COUNT, unit="个"),
            "account.disable:tokens_revoked": Field("吊销令牌", COUNT, unit="个"),
            **{f"holiday.day_{verb}:{key}": f for verb in ("set", "remove") for key, f in day.items()},
            "holiday.confirm:year": Field("年度", COUNT, unit="年"),
            "holiday.confirm:days": Field("录入", COUNT, unit="天"),
            "holiday.confirm:basis": "依据",
            # 行政处罚法 第五十八条第二款
            "account.legal_qualification:certificate_number": "法律职业资格证书编号",
            "account.legal_qualification:obtained_on": Field("取得日期", DATE),
            "account.legal_qualification:new": Field("首次登记", BOOL),
        }
    )
