"""Forms of the evaluation pages: the posted fields checked (types, ranges, choices, dates) before a service
is called; the rules of a plan, a draw and a score stay in ``services``. Field names are the templates'."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from zhifa.core.forms import choice_field, date_field, id_field, text_field
from zhifa.evaluation.models import BadCaseCriterion, MemberKind, PlanKind

NUMBERS = "年度和抽取数须为数字。"


def _number(label: str, min_value: int, max_value: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        max_value=max_value,
        error_messages={
            "required": NUMBERS,
            "invalid": NUMBERS,
            "min_value": f"{label}应在 {min_value}–{max_value} 之间。",
            "max_value": f"{label}应在 {min_value}–{max_value} 之间。",
        },
    )


class PlanForm(forms.Form):
    region = text_field("区划", 32)
    domain = id_field("执法领域", required=False)
    year = _number("年度", 2000, 2100)
    title = text_field("方案名称", 200)
    kind = choice_field("评查类型", PlanKind.choices)
    closed_from = date_field("结案日期起", required=True)
    closed_to = date_field("结案日期止", required=True)
    sample_per_agency = _number("每个执法主体抽取卷数", 1, 1000)
    pass_score = forms.DecimalField(
        label="合格分",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(1000),
        max_digits=6,
        decimal_places=2,
        error_messages={
            "invalid": "合格分须为数字。",
            "min_value": "合格分不合理。",
            "max_value": "合格分不合理。",
            "max_digits": "合格分不合理。",
            "max_decimal_places": "合格分最多两位小数。",
            "max_whole_digits": "合格分不合理。",
        },
    )
    criteria = forms.MultipleChoiceField(
        required=False,
        choices=BadCaseCriterion.choices,
        error_messages={"invalid_choice": "请选择有效的差案情形。"},
    )

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or PlanKind.ANNUAL


class AssignForm(forms.Form):
    username = forms.CharField(
        max_length=150, error_messages={"required": "找不到该用户名。", "max_length": "找不到该用户名。"}
    )


class ScoreForm(forms.Form):
    """The fixed fields of the sheet; ``item_<id>`` / ``note_<id>`` follow the plan's sheet (the view reads them)."""

    criteria = forms.MultipleChoiceField(
        required=False,
        choices=BadCaseCriterion.choices,
        error_messages={"invalid_choice": "请选择有效的差案情形。"},
    )
    comment = text_field("评查意见", 5000)


SCORE_TEXT_MAX = 2000


class MemberForm(forms.Form):
    username = forms.CharField(
        max_length=150, error_messages={"required": "请填写用户名。", "max_length": "找不到该用户名。"}
    )
    kind = choice_field("成员类别", MemberKind.choices)
    affiliation = text_field("工作单位", 200)


class OutsiderForm(forms.Form):
    username = text_field("登录名", 150)
    full_name = text_field("姓名", 50)
    kind = choice_field("成员类别", MemberKind.choices)
    affiliation = text_field("工作单位", 200)
    phone = text_field("手机号", 20)
