"""Lists, annual plans and verifiable draws: head-only approval, 31 March lateness, the draw reproducible from
what was published, its refusals and exclusions."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest

from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.inspections import draw, selectors, services
from zhifa.inspections.models import (
    ConflictOfInterest,
    DrawRecord,
    Inspection,
    InspectionOfficer,
    PlanStatus,
    TaskStatus,
)
from zhifa.inspections.tests.conftest import TZ_NOW, at, make_item, make_officer, make_plan, make_random_task
from zhifa.org.models import Role
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.records.models import LedgerEntry, SignedTreeHead

# --- lists -------------------------------------------------------------------------------------------------------


def test_item_without_legal_basis_is_refused(world) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.item_create(
            world.head, agency=world.agency, code="X1", name="无依据", domain_code="market", legal_basis="  "
        )
    assert exc.value.code == "item_without_legal_basis"


def test_item_outside_the_agencys_domains_is_refused(world) -> None:
    with pytest.raises(RuleViolation):
        services.item_create(
            world.head,
            agency=world.agency,
            code="X2",
            name="安全生产",
            domain_code="emergency",
            legal_basis="某法",
        )


def test_item_is_recorded_on_the_ledger(world) -> None:
    item = make_item(world)
    entry = LedgerEntry.objects.get(action="inspection.item.create", object_id=str(item.pk))
    assert json.loads(entry.changes)["legal_basis"].startswith("《中华人民共和国食品安全法》")


def test_inspector_directory_holds_only_officers_who_may_enforce(world) -> None:
    item = make_item(world)
    _, auxiliary = make_officer(world.agency, "辅助人员", is_auxiliary=True)
    _, wrong_domain = make_officer(world.agency, "安监员", "emergency")
    names = {e.officer.name for e in selectors.inspector_directory(world.head, item, on=dt.date(2026, 3, 1))}
    assert {o.name for o in world.officers} <= names
    assert auxiliary.name not in names and wrong_domain.name not in names


# --- plans -------------------------------------------------------------------------------------------------------


def test_plan_is_approved_by_the_agency_head(world) -> None:
    plan, _ = make_plan(world, approve=False)
    services.plan_approve(world.head, plan, now=TZ_NOW)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == world.head


@pytest.mark.parametrize("who", ["unit_head", "officer_user", "other_head", "supervisor"])
def test_plan_approval_by_anyone_but_its_agency_head_is_refused(world, who) -> None:
    plan, _ = make_plan(world, approve=False)
    with pytest.raises(PermissionDenied):
        services.plan_approve(getattr(world, who), plan, now=TZ_NOW)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_plan_is_filed_with_the_judicial_bureau_of_its_region(world) -> None:
    plan, _ = make_plan(world)
    services.plan_file(world.officer_user, plan, now=TZ_NOW)
    assert plan.filed_with == world.bureau


def test_unapproved_plan_cannot_be_filed_nor_published(world) -> None:
    plan, _ = make_plan(world, approve=False)
    with pytest.raises(RuleViolation):
        services.plan_file(world.officer_user, plan)
    with pytest.raises(RuleViolation):
        services.plan_publish(world.officer_user, plan)


@pytest.mark.parametrize(("day", "late"), [(dt.date(2026, 3, 31), False), (dt.date(2026, 4, 1), True)])
def test_plan_published_after_31_march_is_flagged_late(world, day, late) -> None:
    plan, _ = make_plan(world)
    services.plan_file(world.officer_user, plan, now=TZ_NOW)
    services.plan_publish(world.officer_user, plan, now=at(day, 23 if not late else 0))
    assert plan.published_late is late
    assert (plan in selectors.plans_late(world.supervisor, 2026, today=day)) is late


def test_unpublished_plan_is_late_once_31_march_has_passed(world) -> None:
    plan, _ = make_plan(world)
    assert plan not in selectors.plans_late(world.supervisor, 2026, today=dt.date(2026, 3, 31))
    assert plan in selectors.plans_late(world.supervisor, 2026, today=dt.date(2026, 4, 1))
    assert not selectors.plans_late(world.outside_supervisor, 2026, today=dt.date(2026, 4, 1)).exists()


def test_random_task_needs_an_approved_plan(world) -> None:
    _, plan_item = make_plan(world, approve=False)
    with pytest.raises(RuleViolation) as exc:
        make_random_task(world, plan_item)
    assert exc.value.code == "plan_not_approved"


def test_task_needs_at_least_two_inspectors_per_inspection(world) -> None:
    _, plan_item = make_plan(world)
    with pytest.raises(RuleViolation):
        make_random_task(world, plan_item, inspectors_per_inspection=1)


def test_task_publishes_a_commitment_and_keeps_the_secret(world) -> None:
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item)
    assert task.commitment == hashlib.sha256(bytes(task.secret)).hexdigest()
    entry = LedgerEntry.objects.get(action="inspection.task.create", object_id=str(task.pk))
    assert task.commitment in entry.changes and bytes(task.secret).hex() not in entry.changes
    assert entry.seq == task.commitment_seq


# --- draws -------------------------------------------------------------------------------------------------------


def test_draw_reruns_from_its_published_values(world) -> None:
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item)
    record = services.task_draw(world.officer_user, task, now=TZ_NOW)
    published = selectors.draw_published(task.pk)
    head = SignedTreeHead.objects.get(pk=record.head_id)
    # The head covers the commitment, and the seed follows from secret, root and task id.
    assert head.tree_size > task.commitment_seq
    secret = bytes.fromhex(published["secret"])
    assert hashlib.sha256(secret).hexdigest() == published["commitment"] == task.commitment
    seed = hashlib.sha256(secret + bytes(head.root) + str(task.pk).encode("ascii")).digest()
    assert seed.hex() == published["seed"]
    # Each stratum is the rule under its own seed; re-run independently and through draw.rerun.
    for stratum in published["party_strata"]:
        sub = hashlib.sha256(seed + stratum["label"].encode()).digest()
        ranked = sorted(stratum["pool"], key=lambda c: hashlib.sha256(sub + b"\x00" + c.encode()).digest())
        assert ranked[: stratum["k"]] == stratum["selected"]
    assert draw.rerun(json.loads(json.dumps(published, default=str)))
    entry = LedgerEntry.objects.get(seq=record.ledger_seq)
    assert entry.action == "inspection.draw"
    changes = json.loads(entry.changes)
    assert changes["seed"] == published["seed"] and changes["pool_hash"] == published["pool_hash"]
    assert changes["secret"] == published["secret"]


def test_ratio_draw_gives_every_credit_class_its_share(world) -> None:
    _, plan_item = make_plan(world, ratios={"A": "10", "B": "30", "C": "50", "D": "100"})
    task = make_random_task(world, plan_item)
    record = services.task_draw(world.officer_user, task, now=TZ_NOW)
    shares = {s["label"]: (len(s["pool"]), s["k"], len(s["selected"])) for s in record.party_strata}
    # World: A×2, B×4, C×2, D×2 → ceil(10% of 2)=1, ceil(30% of 4)=2, ceil(50% of 2)=1, 100% of 2 = 2.
    assert shares == {"party/A": (2, 1, 1), "party/B": (4, 2, 2), "party/C": (2, 1, 1), "party/D": (2, 2, 2)}
    assert Inspection.objects.filter(task=task).count() == 6
    for inspection in Inspection.objects.filter(task=task):
        assert InspectionOfficer.objects.filter(inspection=inspection).count() == 2
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAWN


def test_draw_tampered_after_publication_fails_the_rerun(world) -> None:
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item, party_count=3)
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    published = json.loads(json.dumps(selectors.draw_published(task.pk), default=str))
    published["party_strata"][0]["selected"][0] = next(
        c for c in published["party_strata"][0]["pool"] if c not in published["party_strata"][0]["selected"]
    )
    with pytest.raises(ValueError, match="does not re-run"):
        draw.rerun(published)


def test_a_task_is_drawn_once(world) -> None:
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item, party_count=2)
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    with pytest.raises(RuleViolation) as exc:
        services.task_draw(world.officer_user, task, now=TZ_NOW)
    assert exc.value.code == "already_drawn"


def test_draw_with_k_larger_than_the_pool_is_refused(world) -> None:
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item, party_count=11)
    with pytest.raises(RuleViolation) as exc:
        services.task_draw(world.officer_user, task, now=TZ_NOW)
    assert exc.value.code == "k_too_large"
    assert not DrawRecord.objects.exists()


def test_draw_with_an_empty_pool_is_refused(world) -> None:
    from zhifa.inspections.models import PartyDomainTag

    PartyDomainTag.objects.all().delete()
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item, party_count=1)
    with pytest.raises(RuleViolation) as exc:
        services.task_draw(world.officer_user, task, now=TZ_NOW)
    assert exc.value.code == "empty_pool"


def test_draw_leaves_out_no_disturb_and_recently_inspected_parties(world) -> None:
    _, plan_item = make_plan(world)
    quiet, recent = world.parties[0], world.parties[1]
    services.no_disturb_add(world.supervisor, quiet, reason="信用 A 类、三年无违法记录")
    Inspection.objects.create(
        agency=world.agency,
        item=plan_item.item,
        party=recent,
        kind="random",
        status="done",
        inspected_day=(dt.date(2026, 1, 5) - dt.date(1970, 1, 1)).days,
        inspected_on=dt.date(2026, 1, 5),
        inspected_year=2026,
    )
    task = make_random_task(world, plan_item, party_count=8)
    record = services.task_draw(world.officer_user, task, now=TZ_NOW)
    pool = {c for s in record.party_strata for c in s["pool"]}
    assert str(quiet.pk) not in pool and str(recent.pk) not in pool
    assert len(pool) == 8
    assert record.exclusions == {"no_disturb": 1, "recently_inspected": 1, "visit_cap": 0}


def test_no_disturb_list_is_kept_by_supervisors_not_officers(world) -> None:
    with pytest.raises(PermissionDenied):
        services.no_disturb_add(world.officer_user, world.parties[0], reason="低风险")


def test_inspectors_with_a_conflict_of_interest_are_not_drawn_for_that_party(world) -> None:
    _, plan_item = make_plan(world, ratios={"A": "100", "B": "0", "C": "0", "D": "0"})
    party = world.parties[0]  # class A
    for officer in world.officers[:2]:
        services.conflict_record(world.head, officer, party, reason="近亲属任该企业股东")
    task = make_random_task(world, plan_item)
    record = services.task_draw(world.officer_user, task, now=TZ_NOW)
    team = next(t for t in record.inspector_strata if t["label"] == f"inspectors/{party.pk}")
    banned = {str(o.pk) for o in world.officers[:2]}
    assert not banned & set(team["pool"]) and not banned & set(team["selected"])
    assert ConflictOfInterest.objects.count() == 2


def test_inspectors_come_from_the_directory_of_qualified_officers(world) -> None:
    _, plan_item = make_plan(world)
    _, auxiliary = make_officer(world.agency, "辅助", is_auxiliary=True)
    _, other = make_officer(world.other_agency, "外局人员")
    task = make_random_task(world, plan_item, party_count=3)
    record = services.task_draw(world.officer_user, task, now=TZ_NOW)
    assert str(auxiliary.pk) not in record.inspector_pool
    assert str(other.pk) not in record.inspector_pool  # another agency only in a joint task
    assert set(record.inspector_pool) >= {str(o.pk) for o in world.officers}


def test_joint_task_draws_inspectors_from_the_joint_agencies_too(world) -> None:
    _, plan_item = make_plan(world)
    _, other = make_officer(world.other_agency, "联合检查人员")
    task = make_random_task(world, plan_item, party_count=3, joint_agency_ids=[world.other_agency.pk])
    record = services.task_draw(world.officer_user, task, now=TZ_NOW)
    assert str(other.pk) in record.inspector_pool


def test_draw_without_enough_qualified_inspectors_is_refused(world) -> None:
    from zhifa.org.models import Officer

    Officer.objects.filter(agency=world.agency).exclude(pk=world.officers[0].pk).update(is_active=False)
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item, party_count=1)
    with pytest.raises(RuleViolation) as exc:
        services.task_draw(world.officer_user, task, now=TZ_NOW)
    assert exc.value.code == "too_few_inspectors"


def test_draw_by_an_agency_outside_scope_is_refused(world) -> None:
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item, party_count=1)
    stranger = UserFactory()
    grant(stranger, Role.OFFICER, agency=world.other_agency)
    with pytest.raises(PermissionDenied):
        services.task_draw(stranger, task, now=TZ_NOW)


def test_industry_strata_when_the_plan_says_so(world) -> None:
    _, plan_item = make_plan(world, stratify_by_industry=True, ratios={k: "100" for k in "ABCD"})
    task = make_random_task(world, plan_item)
    record = services.task_draw(world.officer_user, task, now=TZ_NOW)
    labels = {s["label"] for s in record.party_strata}
    assert "party/B/餐饮" in labels and "party/B/零售" in labels
    assert sum(s["k"] for s in record.party_strata) == 10


def test_ratio_in_plan_must_be_a_percentage(world) -> None:
    item = make_item(world)
    plan = services.plan_create(world.officer_user, agency=world.agency, year=2026, title="比例")
    with pytest.raises(InvalidInput):
        services.plan_item_add(
            world.officer_user, plan, item=item, ratios={"A": Decimal("120"), "B": 1, "C": 1, "D": 1}
        )
