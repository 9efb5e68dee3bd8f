"""文书: issue (number, seal, sign) and void a case document."""

from __future__ import annotations

import datetime as dt
import hashlib

from zhifa.cases import guards, hooks
from zhifa.cases.documents import NUMBER_WORD, READY, render_pdf, seizure_for
from zhifa.cases.guards import refuse
from zhifa.cases.models import (
    Case,
    CaseDocument,
    DocumentNumberCounter,
    DocumentStatus,
    DocumentType,
    Seizure,
)
from zhifa.cases.rules import APPROVE, INVESTIGATE
from zhifa.cases.services._common import _locked, _officer_of, _require_text
from zhifa.core.errors import InvalidInput
from zhifa.core.numbering import next_number
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, User
from zhifa.records.canonical import canonical_json
from zhifa.records.services import record_append
from zhifa.records.signing import load_signing_key, sign


def _issue_document_number(agency: Agency, doc_type: str, year: int) -> tuple[str, int]:
    """The next gapless number per agency, type and year, under a row lock; voided numbers keep their row."""
    last = next_number(DocumentNumberCounter, agency=agency, doc_type=doc_type, year=year)
    prefix = agency.short_name or agency.name
    return f"{prefix}{NUMBER_WORD[DocumentType(doc_type)]}〔{year}〕{last}号", last


def document_seal_message(number: str, sha256: str, agency_name: str, issued_on: dt.date) -> bytes:
    """The exact bytes the platform signs for a document: canonical JSON of its number, digest, agency, date."""
    return canonical_json(
        {
            "kind": "zhifa-document-v1",
            "number": number,
            "sha256": sha256,
            "agency": agency_name,
            "issued_on": issued_on.isoformat(),
        }
    )


@service
def document_issue(
    *,
    actor: User,
    case: Case | int,
    doc_type: str,
    on: dt.date | None = None,
    seizure: Seizure | int | None = None,
) -> CaseDocument:
    """出具文书 — number, render (PDF), hash (SHA-256), seal (Ed25519 over the digest) and record it.

    A type is issued only once the case has reached the step it records (``documents.READY``); the documents
    of a measure on property (查封扣押决定书、清单、延长、解除、先行登记保存通知书) concern one ``seizure`` —
    the one given, else the case's latest that fits.
    """
    on = on or guards.today()
    case = _locked(case)
    perms.require(actor, INVESTIGATE, case)
    if doc_type not in DocumentType.values:
        raise InvalidInput("文书类型无效。", "Unknown document type.", field="doc_type")
    measure: Seizure | None = None
    if seizure is not None:
        pk = seizure.pk if isinstance(seizure, Seizure) else seizure
        measure = Seizure.objects.filter(pk=pk, case=case).first()
        if measure is None:
            raise InvalidInput("所选措施不属于本案。", "The measure is not of this case.", field="seizure")
    measure = seizure_for(case, doc_type, measure)
    step, ready = READY[DocumentType(doc_type)]
    if not ready(case, measure):
        raise refuse(
            "document_not_ready",
            f"本案尚未{step}，不能出具{DocumentType(doc_type).label}。",
            f"The case has not reached '{step}'; no {doc_type} can be issued.",
        )
    guards.check_date(None, on)
    number, seq = _issue_document_number(case.agency, doc_type, on.year)
    pdf = render_pdf(case, doc_type, number, on, measure)
    digest = hashlib.sha256(pdf).hexdigest()
    key = load_signing_key()
    signature = sign(key, document_seal_message(number, digest, case.agency.name, on))
    document = CaseDocument.objects.create(
        case=case,
        seizure=measure,
        agency=case.agency,
        doc_type=doc_type,
        year=on.year,
        seq=seq,
        number=number,
        pdf=pdf,
        sha256=digest,
        signature=signature.hex(),
        public_key=key.public_key_raw.hex(),
        issued_on=on,
        issued_by=actor,
    )
    changes = {"document_id": document.pk, "doc_type": doc_type, "number": number, "sha256": digest}
    if measure is not None:
        changes["seizure_id"] = measure.pk
    record_append(
        actor=actor,
        action="case.document_issue",
        obj=case,
        changes=changes,
        officer=_officer_of(actor),
    )
    hooks.run_after(
        "document_issue", case, actor=actor, on=on, changes=changes
    )  # e.g. the 文号 of a publication
    return document


@service
def document_void(
    *, actor: User, document: CaseDocument | int, reason: str, on: dt.date | None = None
) -> CaseDocument:
    """作废文书 — the number stays recorded as voided and is never issued again."""
    on = on or guards.today()
    pk = document.pk if isinstance(document, CaseDocument) else document
    document = CaseDocument.objects.select_for_update(of=("self",)).select_related("case__agency").get(pk=pk)
    perms.require(actor, APPROVE, document.case)
    if document.status == DocumentStatus.VOIDED:
        raise refuse("document_already_voided", "该文书已作废。", "The document is already voided.")
    reason = _require_text(reason, "reason", "作废理由", 300)
    document.status = DocumentStatus.VOIDED
    document.void_reason = reason
    document.voided_on = on
    document.save(update_fields=["status", "void_reason", "voided_on"])
    record_append(
        actor=actor,
        action="case.document_void",
        obj=document.case,
        changes={"document_id": document.pk, "number": document.number, "reason": reason},
    )
    return document
