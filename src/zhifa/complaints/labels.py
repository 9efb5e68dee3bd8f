"""投诉举报记录的中文标签 — the complaints app's action codes and ``changes`` fields, registered with
zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.cases.models import SourceKind
from zhifa.complaints.models import Channel, ComplaintState, Satisfaction
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
            "complaints.submit": "网上提交投诉举报",
            "complaints.register": "登记投诉举报",
            "complaints.import": "导入 12345 工单",
            "complaints.assign": "分办",
            "complaints.reply": "答复",
            "complaints.rate": "评价办理结果",
            "complaints.link_case": "立为案源",
            "complaints.open_problem": "转为监督问题",
        }
    )
    channel = Field("渠道", CHOICE, choices(Channel))
    region = Field("区域", NAMES, resolver=names_of("org.Region", key="code"))
    state = Field("状态", CHOICE, choices(ComplaintState), transition=True)
    register_fields(
        {
            "complaints.submit:channel": channel,
            "complaints.submit:region": region,
            "complaints.register:channel": channel,
            "complaints.register:region": region,
            "complaints.import:work_order_no": "工单编号",
            "complaints.assign:agency_id": Field("承办机关", NAMES, resolver=names_of("org.Agency")),
            "complaints.assign:state": state,
            "complaints.assign:due": Field("办理期限", DATE),
            "complaints.assign:working_days": Field("办理时限", COUNT, unit="个工作日"),
            "complaints.reply:state": state,
            "complaints.reply:late": Field("逾期答复", BOOL),
            "complaints.rate:satisfaction": Field("满意度", CHOICE, choices(Satisfaction)),
            "complaints.rate:state": state,
            "complaints.link_case:case_id": Field("案源", NAMES, resolver=names_of("cases.Case", "title")),
            "complaints.link_case:source_kind": Field("案源类别", CHOICE, choices(SourceKind)),
            "complaints.open_problem:problem_id": Field(
                "监督问题", NAMES, resolver=names_of("supervision.Problem", "title")
            ),
        }
    )
