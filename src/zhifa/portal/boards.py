"""岗位信息公示牌 and 窗口公示公告 — the printed notices of a post or service window (seed 003: 办事大厅、服务窗口等
固定办事地点要设置岗位信息公示牌，明示工作人员的单位、姓名、职务、岗位、执法种类 … 咨询服务、投诉举报等信息).

Pure rendering from ``zhifa.portal.selectors.post_board`` / ``window_notice``: PDF bytes through ``zhifa.core.pdf``
(CJK font, red letterhead, a QR code per officer to the public certificate check, and one to the agency's public
decision list), and the QR codes as SVG for the HTML print view. Dated by the day it is printed, so the same
board on the same day renders the same bytes.
"""

from __future__ import annotations

from typing import Any

from zhifa.core import pdf as kit
from zhifa.portal.models import PostKind
from zhifa.portal.selectors import PostBoard, WindowNotice

HOTLINE = "12345 政务服务便民热线"
OFFICER_BLOCK_MM = 36.0
QR_MM = 28.0


def qr_svg(url: str) -> str:
    """``url`` as an SVG QR image (the HTML print view)."""
    import qrcode  # local import: qrcode loads only when a code is drawn
    import qrcode.image.svg  # local import: qrcode loads only when a code is drawn

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=6, border=1)
    return str(image.to_string(encoding="unicode"))


def complaint_lines(agency: Any, organ: Any, complaints_url: str) -> list[str]:
    """投诉举报 channels as the board and the notice print them (the agency's and the supervision organ's
    office numbers are public; no person's number is ever printed)."""
    lines = []
    if agency.phone:
        lines.append(f"本机关监督电话：{agency.phone}")
    if organ is not None:
        lines.append(f"执法监督机构：{organ.name}" + (f"（{organ.phone}）" if organ.phone else ""))
    lines.append(f"热线：{HOTLINE}")
    lines.append(f"网上投诉：{kit.readable_url(complaints_url)}")
    return lines


def _rows(pdf: Any, rows: list[tuple[str, str]], width: float, *, size: float = 12) -> None:
    pdf.set_font(kit.FONT, size=size)
    for label, value in rows:
        if not value:
            continue
        pdf.set_x(pdf.l_margin)
        pdf.cell(34, 8, f"{label}：")
        pdf.multi_cell(width - 34, 8, value, new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: Any, text: str, width: float) -> None:
    pdf.ln(2)
    pdf.set_font(kit.FONT, size=14)
    pdf.set_fill_color(235, 235, 235)
    pdf.cell(width, 9, f"  {text}", fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _complaints(pdf: Any, lines: list[str], width: float, bottom: float) -> None:
    if pdf.get_y() + 12 + 7 * len(lines) > pdf.h - bottom:
        pdf.add_page()
    _heading(pdf, "投诉举报", width)
    pdf.set_font(kit.FONT, size=11)
    for line in lines:
        pdf.multi_cell(width, 7, line, new_x="LMARGIN", new_y="NEXT")


def render_board_pdf(board: PostBoard) -> bytes:
    """岗位信息公示牌 — the post, its duties and hours, each certified officer with a QR code to the check."""
    post, agency = board.post, board.agency
    pdf = kit.new_document(f"岗位信息公示牌 {agency.name} {post.name}", issued_on=board.on)
    bottom = 18.0
    pdf.set_auto_page_break(False)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    kit.letterhead(pdf, agency.name, "岗位信息公示牌", f"{PostKind(post.kind).label}：{post.name}")
    _rows(
        pdf,
        [
            ("单位", agency.name),
            ("岗位/窗口", post.name),
            ("地点", post.location),
            ("岗位职责", post.duties),
            ("办公时间", post.service_hours),
        ],
        width,
    )
    _heading(pdf, f"在岗执法人员（{len(board.officers)} 人，扫码核验执法证件）", width)
    if not board.officers:
        pdf.set_font(kit.FONT, size=12)
        pdf.multi_cell(width, 8, "本岗位暂无持有效执法证件的人员。", new_x="LMARGIN", new_y="NEXT")
    for officer in board.officers:
        if pdf.get_y() + OFFICER_BLOCK_MM > pdf.h - bottom:
            pdf.add_page()
        top = pdf.get_y()
        kit.draw_qr(pdf, kit.public_url(officer.check_path), x=pdf.l_margin, y=top + 2, size_mm=QR_MM)
        x = pdf.l_margin + QR_MM + 6
        pdf.set_xy(x, top + 1)
        pdf.set_font(kit.FONT, size=16)
        name = officer.name + ("（执法辅助人员）" if officer.auxiliary else "")
        pdf.cell(width - QR_MM - 6, 9, name, new_x="LEFT", new_y="NEXT")
        pdf.set_font(kit.FONT, size=11)
        for label, value in (
            ("职务", officer.duty or "—"),
            ("执法证件编号", officer.number),
            ("执法类别", "、".join(officer.categories) or "—"),
            ("执法区域", officer.area or "—"),
        ):
            pdf.set_x(x)
            pdf.cell(width - QR_MM - 6, 6, f"{label}：{value}", new_x="LEFT", new_y="NEXT")
        pdf.set_y(top + OFFICER_BLOCK_MM)
        pdf.set_draw_color(200, 200, 200)
        pdf.line(pdf.l_margin, pdf.get_y() - 2, pdf.w - pdf.r_margin, pdf.get_y() - 2)
        pdf.set_draw_color(0, 0, 0)
    _complaints(
        pdf, complaint_lines(agency, board.organ, kit.public_url(board.complaints_path)), width, bottom
    )
    pdf.ln(3)
    pdf.set_font(kit.FONT, size=10)
    pdf.cell(width, 6, f"公示日期：{board.on:%Y年%m月%d日}", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def render_notice_pdf(notice: WindowNotice) -> bytes:
    """窗口公示公告 — the agency's latest published decisions, the window's hours, the complaint channels and a QR
    code to the agency's public decision list."""
    post, agency = notice.post, notice.agency
    pdf = kit.new_document(f"窗口公示公告 {agency.name} {post.name}", issued_on=notice.on)
    bottom = 52.0  # the QR code to the decision list sits at the foot of the first page
    pdf.set_auto_page_break(True, margin=bottom)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    kit.letterhead(pdf, agency.name, "窗口公示公告", f"{PostKind(post.kind).label}：{post.name}")
    _rows(pdf, [("窗口", post.name), ("地点", post.location), ("办理事项", post.duties)], width)
    _rows(pdf, [("办公时间", post.service_hours or "以本机关公布的工作时间为准")], width)
    _heading(pdf, "近期公开的行政执法决定", width)
    pdf.set_font(kit.FONT, size=10.5)
    if not notice.decisions:
        pdf.multi_cell(width, 7, "暂无公开的行政执法决定。", new_x="LMARGIN", new_y="NEXT")
    for i, d in enumerate(notice.decisions, start=1):
        number = f"，{d.document_number}" if d.document_number else ""
        pdf.multi_cell(
            width,
            6.5,
            f"{i}. 【{d.kind_label}】{d.title}\n    当事人：{d.party}；决定日期：{d.decided_on:%Y-%m-%d}{number}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(1)
    _complaints(
        pdf, complaint_lines(agency, notice.organ, kit.public_url(notice.complaints_path)), width, bottom
    )
    pdf.ln(3)
    pdf.set_font(kit.FONT, size=10)
    pdf.cell(width, 6, f"公告日期：{notice.on:%Y年%m月%d日}", align="R", new_x="LMARGIN", new_y="NEXT")
    url = kit.public_url(notice.decisions_path)
    kit.draw_verification_qr(
        pdf,
        url,
        f"扫码查看{agency.name}公开的全部行政执法决定：\n{kit.readable_url(url)}",
        size_mm=30.0,
        bottom_mm=16,
        char_wrap=True,
    )
    return bytes(pdf.output())
