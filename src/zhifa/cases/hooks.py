"""Extension points (扩展点) through which later apps take part in a case's procedure without editing it.

The case app keeps the procedure; the enforcement catalog, discretion benchmarks, the four lists, legal
review, disclosure and supervision add their rules here, each registered in its ``AppConfig.ready()``:

``register_legal_review_reasons(fn)``
    ``fn(case, penalty) -> list[str]``: extra reasons the decision needs legal review first (重大执法决定
    法制审核目录). They join the statutory reasons of ``guards.legal_review_reasons`` and so the hard guard
    ``guards.check_legal_review`` (行政处罚法 第五十八条) and ``selectors.case_needs_legal_review``.

``register_legal_review_status(fn)``
    ``fn(case) -> tuple[bool, str] | None``: whether the legal review of the case's current round agreed,
    and a label for the refusal ("法制审核未通过"). The review workflow answers here; ``None`` means "not
    mine", and the built-in ``LegalReviewOutcome`` answers.

``register_check(code, fn)``
    ``fn(case, *, code, actor, on, changes) -> None``: runs before transition ``code`` (``"*"`` for all)
    writes, inside its transaction, after permission, stage and the statutory guards passed. ``changes`` is
    the dict of fields about to be written, or ``None`` when the case page only asks whether the action is
    open (checks that need the input skip then). Refuse by raising ``RuleViolation``.

``register_after(code, fn)``
    ``fn(case, *, code, actor, on, changes) -> None``: runs after the transition wrote its fields and its
    ledger entry, in the same transaction (a failure rolls the whole step back). ``changes`` is what the
    ledger entry recorded.

``register_item_choices(fn)``
    ``fn(agency, on) -> list[tuple[str, str]]``: the enforcement items (执法事项) a case of ``agency`` may name
    on ``on``, as (code, label) pairs; the 执法事项 picker of the 案源, 立案 and 当场处罚 forms offers them (the
    catalog answers; without one the field is free text).

``register_item_basis(fn)``
    ``fn(agency_id, code, on) -> str | None``: the legal basis (law and article) of the enforcement item ``code``
    of the agency in force on ``on``; a notice or decision that states no basis of its own takes it (the catalog
    answers; ``None``: not found).

``register_panel(fn)``
    ``fn(request, case) -> dict | None``: an extra section of the case page: ``{"title": ..., "template":
    ..., "context": {...}}`` or ``None`` when it has nothing to show for this case or user.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zhifa.org.models import User

if TYPE_CHECKING:
    from zhifa.cases.guards import Penalty
    from zhifa.cases.models import Case

ReasonsFn = Callable[["Case", "Penalty"], list[str]]
StatusFn = Callable[["Case"], "tuple[bool, str] | None"]
StepFn = Callable[..., None]
PanelFn = Callable[[Any, "Case"], "dict[str, Any] | None"]
ChoicesFn = Callable[[Any, dt.date], "list[tuple[str, str]]"]
BasisFn = Callable[[Any, str, dt.date], "str | None"]

_reasons: list[ReasonsFn] = []
_status: list[StatusFn] = []
_checks: dict[str, list[StepFn]] = defaultdict(list)
_after: dict[str, list[StepFn]] = defaultdict(list)
_panels: list[PanelFn] = []
_item_choices: list[ChoicesFn] = []
_item_basis: list[BasisFn] = []


def _add(bucket: list[Any], fn: Any) -> Any:
    if fn not in bucket:  # ready() may run twice in tests; register once
        bucket.append(fn)
    return fn


def register_legal_review_reasons(fn: ReasonsFn) -> ReasonsFn:
    return _add(_reasons, fn)


def register_legal_review_status(fn: StatusFn) -> StatusFn:
    return _add(_status, fn)


def register_check(code: str, fn: StepFn) -> StepFn:
    return _add(_checks[code], fn)


def register_after(code: str, fn: StepFn) -> StepFn:
    return _add(_after[code], fn)


def register_panel(fn: PanelFn) -> PanelFn:
    return _add(_panels, fn)


def register_item_choices(fn: ChoicesFn) -> ChoicesFn:
    return _add(_item_choices, fn)


def register_item_basis(fn: BasisFn) -> BasisFn:
    return _add(_item_basis, fn)


def item_basis(agency_id: Any, code: str, on: dt.date) -> str:
    """The legal basis of the enforcement item ``code`` of the agency in force on ``on``, or '' without one."""
    for fn in _item_basis:
        basis = fn(agency_id, code, on)
        if basis is not None:
            return basis
    return ""


def item_choices(agency: Any, on: dt.date) -> list[tuple[str, str]]:
    """The (code, label) pairs of the items a case of ``agency`` may name on ``on`` (empty: no catalog)."""
    found: dict[str, str] = {}
    for fn in _item_choices:
        for code, label in fn(agency, on):
            found.setdefault(code, label)
    return list(found.items())


def extra_legal_review_reasons(case: Case, penalty: Penalty, on: dt.date | None = None) -> list[str]:
    """What the registered sources add; ``on`` asks as of a past day (a source then takes ``on=``)."""
    reasons: list[str] = []
    for fn in _reasons:
        found = fn(case, penalty) if on is None else fn(case, penalty, on=on)  # type: ignore[call-arg]
        for reason in found:
            if reason not in reasons:
                reasons.append(reason)
    return reasons


def legal_review_status(case: Case) -> tuple[bool, str] | None:
    for fn in _status:
        answer = fn(case)
        if answer is not None:
            return answer
    return None


def run_checks(code: str, case: Case, *, actor: User, on: dt.date, changes: dict[str, Any] | None) -> None:
    for fn in (*_checks.get(code, ()), *_checks.get("*", ())):
        fn(case, code=code, actor=actor, on=on, changes=changes)


def run_after(code: str, case: Case, *, actor: User, on: dt.date, changes: dict[str, Any]) -> None:
    for fn in (*_after.get(code, ()), *_after.get("*", ())):
        fn(case, code=code, actor=actor, on=on, changes=changes)


def panels(request: Any, case: Case) -> list[dict[str, Any]]:
    shown = []
    for fn in _panels:
        panel = fn(request, case)
        if panel:
            shown.append(panel)
    return shown
