"""法制审核意见书 rendering — the agency header, the number, the eight points, the opinion and a QR code to the
public verification page (``/review/opinions/<number>/verify/``). Reuses the case documents' font lookup.

Pure rendering: takes a concluded round and its number, returns PDF bytes; ``services`` numbers and seals.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from zhifa.cases.documents import draw_verification_qr
from zhifa.core.env import env_str
from zhifa.core.fonts import font_file
from zhifa.review.models import FindingResult, ReviewPoint, ReviewRequest


def verify_url(number: str) -> str:
    base = env_str("ZHIFA_PUBLIC_BASE_URL") or "http://localhost:8000"
    return base.rstrip("/") + reverse("review:opinion_verify", args=[number])


def render_opinion_pdf(request: ReviewRequest, number: str, issued_on: dt.date) -> bytes:
    from fpdf import FPDF

    case = request.case
    agency = case.agency
    path, index = font_file()
    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime.combine(issued_on, dt.time(), tzinfo=dt.UTC))
    pdf.set_title(f"法制审核意见书 {number}")
    pdf.set_creator("zhifa")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=40)
    pdf.add_page()
    pdf.add_font("cjk", fname=path, collection_font_number=index)
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font("cjk", size=20)
    pdf.set_text_color(180, 0, 0)
    pdf.cell(width, 12, agency.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(180, 0, 0)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(8)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("cjk", size=18)
    pdf.cell(width, 10, "重大执法决定法制审核意见书", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.cell(width, 8, number, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    parties = "、".join(link.party.name for link in case.party_links.select_related("party")) or "—"
    rows = [
        ("案件编号", case.number or "—"),
        ("案由", case.title),
        ("当事人", parties),
        ("送审轮次", f"第 {request.round_no} 轮（{request.submitted_on:%Y年%m月%d日}送审）"),
        ("须审核理由", "；".join(request.reasons) or "承办机构认为需要审核"),
        ("审核人员", request.reviewer.display_name if request.reviewer else "—"),
    ]
    pdf.set_font("cjk", size=11)
    for label, value in rows:
        pdf.set_x(pdf.l_margin)
        pdf.cell(30, 7, f"{label}：")
        pdf.multi_cell(width - 30, 7, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("cjk", size=12)
    pdf.cell(width, 8, "审核要点", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    found = {f.point: f for f in request.findings.all()}
    for i, point in enumerate(ReviewPoint, start=1):
        finding = found.get(point.value)
        result = FindingResult(finding.result).label if finding else "—"
        note = f"：{finding.note}" if finding and finding.note else ""
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(width, 6, f"{i}. {point.label} —— {result}{note}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("cjk", size=12)
    conclusion = "同意" if request.state == "agreed" else "存在问题，退回承办机构研究处理后再次报送审核"
    pdf.cell(width, 8, f"审核结论：{conclusion}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin + 8.5)
    pdf.write(7, f"审核意见：{request.opinion}")
    pdf.ln(12)
    pdf.cell(width, 8, f"{agency.name}（法制审核机构）", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 8, f"{issued_on:%Y年%m月%d日}", align="R", new_x="LMARGIN", new_y="NEXT")

    draw_verification_qr(
        pdf,
        verify_url(number),
        f"扫码核验本意见书（{number}）：\n{verify_url(number).split('/review/')[0]}/review/opinions/{number}/verify/\n"
        "核验页显示 PDF 的 SHA-256 摘要、平台签章与状态。",
        size_mm=24.0,
        bottom_mm=18,
    )
    return bytes(pdf.output())
