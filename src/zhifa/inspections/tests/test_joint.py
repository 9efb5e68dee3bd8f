"""综合查一次, 结果互认 and 跨部门联合抽查: each rule with its refusal."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest

from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.inspections import codes, draw, selectors, services
from zhifa.inspections.models import (
    Inspection,
    InspectionCheck,
    InspectionItem,
    InspectionStatus,
    InspectionTask,
    InspectionWarning,
    Outcome,
    PartyDomainTag,
    TaskStatus,
    WarningKind,
)
from zhifa.inspections.tests.conftest import TZ_NOW, World, at, make_item, make_officer
from zhifa.inspections.warnings import warnings_full_scan
from zhifa.org.models import Agency, Domain, Officer, Role, User
from zhifa.org.tests.factories import AgencyFactory, UserFactory, grant
from zhifa.records.models import LedgerEntry

DAY = dt.date(2026, 3, 10)
IN_WINDOW = at(DAY)


@dataclass
class Joint:
    w: World
    health: Agency
    health_head: User
    lead_item: InspectionItem
    emergency_item: InspectionItem
    health_item: InspectionItem
    emergency_officers: list[User]
    health_officers: list[User]


@pytest.fixture
def joint(world: World) -> Joint:
    w = world
    health = AgencyFactory(region=w.county, name="检测县卫生健康局")
    health.domains.add(Domain.objects.get(code="health"))
    health_head = UserFactory(full_name="卫健局长")
    grant(health_head, Role.AGENCY_HEAD, agency=health)
    emergency_item = services.item_create(
        w.other_head,
        agency=w.other_agency,
        code="YJ-001",
        name="安全生产检查",
        domain_code="emergency",
        legal_basis="《中华人民共和国安全生产法》第六十五条",
    )
    health_item = services.item_create(
        User.objects.get(pk=health_head.pk),
        agency=health,
        code="WJ-001",
        name="公共场所卫生检查",
        domain_code="health",
        legal_basis="《公共场所卫生管理条例》第十二条",
    )
    emergency = [make_officer(w.other_agency, f"应急员{i}", "emergency")[0] for i in range(2)]
    health_officers = [make_officer(health, f"卫健员{i}", "health")[0] for i in range(2)]
    for p in w.parties:
        for code in ("emergency", "health"):
            PartyDomainTag.objects.create(party=p, domain=Domain.objects.get(code=code))
    return Joint(
        w,
        health,
        User.objects.get(pk=health_head.pk),
        make_item(w),
        emergency_item,
        health_item,
        emergency,
        health_officers,
    )


def _oid(user: User) -> int:
    return Officer.objects.get(user=user).pk


def filed_joint(j: Joint, **kwargs: Any) -> InspectionTask:
    w = j.w
    values: dict[str, Any] = {
        "agency": w.agency,
        "title": "餐饮单位综合查一次",
        "reason": "年度联合检查",
        "starts_on": dt.date(2026, 3, 1),
        "ends_on": dt.date(2026, 3, 31),
        "parts": [
            (w.agency.pk, j.lead_item.pk),
            (w.other_agency.pk, j.emergency_item.pk),
            (j.health.pk, j.health_item.pk),
        ],
        "party": w.parties[2],
        "officer_ids": [w.officers[0].pk],
        "now": TZ_NOW,
    }
    values.update(kwargs)
    return services.joint_task_create(w.officer_user, **values)


def approved_joint(j: Joint) -> tuple[InspectionTask, Inspection]:
    task = filed_joint(j)
    services.joint_task_approve(j.w.head, task, now=TZ_NOW)
    services.joint_task_approve(j.w.other_head, task, officer_ids=[_oid(j.emergency_officers[0])], now=TZ_NOW)
    services.joint_task_approve(j.health_head, task, officer_ids=[_oid(j.health_officers[0])], now=TZ_NOW)
    task.refresh_from_db()
    return task, Inspection.objects.get(task=task)


def checked_in(j: Joint) -> Inspection:
    _, inspection = approved_joint(j)
    services.inspection_check_in(j.w.officer_user, codes.issue_code(inspection), place="现场", now=IN_WINDOW)
    inspection.refresh_from_db()
    return inspection


def check_of(inspection: Inspection, agency: Agency) -> InspectionCheck:
    return inspection.checks.get(agency=agency)


# --- creation and approval --------------------------------------------------------------------------------------


def test_a_filed_joint_task_gives_one_visit_with_a_check_per_item(joint) -> None:
    task = filed_joint(joint)
    inspection = Inspection.objects.get(task=task)
    assert task.status == TaskStatus.FILED
    assert inspection.checks.count() == 3
    assert set(inspection.checks.values_list("agency_id", flat=True)) == {
        joint.w.agency.pk,
        joint.w.other_agency.pk,
        joint.health.pk,
    }
    assert list(inspection.assignments.values_list("officer_id", flat=True)) == [joint.w.officers[0].pk]


def test_a_joint_task_needs_two_agencies_and_the_leads_own_item(joint) -> None:
    w = joint.w
    with pytest.raises(InvalidInput):
        filed_joint(joint, parts=[(w.agency.pk, joint.lead_item.pk)])
    with pytest.raises(InvalidInput):
        filed_joint(
            joint,
            parts=[(w.other_agency.pk, joint.emergency_item.pk), (joint.health.pk, joint.health_item.pk)],
        )
    with pytest.raises(InvalidInput):  # an item named under the wrong agency
        filed_joint(joint, parts=[(w.agency.pk, joint.lead_item.pk), (w.agency.pk, joint.health_item.pk)])
    assert not InspectionTask.objects.exists()


def test_each_agency_head_approves_its_own_part(joint) -> None:
    w = joint.w
    task = filed_joint(joint)
    services.joint_task_approve(w.head, task, now=TZ_NOW)
    with pytest.raises(RuleViolation) as exc:  # the lead head cannot approve for the partners
        services.joint_task_approve(w.head, task, now=TZ_NOW)
    assert exc.value.code == "already_approved"
    with pytest.raises(PermissionDenied):  # an officer is not a head
        services.joint_task_approve(w.officer_user, task, now=TZ_NOW)
    with pytest.raises(RuleViolation):  # the single-task approval refuses a joint task
        services.task_approve(w.head, task, now=TZ_NOW)
    services.joint_task_approve(
        w.other_head, task, officer_ids=[_oid(joint.emergency_officers[0])], now=TZ_NOW
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.FILED
    services.joint_task_approve(
        joint.health_head, task, officer_ids=[_oid(joint.health_officers[0])], now=TZ_NOW
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.APPROVED
    assert Inspection.objects.get(task=task).assignments.count() == 3


def test_a_partner_officer_needs_a_certificate_for_the_items_domain(joint) -> None:
    w = joint.w
    task = filed_joint(joint)
    uncertified, _ = make_officer(w.other_agency, "无证员", "market")  # market, not emergency
    with pytest.raises(RuleViolation) as exc:
        services.joint_task_approve(w.other_head, task, officer_ids=[_oid(uncertified)], now=TZ_NOW)
    assert exc.value.code == "officer_not_qualified"
    with pytest.raises(InvalidInput):  # another agency's officer
        services.joint_task_approve(
            w.other_head, task, officer_ids=[_oid(joint.health_officers[0])], now=TZ_NOW
        )
    assert not task.parts.filter(approved_at__isnull=False).exists()


# --- the visit ----------------------------------------------------------------------------------------------------


def test_one_code_checks_in_the_whole_team_and_each_records_only_their_own(joint) -> None:
    w = joint.w
    inspection = checked_in(joint)
    assert inspection.status == InspectionStatus.CHECKED_IN
    lead, emergency, health = (check_of(inspection, a) for a in (w.agency, w.other_agency, joint.health))
    with pytest.raises(RuleViolation) as exc:  # the emergency officer cannot record the health check
        services.inspection_check_result(
            joint.emergency_officers[0], health, outcome=Outcome.PASS, findings="无问题", now=IN_WINDOW
        )
    assert exc.value.code == "not_own_check"
    with pytest.raises(RuleViolation):  # an emergency officer not on the visit
        services.inspection_check_result(
            joint.emergency_officers[1], emergency, outcome=Outcome.PASS, findings="无问题", now=IN_WINDOW
        )
    services.inspection_check_result(
        w.officer_user, lead, outcome=Outcome.PASS, findings="证照齐全", now=IN_WINDOW
    )
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CHECKED_IN and inspection.outcome == Outcome.PASS
    services.inspection_check_result(
        joint.emergency_officers[0],
        emergency,
        outcome=Outcome.RECTIFY,
        findings="灭火器过期",
        rectify_deadline=DAY + dt.timedelta(days=15),
        now=IN_WINDOW,
    )
    services.inspection_check_result(
        joint.health_officers[0], health, outcome=Outcome.CASE, findings="无卫生许可证", now=IN_WINDOW
    )
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.DONE
    health.refresh_from_db()
    source = LedgerEntry.objects.get(seq=health.case_source_seq)
    assert json.loads(source.changes)["agency"] == joint.health.pk
    assert inspection.case_source_seq is None  # the lead's check passed: no case source for the lead agency
    with pytest.raises(RuleViolation):  # one result per check
        services.inspection_check_result(
            joint.health_officers[0], health, outcome=Outcome.PASS, findings="x", now=IN_WINDOW
        )
    # 责令整改 per check: the emergency officer finds the re-check on their list and re-checks their own item
    assert (
        selectors.officer_open_inspections(joint.emergency_officers[0], on=DAY)
        .filter(pk=inspection.pk)
        .exists()
    )
    assert (
        not selectors.officer_open_inspections(joint.health_officers[0], on=DAY)
        .filter(pk=inspection.pk)
        .exists()
    )
    services.inspection_check_recheck(joint.emergency_officers[0], emergency, passed=True, findings="已更换")
    emergency.refresh_from_db()
    assert emergency.recheck_passed is True


def test_the_partner_officer_sees_the_visit_and_the_task(joint) -> None:
    inspection = checked_in(joint)
    user = joint.health_officers[0]
    assert selectors.inspections(user).filter(pk=inspection.pk).exists()
    assert selectors.tasks(user).filter(pk=inspection.task_id).exists()
    assert selectors.officer_open_inspections(user, on=DAY).filter(pk=inspection.pk).exists()
    outsider, _ = make_officer(AgencyFactory(region=joint.w.county), "旁人", "market")
    assert not selectors.inspections(outsider).filter(pk=inspection.pk).exists()


def test_the_single_item_flow_still_mirrors_on_the_lead_check(joint) -> None:
    inspection = checked_in(joint)
    services.inspection_result(
        joint.w.officer_user, inspection, outcome=Outcome.PASS, findings="合格", now=IN_WINDOW
    )
    inspection.refresh_from_db()
    assert inspection.outcome == Outcome.PASS and inspection.status == InspectionStatus.CHECKED_IN
    assert check_of(inspection, joint.w.agency).outcome == Outcome.PASS


def test_a_joint_visit_counts_once_for_the_warnings(joint, settings) -> None:
    """Three agencies on one visit: no 多头 against itself, one visit in the high-frequency count."""
    settings.ZHIFA_INSPECTION_MAX_PER_PERIOD_B = 1
    inspection = checked_in(joint)
    assert not InspectionWarning.objects.filter(inspection=inspection).exists()
    warnings_full_scan(now=IN_WINDOW)
    assert not InspectionWarning.objects.filter(
        inspection=inspection, kind__in=[WarningKind.MULTI_AGENCY, WarningKind.HIGH_FREQUENCY]
    ).exists()


# --- 结果互认 ------------------------------------------------------------------------------------------------------


def _recorded(joint) -> Inspection:
    inspection = checked_in(joint)
    services.inspection_check_result(
        joint.emergency_officers[0],
        check_of(inspection, joint.w.other_agency),
        outcome=Outcome.PASS,
        findings="安全生产合格",
        now=IN_WINDOW,
    )
    return inspection


def test_a_recorded_check_is_recognised_for_an_equivalent_item_within_the_period(joint) -> None:
    w = joint.w
    inspection = _recorded(joint)
    fire_item = services.item_create(
        joint.health_head,
        agency=joint.health,
        code="WJ-002",
        name="消防安全协查",
        domain_code="health",
        legal_basis="《公共场所卫生管理条例》第十四条",
    )
    with pytest.raises(RuleViolation) as exc:  # not declared equivalent yet
        services.check_recognise(
            joint.health_head, item=fire_item, party=inspection.party, now=at(DAY + dt.timedelta(days=5))
        )
    assert exc.value.code == "nothing_to_recognise"
    with pytest.raises(PermissionDenied):  # only the supervisor keeps the equivalences
        services.item_equivalence_add(w.head, item_a=fire_item, item_b=joint.emergency_item)
    services.item_equivalence_add(w.supervisor, item_a=fire_item, item_b=joint.emergency_item)
    check = services.check_recognise(
        joint.health_head, item=fire_item, party=inspection.party, now=at(DAY + dt.timedelta(days=5))
    )
    assert check.recognised_from == check_of(inspection, w.other_agency)
    assert check.inspection == inspection and check.outcome == Outcome.PASS
    assert Inspection.objects.filter(party=inspection.party).count() == 1  # no new visit


def test_recognition_outside_the_period_is_refused(joint, settings) -> None:
    settings.ZHIFA_INSPECTION_RECOGNITION_DAYS = 30
    inspection = _recorded(joint)
    other = AgencyFactory(region=joint.w.county, name="检测县消防救援大队")
    same_domain_item = InspectionItem.objects.create(
        agency=other, code="XF-1", name="安全生产检查", domain=joint.emergency_item.domain, legal_basis="某法"
    )
    services.item_equivalence_add(joint.w.supervisor, item_a=same_domain_item, item_b=joint.emergency_item)
    head = UserFactory()
    grant(head, Role.AGENCY_HEAD, agency=other)
    head = User.objects.get(pk=head.pk)
    assert services.recognisable_check(inspection.party_id, same_domain_item, DAY + dt.timedelta(days=30))
    with pytest.raises(RuleViolation):
        services.check_recognise(
            head, item=same_domain_item, party=inspection.party, now=at(DAY + dt.timedelta(days=31))
        )


# --- 跨部门联合抽查 ----------------------------------------------------------------------------------------------


def random_joint(j: Joint) -> InspectionTask:
    w = j.w
    task = services.joint_task_create(
        w.officer_user,
        agency=w.agency,
        title="餐饮业跨部门联合抽查",
        reason="年度联合抽查",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),
        parts=[
            (w.agency.pk, j.lead_item.pk),
            (w.other_agency.pk, j.emergency_item.pk),
            (j.health.pk, j.health_item.pk),
        ],
        industries="餐饮",
        party_count=2,
        inspectors_per_agency=1,
        now=TZ_NOW,
    )
    for head in (w.head, w.other_head, j.health_head):
        services.joint_task_approve(head, task, now=TZ_NOW)
    task.refresh_from_db()
    return task


def test_a_joint_draw_gives_joint_visits_and_reruns(joint) -> None:
    task = random_joint(joint)
    assert task.status == TaskStatus.APPROVED and task.commitment
    record = services.task_draw(joint.w.officer_user, task, now=TZ_NOW)
    visits = list(Inspection.objects.filter(task=task))
    assert len(visits) == 2
    for v in visits:
        assert v.party.industry == "餐饮"
        assert v.checks.count() == 3
        agencies = {a.officer.agency_id for a in v.assignments.select_related("officer")}
        assert agencies == {joint.w.agency.pk, joint.w.other_agency.pk, joint.health.pk}
    published = selectors.draw_published(task.pk)
    rerun = draw.rerun(published)
    assert len([k for k in rerun if k.startswith("inspectors/")]) == 6
    assert record.pool_size == 5  # the 餐饮 parties
    view = selectors.draw_view(task.pk)  # the public page names each agency's team of each party
    drawn = {str(v.party_id) for v in visits}
    assert {t.target for t in view.teams} == drawn
    assert sum("检测县卫生健康局" in t.title for t in view.teams) == 2


def test_a_joint_draw_waits_for_every_approval(joint) -> None:
    w = joint.w
    task = services.joint_task_create(
        w.officer_user,
        agency=w.agency,
        title="联合抽查",
        reason="年度联合抽查",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),
        parts=[(w.agency.pk, joint.lead_item.pk), (w.other_agency.pk, joint.emergency_item.pk)],
        industries="餐饮",
        party_count=1,
        now=TZ_NOW,
    )
    services.joint_task_approve(w.head, task, now=TZ_NOW)
    with pytest.raises(RuleViolation) as exc:
        services.task_draw(w.officer_user, task, now=TZ_NOW)
    assert exc.value.code == "already_drawn" or "抽取" in exc.value.message
    with pytest.raises(InvalidInput):  # no industry
        services.joint_task_create(
            w.officer_user,
            agency=w.agency,
            title="联合抽查",
            reason="x",
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2026, 3, 31),
            parts=[(w.agency.pk, joint.lead_item.pk), (w.other_agency.pk, joint.emergency_item.pk)],
            party_count=1,
            now=TZ_NOW,
        )


def test_a_new_joint_visit_recognises_a_partners_recent_result_instead_of_checking_again(joint) -> None:
    w = joint.w
    earlier = filed_joint(
        joint, parts=[(w.agency.pk, joint.lead_item.pk), (w.other_agency.pk, joint.emergency_item.pk)]
    )
    services.joint_task_approve(w.head, earlier, now=TZ_NOW)
    services.joint_task_approve(
        w.other_head, earlier, officer_ids=[_oid(joint.emergency_officers[0])], now=TZ_NOW
    )
    first = Inspection.objects.get(task=earlier)
    services.inspection_check_in(w.officer_user, codes.issue_code(first), place="现场", now=IN_WINDOW)
    services.inspection_check_result(
        joint.emergency_officers[0],
        check_of(first, w.other_agency),
        outcome=Outcome.PASS,
        findings="合格",
        now=IN_WINDOW,
    )
    services.item_equivalence_add(w.supervisor, item_a=joint.health_item, item_b=joint.emergency_item)
    task = filed_joint(
        joint,
        title="再次联合检查",
        parts=[(w.agency.pk, joint.lead_item.pk), (joint.health.pk, joint.health_item.pk)],
        now=at(DAY + dt.timedelta(days=3)),
    )
    second = Inspection.objects.get(task=task)
    assert list(second.checks.values_list("agency_id", flat=True)) == [w.agency.pk]
    assert not task.parts.filter(agency=joint.health).exists()
    recognised = first.checks.get(recognised_from__isnull=False)
    assert recognised.agency == joint.health and recognised.outcome == Outcome.PASS
    assert recognised.recognised_from == check_of(first, w.other_agency)
