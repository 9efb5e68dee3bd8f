"""统一社会信用代码 (GB 32100-2015), 居民身份证号码 (GB 11643-1999), region codes and masking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zhifa.core import clock, validators
from zhifa.core.validators import (
    USCC_CHARSET,
    is_legacy_resident_id,
    is_valid_region_code,
    is_valid_resident_id,
    is_valid_uscc,
    resident_id_with_check,
    uscc_check_char,
    uscc_with_check,
    validate_resident_id,
    validate_uscc,
)

# --- an independent reading of the standards, to check the implementation against --------------------


def _reference_uscc_check(first17: str) -> str:
    # GB 32100-2015 §5 written out literally: Wi = 3^(i-1) mod 31, C18 = 31 - MOD(Σ, 31), 31 → 0.
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(c) * (3**i % 31) for i, c in enumerate(first17))
    c18 = 31 - total % 31
    return alphabet[0 if c18 == 31 else c18]


def _reference_id_check(first17: str) -> str:
    # GB 11643-1999 §8.2 written out literally.
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


uscc_chars = st.sampled_from(USCC_CHARSET)
uscc_prefixes = st.builds(
    lambda head, region, body: head + region + body,
    st.text(uscc_chars, min_size=2, max_size=2),
    st.text(st.sampled_from("0123456789"), min_size=6, max_size=6),
    st.text(uscc_chars, min_size=9, max_size=9),
)
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31))
resident_prefixes = st.builds(
    lambda region, birth, seq: f"{region}{birth:%Y%m%d}{seq:03d}",
    st.sampled_from(["110105", "310104", "440305", "650102", "810000"]),
    birth_dates,
    st.integers(0, 999),
)


# --- 统一社会信用代码 ----------------------------------------------------------------------------------


def test_uscc_weights_are_powers_of_three_mod_31() -> None:
    assert [pow(3, i, 31) for i in range(17)] == [
        1,
        3,
        9,
        27,
        19,
        26,
        16,
        17,
        20,
        29,
        25,
        13,
        8,
        24,
        10,
        30,
        28,
    ]


@pytest.mark.parametrize(
    "code",
    [
        "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
        "914403001922038216",  # 华为技术有限公司
        "91330100716105852F",  # 阿里巴巴（中国）有限公司
        "91110108551385082Q",  # 小米科技有限责任公司
        "91110000802100433B",
        "91440300708461136T",
        "11100000000013127D",  # a central government body (登记管理部门 1, region 100000)
    ],
)
def test_published_uscc_of_real_organisations_is_accepted(code: str) -> None:
    assert _reference_uscc_check(code[:17]) == code[17]
    assert is_valid_uscc(code)


@given(uscc_prefixes)
def test_uscc_with_computed_check_character_is_valid(first17: str) -> None:
    code = uscc_with_check(first17)
    assert code[17] == _reference_uscc_check(first17)
    assert is_valid_uscc(code)


@given(uscc_prefixes, uscc_chars)
def test_uscc_with_wrong_check_character_is_refused(first17: str, other: str) -> None:
    right = uscc_check_char(first17)
    if other == right:
        other = USCC_CHARSET[(USCC_CHARSET.index(right) + 1) % 31]
    assert not is_valid_uscc(first17 + other)


@given(uscc_prefixes, st.integers(0, 16), st.integers(1, 30))
def test_uscc_with_one_character_changed_is_refused(first17: str, position: int, shift: int) -> None:
    code = uscc_with_check(first17)
    alphabet = "0123456789" if 2 <= position <= 7 else USCC_CHARSET
    old = code[position]
    new = alphabet[(alphabet.index(old) + shift) % len(alphabet)]
    if new == old:
        return
    # The weights are all non-zero mod the prime 31, so every single substitution changes the sum.
    assert not is_valid_uscc(code[:position] + new + code[position + 1 :])


@pytest.mark.parametrize("head", ["11", "31", "51", "61", "71", "81", "91", "92", "93", "A1", "N2", "Y1"])
def test_uscc_accepts_any_registration_authority_and_category(head: str) -> None:
    assert is_valid_uscc(uscc_with_check(head + "440300MA5FXXXX1"))


def test_uscc_check_value_31_is_written_as_zero() -> None:
    # Find a prefix whose weighted sum is a multiple of 31 by adjusting its last character.
    base = "91110000MA0000000"
    for c in USCC_CHARSET:
        first17 = base[:16] + c
        if _reference_uscc_check(first17) == "0":
            assert uscc_check_char(first17) == "0"
            assert is_valid_uscc(first17 + "0")
            return
    pytest.fail("no prefix with check value 0 found")


@pytest.mark.parametrize(
    "code",
    [
        "9144030071526726X",  # 17 characters
        "9144030071526726XGG",  # 19 characters
        "9144030071526726xg",  # lower case
        "91440300715267260I",  # I is not in the code alphabet
        "9144030071526726OG",  # O is not in the code alphabet
        "91A40300715267260G",  # region code must be digits
        " 9144030071526726X",
        "",
    ],
)
def test_malformed_uscc_is_refused(code: str) -> None:
    assert not is_valid_uscc(code)


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_uscc_with_excluded_letter_is_refused_even_as_check_character(letter: str) -> None:
    assert not is_valid_uscc("9144030071526726X" + letter)


@pytest.mark.parametrize("value", [None, 914403001922038216, b"914403001922038216", ["x"]])
def test_uscc_check_never_raises_on_non_strings(value: object) -> None:
    assert is_valid_uscc(value) is False


@pytest.mark.parametrize("bad", ["", "91440300715267", "9144030071526726XG", "9144030071526726I", 12])
def test_uscc_check_char_refuses_a_bad_prefix(bad: object) -> None:
    with pytest.raises(ValueError):
        uscc_check_char(bad)  # type: ignore[arg-type]


def test_validate_uscc_raises_with_code_invalid_uscc() -> None:
    validate_uscc("914403001922038216")
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc("914403001922038217")
    assert excinfo.value.code == "invalid_uscc"
    assert "统一社会信用代码" in str(excinfo.value.messages[0])


# --- 居民身份证号码 --------------------------------------------------------------------------------------


def test_standard_example_resident_id_is_accepted() -> None:
    # The worked example of GB 11643-1999 附录 A.
    assert is_valid_resident_id("11010519491231002X")


@given(resident_prefixes)
def test_resident_id_with_computed_check_digit_is_valid(first17: str) -> None:
    number = resident_id_with_check(first17)
    assert number[17] == _reference_id_check(first17)
    assert is_valid_resident_id(number)


@given(resident_prefixes, st.integers(0, 16), st.integers(1, 9))
def test_resident_id_with_one_digit_changed_is_refused(first17: str, position: int, shift: int) -> None:
    number = resident_id_with_check(first17)
    changed = str((int(number[position]) + shift) % 10)
    # Every weight is non-zero mod the prime 11, so any single-digit change breaks the check digit
    # (and may also break the birth date); either way the number is refused.
    assert not is_valid_resident_id(number[:position] + changed + number[position + 1 :])


@given(resident_prefixes, st.sampled_from("0123456789X"))
def test_resident_id_with_wrong_check_digit_is_refused(first17: str, check: str) -> None:
    if check == _reference_id_check(first17):
        return
    assert not is_valid_resident_id(first17 + check)


def test_resident_id_with_lower_case_x_is_refused() -> None:
    # Forms upper-case the input before validating; the stored spelling is always upper-case.
    assert not is_valid_resident_id("11010519491231002x")


@pytest.mark.parametrize("birth", ["19490230", "19491301", "19490000", "20230229"])
def test_resident_id_with_impossible_birth_date_is_refused(birth: str) -> None:
    assert not is_valid_resident_id(resident_id_with_check(f"110105{birth}002"))


def test_resident_id_of_a_leap_day_birth_is_accepted() -> None:
    assert is_valid_resident_id(resident_id_with_check("11010520000229002"))


def test_resident_id_born_before_1900_is_refused() -> None:
    assert not is_valid_resident_id(resident_id_with_check("11010518991231002"))
    assert is_valid_resident_id(resident_id_with_check("11010519000101002"))


def test_resident_id_born_in_the_future_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validators, "_today", lambda: date(2024, 6, 30))
    assert is_valid_resident_id(resident_id_with_check("11010520240630002"))
    assert not is_valid_resident_id(resident_id_with_check("11010520240701002"))


def test_resident_id_born_after_today_is_refused_by_the_real_clock() -> None:
    tomorrow = clock.today() + timedelta(days=2)
    assert not is_valid_resident_id(resident_id_with_check(f"110105{tomorrow:%Y%m%d}002"))


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310",  # 15-digit legacy number
        "11010519491231002",  # 17 digits
        "11010519491231002XX",
        "1101051949123100X2",  # X only in the last position
        "11010519491231002Y",
        "",
    ],
)
def test_malformed_resident_id_is_refused(number: str) -> None:
    assert not is_valid_resident_id(number)


@pytest.mark.parametrize("value", [None, 110105194912310020, b"11010519491231002X"])
def test_resident_id_check_never_raises_on_non_strings(value: object) -> None:
    assert is_valid_resident_id(value) is False


def test_fifteen_digit_number_is_recognised_as_legacy() -> None:
    assert is_legacy_resident_id("110105491231002")
    assert not is_legacy_resident_id("11010519491231002X")
    assert not is_legacy_resident_id("11010549123100X")
    assert not is_legacy_resident_id(None)


def test_validate_resident_id_tells_a_legacy_number_apart() -> None:
    validate_resident_id("11010519491231002X")
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id("110105491231002")
    assert excinfo.value.code == "legacy_resident_id"
    assert "15 位" in str(excinfo.value.messages[0])


def test_validate_resident_id_raises_with_code_invalid_resident_id() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id("110105194912310021")
    assert excinfo.value.code == "invalid_resident_id"


def test_resident_id_with_check_refuses_a_bad_prefix() -> None:
    with pytest.raises(ValueError):
        resident_id_with_check("1101051949123100X")
    with pytest.raises(ValueError):
        resident_id_with_check("110105")


# --- region codes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["110000", "110105", "440305", "650102", "820000"])
def test_region_code_of_a_province_11_to_82_is_accepted(code: str) -> None:
    assert is_valid_region_code(code)


@pytest.mark.parametrize(
    "code", ["000000", "100000", "830000", "990000", "11010", "1101051", "11010a", "", None]
)
def test_region_code_outside_the_gb_t_2260_shape_is_refused(code: object) -> None:
    assert not is_valid_region_code(code)
