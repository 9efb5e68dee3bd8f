"""执法文书 rendering: the agency header, the number, the body of each type, and a QR code to the public
verification page — as a PDF with an embedded Chinese font (Noto Serif CJK SC, subset by fpdf2).

Pure rendering: takes a case (and, for the measures on property, one seizure / preservation) and a number,
returns bytes. The service (``services.document_issue``) checks readiness, numbers, hashes, signs and stores.

Each type has a builder that fills a :class:`Body` from the case's data — parties, officers with their
certificate numbers, facts, legal basis, penalty, dates, inventory, the rights notices with their periods —
and one layout (:func:`render_pdf`) draws every body: approval forms (审批表) as a bordered grid with opinion
boxes, records (笔录) as the known fields plus lined blanks for handwriting and signature lines, decisions and
notices as indented paragraphs, inventories as a numbered table. Long Chinese text wraps by character.

The package by document family: ``common`` (numbers, remedies, the case's data as documents word it, ``Body``),
``readiness`` (``READY``, ``seizure_for``), ``approvals`` (审批表), ``records`` (笔录), ``compulsion`` (measures on
property), ``decisions`` (告知、听证、决定、送达), ``enforcement`` (催告、申请强制执行), ``builders`` (type → builder)
and ``layout`` (``render_pdf``). Font, letterhead, verification address and QR code: ``zhifa.core.pdf``.
Every name stays importable from ``zhifa.cases.documents``.
"""

from __future__ import annotations

from zhifa.cases.documents.approvals import _closing_approval, _extension_approval, _filing_approval
from zhifa.cases.documents.builders import BUILDERS, body_of
from zhifa.cases.documents.common import (
    _DIGITS,
    NUMBER_WORD,
    REMEDY_DAYS_RECONSIDERATION,
    REMEDY_MONTHS_LITIGATION,
    SEIZURE_TYPES,
    Body,
    _basis,
    _cn,
    _d,
    _evidence,
    _facts,
    _kinds,
    _money,
    _officers,
    _parties,
    _party_names,
    _party_rows,
    _penalty_text,
    body_text,
    remedies,
    verify_url,
)
from zhifa.cases.documents.compulsion import (
    _inventory_rows,
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
    _notice_period,
    _prior_notice,
    _service_receipt,
)
from zhifa.cases.documents.enforcement import _court_application, _demand, _demand_opinions
from zhifa.cases.documents.layout import FOOT_LATER_MM, FOOT_MM, LINE, QR_MM, render_pdf
from zhifa.cases.documents.readiness import READY, _enforcement, seizure_for
from zhifa.cases.documents.records import (
    _IDENTITY_NOTICE,
    _inquiry_record,
    _inspection_record,
    _record_header,
)
from zhifa.core.pdf import draw_verification_qr

__all__ = [
    "BUILDERS",
    "FOOT_LATER_MM",
    "FOOT_MM",
    "LINE",
    "NUMBER_WORD",
    "QR_MM",
    "READY",
    "REMEDY_DAYS_RECONSIDERATION",
    "REMEDY_MONTHS_LITIGATION",
    "SEIZURE_TYPES",
    "_DIGITS",
    "_IDENTITY_NOTICE",
    "Body",
    "_basis",
    "_closing_approval",
    "_cn",
    "_court_application",
    "_d",
    "_decision",
    "_demand",
    "_demand_opinions",
    "_enforcement",
    "_evidence",
    "_extension_approval",
    "_facts",
    "_filing_approval",
    "_hearing_notice",
    "_hearing_record",
    "_inquiry_record",
    "_inspection_record",
    "_inventory_rows",
    "_kinds",
    "_money",
    "_not_punish_decision",
    "_notice_period",
    "_officers",
    "_parties",
    "_party_names",
    "_party_rows",
    "_penalty_text",
    "_preservation_notice",
    "_prior_notice",
    "_record_header",
    "_seizure_decision",
    "_seizure_extension",
    "_seizure_inventory",
    "_seizure_release",
    "_service_receipt",
    "body_of",
    "body_text",
    "draw_verification_qr",
    "remedies",
    "render_pdf",
    "seizure_for",
    "verify_url",
]
