"""Forms of the review pages: what is posted is checked here (types, lengths, choices, dates) before a service
is called; whether it may be done, by whom and when stays in ``services``. Field names are the templates'."""

from __future__ import annotations

from django import forms

from zhifa.core.forms import IdListField, choice_field, date_field, id_field, text_field, yuan_field
from zhifa.review.models import FindingResult, ReviewPoint


class AssignForm(forms.Form):
    reviewer = id_field("审核人员")
    on = date_field("分配日期")


def findings_form() -> type[forms.Form]:
    """The eight points in one form: ``result_<point>`` (blank: not answered) and ``note_<point>``."""
    fields: dict[str, forms.Field] = {}
    for point in ReviewPoint:
        fields[f"result_{point.value}"] = choice_field(point.label, FindingResult.choices)
        fields[f"note_{point.value}"] = text_field(f"{point.label}说明", 2000)
    return type("FindingsForm", (forms.Form,), fields)


FindingsForm = findings_form()


class ConcludeForm(forms.Form):
    agreed = choice_field("审核结论", (("yes", "同意"), ("no", "存在问题（退回）")))
    opinion = text_field("审核意见", 10000)
    on = date_field("出具日期")


class OpinionVoidForm(forms.Form):
    reason = text_field("作废理由", 300)


class CatalogForm(forms.Form):
    agency = id_field("执法主体", message="请选择执法主体并填写生效日期。")
    effective_from = date_field("生效日期", required=True)
    fine_citizen_yuan = yuan_field("对公民罚款数额")
    fine_organisation_yuan = yuan_field("对法人或其他组织罚款数额")
    confiscation_yuan = yuan_field("没收违法所得、非法财物价值")
    revoke_licence = forms.BooleanField(required=False)
    stop_business = forms.BooleanField(required=False)
    close = forms.BooleanField(required=False)
    hearing = forms.BooleanField(required=False)
    public_interest = forms.BooleanField(required=False)
    complex_facts = forms.BooleanField(required=False)
    item_codes = text_field("事项编码", 5000)
    note = text_field("说明（制定依据）", 500)


class CaseSubmitForm(forms.Form):
    draft_decision = text_field("拟作出的决定", 20000)
    explanation = text_field("情况说明", 20000)
    on = date_field("送审日期")


class DiscussForm(forms.Form):
    """集体讨论: the ticked heads (``participants``) with their ``opinion_<id>`` / ``dissent_<id>``, read by the view."""

    participants = IdListField(required=False)
    host = id_field("主持人", required=False)
    minutes = text_field("讨论记录", 20000)
    decision = text_field("讨论决定", 5000)
    place = text_field("地点", 200)
    on = date_field("讨论日期")


OPINION_MAX = 2000
