"""The pages' edge: types, lengths and choices checked with Chinese messages before a service is called."""

from __future__ import annotations

from django import forms

from zhifa.core.forms import choice_field, date_field, id_field, int_field, text_field
from zhifa.personnel.models import AdviserKind, Grade


class PlanForm(forms.Form):
    agency = id_field("执法主体")
    year = int_field("年度", 2000, 2100)
    public_law_hours = int_field("公共法律知识学时", 0, 500)
    business_hours = int_field("业务知识与执法技能学时", 0, 500)
    content = text_field("培训安排", 5000, required=True)


class ReasonForm(forms.Form):
    reason = text_field("原因", 500, required=True)


class PreJobForm(forms.Form):
    trained_by = id_field("培训机关")
    training_hours = forms.DecimalField(
        label="岗前培训学时",
        min_value=0,
        max_digits=5,
        decimal_places=1,
        error_messages={"invalid": "岗前培训学时格式不正确。", "required": "请填写岗前培训学时。"},
    )
    exam_on = date_field("考试日期", required=True)
    score = int_field("考试成绩", 0, 100)


class AssessmentForm(forms.Form):
    officer = id_field("执法人员")
    year = int_field("年度", 2000, 2100)
    grade = choice_field("考核等次", Grade.choices, required=True)
    note = text_field("考核评语", 500)


class AwardForm(forms.Form):
    agency = id_field("执法主体")
    officer = id_field("受表彰人员", required=False)
    title = text_field("表彰名称", 200, required=True)
    granted_by = text_field("表彰机关", 100, required=True)
    awarded_on = date_field("表彰日期", required=True)
    reason = text_field("事迹", 500)


class AdviserForm(forms.Form):
    agency = id_field("执法主体")
    kind = choice_field("类别", AdviserKind.choices, required=True)
    name = text_field("姓名", 50, required=True)
    licence_number = text_field("执业证号", 40, required=True)
    employer = text_field("工作单位", 100)


class DelegationForm(forms.Form):
    delegating = id_field("委托机关")
    entrusted = id_field("受委托组织")
    domain = id_field("执法领域")
    matters = text_field("委托事项与权限", 500, required=True)
    document_number = text_field("委托书文号", 60, required=True)
    starts_on = date_field("委托起始日", required=True)
    ends_on = date_field("委托截止日", required=True)


class ReviewAdviserForm(forms.Form):
    adviser = id_field("法律顾问、公职律师")
    opinion = text_field("参与意见", 5000)
