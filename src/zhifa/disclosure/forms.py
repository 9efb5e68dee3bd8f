"""Forms of the disclosure pages: the posted fields checked before a service is called (the rules of
publishing, withdrawing and redacting stay in ``services``). Field names are the templates'."""

from __future__ import annotations

from django import forms

from zhifa.core.forms import choice_field, id_field, int_field, text_field
from zhifa.disclosure.models import WithdrawKind


class NoFieldsForm(forms.Form):
    """A button with nothing to fill in (重新生成 / 提交审核 / 审核发布)."""


class ReturnForm(forms.Form):
    reason = text_field("退回理由", 500)


class WithdrawForm(forms.Form):
    kind = choice_field("撤回情形", WithdrawKind.choices)
    reason = text_field("撤回理由", 500)


class RedactForm(forms.Form):
    text = text_field("须隐去的原文", 500)
    reason = text_field("理由", 500)


class DisclosureDecideForm(forms.Form):
    """机关决定公开 / 不予公开 (行政处罚法 第四十八条), with its reason."""

    publish = choice_field("决定", [("1", "公开"), ("0", "不予公开")], required=True)
    reason = text_field("理由", 500)

    def clean_publish(self) -> bool:
        return self.cleaned_data["publish"] == "1"


class StatsForm(forms.Form):
    agency = id_field("执法主体", message="请选择您有权公布统计的执法主体。")
    year = int_field("年度", 2000, 2100, required=False)


class CorrectForm(forms.Form):
    reason = text_field("更正理由", 500)


class RepairDecideForm(forms.Form):
    decision = choice_field("决定", [("grant", "准予信用修复"), ("refuse", "不予修复")], required=True)
    reason = text_field("决定理由", 500, required=False)


class RepairApplyForm(forms.Form):
    statement = text_field("履行情况说明", 2000)
