"""执法公示记录的中文标签 — the disclosure app's action codes and ``changes`` fields, registered with
zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.disclosure.models import PublicationStatus, ResultKind, WithdrawKind
from zhifa.records.labels import (
    BOOL,
    CHOICE,
    COUNT,
    DATE,
    ENTRY_SOURCES,
    Field,
    choices,
    register_actions,
    register_fields,
)


def register() -> None:
    register_actions(
        {
            "disclosure.obligation": "产生公示义务",
            "disclosure.licensing_import": "导入行政许可决定",
            "disclosure.refresh": "更新公示内容",
            "disclosure.submit": "提交公示审核",
            "disclosure.return": "退回公示修改",
            "disclosure.publish": "公示",
            "disclosure.withdraw": "撤回公示",
            "disclosure.redact": "公示内容脱敏",
            "disclosure.annual_stats": "公布年度统计",
            "disclosure.override": "机关决定是否公开",
            "disclosure.correct": "更正公示（重新公示草稿）",
            "disclosure.repair_apply": "申请信用修复",
            "disclosure.repair_grant": "准予信用修复",
            "disclosure.repair_refuse": "不予信用修复",
        }
    )
    status = Field("状态", CHOICE, choices(PublicationStatus), transition=True)
    due = Field("公示期限", DATE)
    late = Field("逾期公示", BOOL)
    register_fields(
        {
            "disclosure.obligation:kind": Field("公示类别", CHOICE, choices(ResultKind)),
            "disclosure.obligation:decided_on": Field("决定日期", DATE),
            "disclosure.obligation:due_on": due,
            "disclosure.obligation:withheld": "不予公开的理由",
            "disclosure.override:publish": Field("决定公开", BOOL),
            "disclosure.override:default_withheld": Field("按规则默认不予公开", BOOL),
            "disclosure.override:reason": "理由",
            "disclosure.override:on": Field("决定日期", DATE),
            "disclosure.override:status": status,
            "disclosure.licensing_import:rows": Field("导入", COUNT, unit="条"),
            "disclosure.licensing_import:source": Field("来源", CHOICE, ENTRY_SOURCES),
            "disclosure.licensing_import:filename": "文件",
            "disclosure.licensing_import:document_numbers": "决定文号",
            "disclosure.refresh:title": "标题",
            "disclosure.submit:status": status,
            "disclosure.return:status": status,
            "disclosure.return:reason": "退回理由",
            "disclosure.publish:status": status,
            "disclosure.publish:late": late,
            "disclosure.publish:due_on": due,
            "disclosure.withdraw:status": status,
            "disclosure.withdraw:kind": Field("撤回情形", CHOICE, choices(WithdrawKind)),
            "disclosure.withdraw:reason": "撤回理由",
            "disclosure.redact:reason": "脱敏理由",
            "disclosure.redact:chars": Field("遮盖", COUNT, unit="字"),
            "disclosure.redact:count": Field("脱敏处数", COUNT, unit="处"),
            "disclosure.annual_stats:year": Field("年度", COUNT, unit="年"),
            "disclosure.annual_stats:due_on": Field("公布期限", DATE),
            "disclosure.annual_stats:late": Field("逾期公布", BOOL),
            "disclosure.publish:expires_on": Field("公示截止日", DATE),
            "disclosure.correct:reason": "更正理由",
            "disclosure.correct:due_on": due,
            "disclosure.repair_apply:files": Field("证明材料", COUNT, unit="个"),
            "disclosure.repair_grant:reason": "决定理由",
            "disclosure.repair_grant:status": status,
            "disclosure.repair_refuse:reason": "不予修复理由",
        }
    )
