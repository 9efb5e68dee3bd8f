"""执法监督记录的中文标签 — the supervision app's action codes and ``changes`` fields, registered with
zhifa.records.labels when the app is ready."""

from __future__ import annotations

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
from zhifa.supervision.models import InstrumentKind, ProblemCategory, ProblemSource, ProblemState


def register() -> None:
    register_actions(
        {
            "supervision.problem_open": "登记问题",
            "supervision.problem_rectify": "录入整改措施",
            "supervision.problem_submit": "提请核验",
            "supervision.problem_verify": "核验",
            "supervision.problem_close": "销号",
            "supervision.problem_reopen": "重新打开问题",
            "supervision.flag_handle": "处理预警",
            "supervision.flag_dismiss": "排除预警",
            "supervision.flag_convert": "预警转为问题",
            "supervision.scan": "预警扫描",
            "supervision.instrument_issue": "制发监督文书",
            "supervision.instrument_reply": "回复监督文书",
            "supervision.instrument_review": "审查文书回复",
            "supervision.instrument_void": "作废监督文书",
            "supervision.noact_file": "报送专项说明",
            "supervision.return_visit": "回访",
            "supervision.questionnaire_create": "创建问卷",
            "supervision.questionnaire_activate": "启用问卷",
            "supervision.questionnaire_stop": "停用问卷",
            "supervision.social_appoint": "聘任社会监督员",
            "supervision.social_dismiss": "解聘社会监督员",
            "supervision.social_task": "布置监督任务",
            "supervision.social_feedback": "社会监督员反馈",
            "supervision.liaison_designate": "确定企业联系点",
            "supervision.liaison_visit": "走访企业联系点",
        }
    )
    problem_state = Field("状态", CHOICE, choices(ProblemState), transition=True)
    register_fields(
        {
            **{f"supervision.problem_{verb}:state": problem_state for verb in _PROBLEM_VERBS},
            "supervision.problem_open:category": Field("问题类别", CHOICE, choices(ProblemCategory)),
            "supervision.problem_open:source_kind": Field("问题来源", CHOICE, choices(ProblemSource)),
            "supervision.problem_open:due": Field("整改期限", DATE),
            "supervision.problem_rectify:measures": "整改措施",
            "supervision.problem_verify:opinion": "核验意见",
            "supervision.problem_verify:passed": Field("核验通过", BOOL),
            "supervision.instrument_issue:deadline": Field("回复期限", DATE),
            "supervision.instrument_issue:issuer_id": Field(
                "制发机关", NAMES, resolver=names_of("org.Agency")
            ),
            "supervision.problem_open:title": "问题",
            "supervision.instrument_issue:kind": Field("文书", CHOICE, choices(InstrumentKind)),
            "supervision.social_appoint:term": Field("聘期", DATE, transition=True),
            "supervision.questionnaire_create:questions": Field("题目", COUNT, unit="题"),
        }
    )


_PROBLEM_VERBS = ("open", "rectify", "submit", "verify", "close", "reopen")
