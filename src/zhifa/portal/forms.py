"""Forms of the staff pages of the portal (the monitoring-device register): the posted fields checked
before a service is called; who may register, approve, publish or retire stays in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms

from zhifa.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField, date_field, text_field
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Officer, User
from zhifa.portal import rules
from zhifa.portal.models import DeviceKind, PostKind, ServicePost


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


class _OfficerChoice(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.post}）" if obj.post else str(obj.name)


class PostForm(forms.Form):
    """岗位/窗口: its agency (when new), what it is, where, its hours and who is on it."""

    agency = BoundedModelChoiceField(label="执法主体", queryset=Agency.objects.none())
    kind = forms.ChoiceField(label="类别", choices=PostKind.choices)
    name = forms.CharField(label="岗位/窗口名称", max_length=50)
    location = forms.CharField(label="地点", max_length=200, required=False)
    duties = forms.CharField(label="岗位职责与办理事项", max_length=300, required=False)
    service_hours = forms.CharField(
        label="办公时间", max_length=200, required=False, help_text="如：工作日 9:00—12:00，13:30—17:30"
    )
    officers = _OfficerChoice(
        label="在岗执法人员",
        queryset=Officer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="公示牌只列出持有效执法证件的人员。",
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args: Any, user: User, post: ServicePost | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if post is None:
            agencies = perms.scoped(user, rules.MANAGE_POST, Agency).filter(is_active=True)
            self.fields["agency"].queryset = agencies.order_by("name")  # type: ignore[attr-defined]
            only = list(agencies.order_by("id")[:2])
            if len(only) == 1:  # an agency head sets up the posts of the one agency they head
                self.fields["agency"].initial = only[0].pk
            officers = Officer.objects.filter(agency__in=agencies, is_active=True)
            del self.fields["is_active"]
        else:
            del self.fields["agency"]
            officers = Officer.objects.filter(agency_id=post.agency_id, is_active=True)
        self.fields["officers"].queryset = officers.order_by(  # type: ignore[attr-defined]
            "agency__name", "name", "id"
        )
