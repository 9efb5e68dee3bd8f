"""Forms of the reporting pages: posted fields checked (types, ranges, choices, dates) before a service is
called; the rules stay in ``services``. Field names are the templates'."""

from __future__ import annotations

from django import forms

from zhifa.core.forms import IdListField, choice_field, date_field, id_field, int_field, text_field
from zhifa.reporting.models import FilerLevel, Period


class KindForm(forms.Form):
    region = text_field("区划", 12, required=True)
    name = text_field("报送事项名称", 100, required=True)
    period = choice_field("报送周期", Period.choices, required=True)
    due_days = int_field("期满后报送期限（日）", 0, 365)
    starts_on = date_field("起始日期", required=True)
    ends_on = date_field("截止日期")
    filers = choice_field("报送单位", FilerLevel.choices, required=True)
    sections = text_field("报告模板", 2000, required=True)
    needs_government_approval = forms.BooleanField(required=False)
    basis = text_field("依据", 300)
    agencies = IdListField(required=False)


class DraftForm(forms.Form):
    kind = id_field("报送事项")
    agency = id_field("报送机关", required=False)
    region = id_field("报送区划", required=False)
    period_start = date_field("报告期起", required=True)


class ReturnForm(forms.Form):
    reason = text_field("退回理由", 2000, required=True)


class GovernmentForm(forms.Form):
    reference = text_field("审定文号", 100, required=True)
    approved_on = date_field("审定日期", required=True)
