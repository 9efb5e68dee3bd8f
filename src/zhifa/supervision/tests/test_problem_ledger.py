"""问题台账 — opened by a supervisor, rectified by the agency, closed (销号) only after verification."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.records.models import LedgerEntry
from zhifa.supervision import services as s
from zhifa.supervision.models import Problem, ProblemState, ProblemStep
from zhifa.testing.worlds import SupWorld


def _open(sup: SupWorld, **kw: object) -> Problem:
    return s.problem_open(
        actor=sup.county_sup,
        agency=sup.w.agency,
        source_kind=kw.pop("source_kind", "evaluation"),  # type: ignore[arg-type]
        source_ref="评查〔2026〕1号",
        title="行政处罚决定书未载明救济途径",
        description="抽查 3 卷，2 卷缺救济途径告知。",
        category=kw.pop("category", "irregular"),  # type: ignore[arg-type]
        due=kw.pop("due", s.today() + dt.timedelta(days=30)),  # type: ignore[arg-type]
    )


def test_problem_open_records_on_the_ledger(sup: SupWorld) -> None:
    problem = _open(sup)
    assert problem.state == ProblemState.OPEN
    entry = LedgerEntry.objects.filter(action="supervision.problem_open", object_id=str(problem.pk)).get()
    assert json.loads(entry.changes)["category"] == "irregular"


def test_problem_closure_without_verification_is_refused(sup: SupWorld) -> None:
    problem = _open(sup)
    with pytest.raises(RuleViolation) as exc:
        s.problem_close(actor=sup.county_sup, problem=problem)
    assert exc.value.code == "problem_not_verified"
    s.problem_rectify(actor=sup.w.head, problem=problem, measures="补正文书模板", evidence="新模板.pdf")
    s.problem_submit(actor=sup.w.head, problem=problem, summary="已整改")
    with pytest.raises(RuleViolation) as exc:  # submitted but not verified yet
        s.problem_close(actor=sup.county_sup, problem=problem)
    assert exc.value.code == "problem_not_verified"
    assert Problem.objects.get(pk=problem.pk).state == ProblemState.VERIFYING


def test_failed_verification_sends_back_and_passed_allows_closure_and_reopen(sup: SupWorld) -> None:
    problem = _open(sup)
    s.problem_rectify(actor=sup.w.head, problem=problem, measures="第一次整改")
    s.problem_submit(actor=sup.w.head, problem=problem)
    s.problem_verify(actor=sup.county_sup, problem=problem, passed=False, opinion="仍有 1 卷未补正")
    problem.refresh_from_db()
    assert problem.state == ProblemState.RECTIFYING and not problem.verified
    with pytest.raises(RuleViolation):
        s.problem_close(actor=sup.county_sup, problem=problem)
    s.problem_rectify(actor=sup.w.head, problem=problem, measures="第二次整改")
    s.problem_submit(actor=sup.w.head, problem=problem)
    s.problem_verify(actor=sup.county_sup, problem=problem, passed=True, opinion="已全部补正")
    closed = s.problem_close(actor=sup.county_sup, problem=problem, note="销号")
    assert closed.state == ProblemState.CLOSED and closed.closed_at
    reopened = s.problem_reopen(actor=sup.county_sup, problem=problem, reason="回访发现反弹")
    assert reopened.state == ProblemState.RECTIFYING and not reopened.verified and reopened.reopen_count == 1
    kinds = list(ProblemStep.objects.filter(problem=problem).values_list("kind", flat=True))
    assert kinds == [
        "open",
        "rectify",
        "submit",
        "verify_fail",
        "rectify",
        "submit",
        "verify_pass",
        "close",
        "reopen",
    ]
    actions = set(
        LedgerEntry.objects.filter(
            object_id=str(problem.pk), action__startswith="supervision.problem"
        ).values_list("action", flat=True)
    )
    assert {
        "supervision.problem_verify",
        "supervision.problem_close",
        "supervision.problem_reopen",
    } <= actions


def test_submit_without_measures_is_refused(sup: SupWorld) -> None:
    problem = _open(sup)
    with pytest.raises(RuleViolation) as exc:
        s.problem_submit(actor=sup.w.head, problem=problem)
    assert exc.value.code == "problem_no_rectification"


def test_agency_cannot_verify_or_close_and_other_agency_cannot_rectify(sup: SupWorld) -> None:
    problem = _open(sup)
    with pytest.raises(PermissionDenied):
        s.problem_close(actor=sup.w.head, problem=problem)
    with pytest.raises(PermissionDenied):
        s.problem_rectify(actor=sup.w.outsider, problem=problem, measures="x")


def test_supervisor_outside_region_cannot_open(sup: SupWorld) -> None:
    with pytest.raises(PermissionDenied):
        s.problem_open(
            actor=sup.foreign_sup,
            agency=sup.w.agency,
            source_kind="other",
            source_ref="",
            title="x",
            description="",
        )
    assert not Problem.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("source_kind", "rumour"), ("category", "laziness"), ("due", dt.date(2020, 1, 1))]
)
def test_problem_open_refuses_bad_input(sup: SupWorld, field: str, value: object) -> None:
    with pytest.raises(InvalidInput) as exc:
        _open(sup, **{field: value})
    assert exc.value.field == field
    assert not Problem.objects.exists()
