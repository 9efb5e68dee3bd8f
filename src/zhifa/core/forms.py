"""Form fields and parsing for the pages' edge: types, lengths, ranges and choices checked with Chinese messages
before a service is called (issue 23). The apps' ``forms.py`` build their forms from these.

``parse(FormClass, request.POST)`` gives the cleaned data or raises the form's first error as
``InvalidInput`` (message, field), which the pages already show beside the field or as a message.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from zhifa.core.errors import InvalidInput

MAX_ID = 2**31 - 1


def text_field(label: str, max_length: int, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "max_length": f"{label}过长（最多 %(limit_value)d 字）。",
            "required": f"请填写{label}。",
        },
    )


def date_field(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        error_messages={"invalid": f"{label}格式应为 YYYY-MM-DD。", "required": f"请填写{label}。"},
    )


def id_field(label: str, required: bool = True, message: str = "") -> forms.IntegerField:
    """The id of a row picked from a list; ``message`` says what to pick when none or a bad one is posted."""
    message = message or f"请选择{label}。"
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=1,
        max_value=MAX_ID,
        error_messages={"invalid": message, "min_value": message, "max_value": message, "required": message},
    )


def choice_field(label: str, choices: Any, required: bool = False) -> forms.ChoiceField:
    blank = [("", "")] if not required else []
    return forms.ChoiceField(
        label=label,
        choices=[*blank, *choices],
        required=required,
        error_messages={"invalid_choice": f"请选择有效的{label}。", "required": f"请选择{label}。"},
    )


def first_error(form: forms.Form) -> InvalidInput:
    """The form's first error as the domain error the pages already show (message, field)."""
    for field, errors in form.errors.items():
        name = "" if field == "__all__" else field
        return InvalidInput(str(errors[0]), f"{name or 'form'}: invalid.", field=name or None)
    return InvalidInput("输入不合法。", "Invalid input.")


def parse(form_class: type[forms.Form], data: Any) -> dict[str, Any]:
    """The cleaned data of a bound form, or the first error raised as ``InvalidInput``."""
    form = form_class(data)
    if not form.is_valid():
        raise first_error(form)
    return form.cleaned_data


def yuan_field(label: str, required: bool = False) -> forms.DecimalField:
    """An amount in yuan: up to 12 digits before the point and 2 after, not negative."""
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        error_messages={
            "invalid": f"{label}：金额格式不正确。",
            "min_value": f"{label}不能为负数。",
            "max_digits": f"{label}过大。",
            "max_whole_digits": f"{label}过大。",
            "max_decimal_places": f"{label}最多两位小数。",
            "required": f"请填写{label}。",
        },
    )


def int_field(label: str, min_value: int, max_value: int, required: bool = True) -> forms.IntegerField:
    message = f"{label}应为 {min_value}–{max_value} 之间的整数。"
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        error_messages={
            "invalid": message,
            "min_value": message,
            "max_value": message,
            "required": f"请填写{label}。",
        },
    )


class IdListField(forms.Field):
    """Ticked rows (``getlist``): the ids that are ids; anything else is dropped, as a list would never post it."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, (list, tuple)) else [value] if value else []
        return [int(v) for v in values if isinstance(v, str) and v.isdigit() and 0 < int(v) <= MAX_ID]


def _id_like(value: Any) -> bool:
    """A primary key as a form posts it: digits only, within a database integer (a longer number reaches the
    database driver as an overflow, not as "no such row")."""
    text = str(value.pk if hasattr(value, "pk") else value).strip()
    return text.isdigit() and int(text) <= 2**63 - 1


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` that refuses a value which cannot be a key before it asks the database."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _id_like(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ``ModelMultipleChoiceField`` that refuses values which cannot be keys before it asks the database."""

    def _check_values(self, value: Any) -> Any:
        for each in value if isinstance(value, list | tuple | set | frozenset) else [value]:
            if each not in self.empty_values and not _id_like(each):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": each}
                )
        return super()._check_values(value)  # type: ignore[misc]  # Django's hook, not in django-stubs
