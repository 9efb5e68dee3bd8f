"""案卷评查记录的中文标签 — the evaluation app's action codes and ``changes`` fields, registered with
zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.evaluation.models import BadCaseCriterion, Grade, MemberKind, PlanKind
from zhifa.records.labels import (
    BOOL,
    CHOICE,
    COUNT,
    DATE,
    NAMES,
    Field,
    choices,
    names_of,
    register_actions,
    register_fields,
    user_names,
)


def register() -> None:
    register_actions(
        {
            "evaluation.plan_create": "制定评查方案",
            "evaluation.plan_draw": "抽取评查案卷",
            "evaluation.file_assign": "分配评查人员",
            "evaluation.file_score": "案卷评分",
            "evaluation.file_confirm": "确认评查结果",
            "evaluation.member_add": "加入评查组",
            "evaluation.outsider_create": "聘请外部评查人员",
            "evaluation.third_party_export": "导出第三方评估样本",
            "evaluation.third_party_import": "导入第三方评估得分",
        }
    )
    criteria = Field("典型差案标准", CHOICE, choices(BadCaseCriterion))
    total = Field("得分", COUNT, unit="分")
    register_fields(
        {
            "evaluation.plan_create:region": Field(
                "区域", NAMES, resolver=names_of("org.Region", key="code")
            ),
            "evaluation.plan_create:year": Field("年度", COUNT, unit="年"),
            "evaluation.plan_create:kind": Field("评查类别", CHOICE, choices(PlanKind)),
            "evaluation.plan_create:sample_per_agency": Field("每个机关抽取", COUNT, unit="卷"),
            "evaluation.plan_create:window": Field("结案日期范围", DATE, transition=True),
            "evaluation.plan_create:criteria": criteria,
            "evaluation.file_assign:evaluator": Field("评查人员", NAMES, resolver=user_names),
            "evaluation.file_score:total": total,
            "evaluation.file_score:grade": Field("等次", CHOICE, choices(Grade)),
            "evaluation.file_score:bad_criteria": Field(
                "符合的典型差案标准", CHOICE, choices(BadCaseCriterion)
            ),
            "evaluation.file_confirm:total": total,
            "evaluation.file_confirm:typical_bad": Field("典型差案", BOOL),
            "evaluation.member_add:member": Field("成员", NAMES, resolver=user_names),
            "evaluation.member_add:kind": Field("类别", CHOICE, choices(MemberKind)),
            "evaluation.member_add:affiliation": Field("工作单位"),
            "evaluation.outsider_create:member": Field("外聘评查人员", NAMES, resolver=user_names),
            "evaluation.outsider_create:kind": Field("类别", CHOICE, choices(MemberKind)),
            "evaluation.outsider_create:affiliation": Field("工作单位"),
            "evaluation.outsider_create:region": Field(
                "区域", NAMES, resolver=names_of("org.Region", key="code")
            ),
            "evaluation.third_party_export:format": Field(
                "格式", CHOICE, {"xlsx": "Excel 表格", "json": "JSON 数据"}
            ),
            "evaluation.third_party_export:count": Field("样本数", COUNT, unit="卷"),
            "evaluation.third_party_import:assessor": Field("评估机构"),
            "evaluation.third_party_import:count": Field("导入得分", COUNT, unit="卷"),
            "evaluation.file_confirm:problem_id": Field(
                "问题台账", NAMES, resolver=names_of("supervision.Problem", "title")
            ),
        }
    )
