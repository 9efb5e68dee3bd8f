"""The people page's forms (回访、社会监督员、企业联系点) through the test client: each form writes its row and
its ledger entry; each refusal comes back as the page again (200) with the message beside the form, the
entered data kept and nothing written; another region's supervisor gets 404 for objects it cannot see and a
refusal for regions it does not supervise; an agency may not use these pages at all (403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from zhifa.cases.models import Case, Stage
from zhifa.cases.tests.helpers import opened
from zhifa.core.errors import InvalidInput
from zhifa.org.tests.factories import PartyFactory
from zhifa.records.models import LedgerEntry
from zhifa.supervision import services as s
from zhifa.supervision.models import (
    LiaisonPoint,
    LiaisonVisit,
    Question,
    Questionnaire,
    ReturnVisit,
    SocialSupervisor,
    SupervisorTask,
)
from zhifa.testing.worlds import SupWorld

PEOPLE = "/supervision/people/"


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _ledger(action: str, obj: Any) -> bool:
    return LedgerEntry.objects.filter(action=action, object_id=str(obj.pk)).exists()


def _iso(days: int = 0) -> str:
    return (s.today() + dt.timedelta(days=days)).isoformat()


def _person(sup: SupWorld, **kw: Any) -> SocialSupervisor:
    return s.social_supervisor_appoint(
        actor=sup.county_sup,
        region=sup.w.county,
        name=kw.get("name", "监督员甲"),
        appointed_on=kw.get("appointed_on", s.today() - dt.timedelta(days=30)),
        term_ends_on=kw.get("term_ends_on", s.today() + dt.timedelta(days=700)),
    )


def _questionnaire(sup: SupWorld) -> Questionnaire:
    return s.questionnaire_create(
        actor=sup.county_sup,
        region=sup.w.county,
        name="测县回访问卷",
        questions=[
            {"text": "是否出示证件", "kind": "choice", "choices": ["是", "否"]},
            {"text": "满意度", "kind": "rating"},
            {"text": "建议", "kind": "text", "required": False},
        ],
    )


def _closed_case(sup: SupWorld) -> Case:
    case = opened(sup.w)
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED)  # closing itself is the cases app's test
    case.refresh_from_db()
    return case


# --- the page ------------------------------------------------------------------------------------------------------


def test_people_page_offers_every_form_to_a_supervisor_and_is_403_for_an_agency(sup: SupWorld) -> None:
    person = _person(sup)
    s.supervisor_task_assign(actor=sup.county_sup, person=person, title="参加检查", due=s.today())
    s.liaison_point_designate(actor=sup.county_sup, party=sup.w.company)
    page = _client(sup.county_sup).get(PEOPLE)
    html = page.content.decode()
    assert page.status_code == 200
    for url in (
        "/supervision/people/supervisors/new/",
        "/supervision/people/tasks/new/",
        "/supervision/people/liaison/new/",
        "/supervision/people/visits/new/",
        "/supervision/people/questionnaires/new/",
        f"/supervision/people/supervisors/{person.pk}/dismiss/",
        f"/supervision/people/tasks/{person.tasks.get().pk}/feedback/",
    ):
        assert f'action="{url}"' in html or f'href="{url}"' in html, url
    assert 'for="ap-name"' in html and 'id="ap-name"' in html  # every input has its label
    head = _client(sup.w.head)
    assert head.get(PEOPLE).status_code == 403
    assert head.get("/supervision/people/visits/new/").status_code == 403
    assert head.post("/supervision/people/supervisors/new/", {"name": "越权"}).status_code == 403
    assert not SocialSupervisor.objects.filter(name="越权").exists()


def test_another_regions_supervisor_sees_none_of_the_county_people(sup: SupWorld) -> None:
    _person(sup, name="本县监督员")
    html = _client(sup.foreign_sup).get(PEOPLE).content.decode()
    assert "本县监督员" not in html and sup.w.county.name not in html  # not even among the regions offered


# --- 社会监督员 ------------------------------------------------------------------------------------------------------


def test_appoint_from_the_page_adds_the_row_and_the_ledger_entry(sup: SupWorld) -> None:
    r = _client(sup.county_sup).post(
        "/supervision/people/supervisors/new/",
        {
            "region": sup.w.county.pk,
            "name": "王监督",
            "organisation": "县个体劳动者协会",
            "sector": "个体工商户",
            "phone": "13800000000",
            "appointed_on": _iso(),
            "term_ends_on": _iso(730),
        },
        follow=True,
    )
    person = SocialSupervisor.objects.get(name="王监督")
    assert (person.region, person.sector, person.term_ends_on.isoformat()) == (
        sup.w.county,
        "个体工商户",
        _iso(730),
    )
    assert _ledger("supervision.social_appoint", person)
    assert r.redirect_chain[-1][0].endswith("/supervision/people/#supervisors")
    assert "已聘任社会监督员 王监督" in r.content.decode()


def test_appoint_with_term_ending_before_appointment_shows_the_message_and_writes_nothing(
    sup: SupWorld,
) -> None:
    r = _client(sup.county_sup).post(
        "/supervision/people/supervisors/new/",
        {"region": sup.w.county.pk, "name": "李监督", "appointed_on": _iso(), "term_ends_on": _iso(-1)},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "聘期须晚于聘任日期" in html and 'id="ap-to-err"' in html  # beside 聘期至
    assert 'value="李监督"' in html  # the entered data is kept
    assert not SocialSupervisor.objects.exists()
    assert not LedgerEntry.objects.filter(action="supervision.social_appoint").exists()


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"name": "甲", "appointed_on": "2026-13-01", "term_ends_on": "2027-01-01"}, "聘任日期格式应为"),
        ({"name": "甲", "term_ends_on": "2027-01-01"}, "请填写聘任日期"),
        ({"name": "", "appointed_on": "2026-01-01", "term_ends_on": "2027-01-01"}, "请填写姓名"),
        ({"name": "甲" * 51, "appointed_on": "2026-01-01", "term_ends_on": "2027-01-01"}, "姓名过长"),
    ],
)
def test_appoint_with_bad_input_is_a_message_not_a_500(
    sup: SupWorld, post: dict[str, str], message: str
) -> None:
    r = _client(sup.county_sup).post(
        "/supervision/people/supervisors/new/", {"region": sup.w.county.pk, **post}
    )
    assert r.status_code == 200 and message in r.content.decode()
    assert not SocialSupervisor.objects.exists()


def test_appoint_in_a_region_not_supervised_is_refused(sup: SupWorld) -> None:
    r = _client(sup.foreign_sup).post(
        "/supervision/people/supervisors/new/",
        {"region": sup.w.county.pk, "name": "越权", "appointed_on": _iso(), "term_ends_on": _iso(30)},
    )
    assert r.status_code == 200 and "请选择您监督范围内的区划" in r.content.decode()
    assert not SocialSupervisor.objects.exists()


def test_dismiss_from_the_page(sup: SupWorld) -> None:
    person = _person(sup)
    r = _client(sup.county_sup).post(
        f"/supervision/people/supervisors/{person.pk}/dismiss/", {"dismissed_on": _iso()}
    )
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.dismissed_on == s.today()
    assert _ledger("supervision.social_dismiss", person)


def test_dismiss_before_appointment_is_refused_beside_the_row(sup: SupWorld) -> None:
    person = _person(sup)
    r = _client(sup.county_sup).post(
        f"/supervision/people/supervisors/{person.pk}/dismiss/", {"dismissed_on": _iso(-400)}
    )
    html = r.content.decode()
    assert r.status_code == 200 and "解聘日期不能早于聘任日期" in html and f'id="dm-{person.pk}-err"' in html
    person.refresh_from_db()
    assert person.dismissed_on is None


def test_dismissal_date_before_appointment_is_refused_by_the_service(sup: SupWorld) -> None:
    person = _person(sup)
    with pytest.raises(InvalidInput) as exc:
        s.social_supervisor_dismiss(
            actor=sup.county_sup, person=person, on=person.appointed_on - dt.timedelta(days=1)
        )
    assert exc.value.field == "dismissed_on"


def test_another_regions_supervisor_cannot_dismiss_or_assign(sup: SupWorld) -> None:
    person = _person(sup)
    foreign = _client(sup.foreign_sup)
    assert foreign.post(f"/supervision/people/supervisors/{person.pk}/dismiss/").status_code == 404
    r = foreign.post(
        "/supervision/people/tasks/new/", {"person": person.pk, "title": "越权任务", "due": _iso(7)}
    )
    assert r.status_code == 200 and "请选择社会监督员" in r.content.decode()
    person.refresh_from_db()
    assert person.dismissed_on is None and not SupervisorTask.objects.exists()


def test_assign_a_task_from_the_page(sup: SupWorld) -> None:
    person = _person(sup)
    r = _client(sup.county_sup).post(
        "/supervision/people/tasks/new/",
        {"person": person.pk, "agency": sup.w.agency.pk, "title": "参加联合检查", "due": _iso(7)},
    )
    assert r.status_code == 302
    task = SupervisorTask.objects.get()
    assert (task.supervisor, task.agency, task.title) == (person, sup.w.agency, "参加联合检查")
    assert _ledger("supervision.social_task", task)
    assert "参加联合检查" in _client(sup.county_sup).get(PEOPLE).content.decode()


def test_a_task_for_a_dismissed_supervisor_is_refused(sup: SupWorld) -> None:
    person = _person(sup)
    s.social_supervisor_dismiss(actor=sup.county_sup, person=person)
    r = _client(sup.county_sup).post(
        "/supervision/people/tasks/new/", {"person": person.pk, "title": "任务", "due": _iso(7)}
    )
    html = r.content.decode()
    assert r.status_code == 200 and "该监督员不在聘期内" in html
    assert 'value="任务"' in html
    assert not SupervisorTask.objects.exists()


def test_feedback_from_the_page_once(sup: SupWorld) -> None:
    person = _person(sup)
    task = s.supervisor_task_assign(actor=sup.county_sup, person=person, title="体验窗口", due=_date(7))
    county = _client(sup.county_sup)
    url = f"/supervision/people/tasks/{task.pk}/feedback/"
    assert county.post(url, {"feedback": "窗口办事规范。"}).status_code == 302
    task.refresh_from_db()
    assert task.feedback == "窗口办事规范。" and task.feedback_on == s.today()
    assert _ledger("supervision.social_feedback", task)
    again = county.post(url, {"feedback": "再次反馈"})
    assert again.status_code == 200 and "该任务已反馈" in again.content.decode()
    task.refresh_from_db()
    assert task.feedback == "窗口办事规范。"


def test_feedback_empty_or_on_a_task_not_assigned_is_refused(sup: SupWorld) -> None:
    person = _person(sup)
    task = s.supervisor_task_assign(actor=sup.county_sup, person=person, title="体验窗口", due=_date(7))
    county = _client(sup.county_sup)
    empty = county.post(f"/supervision/people/tasks/{task.pk}/feedback/", {"feedback": "  "})
    assert empty.status_code == 200 and "请填写反馈意见" in empty.content.decode()
    assert county.post("/supervision/people/tasks/999999/feedback/", {"feedback": "x"}).status_code == 404
    foreign = _client(sup.foreign_sup)
    assert (
        foreign.post(f"/supervision/people/tasks/{task.pk}/feedback/", {"feedback": "x"}).status_code == 404
    )
    task.refresh_from_db()
    assert task.feedback_on is None


def _date(days: int) -> dt.date:
    return s.today() + dt.timedelta(days=days)


# --- 企业联系点 ------------------------------------------------------------------------------------------------------


def test_designate_an_enterprise_by_uscc_or_name(sup: SupWorld) -> None:
    county = _client(sup.county_sup)
    r = county.post(
        "/supervision/people/liaison/new/", {"party_code": sup.w.company.uscc, "designated_on": _iso()}
    )
    assert r.status_code == 302
    point = LiaisonPoint.objects.get()
    assert point.party == sup.w.company and point.region == sup.w.county
    assert _ledger("supervision.liaison_designate", point)
    other = PartyFactory(name="测县第二有限公司", region=sup.w.county)
    assert (
        county.post("/supervision/people/liaison/new/", {"party_code": "测县第二有限公司"}).status_code == 302
    )
    assert LiaisonPoint.objects.filter(party=other, designated_on=s.today()).exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "请输入企业的统一社会信用代码或完整名称"),
        ("不存在的公司", "未找到该企业"),
        ("赵某", "企业联系点须为企业或个体工商户"),
    ],
)
def test_designate_refusals(sup: SupWorld, code: str, message: str) -> None:
    r = _client(sup.county_sup).post("/supervision/people/liaison/new/", {"party_code": code})
    html = r.content.decode()
    assert r.status_code == 200 and message in html and 'id="ld-party-err"' in html
    assert not LiaisonPoint.objects.exists()


def test_designate_twice_or_outside_the_region_is_refused(sup: SupWorld) -> None:
    s.liaison_point_designate(actor=sup.county_sup, party=sup.w.company)
    again = _client(sup.county_sup).post(
        "/supervision/people/liaison/new/", {"party_code": sup.w.company.uscc}
    )
    assert again.status_code == 200 and "该企业已是联系点" in again.content.decode()
    foreign = _client(sup.foreign_sup).post(
        "/supervision/people/liaison/new/", {"party_code": sup.w.company.uscc}
    )
    assert foreign.status_code == 200 and "未找到该企业" in foreign.content.decode()
    assert LiaisonPoint.objects.count() == 1


def test_record_a_liaison_visit_from_the_page(sup: SupWorld) -> None:
    point = s.liaison_point_designate(actor=sup.county_sup, party=sup.w.company)
    r = _client(sup.county_sup).post(
        f"/supervision/people/liaison/{point.pk}/visits/",
        {"visited_on": _iso(), "satisfaction": "4", "method": "座谈", "notes": "希望减少重复检查。"},
    )
    assert r.status_code == 302
    visit = LiaisonVisit.objects.get()
    assert (visit.satisfaction, visit.method, visit.notes) == (4, "座谈", "希望减少重复检查。")
    assert _ledger("supervision.liaison_visit", visit)
    html = _client(sup.county_sup).get(PEOPLE).content.decode()
    assert "满意度 4" in html and "从未走访" not in html


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"visited_on": "today", "satisfaction": "4"}, "走访日期格式应为"),
        ({"satisfaction": "4"}, "请填写走访日期"),
        ({"visited_on": "TODAY", "satisfaction": ""}, "请选择满意度"),
        ({"visited_on": "TODAY", "satisfaction": "6"}, "满意度须为 1–5"),
        ({"visited_on": "TODAY", "satisfaction": "abc"}, "请选择满意度"),
        ({"visited_on": "TOMORROW", "satisfaction": "3"}, "走访日期无效"),
    ],
)
def test_liaison_visit_refusals(sup: SupWorld, post: dict[str, str], message: str) -> None:
    point = s.liaison_point_designate(actor=sup.county_sup, party=sup.w.company)
    post = {k: {"TODAY": _iso(), "TOMORROW": _iso(1)}.get(v, v) for k, v in post.items()}
    r = _client(sup.county_sup).post(f"/supervision/people/liaison/{point.pk}/visits/", post)
    html = r.content.decode()
    assert r.status_code == 200 and message in html
    assert f'data-point="{point.pk}"' in html and "<details open>" in html
    assert not LiaisonVisit.objects.exists()


def test_another_regions_supervisor_cannot_visit_the_point(sup: SupWorld) -> None:
    point = s.liaison_point_designate(actor=sup.county_sup, party=sup.w.company)
    r = _client(sup.foreign_sup).post(
        f"/supervision/people/liaison/{point.pk}/visits/", {"visited_on": _iso(), "satisfaction": "5"}
    )
    assert r.status_code == 404 and not LiaisonVisit.objects.exists()


# --- 案件回访 and questionnaires -------------------------------------------------------------------------------------


def test_create_a_questionnaire_from_the_page(sup: SupWorld) -> None:
    r = _client(sup.county_sup).post(
        "/supervision/people/questionnaires/new/",
        {
            "rows": "5",
            "region": sup.w.county.pk,
            "name": "行政处罚案件回访",
            "q1-text": "执法人员是否出示证件",
            "q1-kind": "choice",
            "q1-choices": "是、否，记不清",
            "q1-required": "1",
            "q2-text": "",  # a blank row is skipped
            "q2-kind": "rating",
            "q3-text": "对处罚过程的满意度",
            "q3-kind": "rating",
            "q3-required": "1",
            "q4-text": "意见建议",
            "q4-kind": "text",
        },
    )
    q = Questionnaire.objects.get(name="行政处罚案件回访")
    assert r.status_code == 302 and r["Location"].endswith(
        f"/supervision/people/visits/new/?questionnaire={q.pk}"
    )
    rows = list(q.questions.values_list("order", "text", "kind", "choices", "required"))
    assert rows == [
        (1, "执法人员是否出示证件", "choice", ["是", "否", "记不清"], True),
        (2, "对处罚过程的满意度", "rating", [], True),
        (3, "意见建议", "text", [], False),
    ]
    assert _ledger("supervision.questionnaire_create", q)


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"name": "空问卷"}, "问卷至少需要一个问题"),
        ({"name": "单选", "q1-text": "是否", "q1-kind": "choice", "q1-choices": "是"}, "至少两个选项"),
        ({"name": "", "q1-text": "满意度", "q1-kind": "rating"}, "请填写问卷名称"),
        ({"name": "题型", "q1-text": "满意度", "q1-kind": "essay"}, "题型无效"),
    ],
)
def test_questionnaire_refusals_keep_the_rows(sup: SupWorld, post: dict[str, str], message: str) -> None:
    r = _client(sup.county_sup).post(
        "/supervision/people/questionnaires/new/", {"rows": "5", "region": sup.w.county.pk, **post}
    )
    html = r.content.decode()
    assert r.status_code == 200 and message in html
    if post.get("q1-text"):
        assert f'value="{post["q1-text"]}"' in html
    assert not Questionnaire.objects.exists() and not Question.objects.exists()


def test_more_question_rows_keep_what_was_typed(sup: SupWorld) -> None:
    r = _client(sup.county_sup).post(
        "/supervision/people/questionnaires/new/",
        {"rows": "5", "region": sup.w.county.pk, "name": "长问卷", "q1-text": "第一题", "more": "1"},
    )
    html = r.content.decode()
    assert r.status_code == 200 and 'name="q10-text"' in html and 'value="第一题"' in html
    assert not Questionnaire.objects.exists()


def test_return_visit_page_without_a_questionnaire_points_to_creating_one(sup: SupWorld) -> None:
    html = _client(sup.county_sup).get("/supervision/people/visits/new/").content.decode()
    assert "还没有启用的回访问卷" in html and 'href="/supervision/people/questionnaires/new/"' in html


def test_return_visit_page_renders_the_questions_and_offers_closed_cases(sup: SupWorld) -> None:
    q = _questionnaire(sup)
    case = _closed_case(sup)
    open_case = opened(sup.w)
    html = (
        _client(sup.county_sup).get(f"/supervision/people/visits/new/?questionnaire={q.pk}").content.decode()
    )
    for question in q.questions.all():
        assert f'name="answer-{question.pk}"' in html
    assert html.count('type="radio"') == 2 + 5  # 是/否 and a rating of 1–5
    assert f'<option value="{case.number}">' in html and f'<option value="{open_case.number}">' not in html


def _visit_post(q: Questionnaire, case: Case, **answers: str) -> dict[str, Any]:
    ids = [x.pk for x in q.questions.all()]
    defaults = {"choice": "是", "rating": "5", "text": "无"}
    given = {
        f"answer-{i}": answers.get(kind, defaults[kind])
        for i, kind in zip(ids, ("choice", "rating", "text"), strict=True)
    }
    return {
        "questionnaire": q.pk,
        "case": case.number,
        "visited_on": _iso(),
        "method": "电话",
        "result": "当事人对处理结果满意。",
        **given,
    }


def test_record_a_return_visit_from_the_page(sup: SupWorld) -> None:
    q = _questionnaire(sup)
    case = _closed_case(sup)
    r = _client(sup.county_sup).post("/supervision/people/visits/new/", _visit_post(q, case, rating="4"))
    assert r.status_code == 302 and r["Location"].endswith("/supervision/people/#visits")
    visit = ReturnVisit.objects.get()
    ids = [str(x.pk) for x in q.questions.all()]
    assert visit.case == case and visit.agency == sup.w.agency and visit.visitor == sup.county_sup
    assert visit.answers == {ids[0]: "是", ids[1]: 4, ids[2]: "无"}
    assert _ledger("supervision.return_visit", visit)


def test_return_visit_of_a_case_not_closed_shows_the_message_and_writes_nothing(sup: SupWorld) -> None:
    q = _questionnaire(sup)
    case = opened(sup.w)
    r = _client(sup.county_sup).post("/supervision/people/visits/new/", _visit_post(q, case))
    html = r.content.decode()
    assert r.status_code == 200 and "只对已结案的案件回访" in html
    assert f'value="{case.number}"' in html and "当事人对处理结果满意。" in html
    assert not ReturnVisit.objects.exists()
    assert not LedgerEntry.objects.filter(action="supervision.return_visit").exists()


def test_return_visit_missing_answer_is_shown_beside_the_question(sup: SupWorld) -> None:
    q = _questionnaire(sup)
    case = _closed_case(sup)
    rating = q.questions.get(kind="rating")
    r = _client(sup.county_sup).post("/supervision/people/visits/new/", _visit_post(q, case, rating=""))
    html = r.content.decode()
    assert r.status_code == 200 and "请回答：满意度" in html and f'id="a-{rating.pk}-err"' in html
    assert 'value="是" checked' in html  # the other answers are kept
    assert not ReturnVisit.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"case": ""}, "请填写案件编号"),
        ({"case": "不存在〔2025〕1号"}, "未找到该案件编号"),
        ({"visited_on": "2099-01-01"}, "回访日期不能晚于今天"),
        ({"visited_on": ""}, "请填写回访日期"),
        ({"questionnaire": "999999"}, "请选择回访问卷"),
        ({"method": "电" * 21}, "方式过长"),
    ],
)
def test_return_visit_refusals(sup: SupWorld, change: dict[str, str], message: str) -> None:
    q = _questionnaire(sup)
    case = _closed_case(sup)
    r = _client(sup.county_sup).post("/supervision/people/visits/new/", {**_visit_post(q, case), **change})
    assert r.status_code == 200 and message in r.content.decode()
    assert not ReturnVisit.objects.exists()


def test_another_regions_supervisor_cannot_find_the_case_or_use_the_questionnaire(sup: SupWorld) -> None:
    q = _questionnaire(sup)
    case = _closed_case(sup)
    foreign = _client(sup.foreign_sup)
    page = foreign.get(f"/supervision/people/visits/new/?questionnaire={q.pk}").content.decode()
    assert "还没有启用的回访问卷" in page and q.name not in page
    r = foreign.post("/supervision/people/visits/new/", _visit_post(q, case))
    assert r.status_code == 200 and not ReturnVisit.objects.exists()


# --- stopping and copying a questionnaire ---------------------------------------------------------------------------


def test_a_stopped_questionnaire_is_not_offered_for_new_visits_and_can_be_started_again(
    sup: SupWorld,
) -> None:
    q = _questionnaire(sup)
    c = _client(sup.county_sup)
    listed = c.get(PEOPLE).content.decode()
    assert (
        f'data-questionnaire="{q.pk}"' in listed
        and f"/supervision/people/questionnaires/{q.pk}/stop/" in listed
    )

    r = c.post(f"/supervision/people/questionnaires/{q.pk}/stop/")
    assert r.status_code == 302 and r["Location"].endswith("#questionnaires")
    assert not Questionnaire.objects.get(pk=q.pk).active and _ledger("supervision.questionnaire_stop", q)
    visit_page = c.get("/supervision/people/visits/new/").content.decode()
    assert "还没有启用的回访问卷" in visit_page  # the only questionnaire is stopped
    with pytest.raises(InvalidInput):
        s.return_visit_record(
            actor=sup.county_sup,
            case=_closed_case(sup),
            questionnaire=Questionnaire.objects.get(pk=q.pk),
            visited_on=s.today(),
            method="电话",
            answers={},
        )
    # stopping twice is refused with a message, nothing written
    entries = LedgerEntry.objects.count()
    again = c.post(f"/supervision/people/questionnaires/{q.pk}/stop/", follow=True).content.decode()
    assert "问卷已停用" in again and LedgerEntry.objects.count() == entries

    c.post(f"/supervision/people/questionnaires/{q.pk}/activate/")
    assert Questionnaire.objects.get(pk=q.pk).active and _ledger("supervision.questionnaire_activate", q)


def test_only_a_supervisor_of_its_region_may_stop_a_questionnaire(sup: SupWorld) -> None:
    q = _questionnaire(sup)
    assert (
        _client(sup.foreign_sup).post(f"/supervision/people/questionnaires/{q.pk}/stop/").status_code == 404
    )
    assert _client(sup.w.head).post(f"/supervision/people/questionnaires/{q.pk}/stop/").status_code == 403
    assert (
        _client(sup.county_sup).post(f"/supervision/people/questionnaires/{q.pk}/delete/").status_code == 404
    )
    assert Questionnaire.objects.get(pk=q.pk).active


def test_copy_as_new_questionnaire_prefills_every_question(sup: SupWorld) -> None:
    q = _questionnaire(sup)
    html = (
        _client(sup.county_sup).get(f"/supervision/people/questionnaires/new/?from={q.pk}").content.decode()
    )
    assert 'value="测县回访问卷（修订）"' in html
    assert 'value="是否出示证件"' in html and 'value="满意度"' in html and 'value="建议"' in html
    assert "是、否" in html
    assert (
        _client(sup.foreign_sup).get(f"/supervision/people/questionnaires/new/?from={q.pk}").status_code
        == 404
    )
    assert Questionnaire.objects.count() == 1  # nothing is created until the form is posted
