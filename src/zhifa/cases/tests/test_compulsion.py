"""行政强制 rules of issue 17: 行政强制法 第二十五条第二款 (the written notice of an extension), 第二十七条 (the
handling decision within the period), 第三十六条 (the party's statement on a 催告), 第三十五条 (the 催告书), the
legal review of a major 查封/扣押 (国办发〔2018〕118号) and the first-time reviewer's 法律职业资格 (行政处罚法
第五十八条第二款). Each rule both ways; a refusal leaves nothing written."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from zhifa.cases import compulsion, selectors, services
from zhifa.cases.models import Case, DemandStatement, Seizure, SeizureLegalReview, SeizureStatus
from zhifa.cases.tests.helpers import D0, CaseWorld, attach, ledger_count, opened, reload
from zhifa.cases.tests.test_rules import D, _served_unpaid, refused
from zhifa.cases.tests.test_views import client_for
from zhifa.core.errors import InvalidInput, PermissionDenied
from zhifa.org.models import LegalQualification, Role, User
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.records.models import LedgerEntry


def _investigating(world: CaseWorld) -> Case:
    case = services.case_start_investigation(actor=world.officer_user, case=opened(world), on=D0)
    attach(world.officer_user, case, "service_execution", kind="video")
    return case


def _seize(world: CaseWorld, case: Case, **kwargs: Any) -> Seizure:
    args: dict[str, Any] = {
        "kind": "detain",
        "items": ["过期奶粉 20 箱"],
        "on": D0,
        "approved_by": world.head,
    }
    args.update(kwargs)
    return services.seizure_decide(actor=world.officer_user, case=case, **args)


def _extended(world: CaseWorld) -> tuple[Case, Seizure]:
    case = _investigating(world)
    seizure = _seize(world, case)
    seizure = services.seizure_extend(
        actor=world.head, seizure=seizure, days=30, reason="检验结果未出，情况复杂", on=D(2025, 3, 20)
    )
    return case, seizure


def _last(action: str) -> dict[str, Any]:
    return json.loads(LedgerEntry.objects.filter(action=action).latest("seq").changes)  # type: ignore[no-any-return]


# --- 行政强制法 第二十五条第二款: the extension is notified to the party in writing, with the reason ----------------


def test_extension_notice_is_recorded_with_date_and_method(world: CaseWorld) -> None:
    case, seizure = _extended(world)
    assert compulsion.seizure_extension_notice_due(seizure) == D(2025, 4, 2)  # the period first decided
    before = ledger_count(case)
    seizure = compulsion.seizure_notify_extension(
        actor=world.officer_user, seizure=seizure, method="direct", on=D(2025, 3, 21)
    )
    assert seizure.extension_notified_on == D(2025, 3, 21) and seizure.extension_notice_method == "direct"
    assert ledger_count(case) == before + 1
    entry = _last("case.seizure_notify_extension")
    assert entry["late"] is False and entry["reason"] == "检验结果未出，情况复杂"
    assert not [f for f in compulsion.unnotified_extension_flags(None) if f.key == f"seizure:{seizure.pk}"]


def test_extension_notice_refusals_write_nothing(world: CaseWorld) -> None:
    case = _investigating(world)
    plain = _seize(world, case)
    refused(
        lambda: compulsion.seizure_notify_extension(
            actor=world.officer_user, seizure=plain, method="direct", on=D(2025, 3, 21)
        ),
        "seizure_not_extended",
        case,
    )
    _, extended = _extended(world)
    case = extended.case
    refused(
        lambda: compulsion.seizure_notify_extension(
            actor=world.officer_user, seizure=extended, method="on_site", on=D(2025, 3, 21)
        ),
        "invalid_input",
        case,
        exc=InvalidInput,
    )
    refused(
        lambda: compulsion.seizure_notify_extension(
            actor=world.officer_user, seizure=extended, method="mail", on=D(2025, 3, 19)
        ),
        "invalid_input",
        case,
        exc=InvalidInput,
    )
    refused(
        lambda: compulsion.seizure_notify_extension(
            actor=world.supervisor, seizure=extended, method="mail", on=D(2025, 3, 21)
        ),
        "permission_denied",
        case,
        exc=PermissionDenied,
    )
    assert reload_seizure(extended).extension_notified_on is None


def reload_seizure(seizure: Seizure) -> Seizure:
    return Seizure.objects.get(pk=seizure.pk)


def test_an_extension_not_notified_by_the_original_end_is_flagged_and_a_late_notice_is_marked(
    world: CaseWorld,
) -> None:
    _, seizure = _extended(world)
    flags = [f for f in compulsion.unnotified_extension_flags(None) if f.key == f"seizure:{seizure.pk}"]
    assert len(flags) == 1 and "第二十五条第二款" in flags[0].detail and flags[0].due == D(2025, 4, 2)
    compulsion.seizure_notify_extension(
        actor=world.officer_user, seizure=seizure, method="mail", on=D(2025, 4, 3)
    )
    assert _last("case.seizure_notify_extension")["late"] is True
    assert not [f for f in compulsion.unnotified_extension_flags(None) if f.key == f"seizure:{seizure.pk}"]
    refused(
        lambda: compulsion.seizure_notify_extension(
            actor=world.officer_user, seizure=seizure, method="mail", on=D(2025, 4, 4)
        ),
        "extension_already_notified",
        seizure.case,
    )


# --- 行政强制法 第二十七条: the handling decision within the period ----------------------------------------------


def test_handling_decision_within_the_period_ends_the_measure(world: CaseWorld) -> None:
    case = _investigating(world)
    seizure = _seize(world, case)
    seizure = compulsion.seizure_handle(
        actor=world.head,
        seizure=seizure,
        handling="destroy",
        note="《食品安全法》规定应当销毁的过期食品",
        on=D(2025, 4, 1),
    )
    assert seizure.status == SeizureStatus.HANDLED and seizure.handled_on == D(2025, 4, 1)
    assert seizure not in selectors.seizures_past_limit(world.head)
    assert _last("case.seizure_handle")["handling"] == "destroy"


def test_handling_after_the_period_or_without_a_confiscation_decision_is_refused(world: CaseWorld) -> None:
    case = _investigating(world)
    seizure = _seize(world, case)
    assert seizure.due_on == D(2025, 4, 2)
    refused(
        lambda: compulsion.seizure_handle(
            actor=world.head, seizure=seizure, handling="destroy", note="应当销毁", on=D(2025, 4, 3)
        ),
        "seizure_expired",
        case,
    )
    refused(
        lambda: compulsion.seizure_handle(
            actor=world.head, seizure=seizure, handling="confiscate", note="没收", on=D(2025, 4, 1)
        ),
        "confiscation_not_decided",
        case,
    )
    refused(
        lambda: compulsion.seizure_handle(
            actor=world.officer_user, seizure=seizure, handling="destroy", note="应当销毁", on=D(2025, 4, 1)
        ),
        "permission_denied",
        case,
        exc=PermissionDenied,
    )
    assert reload_seizure(seizure).status == SeizureStatus.ACTIVE


def test_a_period_over_without_a_decision_or_release_is_past_limit_and_flagged(world: CaseWorld) -> None:
    from zhifa.supervision.sources import seizures_past_limit

    case = _investigating(world)
    seizure = _seize(world, case)  # due 2025-04-02, long before the test clock's today
    assert seizure in selectors.seizures_past_limit(world.head)
    flag = next(f for f in seizures_past_limit(None) if f.key == f"seizure:{seizure.pk}")
    assert "第二十七条" in flag.detail
    services.seizure_release(actor=world.officer_user, seizure=seizure, reason="expired", on=D(2025, 4, 3))
    assert seizure not in selectors.seizures_past_limit(world.head)


# --- 行政强制法 第三十六条: the party's statement on a 催告 ----------------------------------------------------------


def _demanded(world: CaseWorld) -> Case:
    case = reload(_served_unpaid(world))
    services.enforcement_demand(actor=world.officer_user, case=case, on=D(2025, 9, 1))
    return reload(case)


def _apply(world: CaseWorld, case: Case) -> Any:
    return services.court_application(
        actor=world.head, case=case, court_name="测县人民法院", on=D(2025, 9, 26)
    )


def test_court_application_waits_for_the_review_of_the_partys_statement(world: CaseWorld) -> None:
    case = _demanded(world)
    statement = compulsion.demand_statement_record(
        actor=world.officer_user, case=case, text="已于9月2日通过银行缴纳，附回单。", on=D(2025, 9, 3)
    )
    refused(lambda: _apply(world, case), "demand_statement_unreviewed", case)
    reviewed = compulsion.demand_statement_review(
        actor=world.head, case=case, established=False, note="银行回单为他案缴款，不成立。", on=D(2025, 9, 5)
    )
    assert (
        reviewed.pk == statement.pk and reviewed.established is False and reviewed.reviewed_by == world.head
    )
    assert _apply(world, case).court_applied_on == D(2025, 9, 26)


def test_statement_refusals_write_nothing(world: CaseWorld) -> None:
    served = reload(_served_unpaid(world))
    refused(
        lambda: compulsion.demand_statement_record(
            actor=world.officer_user, case=served, text="陈述", on=D(2025, 9, 3)
        ),
        "stage_not_allowed",
        served,
    )
    case = _demanded(world)
    refused(
        lambda: compulsion.demand_statement_review(
            actor=world.head, case=case, established=True, note="成立", on=D(2025, 9, 5)
        ),
        "no_statement_to_review",
        case,
    )
    refused(
        lambda: compulsion.demand_statement_record(
            actor=world.officer_user, case=case, text="陈述", on=D(2025, 8, 31)
        ),
        "date_before_previous_step",
        case,
        exc=InvalidInput,
    )
    compulsion.demand_statement_record(actor=world.officer_user, case=case, text="经营困难", on=D(2025, 9, 3))
    refused(
        lambda: compulsion.demand_statement_review(
            actor=world.head, case=case, established=True, note="  ", on=D(2025, 9, 5)
        ),
        "required",
        case,
        exc=InvalidInput,
    )
    refused(
        lambda: compulsion.demand_statement_review(
            actor=world.officer_user, case=case, established=False, note="不成立", on=D(2025, 9, 5)
        ),
        "permission_denied",
        case,
        exc=PermissionDenied,
    )
    assert DemandStatement.objects.filter(demand__case=case, reviewed_on__isnull=True).count() == 1


def test_statement_and_its_review_through_the_case_page(world: CaseWorld) -> None:
    case = _demanded(world)
    officer = client_for(world.officer_user)
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-action="demand_statement"' in page
    response = officer.post(
        reverse("cases:act", args=[case.pk, "demand_statement"]),
        {"demand_statement-on": "2025-09-03", "demand_statement-text": "罚款数额有误"},
    )
    assert response.status_code == 302
    head = client_for(world.head)
    response = head.post(
        reverse("cases:act", args=[case.pk, "court_application"]),
        {"court_application-on": "2025-09-26", "court_application-court_name": "测县人民法院"},
    )
    assert response.status_code == 422 and "第三十六条" in response.content.decode()
    response = head.post(
        reverse("cases:act", args=[case.pk, "demand_statement_review"]),
        {
            "demand_statement_review-on": "2025-09-05",
            "demand_statement_review-established": "",
            "demand_statement_review-note": "数额与决定书一致，不成立。",
        },
    )
    assert response.status_code == 302
    assert DemandStatement.objects.get(demand__case=case).reviewed_on == D(2025, 9, 5)


def test_demand_and_court_application_documents_carry_article_35_and_55_contents(world: CaseWorld) -> None:
    from zhifa.cases.documents import _court_application, _demand

    case = _demanded(world)
    text = "".join(_demand(case, None).paragraphs)
    assert "履行方式" in text and "陈述和申辩" in text and "第三十六条" in text
    compulsion.demand_statement_record(actor=world.officer_user, case=case, text="经营困难", on=D(2025, 9, 3))
    compulsion.demand_statement_review(
        actor=world.head, case=case, established=False, note="不影响履行", on=D(2025, 9, 4)
    )
    text = "".join(_court_application(reload(case), None).paragraphs)
    assert "当事人的意见及复核情况" in text and "经营困难" in text


# --- 重大执法决定法制审核 (国办发〔2018〕118号): a major 查封/扣押 needs a passed legal review first ---------------------


def test_major_seizure_without_a_passed_review_is_refused(world: CaseWorld) -> None:
    case = _investigating(world)
    refused(lambda: _seize(world, case, value_yuan="100000"), "seizure_legal_review_required", case)
    assert not Seizure.objects.filter(case=case).exists()
    compulsion.seizure_legal_review_record(
        actor=world.reviewer,
        case=case,
        kind="detain",
        value_yuan="150000",
        agreed=False,
        opinion="依据不足",
        on=D0,
    )
    refused(lambda: _seize(world, case, value_yuan="100000"), "seizure_legal_review_required", case)
    # a review of a smaller value does not clear a larger measure
    compulsion.seizure_legal_review_record(
        actor=world.reviewer, case=case, kind="detain", value_yuan="90000", agreed=True, opinion="同意", on=D0
    )
    refused(lambda: _seize(world, case, value_yuan="100000"), "seizure_legal_review_required", case)


def test_major_seizure_after_a_passed_review_is_approved_and_the_review_is_used_once(
    world: CaseWorld,
) -> None:
    case = _investigating(world)
    review = compulsion.seizure_legal_review_record(
        actor=world.reviewer,
        case=case,
        kind="detain",
        value_yuan="150000",
        agreed=True,
        opinion="同意",
        on=D0,
    )
    seizure = _seize(world, case, value_yuan="120000")
    assert (
        seizure.value_yuan == Decimal("120000")
        and SeizureLegalReview.objects.get(pk=review.pk).seizure == seizure
    )
    refused(lambda: _seize(world, case, value_yuan="120000"), "seizure_legal_review_required", case)
    # below the threshold no review is needed
    assert _seize(world, case, value_yuan="99999.99").status == SeizureStatus.ACTIVE


def test_emergency_major_seizure_is_approved_only_after_a_passed_review(world: CaseWorld) -> None:
    case = _investigating(world)
    seizure = _seize(world, case, approved_by=None, emergency=True, value_yuan="200000")
    refused(
        lambda: services.seizure_approve(actor=world.head, seizure=seizure, approve=True, on=D0),
        "seizure_legal_review_required",
        case,
    )
    compulsion.seizure_legal_review_record(
        actor=world.reviewer,
        case=case,
        kind="detain",
        value_yuan="200000",
        agreed=True,
        opinion="同意",
        on=D0,
    )
    approved = services.seizure_approve(actor=world.head, seizure=seizure, approve=True, on=D0)
    assert approved.approved_by == world.head and approved.legal_review.agreed


def test_seizure_review_refusals(world: CaseWorld) -> None:
    case = _investigating(world)
    refused(
        lambda: compulsion.seizure_legal_review_record(
            actor=world.officer_user,
            case=case,
            kind="detain",
            value_yuan="1",
            agreed=True,
            opinion="同意",
            on=D0,
        ),
        "permission_denied",
        case,
        exc=PermissionDenied,
    )
    refused(
        lambda: compulsion.seizure_legal_review_record(
            actor=world.reviewer,
            case=case,
            kind="preserve",
            value_yuan="1",
            agreed=True,
            opinion="同意",
            on=D0,
        ),
        "invalid_input",
        case,
        exc=InvalidInput,
    )


def test_the_major_seizure_threshold_is_a_setting(world: CaseWorld, settings: Any) -> None:
    settings.ZHIFA_CASES = {"MAJOR_SEIZURE_YUAN": "5000"}
    case = _investigating(world)
    refused(lambda: _seize(world, case, value_yuan="5000"), "seizure_legal_review_required", case)
    assert _seize(world, case, value_yuan="4999").status == SeizureStatus.ACTIVE


def test_seizure_review_and_value_through_the_case_page(world: CaseWorld) -> None:
    case = _investigating(world)
    reviewer = client_for(world.reviewer)
    page = reviewer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-action="seizure_legal_review"' in page
    response = reviewer.post(
        reverse("cases:act", args=[case.pk, "seizure_legal_review"]),
        {
            "seizure_legal_review-on": D0.isoformat(),
            "seizure_legal_review-kind": "seal",
            "seizure_legal_review-value_yuan": "300000",
            "seizure_legal_review-agreed": "on",
            "seizure_legal_review-opinion": "事实清楚，依据充分，同意查封。",
        },
    )
    assert response.status_code == 302
    head = client_for(world.head)
    response = head.post(
        reverse("cases:act", args=[case.pk, "seizure_decide"]),
        {
            "seizure_decide-on": D0.isoformat(),
            "seizure_decide-kind": "seal",
            "seizure_decide-items": "冷库一间",
            "seizure_decide-testing_days": "0",
            "seizure_decide-value_yuan": "300000",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Seizure.objects.get(case=case).legal_review is not None


# --- 行政处罚法 第五十八条第二款: a first-time reviewer holds the 法律职业资格 -----------------------------------------


def _new_reviewer(world: CaseWorld) -> User:
    user = UserFactory()
    grant(user, Role.LEGAL_REVIEWER, agency=world.agency)
    return User.objects.get(pk=user.pk)


def test_a_first_time_reviewer_without_the_qualification_is_refused(world: CaseWorld) -> None:
    from zhifa.cases.tests.test_rules import ready_to_decide

    case = ready_to_decide(world, fine="100000")
    case = services.case_submit_legal_review(actor=world.officer_user, case=case, on=D(2025, 3, 11))
    newcomer = _new_reviewer(world)
    refused(
        lambda: services.case_record_legal_review(
            actor=newcomer, case=case, agreed=True, opinion="同意", on=D(2025, 3, 12)
        ),
        "reviewer_not_qualified",
        case,
    )
    refused(
        lambda: compulsion.seizure_legal_review_record(
            actor=newcomer,
            case=case,
            kind="detain",
            value_yuan="1",
            agreed=True,
            opinion="同意",
            on=D(2025, 3, 12),
        ),
        "reviewer_not_qualified",
        case,
    )
    LegalQualification.objects.create(
        user=newcomer,
        certificate_number="A20210000000009",
        obtained_on=dt.date(2021, 12, 1),
        recorded_by=world.head,
    )
    assert services.case_record_legal_review(
        actor=newcomer, case=case, agreed=True, opinion="同意", on=D(2025, 3, 12)
    ).agreed


def test_a_reviewer_with_a_prior_review_is_not_a_first_time_reviewer(world: CaseWorld) -> None:
    from zhifa.cases.models import LegalReviewOutcome
    from zhifa.cases.tests.test_rules import ready_to_decide

    case = ready_to_decide(world, fine="100000")
    case = services.case_submit_legal_review(actor=world.officer_user, case=case, on=D(2025, 3, 11))
    veteran = _new_reviewer(world)
    LegalReviewOutcome.objects.create(
        case=case,
        agreed=False,
        reviewer=veteran,
        reviewed_on=D(2025, 3, 11),
        opinion="（迁移的历史审核记录）",
    )
    assert services.case_record_legal_review(
        actor=veteran, case=case, agreed=True, opinion="同意", on=D(2025, 3, 12)
    ).agreed


def test_the_administrator_records_the_qualification_on_the_user_page(world: CaseWorld) -> None:
    admin = UserFactory()
    grant(admin, Role.ADMIN, region=world.county)
    newcomer = _new_reviewer(world)
    client = client_for(User.objects.get(pk=admin.pk))
    url = reverse("sysadmin:user_detail", args=[newcomer.pk])
    assert "未登记" in client.get(url).content.decode()
    post = reverse("sysadmin:user_qualification", args=[newcomer.pk])
    response = client.post(post, {"certificate_number": "", "obtained_on": "2021-12-01"})
    assert response.status_code == 422 and not LegalQualification.objects.filter(user=newcomer).exists()
    response = client.post(post, {"certificate_number": "A20213301000002", "obtained_on": "2021-12-01"})
    assert response.status_code == 302
    assert LegalQualification.objects.get(user=newcomer).certificate_number == "A20213301000002"
    assert "A20213301000002" in client.get(url).content.decode()
    # an officer may not
    response = client_for(world.officer_user).post(
        post, {"certificate_number": "X", "obtained_on": "2021-12-01"}
    )
    assert response.status_code in {403, 404}


# --- the seizure steps on the case page ---------------------------------------------------------------------------


@pytest.mark.parametrize("step", ["notify_extension", "handle"])
def test_seizure_steps_through_the_case_page(world: CaseWorld, step: str) -> None:
    case, seizure = _extended(world)
    head = client_for(world.head)
    page = head.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'data-seizure-step="{step}"' in page and "延长决定尚未书面告知当事人" in page
    p = f"seizure-{seizure.pk}"
    data = (
        {f"{p}-notify_extension-on": "2025-03-21", f"{p}-notify_extension-method": "mail"}
        if step == "notify_extension"
        else {
            f"{p}-handle-on": "2025-04-20",
            f"{p}-handle-handling": "destroy",
            f"{p}-handle-note": "依法应当销毁",
        }
    )
    assert f'name="{p}-{step}-on"' in page
    response = head.post(reverse("cases:seizure_act", args=[case.pk, seizure.pk, step]), data, follow=True)
    text = response.content.decode()
    seizure = reload_seizure(seizure)
    if step == "notify_extension":
        assert seizure.extension_notified_on == D(2025, 3, 21) and "邮寄送达书面告知当事人" in text
    else:
        assert seizure.status == SeizureStatus.HANDLED and "已办理" in text
    # a refusal comes back as a message, never a 500
    response = head.post(reverse("cases:seizure_act", args=[case.pk, seizure.pk, step]), data, follow=True)
    assert response.status_code == 200 and 'class="messages"' in response.content.decode()


def test_the_new_ledger_actions_read_in_chinese() -> None:
    from zhifa.records import labels

    for code in (
        "case.seizure_notify_extension",
        "case.seizure_handle",
        "case.demand_statement",
        "case.demand_statement_review",
        "case.seizure_legal_review",
        "account.legal_qualification",
    ):
        assert code in labels._ACTIONS and not labels.action_label(code).endswith("操作记录"), code
