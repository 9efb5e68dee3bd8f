"""The one layout that draws every body on A4: the letterhead, the rows (a grid or "label：value" lines), the
paragraphs, the inventory table, the opinion boxes, the ruled lines, the signatures, the seal and the date, the
page numbers and the QR code to the public verification page. Long Chinese text wraps by character."""

from __future__ import annotations

import datetime as dt

from zhifa.cases.documents.builders import body_of
from zhifa.cases.documents.common import SEIZURE_TYPES, _d, verify_url
from zhifa.cases.models import (
    Case,
    DocumentType,
    Seizure,
)
from zhifa.core import pdf as kit

LINE = 7.0  # mm, body line height
QR_MM = 20.0
FOOT_MM = 38.0  # the bottom margin of page 1: the page number and the QR code live below it
FOOT_LATER_MM = 22.0  # of later pages: the page number only


def render_pdf(
    case: Case, doc_type: str, number: str, issued_on: dt.date, seizure: Seizure | None = None
) -> bytes:
    """The document as a PDF (A4), with the agency header, the number and the QR code to its verification."""
    from fpdf import FPDF, FontFace  # local import: fpdf2 is heavy; loaded only when a PDF is made
    from fpdf.enums import WrapMode  # local import: fpdf2 is heavy; loaded only when a PDF is made

    title = str(DocumentType(doc_type).label)
    if doc_type in SEIZURE_TYPES and seizure is not None and doc_type != DocumentType.PRESERVATION_NOTICE:
        measure = str(seizure.get_kind_display())
        title = title.replace("查封（扣押）", measure).replace("查封（扣押）/先行登记保存", measure)
        if doc_type == DocumentType.SEIZURE_INVENTORY:
            title = f"{measure}财物清单"

    class Document(FPDF):
        def header(self) -> None:
            # only the first page keeps room for the QR code at its foot
            if self.page_no() > 1:
                self.set_auto_page_break(True, margin=FOOT_LATER_MM)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("cjk", size=9)
            self.set_text_color(90, 90, 90)
            self.cell(0, 5, f"{number}　第 {self.page_no()} 页 共 {{nb}} 页", align="C")
            self.set_text_color(0, 0, 0)

    pdf = kit.new_document(f"{title} {number}", issued_on=issued_on, cls=Document)
    pdf.set_auto_page_break(True, margin=FOOT_MM)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def para(text: str, size: float = 12, indent: bool = True) -> None:
        pdf.set_font("cjk", size=size)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(
            width,
            LINE,
            ("\u3000\u3000" if indent else "") + text,
            align="J",
            wrapmode=WrapMode.CHAR,
            new_x="LMARGIN",
            new_y="NEXT",
        )

    kit.letterhead(pdf, case.agency.name, title, number)

    body = body_of(case, doc_type, seizure)
    plain = FontFace(emphasis=None)

    if body.rows and body.grid:
        pdf.set_font("cjk", size=11)
        with pdf.table(
            col_widths=(42, width - 42),
            width=width,
            first_row_as_headings=False,
            headings_style=plain,
            line_height=6.5,
            text_align=("CENTER", "LEFT"),
            wrapmode=WrapMode.CHAR,
            padding=1.5,
        ) as table:
            for label, value in body.rows:
                row = table.row()
                row.cell(label)
                row.cell(value or " ")
        pdf.ln(3)
    elif body.rows:
        pdf.set_font("cjk", size=12)
        for label, value in body.rows:
            pdf.set_x(pdf.l_margin)
            pdf.multi_cell(
                width,
                LINE,
                f"{label}：{value}",
                align="L",
                wrapmode=WrapMode.CHAR,
                new_x="LMARGIN",
                new_y="NEXT",
            )
        pdf.ln(2)

    if body.addressee:
        para(body.addressee, indent=False)
    for paragraph in body.paragraphs:
        if paragraph:
            para(paragraph)

    if body.inventory is not None:
        pdf.ln(2)
        para("附：财物清单", indent=False)
        pdf.set_font("cjk", size=11)
        with pdf.table(
            col_widths=(14, width - 14 - 30, 30),
            width=width,
            headings_style=plain,
            line_height=6.5,
            text_align=("CENTER", "LEFT", "LEFT"),
            wrapmode=WrapMode.CHAR,
            padding=1.5,
        ) as table:
            heading = table.row()
            for text in ("序号", "名称、规格、数量", "备注"):
                heading.cell(text)
            for i, item in enumerate(body.inventory, start=1):
                row = table.row()
                row.cell(str(i))
                row.cell(item)
                row.cell(" ")
        pdf.ln(3)

    if body.opinions:
        pdf.set_font("cjk", size=11)
        for opinion in body.opinions:
            if pdf.get_y() + 28 > pdf.page_break_trigger:
                pdf.add_page()
            top = pdf.get_y()
            pdf.set_x(pdf.l_margin)
            pdf.multi_cell(
                width,
                6.5,
                opinion,
                align="L",
                wrapmode=WrapMode.CHAR,
                padding=1.5,
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.set_xy(pdf.l_margin, top + 21)
            pdf.cell(width - 4, 6, "签名：　　　　　　　　　年　　月　　日", align="R")
            pdf.rect(pdf.l_margin, top, width, 28)
            pdf.set_xy(pdf.l_margin, top + 28)
        pdf.ln(3)

    if body.lined_blanks:
        para(body.lined_heading, indent=False)
        for _ in range(body.lined_blanks):
            if pdf.get_y() + 9 > pdf.page_break_trigger:
                pdf.add_page()
            y = pdf.get_y() + 9
            pdf.set_draw_color(150, 150, 150)
            pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
            pdf.set_y(y)
        pdf.set_draw_color(0, 0, 0)
        pdf.ln(4)

    if body.signatures:
        pdf.set_font("cjk", size=11)
        date_w = 42
        for label in body.signatures:
            if pdf.get_y() + 12 > pdf.page_break_trigger:
                pdf.add_page()
            pdf.set_x(pdf.l_margin)
            if pdf.get_string_width(label) > width - date_w - 30:
                # a long label on its own line(s), the blank and the date below it
                pdf.multi_cell(
                    width, 7, label, align="L", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT"
                )
                label = ""
            pdf.cell(width - date_w, 10, label)
            pdf.cell(date_w, 10, "年　　月　　日", align="R", new_x="LMARGIN", new_y="NEXT")

    if body.sealed:
        if pdf.get_y() + 20 > pdf.page_break_trigger:
            pdf.add_page()
        pdf.ln(4)
        pdf.set_font("cjk", size=12)
        pdf.cell(width, 8, f"{case.agency.name}（印章）", align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(width, 8, _d(issued_on), align="R", new_x="LMARGIN", new_y="NEXT")

    url = verify_url(number)
    kit.draw_verification_qr(
        pdf,
        url,
        f"扫码核验本文书（{number}）：\n{kit.readable_url(url)}\n"
        "核验页显示本文书 PDF 的 SHA-256 摘要、平台签章与状态。",
        size_mm=QR_MM,
        bottom_mm=16,
        font_size=8.5,
        line_mm=4.5,
        caption_dy=3,
        char_wrap=True,
    )
    return bytes(pdf.output())
