"""执法队伍管理记录的中文标签 — the personnel app's action codes and ``changes`` fields, registered with
zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.personnel.models import Grade, PlanState
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
)


def register() -> None:
    register_actions(
        {
            "personnel.plan_submit": "报备培训计划",
            "personnel.plan_accept": "培训计划备案",
            "personnel.plan_return": "退回培训计划",
            "personnel.prejob_exam": "登记岗前培训考试",
            "personnel.assessment": "个人考核",
            "personnel.award": "表彰奖励",
            "personnel.adviser_add": "法律顾问、公职律师入册",
            "personnel.adviser_remove": "法律顾问、公职律师出册",
            "personnel.review_adviser": "法律顾问参与法制审核",
            "personnel.delegation_create": "行政处罚委托",
            "personnel.delegation_withdraw": "收回行政处罚委托",
        }
    )
    hours = Field("学时", COUNT, unit="学时")
    register_fields(
        {
            "personnel.plan_submit:year": Field("年度", COUNT, unit="年"),
            "personnel.plan_submit:public_law_hours": Field("公共法律知识学时", COUNT, unit="学时"),
            "personnel.plan_submit:business_hours": Field("业务知识与执法技能学时", COUNT, unit="学时"),
            "personnel.plan_accept:state": Field("状态", CHOICE, choices(PlanState)),
            "personnel.plan_return:state": Field("状态", CHOICE, choices(PlanState)),
            "personnel.plan_return:reason": "退回原因",
            "personnel.prejob_exam:trained_by": Field("培训机关", NAMES, resolver=names_of("org.Agency")),
            "personnel.prejob_exam:training_hours": hours,
            "personnel.prejob_exam:exam_on": Field("考试日期", DATE),
            "personnel.prejob_exam:score": Field("考试成绩", COUNT, unit="分"),
            "personnel.prejob_exam:passed": Field("考试合格", BOOL),
            "personnel.assessment:year": Field("年度", COUNT, unit="年"),
            "personnel.assessment:grade": Field("考核等次", CHOICE, choices(Grade)),
            "personnel.award:title": "表彰名称",
            "personnel.award:officer_id": Field("受表彰人员", NAMES, resolver=names_of("org.Officer")),
            "personnel.award:on": Field("表彰日期", DATE),
            "personnel.adviser_add:kind": Field(
                "类别", CHOICE, {"adviser": "法律顾问", "public_lawyer": "公职律师"}
            ),
            "personnel.adviser_add:name": "姓名",
            "personnel.adviser_add:on": Field("入册日期", DATE),
            "personnel.adviser_remove:on": Field("出册日期", DATE),
            "personnel.adviser_remove:reason": "出册原因",
            "personnel.review_adviser:adviser_id": Field(
                "法律顾问、公职律师", NAMES, resolver=names_of("personnel.Adviser")
            ),
            "personnel.review_adviser:on": Field("参与日期", DATE),
            "personnel.delegation_create:entrusted": Field(
                "受委托组织", NAMES, resolver=names_of("org.Agency")
            ),
            "personnel.delegation_create:domain": Field(
                "执法领域", NAMES, resolver=names_of("org.Domain", key="code")
            ),
            "personnel.delegation_create:term": Field("委托期限", DATE, transition=True),
            "personnel.delegation_create:document_number": "委托书文号",
            "personnel.delegation_withdraw:on": Field("收回日期", DATE),
            "personnel.delegation_withdraw:reason": "收回原因",
        }
    )
