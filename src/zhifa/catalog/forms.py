"""Forms of the catalog pages (input shape only; the rules live in the services)."""

from __future__ import annotations

from django import forms

from zhifa.catalog.models import ConfirmationKind, ItemKind, LenientKind
from zhifa.core.forms import BoundedModelChoiceField, choice_field, int_field, text_field
from zhifa.core.textlimits import PARAGRAPH, limit_free_text
from zhifa.org.models import Agency, Domain


class ItemFilterForm(forms.Form):
    q = forms.CharField(label="编码或名称", required=False, max_length=100)
    agency = BoundedModelChoiceField(
        label="实施主体", queryset=Agency.objects.none(), required=False, empty_label="全部主体"
    )
    domain = BoundedModelChoiceField(
        label="执法领域", queryset=Domain.objects.all(), required=False, empty_label="全部领域"
    )
    kind = forms.ChoiceField(label="事项类别", choices=[("", "全部类别"), *ItemKind.choices], required=False)
    on = forms.DateField(
        label="有效日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    all_versions = forms.BooleanField(label="显示全部版本", required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agency"].queryset = (  # type: ignore[attr-defined]
            Agency.objects.filter(catalog_items__isnull=False).distinct().order_by("name")
        )
        for name in ("agency", "domain", "kind"):
            self.fields[name].widget.attrs["class"] = "form-select"


class ItemForm(forms.Form):
    """登记执法事项或新版本."""

    agency = BoundedModelChoiceField(label="实施主体", queryset=Agency.objects.none())
    code = forms.CharField(label="事项编码", max_length=64)
    name = forms.CharField(label="事项名称", max_length=300)
    kind = forms.ChoiceField(label="事项类别", choices=ItemKind.choices)
    domain = BoundedModelChoiceField(label="执法领域", queryset=Domain.objects.all())
    law_name = forms.CharField(label="法律依据名称", max_length=200, help_text="如：中华人民共和国食品安全法")
    article = forms.CharField(label="条款", max_length=100, help_text="如：第一百二十四条第一款第（五）项")
    article_text = forms.CharField(
        label="条文内容", max_length=PARAGRAPH, widget=forms.Textarea(attrs={"rows": 4})
    )
    effective_from = forms.DateField(
        label="施行日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    effective_to = forms.DateField(
        label="失效日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="留空表示现行有效",
    )

    def __init__(self, *args: object, agencies: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if agencies is not None:
            self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        limit_free_text(self)


class RepealForm(forms.Form):
    on = forms.DateField(
        label="最后有效日", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ImportForm(forms.Form):
    which = forms.ChoiceField(label="导入内容", choices=[("items", "执法事项目录"), ("entries", "四张清单")])
    file = forms.FileField(label="Excel 文件（.xlsx）")


class LenientDecisionForm(forms.Form):
    applies = forms.TypedChoiceField(
        label="是否适用",
        choices=[("1", "适用"), ("0", "不适用")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    conditions_met = forms.MultipleChoiceField(
        label="已满足的条件", required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args: object, conditions: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["conditions_met"].choices = [(c, c) for c in conditions or []]  # type: ignore[attr-defined]
        limit_free_text(self)


KIND_TABS = LenientKind.choices


class ConfirmationRequestForm(forms.Form):
    """申请主体资格确认."""

    agency = BoundedModelChoiceField(label="执法主体", queryset=Agency.objects.none())
    year = int_field("年度", 2000, 2100)
    kind = choice_field("确认事项", ConfirmationKind.choices, required=True)
    note = text_field("申请说明", PARAGRAPH)

    def __init__(self, *args: object, agencies: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["agency"].widget.attrs["class"] = "form-select"
        self.fields["kind"].widget.attrs["class"] = "form-select"


class ConfirmationConfirmForm(forms.Form):
    remarks = text_field("确认意见", PARAGRAPH)


class ConfirmationReturnForm(forms.Form):
    reason = text_field("退回理由", PARAGRAPH, required=True)
