"""Desensitisation (脱敏) of what the public sees: pages, the API, exports and the search index.

The seeds require that personal privacy is not published, or only after technical processing (seed 001:
"涉及国家秘密、商业秘密、个人隐私的 … 不予公开或者经技术处理后公开"); 行政处罚法 第四十八条 publishes
decisions "依法" — i.e. within the limits of 个人信息保护法 and 政府信息公开条例 第十五条 (personal privacy).
The rules, as implemented:

* a natural person's name keeps its surname only (张三 → 张*, 欧阳小明 → 欧阳**);
* any run of 11 or more digits — even with spaces, hyphens or brackets between groups, and a trailing X —
  is removed. That covers every resident ID number (18 digits, or 17 + X; old 15-digit ones), every mobile
  number (11 digits, also with +86), every landline with its area code (3–4 + 7–8 digits) and every bank
  card (16–19 digits). Over-removal (a long serial number) is the safe side;
* a landline without area code is removed where a label announces it (电话、手机、联系方式 …);
* a natural person's home address is removed after its label (住址、家庭住址、现住址、户籍地、家住 …) and
  wherever the caller names it;
* names the caller passes (the natural persons of the decision) are masked wherever they appear.

These functions are pure (no database), so the portal and the search index use them too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REMOVED = "＊＊＊"
ADDRESS_REMOVED = "（已隐去）"

# 复姓 — kept whole when masking (a two-character surname is part of what the public may read).
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "闾丘",
        "端木",
        "澹台",
        "独孤",
        "南宫",
        "西门",
        "呼延",
        "万俟",
        "申屠",
        "太史",
        "赫连",
        "公羊",
        "百里",
        "东郭",
        "仲孙",
        "濮阳",
        "单于",
        "拓跋",
        "司空",
        "段干",
        "左丘",
        "梁丘",
        "第五",
    ]
)

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
# 11+ digits, allowing one separator between any two of them, and an optional check character X.
_SEP = r"[ \-－–—()（）\u3000]?"
_LONG_DIGITS = re.compile(rf"(?:\+?86{_SEP})?\d(?:{_SEP}\d){{10,}}(?:{_SEP}[Xx])?")
_LABELLED_PHONE = re.compile(
    r"((?:联系)?(?:电话|手机|手机号码?|座机|联系方式|Tel|TEL|tel)\s*[:：]?\s*)[\d\-－()（）+ ]{7,}"
)
_ADDRESS = re.compile(
    r"((?:家庭住址|现住址|住址|户籍地址?|户籍所在地|居住地址?|家住|现住)\s*[:：]?\s*)[^，。；;,\n]+"
)


def mask_person_name(name: str) -> str:
    """A natural person's name with only the surname left: 张三 → 张*, 欧阳小明 → 欧阳**, 李 → *."""
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    keep = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:keep] + "*" * (len(name) - keep)


def scrub_text(text: str, *, person_names: Iterable[str] = (), addresses: Iterable[str] = ()) -> str:
    """The text with ID, phone and bank card numbers and home addresses removed and persons' names masked."""
    if not text:
        return ""
    out = text.translate(_FULLWIDTH_DIGITS)
    for address in sorted({a.strip() for a in addresses if a and len(a.strip()) >= 4}, key=len, reverse=True):
        out = out.replace(address, ADDRESS_REMOVED)
    out = _ADDRESS.sub(lambda m: m.group(1) + ADDRESS_REMOVED, out)
    out = _LABELLED_PHONE.sub(lambda m: m.group(1) + REMOVED, out)
    out = _LONG_DIGITS.sub(REMOVED, out)
    for name in sorted({n.strip() for n in person_names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        out = out.replace(name, mask_person_name(name))
    return out


def party_display(name: str, kind: str) -> str:
    """How a party is named in public: a natural person masked, an organisation or business as registered."""
    return mask_person_name(name) if kind == "natural_person" else (name or "")


_ID_IN_CODE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_MOBILE_IN_CODE = re.compile(r"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)")


def personal_number_in(code: str) -> bool:
    """Does a code (licence number, document number) carry a resident ID (valid check digit) or a mobile?"""
    from zhifa.core.validators import resident_id_check_digit

    text = (code or "").translate(_FULLWIDTH_DIGITS)
    if _MOBILE_IN_CODE.search(text):
        return True
    return any(resident_id_check_digit(m[:17]) == m[17].upper() for m in _ID_IN_CODE.findall(text))


def scrub_code(code: str) -> str:
    """A public code (许可编号, 文书号, 统一社会信用代码) as it may be shown.

    ``scrub_text`` removes every run of 11+ digits, which would blank most licence numbers (食品经营许可证
    JY + 14 digits). A code is kept whole instead unless it carries a resident ID number or a mobile number,
    in which case it is removed entirely; the import refuses such codes, so this is the second line only.
    """
    code = (code or "").strip()
    return REMOVED if personal_number_in(code) else code
