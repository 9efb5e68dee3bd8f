"""Every decision the demo publishes shows its own 文号: the number of the issued 行政处罚决定书 (当场处罚决定书) or
不予行政处罚决定书 — never the case's 立案 number, never （决定书尚未编号） (issue 16)."""

from __future__ import annotations

from typing import Any

from zhifa.cases.models import Case, CaseDocument, DocumentStatus, DocumentType, Procedure
from zhifa.disclosure.models import Publication, PublicationStatus, ResultKind
from zhifa.disclosure.selectors import live_publications
from zhifa.disclosure.services import CASE


def published_decisions_without_their_own_number() -> list[str]:
    """The published case publications whose 文号 is not their case's issued decision document's number."""
    wrong = []
    published = Publication.objects.filter(source_type=CASE, status=PublicationStatus.PUBLISHED).order_by(
        "id"
    )
    for p in published:
        case = Case.objects.get(pk=p.source_id)
        doc_type = (
            DocumentType.NOT_PUNISH_DECISION if p.kind == ResultKind.NOT_PUNISH else DocumentType.DECISION
        )
        issued = set(
            CaseDocument.objects.filter(
                case=case, doc_type=doc_type, status=DocumentStatus.ISSUED
            ).values_list("number", flat=True)
        )
        if not p.document_number or p.document_number not in issued or p.document_number == case.number:
            wrong.append(
                f"{case.number}（{case.get_procedure_display()}）：文号「{p.document_number}」，决定书 {issued}"
            )
    return wrong


def test_every_published_demo_decision_carries_its_issued_decision_document_number(
    demo_county: Any, db: None, client: Any
) -> None:
    published = Publication.objects.filter(source_type=CASE, status=PublicationStatus.PUBLISHED)
    # the paths that once went without a decision document are among them: 当场处罚 and 不予处罚
    assert published.filter(kind=ResultKind.NOT_PUNISH).exists()
    simple = Case.objects.filter(procedure=Procedure.SIMPLE).values_list("pk", flat=True)
    assert published.filter(source_id__in=[str(pk) for pk in simple]).exists()
    assert published_decisions_without_their_own_number() == []

    for p in live_publications().filter(source_type=CASE):  # one past its 公示期限 is no longer shown
        html = client.get(f"/public/decisions/{p.pk}/").content.decode()
        assert p.document_number in html, p.pk
        assert "决定书尚未编号" not in html, p.pk
        assert Case.objects.get(pk=p.source_id).number not in html, p.pk
