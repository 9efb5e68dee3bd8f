"""What every case document is filled from: the numbering word of each type, the remedies every adverse decision
states, the public verification address, the case's parties, officers, facts and basis as documents word them,
and the :class:`Body` a builder fills and the layout draws."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from zhifa.cases.models import (
    Case,
    DocumentType,
    PenaltyKind,
)
from zhifa.core import pdf as kit
from zhifa.core.paging import capped
from zhifa.evidence.required import own_evidence

# The number's word per type, e.g. 示县市监罚〔2026〕12号 (行政处罚决定书).
NUMBER_WORD = {
    DocumentType.FILING_APPROVAL: "立审",
    DocumentType.INQUIRY_RECORD: "询",
    DocumentType.INSPECTION_RECORD: "检",
    DocumentType.PRESERVATION_NOTICE: "先保",
    DocumentType.SEIZURE_DECISION: "封扣",
    DocumentType.SEIZURE_INVENTORY: "物清",
    DocumentType.SEIZURE_EXTENSION: "延封扣",
    DocumentType.SEIZURE_RELEASE: "解封扣",
    DocumentType.EXTENSION_APPROVAL: "延审",
    DocumentType.PRIOR_NOTICE: "告",
    DocumentType.HEARING_NOTICE: "听通",
    DocumentType.HEARING_RECORD: "听录",
    DocumentType.DECISION: "罚",
    DocumentType.NOT_PUNISH_DECISION: "不罚",
    DocumentType.SERVICE_RECEIPT: "送",
    DocumentType.DEMAND: "催",
    DocumentType.COURT_APPLICATION: "强申",
    DocumentType.CLOSING_APPROVAL: "结审",
}


# The types that concern one measure on property (which one is stored on the document).
SEIZURE_TYPES = frozenset(
    {
        DocumentType.PRESERVATION_NOTICE,
        DocumentType.SEIZURE_DECISION,
        DocumentType.SEIZURE_INVENTORY,
        DocumentType.SEIZURE_EXTENSION,
        DocumentType.SEIZURE_RELEASE,
    }
)


# The remedies every adverse decision states, with their periods:
# 行政复议法（2023 修订）第二十条: 自知道或者应当知道该行政行为之日起六十日内提出行政复议申请;
# 行政诉讼法 第四十六条: 自知道或者应当知道作出行政行为之日起六个月内提出 (直接起诉).
REMEDY_DAYS_RECONSIDERATION = 60
REMEDY_MONTHS_LITIGATION = 6


def remedies(what: str) -> str:
    return (
        f"如不服本{what}，可以自收到本{what}之日起{_cn(REMEDY_DAYS_RECONSIDERATION)}日内依法申请行政复议，"
        f"或者自收到之日起{_cn(REMEDY_MONTHS_LITIGATION)}个月内依法向人民法院提起行政诉讼"
        "（《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条）。"
    )


_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """Small numbers in Chinese numerals as statutes write them (六十, 十五, 七)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if ones == 0 else _DIGITS[ones])


def verify_url(number: str) -> str:
    """The public verification page's address, absolute with ``ZHIFA_PUBLIC_BASE_URL`` (for the QR code)."""
    return kit.verify_url("document_verify", number)


def _d(value: dt.date | None) -> str:
    return f"{value:%Y年%m月%d日}" if value else "—"


def _money(value: Any) -> str:
    return f"人民币 {value} 元" if value else "—"


def _kinds(kinds: Iterable[str]) -> str:
    return "、".join(str(PenaltyKind(k).label) for k in kinds if k in PenaltyKind.values) or "—"


def _penalty_text(kinds: Iterable[str], fine: Any, confiscation: Any) -> str:
    kinds = list(kinds)
    parts = []
    for k in kinds:
        if k not in PenaltyKind.values:
            continue
        label = str(PenaltyKind(k).label)
        if k == PenaltyKind.FINE and fine:
            label += f"人民币 {fine} 元"
        elif k in (PenaltyKind.CONFISCATE_INCOME, PenaltyKind.CONFISCATE_PROPERTY) and confiscation:
            label += f"（金额/价值人民币 {confiscation} 元）"
        parts.append(label)
    return "；".join(parts) or "—"


def _parties(case: Case) -> list[Any]:
    return [link.party for link in case.party_links.select_related("party").order_by("id")]


def _party_rows(case: Case) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for p in _parties(case):
        rows.append(("当事人", p.name))
        if p.uscc:
            rows.append(("统一社会信用代码", p.uscc))
        if p.legal_representative:
            rows.append(("法定代表人（负责人）", p.legal_representative))
        if p.id_number:
            rows.append(("身份证件号码", p.id_number))
        if p.address:
            rows.append(("住所（地址）", p.address))
        if p.phone:
            rows.append(("联系电话", p.phone))
    return rows or [("当事人", "—")]


def _party_names(case: Case) -> str:
    return "、".join(p.name for p in _parties(case)) or "—"


def _officers(case: Case) -> str:
    """承办人员 with their enforcement certificate numbers (执法证号), lead first."""
    parts = []
    for link in case.officer_links.select_related("officer").order_by("-is_lead", "id"):
        officer = link.officer
        cert = officer.certificates.filter(status="valid").order_by("-expires_on").first()
        parts.append(f"{officer.name}（执法证号 {cert.number}）" if cert else officer.name)
    return "、".join(parts) or "—"


def _evidence(case: Case) -> str:
    # only evidence filed under the case's own agency (none attached from another county)
    items = capped(own_evidence("cases.case", str(case.pk)).order_by("id"), 20)
    listed = "；".join(f"{e.get_kind_display()}《{e.original_filename}》" for e in items)
    # a document names the first 20 and says how many there are (never a silent cut of the evidence)
    return f"{listed}等，共 {items.total} 件" if items.more else listed


def _facts(case: Case) -> str:
    return case.facts or case.source_summary or case.title


def _basis(case: Case) -> str:
    return case.legal_basis or "（承办人员填写违反的法律条款和处罚依据）"


@dataclass
class Body:
    """What one document shows; the layout (``render_pdf``) draws it."""

    rows: list[tuple[str, str]] = field(default_factory=list)
    grid: bool = False  # rows as a bordered grid (审批表、笔录首部) instead of "label：value" lines
    paragraphs: list[str] = field(default_factory=list)
    opinions: list[str] = field(default_factory=list)  # boxes for handwritten opinions and signatures
    inventory: list[str] | None = None
    lined_blanks: int = 0  # ruled lines for handwriting (笔录)
    lined_heading: str = ""
    signatures: list[str] = field(default_factory=list)
    sealed: bool = True  # the agency's name, （印章）and the date at the foot
    addressee: str = ""  # "XXX：" above the paragraphs of a notice or decision


def body_text(body: Body) -> str:
    """All the text a body puts on paper (tests read it; the PDF's text is subset-encoded)."""
    parts = [body.addressee, *(f"{k}：{v}" for k, v in body.rows), *body.paragraphs, *body.opinions]
    parts += [*(body.inventory or []), body.lined_heading, *body.signatures]
    return "\n".join(p for p in parts if p)
