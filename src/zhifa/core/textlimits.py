"""Length limits of free text (自由文本字数上限) — one set of sizes for forms, services and the API.

A page that accepts 20,000 characters where a paragraph is meant either breaks its layout or hides what was
saved. Every free-text input gets a limit: the form shows the refusal beside the field in Chinese
(``limit_free_text`` on a form, or ``text_field`` for one field), and the service refuses the same input
from the API with ``check_length`` (HTTP 422, Chinese and English message), so both doors hold.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.core.validators import MaxLengthValidator

from zhifa.core.errors import InvalidInput

NAME = 200  # a title, a name, a place, an organisation
LINE = 500  # a reason, a note, a short opinion
PARAGRAPH = 5000  # facts, a statement, findings, a summary of a source

F = TypeVar("F", bound=forms.BaseForm)

MAX_LENGTH_MESSAGE = "最多 %(limit_value)d 个字，现有 %(show_value)d 个字，请精简后再提交。"


def check_length(value: str | None, *, field: str, label: str, limit: int) -> str:
    """The stripped text, or ``InvalidInput`` (422) naming the field when it is longer than ``limit``."""
    text = (value or "").strip()
    if len(text) > limit:
        raise InvalidInput(
            f"{label}最多 {limit} 个字，现有 {len(text)} 个字。",
            f"{field} is at most {limit} characters (got {len(text)}).",
            code="text_too_long",
            field=field,
            details={"limit": limit, "length": len(text)},
        )
    return text


def text_field(
    label: str, *, limit: int = LINE, required: bool = True, rows: int = 0, **kwargs: Any
) -> forms.CharField:
    """A free-text form field with its limit and the Chinese message beside the field."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=widget,
        error_messages={"max_length": MAX_LENGTH_MESSAGE},
        **kwargs,
    )


def limit_free_text(form: F, default: int = PARAGRAPH) -> F:
    """Give every text field of ``form`` a limit (``default`` where it has none) and the Chinese message.

    Call it at the end of a form's ``__init__`` (or on a form instance): fields that set ``max_length``
    keep theirs.
    """
    for field in form.fields.values():
        if not isinstance(field, forms.CharField):
            continue
        if field.max_length is None:
            field.max_length = default
            field.validators.append(MaxLengthValidator(default))
            field.widget.attrs.update(field.widget_attrs(field.widget))
        field.error_messages["max_length"] = MAX_LENGTH_MESSAGE
    return form


class LimitedTextForm(forms.Form):
    """A form whose text fields all carry a length limit (see ``limit_free_text``)."""

    text_limit = PARAGRAPH

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_free_text(self, self.text_limit)


__all__ = [
    "LINE",
    "MAX_LENGTH_MESSAGE",
    "NAME",
    "PARAGRAPH",
    "LimitedTextForm",
    "check_length",
    "limit_free_text",
    "text_field",
]
