"""Which builder fills the body of each document type; every type has one, a number word and a readiness test."""

from __future__ import annotations

from collections.abc import Callable

from zhifa.cases.documents.approvals import _closing_approval, _extension_approval, _filing_approval
from zhifa.cases.documents.common import NUMBER_WORD, Body
from zhifa.cases.documents.compulsion import (
    _preservation_notice,
    _seizure_decision,
    _seizure_extension,
    _seizure_inventory,
    _seizure_release,
)
from zhifa.cases.documents.decisions import (
    _decision,
    _hearing_notice,
    _hearing_record,
    _not_punish_decision,
    _prior_notice,
    _service_receipt,
)
from zhifa.cases.documents.enforcement import _court_application, _demand
from zhifa.cases.documents.readiness import READY
from zhifa.cases.documents.records import _inquiry_record, _inspection_record
from zhifa.cases.models import (
    Case,
    DocumentType,
    Seizure,
    TransferTarget,
)

BUILDERS: dict[str, Callable[[Case, Seizure | None], Body]] = {
    DocumentType.FILING_APPROVAL: _filing_approval,
    DocumentType.INQUIRY_RECORD: _inquiry_record,
    DocumentType.INSPECTION_RECORD: _inspection_record,
    DocumentType.PRESERVATION_NOTICE: _preservation_notice,
    DocumentType.SEIZURE_DECISION: _seizure_decision,
    DocumentType.SEIZURE_INVENTORY: _seizure_inventory,
    DocumentType.SEIZURE_EXTENSION: _seizure_extension,
    DocumentType.SEIZURE_RELEASE: _seizure_release,
    DocumentType.EXTENSION_APPROVAL: _extension_approval,
    DocumentType.PRIOR_NOTICE: _prior_notice,
    DocumentType.HEARING_NOTICE: _hearing_notice,
    DocumentType.HEARING_RECORD: _hearing_record,
    DocumentType.DECISION: _decision,
    DocumentType.NOT_PUNISH_DECISION: _not_punish_decision,
    DocumentType.SERVICE_RECEIPT: _service_receipt,
    DocumentType.DEMAND: _demand,
    DocumentType.COURT_APPLICATION: _court_application,
    DocumentType.CLOSING_APPROVAL: _closing_approval,
}


assert set(BUILDERS) == set(DocumentType.values) == set(NUMBER_WORD) == set(READY)
_ = TransferTarget  # documents of transfer (移送函) are not rendered yet; see docs/cases.md


def body_of(case: Case, doc_type: str, seizure: Seizure | None = None) -> Body:
    return BUILDERS[DocumentType(doc_type)](case, seizure)
