"""Forms of the discretion pages: a case's facts and a deviation reason (validation is the services')."""

from __future__ import annotations

from typing import Any

from django import forms

from zhifa.discretion.logic import CIRCUMSTANCES
from zhifa.discretion.models import CaseFacts, HarmLevel


class FactsForm(forms.Form):
    illegal_gains_yuan = forms.DecimalField(
        label="违法所得（元）", required=False, min_value=0, decimal_places=2
    )
    goods_value_yuan = forms.DecimalField(
        label="货值金额（元）", required=False, min_value=0, decimal_places=2
    )
    harm_level = forms.ChoiceField(label="危害后果", choices=HarmLevel.choices, initial=HarmLevel.NONE)
    previous_penalty_on = forms.DateField(
        label="前次同类处罚日期（再犯）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    duration_days = forms.IntegerField(label="持续天数", required=False, min_value=0)
    circumstances = forms.MultipleChoiceField(
        label="情节",
        required=False,
        choices=[(code, f"{label}（{source}）") for code, (label, _e, source) in CIRCUMSTANCES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    mitigation_applied = forms.BooleanField(label="适用减轻处罚（第三十条、第三十二条情节）", required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def for_case(cls, facts: CaseFacts | None, data: Any = None) -> FactsForm:
        if data is not None:
            return cls(data)
        if facts is None:
            return cls()
        return cls(
            initial={
                "illegal_gains_yuan": facts.illegal_gains_yuan,
                "goods_value_yuan": facts.goods_value_yuan,
                "harm_level": facts.harm_level,
                "previous_penalty_on": facts.previous_penalty_on,
                "duration_days": facts.duration_days,
                "circumstances": facts.circumstances,
                "mitigation_applied": facts.mitigation_applied,
                "note": facts.note,
            }
        )


class DeviationForm(forms.Form):
    reason = forms.CharField(label="偏离理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ImportForm(forms.Form):
    file = forms.FileField(label="导入文件（.xlsx）")
