"""法制审核记录的中文标签 — the review app's action codes and ``changes`` fields, registered with
zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.records.labels import (
    BOOL,
    CHOICE,
    COUNT,
    DATE,
    MONEY,
    NAMES,
    Field,
    choices,
    names_of,
    register_actions,
    register_fields,
    user_names,
)
from zhifa.review.models import FindingResult, ReviewPoint


def register() -> None:
    register_actions(
        {
            "review.submit": "送法制审核",
            "review.assign": "分配审核人员",
            "review.finding": "记录审核要点意见",
            "review.conclude": "出具法制审核意见",
            "review.discussion": "集体讨论",
            "review.escalate": "审核超期报告机关负责人",
            "review.remind": "审核临期提醒",
            "review.opinion_void": "作废审核意见书",
            "review.mark_public_interest": "标记涉及重大公共利益",
            "review.settings_set": "设置审核规则",
            "review.catalog_publish": "公布重大执法决定目录",
        }
    )
    points = choices(ReviewPoint)
    register_fields(
        {
            "case_id": Field("案件", NAMES, resolver=names_of("cases.Case", "number")),
            "round_no": Field("轮次", COUNT, unit="轮"),
            "notice_round": Field("告知轮次", COUNT, unit="轮"),
            "reasons": "须审核理由",
            "reviewer_id": Field("审核人员", NAMES, resolver=user_names),
            "previous_reviewer_id": Field("原审核人员", NAMES, resolver=user_names),
            "point": Field("审核要点", CHOICE, points),
            "result": Field("结论", CHOICE, choices(FindingResult)),
            "review.finding:note": "说明",
            "agreed": Field("同意", BOOL),
            "opinion": "审核意见",
            "opinion_number": "意见书编号",
            "problems": Field("存在问题的要点", CHOICE, points),
            "review.submit:due_on": Field("审核期限", DATE),
            "review.catalog_publish:effective_from": Field("施行日期", DATE),
            "review.catalog_publish:fine_citizen_yuan": Field("对公民罚款", MONEY),
            "review.catalog_publish:fine_organisation_yuan": Field("对法人或其他组织罚款", MONEY),
        }
    )
