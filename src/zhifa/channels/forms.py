"""Forms of the webhook pages: the posted fields checked before a service is called. Field names are the templates'."""

from __future__ import annotations

from django import forms

from zhifa.channels.models import SUBSCRIBABLE, EventType
from zhifa.core.forms import id_field, text_field


class NoFieldsForm(forms.Form):
    """A button with nothing to fill in (停用 / 启用 / 发送测试事件 / 重新推送)."""


class EndpointForm(forms.Form):
    agency = id_field("执法主体", message="请选择您有权登记推送地址的执法主体。")
    name = text_field("名称", 100, required=True)
    url = text_field("推送地址", 500, required=True)
    events = forms.MultipleChoiceField(
        label="推送事件",
        choices=[(e, EventType(e).label) for e in SUBSCRIBABLE],
        error_messages={
            "required": "请至少选择一种推送事件。",
            "invalid_choice": "请选择有效的推送事件。",
            "invalid_list": "请选择有效的推送事件。",
        },
    )
