"""Hearing the party (行政处罚法 2021): the periods run from service of the rights notice (第六十四条第一项), the
hearing is public unless secrets or privacy (第六十四条第三项), a hearing the party stays away from is ended
(第六十四条第六项), and a statement is reviewed before the decision (第四十五条第一款). Both sides of each rule;
a refusal leaves nothing written.

Dates: the notice step on Monday 2025-03-10, plain working weeks around it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from zhifa.cases import guards, services
from zhifa.cases.hearing import case_end_hearing_absent, case_review_statement, case_serve_notice
from zhifa.cases.models import Case, Stage
from zhifa.cases.tests.helpers import CaseWorld, notified, reload
from zhifa.cases.tests.test_rules import refused
from zhifa.core.errors import InvalidInput

D = dt.date
NOTICE = D(2025, 3, 10)  # notified(world) notifies on D0 + 7 days


def _unserved(world: CaseWorld, fine: str = "100000", **kwargs: Any) -> Case:
    case = notified(world, fine=fine, serve=False, **kwargs)
    assert case.notified_on == NOTICE and case.notice_served_on is None
    return case


def _serve(world: CaseWorld, case: Case, on: dt.date, method: str = "direct") -> Case:
    return case_serve_notice(actor=world.officer_user, case=case, method=method, on=on)


# --- 行政处罚法 第六十四条第一项: the request window runs from service of the 告知书 ------------------------------


def test_hearing_request_counts_five_working_days_from_service_not_from_the_notice(world: CaseWorld) -> None:
    """Regression: the window used to run from the notice step (due 03-17) although the party received the
    告知书 only on 03-12; a request on 03-18 was refused."""
    case = _serve(world, _unserved(world), D(2025, 3, 12))
    assert case.notice_served_on == D(2025, 3, 12) and case.notice_service_method == "direct"
    assert case.hearing_request_due == D(2025, 3, 19)  # 5 working days from service (03-17 from the notice)
    assert case.statement_due == D(2025, 3, 19)
    accepted = services.case_request_hearing(actor=world.officer_user, case=case, on=D(2025, 3, 18))
    assert accepted.stage == Stage.HEARING and accepted.hearing_requested_on == D(2025, 3, 18)

    late = _serve(world, _unserved(world), D(2025, 3, 12))
    refused(
        lambda: services.case_request_hearing(actor=world.officer_user, case=late, on=D(2025, 3, 20)),
        "hearing_request_late",
        late,
    )


def test_before_service_the_window_is_not_running(world: CaseWorld) -> None:
    case = _unserved(world)
    assert case.hearing_request_due is None and case.statement_due is None
    # a request made before formal service is not late
    assert services.case_request_hearing(actor=world.officer_user, case=case, on=D(2025, 3, 24)).stage == (
        Stage.HEARING
    )


def test_no_decision_while_the_notice_is_not_served(world: CaseWorld) -> None:
    case = _unserved(world, fine="5000")
    refused(
        lambda: services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 4, 1)
        ),
        "notice_not_served",
        case,
    )
    refused(
        lambda: services.case_submit_legal_review(actor=world.officer_user, case=case, on=D(2025, 4, 1)),
        "notice_not_served",
        case,
    )
    # served: the statement period counts from service (03-12 → 03-19), then the decision may be made
    case = _serve(world, case, D(2025, 3, 12))
    refused(
        lambda: services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 3, 19)
        ),
        "statement_period_open",
        case,
    )
    decided = services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 3, 20)
    )
    assert decided.stage == Stage.DECIDED


def test_an_express_waiver_needs_no_service(world: CaseWorld) -> None:
    case = _unserved(world, fine="5000")
    case = services.case_waive_rights(actor=world.officer_user, case=case, on=NOTICE)
    decided = services.case_decide(actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=NOTICE)
    assert decided.stage == Stage.DECIDED


def test_serving_the_notice_is_refused_twice_and_needs_consent_for_electronic_service(
    world: CaseWorld,
) -> None:
    case = _unserved(world)
    refused(lambda: _serve(world, case, D(2025, 3, 12), "electronic"), "electronic_needs_consent", case)
    refused(lambda: _serve(world, case, D(2025, 3, 12), "on_site"), "on_site_same_day", case)
    refused(lambda: _serve(world, case, D(2025, 3, 12), "pigeon"), "invalid_input", case, exc=InvalidInput)
    case = case_serve_notice(
        actor=world.officer_user, case=case, method="electronic", consent_confirmed=True, on=D(2025, 3, 12)
    )
    refused(lambda: _serve(world, case, D(2025, 3, 13)), "notice_already_served", case)


def test_a_new_notice_round_must_be_served_again(world: CaseWorld) -> None:
    case = notified(world, fine="5000")
    assert case.notice_served_on == NOTICE
    case = services.case_return_to_investigation(
        actor=world.officer_user, case=case, reason="补充调查", on=NOTICE
    )
    case = services.case_end_investigation(actor=world.officer_user, case=case, on=D(2025, 3, 11))
    case = services.case_notify_rights(
        actor=world.officer_user, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 3, 11)
    )
    assert case.notice_served_on is None and case.statement_due is None


def test_a_notice_served_in_a_year_without_a_holiday_schedule_keeps_the_decision_waiting(
    world: CaseWorld, monkeypatch: Any
) -> None:
    from zhifa.cases import limits
    from zhifa.core.errors import ConfigurationMissing

    def unknown(_: dt.date) -> dt.date:
        raise ConfigurationMissing("缺少节假日安排", "no schedule", code="holiday_schedule_missing")

    case = _unserved(world, fine="5000")
    monkeypatch.setattr(limits, "statement_due", unknown)
    case = _serve(world, case, D(2025, 3, 12))
    assert case.notice_served_on == D(2025, 3, 12) and case.statement_due is None
    refused(
        lambda: services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 4, 1)
        ),
        "rights_period_pending",
        case,
    )
    monkeypatch.undo()  # the schedule is known now: the period is counted from the service date
    assert guards.notice_period_due(reload(case), "statement") == D(2025, 3, 19)


# --- 行政处罚法 第六十四条第三项、第六项: public hearing; ending it when the party stays away ---------------------


def _requested(world: CaseWorld, settings: Any) -> Case:
    # the fine carries a hearing right (≥ 100,000 for an organisation) but is not major here, so the decision
    # needs neither legal review nor collective discussion
    settings.ZHIFA_CASES = {"MAJOR_FINE_ORGANISATION_YUAN": "1000000"}
    case = notified(world, fine="100000")
    return services.case_request_hearing(actor=world.officer_user, case=case, on=D(2025, 3, 11))


def test_a_hearing_is_public_unless_secrets_or_privacy(world: CaseWorld, settings: Any) -> None:
    case = _requested(world, settings)
    refused(
        lambda: services.case_schedule_hearing(
            actor=world.officer_user,
            case=case,
            hearing_on=D(2025, 3, 24),
            on=D(2025, 3, 12),
            closed_reason="busy",
        ),
        "invalid_input",
        case,
        exc=InvalidInput,
    )
    public = services.case_schedule_hearing(
        actor=world.officer_user, case=case, hearing_on=D(2025, 3, 24), on=D(2025, 3, 12)
    )
    assert public.hearing_closed_reason == ""
    closed = services.case_schedule_hearing(
        actor=world.officer_user,
        case=case,
        hearing_on=D(2025, 3, 24),
        on=D(2025, 3, 12),
        closed_reason="privacy",
    )
    assert closed.get_hearing_closed_reason_display() == "涉及个人隐私"


def test_a_hearing_the_party_stays_away_from_is_ended_and_the_case_goes_on(
    world: CaseWorld, settings: Any
) -> None:
    case = _requested(world, settings)
    case = services.case_schedule_hearing(
        actor=world.officer_user, case=case, hearing_on=D(2025, 3, 24), on=D(2025, 3, 12)
    )
    refused(
        lambda: services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="100000", on=D(2025, 3, 24)
        ),
        "hearing_pending",
        case,
    )
    refused(
        lambda: case_end_hearing_absent(
            actor=world.officer_user, case=case, reason="absent", on=D(2025, 3, 21)
        ),
        "hearing_not_yet",
        case,
    )
    refused(
        lambda: case_end_hearing_absent(
            actor=world.officer_user, case=case, reason="late", on=D(2025, 3, 24)
        ),
        "invalid_input",
        case,
        exc=InvalidInput,
    )
    case = case_end_hearing_absent(actor=world.officer_user, case=case, reason="absent", on=D(2025, 3, 24))
    assert case.hearing_ended_on == D(2025, 3, 24) and case.hearing_held_on is None
    refused(
        lambda: services.case_hold_hearing(
            actor=world.officer_user, case=case, host=world.officers[2], on=D(2025, 3, 24)
        ),
        "hearing_ended",
        case,
    )
    decided = services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan="100000", on=D(2025, 3, 25)
    )
    assert decided.stage == Stage.DECIDED


# --- 行政处罚法 第四十五条第一款: the statement is reviewed (复核) before the decision -------------------------------


def _with_statement(world: CaseWorld) -> Case:
    case = notified(world, fine="5000")
    case = services.case_record_statement(
        actor=world.officer_user, case=case, text="已整改，请求从轻", on=D(2025, 3, 11)
    )
    return services.case_waive_rights(actor=world.officer_user, case=case, on=D(2025, 3, 11))


def test_no_decision_before_a_received_statement_is_reviewed(world: CaseWorld) -> None:
    case = _with_statement(world)
    decide = lambda c: services.case_decide(  # noqa: E731
        actor=world.head, case=c, kinds=["fine"], fine_yuan="5000", on=D(2025, 3, 12)
    )
    refused(lambda: decide(case), "statement_not_reviewed", case)
    refused(
        lambda: case_review_statement(
            actor=world.officer_user, case=case, adopted=False, opinion=" ", on=D(2025, 3, 12)
        ),
        "required",
        case,
        exc=InvalidInput,
    )
    case = case_review_statement(
        actor=world.officer_user,
        case=case,
        adopted=False,
        opinion="当事人称已整改，但未提交证据，不予采纳",
        on=D(2025, 3, 12),
    )
    assert case.statement_reviewed_on == D(2025, 3, 12) and case.statement_adopted is False
    refused(
        lambda: case_review_statement(
            actor=world.officer_user, case=case, adopted=True, opinion="再复核", on=D(2025, 3, 12)
        ),
        "statement_already_reviewed",
        case,
    )
    assert decide(case).stage == Stage.DECIDED


def test_a_later_statement_needs_its_own_review(world: CaseWorld) -> None:
    case = _with_statement(world)
    case = case_review_statement(
        actor=world.officer_user, case=case, adopted=True, opinion="采纳", on=D(2025, 3, 12)
    )
    case = services.case_record_statement(
        actor=world.officer_user, case=case, text="补充申辩意见", on=D(2025, 3, 13)
    )
    assert case.statement_reviewed_on is None
    refused(
        lambda: services.case_decide(
            actor=world.head, case=case, kinds=["fine"], fine_yuan="5000", on=D(2025, 3, 13)
        ),
        "statement_not_reviewed",
        case,
    )


def test_review_without_a_statement_is_refused(world: CaseWorld) -> None:
    case = notified(world, fine="5000")
    refused(
        lambda: case_review_statement(
            actor=world.officer_user, case=case, adopted=True, opinion="无", on=NOTICE
        ),
        "no_statement",
        case,
    )


# --- the pages ------------------------------------------------------------------------------------------------


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_officer_serves_the_notice_and_reviews_the_statement_on_the_case_page(world: CaseWorld) -> None:
    case = _unserved(world, fine="5000")
    client = _client(world.officer_user)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "送达事先告知书" in page and "尚未送达" in page
    response = client.post(
        reverse("cases:act", args=[case.pk, "serve_notice"]),
        {"serve_notice-on": "2025-03-12", "serve_notice-method": "mail"},
    )
    assert response.status_code == 302
    assert reload(case).notice_served_on == D(2025, 3, 12)
    assert "邮寄送达" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    client.post(
        reverse("cases:act", args=[case.pk, "record_statement"]),
        {"record_statement-on": "2025-03-13", "record_statement-text": "已整改"},
    )
    response = client.post(
        reverse("cases:act", args=[case.pk, "review_statement"]),
        {"review_statement-on": "2025-03-13", "review_statement-opinion": ""},
    )
    assert response.status_code == 422 and "复核意见" in response.content.decode()
    response = client.post(
        reverse("cases:act", args=[case.pk, "review_statement"]),
        {
            "review_statement-on": "2025-03-13",
            "review_statement-adopted": "on",
            "review_statement-opinion": "采纳",
        },
    )
    assert response.status_code == 302 and reload(case).statement_adopted is True


def test_the_hearing_can_be_ended_on_the_case_page(world: CaseWorld, settings: Any) -> None:
    case = _requested(world, settings)
    client = _client(world.officer_user)
    response = client.post(
        reverse("cases:act", args=[case.pk, "schedule_hearing"]),
        {
            "schedule_hearing-on": "2025-03-12",
            "schedule_hearing-hearing_on": "2025-03-24",
            "schedule_hearing-closed_reason": "business_secret",
        },
    )
    assert response.status_code == 302
    assert (
        "不公开举行（涉及商业秘密）" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    response = client.post(
        reverse("cases:act", args=[case.pk, "end_hearing_absent"]),
        {"end_hearing_absent-on": "2025-03-24", "end_hearing_absent-reason": "left"},
    )
    assert response.status_code == 302
    assert reload(case).hearing_end_reason == "left"
    assert "终止听证" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_the_new_ledger_actions_have_chinese_labels() -> None:
    from zhifa.records import labels

    for code in ("serve_notice", "review_statement", "end_hearing_absent", "apply_recusal", "decide_recusal"):
        assert labels.action_label(f"case.{code}") not in ("", "操作记录"), code


def test_the_api_serves_the_notice_and_refuses_a_decision_before_it(world: CaseWorld) -> None:
    from zhifa.cases.tests.test_api import client_for

    case = _unserved(world, fine="5000")
    head = client_for(world.head)
    response = head.post(
        f"/api/cases/{case.pk}/decide",
        {"kinds": ["fine"], "fine_yuan": "5000", "on": "2025-03-20"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "notice_not_served"
    assert response.json()["message"] and response.json()["message_en"]
    officer = client_for(world.officer_user)
    response = officer.post(
        f"/api/cases/{case.pk}/serve-notice",
        {"method": "mail", "on": "2025-03-12"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["notice_served_on"] == "2025-03-12" and body["statement_due"] == "2025-03-19"
    response = officer.post(
        f"/api/cases/{case.pk}/serve-notice", {"method": "pigeon"}, content_type="application/json"
    )
    assert response.status_code == 422


def test_the_notice_and_the_hearing_notice_state_the_periods_and_publicity(
    world: CaseWorld, settings: Any
) -> None:
    from zhifa.cases import documents

    case = _unserved(world)
    text = "".join(documents._prior_notice(case, None).paragraphs)
    assert "收到本告知书之日起五个工作日内" in text  # 行政处罚法 第六十四条第一项: from receipt
    served = _serve(world, case, D(2025, 3, 12))
    assert "收到本告知书之日起五个工作日内（2025年03月19日前）" in "".join(
        documents._prior_notice(served, None).paragraphs
    )
    requested = _requested(world, settings)
    closed = services.case_schedule_hearing(
        actor=world.officer_user,
        case=requested,
        hearing_on=D(2025, 3, 24),
        on=D(2025, 3, 12),
        closed_reason="state_secret",
    )
    assert "因本案涉及国家秘密，听证不公开举行" in "".join(documents._hearing_notice(closed, None).paragraphs)


def test_the_head_is_told_why_the_decision_waits_for_service(world: CaseWorld) -> None:
    from zhifa.cases import selectors

    case = _unserved(world, fine="5000")
    actions = {a.code: a for a in selectors.case_next_actions(world.head, case, on=D(2025, 3, 20))}
    assert not actions["decide"].allowed and "事先告知书尚未送达当事人" in actions["decide"].reason
    assert actions["serve_notice"].allowed


def test_notices_given_before_service_was_recorded_keep_their_periods(world: CaseWorld) -> None:
    """The migration takes an old notice (due dates counted from the notice day) as served that day."""
    import importlib
    from pathlib import Path

    from django.apps import apps

    from zhifa.cases import migrations

    name = next(Path(migrations.__file__).parent.glob("*_hearing_notice_service_review_recusal.py")).stem
    migration = importlib.import_module(f"zhifa.cases.migrations.{name}")
    old = _unserved(world, fine="5000")
    Case.objects.filter(pk=old.pk).update(statement_due=D(2025, 3, 17))  # as the old rule stored it
    new = _unserved(world, fine="5000")
    migration.notices_before_this_change_were_served_on_their_day(apps, None)
    assert reload(old).notice_served_on == NOTICE
    assert reload(new).notice_served_on is None
