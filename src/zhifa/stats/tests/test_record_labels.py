"""统计考评的记录读得懂 (issue 16 item 4): the stats app's ledger entries show Chinese labels, names for ids and
formatted values, never their keys, codes or hashes."""

from __future__ import annotations

import pytest

from zhifa.records.tests.readable import demo_changes, readable

pytestmark = pytest.mark.django_db


def test_a_stats_entry_reads_in_chinese_with_names_and_formatted_values(demo_county: object) -> None:
    scheme = readable("stats.assessment_scheme_create", demo_changes("stats.assessment_scheme_create"))
    assert scheme == {"区域": "示范县", "年度": "2026 年"}  # the weights stay in the raw record
    assert readable("stats.remedy_import", {"rows": 3, "sha256": "ab" * 32, "region": "860102"}) == {
        "导入": "3 件",
        "区域": "示范县",
    }
    assert readable("stats.assessment_score", demo_changes("stats.assessment_score")) == {}
