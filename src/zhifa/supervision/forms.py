"""Forms of the supervision pages: types, lengths and choices checked at the edge, with Chinese messages.

They only parse: whether the action is allowed, in which state and by whom, stays in ``services``.
Field names are those the templates post (and the browser tests fill in).
"""

from __future__ import annotations

from django import forms

from zhifa.core import forms as core_forms
from zhifa.supervision.models import InstrumentKind, ProblemCategory, ProblemSource

MAX_ID = core_forms.MAX_ID
_text, _date, _id, _choice = (
    core_forms.text_field,
    core_forms.date_field,
    core_forms.id_field,
    core_forms.choice_field,
)
parse, first_error = core_forms.parse, core_forms.first_error


# --- flags ---------------------------------------------------------------------------------------------------------


class FlagNoteForm(forms.Form):
    text = _text("说明", 500)


class FlagConvertForm(forms.Form):
    text = _text("说明", 500)
    category = _choice("问题类别", ProblemCategory.choices)
    due = _date("整改期限")


class FlagsBulkForm(forms.Form):
    action = _choice("操作", (("handle", "处理"), ("dismiss", "排除")), required=True)
    text = _text("说明", 500)
    filters = forms.CharField(required=False, max_length=2000)

    def clean_filters(self) -> str:
        value = self.cleaned_data.get("filters", "")
        return "" if "\n" in value or "\r" in value else value


# --- problems ------------------------------------------------------------------------------------------------------


class ProblemForm(forms.Form):
    agency = _id("责任单位")
    source_kind = _choice("问题来源", ProblemSource.choices)
    source_ref = _text("来源编号", 100)
    title = _text("问题", 200)
    description = _text("问题描述", 5000)
    category = _choice("问题类别", ProblemCategory.choices)
    due = _date("整改期限")
    target = _text("整改目标", 300)


class ProblemStepForm(forms.Form):
    text = _text("说明", 5000)
    evidence = _text("整改佐证", 5000)
    passed = forms.ChoiceField(required=False, choices=(("", ""), ("1", "通过"), ("0", "不通过")))


# --- instruments ---------------------------------------------------------------------------------------------------


class InstrumentForm(forms.Form):
    agency = _id("被监督机关")
    kind = _choice("文书种类", InstrumentKind.choices)
    title = _text("标题", 200)
    findings = _text("发现的问题", 10000)
    requirements = _text("监督要求", 10000)
    deadline = _date("答复期限")
    basis = _text("依据", 300)
    major = forms.BooleanField(required=False)


class InstrumentStepForm(forms.Form):
    text = _text("说明", 10000)
    measures = _text("整改措施", 10000)


class InstrumentProblemForm(forms.Form):
    title = _text("问题", 200)
    category = _choice("问题类别", ProblemCategory.choices)
    due = _date("整改期限")


# --- 专项说明 ------------------------------------------------------------------------------------------------------


class NoActForm(forms.Form):
    agency = _id("执法主体")
    year = forms.IntegerField(
        label="年度",
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": "请填写年度。",
            "min_value": "年度不合理。",
            "max_value": "年度不合理。",
            "required": "请填写年度。",
        },
    )
    explanation = _text("说明", 5000)


# --- people --------------------------------------------------------------------------------------------------------


class NoFieldsForm(forms.Form):
    """A button with nothing to fill in (停用 / 启用)."""


class AppointForm(forms.Form):
    region = _id("区划", message="请选择您监督范围内的区划。")
    name = _text("姓名", 50)
    organisation = _text("工作单位", 100)
    sector = _text("界别", 30)
    phone = _text("联系电话", 20)
    appointed_on = _date("聘任日期", required=True)
    term_ends_on = _date("聘期截止日期", required=True)


class DismissForm(forms.Form):
    dismissed_on = _date("解聘日期")


class TaskForm(forms.Form):
    person = _id("社会监督员")
    agency = _id("执法主体", required=False, message="请选择您监督范围内的执法主体。")
    title = _text("任务", 200)
    due = _date("完成期限", required=True)


class FeedbackForm(forms.Form):
    feedback = _text("反馈", 5000)


class DesignateForm(forms.Form):
    party_code = forms.CharField(
        label="企业",
        max_length=200,
        error_messages={
            "required": "请输入企业的统一社会信用代码或完整名称。",
            "max_length": "企业名称过长（最多 %(limit_value)d 字）。",
        },
    )
    designated_on = _date("确定日期")


class VisitForm(forms.Form):
    visited_on = _date("走访日期", required=True)
    satisfaction = forms.IntegerField(
        label="满意度",
        min_value=1,
        max_value=5,
        error_messages={
            "required": "请选择满意度（1–5）。",
            "invalid": "请选择满意度（1–5）。",
            "min_value": "满意度须为 1–5。",
            "max_value": "满意度须为 1–5。",
        },
    )
    method = _text("方式", 20)
    notes = _text("企业意见", 5000)


class ReturnVisitForm(forms.Form):
    """The fixed fields of 案件回访; the answers follow the chosen questionnaire's questions."""

    questionnaire = _id("回访问卷")
    case = _text("案件编号", 64)
    visited_on = _date("回访日期", required=True)
    method = _text("回访方式", 20)
    result = _text("回访结果", 5000)


class QuestionnaireForm(forms.Form):
    region = _id("区划", message="请选择您监督范围内的区划。")
    name = _text("问卷名称", 100)
