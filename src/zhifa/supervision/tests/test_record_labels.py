"""执法监督的记录读得懂: a problem's title is its 问题 (not a case's 案由), an instrument names
its kind, a social supervisor's term and a questionnaire's size read in Chinese."""

from __future__ import annotations

import pytest

from zhifa.records.tests.readable import demo_changes, readable

pytestmark = pytest.mark.django_db


def test_problem_instrument_and_appointment_entries_read_in_chinese(demo_county: object) -> None:
    changes = demo_changes("supervision.problem_open")  # as problem_open wrote it
    problem = readable("supervision.problem_open", changes)
    assert problem["问题"] == changes["title"][:60] + ("…" if len(changes["title"]) > 60 else "")
    assert "案由" not in problem and "来源编号" not in problem  # the evaluation-file:3 reference is left out

    instrument = readable("supervision.instrument_issue", demo_changes("supervision.instrument_issue"))
    assert instrument["文书"] in {
        "行政执法监督督办函",
        "行政执法监督意见书",
        "行政执法监督决定书",
        "行政执法督查函",
    }
    assert " → " in readable("supervision.social_appoint", demo_changes("supervision.social_appoint"))["聘期"]
    assert readable("supervision.questionnaire_create", {"questions": 3}) == {"题目": "3 题"}
