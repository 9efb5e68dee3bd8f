"""季度评议通报 — the published quarter as a PDF (fpdf2 + Noto CJK, ``zhifa.core.pdf``) and as an xlsx (openpyxl).

Pure rendering from the stored rows: the same published quarter renders to the same bytes (the PDF is dated
its publication day), so the digest kept on the run checks a printed copy.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from zhifa.core import clock
from zhifa.core import pdf as kit
from zhifa.ratings.models import AgencyRating, Dimension, RatingRun

COLUMNS = [
    (Dimension.TIMELINESS, "办案时效"),
    (Dimension.WARNINGS, "预警处置"),
    (Dimension.PROBLEMS, "问题整改"),
    (Dimension.EVALUATION, "案卷评查"),
    (Dimension.COMPLAINTS, "投诉办理"),
    (Dimension.SATISFACTION, "满意度"),
]


def _score(value: Any) -> str:
    return "—" if value is None else f"{Decimal(value):.1f}"


def _rows(run: RatingRun) -> list[AgencyRating]:
    return list(run.ratings.select_related("agency").order_by("rank", "agency__name"))


def weights_text(run: RatingRun) -> str:
    return "，".join(
        f"{label} {run.weights.get(code, 0)}%" for code, label in COLUMNS if run.weights.get(code)
    )


def render_bulletin_pdf(run: RatingRun) -> bytes:
    """通报: the letterhead of the region's bureau, the method, the ranking table and the flagged agencies."""
    from fpdf.enums import WrapMode  # local import: fpdf2 is heavy; loaded only when a PDF is made

    day = clock.business_date(run.published_at) if run.published_at else clock.today()
    number = run.number or "（未发布）"
    pdf = kit.new_document(f"{run.period_label}行政执法工作评议通报", issued_on=day)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    kit.letterhead(
        pdf, f"{run.region.name}司法局", f"关于{run.period_label}行政执法工作评议情况的通报", number
    )
    pdf.set_font(kit.FONT, size=11)
    ratings = _rows(run)
    flagged = [r for r in ratings if r.flagged]
    intro = (
        f"根据一季一评工作安排，依托行政执法协调监督平台数据，对本地区 {len(ratings)} 个行政执法主体"
        f"{run.period_label}的执法工作进行了评议。评议维度及权重：{weights_text(run)}。"
        "无相应数据的维度不计入该单位得分，其权重按比例分配至其他维度。现将结果通报如下。"
    )
    pdf.multi_cell(width, 7, "　　" + intro, new_x="LMARGIN", new_y="NEXT", align="L", wrapmode=WrapMode.CHAR)
    pdf.ln(2)
    pdf.set_font(kit.FONT, size=12)
    pdf.cell(width, 8, "一、评议得分及排名", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(kit.FONT, size=9)
    widths = [9, 52] + [15] * len(COLUMNS) + [width - 61 - 15 * len(COLUMNS)]
    header = ["名次", "执法主体", *[label for _, label in COLUMNS], "总分"]
    pdf.set_fill_color(235, 235, 235)
    for w, text in zip(widths, header, strict=True):
        pdf.cell(w, 7, text, border=1, align="C", fill=True)
    pdf.ln()
    for r in ratings:
        name = r.agency.name + (" ※" if r.flagged else "")
        total = f"{r.total:.2f}" if r.measured else "无数据"
        cells = [str(r.rank), name, *[_score(r.scores.get(code)) for code, _ in COLUMNS], total]
        for i, (w, text) in enumerate(zip(widths, cells, strict=True)):
            # a long name (a 所 under its 局) in a smaller size, so that it stays on one line of its cell
            pdf.set_font(kit.FONT, size=9 if i != 1 or pdf.get_string_width(text) <= w - 2 else 7)
            pdf.cell(w, 7, text, border=1, align="L" if i == 1 else "C")
        pdf.set_font(kit.FONT, size=9)
        pdf.ln()
    pdf.ln(3)
    pdf.set_font(kit.FONT, size=12)
    pdf.cell(width, 8, "二、重点监督单位（※）", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(kit.FONT, size=11)
    if flagged:
        pdf.multi_cell(
            width,
            7,
            "　　依照“对未排查出执法问题以及整治问题不力的镇区(街道)、县相关行政执法机关重点监督检查”的要求，"
            "以下单位列为下季度重点监督对象：",
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
            wrapmode=WrapMode.CHAR,
        )
        for r in flagged:
            pdf.multi_cell(
                width,
                7,
                f"　　{r.agency.name}：{'；'.join(r.flag_reasons)}。",
                new_x="LMARGIN",
                new_y="NEXT",
                align="L",
                wrapmode=WrapMode.CHAR,
            )
    else:
        pdf.multi_cell(
            width,
            7,
            "　　本季度无重点监督单位。",
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
            wrapmode=WrapMode.CHAR,
        )
    if run.review_note:
        pdf.ln(2)
        pdf.set_font(kit.FONT, size=12)
        pdf.cell(width, 8, "三、工作要求", new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font(kit.FONT, size=11)
        pdf.multi_cell(
            width,
            7,
            "　　" + run.review_note,
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
            wrapmode=WrapMode.CHAR,
        )
    pdf.ln(8)
    pdf.cell(width, 8, f"{run.region.name}司法局", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 8, f"{day:%Y年%m月%d日}", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def render_bulletin_xlsx(run: RatingRun) -> bytes:
    """The same table with every figure behind it, one row per agency."""
    # local import: openpyxl is heavy and only the spreadsheet export needs it
    from openpyxl import Workbook
    from openpyxl.styles import Font  # local import: openpyxl, as above

    wb = Workbook()
    ws = wb.active
    ws.title = "季度评议"
    ws.append([f"{run.region.name}{run.period_label}行政执法工作评议（{run.get_status_display()}）"])
    ws["A1"].font = Font(bold=True)
    ws.append([f"权重：{weights_text(run)}"])
    figure_columns = [
        ("officers", "在岗执法人员"),
        ("decided", "作出决定"),
        ("decided_late", "超期决定"),
        ("case_sources", "案源登记"),
        ("cases_opened", "立案"),
        ("inspections", "涉企检查"),
        ("flags", "监督预警"),
        ("flags_handled", "预警已处理"),
        ("inspection_warnings", "检查预警"),
        ("inspection_warnings_closed", "检查预警已处理"),
        ("problems_opened", "新增问题"),
        ("problems_in_hand", "在办问题"),
        ("problems_overdue", "逾期问题"),
        ("problems_closed", "销号问题"),
        ("evaluated_files", "评查案卷"),
        ("complaints", "投诉举报"),
        ("complaints_on_time", "按期答复"),
        ("rated", "评价数"),
        ("satisfied", "满意数"),
    ]
    ws.append(
        [
            "名次",
            "执法主体",
            *[label for _, label in COLUMNS],
            "总分",
            "重点监督原因",
            *[label for _, label in figure_columns],
        ]
    )
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for r in _rows(run):
        ws.append(
            [
                r.rank,
                r.agency.name,
                *[float(r.scores[c]) if r.scores.get(c) is not None else "—" for c, _ in COLUMNS],
                float(r.total) if r.measured else "无数据",
                "；".join(r.flag_reasons),
                *[r.figures.get(key, 0) for key, _ in figure_columns],
            ]
        )
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["J"].width = 50
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
