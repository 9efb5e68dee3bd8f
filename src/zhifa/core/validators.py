"""Identifier checks and masking: 统一社会信用代码 (USCC), 居民身份证号码, region codes, phones, names.

The ``is_*`` predicates never raise: anything that is not a well-formed code (``None``, an ``int``, a code
with a wrong check character …) gives ``False``. The ``validate_*`` functions are Django field validators
that raise :class:`django.core.exceptions.ValidationError` with a Chinese message and a stable code.
The ``*_with_check`` helpers build valid codes (demo data, factories) and raise ``ValueError`` on a bad
prefix, because a bad prefix there is a programming error.

Nothing here normalises input: callers (forms, schemas) strip whitespace and upper-case first, so that a
code is stored in exactly one spelling.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhifa.core import clock

__all__ = [
    "is_legacy_resident_id",
    "is_valid_region_code",
    "is_valid_resident_id",
    "is_valid_uscc",
    "resident_id_check_digit",
    "resident_id_with_check",
    "uscc_check_char",
    "uscc_with_check",
    "validate_resident_id",
    "validate_uscc",
]

# --- 统一社会信用代码, GB 32100-2015 -------------------------------------------------------------------

# GB 32100-2015 §4.2 / 表 1: the code alphabet is the 10 digits and the upper-case Latin letters except
# I, O, Z, S, V; a character's value is its index here (A=10 … Y=30).
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
# GB 32100-2015 §5 / 表 3: the weight of position i (0-based) is 3^i mod 31.
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 32100-2015 §4.1: 登记管理部门码 (1) + 机构类别码 (1) + 登记管理机关行政区划码 (6)
# + 主体标识码 (9) + 校验码 (1).
_USCC_SHAPE = re.compile(rf"[{USCC_CHARSET}]{{2}}[0-9]{{6}}[{USCC_CHARSET}]{{10}}")


def _uscc_check_value(first17: str) -> int:
    # GB 32100-2015 §5: C18 = 31 − MOD(Σ Ci·Wi, 31); a result of 31 is written as 0.
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return (31 - total % 31) % 31


def uscc_check_char(first17: str) -> str:
    """The check character (position 18) of a USCC whose first 17 characters are given."""
    if not isinstance(first17, str) or len(first17) != 17 or not _USCC_SHAPE.fullmatch(first17 + "0"):
        raise ValueError(f"not the first 17 characters of a 统一社会信用代码: {first17!r}")
    return USCC_CHARSET[_uscc_check_value(first17)]


def uscc_with_check(first17: str) -> str:
    """The complete 18-character USCC: ``first17`` followed by its check character (for demo data)."""
    return first17 + uscc_check_char(first17)


def is_valid_uscc(s: object) -> bool:
    """True if ``s`` is a well-formed 统一社会信用代码 with the right check character (GB 32100-2015).

    Positions 1–2 (登记管理部门码, 机构类别码) accept any code character: besides the 1/5/9/Y that the
    standard lists, registration authorities added later (3 律师事务所, 6 宗教, 7 工会, 8 群团, A 中央军委,
    N 农业 …) issue codes too. Positions 3–8 must be digits (a GB/T 2260 region code; central bodies use
    100000, so the region is not checked against the province list). The check character is verified.
    """
    if not isinstance(s, str) or len(s) != 18 or not _USCC_SHAPE.fullmatch(s):
        return False
    # GB 32100-2015 §5: position 18 is the check character over positions 1–17.
    return USCC_CHARSET[_uscc_check_value(s[:17])] == s[17]


# --- 居民身份证号码, GB 11643-1999 ----------------------------------------------------------------------

# GB 11643-1999 §8.2 / ISO 7064:1983 MOD 11-2: weight of position i (1-based) is 2^(18−i) mod 11.
_RESIDENT_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
# GB 11643-1999 §8.2: the check digit for Σ mod 11 = 0, 1, …, 10; 10 is written as X.
_RESIDENT_ID_CHECK = "10X98765432"
# GB 11643-1999 §4: 地址码 (6) + 出生日期码 (8, YYYYMMDD) + 顺序码 (3) + 校验码 (1, 0–9 or X).
_RESIDENT_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_LEGACY_RESIDENT_ID_SHAPE = re.compile(r"[0-9]{15}")
_EARLIEST_BIRTH_YEAR = 1900


def _today() -> date:
    """Today in the platform's time zone when Django is configured, else the machine's date."""
    if settings.configured and settings.USE_TZ:
        return clock.today()
    return date.today()  # noqa: DTZ011, TID251 -- no Django settings: the machine's local date is all there is


def resident_id_check_digit(first17: str) -> str:
    """The check digit (0–9 or X) of a resident ID whose first 17 digits are given."""
    if not isinstance(first17, str) or len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"not the first 17 digits of a 居民身份证号码: {first17!r}")
    # GB 11643-1999 §8.2: MOD 11-2 over the 17 body digits.
    total = sum(int(c) * w for c, w in zip(first17, _RESIDENT_ID_WEIGHTS, strict=True))
    return _RESIDENT_ID_CHECK[total % 11]


def resident_id_with_check(first17: str) -> str:
    """The complete 18-character resident ID: ``first17`` followed by its check digit (for demo data)."""
    return first17 + resident_id_check_digit(first17)


def _birth_date(s: str) -> date | None:
    # GB 11643-1999 §6: 出生日期码 is YYYYMMDD at positions 7–14.
    try:
        return date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None


def is_valid_resident_id(s: object) -> bool:
    """True if ``s`` is an 18-character 居民身份证号码 with a real birth date and the right check digit.

    Only an upper-case ``X`` is accepted as check digit; forms upper-case the input before calling. The
    birth date must be a calendar date from 1900 on and not in the future. 15-digit numbers (the first
    generation, superseded by GB 11643-1999) are refused; see :func:`is_legacy_resident_id`.
    """
    if not isinstance(s, str) or len(s) != 18 or not _RESIDENT_ID_SHAPE.fullmatch(s):
        return False
    birth = _birth_date(s)
    if birth is None or birth.year < _EARLIEST_BIRTH_YEAR or birth > _today():
        return False
    # GB 11643-1999 §8.2: position 18 is the MOD 11-2 check digit over positions 1–17.
    return resident_id_check_digit(s[:17]) == s[17]


def is_legacy_resident_id(s: object) -> bool:
    """True if ``s`` looks like a 15-digit first-generation ID number (no longer accepted)."""
    return isinstance(s, str) and _LEGACY_RESIDENT_ID_SHAPE.fullmatch(s) is not None


# --- 行政区划代码, GB/T 2260 ----------------------------------------------------------------------------

_REGION_CODE_SHAPE = re.compile(r"[0-9]{6}")


def is_valid_region_code(s: object) -> bool:
    """True if ``s`` has the shape of a GB/T 2260 administrative-division code.

    Six digits whose first two (the province) lie in 11–82 (北京 11 … 澳门 82). Whether the code is
    actually assigned is not checked here: that needs the current GB/T 2260 table.
    """
    if not isinstance(s, str) or not _REGION_CODE_SHAPE.fullmatch(s):
        return False
    # GB/T 2260: 省级代码 from 11 (北京市) to 82 (澳门特别行政区); this also refuses 000000.
    return 11 <= int(s[:2]) <= 82


# --- Django field validators ----------------------------------------------------------------------------

USCC_INVALID_MESSAGE = _("统一社会信用代码无效：应为 18 位，且校验码正确。")
RESIDENT_ID_INVALID_MESSAGE = _("居民身份证号码无效：应为 18 位，出生日期真实，且校验码正确。")
RESIDENT_ID_LEGACY_MESSAGE = _("15 位旧身份证号码已停止使用，请输入 18 位号码。")


def validate_uscc(value: object) -> None:
    """Django validator: refuse anything :func:`is_valid_uscc` refuses (code ``invalid_uscc``)."""
    if not is_valid_uscc(value):
        raise ValidationError(USCC_INVALID_MESSAGE, code="invalid_uscc")


def validate_resident_id(value: object) -> None:
    """Django validator for 居民身份证号码 (codes ``legacy_resident_id`` and ``invalid_resident_id``)."""
    if is_legacy_resident_id(value):
        raise ValidationError(RESIDENT_ID_LEGACY_MESSAGE, code="legacy_resident_id")
    if not is_valid_resident_id(value):
        raise ValidationError(RESIDENT_ID_INVALID_MESSAGE, code="invalid_resident_id")
