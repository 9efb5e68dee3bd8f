"""Forms of the case-library pages."""

from __future__ import annotations

from django import forms

from zhifa.caselib.models import LibraryKind
from zhifa.core.forms import choice_field, id_field, text_field


class SearchForm(forms.Form):
    q = text_field("检索词", 200)
    kind = choice_field("类别", LibraryKind.choices)
    domain = id_field("执法领域", required=False)


class ChooseForm(forms.Form):
    kind = choice_field("类别", LibraryKind.choices, required=True)
    title = text_field("标题", 200, required=True)
    summary = text_field("基本案情", 5000, required=True)
    key_points = text_field("要旨", 3000, required=True)
    keywords = text_field("关键词", 200)


class WithdrawForm(forms.Form):
    reason = text_field("撤回理由", 500, required=True)
