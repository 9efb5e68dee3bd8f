"""行政检查计划和任务的记录读得懂: plans, items and tasks name their agency, item and kind in
Chinese; a plan's title is its 计划名称, never a case's 案由."""

from __future__ import annotations

import pytest

from zhifa.inspections.models import InspectionItem
from zhifa.org.models import Agency
from zhifa.records.tests.readable import demo_changes, readable

pytestmark = pytest.mark.django_db


def test_plan_item_and_task_entries_read_in_chinese_with_names(demo_county: object) -> None:
    changes = demo_changes("inspection.plan.create")  # as the inspections service wrote it
    plan = readable("inspection.plan.create", changes)
    assert plan["计划名称"] == changes["title"] and "案由" not in plan
    assert plan["执法主体"] == Agency.objects.get(pk=changes["agency"]).name and plan["年度"].endswith(" 年")

    changes = demo_changes("inspection.task.create")
    task = readable("inspection.task.create", changes)
    assert task["检查类别"] in {"双随机抽查", "专项检查", "投诉举报核查", "上级交办", "转办移送"}
    assert task["检查事项"] == InspectionItem.objects.get(pk=changes["item"]).name

    assert readable("inspection.plan.approve", demo_changes("inspection.plan.approve")) == {"状态": "已批准"}
    filed = readable("inspection.plan.file", demo_changes("inspection.plan.file"))
    assert set(filed) == {"备案机关"} and filed["备案机关"].endswith("司法局")
