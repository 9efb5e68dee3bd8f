"""监督文书 rendering — 督办函 / 执法监督意见书 / 执法监督决定书 as a PDF (fpdf2 + Noto CJK), with the issuing
organ's red header, the number, the deadline, the seal line and a QR code to the public verification page.

Font, letterhead and QR code come from ``zhifa.core.pdf``; pure rendering, the service numbers and seals.
"""

from __future__ import annotations

import datetime as dt

from zhifa.core import pdf as kit
from zhifa.supervision.models import Instrument, InstrumentKind

# 行政执法监督的依据: 《行政执法监督条例》（国务院令第825号）, 《关于全面推行行政执法公示制度执法全过程记录制度重大
# 执法决定法制审核制度的指导意见》（国办发〔2018〕118号）, and as a county applies them, 阜宁县《开展行政执法质量巩固年
# 行动实施方案》（2025）: 县行政执法协调监督局“制发行政执法监督督办函或者意见书，涉及重大问题或者被监督机关拒不纠正的，
# 报请县政府制发行政执法监督决定书”.
DEFAULT_BASIS = "《行政执法监督条例》（2026年2月1日起施行）及《关于加强行政执法协调监督工作体系建设的意见》"


def verify_url(number: str) -> str:
    return kit.verify_url("supervision:instrument_verify", number)


def render_instrument_pdf(instrument: Instrument) -> bytes:
    issued_on: dt.date = instrument.issued_on
    label = InstrumentKind(instrument.kind).label
    pdf = kit.new_document(f"{label} {instrument.number}", issued_on=issued_on)
    pdf.set_auto_page_break(True, margin=40)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    kit.letterhead(
        pdf,
        instrument.issuer.name,
        str(label),
        instrument.number,
        issuer_line_mm=12,
        rule_gap_mm=8,
        after_mm=4,
    )
    pdf.set_font("cjk", size=12)
    pdf.multi_cell(width, 8, f"{instrument.agency.name}：", new_x="LMARGIN", new_y="NEXT")
    paragraphs = [
        f"事由：{instrument.title}。",
        f"{'经督查' if instrument.kind == InstrumentKind.INSPECTION else '经监督检查'}，发现以下问题：{instrument.findings}",
        f"监督意见及整改要求：{instrument.requirements}",
        f"请于 {instrument.deadline:%Y年%m月%d日} 前将整改情况书面答复本机关，逾期未答复或拒不纠正的，"
        "本机关将依照有关规定提请本级人民政府制发行政执法监督决定书或予以通报。",
        f"依据：{instrument.basis}。",
    ]
    for paragraph in paragraphs:
        pdf.set_x(pdf.l_margin + 8.5)
        pdf.write(8, paragraph)
        pdf.ln(10)
    pdf.ln(8)
    pdf.cell(width, 8, f"{instrument.issuer.name}（印章）", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 8, f"{issued_on:%Y年%m月%d日}", align="R", new_x="LMARGIN", new_y="NEXT")

    kit.draw_verification_qr(
        pdf,
        verify_url(instrument.number),
        f"扫码核验本文书（{instrument.number}）：\n{verify_url(instrument.number)}\n"
        "核验页显示本文书 PDF 的 SHA-256 摘要、平台签章与状态。",
        size_mm=26.0,
        bottom_mm=20,
    )
    return bytes(pdf.output())
