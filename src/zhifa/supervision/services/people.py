"""People around supervision: questionnaires and return visits, social supervisors and their tasks, liaison
points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from zhifa.cases.models import Stage
from zhifa.core.errors import InvalidInput, NotFound, RuleViolation
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Party, Region, User
from zhifa.records.services import record_append
from zhifa.supervision.models import (
    LiaisonPoint,
    LiaisonVisit,
    Question,
    QuestionKind,
    Questionnaire,
    ReturnVisit,
    SocialSupervisor,
    SupervisorTask,
)
from zhifa.supervision.rules import SUPERVISE
from zhifa.supervision.services._common import _text, today


@service
def questionnaire_create(
    *, actor: User, region: Region, name: str, questions: list[dict[str, Any]]
) -> Questionnaire:
    """回访问卷 — questions of kind rating (1–5), choice (with options) or text."""
    perms.require(actor, SUPERVISE, Questionnaire(region=region))
    if not questions:
        raise InvalidInput("问卷至少需要一个问题。", "At least one question.", field="questions")
    q = Questionnaire.objects.create(region=region, name=_text(name, "name", "问卷名称", 100))
    rows = []
    for i, spec in enumerate(questions, start=1):
        kind = spec.get("kind", QuestionKind.RATING)
        if kind not in QuestionKind.values:
            raise InvalidInput(f"第 {i} 题题型无效。", f"Question {i}: unknown kind.", field="questions")
        choices = [str(c) for c in spec.get("choices", [])]
        if kind == QuestionKind.CHOICE and len(choices) < 2:
            raise InvalidInput(
                f"第 {i} 题为单选，至少两个选项。", f"Question {i}: two choices.", field="questions"
            )
        rows.append(
            Question(
                questionnaire=q,
                order=i,
                text=_text(spec.get("text"), "questions", "问题", 200),
                kind=kind,
                choices=choices,
                required=bool(spec.get("required", True)),
            )
        )
    Question.objects.bulk_create(rows)
    record_append(
        actor=actor, action="supervision.questionnaire_create", obj=q, changes={"questions": len(rows)}
    )
    return q


@service
def questionnaire_set_active(
    *, actor: User, questionnaire: Questionnaire | int, active: bool
) -> Questionnaire:
    """停用 / 重新启用回访问卷. A questionnaire is never edited in place: visits keep their answers keyed by its
    question ids, so a changed questionnaire is a new one (copied from the old) and the old one is stopped.
    A stopped questionnaire is not offered for new return visits; the visits already made keep it."""
    pk = questionnaire.pk if isinstance(questionnaire, Questionnaire) else questionnaire
    q = Questionnaire.objects.select_for_update().select_related("region").filter(pk=pk).first()
    if q is None:
        raise NotFound("问卷不存在。", "No such questionnaire.")
    perms.require(actor, SUPERVISE, q)
    if q.active == active:
        raise RuleViolation(
            "问卷已是启用状态。" if active else "问卷已停用。",
            "The questionnaire is already active." if active else "The questionnaire is already stopped.",
            code="questionnaire_state_unchanged",
        )
    q.active = active
    q.save(update_fields=["active"])
    record_append(
        actor=actor,
        action="supervision.questionnaire_activate" if active else "supervision.questionnaire_stop",
        obj=q,
        changes={"active": [not active, active]},
    )
    return q


def check_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers keyed by question id (as text); required ones present, ratings 1–5, choices from the list."""
    clean: dict[str, Any] = {}
    for question in questionnaire.questions.all():
        value = answers.get(str(question.pk))
        if value in (None, ""):
            if question.required:
                raise InvalidInput(
                    f"请回答：{question.text}",
                    f"Question {question.pk} is required.",
                    code="answer_missing",
                    field=f"answers.{question.pk}",
                )
            continue
        if question.kind == QuestionKind.RATING:
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = 0
            if not 1 <= value <= 5:
                raise InvalidInput(
                    f"“{question.text}”须为 1–5 分。",
                    "A rating is 1–5.",
                    code="answer_invalid",
                    field=f"answers.{question.pk}",
                )
        elif question.kind == QuestionKind.CHOICE and str(value) not in question.choices:
            raise InvalidInput(
                f"“{question.text}”的选项无效。",
                "Not one of the choices.",
                code="answer_invalid",
                field=f"answers.{question.pk}",
            )
        clean[str(question.pk)] = value if question.kind == QuestionKind.RATING else str(value)[:1000]
    return clean


@service
def return_visit_record(
    *,
    actor: User,
    case: Any,
    questionnaire: Questionnaire,
    visited_on: dt.date,
    answers: Mapping[str, Any],
    method: str = "电话",
    result: str = "",
) -> ReturnVisit:
    """案件回访 — after a case is closed, a named visitor asks its party the questionnaire (《洛阳市行政执法协调监督工作体系建设试点方案》 第7项)."""
    perms.require(actor, SUPERVISE, ReturnVisit(agency=case.agency))
    if case.stage not in (Stage.CLOSED, Stage.ARCHIVED):
        raise RuleViolation(
            "只对已结案的案件回访。", "Only closed cases are visited.", code="case_not_closed"
        )
    if visited_on > today():
        raise InvalidInput("回访日期不能晚于今天。", "The visit date is in the future.", field="visited_on")
    if not questionnaire.active:
        raise InvalidInput("问卷已停用。", "The questionnaire is inactive.", field="questionnaire")
    visit = ReturnVisit.objects.create(
        case=case,
        agency=case.agency,
        questionnaire=questionnaire,
        visitor=actor,
        visited_on=visited_on,
        method=_text(method, "method", "方式", 20),
        answers=check_answers(questionnaire, answers),
        result=(result or "").strip(),
    )
    record_append(actor=actor, action="supervision.return_visit", obj=visit, changes={"case_id": case.pk})
    return visit


@service
def social_supervisor_appoint(
    *,
    actor: User,
    region: Region,
    name: str,
    appointed_on: dt.date,
    term_ends_on: dt.date,
    organisation: str = "",
    sector: str = "",
    phone: str = "",
) -> SocialSupervisor:
    """聘任行政执法社会监督员 — for a term (聘期)."""
    perms.require(actor, SUPERVISE, SocialSupervisor(region=region))
    if term_ends_on <= appointed_on:
        raise InvalidInput(
            "聘期须晚于聘任日期。",
            "The term must end after the appointment.",
            code="term_not_after_appointment",
            field="term_ends_on",
        )
    person = SocialSupervisor.objects.create(
        region=region,
        name=_text(name, "name", "姓名", 50),
        organisation=organisation[:100],
        sector=sector[:30],
        phone=phone[:20],
        appointed_on=appointed_on,
        term_ends_on=term_ends_on,
    )
    record_append(
        actor=actor,
        action="supervision.social_appoint",
        obj=person,
        changes={"term": [appointed_on.isoformat(), term_ends_on.isoformat()]},
    )
    return person


@service
def social_supervisor_dismiss(
    *, actor: User, person: SocialSupervisor, on: dt.date | None = None
) -> SocialSupervisor:
    perms.require(actor, SUPERVISE, person)
    on = on or today()
    if person.dismissed_on:
        raise RuleViolation("已解聘。", "Already dismissed.", code="already_dismissed")
    if on < person.appointed_on:
        raise InvalidInput(
            "解聘日期不能早于聘任日期。", "Dismissal before appointment.", field="dismissed_on"
        )
    person.dismissed_on = on
    person.save(update_fields=["dismissed_on"])
    record_append(
        actor=actor, action="supervision.social_dismiss", obj=person, changes={"on": on.isoformat()}
    )
    return person


@service
def supervisor_task_assign(
    *, actor: User, person: SocialSupervisor, title: str, due: dt.date, agency: Agency | None = None
) -> SupervisorTask:
    """监督任务 — only to a social supervisor within the term of appointment."""
    perms.require(actor, SUPERVISE, person)
    on = today()
    if person.dismissed_on or not person.appointed_on <= on <= person.term_ends_on:
        raise RuleViolation(
            "该监督员不在聘期内。",
            "The social supervisor is not serving.",
            code="social_supervisor_not_serving",
        )
    if due < on:
        raise InvalidInput("完成期限不能早于今天。", "The due date is in the past.", field="due")
    task = SupervisorTask.objects.create(
        supervisor=person, agency=agency, title=_text(title, "title", "任务", 200), due=due, assigned_by=actor
    )
    record_append(
        actor=actor, action="supervision.social_task", obj=task, changes={"supervisor_id": person.pk}
    )
    return task


@service
def supervisor_task_feedback(
    *, actor: User, task: SupervisorTask, feedback: str, on: dt.date | None = None
) -> SupervisorTask:
    perms.require(actor, SUPERVISE, task)
    if task.feedback_on:
        raise RuleViolation("该任务已反馈。", "Feedback already recorded.", code="feedback_already_given")
    task.feedback = _text(feedback, "feedback", "反馈意见", 5000)
    task.feedback_on = on or today()
    task.save(update_fields=["feedback", "feedback_on"])
    record_append(
        actor=actor,
        action="supervision.social_feedback",
        obj=task,
        changes={"on": task.feedback_on.isoformat()},
    )
    return task


@service
def liaison_point_designate(
    *, actor: User, party: Party, designated_on: dt.date | None = None
) -> LiaisonPoint:
    """确定企业联系点 — an enterprise of the supervisor's region."""
    region = Region.objects.get(pk=party.region_id)
    perms.require(actor, SUPERVISE, LiaisonPoint(region=region))
    if LiaisonPoint.objects.filter(party=party).exists():
        raise RuleViolation("该企业已是联系点。", "Already a liaison point.", code="liaison_point_exists")
    point = LiaisonPoint.objects.create(party=party, region=region, designated_on=designated_on or today())
    record_append(
        actor=actor, action="supervision.liaison_designate", obj=point, changes={"party_id": party.pk}
    )
    return point


@service
def liaison_visit_record(
    *,
    actor: User,
    point: LiaisonPoint,
    visited_on: dt.date,
    satisfaction: int,
    method: str = "走访",
    notes: str = "",
) -> LiaisonVisit:
    """联系点走访 — 每年走访 1–2 次 (《洛阳市行政执法协调监督工作体系建设试点方案》 第9项), with the enterprise's satisfaction."""
    perms.require(actor, SUPERVISE, point)
    if not 1 <= int(satisfaction) <= 5:
        raise InvalidInput("满意度须为 1–5。", "Satisfaction is 1–5.", field="satisfaction")
    if visited_on > today() or visited_on < point.designated_on:
        raise InvalidInput("走访日期无效。", "Invalid visit date.", field="visited_on")
    visit = LiaisonVisit.objects.create(
        point=point,
        visited_on=visited_on,
        satisfaction=int(satisfaction),
        method=method[:20],
        notes=(notes or "").strip(),
        visitor=actor,
    )
    record_append(
        actor=actor,
        action="supervision.liaison_visit",
        obj=visit,
        changes={
            "point_id": point.pk,
            "visited_on": visited_on.isoformat(),
            "satisfaction": int(satisfaction),
        },
    )
    return visit
