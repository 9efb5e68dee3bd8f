"""Desensitisation (脱敏): the one place that masks personal data, for the public side (pages, the API, exports,
the search index) and for the platform's own pages (a party's 法定代表人 and phone on the workbench).

Names keep the surname only (张三 → 张*, 欧阳小明 → 欧阳**); docs/disclosure.md says why this rule and not the
first-and-last-character one (欧*锋) the platform's pages used before. Resident ID numbers keep the first 6 and last
4 characters, phone numbers the first 3 and last 4, where they are shown at all.

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

from zhifa.core.validators import resident_id_check_digit

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
    """A natural person's name with only the surname left: 张三 → 张*, 欧阳小明 → 欧阳**, 李 → *.

    The one rule for names, on public pages and inside the platform alike (docs/disclosure.md, 姓名): the surname
    stays, the given name goes — as 最高人民法院《关于人民法院在互联网公布裁判文书的规定》第九条 treats a name it
    hides ("保留姓氏，名字以'某'替代"); a star per character keeps the layout of tables and search results."""
    if not isinstance(name, str):
        return ""
    name = name.strip()
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


# --- ID and phone numbers on the platform's pages ---------------------------------------------------------


def _masked(s: str, keep_start: int, keep_end: int) -> str:
    if len(s) <= keep_start + keep_end:
        return "*" * len(s)
    return s[:keep_start] + "*" * (len(s) - keep_start - keep_end) + s[len(s) - keep_end :]


def mask_resident_id(s: str) -> str:
    """``110105********002X``: keep the first 6 and last 4 of an 18-character ID.

    Any other length keeps the first 3 and last 2; a string of 5 characters or fewer is masked entirely
    (keeping 3 + 2 would show all of it).
    """
    if not isinstance(s, str):
        return ""
    if len(s) == 18:
        return _masked(s, 6, 4)
    return _masked(s, 3, 2)


def mask_phone(s: str) -> str:
    """``138****5678``: keep the first 3 and last 4 of a phone number.

    Numbers shorter than 8 characters keep only their last 2; 4 characters or fewer are masked entirely.
    """
    if not isinstance(s, str):
        return ""
    if len(s) >= 8:
        return _masked(s, 3, 4)
    if len(s) > 4:
        return _masked(s, 0, 2)
    return "*" * len(s)
