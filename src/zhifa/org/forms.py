"""Forms of the management pages: validation at the edge, then the services decide.

Identifiers are stripped and upper-cased before they are checked, so one spelling is stored. A domain error
from a service goes back onto the form beside its field (``add_domain_error``), never to a 500 page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from zhifa.core import clock
from zhifa.core.errors import DomainError
from zhifa.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from zhifa.core.validators import (
    RESIDENT_ID_LEGACY_MESSAGE,
    is_legacy_resident_id,
    validate_resident_id,
    validate_uscc,
)
from zhifa.org.models import (
    Agency,
    AgencyKind,
    CertificateEventKind,
    CreditClass,
    Domain,
    PartyKind,
    Region,
    TrainingKind,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put a service's refusal on the form: beside its field when the form has that field."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


class UpperCaseCodeField(forms.CharField):
    """A code typed by hand: spaces dropped and letters upper-cased before it is validated."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""  # None only where empty_value is None, which no caller sets
        return "".join(text.split()).upper()


class ResidentIdField(UpperCaseCodeField):
    """居民身份证号码: 18 characters; a 15-digit first-generation number gets its own message."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "身份证号码")
        kwargs.setdefault("max_length", 18)
        super().__init__(**kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        if not value:
            return
        if is_legacy_resident_id(value):
            raise forms.ValidationError(RESIDENT_ID_LEGACY_MESSAGE, code="legacy_resident_id")
        validate_resident_id(value)


class UsccField(UpperCaseCodeField):
    """统一社会信用代码: 18 characters with the GB 32100-2015 check character."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "统一社会信用代码")
        kwargs.setdefault("max_length", 18)
        super().__init__(**kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        if value:
            validate_uscc(value)


class ChineseErrorsMixin:
    """Chinese wording for the errors Django's own fields raise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            field.error_messages["required"] = "此项必填。"
            if isinstance(field, forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = "请选择列表中的一项。"
                if field.empty_label is not None:
                    field.empty_label = "请选择…"
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = "请输入有效的日期（年-月-日）。"
            if isinstance(field, forms.DecimalField | forms.IntegerField):
                field.error_messages["invalid"] = "请输入数字。"


# --- agencies ---------------------------------------------------------------------------------------------------


class AgencyForm(ChineseErrorsMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    short_name = forms.CharField(
        label="简称", max_length=30, required=False, help_text="用于文书编号，如“示县市监”"
    )
    uscc = UsccField()
    region: forms.ModelChoiceField[Region] = BoundedModelChoiceField(label="所属区划", queryset=None)
    kind = forms.ChoiceField(
        label="主体类型", choices=AgencyKind.choices, initial=AgencyKind.ADMINISTRATIVE_ORGAN
    )
    parent: forms.ModelChoiceField[Agency] = BoundedModelChoiceField(
        label="上级/委托机关", queryset=None, required=False
    )
    domains = BoundedModelMultipleChoiceField(
        label="执法领域", queryset=Domain.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_supervision_organ = forms.BooleanField(label="本级执法监督机构（司法局）", required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    phone = forms.CharField(label="电话", max_length=30, required=False)

    def __init__(self, *args: Any, regions: QuerySet, agencies: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["parent"].queryset = agencies  # type: ignore[attr-defined]


class AgencyEditForm(ChineseErrorsMixin, forms.Form):
    """USCC, region and parent stay fixed once registered (``services.agency_update``)."""

    name = forms.CharField(label="名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=30, required=False)
    domains = BoundedModelMultipleChoiceField(
        label="执法领域", queryset=Domain.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    phone = forms.CharField(label="电话", max_length=30, required=False)
    is_active = forms.BooleanField(label="有效", required=False)


# --- officers, certificates, training ---------------------------------------------------------------------------


class OfficerForm(ChineseErrorsMixin, forms.Form):
    agency: forms.ModelChoiceField[Agency] = BoundedModelChoiceField(label="执法主体", queryset=None)
    name = forms.CharField(label="姓名", max_length=50)
    id_number = ResidentIdField()
    post = forms.CharField(label="职务", max_length=50, required=False)
    phone = forms.CharField(label="电话", max_length=20, required=False)
    is_auxiliary = forms.BooleanField(label="辅助人员（不得单独执法）", required=False)

    def __init__(self, *args: Any, agencies: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class CertificateIssueForm(ChineseErrorsMixin, forms.Form):
    number = UpperCaseCodeField(label="证件编号", max_length=32)
    issuer = forms.CharField(label="发证机关", max_length=100)
    domains = BoundedModelMultipleChoiceField(
        label="执法领域", queryset=Domain.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    area = forms.CharField(label="执法区域", max_length=100, required=False)
    issued_on = forms.DateField(label="发证日期", widget=DATE_WIDGET)
    expires_on = forms.DateField(label="有效期至", widget=DATE_WIDGET)


STATUS_ACTIONS = [
    (CertificateEventKind.SUSPEND, "暂扣"),
    (CertificateEventKind.REINSTATE, "恢复（解除暂扣）"),
    (CertificateEventKind.REVOKE, "收回"),
    (CertificateEventKind.CANCEL, "注销"),
]


class CertificateStatusForm(ChineseErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label="操作", choices=STATUS_ACTIONS)
    reason = forms.CharField(label="原因", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class AnnualReviewForm(ChineseErrorsMixin, forms.Form):
    year = forms.IntegerField(label="审验年度", min_value=2000, max_value=2100)
    passed = forms.TypedChoiceField(
        label="审验结论",
        choices=[("1", "合格"), ("0", "不合格（证件将被暂扣）")],
        coerce=lambda v: v == "1",
        initial="1",
    )
    note = forms.CharField(label="备注", max_length=200, required=False)


class TrainingRecordForm(ChineseErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label="培训类型", choices=TrainingKind.choices)
    title = forms.CharField(label="培训名称", max_length=200)
    held_on = forms.DateField(label="培训日期", widget=DATE_WIDGET)
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=1, min_value=Decimal("0.5"))

    def clean_held_on(self) -> dt.date:
        held_on: dt.date = self.cleaned_data["held_on"]
        if held_on > clock.today():
            raise forms.ValidationError("培训日期不能晚于今天。")
        return held_on


# --- parties ------------------------------------------------------------------------------------------------------


class PartyForm(ChineseErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label="类型", choices=PartyKind.choices)
    name = forms.CharField(label="名称/姓名", max_length=200)
    uscc = UsccField(required=False, help_text="法人、其他组织和个体工商户必填")
    id_number = ResidentIdField(required=False, help_text="自然人必填")
    legal_representative = forms.CharField(label="法定代表人/经营者", max_length=50, required=False)
    region: forms.ModelChoiceField[Region] = BoundedModelChoiceField(label="所属区划", queryset=None)
    industry = forms.CharField(label="行业", max_length=100, required=False)
    address = forms.CharField(label="地址", max_length=300, required=False)
    phone = forms.CharField(label="电话", max_length=20, required=False)
    credit_class = forms.ChoiceField(label="信用风险分类", choices=CreditClass.choices, initial=CreditClass.B)

    def __init__(self, *args: Any, regions: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]


class PartyImportForm(ChineseErrorsMixin, forms.Form):
    file = forms.FileField(
        label="导入文件（.xlsx 或 .csv）",
        help_text="首行为表头：类型、名称、统一社会信用代码、身份证号码、法定代表人、区划代码、行业、地址、电话、信用分类",
    )
    skip_invalid = forms.BooleanField(label="跳过错误行（只导入正确的行）", required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError("只支持 .xlsx 或 .csv 文件。")
        return upload


class CertificateVerifyForm(forms.Form):
    number = UpperCaseCodeField(label="证件编号", max_length=32, required=False)
