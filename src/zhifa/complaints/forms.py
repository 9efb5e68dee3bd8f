"""Forms of the complaint pages: the posted fields checked (lengths, choices, ids) before a service is called;
the rules of taking, assigning and answering a complaint stay in ``services``. Field names are the templates'."""

from __future__ import annotations

from django import forms

from zhifa.complaints.models import Satisfaction
from zhifa.core.forms import choice_field, id_field, text_field
from zhifa.supervision.models import ProblemCategory


class PublicSubmitForm(forms.Form):
    """网上投诉举报 — the service says which are required and why (its messages name the field)."""

    region_code = text_field("所在区划", 32)
    subject = text_field("标题", 200)
    content = text_field("内容", 5000)
    name = text_field("姓名", 50)
    phone = text_field("联系电话", 20)


class RateForm(forms.Form):
    code = text_field("查询码", 16)
    satisfaction = choice_field("满意度", Satisfaction.choices, required=True)
    comment = text_field("评价意见", 500)


class AssignForm(forms.Form):
    agency = id_field("承办单位")


class ReplyForm(forms.Form):
    reply = text_field("答复", 5000)


class CaseForm(forms.Form):
    domain = text_field("执法领域", 32)


class ProblemForm(forms.Form):
    category = choice_field("问题类别", ProblemCategory.choices)


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "assign": AssignForm,
    "reply": ReplyForm,
    "case": CaseForm,
    "problem": ProblemForm,
}
