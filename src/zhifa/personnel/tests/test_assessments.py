"""个人考核 and 表彰奖励 (seed 004 三、3: “完善行政执法评议考核制度…对在行政执法中作出突出贡献的集体和个人给予表彰奖励”)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.personnel import selectors, services
from zhifa.personnel.models import Grade

pytestmark = pytest.mark.django_db


def test_a_head_grades_his_officer_once_a_year(world) -> None:
    officer = world.officers[0]
    services.assessment_record(actor=world.head, officer=officer, year=2025, grade=Grade.EXCELLENT)
    with pytest.raises(RuleViolation):
        services.assessment_record(actor=world.head, officer=officer, year=2025, grade=Grade.COMPETENT)
    with pytest.raises(InvalidInput):
        services.assessment_record(actor=world.head, officer=officer, year=2025, grade="A+")
    with pytest.raises(PermissionDenied):
        services.assessment_record(actor=world.outsider, officer=officer, year=2024, grade=Grade.COMPETENT)
    assert [a.get_grade_display() for a in selectors.assessments(world.head)] == ["优秀"]
    assert list(selectors.assessments(world.outsider)) == []


def test_awards_go_to_a_person_of_the_agency_or_to_the_agency(world, sup) -> None:
    services.award_record(
        actor=sup.county_sup,
        agency=world.agency,
        officer=world.officers[0],
        title="行政执法先进个人",
        granted_by="测县司法局",
        awarded_on=dt.date(2026, 1, 10),
    )
    services.award_record(
        actor=world.head,
        agency=world.agency,
        officer=None,
        title="行政执法先进集体",
        granted_by="测县人民政府",
        awarded_on=dt.date(2026, 1, 10),
    )
    with pytest.raises(InvalidInput):
        services.award_record(
            actor=world.head,
            agency=world.agency,
            officer=world.officers[0],
            title="x",
            granted_by="y",
            awarded_on=dt.date(2099, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.award_record(
            actor=sup.foreign_sup,
            agency=world.agency,
            officer=None,
            title="x",
            granted_by="y",
            awarded_on=dt.date(2026, 1, 1),
        )
    assert {a.title for a in selectors.awards(world.head)} == {"行政执法先进个人", "行政执法先进集体"}
