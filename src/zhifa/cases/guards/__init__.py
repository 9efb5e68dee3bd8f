"""The state machine of a case and its guards: which transition may run from which stage, and why not.

Read-only. The services call :func:`precheck` before they write; ``selectors.case_next_actions`` calls the
same function to show a disabled action with the guard's reason. A guard raises
:class:`~zhifa.core.errors.RuleViolation` (HTTP 409) with a stable code and the article it enforces.

The guards are split by what they check (one module each, every name re-exported here, the private ones the
services and tests use too): ``transitions`` (the state machine ``TRANSITIONS``, ``ALLOWED_EDGES``,
``check_stage``, ``precheck``), ``steps`` and ``execution`` (each transition's own checks before and after the
decision), ``checks`` (the generic guards they share), ``officers``, ``penalty`` (the proposed penalty and what
it triggers), ``documents`` (the evidence a step needs), ``catalog`` (the legal basis) and ``_common``.
"""

from zhifa.cases.guards._common import S, refuse, today
from zhifa.cases.guards.catalog import catalog_basis, legal_basis
from zhifa.cases.guards.checks import _c_correct_decision as _c_correct_decision
from zhifa.cases.guards.checks import (
    check_collective_discussion,
    check_date,
    check_decision_deadline,
    check_legal_review,
    check_limitation,
    check_no_active_seizure,
    check_rights_period_over,
    check_statement_reviewed,
    notice_period_due,
    owes_money,
)
from zhifa.cases.guards.documents import _RECORD_STAGE as _RECORD_STAGE
from zhifa.cases.guards.documents import _SEIZURE_ACT as _SEIZURE_ACT
from zhifa.cases.guards.documents import _required_records_missing as _required_records_missing
from zhifa.cases.guards.documents import check_required_records, record_act_type
from zhifa.cases.guards.execution import _c_close as _c_close
from zhifa.cases.guards.execution import _c_court as _c_court
from zhifa.cases.guards.execution import _c_demand as _c_demand
from zhifa.cases.guards.execution import _c_demand_statement as _c_demand_statement
from zhifa.cases.guards.execution import _c_demand_statement_review as _c_demand_statement_review
from zhifa.cases.guards.execution import _c_finish_without_decision as _c_finish_without_decision
from zhifa.cases.guards.execution import _c_payment as _c_payment
from zhifa.cases.guards.execution import _c_seizure as _c_seizure
from zhifa.cases.guards.execution import _c_simple_file as _c_simple_file
from zhifa.cases.guards.officers import check_officers, eligible_officers
from zhifa.cases.guards.penalty import (
    Penalty,
    collective_discussion_reasons,
    hearing_right_reasons,
    latest_legal_review,
    legal_review_reasons,
    party_kinds,
    proposed_penalty,
    threshold,
)
from zhifa.cases.guards.penalty import _major_reasons as _major_reasons
from zhifa.cases.guards.penalty import _money as _money
from zhifa.cases.guards.steps import _c_after_rights as _c_after_rights
from zhifa.cases.guards.steps import _c_collective as _c_collective
from zhifa.cases.guards.steps import _c_deadline as _c_deadline
from zhifa.cases.guards.steps import _c_decide as _c_decide
from zhifa.cases.guards.steps import _c_decide_recusal as _c_decide_recusal
from zhifa.cases.guards.steps import _c_end_investigation as _c_end_investigation
from zhifa.cases.guards.steps import _c_end_period as _c_end_period
from zhifa.cases.guards.steps import _c_extend as _c_extend
from zhifa.cases.guards.steps import _c_extend_source_check as _c_extend_source_check
from zhifa.cases.guards.steps import _c_hold_hearing as _c_hold_hearing
from zhifa.cases.guards.steps import _c_investigation as _c_investigation
from zhifa.cases.guards.steps import _c_record_period as _c_record_period
from zhifa.cases.guards.steps import _c_request_hearing as _c_request_hearing
from zhifa.cases.guards.steps import _c_review_statement as _c_review_statement
from zhifa.cases.guards.steps import _c_schedule_hearing as _c_schedule_hearing
from zhifa.cases.guards.steps import _c_serve_notice as _c_serve_notice
from zhifa.cases.guards.steps import _check_hearing_not_over as _check_hearing_not_over
from zhifa.cases.guards.transitions import _AFTER_REVIEW as _AFTER_REVIEW
from zhifa.cases.guards.transitions import _BOTH as _BOTH
from zhifa.cases.guards.transitions import _DECIDABLE as _DECIDABLE
from zhifa.cases.guards.transitions import ALLOWED_EDGES, TRANSITIONS, Transition, check_stage, precheck

__all__ = [
    "ALLOWED_EDGES",
    "TRANSITIONS",
    "Penalty",
    "S",
    "Transition",
    "catalog_basis",
    "check_collective_discussion",
    "check_date",
    "check_decision_deadline",
    "check_legal_review",
    "check_limitation",
    "check_no_active_seizure",
    "check_officers",
    "check_required_records",
    "check_rights_period_over",
    "check_stage",
    "check_statement_reviewed",
    "collective_discussion_reasons",
    "eligible_officers",
    "hearing_right_reasons",
    "latest_legal_review",
    "legal_basis",
    "legal_review_reasons",
    "notice_period_due",
    "owes_money",
    "party_kinds",
    "precheck",
    "proposed_penalty",
    "record_act_type",
    "refuse",
    "threshold",
    "today",
]
