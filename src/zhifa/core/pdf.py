"""What every PDF of the platform shares, written once: the embedded CJK font, a new A4 document, the issuing
organ's red letterhead (文书版头), the public verification page's address and the QR code that points to it.

Case documents (``zhifa.cases.documents``), legal-review opinions (``zhifa.review.documents``), supervision
instruments (``zhifa.supervision.documents``) and the annual statistics report (``zhifa.stats.report``) draw
their bodies themselves and take everything else from here. fpdf2 subsets the font into each document.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from django.urls import reverse

from zhifa.core.env import env_str
from zhifa.core.errors import ConfigurationMissing

if TYPE_CHECKING:
    from fpdf import FPDF

# The family name documents set with ``pdf.set_font(FONT, size=...)``.
FONT = "cjk"

# fonts-noto-cjk (Debian; the Makefile installs it). Index 2 of the collection is the Simplified Chinese face.
FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
)

# The red of a 红头文件's organ name and rule (RGB).
LETTERHEAD_RED = (180, 0, 0)


def font_file() -> tuple[str, int]:
    """The CJK font collection and the index of its Simplified Chinese face; a clear error when none is
    installed (documents cannot be rendered without it)."""
    for path, index in FONT_CANDIDATES:
        if Path(path).exists():
            return path, index

    raise ConfigurationMissing(
        "未安装中文字体（fonts-noto-cjk），无法生成文书 PDF。请运行 make system-deps"
        "（或 sudo apt-get install fonts-noto-cjk）安装后重试。",
        "The Noto CJK fonts are not installed; documents cannot be rendered. Run `make system-deps`"
        " (or `sudo apt-get install fonts-noto-cjk`) and try again.",
        code="cjk_font_missing",
    )


def add_cjk_font(pdf: FPDF) -> None:
    """Register the CJK font on ``pdf`` under :data:`FONT`."""
    path, index = font_file()
    pdf.add_font(FONT, fname=path, collection_font_number=index)
    _skip_the_discarded_font_save(pdf)


def _skip_the_discarded_font_save(pdf: FPDF) -> None:
    """Spare fpdf2 a whole-font compile whose result it throws away (about a third of a document's rendering).

    For a CID-keyed CFF font such as Noto CJK, fpdf2 (``OutputProducer._add_fonts``) first saves the subset
    font as a whole OpenType file and then replaces those bytes with the CFF table compiled on its own; the
    save recompiles every table (and recomputes every glyph's bounds) for nothing. The embedded bytes, and so
    the document, are the same without it (``zhifa/tests/test_pdf.py`` compares them). Any other font keeps the
    save, which it needs.
    """
    font: Any = pdf.fonts.get(FONT)
    if font is None or not (getattr(font, "is_cff", False) and getattr(font, "is_cid_keyed", False)):
        return
    if "CFF " not in font.ttfont:  # fpdf2 uses the save's bytes unless it can compile the CFF table
        return
    font.ttfont.save = _discarded_save


def _discarded_save(*_args: Any, **_kwargs: Any) -> None:
    """Stands in for ``TTFont.save`` where fpdf2 discards what it writes (see above)."""


def new_document(
    title: str,
    *,
    issued_on: dt.date | None = None,
    margins: tuple[float, float, float] = (22, 20, 22),
    cls: type[FPDF] | None = None,
) -> FPDF:
    """An A4 document (of ``cls``, an FPDF subclass with its own header or footer, if given) with its title,
    creator, margins and the CJK font registered; dated ``issued_on`` so that the same document renders to the
    same bytes. The caller sets its page breaks and adds the first page."""
    path, index = font_file()  # before anything else: a missing font is said before any work is done
    if cls is None:
        from fpdf import FPDF  # local import: fpdf2 is heavy; loaded only when a PDF is made

        cls = FPDF
    pdf = cls(format="A4")
    if issued_on is not None:
        pdf.set_creation_date(dt.datetime.combine(issued_on, dt.time(), tzinfo=dt.UTC))
    pdf.set_title(title)
    pdf.set_creator("zhifa")
    pdf.set_margins(*margins)
    pdf.add_font(FONT, fname=path, collection_font_number=index)
    _skip_the_discarded_font_save(pdf)
    return pdf


def letterhead(
    pdf: FPDF,
    issuer: str,
    title: str,
    number: str,
    *,
    issuer_line_mm: float = 11,
    rule_gap_mm: float = 7,
    after_mm: float = 2,
) -> None:
    """The header of a sealed document: the issuing organ in red over a red rule, the document's title, and its
    number on the right. Long names wrap by character. Leaves black text and a thin black pen."""
    from fpdf.enums import WrapMode  # local import: fpdf2 is heavy; loaded only when a PDF is made

    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(FONT, size=20)
    pdf.set_text_color(*LETTERHEAD_RED)
    pdf.multi_cell(
        width, issuer_line_mm, issuer, align="C", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_draw_color(*LETTERHEAD_RED)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(rule_gap_mm)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_font(FONT, size=18)
    pdf.multi_cell(width, 10, title, align="C", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=11)
    pdf.cell(width, 8, number, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(after_mm)


def public_url(path: str) -> str:
    """``path`` made absolute with ``ZHIFA_PUBLIC_BASE_URL`` (what a QR code on paper must carry)."""
    base = env_str("ZHIFA_PUBLIC_BASE_URL") or "http://localhost:8000"
    return base.rstrip("/") + path


def verify_url(url_name: str, number: str) -> str:
    """The public verification page of the document numbered ``number`` (``url_name`` takes the number)."""
    return public_url(reverse(url_name, args=[number]))


def readable_url(url: str) -> str:
    """``url`` as a person reads it under the QR code: the number in Chinese, not percent-encoded."""
    return unquote(url)


def draw_verification_qr(
    pdf: Any,
    url: str,
    caption: str,
    *,
    size_mm: float,
    bottom_mm: float,
    font_size: float = 9,
    line_mm: float = 5,
    caption_dy: float = 6,
    char_wrap: bool = False,
) -> None:
    """A QR code to ``url`` (the public verification page), drawn as vector squares at the foot of the first
    page with ``caption`` beside it; every sealed document of the platform (case documents, legal-review
    opinions, supervision instruments) carries one. Leaves the PDF on the page it was on."""
    from fpdf.enums import WrapMode  # local import: fpdf2 is heavy; loaded only when a PDF is made

    last_page = pdf.page
    pdf.page = 1
    pdf.set_auto_page_break(False)
    x0, y0 = pdf.l_margin, pdf.h - bottom_mm - size_mm
    draw_qr(pdf, url, x=x0, y=y0, size_mm=size_mm)
    pdf.set_font(FONT, size=font_size)
    pdf.set_xy(x0 + size_mm + 4, y0 + caption_dy)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    extra: dict[str, Any] = {"align": "L", "wrapmode": WrapMode.CHAR} if char_wrap else {}
    pdf.multi_cell(width - size_mm - 4, line_mm, caption, **extra)
    pdf.page = last_page


def draw_qr(pdf: Any, url: str, *, x: float, y: float, size_mm: float) -> None:
    """A QR code to ``url`` drawn as vector squares with its top-left corner at (``x``, ``y``) on the current page
    (a 公示牌 carries one per officer; :func:`draw_verification_qr` one at the foot of a sealed document)."""
    import qrcode  # local import: qrcode loads only when a code is drawn

    qr = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    cell = size_mm / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for r, row_cells in enumerate(matrix):
        for c, dark in enumerate(row_cells):
            if dark:
                pdf.rect(x + c * cell, y + r * cell, cell, cell, style="F")
