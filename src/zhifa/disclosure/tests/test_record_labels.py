"""执法公示的记录读得懂 (issue 16 item 4): the disclosure app's ledger entries show Chinese labels and formatted
values, never their keys, codes or ``object:123`` references."""

from __future__ import annotations

import re

import pytest

from zhifa.records.tests.readable import demo_changes, readable

pytestmark = pytest.mark.django_db


def test_a_disclosure_entry_reads_in_chinese_with_formatted_values(demo_county: object) -> None:
    obligation = readable("disclosure.obligation", demo_changes("disclosure.obligation"))
    assert set(obligation) == {"公示类别", "决定日期", "公示期限"}  # the source reference is left out
    assert obligation["公示类别"] in {"行政处罚决定", "不予行政处罚决定", "行政检查结果", "行政许可决定"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", obligation["公示期限"])

    publish = readable("disclosure.publish", demo_changes("disclosure.publish"))
    assert publish["状态"] == "待审核 → 已公示" and publish["逾期公示"] in {"是", "否"}

    assert readable(
        "disclosure.withdraw",
        {"status": ["published", "withdrawn"], "kind": "revoked", "reason": "行政复议撤销", "remedy": "x"},
    ) == {"状态": "已公示 → 已撤回", "撤回情形": "决定被依法撤销", "撤回理由": "行政复议撤销"}
    assert readable("disclosure.redact", {"reason": "商业秘密", "chars": 12, "count": 2}) == {
        "脱敏理由": "商业秘密",
        "遮盖": "12 字",
        "脱敏处数": "2 处",
    }
    assert readable("disclosure.annual_stats", {"year": 2026, "due_on": "2027-01-31", "late": False}) == {
        "年度": "2026 年",
        "公布期限": "2027-01-31",
        "逾期公布": "否",
    }
    imported = readable("disclosure.licensing_import", demo_changes("disclosure.licensing_import"))
    assert imported["导入"].endswith(" 条") and imported["来源"] in {"演示数据", "接口导入", "文件导入"}
