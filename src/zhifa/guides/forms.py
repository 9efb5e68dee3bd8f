"""The staff form of a guide: field shapes only; who may save, required fields and limits stay in ``services``."""

from __future__ import annotations

from django import forms

from zhifa.guides.models import FIELD_LABELS, LINE_MAX, TEXT_MAX

_TEXTS = ("conditions", "materials", "promised_time", "fees", "supervision", "remedy_bodies")
_LINES = ("office", "address", "hours", "phone")
_HELP = {
    "conditions": "何种情形下启动或者可以申请；具体事项的条件见权责清单。",
    "materials": "一行一项。",
    "promised_time": "本机关承诺的办理时限（短于法定时限的）；不填则按法定时限办理。法定时限由系统依法列出，不在此修改。",
    "fees": "收费的法定规定列在右侧（行政许可不得收费：行政许可法 第五十八条）；不收费的写明不收费。",
    "supervision": "除本级司法局等执法监督机构（系统自动列出）外的投诉举报渠道，一行一项。",
    "remedy_bodies": "行政复议机关和管辖法院的名称、地址。",
}


class GuideForm(forms.Form):
    """服务指南 — the agency's own part; the statutory part is shown beside it, read-only."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in (*_TEXTS[:3], "fees", *_LINES, "supervision", "remedy_bodies"):
            label = FIELD_LABELS[name]
            if name in _LINES:
                cap = 30 if name == "phone" else LINE_MAX
                self.fields[name] = forms.CharField(label=label, max_length=cap, required=False)
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    max_length=TEXT_MAX,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
            self.fields[name].help_text = _HELP.get(name, "")
        self.fields["note"] = forms.CharField(label="修改说明", max_length=LINE_MAX, required=False)
