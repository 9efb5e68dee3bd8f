"""执法文书: gapless numbers per agency, type and year (voided numbers kept, never reused), a PDF with an
embedded Chinese font, sealed over its SHA-256, a public verification page, and a ledger entry."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import CaseDocument, DocumentNumberCounter
from zhifa.cases.tests.helpers import D0, CaseWorld, ledger_count, notified, opened, register
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.records.models import LedgerEntry
from zhifa.records.signing import signature_valid

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"


@pytest.fixture(autouse=True)
def signing_key(settings: Any) -> None:
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = ""  # the key is created under the test's own DATA_DIR


def _issue(world: CaseWorld, case: Any, doc_type: str = "filing_approval", on: dt.date = D0) -> CaseDocument:
    return services.document_issue(actor=world.officer_user, case=case, doc_type=doc_type, on=on)


def test_document_numbers_are_gapless_per_agency_type_and_year_and_voided_numbers_are_not_reused(
    world: CaseWorld,
) -> None:
    first = _issue(world, opened(world))
    second = _issue(world, opened(world))
    assert (first.number, second.number) == ("测县市监立审〔2025〕1号", "测县市监立审〔2025〕2号")
    services.document_void(actor=world.head, document=second, reason="当事人名称有误", on=D0)
    third = _issue(world, opened(world))
    assert third.number == "测县市监立审〔2025〕3号"  # 2 stays voided, on record
    assert CaseDocument.objects.get(pk=second.pk).status == "voided"
    notice = _issue(world, notified(world), "prior_notice", on=D0 + dt.timedelta(days=7))
    assert notice.number == "测县市监告〔2025〕1号"  # its own sequence
    next_year = _issue(world, opened(world, on=dt.date(2026, 1, 5)), on=dt.date(2026, 1, 5))
    assert next_year.number == "测县市监立审〔2026〕1号"


def test_a_document_the_case_is_not_ready_for_is_refused_and_no_number_is_used(world: CaseWorld) -> None:
    case = opened(world)
    with pytest.raises(RuleViolation) as refusal:
        _issue(world, case, "decision")
    assert refusal.value.code == "document_not_ready"
    assert not DocumentNumberCounter.objects.exists() and not CaseDocument.objects.exists()
    with pytest.raises(PermissionDenied):
        services.document_issue(actor=world.outsider, case=case, doc_type="filing_approval", on=D0)


def test_filing_approval_form_is_issued_for_a_source_awaiting_filing_but_not_after_it_was_screened_out(
    world: CaseWorld,
) -> None:
    # 立案审批表 comes before 立案: the head approves 立案 on it (市场监督管理行政处罚程序规定 第二十条).
    source = register(world)
    form = _issue(world, source)
    assert form.number == "测县市监立审〔2025〕1号" and form.case_id == source.pk
    screened = services.case_not_open(
        actor=world.head, case=register(world), reason="不属于本机关管辖", on=D0
    )
    with pytest.raises(RuleViolation) as refusal:
        _issue(world, screened)
    assert refusal.value.code == "document_not_ready" and "登记案源" in refusal.value.message


def test_voiding_needs_the_heads_approval_and_a_reason(world: CaseWorld) -> None:
    document = _issue(world, opened(world))
    with pytest.raises(PermissionDenied):
        services.document_void(actor=world.officer_user, document=document, reason="错", on=D0)
    with pytest.raises(InvalidInput):  # the reason is required
        services.document_void(actor=world.head, document=document, reason=" ", on=D0)
    services.document_void(actor=world.head, document=document, reason="错误", on=D0)
    with pytest.raises(RuleViolation):
        services.document_void(actor=world.head, document=document, reason="再次", on=D0)


def test_pdf_embeds_a_chinese_font_is_sealed_over_its_digest_and_recorded(world: CaseWorld) -> None:
    case = notified(world)
    before = ledger_count(case)
    document = _issue(world, case, "prior_notice", on=D0 + dt.timedelta(days=7))
    pdf = bytes(document.pdf)
    assert pdf.startswith(b"%PDF") and b"/FontFile" in pdf and b"NotoSerifCJK" in pdf
    assert hashlib.sha256(pdf).hexdigest() == document.sha256
    message = services.document_seal_message(
        document.number, document.sha256, world.agency.name, document.issued_on
    )
    assert signature_valid(bytes.fromhex(document.public_key), bytes.fromhex(document.signature), message)
    assert not signature_valid(
        bytes.fromhex(document.public_key), bytes.fromhex(document.signature), message.replace(b"1", b"2")
    )
    assert ledger_count(case) == before + 1
    entry = (
        LedgerEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("-seq").first()
    )
    assert entry is not None and entry.action == "case.document_issue"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "document-prior-notice.pdf").write_bytes(pdf)


def test_public_verification_page_shows_digest_status_and_agency(world: CaseWorld) -> None:
    document = _issue(world, opened(world))
    anonymous = Client()
    html = anonymous.get(reverse("document_verify", args=[document.number])).content.decode()
    assert document.sha256 in html and world.agency.name in html and "签章有效" in html
    assert anonymous.get(reverse("document_verify", args=[str(document.pk)])).status_code == 200
    services.document_void(actor=world.head, document=document, reason="当事人名称有误", on=D0)
    html = anonymous.get(reverse("document_verify", args=[document.number])).content.decode()
    assert "已作废" in html and "当事人名称有误" in html
    CaseDocument.objects.filter(pk=document.pk).update(sha256="0" * 64)  # a tampered record
    assert (
        "签章校验失败" in anonymous.get(reverse("document_verify", args=[document.number])).content.decode()
    )
    assert anonymous.get(reverse("document_verify", args=["测县市监立审〔2025〕99号"])).status_code == 404


def test_case_page_issues_a_document_and_lists_it(world: CaseWorld) -> None:
    case = opened(world)
    client = Client()
    client.force_login(world.officer_user)
    response = client.post(reverse("cases:document_issue", args=[case.pk]), {"doc_type": "decision"})
    assert response.status_code == 302 and not CaseDocument.objects.exists()  # refused: shown as a message
    client.post(reverse("cases:document_issue", args=[case.pk]), {"doc_type": "filing_approval"})
    document = CaseDocument.objects.get()
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert document.number in html
    pdf = client.get(reverse("cases:document_pdf", args=[document.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(document.pdf)
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.get(reverse("cases:document_pdf", args=[document.pk])).status_code == 404
