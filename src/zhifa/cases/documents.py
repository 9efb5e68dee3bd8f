"""执法文书 rendering: the agency header, the number, the body of each type, and a QR code to the public
verification page — as a PDF with an embedded Chinese font (Noto Serif CJK SC, subset by fpdf2).

Pure rendering: takes a case and a number, returns bytes. The service (``services.document_issue``) numbers,
hashes, signs and stores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from django.urls import reverse

from zhifa.cases.models import Case, DocumentType, PenaltyKind
from zhifa.core.env import env_str

# fonts-noto-cjk (Debian; the Makefile installs it). Index 2 of the collection is the Simplified Chinese face.
FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
)

# The number's word per type, e.g. 示县市监罚〔2026〕12号 (行政处罚决定书).
NUMBER_WORD = {
    DocumentType.FILING_APPROVAL: "立审",
    DocumentType.PRIOR_NOTICE: "告",
    DocumentType.DECISION: "罚",
    DocumentType.SERVICE_RECEIPT: "送",
}


def font_file() -> tuple[str, int]:
    for path, index in FONT_CANDIDATES:
        if Path(path).exists():
            return path, index
    from zhifa.core.errors import ConfigurationMissing

    raise ConfigurationMissing(
        "未安装中文字体（fonts-noto-cjk），无法生成文书 PDF。",
        "The Noto CJK fonts (fonts-noto-cjk) are not installed; documents cannot be rendered.",
        code="cjk_font_missing",
    )


def verify_url(number: str) -> str:
    """The public verification page's address, absolute with ``ZHIFA_PUBLIC_BASE_URL`` (for the QR code)."""
    base = env_str("ZHIFA_PUBLIC_BASE_URL") or "http://localhost:8000"
    return base.rstrip("/") + reverse("document_verify", args=[number])


def _kinds(kinds: Iterable[str]) -> str:
    return "、".join(str(PenaltyKind(k).label) for k in kinds if k in PenaltyKind.values) or "—"


def _party_line(case: Case) -> list[tuple[str, str]]:
    rows = []
    for link in case.party_links.select_related("party"):
        p = link.party
        rows.append(("当事人", p.name))
        if p.uscc:
            rows.append(("统一社会信用代码", p.uscc))
        if p.address:
            rows.append(("住所（地址）", p.address))
    return rows or [("当事人", "—")]


def _body(case: Case, doc_type: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(labelled rows, paragraphs) of one document type."""
    officers = "、".join(link.officer.name for link in case.officer_links.select_related("officer"))
    rows = [("案件编号", case.number or "—"), ("案由", case.title), *_party_line(case)]
    text: list[str] = []
    if doc_type == DocumentType.FILING_APPROVAL:
        rows += [
            ("案件来源", f"{case.get_source_kind_display()}（{case.source_received_on:%Y年%m月%d日}登记）"),
            ("立案日期", f"{case.opened_on:%Y年%m月%d日}" if case.opened_on else "—"),
            ("承办人员", officers or "—"),
        ]
        text = [
            f"简要案情：{case.facts or case.source_summary or case.title}",
            "经审查，符合立案条件，建议立案调查（《中华人民共和国行政处罚法》第五十四条）。",
            "执法机关负责人意见：同意立案。",
        ]
    elif doc_type == DocumentType.PRIOR_NOTICE:
        fine = f"罚款人民币 {case.proposed_fine_yuan} 元" if case.proposed_fine_yuan else ""
        text = [
            f"经查，你（单位）{case.facts or case.title}。",
            f"本机关拟作出如下行政处罚：{_kinds(case.proposed_kinds)}{'，' + fine if fine else ''}。",
            "根据《中华人民共和国行政处罚法》第四十四条、第四十五条，你（单位）享有陈述、申辩的权利"
            + (
                f"；根据第六十三条、第六十四条，你（单位）有权要求听证，应在 {case.hearing_request_due:%Y年%m月%d日}"
                "前提出。"
                if case.hearing_right and case.hearing_request_due
                else "。"
            ),
            f"陈述、申辩期限至 {case.statement_due:%Y年%m月%d日}。" if case.statement_due else "",
        ]
    elif doc_type == DocumentType.DECISION:
        fine = f"罚款人民币 {case.fine_yuan} 元" if case.fine_yuan else ""
        text = [
            f"经查，你（单位）{case.facts or case.title}。",
            f"本机关决定给予如下行政处罚：{_kinds(case.penalty_kinds)}{'，' + fine if fine else ''}。"
            + (case.decision_text or ""),
            "罚款应自收到本决定书之日起十五日内缴纳（《中华人民共和国行政处罚法》第六十七条）；"
            "到期不缴纳的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额（第七十二条）。",
            "如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者六个月内向人民法院提起行政诉讼。",
            f"决定日期：{case.decided_on:%Y年%m月%d日}" if case.decided_on else "",
        ]
    elif doc_type == DocumentType.SERVICE_RECEIPT:
        rows += [
            ("送达文书", "行政处罚决定书"),
            ("送达方式", case.get_service_method_display() or "—"),
            ("送达日期", f"{case.served_on:%Y年%m月%d日}" if case.served_on else "—"),
            ("送达人", officers or "—"),
        ]
        text = ["受送达人签名或盖章：", "", "见证人（如有）："]
    return rows, [t for t in text if t is not None]


def render_pdf(case: Case, doc_type: str, number: str, issued_on: dt.date) -> bytes:
    """The document as a PDF (A4), with the agency header, the number and the QR code to its verification."""
    import qrcode
    from fpdf import FPDF

    path, index = font_file()
    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime.combine(issued_on, dt.time(), tzinfo=dt.UTC))
    pdf.set_title(f"{DocumentType(doc_type).label} {number}")
    pdf.set_creator("zhifa")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=40)
    pdf.add_page()
    pdf.add_font("cjk", fname=path, collection_font_number=index)
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font("cjk", size=20)
    pdf.set_text_color(180, 0, 0)
    pdf.cell(width, 12, case.agency.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(180, 0, 0)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(8)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("cjk", size=18)
    pdf.cell(width, 10, DocumentType(doc_type).label, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.cell(width, 8, number, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    rows, paragraphs = _body(case, doc_type)
    pdf.set_font("cjk", size=12)
    for label, value in rows:
        pdf.set_x(pdf.l_margin)
        pdf.cell(38, 8, f"{label}：")
        pdf.multi_cell(width - 38, 8, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for paragraph in paragraphs:
        # First-line indent of two characters; U+3000 would count as a break opportunity, so move x instead.
        pdf.set_x(pdf.l_margin + 8.5)
        pdf.write(8, paragraph)
        pdf.ln(8)
    pdf.ln(10)
    pdf.cell(width, 8, case.agency.name, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 8, f"{issued_on:%Y年%m月%d日}", align="R", new_x="LMARGIN", new_y="NEXT")

    # QR code to the public verification page, drawn as vector squares at the foot of the first page.
    qr = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(verify_url(number))
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size_mm = 26.0
    cell = size_mm / len(matrix)
    pdf.page = 1
    pdf.set_auto_page_break(False)
    x0, y0 = pdf.l_margin, pdf.h - 20 - size_mm
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x0 + c * cell, y0 + r * cell, cell, cell, style="F")
    pdf.set_font("cjk", size=9)
    pdf.set_xy(x0 + size_mm + 4, y0 + 6)
    pdf.multi_cell(
        width - size_mm - 4,
        5,
        f"扫码核验本文书（{number}）：\n{verify_url(number).split('/verify/')[0]}/verify/document/{number}/\n"
        "核验页显示本文书 PDF 的 SHA-256 摘要、平台签章与状态。",
    )
    return bytes(pdf.output())
