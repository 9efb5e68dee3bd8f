"""Forms of the staff pages of the portal (the monitoring-device register): the posted fields checked
before a service is called; who may register, approve, publish or retire stays in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms

from zhifa.core.forms import BoundedModelChoiceField, date_field, text_field
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, User
from zhifa.portal import rules
from zhifa.portal.models import DeviceKind


class DeviceForm(forms.Form):
    agency = BoundedModelChoiceField(label="执法主体", queryset=Agency.objects.none())
    kind = forms.ChoiceField(label="设备类型", choices=DeviceKind.choices)
    location = forms.CharField(label="设置地点", max_length=200)
    purpose = forms.CharField(label="监控内容", max_length=300)
    in_use_from = forms.DateField(label="启用日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = perms.scoped(  # type: ignore[attr-defined]  # self.fields holds Field
            user, rules.REGISTER_DEVICE, Agency
        ).order_by("name")


class NoFieldsForm(forms.Form):
    """A button with nothing to fill in (通过审核 / 公布)."""


class RetireForm(forms.Form):
    retired_on = date_field("停用日期")
    reason = text_field("停用原因", 200)


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "approve": NoFieldsForm,
    "publish": NoFieldsForm,
    "retire": RetireForm,
}
