"""培训计划报备、备案与 6 月 30 日轮训检查 (seed 004 一、1), and the pre-job exam (seed 004 三、3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.org import services as org_services
from zhifa.org.models import Domain, TrainingKind, TrainingRecord
from zhifa.org.tests.factories import AgencyFactory
from zhifa.personnel import selectors, services
from zhifa.personnel.models import PlanState
from zhifa.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def _plan(world, year=2026):
    return services.plan_submit(
        actor=world.head, agency=world.agency, year=year, content="全员轮训：3 月公共法律知识…"
    )


def test_a_head_files_the_plan_and_the_regions_bureau_accepts_it(sup) -> None:
    plan = _plan(sup.w)
    assert plan.state == PlanState.SUBMITTED
    services.plan_accept(actor=sup.county_sup, plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.ACCEPTED and plan.decided_by == sup.county_sup
    actions = set(LedgerEntry.objects.filter(object_id=str(plan.pk)).values_list("action", flat=True))
    assert {"personnel.plan_submit", "personnel.plan_accept"} <= actions


def test_a_bureau_outside_the_region_and_an_officer_cannot_touch_the_plan(sup) -> None:
    plan = _plan(sup.w)
    with pytest.raises(PermissionDenied):
        services.plan_accept(actor=sup.foreign_sup, plan=plan)
    with pytest.raises(PermissionDenied):
        services.plan_submit(actor=sup.w.officer_user, agency=sup.w.agency, year=2027, content="x")
    with pytest.raises(PermissionDenied):  # a head of another agency
        services.plan_submit(actor=sup.w.outsider, agency=sup.w.agency, year=2027, content="x")
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED


def test_a_returned_plan_may_be_filed_again_but_a_plan_on_file_blocks_a_second(sup) -> None:
    plan = _plan(sup.w)
    with pytest.raises(RuleViolation) as twice:
        _plan(sup.w)
    assert twice.value.code == "plan_exists"
    with pytest.raises(InvalidInput):
        services.plan_return(actor=sup.county_sup, plan=plan, reason=" ")
    services.plan_return(actor=sup.county_sup, plan=plan, reason="学时安排不足")
    with pytest.raises(RuleViolation):
        services.plan_accept(actor=sup.county_sup, plan=plan)
    assert _plan(sup.w).state == PlanState.SUBMITTED


def test_a_plan_below_the_seed_minimum_hours_is_refused(world) -> None:
    with pytest.raises(InvalidInput) as low:
        services.plan_submit(
            actor=world.head, agency=world.agency, year=2026, content="x", public_law_hours=19
        )
    assert low.value.field == "public_law_hours"
    with pytest.raises(InvalidInput):
        services.plan_submit(actor=world.head, agency=world.agency, year=2026, content="x", business_hours=39)


def _train(officer, kind, hours, on):
    TrainingRecord.objects.create(officer=officer, kind=kind, title="轮训", held_on=on, hours=Decimal(hours))


def test_an_officer_short_of_hours_is_flagged_only_after_30_june(sup, fixed_clock) -> None:
    w = sup.w
    services.plan_accept(actor=sup.county_sup, plan=_plan(w, 2026))
    done, short = w.officers[0], w.officers[1]
    _train(done, TrainingKind.PUBLIC_LAW, 20, dt.date(2026, 3, 1))
    _train(done, TrainingKind.BUSINESS, 40, dt.date(2026, 6, 30))
    _train(short, TrainingKind.PUBLIC_LAW, 20, dt.date(2026, 3, 1))
    _train(short, TrainingKind.BUSINESS, 40, dt.date(2026, 7, 1))  # after the day: does not count

    fixed_clock(dt.date(2026, 6, 30))
    before = selectors.training_check(sup.county_sup, 2026)
    row = next(a for a in before.agencies if a.agency == w.agency)
    assert not before.due and not row.flagged and row.short_count == 2  # o3 has nothing yet

    fixed_clock(dt.date(2026, 7, 1))
    after = selectors.training_check(sup.county_sup, 2026)
    row = next(a for a in after.agencies if a.agency == w.agency)
    assert after.due and row.flagged
    assert {r.officer for r in row.officers if r.short} == {short, w.officers[2]}
    assert next(r for r in row.officers if r.officer == done).short is False


def test_an_agency_with_every_officer_trained_and_a_plan_on_file_is_not_flagged(sup, fixed_clock) -> None:
    w = sup.w
    services.plan_accept(actor=sup.county_sup, plan=_plan(w, 2026))
    for officer in w.officers:
        _train(officer, TrainingKind.PUBLIC_LAW, 20, dt.date(2026, 3, 1))
        _train(officer, TrainingKind.BUSINESS, 40, dt.date(2026, 5, 1))
    fixed_clock(dt.date(2026, 7, 2))
    check = selectors.training_check(sup.county_sup, 2026)
    assert not next(a for a in check.agencies if a.agency == w.agency).flagged
    # the other agency has neither a plan nor trained staff… but no officers either: the plan alone flags it
    other = next(a for a in check.agencies if a.agency == w.other_agency)
    assert other.flagged and other.reasons == ["培训计划未备案"]


def test_the_prejob_exam_is_given_by_the_empowering_body_and_then_the_certificate_issues(sup) -> None:
    w = sup.w
    officer = w.officers[0]
    stranger = AgencyFactory(region=w.county)
    with pytest.raises(InvalidInput) as wrong:
        services.prejob_exam_record(
            actor=w.head,
            officer=officer,
            trained_by=stranger,
            training_hours=40,
            exam_on=dt.date(2026, 1, 5),
            score=90,
        )
    assert wrong.value.code == "trainer_not_empowering"
    with pytest.raises(PermissionDenied):
        services.prejob_exam_record(
            actor=w.outsider,
            officer=officer,
            trained_by=w.agency,
            training_hours=40,
            exam_on=dt.date(2026, 1, 5),
            score=90,
        )
    exam = services.prejob_exam_record(
        actor=w.head,
        officer=officer,
        trained_by=w.agency,
        training_hours=40,
        exam_on=dt.date(2026, 1, 5),
        score=90,
    )
    assert exam.passed
    cert = org_services.certificate_issue(
        actor=sup.county_sup,
        officer=officer,
        number="PJ-1",
        issuer="测县人民政府",
        domains=list(Domain.objects.filter(code="market")),
        issued_on=dt.date(2026, 1, 6),
        expires_on=dt.date(2030, 1, 1),
    )
    assert cert.officer == officer
    assert LedgerEntry.objects.filter(action="personnel.prejob_exam", object_id=str(officer.pk)).exists()


def test_a_failed_exam_is_recorded_and_still_gates_the_certificate(sup) -> None:
    w = sup.w
    officer = w.officers[1]
    exam = services.prejob_exam_record(
        actor=w.head,
        officer=officer,
        trained_by=w.agency,
        training_hours=40,
        exam_on=dt.date(2026, 1, 5),
        score=59,
    )
    assert not exam.passed
    with pytest.raises(RuleViolation) as refused:
        org_services.certificate_issue(
            actor=sup.county_sup,
            officer=officer,
            number="PJ-2",
            issuer="测县人民政府",
            domains=list(Domain.objects.filter(code="market")),
            issued_on=dt.date(2026, 1, 6),
            expires_on=dt.date(2030, 1, 1),
        )
    assert refused.value.code == "prejob_exam_missing"
