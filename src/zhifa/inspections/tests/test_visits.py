"""Scan-to-enter, non-random filing, results and enterprise feedback: each rule with its refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing

from zhifa.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from zhifa.inspections import codes, selectors, services
from zhifa.inspections.models import (
    Inspection,
    InspectionFeedback,
    InspectionStatus,
    InspectionWarning,
    Outcome,
    TaskKind,
    WarningKind,
)
from zhifa.inspections.tests.conftest import TZ_NOW, at, make_item, make_plan, make_random_task
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.records.models import LedgerEntry

IN_WINDOW = at(dt.date(2026, 3, 10))


@pytest.fixture
def drawn(world):
    """A drawn random task; returns (inspection, its code, a user on its team)."""
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item, party_count=1)
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    inspection = Inspection.objects.get(task=task)
    officer = inspection.assignments.first().officer
    return inspection, codes.issue_code(inspection), User.objects.get(pk=officer.user_id)


def enterprise_user(party) -> User:
    user = UserFactory()
    grant(user, Role.ENTERPRISE, party=party)
    return User.objects.get(pk=user.pk)


# --- check-in ----------------------------------------------------------------------------------------------------


def test_officer_on_the_task_checks_in_with_the_code(world, drawn) -> None:
    inspection, code, officer_user = drawn
    services.inspection_check_in(officer_user, code, place="某某路 1 号", now=IN_WINDOW)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CHECKED_IN
    assert inspection.entered_at == IN_WINDOW and inspection.inspected_on == dt.date(2026, 3, 10)
    entry = LedgerEntry.objects.get(action="inspection.check_in", object_id=str(inspection.pk))
    assert entry.place == "某某路 1 号" and entry.officer_id is not None


@pytest.mark.parametrize("when", [at(dt.date(2026, 4, 1), 0), at(dt.date(2026, 2, 28), 23)])
def test_check_in_outside_the_codes_window_is_refused(world, drawn, when) -> None:
    inspection, code, officer_user = drawn
    with pytest.raises(RuleViolation) as exc:
        services.inspection_check_in(officer_user, code, place="现场", now=when)
    assert exc.value.code in {"inspection_code_expired", "inspection_code_not_yet_valid"}
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED


def test_forged_code_is_refused_and_raises_a_warning(world, drawn) -> None:
    inspection, code, officer_user = drawn
    _, timestamp, signature = code.split(":")
    payload = signing.loads(code, salt=codes.SALT)
    payload["na"] += 86400 * 365  # stretch the window, keep the old timestamp and signature
    body = signing.b64_encode(signing.JSONSerializer().dumps(payload)).decode()
    forged = f"{body}:{timestamp}:{signature}"
    with pytest.raises(InvalidInput) as exc:
        services.inspection_check_in(officer_user, forged, place="现场", now=IN_WINDOW)
    assert exc.value.code == "inspection_code_forged"
    warning = InspectionWarning.objects.get(kind=WarningKind.FORGED_CODE)
    assert warning.inspection == inspection and warning.agency == inspection.agency
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED


def test_garbage_code_warns_the_officers_agency(world, drawn) -> None:
    _, _, officer_user = drawn
    with pytest.raises(InvalidInput):
        services.inspection_check_in(officer_user, "not-a-code", place="现场", now=IN_WINDOW)
    assert InspectionWarning.objects.filter(
        kind=WarningKind.FORGED_CODE, agency=officer_user.officer.agency
    ).exists()


def test_code_signed_with_another_salt_is_forged(world, drawn) -> None:
    inspection, _, officer_user = drawn
    other = signing.dumps(
        {"v": 1, "i": inspection.pk, "p": inspection.party_id, "nb": 0, "na": 2**40}, salt="x"
    )
    with pytest.raises(InvalidInput):
        services.inspection_check_in(officer_user, other, place="现场", now=IN_WINDOW)


def test_officer_not_on_the_task_is_refused(world, drawn) -> None:
    inspection, code, _officer_user = drawn
    team = set(inspection.assignments.values_list("officer_id", flat=True))
    outsider = next(u for u, o in zip(world.officer_users, world.officers, strict=True) if o.pk not in team)
    with pytest.raises(RuleViolation) as exc:
        services.inspection_check_in(outsider, code, place="现场", now=IN_WINDOW)
    assert exc.value.code == "officer_not_on_task"


def test_officer_of_another_agency_is_refused(world, drawn) -> None:
    _, code, _ = drawn
    stranger = UserFactory()
    grant(stranger, Role.OFFICER, agency=world.other_agency)
    with pytest.raises(PermissionDenied):
        services.inspection_check_in(User.objects.get(pk=stranger.pk), code, place="现场", now=IN_WINDOW)


def test_offline_entry_keyed_in_late_is_flagged(world, drawn, settings) -> None:
    settings.ZHIFA_INSPECTION_OFFLINE_ENTRY_HOURS = 24
    inspection, code, officer_user = drawn
    on_site = at(dt.date(2026, 3, 10), 9)
    services.inspection_check_in(
        officer_user, code, place="山区", at=on_site, now=on_site + dt.timedelta(hours=25)
    )
    inspection.refresh_from_db()
    assert inspection.entered_late and inspection.entered_at == on_site
    assert InspectionWarning.objects.filter(kind=WarningKind.LATE_ENTRY, inspection=inspection).exists()


def test_offline_entry_within_the_window_is_not_flagged(world, drawn) -> None:
    inspection, code, officer_user = drawn
    on_site = at(dt.date(2026, 3, 10), 9)
    services.inspection_check_in(
        officer_user, code, place="山区", at=on_site, now=on_site + dt.timedelta(hours=23)
    )
    inspection.refresh_from_db()
    assert not inspection.entered_late
    assert not InspectionWarning.objects.filter(kind=WarningKind.LATE_ENTRY).exists()


def test_enterprise_reads_who_is_coming_through_the_code(world, drawn) -> None:
    inspection, code, _ = drawn
    view = services.inspection_code_view(code, now=IN_WINDOW)
    assert view.valid_now and view.inspection == inspection
    assert len(view.officers) == 2 and all(o["certificate_number"] for o in view.officers)
    assert "食品安全法" in view.inspection.item.legal_basis
    assert not services.inspection_code_view(code, now=at(dt.date(2026, 5, 1))).valid_now


def test_enterprise_scanning_a_forged_code_raises_a_warning(world, drawn) -> None:
    inspection, code, _ = drawn
    with pytest.raises(InvalidInput):
        services.inspection_code_view(code[:-3] + "xyz", now=IN_WINDOW)
    assert InspectionWarning.objects.filter(kind=WarningKind.FORGED_CODE, inspection=inspection).exists()


# --- non-random inspections -----------------------------------------------------------------------------------------


def file_complaint(world, **kwargs):
    values = {
        "agency": world.agency,
        "item": kwargs.pop("item", None) or make_item(world),
        "kind": TaskKind.COMPLAINT,
        "party": world.parties[0],
        "officer_ids": [o.pk for o in world.officers[:2]],
        "title": "投诉核查",
        "reason": "12345 热线投诉：销售过期食品",
        "starts_on": dt.date(2026, 3, 1),
        "ends_on": dt.date(2026, 3, 5),
        "now": at(dt.date(2026, 3, 1), 8),
    }
    values.update(kwargs)
    return services.task_file(world.officer_user, **values)


def test_non_random_inspection_filed_before_entry_is_approved_by_the_head(world) -> None:
    task = file_complaint(world)
    inspection = Inspection.objects.get(task=task)
    assert inspection.filed_at is not None
    with pytest.raises(RuleViolation):  # not approved yet
        services.inspection_check_in(
            world.officer_user, codes.issue_code(inspection), place="店内", now=at(dt.date(2026, 3, 2))
        )
    with pytest.raises(PermissionDenied):
        services.task_approve(world.unit_head, task)
    services.task_approve(world.head, task)
    services.inspection_check_in(
        world.officer_user, codes.issue_code(inspection), place="店内", now=at(dt.date(2026, 3, 2))
    )


def test_emergency_may_be_filed_within_24_hours_after_entry(world) -> None:
    entered = at(dt.date(2026, 3, 1), 8)
    inspection = services.inspection_enter_unfiled(
        world.officer_user,
        party=world.parties[0],
        item=None,
        place="仓库",
        at=entered,
        emergency_reason="群众举报正在销售有毒食品",
        officer_ids=[world.officers[1].pk],
        now=entered,
    )
    assert not InspectionWarning.objects.filter(kind=WarningKind.UNFILED).exists()
    task = file_complaint(
        world, is_emergency=True, entered_inspection=inspection, now=entered + dt.timedelta(hours=23)
    )
    inspection.refresh_from_db()
    assert inspection.task == task and inspection.filed_at is not None


def test_emergency_filed_after_24_hours_is_refused(world) -> None:
    entered = at(dt.date(2026, 3, 1), 8)
    inspection = services.inspection_enter_unfiled(
        world.officer_user,
        party=world.parties[0],
        item=None,
        place="仓库",
        at=entered,
        emergency_reason="突发事件",
        now=entered,
    )
    with pytest.raises(RuleViolation) as exc:
        file_complaint(
            world, is_emergency=True, entered_inspection=inspection, now=entered + dt.timedelta(hours=25)
        )
    assert exc.value.code == "emergency_filing_late"


def test_non_emergency_cannot_be_filed_after_entry(world) -> None:
    entered = at(dt.date(2026, 3, 1), 8)
    inspection = services.inspection_enter_unfiled(
        world.officer_user, party=world.parties[0], item=None, place="店内", at=entered, now=entered
    )
    assert InspectionWarning.objects.filter(kind=WarningKind.UNFILED, inspection=inspection).exists()
    with pytest.raises(RuleViolation) as exc:
        file_complaint(world, entered_inspection=inspection, now=entered + dt.timedelta(hours=1))
    assert exc.value.code == "filed_after_entry"


def test_filing_with_an_unqualified_officer_is_refused(world) -> None:
    from zhifa.inspections.tests.conftest import make_officer

    _, auxiliary = make_officer(world.agency, "辅助", is_auxiliary=True)
    with pytest.raises(RuleViolation) as exc:
        file_complaint(world, officer_ids=[world.officers[0].pk, auxiliary.pk])
    assert exc.value.code == "officer_not_qualified"


def test_filing_with_one_officer_is_refused(world) -> None:
    with pytest.raises(RuleViolation):
        file_complaint(world, officer_ids=[world.officers[0].pk])


# --- results ---------------------------------------------------------------------------------------------------------


def checked_in(drawn):
    inspection, code, officer_user = drawn
    services.inspection_check_in(officer_user, code, place="现场", now=IN_WINDOW)
    inspection.refresh_from_db()
    return inspection, officer_user


def test_pass_result_is_due_for_publication_within_20_working_days(world, drawn) -> None:
    inspection, officer_user = checked_in(drawn)
    services.inspection_result(
        officer_user, inspection, outcome=Outcome.PASS, findings="未发现问题", now=IN_WINDOW
    )
    inspection.refresh_from_db()
    assert inspection.outcome == Outcome.PASS and inspection.publish_due == dt.date(2026, 4, 8)


def test_rectification_needs_a_future_deadline_and_is_closed_at_recheck(world, drawn) -> None:
    inspection, officer_user = checked_in(drawn)
    with pytest.raises(InvalidInput):
        services.inspection_result(
            officer_user, inspection, outcome=Outcome.RECTIFY, findings="台账缺失", now=IN_WINDOW
        )
    services.inspection_result(
        officer_user,
        inspection,
        outcome=Outcome.RECTIFY,
        findings="台账缺失",
        rectify_deadline=dt.date(2026, 3, 20),
        now=IN_WINDOW,
    )
    services.inspection_recheck(
        officer_user, inspection, passed=True, findings="已整改", now=at(dt.date(2026, 3, 21))
    )
    inspection.refresh_from_db()
    assert inspection.rectification_closed_at is not None and inspection.case_source_seq is None


def test_case_result_becomes_a_case_source_on_the_ledger(world, drawn) -> None:
    inspection, officer_user = checked_in(drawn)
    services.inspection_result(
        officer_user, inspection, outcome=Outcome.CASE, findings="销售过期食品", now=IN_WINDOW
    )
    entry = LedgerEntry.objects.get(action="inspection.result.case_source")
    assert entry.object_type == "inspections.inspection" and entry.object_id == str(inspection.pk)
    sources = selectors.case_sources_from_inspections(world.supervisor)
    assert [s.inspection_id for s in sources] == [inspection.pk]
    assert sources[0].ledger_seq == entry.seq and "食品安全法" in sources[0].legal_basis
    assert selectors.case_sources_from_inspections(world.supervisor, after_seq=entry.seq) == []
    assert selectors.case_sources_from_inspections(world.outside_supervisor) == []


def test_rectification_not_done_at_recheck_becomes_a_case_source(world, drawn) -> None:
    inspection, officer_user = checked_in(drawn)
    services.inspection_result(
        officer_user,
        inspection,
        outcome=Outcome.RECTIFY,
        findings="无证经营",
        rectify_deadline=dt.date(2026, 3, 20),
        now=IN_WINDOW,
    )
    services.inspection_recheck(
        officer_user, inspection, passed=False, findings="仍未办证", now=at(dt.date(2026, 3, 21))
    )
    [source] = selectors.case_sources_from_inspections(world.head)
    assert source.reason == "not_rectified"


def test_result_by_an_officer_not_on_the_inspection_is_refused(world, drawn) -> None:
    inspection, _officer_user = checked_in(drawn)
    team = set(inspection.assignments.values_list("officer_id", flat=True))
    outsider = next(u for u, o in zip(world.officer_users, world.officers, strict=True) if o.pk not in team)
    with pytest.raises(RuleViolation):
        services.inspection_result(outsider, inspection, outcome=Outcome.PASS, findings="合格", now=IN_WINDOW)


# --- feedback --------------------------------------------------------------------------------------------------------


def test_rating_is_anonymous_agency_sees_aggregates_supervisor_sees_all(world, drawn, settings) -> None:
    settings.ZHIFA_INSPECTION_FEEDBACK_MIN_AGGREGATE = 1
    inspection, _ = checked_in(drawn)
    rater = enterprise_user(inspection.party)
    feedback = services.feedback_submit(
        rater, inspection, rating=2, comment="态度生硬", problem_text="要求提供无关材料"
    )
    assert not any(f.name in {"user", "author", "created_by"} for f in InspectionFeedback._meta.fields)
    entry = LedgerEntry.objects.get(action="inspection.feedback")
    assert entry.actor_id is None and entry.actor_username == ""
    summary = selectors.feedback_summary(world.head, world.agency)
    assert summary.shown and summary.count == 1 and summary.average == 2.0 and summary.problems == 1
    assert not selectors.feedback_list(world.head).exists()
    assert not selectors.feedback_list(world.officer_user).exists()
    assert list(selectors.feedback_list(world.supervisor)) == [feedback]
    assert not selectors.feedback_list(world.outside_supervisor).exists()


def test_agency_sees_nothing_but_the_count_below_the_minimum(world, drawn, settings) -> None:
    settings.ZHIFA_INSPECTION_FEEDBACK_MIN_AGGREGATE = 3
    inspection, _ = checked_in(drawn)
    services.feedback_submit(enterprise_user(inspection.party), inspection, rating=5)
    summary = selectors.feedback_summary(world.head, world.agency)
    assert summary.count == 1 and not summary.shown and summary.average is None and summary.by_rating == {}


def test_only_the_inspected_enterprise_rates_and_only_once_after_the_visit(world, drawn) -> None:
    inspection, _code, _ = drawn
    rater = enterprise_user(inspection.party)
    with pytest.raises(RuleViolation):
        services.feedback_submit(rater, inspection, rating=4)  # not visited yet
    checked_in(drawn)
    inspection.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.feedback_submit(
            enterprise_user(next(p for p in world.parties if p.pk != inspection.party_id)),
            inspection,
            rating=1,
        )
    with pytest.raises(PermissionDenied):
        services.feedback_submit(world.officer_user, inspection, rating=5)
    services.feedback_submit(rater, inspection, rating=4)
    with pytest.raises(RuleViolation):
        services.feedback_submit(rater, inspection, rating=5)


def test_feedback_summary_of_an_agency_outside_scope_is_not_found(world) -> None:
    with pytest.raises(NotFound):
        selectors.feedback_summary(world.outside_supervisor, world.agency)
