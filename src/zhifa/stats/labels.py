"""统计考评记录的中文标签 — the stats app's action codes and ``changes`` fields, registered with
zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.records.labels import COUNT, NAMES, Field, names_of, register_actions, register_fields


def register() -> None:
    register_actions(
        {
            "stats.remedy_import": "导入复议诉讼结果",
            "stats.assessment_scheme_create": "制定考评方案",
            "stats.assessment_score": "计算考评得分",
        }
    )
    region = Field("区域", NAMES, resolver=names_of("org.Region", key="code"))
    register_fields(
        {
            "stats.remedy_import:rows": Field("导入", COUNT, unit="件"),
            "stats.remedy_import:region": region,
            "stats.assessment_scheme_create:year": Field("年度", COUNT, unit="年"),
            "stats.assessment_scheme_create:region": region,
        }
    )
