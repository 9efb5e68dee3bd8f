"""A problem's source reads in Chinese: no ``evaluation-file:3`` or ``kind:key`` on a page."""

from __future__ import annotations

import pytest

from zhifa.supervision.models import Problem, ProblemSource


@pytest.mark.parametrize(
    ("kind", "ref", "shown"),
    [
        (ProblemSource.WARNING, "case_past_limit:case:12", "案件超期"),  # a warning's kind by its label
        (ProblemSource.EVALUATION, "evaluation-file:3", ""),  # a machine reference: the title names the file
        (ProblemSource.INSTRUMENT, "示县司督函〔2026〕1号", "示县司督函〔2026〕1号"),  # a typed number as is
        (ProblemSource.CAMPAIGN, "专项整治〔演示〕", "专项整治〔演示〕"),
    ],
)
def test_a_problem_source_reads_without_machine_references(kind: str, ref: str, shown: str) -> None:
    assert Problem(source_kind=kind, source_ref=ref).source_ref_label == shown
