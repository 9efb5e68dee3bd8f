"""执法监督 — every state change of supervision: the problem ledger, the warning queue, instruments, people.

Each service checks permission (``supervision.rules``) and guards, writes, and appends to the ledger in the
same transaction (``@service``). Nothing is deleted: problems are closed (销号) and reopened, flags are
handled, dismissed or converted, instruments voided with the number kept.

The services are split by aggregate (one module each, every public name re-exported here):
``problems`` (问题台账), ``flags`` (监督预警), ``noact`` (专项说明), ``instruments`` (监督文书), ``people``
(回访、社会监督员、联系点) and ``_common``.
"""

from zhifa.supervision.services._common import today
from zhifa.supervision.services.flags import (
    FLAGS_BULK_MAX,
    flag_convert,
    flag_dismiss,
    flag_handle,
    flag_receive,
    flags_decide_many,
    flags_scan,
)
from zhifa.supervision.services.instruments import (
    NUMBER_WORD,
    instrument_issue,
    instrument_open_problem,
    instrument_reply,
    instrument_review,
    instrument_void,
)
from zhifa.supervision.services.noact import noact_statement_file
from zhifa.supervision.services.people import (
    check_answers,
    liaison_point_designate,
    liaison_visit_record,
    questionnaire_create,
    questionnaire_set_active,
    return_visit_record,
    social_supervisor_appoint,
    social_supervisor_dismiss,
    supervisor_task_assign,
    supervisor_task_feedback,
)
from zhifa.supervision.services.problems import (
    problem_close,
    problem_open,
    problem_rectify,
    problem_reopen,
    problem_submit,
    problem_verify,
)

__all__ = [
    "FLAGS_BULK_MAX",
    "NUMBER_WORD",
    "check_answers",
    "flag_convert",
    "flag_dismiss",
    "flag_handle",
    "flag_receive",
    "flags_decide_many",
    "flags_scan",
    "instrument_issue",
    "instrument_open_problem",
    "instrument_reply",
    "instrument_review",
    "instrument_void",
    "liaison_point_designate",
    "liaison_visit_record",
    "noact_statement_file",
    "problem_close",
    "problem_open",
    "problem_rectify",
    "problem_reopen",
    "problem_submit",
    "problem_verify",
    "questionnaire_create",
    "questionnaire_set_active",
    "return_visit_record",
    "social_supervisor_appoint",
    "social_supervisor_dismiss",
    "supervisor_task_assign",
    "supervisor_task_feedback",
    "today",
]
