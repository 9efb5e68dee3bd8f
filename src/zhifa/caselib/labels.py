"""典型案例库记录的中文标签."""

from __future__ import annotations

from zhifa.caselib.models import LibraryKind
from zhifa.records.labels import CHOICE, Field, choices, register_actions, register_fields


def register() -> None:
    register_actions({"caselib.choose": "发布典型案例", "caselib.withdraw": "撤回典型案例"})
    register_fields(
        {
            "caselib.choose:kind": Field("类别", CHOICE, choices(LibraryKind)),
            "caselib.choose:title": Field("标题"),
            "caselib.choose:case_number": Field("案件编号"),
            "caselib.withdraw:reason": Field("撤回理由"),
        }
    )
