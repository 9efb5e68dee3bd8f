"""Forms of the rating and survey pages: the posted fields checked before a service is called."""

from __future__ import annotations

from django import forms

from zhifa.core.forms import choice_field, date_field, int_field, text_field
from zhifa.ratings.models import Audience


class ComputeForm(forms.Form):
    region = text_field("区划", 32, required=True)
    year = int_field("年度", 2000, 2100)
    quarter = int_field("季度", 1, 4)


class SurveyForm(forms.Form):
    region = text_field("区划", 32, required=True)
    title = text_field("调查名称", 200, required=True)
    audience = choice_field("调查对象", Audience.choices)
    opens_on = date_field("开始日期", required=True)
    closes_on = date_field("截止日期", required=True)
    target_percent = forms.DecimalField(
        label="目标满意率",
        min_value=1,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": "请填写目标满意率。",
            "invalid": "目标满意率须为数字。",
            "min_value": "目标满意率须在 1–100 之间。",
            "max_value": "目标满意率须在 1–100 之间。",
            "max_digits": "目标满意率须在 1–100 之间。",
            "max_decimal_places": "目标满意率最多两位小数。",
            "max_whole_digits": "目标满意率须在 1–100 之间。",
        },
    )
    questions = forms.CharField(required=False, max_length=5000, error_messages={"max_length": "题目过长。"})
