"""法制审核意见书 rendering — the agency header, the number, the eight points, the opinion and a QR code to the
public verification page (``/review/opinions/<number>/verify/``). Font, letterhead and QR code: ``zhifa.core.pdf``.

Pure rendering: takes a concluded round and its number, returns PDF bytes; ``services`` numbers and seals.
"""

from __future__ import annotations

import datetime as dt

from zhifa.core import pdf as kit
from zhifa.review.models import FindingResult, ReviewPoint, ReviewRequest


def verify_url(number: str) -> str:
    return kit.verify_url("review:opinion_verify", number)


def render_opinion_pdf(request: ReviewRequest, number: str, issued_on: dt.date) -> bytes:
    case = request.case
    agency = case.agency
    pdf = kit.new_document(f"法制审核意见书 {number}", issued_on=issued_on)
    pdf.set_auto_page_break(True, margin=40)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    kit.letterhead(pdf, agency.name, "重大执法决定法制审核意见书", number, issuer_line_mm=12, rule_gap_mm=8)

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

    url = verify_url(number)
    kit.draw_verification_qr(
        pdf,
        url,
        f"扫码核验本意见书（{number}）：\n{kit.readable_url(url)}\n"
        "核验页显示 PDF 的 SHA-256 摘要、平台签章与状态。",
        size_mm=24.0,
        bottom_mm=18,
    )
    return bytes(pdf.output())
