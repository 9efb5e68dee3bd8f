"""Pages of supervision (执法监督): the warning queue, the problem ledger, instruments, 专项说明, people.

Thin: reads through ``selectors`` (scoped; out of scope is a 404), parses the posted fields with ``forms``,
writes through ``services``; the actions on an existing object and who may take them come from ``actions``
(shared with the API). A refusal comes back beside the form (htmx rows) or as a message after a redirect.
One module per aggregate; ``supervision/urls.py`` names the views through this package.
"""

from zhifa.supervision.views.flags import flag_act, flags_bulk, queue
from zhifa.supervision.views.instruments import (
    instrument_act,
    instrument_detail,
    instrument_list,
    instrument_new,
    instrument_pdf,
    instrument_verify,
)
from zhifa.supervision.views.noact import noact_file
from zhifa.supervision.views.people import (
    liaison_designate,
    liaison_visit,
    people,
    supervisor_appoint,
    supervisor_dismiss,
    supervisor_task_assign,
    supervisor_task_feedback,
)
from zhifa.supervision.views.problems import problem_act, problem_detail, problem_list, problem_new
from zhifa.supervision.views.visits import questionnaire_act, questionnaire_new, return_visit_new

__all__ = [
    "flag_act",
    "flags_bulk",
    "instrument_act",
    "instrument_detail",
    "instrument_list",
    "instrument_new",
    "instrument_pdf",
    "instrument_verify",
    "liaison_designate",
    "liaison_visit",
    "noact_file",
    "people",
    "problem_act",
    "problem_detail",
    "problem_list",
    "problem_new",
    "questionnaire_act",
    "questionnaire_new",
    "queue",
    "return_visit_new",
    "supervisor_appoint",
    "supervisor_dismiss",
    "supervisor_task_assign",
    "supervisor_task_feedback",
]
