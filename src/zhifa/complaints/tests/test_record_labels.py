"""投诉举报的记录读得懂 (issue 16 item 4): the complaints app's ledger entries show Chinese labels, names for
ids and formatted values, never their keys or codes."""

from __future__ import annotations

import re

import pytest

from zhifa.cases.models import Case
from zhifa.org.models import Agency
from zhifa.records.tests.readable import demo_changes, readable
from zhifa.supervision.models import Problem

pytestmark = pytest.mark.django_db


def test_a_complaints_entry_reads_in_chinese_with_names_and_formatted_values(demo_county: object) -> None:
    changes = demo_changes("complaints.assign")  # as complaint_assign wrote it
    shown = readable("complaints.assign", changes)
    assert set(shown) == {"承办机关", "办理期限", "状态", "办理时限"}
    assert shown["承办机关"] == Agency.objects.get(pk=changes["agency_id"]).name
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", shown["办理期限"])
    assert shown["状态"] == "待分办 → 办理中" and shown["办理时限"] == f"{changes['working_days']} 个工作日"

    assert readable("complaints.rate", {"satisfaction": "dissatisfied", "state": ["replied", "closed"]}) == {
        "满意度": "不满意",
        "状态": "已答复 → 已办结",
    }
    assert readable("complaints.reply", {"state": ["assigned", "replied"], "late": True})["逾期答复"] == "是"
    assert readable("complaints.submit", {"channel": "hotline_12345", "region": "860102"}) == {
        "渠道": "12345 热线工单",
        "区域": "示范县",
    }
    case, problem = Case.objects.exclude(title="").first(), Problem.objects.first()
    assert case is not None and problem is not None
    assert readable("complaints.link_case", {"case_id": case.pk, "source_kind": "hotline_12345"}) == {
        "案源": case.title,
        "案源类别": "12345 工单",
    }
    assert readable("complaints.open_problem", {"problem_id": problem.pk}) == {"监督问题": problem.title}
