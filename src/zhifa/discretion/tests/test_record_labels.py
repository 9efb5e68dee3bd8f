"""裁量的记录读得懂 (issue 16 item 4): the discretion app's ledger entries show Chinese labels, names for ids
and formatted values (元, 是/否, the circumstance's words), never their keys or codes."""

from __future__ import annotations

import pytest

from zhifa.catalog.models import CatalogItem
from zhifa.records.tests.readable import demo_changes, readable

pytestmark = pytest.mark.django_db


def test_a_discretion_entry_reads_in_chinese_with_names_and_formatted_values(demo_county: object) -> None:
    changes = demo_changes("discretion.benchmark_create")  # as benchmark_create wrote it
    benchmark = readable("discretion.benchmark_create", changes)
    names = set(CatalogItem.objects.filter(code=changes["catalog_item_code"]).values_list("name", flat=True))
    assert benchmark["执法事项"] in names and benchmark["版本"] == f"{changes['version']} 版"

    assert readable(
        "discretion.facts_record",
        {
            "illegal_gains_yuan": "12000.50",
            "goods_value_yuan": None,
            "harm_level": "minor",
            "previous_penalty_on": "2025-03-01",
            "duration_days": 40,
            "circumstances": ["first_offence", "obstructed"],
            "mitigation_applied": False,
            "note": "",
        },
    ) == {
        "违法所得": "12,000.5 元",
        "危害后果": "危害后果轻微",
        "前次处罚日期": "2025-03-01",
        "违法行为持续": "40 天",
        "情节": "初次违法且主动改正、拒绝、阻碍或者以暴力威胁执法",
        "适用减轻处罚": "否",
    }
    outcome = readable("discretion.outcome", {**demo_changes("discretion.outcome"), "fine_yuan": "8000"})
    assert outcome["罚款"] == "8,000 元" and outcome["偏离裁量基准"] in {"是", "否"}
    assert readable(
        "discretion.deviation_explain",
        {"deviation_id": 3, "reason": "当事人积极退赔", "recommended": "5000–10000 元"},
    ) == {"偏离理由": "当事人积极退赔", "推荐幅度": "5000–10000 元"}
