"""季度评议与满意度调查记录的中文标签 — the action codes and ``changes`` fields on the ledger."""

from __future__ import annotations

from zhifa.ratings.models import Audience, RespondentKind
from zhifa.records.labels import (
    CHOICE,
    COUNT,
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
            "ratings.weights_set": "设置季度评议权重",
            "ratings.run_compute": "计算季度评议",
            "ratings.run_review": "审核季度评议",
            "ratings.run_publish": "发布季度评议通报",
            "ratings.survey_create": "发起满意度调查",
            "ratings.survey_close": "结束满意度调查",
            "ratings.survey_answer": "提交满意度调查答卷",
        }
    )
    region = Field("区域", NAMES, resolver=names_of("org.Region", key="code"))
    register_fields(
        {
            "ratings.weights_set:region": region,
            "ratings.weights_set:weights": "权重",
            "ratings.weights_set:min_acts_per_officer": "平台应用阈值",
            "ratings.run_compute:year": Field("年度", COUNT, unit="年"),
            "ratings.run_compute:quarter": Field("季度", COUNT, unit="季度"),
            "ratings.run_compute:agencies": Field("评议单位", COUNT, unit="个"),
            "ratings.run_compute:flagged": Field("重点监督", COUNT, unit="个"),
            "ratings.run_review:note": "审核意见",
            "ratings.run_publish:number": "通报文号",
            "ratings.run_publish:sha256": "SHA-256",
            "ratings.survey_create:title": "调查名称",
            "ratings.survey_create:target_percent": "目标满意率（%）",
            "ratings.survey_create:audience": Field("调查对象", CHOICE, choices=choices(Audience)),
            "ratings.survey_create:questions": Field("题目", COUNT, unit="道"),
            "ratings.survey_close:responses": Field("答卷", COUNT, unit="份"),
            "ratings.survey_answer:kind": Field("答卷人", CHOICE, choices=choices(RespondentKind)),
            "ratings.survey_answer:overall": Field("总体满意度", COUNT, unit="分"),
        }
    )
