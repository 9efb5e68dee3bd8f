"""Desensitisation: names masked, ID / phone / bank card numbers and home addresses removed (privacy.py)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.disclosure.privacy import mask_person_name, scrub_text

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def resident_id(region: int, year: int, month: int, day: int, seq: int) -> str:
    body = f"{region:06d}{year:04d}{month:02d}{day:02d}{seq:03d}"
    return body + _CHECK[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11]


ids = st.builds(
    resident_id,
    st.integers(110000, 659999),
    st.integers(1930, 2020),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 999),
)
mobiles = st.builds(lambda p, n: f"1{p}{n:09d}", st.sampled_from("3456789"), st.integers(0, 999_999_999))
separated_mobiles = mobiles.map(lambda m: f"{m[:3]}-{m[3:7]}-{m[7:]}") | mobiles.map(
    lambda m: f"{m[:3]} {m[3:7]} {m[7:]}"
)
cards = st.integers(10**15, 10**19 - 1).map(str)
surround = st.text(alphabet=st.sampled_from("罚款元号第条，。：abcX 0123456789（）-"), max_size=12)


_SEP = r"[ \-\u3000]?"
_ID_WINDOW = re.compile(rf"(?=(\d(?:{_SEP}\d){{16}}{_SEP}[\dXx]))")


def _valid_id_in(text: str) -> bool:
    """Any 18-character window (digits, allowing single separators) with a valid check character."""
    text = text.translate(str.maketrans("０１２３４５６７８９Ｘ", "0123456789X"))
    return any(_checks(re.sub(r"[ \-\u3000]", "", m.group(1))) for m in _ID_WINDOW.finditer(text))


def _checks(candidate: str) -> bool:
    body = candidate[:17]
    return _CHECK[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11] == candidate[17].upper()


def test_names_keep_only_the_surname() -> None:
    assert mask_person_name("张三") == "张*"
    assert mask_person_name("欧阳小明") == "欧阳**"
    assert mask_person_name("李") == "*"
    assert mask_person_name("王小二") == "王**"
    assert mask_person_name("  ") == ""


def test_scrub_removes_each_kind_of_personal_number_and_masks_names() -> None:
    text = (
        "当事人张三，身份证号码110101199003071234，手机13812345678，座机0571-88886666，"
        "银行卡6222 0212 3456 7890 123，住址：测县幸福路8号3单元，联系电话：8888666。罚款人民币5000元。"
    )
    out = scrub_text(text, person_names=["张三"])
    for secret in ("张三", "110101199003071234", "13812345678", "88886666", "6222", "幸福路", "8888666"):
        assert secret not in out
    assert "张*" in out and "罚款人民币5000元" in out


def test_given_home_address_is_removed_wherever_it_appears() -> None:
    out = scrub_text("在测县幸福路8号经营", addresses=["测县幸福路8号"])
    assert "幸福路" not in out


@settings(max_examples=200, deadline=None)
@given(surround, ids, surround)
def test_no_valid_resident_id_survives(before: str, number: str, after: str) -> None:
    out = scrub_text(before + number + after)
    assert number not in out
    assert not _valid_id_in(out)


@settings(max_examples=200, deadline=None)
@given(surround, mobiles | separated_mobiles, surround)
def test_no_mobile_number_survives(before: str, phone: str, after: str) -> None:
    out = scrub_text(before + phone + after)
    assert phone not in out and re.sub(r"\D", "", phone) not in out
    assert not re.search(r"\d(?:[ \-]?\d){10,}", out)


@settings(max_examples=100, deadline=None)
@given(surround, cards, surround)
def test_no_bank_card_number_survives(before: str, card: str, after: str) -> None:
    out = scrub_text(before + card + after)
    assert card not in out and not re.search(r"\d{11}", out)


@settings(max_examples=100, deadline=None)
@given(ids, st.sampled_from(["", " ", "\u3000"]))
def test_full_width_digits_are_scrubbed_too(number: str, sep: str) -> None:
    wide = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert not _valid_id_in(scrub_text("号码" + sep + wide))
