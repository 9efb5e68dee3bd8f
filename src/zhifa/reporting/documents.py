"""A report as a PDF (fpdf2 + Noto CJK through ``zhifa.core.pdf``: the filer's red letterhead, the period,
the figures table, the text sections, the filing and receiving lines) and as an xlsx (openpyxl: the figures
and the sections). Pure rendering."""

from __future__ import annotations

import io

from zhifa.core import clock
from zhifa.core import pdf as kit
from zhifa.reporting.models import Report, ReportStatus


def _title(report: Report) -> str:
    return f"{report.kind.name}（{report.period_label}）"


def _receiver(report: Report) -> str:
    return f"{report.kind.region.name}司法局"


def render_report_pdf(report: Report) -> bytes:
    submitted_on = clock.business_date(report.submitted_at) if report.submitted_at else None
    pdf = kit.new_document(_title(report), issued_on=submitted_on or report.period_end)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    status = (
        ""
        if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
        else f"（{report.get_status_display()}）"
    )
    kit.letterhead(pdf, report.filer_name, _title(report) + status, f"报送：{_receiver(report)}", after_mm=2)
    pdf.set_font(kit.FONT, size=10.5)
    pdf.multi_cell(
        width,
        6,
        f"报告期：{report.period_start:%Y年%m月%d日}至{report.period_end:%Y年%m月%d日}    "
        f"报送期限：{report.due_on:%Y年%m月%d日}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if report.kind.basis:
        pdf.multi_cell(width, 6, f"依据：{report.kind.basis}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(kit.FONT, size=13)
    pdf.cell(width, 8, "一、主要数据", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(kit.FONT, size=10.5)
    for label, value in report.figures:
        pdf.cell(width * 0.7, 6.5, str(label), border="B")
        pdf.cell(width * 0.3, 6.5, str(value), border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    numerals = "二三四五六七八九十"
    for i, section in enumerate(report.sections):
        pdf.ln(3)
        pdf.set_font(kit.FONT, size=13)
        prefix = numerals[i] if i < len(numerals) else str(i + 2)
        pdf.multi_cell(width, 8, f"{prefix}、{section['title']}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(kit.FONT, size=11)
        for paragraph in (section.get("text") or "（未填写）").splitlines() or [""]:
            if paragraph.strip():
                pdf.set_x(pdf.l_margin + 8)
                pdf.multi_cell(width - 8, 7, paragraph.strip(), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(kit.FONT, size=11)
    pdf.cell(width, 7, f"{report.filer_name}（印章）", align="R", new_x="LMARGIN", new_y="NEXT")
    if submitted_on:
        late = "（逾期报送）" if report.submitted_late else ""
        pdf.cell(width, 7, f"{submitted_on:%Y年%m月%d日}{late}", align="R", new_x="LMARGIN", new_y="NEXT")
    if report.government_reference and report.government_approved_on:
        pdf.ln(2)
        pdf.cell(
            width,
            7,
            f"经{report.kind.region.name}人民政府审定：{report.government_reference}"
            f"（{report.government_approved_on:%Y年%m月%d日}）",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())


def render_report_xlsx(report: Report) -> bytes:
    # local import: openpyxl is heavy and only the spreadsheet export needs it
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font  # local import: openpyxl, as above

    wb = Workbook()
    ws = wb.active
    ws.title = "主要数据"
    ws.append([_title(report)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["报送单位", report.filer_name])
    ws.append(["接收单位", _receiver(report)])
    ws.append(["报告期", f"{report.period_start:%Y-%m-%d} 至 {report.period_end:%Y-%m-%d}"])
    ws.append(["报送期限", report.due_on.strftime("%Y-%m-%d")])
    ws.append(["状态", report.get_status_display()])
    ws.append([])
    ws.append(["指标", "数值"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.cell(ws.max_row, 2).font = Font(bold=True)
    for label, value in report.figures:
        ws.append([str(label), float(value) if isinstance(value, str) else value])
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 40
    text = wb.create_sheet("正文")
    text.append(["章节", "内容"])
    for section in report.sections:
        text.append([section["title"], section.get("text", "")])
        text.cell(text.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    text.column_dimensions["A"].width = 24
    text.column_dimensions["B"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
