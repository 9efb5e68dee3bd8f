"""The one PDF kit (``zhifa.core.pdf``): every sealed document's verification address is absolute and shown in
Chinese under its QR code, the letterhead prints the organ, title and number, and a missing CJK font is said
plainly before anything is drawn."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.core import pdf as kit
from zhifa.core.errors import ConfigurationMissing

NUMBER = "示县市监罚〔2026〕12号"


def test_the_verify_url_is_absolute_and_reads_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHIFA_PUBLIC_BASE_URL", "https://zhifa.example.gov.cn/")
    url = kit.verify_url("document_verify", NUMBER)
    assert url.startswith("https://zhifa.example.gov.cn/verify/document/") and "%E3%80%94" in url
    assert kit.readable_url(url) == f"https://zhifa.example.gov.cn/verify/document/{NUMBER}/"


def test_every_document_module_takes_its_verify_url_from_the_kit(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhifa.cases import documents as case_documents
    from zhifa.review import documents as review_documents
    from zhifa.supervision import documents as supervision_documents

    monkeypatch.setenv("ZHIFA_PUBLIC_BASE_URL", "http://h")
    assert case_documents.verify_url(NUMBER) == kit.verify_url("document_verify", NUMBER)
    assert review_documents.verify_url(NUMBER) == kit.verify_url("review:opinion_verify", NUMBER)
    assert supervision_documents.verify_url(NUMBER) == kit.verify_url("supervision:instrument_verify", NUMBER)
    assert case_documents.draw_verification_qr is kit.draw_verification_qr


def test_a_document_with_letterhead_and_qr_renders_the_same_bytes_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def render() -> bytes:
        pdf = kit.new_document(f"决定书 {NUMBER}", issued_on=dt.date(2026, 3, 2))
        pdf.add_page()
        kit.letterhead(pdf, "示范县市场监督管理局", "行政处罚决定书", NUMBER)
        kit.draw_verification_qr(pdf, "http://h/verify/", "扫码核验", size_mm=20, bottom_mm=16)
        return bytes(pdf.output())

    first = render()
    assert first.startswith(b"%PDF") and first == render()
    # the same bytes with fpdf2's whole-font save, which the kit skips (zhifa.core.pdf: its result is discarded)
    monkeypatch.setattr(kit, "_skip_the_discarded_font_save", lambda pdf: None)
    assert render() == first


def test_a_missing_cjk_font_is_said_before_anything_is_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kit, "FONT_CANDIDATES", (("/nonexistent/font.ttc", 2),))
    with pytest.raises(ConfigurationMissing) as raised:
        kit.new_document("x")
    assert raised.value.code == "cjk_font_missing"


def test_a_qr_code_can_be_drawn_anywhere_on_any_page() -> None:
    pdf = kit.new_document("公示牌", issued_on=dt.date(2026, 3, 2))
    pdf.add_page()
    pdf.add_page()
    kit.draw_qr(pdf, "http://h/public/officers/?number=A1", x=40, y=60, size_mm=28)
    assert pdf.page == 2 and bytes(pdf.output()).startswith(b"%PDF")
