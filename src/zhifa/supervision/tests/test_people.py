"""People around supervision: return visits only after closure with a valid questionnaire, social
supervisors serve within their term, liaison-point visits need a satisfaction of 1–5."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.cases.tests.helpers import opened
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.supervision import services as s
from zhifa.supervision.models import ReturnVisit
from zhifa.testing.worlds import SupWorld


def _questionnaire(sup: SupWorld):  # type: ignore[no-untyped-def]
    return s.questionnaire_create(
        actor=sup.county_sup,
        region=sup.w.county,
        name="回访问卷",
        questions=[
            {"text": "是否出示证件", "kind": "choice", "choices": ["是", "否"]},
            {"text": "满意度", "kind": "rating"},
            {"text": "建议", "kind": "text", "required": False},
        ],
    )


def test_return_visit_needs_a_closed_case_and_valid_answers(sup: SupWorld) -> None:
    from zhifa.cases.models import Case, Stage

    q = _questionnaire(sup)
    ids = [str(x.pk) for x in q.questions.all()]
    case = opened(sup.w)
    with pytest.raises(RuleViolation) as exc:
        s.return_visit_record(
            actor=sup.county_sup,
            case=case,
            questionnaire=q,
            visited_on=s.today(),
            answers={ids[0]: "是", ids[1]: 5},
        )
    assert exc.value.code == "case_not_closed"
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED)  # the closing itself is the cases app's test
    case.refresh_from_db()
    for answers, field in (
        ({ids[1]: 5}, ids[0]),
        ({ids[0]: "也许", ids[1]: 5}, ids[0]),
        ({ids[0]: "是", ids[1]: 9}, ids[1]),
    ):
        with pytest.raises(InvalidInput) as bad:
            s.return_visit_record(
                actor=sup.county_sup, case=case, questionnaire=q, visited_on=s.today(), answers=answers
            )
        assert bad.value.field == f"answers.{field}"
    with pytest.raises(PermissionDenied):
        s.return_visit_record(
            actor=sup.foreign_sup,
            case=case,
            questionnaire=q,
            visited_on=s.today(),
            answers={ids[0]: "是", ids[1]: 4},
        )
    visit = s.return_visit_record(
        actor=sup.county_sup,
        case=case,
        questionnaire=q,
        visited_on=s.today(),
        answers={ids[0]: "是", ids[1]: "4"},
        result="满意",
    )
    assert visit.answers == {ids[0]: "是", ids[1]: 4}
    assert ReturnVisit.objects.count() == 1


def test_social_supervisor_term_and_tasks(sup: SupWorld) -> None:
    with pytest.raises(InvalidInput):
        s.social_supervisor_appoint(
            actor=sup.county_sup,
            region=sup.w.county,
            name="甲",
            appointed_on=s.today(),
            term_ends_on=s.today(),
        )
    person = s.social_supervisor_appoint(
        actor=sup.county_sup,
        region=sup.w.county,
        name="甲",
        appointed_on=s.today() - dt.timedelta(days=10),
        term_ends_on=s.today() + dt.timedelta(days=700),
    )
    task = s.supervisor_task_assign(
        actor=sup.county_sup,
        person=person,
        title="参加联合检查",
        due=s.today() + dt.timedelta(days=7),
        agency=sup.w.agency,
    )
    s.supervisor_task_feedback(actor=sup.county_sup, task=task, feedback="检查规范，未发现问题。")
    with pytest.raises(RuleViolation):
        s.supervisor_task_feedback(actor=sup.county_sup, task=task, feedback="again")
    s.social_supervisor_dismiss(actor=sup.county_sup, person=person)
    with pytest.raises(RuleViolation) as exc:
        s.supervisor_task_assign(actor=sup.county_sup, person=person, title="x", due=s.today())
    assert exc.value.code == "social_supervisor_not_serving"
    with pytest.raises(PermissionDenied):
        s.social_supervisor_appoint(
            actor=sup.foreign_sup,
            region=sup.w.county,
            name="乙",
            appointed_on=s.today(),
            term_ends_on=s.today() + dt.timedelta(days=1),
        )


def test_liaison_visit_satisfaction_is_1_to_5(sup: SupWorld) -> None:
    point = s.liaison_point_designate(actor=sup.county_sup, party=sup.w.company)
    with pytest.raises(InvalidInput):
        s.liaison_visit_record(actor=sup.county_sup, point=point, visited_on=s.today(), satisfaction=6)
    with pytest.raises(RuleViolation):
        s.liaison_point_designate(actor=sup.county_sup, party=sup.w.company)
    assert s.liaison_visit_record(actor=sup.county_sup, point=point, visited_on=s.today(), satisfaction=4).pk
