"""The masks of zhifa.core.masking (the published text's scrubbing is proved in disclosure/tests/test_privacy.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.core.masking import mask_person_name, mask_phone, mask_resident_id

# --- masking ----------------------------------------------------------------------------------------------


def test_resident_id_mask_keeps_first_six_and_last_four() -> None:
    assert mask_resident_id("11010519491231002X") == "110105********002X"


def test_resident_id_mask_of_other_lengths_keeps_first_three_and_last_two() -> None:
    assert mask_resident_id("110105491231002") == "110**********02"
    assert mask_resident_id("12345") == "*****"
    assert mask_resident_id("") == ""


def test_phone_mask_keeps_first_three_and_last_four() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("01012345678") == "010****5678"


def test_short_phone_mask_reveals_at_most_two_digits() -> None:
    assert mask_phone("12345") == "***45"
    assert mask_phone("110") == "***"


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张", "*"),
        ("张三", "张*"),
        ("张三丰", "张**"),
        ("欧阳锋", "欧阳*"),
        ("欧阳娜娜", "欧阳**"),
        (" 李四 ", "李*"),
        ("", ""),
        (None, ""),
    ],
)
def test_name_mask_keeps_the_surname_only_a_compound_one_whole(name: str, masked: str) -> None:
    # one rule on public and internal pages (docs/disclosure.md): 保留姓氏 (法释〔2016〕19号 第九条)
    assert mask_person_name(name) == masked


@given(st.text(min_size=0, max_size=30))
def test_masks_never_lengthen_or_raise(s: str) -> None:
    assert len(mask_resident_id(s)) == len(s)
    assert len(mask_phone(s)) == len(s)
    assert len(mask_person_name(s)) == len(s.strip())
