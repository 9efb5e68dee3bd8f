"""督查与问责记录的中文标签 — the oversight app's action codes and ``changes`` fields, registered with
zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.oversight.models import (
    AccountabilityKind,
    DisputeKind,
    DisputeState,
    ExemptionState,
    JointState,
    TeamState,
    TeamTrigger,
)
from zhifa.records.labels import (
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

ACTIONS = {
    "oversight.interview_record": "登记约谈",
    "oversight.team_form": "组成督查组",
    "oversight.team_letter": "督查组发出督查函",
    "oversight.team_conclude": "结束督查",
    "oversight.joint_open": "登记共性问题",
    "oversight.joint_escalate": "提请上级统筹共性问题",
    "oversight.joint_coordinate": "上级统筹共性问题",
    "oversight.dispute_file": "提请职责争议协调",
    "oversight.dispute_decide": "作出职责争议协调决定",
    "oversight.accountability_record": "登记问责",
    "oversight.exemption_request": "申请尽职免责认定",
    "oversight.exemption_decide": "作出尽职免责认定",
}


def register() -> None:
    register_actions(ACTIONS)
    problem_titles = names_of("supervision.Problem", "title")
    agency = Field("单位", NAMES, resolver=names_of("org.Agency"))
    register_fields(
        {
            "oversight.interview_record:agency_id": Field(
                "被约谈单位", NAMES, resolver=names_of("org.Agency")
            ),
            "oversight.interview_record:persons": "被约谈人",
            "oversight.interview_record:held_on": Field("约谈日期", DATE),
            "oversight.interview_record:reason": "约谈事由",
            "oversight.interview_record:grounds": Field("所涉问题", NAMES, resolver=problem_titles),
            "oversight.interview_record:commitments": Field("整改承诺", COUNT, unit="项"),
            "oversight.interview_record:problems": Field("纳入问题台账", NAMES, resolver=problem_titles),
            "oversight.interview_record:sha256": "约谈记录摘要（SHA-256）",
            "oversight.team_form:title": "督查事项",
            "oversight.team_form:trigger": Field("督查情形", CHOICE, choices(TeamTrigger)),
            "oversight.team_form:starts_on": Field("开始日期", DATE),
            "oversight.team_form:ends_on": Field("结束日期", DATE),
            "oversight.team_form:members": Field("成员", COUNT, unit="人"),
            "oversight.team_form:agencies": Field("成员单位", NAMES, resolver=names_of("org.Agency")),
            "oversight.team_letter:number": "督查函文号",
            "oversight.team_letter:agency_id": Field("被督查单位", NAMES, resolver=names_of("org.Agency")),
            "oversight.team_conclude:state": Field("状态", CHOICE, choices(TeamState), transition=True),
            "oversight.team_conclude:findings": "督查发现",
            "oversight.joint_open:title": "共性问题",
            "oversight.joint_open:lead_id": Field("牵头单位", NAMES, resolver=names_of("org.Agency")),
            "oversight.joint_open:partner_ids": Field("配合单位", NAMES, resolver=names_of("org.Agency")),
            "oversight.joint_open:problem_id": Field("问题台账", NAMES, resolver=problem_titles),
            "oversight.joint_escalate:state": Field("状态", CHOICE, choices(JointState), transition=True),
            "oversight.joint_escalate:escalated_to_id": Field(
                "提请统筹区域", NAMES, resolver=names_of("org.Region")
            ),
            "oversight.joint_escalate:reason": "提请理由",
            "oversight.joint_coordinate:state": Field("状态", CHOICE, choices(JointState), transition=True),
            "oversight.joint_coordinate:opinion": "统筹意见",
            "oversight.dispute_file:kind": Field("争议类型", CHOICE, choices(DisputeKind)),
            "oversight.dispute_file:matter": "争议事项",
            "oversight.dispute_file:applicant_id": Field("提请单位", NAMES, resolver=names_of("org.Agency")),
            "oversight.dispute_file:other_id": Field("争议对方", NAMES, resolver=names_of("org.Agency")),
            "oversight.dispute_file:item_id": Field(
                "执法事项", NAMES, resolver=names_of("catalog.CatalogItem")
            ),
            "oversight.dispute_decide:state": Field("状态", CHOICE, choices(DisputeState), transition=True),
            "oversight.dispute_decide:responsible_id": Field(
                "决定由其负责", NAMES, resolver=names_of("org.Agency")
            ),
            "oversight.dispute_decide:reasoning": "决定理由",
            "oversight.dispute_decide:catalog_item_id": Field(
                "调整后的执法事项", NAMES, resolver=names_of("catalog.CatalogItem")
            ),
            "oversight.accountability_record:agency_id": agency,
            "oversight.accountability_record:person": "被问责人",
            "oversight.accountability_record:kind": Field("问责方式", CHOICE, choices(AccountabilityKind)),
            "oversight.accountability_record:problem_id": Field("所涉问题", NAMES, resolver=problem_titles),
            "oversight.accountability_record:case_id": Field(
                "所涉案件", NAMES, resolver=names_of("cases.Case", "number")
            ),
            "oversight.exemption_request:case_id": Field(
                "案件", NAMES, resolver=names_of("cases.Case", "number")
            ),
            "oversight.exemption_request:officer_id": Field(
                "申请人", NAMES, resolver=names_of("org.Officer")
            ),
            "oversight.exemption_request:entries": "援引的全过程记录（序号）",
            "oversight.exemption_decide:state": Field(
                "状态", CHOICE, choices(ExemptionState), transition=True
            ),
            "oversight.exemption_decide:opinion": "认定意见",
        }
    )
