"""年度检查上限, triggered inspections, 无事不扰 and 非现场检查: each guard on both sides.

* A routine filing beyond a cap of the party's place is refused (``visit_cap_reached``); a complaint, referral
  or lead passes and records its trigger; a place without caps inherits its parent's.
* A joint visit counts once for the enterprise and once for each agency taking part.
* The draw leaves capped parties out and records how many (``DrawRecord.exclusions["visit_cap"]``).
* 无事不扰: a routine filing is refused, a triggered one passes; the draw leaves the party out.
* 非现场检查: recorded with its evidence and no check-in; it is no visit (caps, warnings) but checks the item.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.evidence import services as evidence_services
from zhifa.evidence.uploads import hashed_upload_from
from zhifa.inspections import services
from zhifa.inspections.models import (
    Inspection,
    InspectionCheck,
    InspectionMode,
    InspectionStatus,
    InspectionWarning,
    Outcome,
    TaskKind,
    TriggerKind,
    VisitCap,
)
from zhifa.inspections.tests.conftest import TZ_NOW, at, make_item, make_plan, make_random_task
from zhifa.inspections.warnings import day_number, warnings_for_inspection, warnings_full_scan
from zhifa.records.models import LedgerEntry

DAY = dt.date(2026, 3, 2)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 512


@pytest.fixture(autouse=True)
def clock_on_day() -> Any:
    """The project's clock at noon of ``DAY`` (the remote checks and validities read it)."""
    with clock.set_during(at(DAY, 12)):
        yield


def visit(world, party, agency, item, day: dt.date, *, mode: str = InspectionMode.ONSITE) -> Inspection:
    inspection = Inspection.objects.create(
        agency=agency,
        item=item,
        party=party,
        kind="special",
        mode=mode,
        status=InspectionStatus.DONE,
        filed_at=at(day) - dt.timedelta(days=1),
        entered_at=at(day) if mode == InspectionMode.ONSITE else None,
        inspected_on=day,
        inspected_day=day_number(day),
        inspected_year=day.year,
    )
    InspectionCheck.objects.create(inspection=inspection, agency=agency, item=item)
    return inspection


def file(world, item, party, **kwargs):
    values = {
        "agency": world.agency,
        "item": item,
        "kind": TaskKind.SPECIAL,
        "party": party,
        "officer_ids": [o.pk for o in world.officers[:2]],
        "title": "专项检查",
        "reason": "食品安全专项整治",
        "starts_on": DAY,
        "ends_on": DAY + dt.timedelta(days=5),
        "now": at(DAY - dt.timedelta(days=1)),
    }
    values.update(kwargs)
    return services.task_file(world.officer_user, **values)


@pytest.fixture
def capped(world):
    """The county caps 2 visits per agency and 3 per enterprise in 2026; party 0 had two visits of the agency."""
    services.visit_cap_set(world.supervisor, world.county, year=2026, per_agency=2, per_enterprise=3)
    item = make_item(world)
    party = world.parties[0]
    for day in (dt.date(2026, 1, 10), dt.date(2026, 2, 10)):
        visit(world, party, world.agency, item, day)
    return item, party


# --- the caps ------------------------------------------------------------------------------------------------------


def test_a_routine_filing_beyond_the_agency_cap_is_refused_and_writes_nothing(world, capped) -> None:
    item, party = capped
    tasks_before = Inspection.objects.count()
    with pytest.raises(RuleViolation) as exc:
        file(world, item, party)
    assert exc.value.code == "visit_cap_reached" and "每年不超过 2 次" in exc.value.message
    assert Inspection.objects.count() == tasks_before


def test_a_routine_filing_under_the_cap_passes(world, capped) -> None:
    item, _ = capped
    task = file(world, item, world.parties[1])
    assert task.trigger_kind == TriggerKind.NONE


@pytest.mark.parametrize(
    ("kind", "trigger", "ref", "expected"),
    [
        (TaskKind.COMPLAINT, "", "12345-0301", TriggerKind.COMPLAINT),
        (TaskKind.REFERRAL, "", "", TriggerKind.REFERRAL),
        (TaskKind.SPECIAL, TriggerKind.LEAD, "案件 2026-017 发现的线索", TriggerKind.LEAD),
    ],
)
def test_a_triggered_inspection_passes_beyond_the_cap_and_records_its_trigger(
    world, capped, kind, trigger, ref, expected
) -> None:
    item, party = capped
    task = file(world, item, party, kind=kind, trigger_kind=trigger, trigger_ref=ref)
    inspection = Inspection.objects.get(task=task)
    assert (task.trigger_kind, inspection.trigger_kind) == (expected, expected)
    assert inspection.trigger_ref == ref
    entry = LedgerEntry.objects.get(action="inspection.task.file", object_id=str(task.pk))
    changes = json.loads(entry.changes)
    assert changes["trigger_kind"] == expected and changes["trigger_ref"] == ref


def test_a_lead_names_its_source(world, capped) -> None:
    item, party = capped
    with pytest.raises(InvalidInput) as exc:
        file(world, item, party, trigger_kind=TriggerKind.LEAD, trigger_ref=" ")
    assert exc.value.field == "trigger_ref"


def test_the_enterprise_cap_counts_all_agencies(world, capped) -> None:
    _, party = capped
    other_item = make_item(world, agency=world.other_agency)
    visit(world, party, world.other_agency, other_item, dt.date(2026, 2, 20))  # 3 visits: the enterprise cap
    with pytest.raises(RuleViolation) as exc:
        services.visit_cap_check(world.other_agency, party, DAY)
    assert exc.value.code == "visit_cap_reached" and "同一企业每年不超过 3 次" in exc.value.message
    count = services.visit_cap_check(world.other_agency, party, DAY, trigger=TriggerKind.COMPLAINT)
    assert (count.total, count.by_agency) == (3, 1)


def test_caps_count_a_calendar_year_and_planned_visits(world, capped) -> None:
    item, party = capped
    assert services.visit_cap_check(world.agency, party, dt.date(2027, 1, 5)).by_agency == 0
    other = world.parties[2]
    file(world, item, other)
    file(world, item, other, starts_on=DAY + dt.timedelta(days=30), ends_on=DAY + dt.timedelta(days=31))
    with pytest.raises(RuleViolation):  # two planned visits already
        file(world, item, other, starts_on=DAY + dt.timedelta(days=60), ends_on=DAY + dt.timedelta(days=61))


def test_a_joint_visit_counts_once_for_the_enterprise_and_once_for_each_agency(world) -> None:
    services.visit_cap_set(world.supervisor, world.county, year=2026, per_agency=1, per_enterprise=2)
    item, other_item = make_item(world), make_item(world, agency=world.other_agency)
    party = world.parties[3]
    joint = visit(world, party, world.agency, item, dt.date(2026, 1, 10))
    InspectionCheck.objects.create(inspection=joint, agency=world.other_agency, item=other_item)
    count = services.visit_count(world.agency, party, DAY)
    assert (count.total, count.by_agency) == (1, 1)
    assert services.visit_count(world.other_agency, party, DAY).by_agency == 1
    for agency in (world.agency, world.other_agency):
        with pytest.raises(RuleViolation):  # each agency took part once: at its cap of 1
            services.visit_cap_check(agency, party, DAY)


def test_a_place_without_caps_inherits_its_parents_and_its_own_row_wins(world) -> None:
    city = world.county.parent
    VisitCap.objects.create(region=city, year=2026, per_agency=1, per_enterprise=1)  # the city's bureau
    caps = services.caps_for(world.parties[0].region_path, 2026)
    assert (caps.per_agency, caps.region) == (1, city)
    services.visit_cap_set(world.supervisor, world.county, year=2026, per_agency=2, per_enterprise=4)
    caps = services.caps_for(world.parties[0].region_path, 2026)
    assert (caps.per_agency, caps.per_enterprise, caps.region) == (2, 4, world.county)
    assert services.caps_for(world.parties[0].region_path, 2025).per_agency is None  # no default set


def test_without_any_cap_nothing_is_refused_and_the_setting_gives_a_default(world, settings) -> None:
    item = make_item(world)
    party = world.parties[0]
    for day in (dt.date(2026, 1, 10), dt.date(2026, 2, 10), dt.date(2026, 2, 20)):
        visit(world, party, world.agency, item, day)
    assert services.visit_cap_check(world.agency, party, DAY).by_agency == 3
    settings.ZHIFA_INSPECTION_VISIT_CAP_PER_AGENCY = 3
    with pytest.raises(RuleViolation):
        services.visit_cap_check(world.agency, party, DAY)


def test_caps_are_set_by_the_judicial_bureau_of_the_place_only(world) -> None:
    with pytest.raises(PermissionDenied):
        services.visit_cap_set(world.officer_user, world.county, year=2026, per_agency=2, per_enterprise=2)
    with pytest.raises(PermissionDenied):
        services.visit_cap_set(
            world.outside_supervisor, world.county, year=2026, per_agency=2, per_enterprise=2
        )
    with pytest.raises(InvalidInput):
        services.visit_cap_set(world.supervisor, world.county, year=2026, per_agency=3, per_enterprise=2)
    cap = services.visit_cap_set(world.supervisor, world.county, year=2026, per_agency=2, per_enterprise=2)
    again = services.visit_cap_set(world.supervisor, world.county, year=2026, per_agency=1, per_enterprise=2)
    assert again.pk == cap.pk and again.per_agency == 1
    assert LedgerEntry.objects.filter(action="inspection.visit_cap.set").count() == 2


def test_the_draw_leaves_capped_parties_out_and_counts_them(world) -> None:
    _, plan_item = make_plan(world)
    services.visit_cap_set(world.supervisor, world.county, year=2026, per_agency=1, per_enterprise=5)
    other = make_item(world)
    visit(world, world.parties[4], world.agency, other, dt.date(2026, 1, 10))  # the agency's one visit
    visit(world, world.parties[5], world.other_agency, other, dt.date(2026, 1, 10))  # another agency's
    task = make_random_task(world, plan_item, party_count=9)
    record = services.task_draw(world.officer_user, task, now=TZ_NOW)
    pool = {c for s in record.party_strata for c in s["pool"]}
    assert str(world.parties[4].pk) not in pool and str(world.parties[5].pk) in pool
    assert record.exclusions == {"no_disturb": 0, "recently_inspected": 0, "visit_cap": 1}


# --- 无事不扰 ------------------------------------------------------------------------------------------------------


def test_no_disturb_refuses_a_routine_filing_and_lets_a_complaint_pass(world) -> None:
    item, party = make_item(world), world.parties[6]
    services.no_disturb_add(world.supervisor, party, reason="信用 A 类、三年无违法记录")
    with pytest.raises(RuleViolation) as exc:
        file(world, item, party)
    assert exc.value.code == "no_disturb" and "无事不扰" in exc.value.message
    task = file(world, item, party, kind=TaskKind.COMPLAINT, trigger_ref="12345-0302")
    assert task.trigger_kind == TriggerKind.COMPLAINT


def test_no_disturb_ends_with_its_validity_and_with_removal(world) -> None:
    item, party = make_item(world), world.parties[7]
    services.no_disturb_add(world.supervisor, party, reason="低风险", until=DAY + dt.timedelta(days=30))
    with pytest.raises(RuleViolation):
        file(world, item, party)
    file(world, item, party, starts_on=DAY + dt.timedelta(days=31), ends_on=DAY + dt.timedelta(days=32))
    services.no_disturb_remove(world.supervisor, party, reason="发生违法行为")
    file(world, item, party)
    entry = LedgerEntry.objects.get(action="inspection.no_disturb.remove")
    assert json.loads(entry.changes) == {"reason": "发生违法行为"}
    with pytest.raises(RuleViolation):
        services.no_disturb_remove(world.supervisor, party, reason="再次移出")


def test_no_disturb_validity_cannot_lie_in_the_past(world) -> None:
    with pytest.raises(InvalidInput):
        services.no_disturb_add(
            world.supervisor, world.parties[0], reason="低风险", until=dt.date(2020, 1, 1)
        )


# --- 非现场检查 ----------------------------------------------------------------------------------------------------


@pytest.fixture
def planned(world):
    """A planned, approved filed inspection of party 8 with its two officers."""
    item = make_item(world)
    task = file(world, item, world.parties[8])
    services.task_approve(world.head, task)
    return Inspection.objects.get(task=task)


def attach(user, inspection: Inspection) -> None:
    evidence_services.evidence_store(
        actor=user,
        upload=hashed_upload_from(io.BytesIO(PDF + str(inspection.pk).encode()), "台账材料.pdf"),
        kind="document",
        object_type="inspections.inspection",
        object_id=str(inspection.pk),
        stage="investigation",
    )


def test_a_remote_check_with_its_evidence_is_recorded_without_a_visit(world, planned) -> None:
    attach(world.officer_user, planned)
    done = services.inspection_remote_record(
        world.officer_user,
        planned,
        method="documents",
        outcome=Outcome.PASS,
        findings="经审查进货查验记录和许可证，符合要求。",
        at=at(DAY, 15),
        now=at(DAY, 16),
    )
    assert (done.mode, done.remote_method, done.status) == (InspectionMode.REMOTE, "documents", "done")
    assert done.entered_at is None and done.inspected_on == DAY
    check = done.checks.get()
    assert check.outcome == Outcome.PASS  # the item is checked: it counts for the plan
    assert LedgerEntry.objects.filter(action="inspection.remote_record", object_id=str(done.pk)).exists()
    assert services.visit_count(world.agency, world.parties[8], DAY).total == 0  # no visit


def test_a_remote_check_without_evidence_or_by_someone_else_is_refused(world, planned) -> None:
    with pytest.raises(RuleViolation) as exc:
        services.inspection_remote_record(
            world.officer_user,
            planned,
            method="video",
            outcome=Outcome.PASS,
            findings="视频查看",
            now=at(DAY),
        )
    assert exc.value.code == "remote_without_evidence"
    attach(world.officer_user, planned)
    with pytest.raises(RuleViolation) as exc:  # not on the inspection
        services.inspection_remote_record(
            world.officer_users[3],
            planned,
            method="video",
            outcome=Outcome.PASS,
            findings="视频",
            now=at(DAY),
        )
    assert exc.value.code == "officer_not_on_task"
    with pytest.raises(InvalidInput):
        services.inspection_remote_record(
            world.officer_user, planned, method="telepathy", outcome=Outcome.PASS, findings="x", now=at(DAY)
        )
    planned.refresh_from_db()
    assert (planned.status, planned.mode) == (InspectionStatus.PLANNED, InspectionMode.ONSITE)


def test_a_remote_check_outside_the_task_period_or_after_check_in_is_refused(world, planned) -> None:
    attach(world.officer_user, planned)
    with pytest.raises(RuleViolation) as exc:
        services.inspection_remote_record(
            world.officer_user,
            planned,
            method="video",
            outcome=Outcome.PASS,
            findings="视频",
            now=at(DAY + dt.timedelta(days=20)),
        )
    assert exc.value.code == "outside_task_period"
    Inspection.objects.filter(pk=planned.pk).update(status=InspectionStatus.CHECKED_IN)
    with pytest.raises(RuleViolation) as exc:
        services.inspection_remote_record(
            world.officer_user, planned, method="video", outcome=Outcome.PASS, findings="视频", now=at(DAY)
        )
    assert exc.value.code == "already_checked_in"


def test_remote_checks_raise_no_visit_warnings_and_the_full_scan_agrees(world, settings) -> None:
    settings.ZHIFA_INSPECTION_MAX_PER_PERIOD_A = 1
    item, other_item = make_item(world), make_item(world, agency=world.other_agency)
    party = world.parties[0]  # credit class A: one visit a period
    first = visit(world, party, world.agency, item, dt.date(2026, 1, 10))
    remote = [
        visit(world, party, agency, it, dt.date(2026, 1, 12 + n), mode=InspectionMode.REMOTE)
        for n, (agency, it) in enumerate([(world.agency, item), (world.other_agency, other_item)] * 2)
    ]
    for inspection in [first, *remote]:
        warnings_for_inspection(inspection, now=at(dt.date(2026, 2, 1)))
    assert not InspectionWarning.objects.exists()  # 重复, 高频, 多头: remote checks are no visits
    onsite = visit(world, party, world.other_agency, other_item, dt.date(2026, 1, 20))
    warnings_for_inspection(onsite, now=at(dt.date(2026, 2, 1)))
    incremental = set(InspectionWarning.objects.values_list("kind", "basis", "inspection_id", "count"))
    assert ("multi_agency", "", onsite.pk, 2) in incremental
    assert ("high_frequency", "credit_class", onsite.pk, 2) in incremental
    InspectionWarning.objects.all().delete()
    warnings_full_scan(now=at(dt.date(2026, 2, 1)))
    assert (
        set(InspectionWarning.objects.values_list("kind", "basis", "inspection_id", "count")) == incremental
    )


# --- API ---------------------------------------------------------------------------------------------------------

API = "/api/inspections"


def api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, body: dict) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def test_api_sets_caps_in_scope_only_and_reads_the_count(world, capped) -> None:
    _, party = capped
    body = {"region_id": world.county.pk, "year": 2026, "per_agency": 1, "per_enterprise": 3}
    assert post(api(world.officer_user), "/visit-caps", body).status_code == 404
    assert post(api(world.outside_supervisor), "/visit-caps", body).status_code == 404
    response = post(api(world.supervisor), "/visit-caps", body)
    assert response.status_code == 200 and response.json()["per_agency"] == 1
    assert post(api(world.supervisor), "/visit-caps", {**body, "per_agency": 0}).status_code == 422
    count = api(world.officer_user).get(
        f"{API}/visit-count", {"agency_id": world.agency.pk, "party_id": party.pk, "on": "2026-03-02"}
    )
    assert count.status_code == 200
    expected = {"by_agency": 2, "per_agency_cap": 1, "agency_reached": True, "no_disturb": False}
    assert expected.items() <= count.json().items()


def test_api_filing_beyond_the_cap_is_refused_and_a_referral_passes(world, capped) -> None:
    item, party = capped
    body = {
        "agency_id": world.agency.pk,
        "item_id": item.pk,
        "kind": "special",
        "party_id": party.pk,
        "officer_ids": [o.pk for o in world.officers[:2]],
        "title": "专项检查",
        "reason": "专项整治",
        "starts_on": "2026-03-02",
        "ends_on": "2026-03-05",
    }
    refused = post(api(world.officer_user), "/tasks/filed", body)
    assert refused.status_code == 409 and refused.json()["code"] == "visit_cap_reached"
    passed = post(
        api(world.officer_user), "/tasks/filed", {**body, "kind": "referral", "trigger_ref": "移送函 7 号"}
    )
    assert passed.status_code == 201
    assert (passed.json()["trigger_kind"], passed.json()["trigger_ref"]) == ("referral", "移送函 7 号")


def test_api_remote_check_needs_its_evidence(world, planned) -> None:
    body = {"method": "video", "outcome": "pass", "findings": "视频检查，未见问题。"}
    client = api(world.officer_user)
    refused = post(client, f"/inspections/{planned.pk}/remote", body)
    assert refused.status_code == 409 and refused.json()["code"] == "remote_without_evidence"
    attach(world.officer_user, planned)
    done = post(client, f"/inspections/{planned.pk}/remote", body)
    assert done.status_code == 200
    assert (done.json()["mode"], done.json()["remote_method"], done.json()["status"]) == (
        "remote",
        "video",
        "done",
    )


def test_api_no_disturb_list_and_removal(world) -> None:
    party = world.parties[4]
    client = api(world.supervisor)
    assert post(client, "/no-disturb", {"party_id": party.pk, "reason": "低风险"}).status_code == 200
    listed = client.get(f"{API}/no-disturb").json()["items"]
    assert [e["party_id"] for e in listed] == [party.pk]
    assert (
        post(api(world.officer_user), f"/parties/{party.pk}/no-disturb-removal", {"reason": "x"}).status_code
        == 403
    )
    assert post(client, f"/parties/{party.pk}/no-disturb-removal", {"reason": "信用降级"}).status_code == 200
    assert client.get(f"{API}/no-disturb").json()["items"] == []


# --- pages -------------------------------------------------------------------------------------------------------


def test_pages_set_caps_list_no_disturb_file_and_record_remote(world, planned) -> None:
    supervisor, officer = api(world.supervisor), api(world.officer_user)
    caps = reverse("inspections:visit_caps")
    assert officer.get(caps).status_code == 403
    response = supervisor.post(
        caps, {"region": world.county.pk, "year": 2026, "per_agency": 1, "per_enterprise": 2, "basis": ""}
    )
    assert response.status_code == 302 and VisitCap.objects.get().per_agency == 1
    assert "每年不超过 1 次" in supervisor.get(caps).content.decode()

    party = world.parties[5]
    nd = reverse("inspections:no_disturb")
    refused = supervisor.post(nd, {"party_code": "不存在的企业", "reason": "低风险"})
    assert refused.status_code == 422 and "统一社会信用代码或完整名称" in refused.content.decode()
    assert supervisor.post(nd, {"party_code": party.name, "reason": "低风险"}).status_code == 302
    assert party.name in officer.get(nd).content.decode()
    assert officer.post(nd, {"party_code": party.name, "reason": "x"}).status_code == 403

    filing = reverse("inspections:task_file")
    item = planned.item
    form = {
        "item": item.pk,
        "kind": "special",
        "trigger_kind": "",
        "trigger_ref": "",
        "party_code": party.name,
        "officers": [o.pk for o in world.officers[:2]],
        "title": "专项检查",
        "reason": "专项整治",
        "starts_on": "2026-03-02",
        "ends_on": "2026-03-05",
    }
    refused = officer.post(filing, form)
    assert refused.status_code == 409 and "无事不扰" in refused.content.decode()
    passed = officer.post(filing, {**form, "trigger_kind": "lead", "trigger_ref": "预警 12 号"})
    assert passed.status_code == 302
    assert "问题线索" in officer.get(passed["Location"]).content.decode()

    remote = reverse("inspections:remote", args=[planned.pk])
    page = officer.post(remote, {"method": "documents", "outcome": "pass", "findings": "书面审查合格"})
    assert page.status_code == 409 and "须先上传" in page.content.decode()
