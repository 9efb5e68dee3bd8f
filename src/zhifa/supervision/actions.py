"""The actions on supervision's objects, in one table shared by the pages and the API (as ``cases.guards``'s
``TRANSITIONS`` is by the case pages and the case API).

Each action names the object kind it acts on (``aggregate``), the word in its URL and in the API's
``action`` field, its Chinese label, the permission it needs (``zhifa.supervision.rules``; the service checks
the object, its scope and state again), the form that parses the page's fields, and ``run``: the one service
call, made with the form's cleaned data. A page shows a button for an action the user may take; the API's
``action`` pattern lists the same names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms

from zhifa.supervision import forms, services
from zhifa.supervision.rules import RECTIFY, SUPERVISE

FLAG, PROBLEM, INSTRUMENT, QUESTIONNAIRE = "flag", "problem", "instrument", "questionnaire"


@dataclass(frozen=True)
class Action:
    aggregate: str
    name: str
    label: str
    permission: str
    form: type[django_forms.Form]
    run: Callable[[Any, Any, dict[str, Any]], Any]  # (actor, the object, cleaned data) → the service's result
    message: str = "已保存。"  # after it is done; may name {result} (what the service returned) and {obj}
    endpoint: str = "act"  # the API operation that takes it: ``…/{id}/act`` with ``action``, or its own


def _passed(data: dict[str, Any]) -> bool:
    return data.get("passed") == "1" or data.get("passed") is True


TABLE: tuple[Action, ...] = (
    # 预警: the service checks the flag is new and in the supervisor's region
    Action(
        FLAG,
        "handle",
        "处理",
        SUPERVISE,
        forms.FlagNoteForm,
        lambda actor, flag, d: services.flag_handle(actor=actor, flag=flag, note=d["text"]),
        "预警已处理。",
    ),
    Action(
        FLAG,
        "dismiss",
        "排除",
        SUPERVISE,
        forms.FlagNoteForm,
        lambda actor, flag, d: services.flag_dismiss(actor=actor, flag=flag, reason=d["text"]),
        "预警已处理。",
    ),
    Action(
        FLAG,
        "convert",
        "转为问题",
        SUPERVISE,
        forms.FlagConvertForm,
        lambda actor, flag, d: services.flag_convert(
            actor=actor, flag=flag, category=d["category"], due=d["due"]
        ),
        "预警已处理。",
    ),
    # 问题台账
    Action(
        PROBLEM,
        "rectify",
        "整改",
        RECTIFY,
        forms.ProblemStepForm,
        lambda actor, p, d: services.problem_rectify(
            actor=actor, problem=p, measures=d["text"], evidence=d["evidence"]
        ),
    ),
    Action(
        PROBLEM,
        "submit",
        "提请核验",
        RECTIFY,
        forms.ProblemStepForm,
        lambda actor, p, d: services.problem_submit(actor=actor, problem=p, summary=d["text"]),
    ),
    Action(
        PROBLEM,
        "verify",
        "核验",
        SUPERVISE,
        forms.ProblemStepForm,
        lambda actor, p, d: services.problem_verify(
            actor=actor, problem=p, passed=_passed(d), opinion=d["text"]
        ),
    ),
    Action(
        PROBLEM,
        "close",
        "销号",
        SUPERVISE,
        forms.ProblemStepForm,
        lambda actor, p, d: services.problem_close(actor=actor, problem=p, note=d["text"]),
    ),
    Action(
        PROBLEM,
        "reopen",
        "重新打开",
        SUPERVISE,
        forms.ProblemStepForm,
        lambda actor, p, d: services.problem_reopen(actor=actor, problem=p, reason=d["text"]),
    ),
    # 监督文书
    Action(
        INSTRUMENT,
        "reply",
        "答复",
        RECTIFY,
        forms.InstrumentStepForm,
        lambda actor, ins, d: services.instrument_reply(
            actor=actor, instrument=ins, text=d["text"], measures=d["measures"]
        ),
    ),
    Action(
        INSTRUMENT,
        "accept",
        "采纳",
        SUPERVISE,
        forms.InstrumentStepForm,
        lambda actor, ins, d: services.instrument_review(
            actor=actor, instrument=ins, accept=True, note=d["text"]
        ),
    ),
    Action(
        INSTRUMENT,
        "return",
        "退回",
        SUPERVISE,
        forms.InstrumentStepForm,
        lambda actor, ins, d: services.instrument_review(
            actor=actor, instrument=ins, accept=False, note=d["text"]
        ),
    ),
    Action(
        INSTRUMENT,
        "void",
        "作废",
        SUPERVISE,
        forms.InstrumentStepForm,
        lambda actor, ins, d: services.instrument_void(actor=actor, instrument=ins, reason=d["text"]),
    ),
    Action(
        INSTRUMENT,
        "problem",
        "入问题台账",
        SUPERVISE,
        forms.InstrumentProblemForm,
        lambda actor, ins, d: services.instrument_open_problem(
            actor=actor, instrument=ins, title=d["title"], category=d["category"], due=d["due"]
        ),
        "已登记问题 #{result.pk}。",
        endpoint="problems",  # POST /instruments/{id}/problems
    ),
    # 回访问卷
    Action(
        QUESTIONNAIRE,
        "stop",
        "停用",
        SUPERVISE,
        forms.NoFieldsForm,
        lambda actor, q, d: services.questionnaire_set_active(actor=actor, questionnaire=q, active=False),
        "问卷“{obj.name}”已停用。",
        endpoint="",  # pages only
    ),
    Action(
        QUESTIONNAIRE,
        "activate",
        "启用",
        SUPERVISE,
        forms.NoFieldsForm,
        lambda actor, q, d: services.questionnaire_set_active(actor=actor, questionnaire=q, active=True),
        "问卷“{obj.name}”已启用。",
        endpoint="",  # pages only
    ),
)

ACTIONS: dict[tuple[str, str], Action] = {(a.aggregate, a.name): a for a in TABLE}


def of(aggregate: str) -> dict[str, Action]:
    """The actions on one kind of object, by name, in the table's order."""
    return {a.name: a for a in TABLE if a.aggregate == aggregate}


def get(aggregate: str, name: str) -> Action | None:
    return ACTIONS.get((aggregate, name))


def pattern(aggregate: str, endpoint: str = "act") -> str:
    """The API's ``action`` field pattern for the actions one operation takes: ``^(handle|dismiss|convert)$``."""
    return "^(" + "|".join(n for n, a in of(aggregate).items() if a.endpoint == endpoint) + ")$"


def api_get(aggregate: str, name: str, endpoint: str = "act") -> Action:
    """The action an API operation was asked for (its schema's pattern has let only these through)."""
    act = ACTIONS[(aggregate, name)]
    assert act.endpoint == endpoint, (aggregate, name, endpoint)
    return act
