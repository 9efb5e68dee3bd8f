"""执法事项目录的记录读得懂 (issue 16 item 4): the catalog app's ledger entries show Chinese labels, names for
ids and formatted values, never their keys or codes."""

from __future__ import annotations

import pytest

from zhifa.org.models import Agency
from zhifa.records.tests.readable import demo_changes, readable

pytestmark = pytest.mark.django_db


def test_a_catalog_entry_reads_in_chinese_with_names_and_formatted_values(demo_county: object) -> None:
    changes = demo_changes("catalog.item_version")  # as the catalog's service wrote it
    item = readable("catalog.item_version", changes)
    assert item["执法主体"] == Agency.objects.get(pk=changes["agency_id"]).name
    assert item["事项类别"] in {"行政处罚", "行政强制", "行政检查", "行政许可"}
    assert (
        item["执法领域"]
        and item["版本"] == f"{changes['version']} 版"
        and item["事项编码"] == changes["code"]
    )

    assert readable(
        "catalog.item_repeal", {"code": "SJ-CF-007", "version": 2, "effective_to": [None, "2026-12-31"]}
    ) == {"事项编码": "SJ-CF-007", "版本": "2 版", "有效期至": "2026-12-31"}
    assert readable(
        "catalog.lenient_decision",
        {
            "entry_id": 1,
            "kind": "lighter",
            "entry": "县-1 涂写",
            "applies": False,
            "conditions_met": ["首次违法"],
            "reason": "未及时改正",
            "on": "2026-11-18",
        },
    ) == {
        "清单": "从轻处罚",
        "清单事项": "县-1 涂写",
        "适用": "否",
        "满足的条件": "首次违法",
        "理由": "未及时改正",
    }
    entry = readable("catalog.lenient_entry", demo_changes("catalog.lenient_entry"))
    assert entry["清单"] in {"不予处罚", "从轻处罚", "减轻处罚", "免予行政强制"} and "适用条件" in entry
