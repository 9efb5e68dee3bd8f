"""Free text has a limit (zhifa.core.textlimits): a form field without one gets the default, one that sets its
own keeps it, the refusal is in Chinese beside the field, and ``check_length`` refuses the same for the API."""

from __future__ import annotations

import pytest
from django import forms

from zhifa.core.errors import InvalidInput
from zhifa.core.textlimits import PARAGRAPH, LimitedTextForm, check_length, limit_free_text, text_field


class _Form(LimitedTextForm):
    open_text = forms.CharField(label="说明", widget=forms.Textarea)
    short = forms.CharField(label="名称", max_length=10)
    count = forms.IntegerField(label="数量", required=False)


def test_a_text_field_without_a_limit_gets_the_default_and_one_with_a_limit_keeps_it() -> None:
    form = _Form()
    assert form.fields["open_text"].max_length == PARAGRAPH
    assert form.fields["short"].max_length == 10
    assert f'maxlength="{PARAGRAPH}"' in str(form["open_text"])


def test_over_long_text_is_refused_beside_its_field_in_chinese() -> None:
    form = _Form({"open_text": "字" * (PARAGRAPH + 1), "short": "一二三四五六七八九十十"})
    assert not form.is_valid()
    assert form.errors["open_text"] == [f"最多 {PARAGRAPH} 个字，现有 {PARAGRAPH + 1} 个字，请精简后再提交。"]
    assert form.errors["short"] == ["最多 10 个字，现有 11 个字，请精简后再提交。"]
    assert _Form({"open_text": "字" * PARAGRAPH, "short": "短"}).is_valid()


def test_limit_free_text_works_on_any_form_instance() -> None:
    class Plain(forms.Form):
        note = forms.CharField()

    form = limit_free_text(Plain(), default=20)
    assert form.fields["note"].max_length == 20
    assert text_field("理由", limit=30).max_length == 30


def test_check_length_refuses_with_the_field_and_both_languages() -> None:
    assert check_length("  正文  ", field="summary", label="案源内容", limit=5) == "正文"
    with pytest.raises(InvalidInput) as refused:
        check_length("一二三四五六", field="summary", label="案源内容", limit=5)
    assert refused.value.field == "summary" and refused.value.status == 422
    assert refused.value.message == "案源内容最多 5 个字，现有 6 个字。"
    assert "at most 5" in refused.value.message_en
