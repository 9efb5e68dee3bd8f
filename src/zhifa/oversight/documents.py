"""约谈记录 rendering — the record of an interview as a PDF (fpdf2 + Noto CJK) with the bureau's red header,
who was talked to, why, what was said and the commitments with their deadlines. Pure rendering; the service
stores the bytes and their SHA-256 digest on the ledger.
"""

from __future__ import annotations

from collections.abc import Sequence

from zhifa.core import pdf as kit
from zhifa.oversight.models import Interview


def render_interview_pdf(interview: Interview, commitments: Sequence[tuple[str, object]]) -> bytes:
    pdf = kit.new_document(f"行政执法监督约谈记录 {interview.held_on:%Y-%m-%d}", issued_on=interview.held_on)
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    kit.letterhead(pdf, interview.issuer.name, "行政执法监督约谈记录", "", issuer_line_mm=12, rule_gap_mm=8)
    pdf.set_font(kit.FONT, size=12)
    rows = [
        ("被约谈单位", interview.agency.name),
        ("被约谈人", interview.persons),
        ("约谈时间", f"{interview.held_on:%Y年%m月%d日}"),
        ("约谈地点", interview.place or "—"),
        ("约谈事由", interview.reason),
    ]
    if interview.grounds_note:
        rows.append(("所涉预警、投诉", interview.grounds_note))
    for label, value in rows:
        pdf.multi_cell(width, 8, f"{label}：{value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(width, 8, f"约谈内容：{interview.record}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(
        width, 8, "被约谈单位作出以下整改承诺（逐项纳入问题台账，销号管理）：", new_x="LMARGIN", new_y="NEXT"
    )
    for i, (text, due) in enumerate(commitments, start=1):
        pdf.multi_cell(width, 8, f"{i}. {text}（{due:%Y年%m月%d日}前完成）", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.cell(width / 2, 8, "被约谈人（签字）：", new_x="RIGHT", new_y="TOP")
    pdf.cell(width / 2, 8, "约谈人（签字）：", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.cell(width, 8, f"{interview.issuer.name}（印章）", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 8, f"{interview.held_on:%Y年%m月%d日}", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
