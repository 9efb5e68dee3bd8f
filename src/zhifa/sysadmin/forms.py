from __future__ import annotations

from typing import Any

from django import forms

from zhifa.core.forms import BoundedModelChoiceField
from zhifa.org.models import Agency, Region, Role, ScopeKind, User
from zhifa.sysadmin import selectors

_STAFF_SCOPES = [(k, label) for k, label in ScopeKind.choices if k != ScopeKind.PARTY]
_STAFF_ROLES = [(k, label) for k, label in Role.choices if k != Role.ENTERPRISE]


class RoleGrantForm(forms.Form):
    """分配角色: a staff role with an agency or region scope (enterprise users are linked to their party)."""

    role = forms.ChoiceField(label="角色", choices=[("", "请选择"), *_STAFF_ROLES])
    scope = forms.ChoiceField(label="数据范围", choices=[("", "请选择"), *_STAFF_SCOPES])
    agency: forms.ModelChoiceField[Agency] = BoundedModelChoiceField(
        label="机关",
        queryset=None,
        required=False,
        empty_label="请选择",
        help_text="数据范围为本机关、本机关及下属机构时必填",
    )
    region: forms.ModelChoiceField[Region] = BoundedModelChoiceField(
        label="区域", queryset=None, required=False, empty_label="请选择", help_text="数据范围为区域时必填"
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "grant")
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.agencies_for_assignment(actor)  # type: ignore[attr-defined]
        self.fields["region"].queryset = selectors.regions_for_assignment(actor)  # type: ignore[attr-defined]
        self.fields["agency"].error_messages["invalid_choice"] = "所选机关不在您的管理范围内。"
        self.fields["region"].error_messages["invalid_choice"] = "所选区域不在您的管理范围内。"


class HolidayDayForm(forms.Form):
    """录入一天: a statutory holiday on a weekday, or a working weekend."""

    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        label="安排", choices=[("holiday", "放假（休息日）"), ("working", "调休上班（工作日）")]
    )
    note = forms.CharField(label="说明", max_length=100, required=False, help_text="如“春节”“国庆节调休上班”")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "day")
        super().__init__(*args, **kwargs)


class HolidayConfirmForm(forms.Form):
    basis = forms.CharField(
        label="依据", max_length=200, help_text="国务院办公厅关于该年部分节假日安排的通知文号"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "confirm")
        super().__init__(*args, **kwargs)


class LegalQualificationForm(forms.Form):
    """法律职业资格 of a legal reviewer (行政处罚法 第五十八条第二款)."""

    certificate_number = forms.CharField(label="法律职业资格证书编号", max_length=40)
    obtained_on = forms.DateField(
        label="取得日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
