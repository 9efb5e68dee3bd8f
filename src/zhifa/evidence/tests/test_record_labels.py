"""证据与调阅的记录读得懂 (issue 16 item 4): the evidence app's ledger entries show Chinese labels and formatted
values, never their keys, codes, hashes or ``object:123`` references."""

from __future__ import annotations

import pytest

from zhifa.records.tests.readable import demo_changes, readable

pytestmark = pytest.mark.django_db


def test_an_evidence_entry_reads_in_chinese_with_formatted_values(demo_county: object) -> None:
    changes = demo_changes("evidence.store")  # as evidence_store wrote it
    stored = readable("evidence.store", changes)
    assert set(stored) == {"文件名", "证据类型", "文件大小", "执法环节"}
    assert stored["文件名"] == changes["filename"] and stored["文件大小"] == f"{changes['size_bytes']} 字节"
    assert stored["执法环节"] in {"启动", "调查取证", "审核决定", "送达执行"}

    assert readable("record.access", {"purpose": "download", "reason": "复议答辩", "access_log_id": 4}) == {
        "调阅方式": "下载",
        "调阅事由": "复议答辩",
    }
    assert readable(
        "evidence.required_rule.change",
        {
            "code": "compulsion.seizure.av",
            "act_type": "compulsion.seizure",
            "stage": "investigation",
            "requirement": "audio_video",
            "mandatory": True,
            "description": "查封全程音像记录",
            "active": False,
            "effective_from": "2027-01-01",
            "changed_fields": ["active", "mandatory"],
        },
    ) == {
        "执法环节": "调查取证",
        "记录形式": "音像记录",
        "必须记录": "是",
        "记录要求": "查封全程音像记录",
        "启用": "否",
        "生效日期": "2027-01-01",
        "变更内容": "启用、必须",
    }
