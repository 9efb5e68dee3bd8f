# ruff: noqa: F811  (the imported `world` fixture is a parameter of the tests below)
"""A readable record (issue 16 item 4): a timeline entry names its fields in Chinese, shows names for ids,
formats its values (元, 是/否, choices' labels, dates), leaves out what has no label, and shows the business
date of the act next to the time it was recorded; the entry page keeps the raw record, marked as such."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import CaseWorld, opened, world  # noqa: F401  (the `world` fixture)
from zhifa.records.services import record_append
from zhifa.records.timeline import timeline_for

pytestmark = pytest.mark.django_db

RAW = {
    "agency_id": None,  # set below
    "stage": ["opened", "investigation"],
    "hearing_held_on": None,
    "is_complex": False,
    "fine_yuan": "2000",
    "penalty_kinds": ["warning", "fine"],
    "deviated": False,
    "benchmark_id": 9,
    "on": "2026-10-20",
}


@pytest.fixture
def case(world: CaseWorld) -> Case:
    case = opened(world)
    with transaction.atomic():
        record_append(
            action="case.start_investigation", obj=case, changes={**RAW, "agency_id": world.agency.pk}
        )
    return case


def test_a_timeline_entry_speaks_chinese_with_names_and_formatted_values(
    world: CaseWorld, case: Case
) -> None:
    entry = timeline_for(world.supervisor, "cases.case", case.pk)[-1]
    assert entry.label == "开始调查"
    assert dict(entry.fields) == {
        "执法主体": world.agency.name,
        "环节": "立案 → 调查取证",
        "复杂案件": "否",
        "罚款": "2,000 元",
        "处罚种类": "警告、罚款",
    }
    for code in ("agency_id", "None", "False", "deviated", "benchmark", "warning", "investigation"):
        assert code not in entry.summary


def test_a_timeline_entry_shows_the_business_date_and_the_time_it_was_recorded(
    world: CaseWorld, case: Case
) -> None:
    entry = timeline_for(world.supervisor, "cases.case", case.pk)[-1]
    assert entry.business_date == dt.date(2026, 10, 20)
    html = _client(world.supervisor).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "2026-10-20" in html and "记录于" in html


def test_the_entry_page_reads_in_chinese_and_keeps_the_raw_record_marked_for_verifiers(
    world: CaseWorld, case: Case
) -> None:
    entry = timeline_for(world.supervisor, "cases.case", case.pk)[-1]
    html = _client(world.supervisor).get(entry.proof_url).content.decode()
    readable, raw = html.split("data-raw-record", 1)
    assert "罚款" in readable and "2,000 元" in readable and "办理日期" in readable
    assert "case.start_investigation" not in readable and "fine_yuan" not in readable
    assert "case.start_investigation" in raw and "fine_yuan" in raw  # the raw record stays, labelled 原始记录
    assert world.officer_user.username not in readable


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_what_has_no_readable_form_is_left_out_never_shown_as_a_code() -> None:
    from zhifa.records import labels

    [parts] = labels.summaries(
        [
            (
                "case.decide",
                {
                    "stage": ["", "a_stage_nobody_registered"],
                    "reason": "inspection_result",  # a stored code in a text field
                    "some_new_field": "值",
                    "penalty_kinds": ["fine", "not_a_kind"],
                    "items": {"nested": 1},
                    "closed_on": "2026-11-18T01:00:00Z",
                },
            )
        ]
    )
    assert parts == [("处罚种类", "罚款"), ("结案日期", "2026-11-18 09:00")]
    assert labels.action_label("supervision.problem_verify") == "核验"
    assert labels.action_label("nothing.known") == "操作记录"
