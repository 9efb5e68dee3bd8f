"""系统管理的记录读得懂 (issue 16 item 4): the sysadmin app's ledger entries show Chinese labels, names (never
login names) for ids and formatted values, never their keys or codes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from zhifa.org.models import Agency
from zhifa.records.tests.readable import readable

pytestmark = pytest.mark.django_db


def test_a_sysadmin_entry_reads_in_chinese_with_names_and_formatted_values(demo_county: object) -> None:
    officer = get_user_model().objects.get(username="demo_officer")
    agency = Agency.objects.order_by("pk").first()
    assert agency is not None
    assert readable(
        "account.role_grant",
        {"role": "reviewer", "scope": "agency", "agency_id": agency.pk, "region_id": None},
    ) == {"角色": "法制审核人员", "数据范围": "本机关", "机关": agency.name}
    assert readable("account.disable", {"is_active": [True, False]}) == {"账号启用": "是 → 否"}
    assert readable("account.unlock", {"failures": 5}) == {"登录失败": "5 次"}
    revoked = readable(
        "api_token.revoke", {"user_id": officer.pk, "name": "移动端", "revoked": [False, True]}
    )
    assert revoked == {"令牌所属用户": officer.full_name, "令牌名称": "移动端", "已吊销": "否 → 是"}
    assert "demo_officer" not in revoked["令牌所属用户"]
    assert readable(
        "holiday.day_set", {"date": "2026-10-10", "is_working_day": True, "note": "国庆调休"}
    ) == {
        "日期": "2026-10-10",
        "工作日": "是",
        "说明": "国庆调休",
    }
    assert readable("holiday.confirm", {"year": 2027, "days": 33, "basis": "国办发明电〔2026〕1号"}) == {
        "年度": "2027 年",
        "录入": "33 天",
        "依据": "国办发明电〔2026〕1号",
    }
