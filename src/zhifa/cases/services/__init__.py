"""State changes of cases (案件): every transition of the general and simple procedures and of compulsion.

Each service runs in one transaction (``zhifa.core.transactions.service``), locks the case row, checks
permission, stage and the legal guards (``zhifa.cases.guards``) before it writes anything, then writes and
appends exactly one ledger entry (``record_append``). A refusal therefore leaves nothing behind: no field
changed, no ledger entry, no case number used.

The services are split by what they do (one module each, every public name re-exported here):
``intake`` (案源、立案), ``procedure`` (调查、告知、听证、审核), ``decision`` (决定、送达、执行), ``remedies``
(复议、诉讼), ``exits`` (不予处罚、移送、撤销), ``simple`` (简易程序), ``seizures`` (查封、扣押), ``issuance`` (文书),
``deadlines`` (期限) and ``_common`` (lock, check, commit). The private helpers the sibling modules (hearing,
compulsion, corrections, payments) import from here are re-exported too.
"""

from zhifa.cases.services._common import _begin as _begin
from zhifa.cases.services._common import _commit as _commit
from zhifa.cases.services._common import _locked as _locked
from zhifa.cases.services._common import _officer_of as _officer_of
from zhifa.cases.services._common import _penalty as _penalty
from zhifa.cases.services._common import _require_text as _require_text
from zhifa.cases.services.deadlines import PENDING_SCHEDULE, PENDING_SCHEDULE_FLAG, pending_schedule_flags
from zhifa.cases.services.deadlines import _due_or_pending as _due_or_pending
from zhifa.cases.services.deadlines import _effective_payment_due as _effective_payment_due
from zhifa.cases.services.decision import (
    case_archive,
    case_close,
    case_decide,
    case_record_payment,
    case_serve,
    court_application,
    enforcement_demand,
)
from zhifa.cases.services.exits import (
    case_not_punish,
    case_transfer,
    case_withdraw,
    transfer_acknowledge,
    transfer_feedback,
)
from zhifa.cases.services.intake import case_not_open, case_open, case_register_source
from zhifa.cases.services.issuance import document_issue, document_seal_message, document_void
from zhifa.cases.services.procedure import (
    case_collective_discussion,
    case_end_investigation,
    case_extend_deadline,
    case_hold_hearing,
    case_notify_rights,
    case_record_legal_review,
    case_record_statement,
    case_request_hearing,
    case_return_to_investigation,
    case_schedule_hearing,
    case_start_investigation,
    case_submit_legal_review,
    case_waive_rights,
)
from zhifa.cases.services.remedies import case_record_remedy, remedies_fill_from_import, remedy_periods
from zhifa.cases.services.seizures import _locked_seizure as _locked_seizure
from zhifa.cases.services.seizures import seizure_approve, seizure_decide, seizure_extend, seizure_release
from zhifa.cases.services.simple import case_simple_decide, case_simple_file

__all__ = [
    "PENDING_SCHEDULE",
    "PENDING_SCHEDULE_FLAG",
    "case_archive",
    "case_close",
    "case_collective_discussion",
    "case_decide",
    "case_end_investigation",
    "case_extend_deadline",
    "case_hold_hearing",
    "case_not_open",
    "case_not_punish",
    "case_notify_rights",
    "case_open",
    "case_record_legal_review",
    "case_record_payment",
    "case_record_remedy",
    "case_record_statement",
    "case_register_source",
    "case_request_hearing",
    "case_return_to_investigation",
    "case_schedule_hearing",
    "case_serve",
    "case_simple_decide",
    "case_simple_file",
    "case_start_investigation",
    "case_submit_legal_review",
    "case_transfer",
    "case_waive_rights",
    "case_withdraw",
    "court_application",
    "document_issue",
    "document_seal_message",
    "document_void",
    "enforcement_demand",
    "pending_schedule_flags",
    "remedies_fill_from_import",
    "remedy_periods",
    "seizure_approve",
    "seizure_decide",
    "seizure_extend",
    "seizure_release",
    "transfer_acknowledge",
    "transfer_feedback",
]
