"""法制审核 workflow: materials refused with the list, recusal, eight points before a conclusion, rounds kept,
the stand-in closed, the numbered opinion (gapless, voided numbers never reused), the ledger."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.cases import services as case_services
from zhifa.cases.models import LegalReviewOutcome, Stage
from zhifa.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from zhifa.org.models import Role
from zhifa.org.tests.factories import grant
from zhifa.records.models import LedgerEntry
from zhifa.review import selectors, services
from zhifa.review.models import OpinionStatus, RequestState, ReviewOpinion, ReviewRequest
from zhifa.review.tests.helpers import (
    WAIVED_ON,
    another,
    answer_all,
    catalog,
    decide,
    ready_case,
    review_round,
    submit,
)


def _ledger(request: ReviewRequest) -> list[str]:
    rows = LedgerEntry.objects.filter(object_type="review.reviewrequest", object_id=str(request.pk)).order_by(
        "seq"
    )
    return list(rows.values_list("action", flat=True))


def test_submit_with_missing_materials_is_refused_with_the_list_and_writes_nothing(world) -> None:
    case = ready_case(world)
    with pytest.raises(RuleViolation) as exc:
        submit(world, case, draft_decision="", explanation=" ")
    assert exc.value.code == "review_materials_missing"
    assert exc.value.details["missing"] == ["拟作出决定的情况说明", "行政执法文书（决定书草稿）"]
    case.refresh_from_db()
    assert case.stage == Stage.NOTIFIED
    assert not ReviewRequest.objects.exists()


def test_materials_check_names_missing_evidence_and_process_record(world) -> None:
    from zhifa.cases.tests.helpers import opened

    case = opened(world)  # opened, no evidence stored, no investigation record yet
    rows = {
        str(m["kind"]): m
        for m in services.materials_check(world.officer_user, case, "草稿", "说明", WAIVED_ON)
    }
    assert rows["evidence"]["present"] is False
    assert rows["process"]["present"] is False and "缺少必备记录" in rows["process"]["detail"]
    assert rows["statement"]["present"] is False
    assert rows["draft"]["present"] and rows["explanation"]["present"]


def test_submit_moves_the_case_to_legal_review_and_keeps_the_materials(world) -> None:
    case = ready_case(world)
    request = submit(world, case)
    case.refresh_from_db()
    assert case.stage == Stage.LEGAL_REVIEW
    assert request.round_no == 1 and request.state == RequestState.SUBMITTED
    assert {m.kind for m in request.materials.all()} == {
        "explanation",
        "draft",
        "evidence",
        "statement",
        "process",
    }
    assert "放弃" in request.materials.get(kind="statement").detail
    # 7 working days from Tuesday 2025-03-11.
    assert request.due_on == dt.date(2025, 3, 20)
    assert _ledger(request) == ["review.submit"]


def test_only_one_open_round(world) -> None:
    case = ready_case(world)
    submit(world, case)
    with pytest.raises(RuleViolation) as exc:
        submit(world, case)
    assert exc.value.code == "review_already_open"


def test_a_case_officer_is_recused_from_reviewing_it(world) -> None:
    case = ready_case(world)
    request = submit(world, case)
    handler = world.officers[1]
    reviewer_user = another(Role.LEGAL_REVIEWER, world)
    handler.user = reviewer_user
    handler.save(update_fields=["user"])
    with pytest.raises(RuleViolation) as exc:
        services.review_assign(actor=world.head, request=request, reviewer=reviewer_user, on=WAIVED_ON)
    assert exc.value.code == "reviewer_recused"
    request.refresh_from_db()
    assert request.reviewer_id is None and request.state == RequestState.SUBMITTED


def test_the_submitter_is_recused_too(world) -> None:
    case = ready_case(world)
    head_submitter = world.head
    grant(head_submitter, Role.LEGAL_REVIEWER, agency=world.agency)
    from zhifa.org.models import User

    head_submitter = User.objects.get(pk=head_submitter.pk)
    request = services.review_submit(
        actor=head_submitter, case=case, draft_decision="草稿", explanation="说明", on=WAIVED_ON
    )
    with pytest.raises(RuleViolation) as exc:
        services.review_assign(actor=head_submitter, request=request, reviewer=head_submitter, on=WAIVED_ON)
    assert exc.value.code == "reviewer_recused"


def test_assignee_must_be_a_reviewer_of_the_agency(world) -> None:
    request = submit(world, ready_case(world))
    foreign = another(Role.LEGAL_REVIEWER, world, agency=world.other_agency)
    with pytest.raises(InvalidInput) as exc:
        services.review_assign(actor=world.head, request=request, reviewer=foreign, on=WAIVED_ON)
    assert exc.value.code == "reviewer_not_eligible"
    with pytest.raises(InvalidInput):
        services.review_assign(actor=world.head, request=request, reviewer=world.officer_user, on=WAIVED_ON)


def test_a_reviewer_may_take_a_request_but_not_hand_it_to_another(world) -> None:
    request = submit(world, ready_case(world))
    colleague = another(Role.LEGAL_REVIEWER, world)
    with pytest.raises(PermissionDenied) as exc:
        services.review_assign(actor=world.reviewer, request=request, reviewer=colleague, on=WAIVED_ON)
    assert exc.value.code == "not_assigner"
    services.review_assign(actor=world.reviewer, request=request, reviewer=world.reviewer, on=WAIVED_ON)
    # The lead reviewer of the agency assigns.
    services.review_settings_set(
        actor=world.head,
        agency=world.agency,
        time_limit_working_days=5,
        remind_working_days=1,
        discussion_quorum=3,
        lead_reviewer=world.reviewer,
    )
    services.review_assign(actor=world.reviewer, request=request, reviewer=colleague, on=WAIVED_ON)
    request.refresh_from_db()
    assert request.reviewer_id == colleague.pk


def test_only_the_assigned_reviewer_records_findings(world) -> None:
    request = submit(world, ready_case(world))
    with pytest.raises(PermissionDenied):  # not yet assigned to anyone
        services.review_record_finding(actor=world.reviewer, request=request, point="subject", result="ok")
    services.review_assign(actor=world.head, request=request, reviewer=world.reviewer, on=WAIVED_ON)
    colleague = another(Role.LEGAL_REVIEWER, world)
    with pytest.raises(PermissionDenied) as exc:
        services.review_record_finding(actor=colleague, request=request, point="subject", result="ok")
    assert exc.value.code == "not_assigned_reviewer"


def test_finding_rejects_unknown_points_and_a_problem_without_a_note(world) -> None:
    request = submit(world, ready_case(world))
    services.review_assign(actor=world.head, request=request, reviewer=world.reviewer, on=WAIVED_ON)
    with pytest.raises(InvalidInput):
        services.review_record_finding(actor=world.reviewer, request=request, point="mood", result="ok")
    with pytest.raises(InvalidInput):
        services.review_record_finding(actor=world.reviewer, request=request, point="facts", result="maybe")
    with pytest.raises(InvalidInput) as exc:
        services.review_record_finding(actor=world.reviewer, request=request, point="facts", result="problem")
    assert exc.value.field == "note"


def test_conclusion_needs_every_point_and_cannot_agree_over_a_problem(world) -> None:
    request = submit(world, ready_case(world))
    services.review_assign(actor=world.head, request=request, reviewer=world.reviewer, on=WAIVED_ON)
    services.review_record_finding(actor=world.reviewer, request=request, point="subject", result="ok")
    with pytest.raises(RuleViolation) as exc:
        services.review_conclude(actor=world.reviewer, request=request, agreed=True, on=WAIVED_ON)
    assert exc.value.code == "review_points_missing"
    assert len(exc.value.details["missing"]) == 7
    answer_all(world, request, {"law": "裁量基准适用错误"})
    with pytest.raises(RuleViolation) as exc:
        services.review_conclude(actor=world.reviewer, request=request, agreed=True, on=WAIVED_ON)
    assert exc.value.code == "findings_contradict_conclusion"
    with pytest.raises(InvalidInput) as exc:
        services.review_conclude(
            actor=world.reviewer, request=request, agreed=False, opinion="", on=WAIVED_ON
        )
    assert exc.value.field == "opinion"


def test_return_then_resubmit_keeps_every_round_and_agreement_opens_the_decision(world) -> None:
    catalog(world)
    case = ready_case(world)
    first = review_round(world, case, agreed=False, problems={"facts": "现场检查笔录未签名"})
    assert first.state == RequestState.RETURNED
    case.refresh_from_db()
    assert case.stage == Stage.LEGAL_REVIEW  # stays; the unit revises and resubmits
    assert LegalReviewOutcome.objects.get(case=case).agreed is False
    with pytest.raises(RuleViolation):
        decide(world, case)
    second = review_round(world, case, agreed=True)
    assert second.round_no == 2
    rounds = selectors.case_rounds(case)
    assert [(r.round_no, r.state) for r in rounds] == [(1, "returned"), (2, "agreed")]
    assert rounds[0].findings.get(point="facts").note == "现场检查笔录未签名"
    assert decide(world, case).stage == Stage.DECIDED
    assert _ledger(first) == ["review.submit", "review.assign"] + ["review.finding"] * 8 + ["review.conclude"]
    with pytest.raises(RuleViolation) as exc:
        submit(world, case)
    assert exc.value.code in ("review_already_agreed", "stage_not_allowed")


def test_agreement_before_a_new_notice_does_not_count(world) -> None:
    catalog(world)
    case = ready_case(world)
    review_round(world, case, agreed=True)
    assert selectors.review_status(case) == (True, "法制审核同意")
    case.notice_round += 1  # as after 退回补充调查 and a new 事先告知
    assert selectors.review_status(case)[0] is False


def test_the_stand_in_cannot_bypass_the_workflow(world) -> None:
    case = ready_case(world)
    case = case_services.case_submit_legal_review(actor=world.officer_user, case=case, on=WAIVED_ON)
    with pytest.raises(RuleViolation) as exc:
        case_services.case_record_legal_review(
            actor=world.reviewer, case=case, agreed=True, opinion="同意", on=WAIVED_ON
        )
    assert exc.value.code == "legal_review_via_workflow"
    assert not LegalReviewOutcome.objects.filter(case=case).exists()
    # The workflow may still start from a case already at the stage.
    request = submit(world, case)
    assert request.round_no == 1


def test_opinion_numbers_are_gapless_per_agency_and_year_and_voided_ones_are_not_reused(world) -> None:
    a = review_round(world, ready_case(world), agreed=False, problems={"documents": "文书不规范"})
    b = review_round(world, ready_case(world), agreed=True)
    numbers = list(ReviewOpinion.objects.order_by("seq").values_list("number", flat=True))
    assert numbers == ["测县市监法审〔2025〕1号", "测县市监法审〔2025〕2号"]
    opinion = a.opinions.get()
    assert opinion.pdf[:5] == b"%PDF-"
    with pytest.raises(PermissionDenied):
        services.review_opinion_void(actor=world.reviewer, opinion=opinion, reason="错误")
    services.review_opinion_void(actor=world.head, opinion=opinion, reason="文号打印错误")
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.VOIDED
    with pytest.raises(RuleViolation):
        services.review_opinion_void(actor=world.head, opinion=opinion, reason="again")
    third = review_round(world, ready_case(world), agreed=True)
    assert third.opinions.get().number == "测县市监法审〔2025〕3号"
    assert b.opinions.get().seq == 2


def test_requests_are_invisible_outside_the_agency(world) -> None:
    request = submit(world, ready_case(world))
    with pytest.raises(NotFound):
        selectors.request_get(world.outsider, request.pk)
    assert selectors.request_get(world.supervisor, request.pk) == request
    with pytest.raises(PermissionDenied):
        services.review_assign(actor=world.outsider, request=request, reviewer=world.reviewer, on=WAIVED_ON)
    with pytest.raises(PermissionDenied):
        services.review_assign(actor=world.supervisor, request=request, reviewer=world.reviewer, on=WAIVED_ON)


def test_only_the_case_handlers_or_head_submit(world) -> None:
    case = ready_case(world)
    other_officer = another(Role.OFFICER, world)
    with pytest.raises(PermissionDenied) as exc:
        services.review_submit(
            actor=other_officer, case=case, draft_decision="d", explanation="e", on=WAIVED_ON
        )
    assert exc.value.code == "not_case_handler"
    with pytest.raises(PermissionDenied):
        services.review_submit(
            actor=world.outsider, case=case, draft_decision="d", explanation="e", on=WAIVED_ON
        )
    with pytest.raises(PermissionDenied):
        services.review_submit(
            actor=world.reviewer, case=case, draft_decision="d", explanation="e", on=WAIVED_ON
        )
