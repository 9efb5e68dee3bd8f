"""Benchmarks, facts, recommendation and deviation control against real cases (rules on both sides)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from zhifa.cases.models import Case, Stage
from zhifa.cases.tests.helpers import CaseWorld, opened
from zhifa.core import flags
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.discretion import services
from zhifa.discretion.logic import TierSpec
from zhifa.discretion.models import Benchmark, CaseFacts, Deviation, Outcome
from zhifa.discretion.selectors import benchmarks_visible, deviation_report
from zhifa.discretion.tests.helpers import benchmark, decide, investigated, notify
from zhifa.org.models import Region, Role
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.records.models import LedgerEntry


@pytest.fixture
def raised() -> list[flags.FlagCandidate]:
    seen: list[flags.FlagCandidate] = []
    listener = flags.listen(seen.append)
    yield seen
    flags._listeners.remove(listener)


# --- benchmarks ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["law_name", "article", "basis_text"])
def test_benchmark_without_legal_basis_is_refused(world: CaseWorld, missing: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        benchmark(world, **{missing: " "})
    assert exc.value.code == "benchmark_basis_missing" and exc.value.field == missing
    assert not Benchmark.objects.exists()


def test_benchmark_with_legal_basis_is_written_with_a_ledger_entry(world: CaseWorld) -> None:
    b = benchmark(world)
    assert b.version == 1 and b.tiers.count() == 3 and b.agency_path == world.agency.path
    assert LedgerEntry.objects.filter(action="discretion.benchmark_create", object_id=str(b.pk)).exists()


def test_tier_min_greater_than_max_is_refused_with_row_and_field(world: CaseWorld) -> None:
    tiers = [TierSpec("一般", 1, fine_min_yuan=D(5000), fine_max_yuan=D(4999))]
    with pytest.raises(InvalidInput) as exc:
        benchmark(world, tiers=tiers)
    assert exc.value.code == "benchmark_tiers_invalid" and exc.value.field == "tiers[0].fine_min_yuan"
    assert not Benchmark.objects.exists()


def test_overlapping_tiers_are_refused(world: CaseWorld) -> None:
    tiers = [
        TierSpec("轻微", 1, gains_max_yuan=D(2000), fine_min_yuan=D(1), fine_max_yuan=D(2)),
        TierSpec("一般", 2, gains_min_yuan=D(1000), fine_min_yuan=D(2), fine_max_yuan=D(3)),
    ]
    with pytest.raises(InvalidInput) as exc:
        benchmark(world, tiers=tiers)
    assert exc.value.details == [
        {"row": 2, "field": "conditions", "message": exc.value.details[0]["message"]}
    ]
    assert "重叠" in exc.value.message


def test_new_version_closes_the_previous_one_and_may_not_start_earlier(world: CaseWorld) -> None:
    v1 = benchmark(world)
    v2 = benchmark(world, effective_from=dt.date(2025, 3, 1))
    v1.refresh_from_db()
    assert (v2.version, v1.effective_to) == (2, dt.date(2025, 2, 28))
    with pytest.raises(RuleViolation) as exc:
        benchmark(world, effective_from=dt.date(2025, 3, 1))
    assert exc.value.code == "benchmark_version_order"
    assert Benchmark.objects.count() == 2


def test_only_head_or_admin_of_the_agency_manages_benchmarks(world: CaseWorld) -> None:
    with pytest.raises(PermissionDenied):
        benchmark(world, actor=world.officer_user)
    with pytest.raises(PermissionDenied):
        benchmark(world, actor=world.outsider)  # head of another agency
    with pytest.raises(PermissionDenied):
        benchmark(world, actor=world.supervisor)
    assert not Benchmark.objects.exists()


def test_region_benchmark_applies_when_the_agency_has_none_and_agency_head_cannot_issue_it(
    world: CaseWorld,
) -> None:
    city = Region.objects.get(code="880100")
    admin = UserFactory()
    grant(admin, Role.ADMIN, region=city)
    with pytest.raises(PermissionDenied):
        benchmark(world, agency=None, region=city)
    benchmark(world, actor=admin, agency=None, region=city)
    case = investigated(world)
    rec = services.recommend(case)
    assert rec.found and rec.tier_name == "一般"
    assert (
        benchmarks_visible(world.officer_user).count() == 1
    )  # the city's benchmark applies to the county agency


def test_benchmarks_of_another_agency_are_not_visible(world: CaseWorld) -> None:
    benchmark(world)
    assert benchmarks_visible(world.head).count() == 1
    assert benchmarks_visible(world.outsider).count() == 0
    assert benchmarks_visible(world.supervisor).count() == 1


# --- facts and recommendation -----------------------------------------------------------------------------------------


def test_facts_are_recorded_with_a_ledger_entry(world: CaseWorld) -> None:
    benchmark(world)
    case = investigated(world, gains="3200", harm_level="minor", circumstances=["cooperative"])
    facts = CaseFacts.objects.get(case=case)
    assert facts.illegal_gains_yuan == D("3200") and facts.circumstances == ["cooperative"]
    assert LedgerEntry.objects.filter(action="discretion.facts_record", object_id=str(case.pk)).count() == 1


def test_officer_of_another_agency_cannot_record_facts(world: CaseWorld) -> None:
    case = opened(world)
    with pytest.raises(PermissionDenied):
        services.facts_record(actor=world.outsider, case=case, illegal_gains_yuan="1")
    assert not CaseFacts.objects.exists()


def test_mitigation_without_statutory_circumstance_is_refused(world: CaseWorld) -> None:
    case = opened(world)
    with pytest.raises(InvalidInput) as exc:
        services.facts_record(
            actor=world.officer_user, case=case, circumstances=["cooperative"], mitigation_applied=True
        )
    assert exc.value.code == "mitigation_without_circumstance"
    services.facts_record(
        actor=world.officer_user, case=case, circumstances=["coerced"], mitigation_applied=True
    )


def test_negative_gains_refused(world: CaseWorld) -> None:
    case = opened(world)
    with pytest.raises(InvalidInput) as exc:
        services.facts_record(actor=world.officer_user, case=case, illegal_gains_yuan="-1")
    assert exc.value.field == "illegal_gains_yuan"


def test_recommendation_uses_version_in_force_at_act_date(world: CaseWorld) -> None:
    benchmark(world)
    heavier = [TierSpec("一律", 1, fine_min_yuan=D(20000), fine_max_yuan=D(50000))]
    benchmark(world, tiers=heavier, effective_from=dt.date(2025, 3, 1))  # after the act (2025-02-21)
    case = investigated(world)
    rec = services.recommend(case, decision_date=dt.date(2025, 3, 24))
    assert rec.version == 1 and rec.tier_name == "一般"


def test_lighter_newer_version_in_force_at_decision_wins(world: CaseWorld) -> None:
    benchmark(world)
    lighter = [TierSpec("一律", 1, fine_min_yuan=D(500), fine_max_yuan=D(2000))]
    benchmark(world, tiers=lighter, effective_from=dt.date(2025, 3, 1))
    case = investigated(world)
    rec = services.recommend(case, decision_date=dt.date(2025, 3, 24))
    assert rec.version == 2 and rec.max_yuan == D(2000)
    assert services.recommend(case, decision_date=dt.date(2025, 2, 28)).version == 1


def test_no_facts_no_recommendation(world: CaseWorld) -> None:
    benchmark(world)
    case = investigated(world, gains=None)
    assert not services.recommend(case).found


# --- deviation control ------------------------------------------------------------------------------------------------


def test_notify_within_range_passes_at_both_bounds(world: CaseWorld) -> None:
    benchmark(world)
    assert notify(world, investigated(world), "3000").stage == Stage.NOTIFIED
    assert notify(world, investigated(world), "13000").stage == Stage.NOTIFIED


@pytest.mark.parametrize("fine", ["2999.99", "13000.01"])
def test_notify_outside_range_without_reason_is_refused(world: CaseWorld, fine: str) -> None:
    benchmark(world)
    case = investigated(world)
    with pytest.raises(RuleViolation) as exc:
        notify(world, case, fine)
    assert exc.value.code == "discretion_deviation_unexplained"
    assert "3,000 元至 13,000 元" in exc.value.message
    assert Case.objects.get(pk=case.pk).stage == Stage.REVIEW


def test_explained_deviation_is_allowed_and_raises_a_supervision_flag(
    world: CaseWorld, raised: list[flags.FlagCandidate]
) -> None:
    benchmark(world)
    case = investigated(world)
    deviation = services.deviation_explain(
        actor=world.officer_user, case=case, reason="当事人系残疾人个体户，经营困难，经集体研究酌情降低罚款。"
    )
    assert [f.kind for f in raised] == ["discretion_deviation"] and raised[0].agency_id == world.agency.pk
    assert "3,000 元至 13,000 元" in deviation.range_text
    assert notify(world, case, "2000").stage == Stage.NOTIFIED
    assert LedgerEntry.objects.filter(action="discretion.deviation_explain", object_id=str(case.pk)).exists()
    from zhifa.discretion.checks import open_deviation_flags

    assert [f.key for f in open_deviation_flags(None)] == [f"case:{case.pk}"]


def test_deviation_reason_must_be_specific(world: CaseWorld) -> None:
    case = opened(world)
    with pytest.raises(InvalidInput):
        services.deviation_explain(actor=world.officer_user, case=case, reason="太重")
    assert not Deviation.objects.exists()


def test_outsider_cannot_explain_deviation(world: CaseWorld) -> None:
    case = opened(world)
    with pytest.raises(PermissionDenied):
        services.deviation_explain(actor=world.outsider, case=case, reason="这是另一机关的理由说明文字")


def test_decide_below_range_is_refused_then_allowed_after_reason_and_reported(world: CaseWorld) -> None:
    benchmark(world)
    case = notify(world, investigated(world), "5000")
    with pytest.raises(RuleViolation) as exc:
        decide(world, case, "2000")
    assert exc.value.code == "discretion_deviation_unexplained"
    services.deviation_explain(
        actor=world.officer_user, case=case, reason="当事人积极退赔消费者损失，酌情降低罚款。"
    )
    case = decide(world, Case.objects.get(pk=case.pk), "2000")
    outcome = Outcome.objects.get(case=case)
    assert outcome.deviated and outcome.tier_name == "一般" and outcome.fine_yuan == D(2000)
    report = deviation_report(agencies=[world.agency], year=2025)
    assert report[0]["deviated"] == 1 and report[0]["explained"] == 1 and report[0]["tiers"] == {"一般": 1}
    assert deviation_report(agencies=[world.other_agency], year=2025) == []
    assert deviation_report(agencies=[world.agency], year=2024) == []


def test_decide_within_range_is_reported_without_deviation(world: CaseWorld) -> None:
    benchmark(world)
    case = decide(world, notify(world, investigated(world), "5000"), "5000")
    assert not Outcome.objects.get(case=case).deviated
    with pytest.raises(RuleViolation) as exc:
        services.facts_record(actor=world.officer_user, case=case, illegal_gains_yuan="1")
    assert exc.value.code == "discretion_case_closed"


def test_case_without_benchmark_is_not_controlled(world: CaseWorld) -> None:
    case = investigated(world)
    assert notify(world, case, "99999").stage == Stage.NOTIFIED


def test_recommendation_costs_a_constant_number_of_queries(
    world: CaseWorld, django_assert_max_num_queries
) -> None:
    benchmark(world)
    benchmark(world, effective_from=dt.date(2025, 3, 1))
    case = Case.objects.select_related("agency__region").get(pk=investigated(world).pk)
    with django_assert_max_num_queries(3):  # facts, versions, their tiers
        assert services.recommend(case).found
