"""The metadata of an upload (the file itself streams through ``uploads.EvidenceUploadHandler``)."""

from __future__ import annotations

from django import forms

from zhifa.evidence.models import EvidenceKind, Stage


class EvidenceMetaForm(forms.Form):
    object_type = forms.CharField(max_length=100, widget=forms.HiddenInput)
    object_id = forms.CharField(max_length=64, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="证据类型", choices=EvidenceKind.choices)
    stage = forms.ChoiceField(label="执法环节", choices=Stage.choices)
    description = forms.CharField(label="说明", max_length=500, required=False)
    captured_at = forms.DateTimeField(
        label="拍摄/录制时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label="地点", max_length=200, required=False)


class AccessReasonForm(forms.Form):
    reason = forms.CharField(
        label="调阅事由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "下载证据须填写调阅事由。"},
    )
