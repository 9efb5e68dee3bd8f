"""案卷评查的记录读得懂 (issue 16 item 4): the evaluation app's ledger entries show Chinese labels, names for
ids and formatted values, never their keys or codes."""

from __future__ import annotations

import pytest

from zhifa.records import labels
from zhifa.records.models import LedgerEntry
from zhifa.records.tests.readable import demo_changes, readable
from zhifa.supervision.models import Problem

pytestmark = pytest.mark.django_db


def test_an_evaluation_entry_reads_in_chinese_with_names_and_formatted_values(demo_county: object) -> None:
    plan = readable("evaluation.plan_create", demo_changes("evaluation.plan_create"))
    # the demo's newest plan is the annual one or, when it has no file left for the outside lawyer, a special one
    assert (
        plan["评查类别"] in {"年度评查", "专项评查"}
        and plan["区域"] == "示范县"
        and plan["年度"].endswith(" 年")
    )
    assert plan["每个机关抽取"].endswith(" 卷") and " → " in plan["结案日期范围"]
    assert plan["典型差案标准"].startswith("拒绝履行或拖延履行职责") and len(plan["典型差案标准"]) <= 61

    score = readable("evaluation.file_score", demo_changes("evaluation.file_score"))  # as file_score wrote it
    assert set(score) >= {"得分", "等次"} and score["得分"].endswith(" 分")
    assert score["等次"] in {"优秀", "合格", "不合格"}

    # the demo's typical bad case (the latest confirmation need not be it: the sample's strata change the order)
    changes = next(
        c
        for c in (
            labels.parse(e.changes) for e in LedgerEntry.objects.filter(action="evaluation.file_confirm")
        )
        if c.get("problem_id")
    )
    confirm = readable("evaluation.file_confirm", changes)
    assert confirm["问题台账"] == Problem.objects.get(pk=changes["problem_id"]).title
    assert confirm["典型差案"] in {"是", "否"}

    assign = readable("evaluation.file_assign", demo_changes("evaluation.file_assign"))
    assert set(assign) == {"评查人员"} and "demo_" not in assign["评查人员"]  # a name, not a login
    assert (
        readable("evaluation.plan_draw", demo_changes("evaluation.plan_draw")) == {}
    )  # hashes stay in the raw


def test_the_outside_evaluation_and_library_entries_read_in_chinese(demo_county: object) -> None:
    member = readable("evaluation.member_add", demo_changes("evaluation.member_add"))
    assert member["类别"] == "律师" and member["成员"].startswith("钱立新") and "demo_" not in member["成员"]
    imported = readable("evaluation.third_party_import", demo_changes("evaluation.third_party_import"))
    assert imported["评估机构"].startswith("示范市法治政府研究院") and imported["导入得分"].endswith(" 卷")
    export = readable("evaluation.third_party_export", demo_changes("evaluation.third_party_export"))
    assert export["格式"] == "Excel 表格"
    chosen = readable("caselib.choose", demo_changes("caselib.choose"))
    assert chosen["类别"] in {"指导性案例", "警示案例"} and chosen["标题"]
