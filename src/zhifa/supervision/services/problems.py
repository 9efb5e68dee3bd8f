"""问题台账: open a problem, rectify, submit, verify, close and reopen it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Unit, User
from zhifa.records.services import record_append
from zhifa.supervision.models import (
    Problem,
    ProblemCategory,
    ProblemSource,
    ProblemState,
    ProblemStep,
    ProblemStepKind,
)
from zhifa.supervision.rules import RECTIFY, SUPERVISE
from zhifa.supervision.services._common import _agency, _text, today


def _locked_problem(problem: Problem | int) -> Problem:
    pk = problem.pk if isinstance(problem, Problem) else problem
    return Problem.objects.select_for_update(of=("self",)).select_related("agency__region").get(pk=pk)


def _step(problem: Problem, kind: str, actor: User, text: str = "", evidence: str = "") -> ProblemStep:
    return ProblemStep.objects.create(
        problem=problem,
        kind=kind,
        text=text,
        evidence=evidence,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _problem_record(actor: User, verb: str, problem: Problem, changes: Mapping[str, Any]) -> None:
    record_append(actor=actor, action=f"supervision.problem_{verb}", obj=problem, changes=dict(changes))


@service
def problem_open(
    *,
    actor: User,
    agency: Agency | int,
    source_kind: str,
    source_ref: str,
    title: str,
    description: str,
    due: dt.date | None = None,
    category: str = "",
    unit: Unit | None = None,
    target: str = "",
) -> Problem:
    """登记问题 — put a problem on the ledger for an agency (清单式、台账式、销号式, 阜宁县《行政执法质量巩固年行动实施方案》, 2025).

    The contract other apps (evaluation, stats) call: a supervisor of the agency's region opens it.
    """
    agency = _agency(agency)
    perms.require(actor, SUPERVISE, Problem(agency=agency))
    if source_kind not in ProblemSource.values:
        raise InvalidInput(
            f"问题来源无效：{source_kind!r}。",
            "Unknown source kind.",
            code="invalid_source_kind",
            field="source_kind",
        )
    if category and category not in ProblemCategory.values:
        raise InvalidInput(
            f"问题类别无效：{category!r}。", "Unknown category.", code="invalid_category", field="category"
        )
    if due is not None and due < today():
        raise InvalidInput(
            "整改期限不能早于今天。", "The due date is in the past.", code="due_in_past", field="due"
        )
    if unit is not None and unit.agency_id != agency.pk:
        raise InvalidInput("责任股室不属于该单位。", "The unit is not of this agency.", field="unit")
    problem = Problem.objects.create(
        agency=agency,
        unit=unit,
        source_kind=source_kind,
        source_ref=_text(source_ref, "source_ref", "来源编号", 100, required=False),
        category=category,
        title=_text(title, "title", "问题", 200),
        description=(description or "").strip(),
        target=_text(target, "target", "整改目标", 300, required=False),
        due=due,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _step(problem, ProblemStepKind.OPEN, actor, problem.description)
    _problem_record(
        actor,
        "open",
        problem,
        {
            "state": ["", ProblemState.OPEN],
            "agency_id": agency.pk,
            "source_kind": source_kind,
            "source_ref": problem.source_ref,
            "category": category,
            "title": problem.title,
            "due": due.isoformat() if due else None,
        },
    )
    return problem


def _refuse_closed(problem: Problem) -> None:
    if problem.state == ProblemState.CLOSED:
        raise RuleViolation(
            "该问题已销号；如需继续整改，请由监督人员重新打开。",
            "The problem is closed; a supervisor must reopen it first.",
            code="problem_closed",
        )


@service
def problem_rectify(*, actor: User, problem: Problem | int, measures: str, evidence: str = "") -> Problem:
    """整改措施 — the agency records what it did (and the evidence of it)."""
    problem = _locked_problem(problem)
    perms.require(actor, RECTIFY, problem)
    _refuse_closed(problem)
    if problem.state == ProblemState.VERIFYING:
        raise RuleViolation(
            "该问题已提请核验，待监督人员核验后再补充。",
            "The problem awaits verification.",
            code="problem_awaiting_verification",
        )
    measures = _text(measures, "measures", "整改措施", 5000)
    before = problem.state
    problem.state = ProblemState.RECTIFYING
    problem.save(update_fields=["state"])
    _step(problem, ProblemStepKind.RECTIFY, actor, measures, (evidence or "").strip())
    _problem_record(actor, "rectify", problem, {"state": [before, problem.state], "measures": measures})
    return problem


@service
def problem_submit(*, actor: User, problem: Problem | int, summary: str = "") -> Problem:
    """提请核验 — the agency reports the rectification done; only after at least one measure is recorded."""
    problem = _locked_problem(problem)
    perms.require(actor, RECTIFY, problem)
    _refuse_closed(problem)
    if problem.state != ProblemState.RECTIFYING:
        raise RuleViolation(
            "请先录入整改措施再提请核验。" if problem.state == ProblemState.OPEN else "该问题已提请核验。",
            "Record a rectification measure first."
            if problem.state == ProblemState.OPEN
            else "Already submitted.",
            code="problem_no_rectification"
            if problem.state == ProblemState.OPEN
            else "problem_awaiting_verification",
        )
    problem.state = ProblemState.VERIFYING
    problem.save(update_fields=["state"])
    _step(problem, ProblemStepKind.SUBMIT, actor, (summary or "").strip())
    _problem_record(actor, "submit", problem, {"state": [ProblemState.RECTIFYING, ProblemState.VERIFYING]})
    return problem


@service
def problem_verify(*, actor: User, problem: Problem | int, passed: bool, opinion: str) -> Problem:
    """核验 — a supervisor checks the rectification on the ground: passed (may be closed) or back to work."""
    problem = _locked_problem(problem)
    perms.require(actor, SUPERVISE, problem)
    _refuse_closed(problem)
    if problem.state != ProblemState.VERIFYING:
        raise RuleViolation(
            "责任单位尚未提请核验。",
            "The agency has not submitted the problem for verification.",
            code="problem_not_submitted",
        )
    opinion = _text(opinion, "opinion", "核验意见", 2000)
    if passed:
        problem.verified = True
        kind = ProblemStepKind.VERIFY_PASS
    else:
        problem.verified = False
        problem.state = ProblemState.RECTIFYING
        kind = ProblemStepKind.VERIFY_FAIL
    problem.save(update_fields=["state", "verified"])
    _step(problem, kind, actor, opinion)
    _problem_record(actor, "verify", problem, {"passed": passed, "opinion": opinion, "state": problem.state})
    return problem


@service
def problem_close(*, actor: User, problem: Problem | int, note: str = "") -> Problem:
    """销号 — only after a supervisor's verification passed (清单式、台账式、销号式, 阜宁县《行政执法质量巩固年行动实施方案》, 2025)."""
    problem = _locked_problem(problem)
    perms.require(actor, SUPERVISE, problem)
    _refuse_closed(problem)
    if not (problem.state == ProblemState.VERIFYING and problem.verified):
        raise RuleViolation(
            "该问题整改尚未经监督人员核验通过，不能销号。",
            "The rectification has not passed a supervisor's verification; the problem cannot be closed.",
            code="problem_not_verified",
        )
    before = problem.state
    problem.state = ProblemState.CLOSED
    problem.closed_at = clock.now()
    problem.save(update_fields=["state", "closed_at"])
    _step(problem, ProblemStepKind.CLOSE, actor, (note or "").strip())
    _problem_record(actor, "close", problem, {"state": [before, ProblemState.CLOSED]})
    return problem


@service
def problem_reopen(*, actor: User, problem: Problem | int, reason: str) -> Problem:
    """重新打开 — a closed problem found to recur goes back to rectification; its history stays."""
    problem = _locked_problem(problem)
    perms.require(actor, SUPERVISE, problem)
    if problem.state != ProblemState.CLOSED:
        raise RuleViolation(
            "只有已销号的问题可以重新打开。",
            "Only a closed problem can be reopened.",
            code="problem_not_closed",
        )
    reason = _text(reason, "reason", "重新打开理由", 500)
    problem.state = ProblemState.RECTIFYING
    problem.verified = False
    problem.closed_at = None
    problem.reopen_count += 1
    problem.save(update_fields=["state", "verified", "closed_at", "reopen_count"])
    _step(problem, ProblemStepKind.REOPEN, actor, reason)
    _problem_record(
        actor, "reopen", problem, {"state": [ProblemState.CLOSED, problem.state], "reason": reason}
    )
    return problem
