"""Case-file evaluation: reproducible samples, cross-agency evaluators, scoring rules, typical bad cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.cases.tests.helpers import CaseWorld
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.evaluation import selectors, services
from zhifa.evaluation.models import EvaluationFile, FileStatus, Grade, PlanStatus
from zhifa.evaluation.tests.helpers import closed_case, plan
from zhifa.inspections import draw
from zhifa.org.models import Region, RegionLevel, Role, User
from zhifa.org.tests.factories import UserFactory, grant


def _files(world: CaseWorld, n: int = 4, sample: int = 2):
    for i in range(n):
        closed_case(world, dt.date(2025, 6, 2) + dt.timedelta(days=i))
    p = plan(world, sample=sample)
    return p, services.plan_draw(actor=world.supervisor, plan=p)


def test_the_sample_is_reproducible_from_the_recorded_seed(world: CaseWorld) -> None:
    p, files = _files(world, n=5, sample=2)
    p.refresh_from_db()
    assert p.status == PlanStatus.SAMPLED and len(p.seed) == 64
    pool = services.candidate_pool(p)
    assert draw.pool_hash(pool) == p.pool_hash
    again = services.sample(pool, 2, bytes.fromhex(p.seed))
    assert sorted(int(i) for ids in again.values() for i in ids) == sorted(f.case_id for f in files)
    assert len(files) == 2


def test_an_agency_with_fewer_closed_files_than_the_sample_gives_all_it_has(world: CaseWorld) -> None:
    _, files = _files(world, n=1, sample=3)
    assert len(files) == 1


def test_a_plan_is_drawn_once_and_needs_closed_files(world: CaseWorld) -> None:
    empty = plan(world)
    with pytest.raises(RuleViolation) as exc:
        services.plan_draw(actor=world.supervisor, plan=empty)
    assert exc.value.code == "no_closed_files"
    p, _ = _files(world, n=2)
    with pytest.raises(RuleViolation) as exc:
        services.plan_draw(actor=world.supervisor, plan=p)
    assert exc.value.code == "plan_already_drawn"


def test_an_evaluator_from_the_files_own_agency_is_refused(world: CaseWorld) -> None:
    _, files = _files(world, n=1)
    with pytest.raises(RuleViolation) as exc:
        services.file_assign(actor=world.supervisor, file=files[0], evaluator=world.head)
    assert exc.value.code == "evaluator_same_agency"
    assert EvaluationFile.objects.get(pk=files[0].pk).evaluator_id is None
    services.file_assign(actor=world.supervisor, file=files[0], evaluator=world.outsider)
    assert EvaluationFile.objects.get(pk=files[0].pk).evaluator_id == world.outsider.pk


def _full(file: EvaluationFile) -> dict[int, Decimal]:
    return {i.pk: i.points for i in file.plan.sheet.items.all()}


def test_only_the_assigned_evaluator_scores(world: CaseWorld) -> None:
    _, files = _files(world, n=1)
    file = services.file_assign(actor=world.supervisor, file=files[0], evaluator=world.outsider)
    with pytest.raises(PermissionDenied):
        services.file_score(actor=world.supervisor, file=file, awards=_full(file))
    scored = services.file_score(actor=world.outsider, file=file, awards=_full(file))
    assert scored.total == Decimal("100") and scored.grade == Grade.EXCELLENT


def test_points_outside_an_items_range_or_a_deduction_without_reason_are_refused(world: CaseWorld) -> None:
    _, files = _files(world, n=1)
    file = services.file_assign(actor=world.supervisor, file=files[0], evaluator=world.outsider)
    awards = _full(file)
    first = next(iter(awards))
    for bad in ("-1", "11", "abc", ""):
        with pytest.raises(InvalidInput) as exc:
            services.file_score(actor=world.outsider, file=file, awards={**awards, first: bad})
        assert exc.value.field == f"item_{first}"
    with pytest.raises(InvalidInput) as exc:
        services.file_score(actor=world.outsider, file=file, awards={**awards, first: "5"})
    assert exc.value.code == "deduction_without_reason"
    assert EvaluationFile.objects.get(pk=file.pk).status == FileStatus.PENDING


def test_the_grade_follows_the_plans_pass_mark(world: CaseWorld) -> None:
    _, files = _files(world, n=1)
    file = services.file_assign(actor=world.supervisor, file=files[0], evaluator=world.outsider)
    items = list(file.plan.sheet.items.all())
    awards = {i.pk: Decimal(0) for i in items}
    awards[items[2].pk] = items[2].points  # 20 of 100
    notes = {i.pk: "缺失" for i in items}
    scored = services.file_score(actor=world.outsider, file=file, awards=awards, notes=notes)
    assert scored.total == Decimal("20") and scored.grade == Grade.FAIL
    assert services.grade_for(Decimal("60"), Decimal("60")) == Grade.PASS
    assert services.grade_for(Decimal("59.9"), Decimal("60")) == Grade.FAIL


def test_a_typical_bad_case_opens_a_problem_in_the_supervision_ledger_when_confirmed(
    world: CaseWorld,
) -> None:
    from zhifa.supervision.models import Problem

    _, files = _files(world, n=1)
    file = services.file_assign(actor=world.supervisor, file=files[0], evaluator=world.outsider)
    with pytest.raises(InvalidInput) as exc:  # a bad case needs the opinion
        services.file_score(actor=world.outsider, file=file, awards=_full(file), criteria=["in_ignore"])
    assert exc.value.code == "comment_required"
    file = services.file_score(
        actor=world.outsider,
        file=file,
        awards=_full(file),
        criteria=["mis_procedure"],
        comment="未告知听证权利",
    )
    assert file.is_typical_bad and file.bad_criteria == ["mis_procedure"]
    with pytest.raises(PermissionDenied):
        services.file_confirm(actor=world.outsider, file=file)
    file = services.file_confirm(actor=world.supervisor, file=file)
    problem = Problem.objects.get(pk=file.problem_id)
    assert problem.agency_id == world.agency.pk and problem.source_kind == "evaluation"
    assert problem.source_ref == f"evaluation-file:{file.pk}"
    with pytest.raises(RuleViolation):
        services.file_score(actor=world.outsider, file=file, awards=_full(file))


def test_a_good_file_confirmed_opens_no_problem_and_feeds_the_quality_score(world: CaseWorld) -> None:
    _, files = _files(world, n=1)
    file = services.file_assign(actor=world.supervisor, file=files[0], evaluator=world.outsider)
    file = services.file_score(actor=world.outsider, file=file, awards=_full(file))
    file = services.file_confirm(actor=world.supervisor, file=file)
    assert file.problem_id is None
    assert selectors.average_scores([world.agency.pk], 2025) == {world.agency.pk: Decimal("100.00")}


def test_a_supervisor_outside_the_region_can_neither_plan_nor_see_plans(world: CaseWorld) -> None:
    elsewhere = Region.objects.create(code="890000", name="他省", level=RegionLevel.PROVINCE)
    stranger = UserFactory()
    grant(stranger, Role.SUPERVISOR, region=elsewhere)
    stranger = User.objects.get(pk=stranger.pk)
    with pytest.raises(PermissionDenied):
        plan(world.__class__(**{**world.__dict__, "supervisor": stranger}))
    p, files = _files(world, n=1)
    from zhifa.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.plan_get(stranger, p.pk)
    with pytest.raises(NotFound):
        selectors.file_get(stranger, files[0].pk)
    with pytest.raises(PermissionDenied):
        services.plan_draw(actor=stranger, plan=p)
