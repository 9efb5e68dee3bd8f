"""监控设备的记录读得懂 (issue 16 item 4): the portal app's ledger entries show Chinese labels and formatted
values, never their keys or codes."""

from __future__ import annotations

import pytest

from zhifa.records.tests.readable import demo_changes, readable

pytestmark = pytest.mark.django_db


def test_a_device_entry_reads_in_chinese_with_formatted_values(demo_county: object) -> None:
    changes = demo_changes("portal.device_register")  # as device_register wrote it
    assert readable("portal.device_register", changes) == {
        "设备类型": "视频监控",
        "设置地点": changes["location"],
        "监控内容": changes["purpose"],
        "启用日期": changes["in_use_from"],
    }
    assert readable("portal.device_approve", {}) == {}
    assert readable(
        "portal.device_retire", {"retired_on": "2026-11-18", "reason": "设备损坏", "location": "东门"}
    ) == {"停用日期": "2026-11-18", "停用理由": "设备损坏", "设置地点": "东门"}
