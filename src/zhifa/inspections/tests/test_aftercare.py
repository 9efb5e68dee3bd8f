"""The enterprise after a visit: 整改报告 (rectification with files → the officer's re-check) and 检查异议
(objection, answered by a supervisor, anonymous to the inspecting agency) — services, pages and API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from zhifa.evidence import services as evidence_services
from zhifa.evidence.models import Evidence
from zhifa.evidence.uploads import hashed_file_at
from zhifa.inspections import codes, selectors, services
from zhifa.inspections.models import (
    Inspection,
    InspectionObjection,
    ObjectionKind,
    ObjectionState,
    Outcome,
    Rectification,
)
from zhifa.inspections.tests.conftest import TZ_NOW, at, make_plan, make_random_task
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.records.models import LedgerEntry

IN_WINDOW = at(dt.date(2026, 3, 10))
DEADLINE = dt.date(2026, 3, 20)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def enterprise_user(party) -> User:
    user = UserFactory()
    grant(user, Role.ENTERPRISE, party=party)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def visit(world):
    """A visit with a 责令整改 result; returns (inspection, the officer on it, the enterprise's user)."""
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item, party_count=1)
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    inspection = Inspection.objects.get(task=task)
    officer_user = User.objects.get(pk=inspection.assignments.first().officer.user_id)
    services.inspection_check_in(officer_user, codes.issue_code(inspection), place="现场", now=IN_WINDOW)
    services.inspection_result(
        officer_user,
        inspection,
        outcome=Outcome.RECTIFY,
        findings="进货查验记录缺失",
        rectify_deadline=DEADLINE,
        now=IN_WINDOW,
    )
    inspection.refresh_from_db()
    return inspection, officer_user, enterprise_user(inspection.party)


# --- 整改报告 ------------------------------------------------------------------------------------------------------


def test_enterprise_reports_its_rectification_and_it_reaches_the_recheck(world, visit) -> None:
    inspection, officer_user, rep = visit
    rect = services.rectification_submit(
        rep, inspection, statement="已补建进货查验台账。", now=at(dt.date(2026, 3, 15))
    )
    assert not rect.late and rect.deadline == DEADLINE and rect.submitted_by == rep
    entry = LedgerEntry.objects.get(action="inspection.rectification.submit")
    assert entry.actor_id == rep.pk and entry.object_type == "inspections.rectification"
    # on the officer's queue with the report, then closed by the re-check
    assert inspection in selectors.officer_open_inspections(officer_user, on=dt.date(2026, 3, 16))
    services.inspection_recheck(officer_user, inspection, passed=True, findings="已整改", now=at(DEADLINE))
    with pytest.raises(RuleViolation, match="已复查"):
        services.rectification_submit(rep, inspection, statement="再次提交")


def test_a_late_report_is_accepted_and_marked(world, visit) -> None:
    inspection, _, rep = visit
    rect = services.rectification_submit(
        rep, inspection, statement="逾期整改完毕", now=at(dt.date(2026, 3, 25))
    )
    assert rect.late
    assert (
        json.loads(LedgerEntry.objects.get(action="inspection.rectification.submit").changes)["late"] is True
    )


def test_rectification_refusals(world, visit) -> None:
    inspection, officer_user, rep = visit
    other_rep = enterprise_user(
        world.parties[-1] if world.parties[-1] != inspection.party else world.parties[0]
    )
    with pytest.raises(PermissionDenied):  # not the party's own inspection
        services.rectification_submit(other_rep, inspection, statement="不是我们的检查")
    with pytest.raises(PermissionDenied):  # an officer is not the enterprise
        services.rectification_submit(officer_user, inspection, statement="代交")
    with pytest.raises(InvalidInput, match="整改情况说明"):
        services.rectification_submit(rep, inspection, statement="   ")
    assert not Rectification.objects.exists()
    services.rectification_submit(rep, inspection, statement="已整改")
    with pytest.raises(RuleViolation, match="已提交"):
        services.rectification_submit(rep, inspection, statement="再交一次")


def test_no_report_for_a_pass_result(world, visit) -> None:
    inspection, _, rep = visit
    Inspection.objects.filter(pk=inspection.pk).update(outcome=Outcome.PASS, rectify_deadline=None)
    inspection.refresh_from_db()
    with pytest.raises(RuleViolation, match="不是责令整改"):
        services.rectification_submit(rep, inspection, statement="已整改")


# --- pages: the enterprise submits with a file, the officer sees it ----------------------------------------------------


def test_rectify_page_with_a_file_then_the_officer_sees_it(world, visit, client: Client) -> None:
    inspection, officer_user, rep = visit
    clock.set_to(at(dt.date(2026, 3, 15)))
    try:
        client.force_login(rep)
        url = reverse("inspections:mine_rectify", args=[inspection.pk])
        assert client.get(url).status_code == 200
        answer = client.post(url, {"statement": ""})
        assert answer.status_code == 422 and "请填写整改情况说明" in answer.content.decode()
        answer = client.post(
            url, {"statement": "已整改", "file": SimpleUploadedFile("整改后.png", PNG, "image/png")}
        )
        assert answer.status_code == 302, answer.content.decode()[:2000]
        rect = Rectification.objects.get(inspection=inspection)
        files = selectors.rectification_files(rect)
        assert len(files) == 1 and files[0].agency_id == inspection.agency_id and files[0].kind == "photo"
        page = client.get(url).content.decode()
        assert "整改后.png" in page and "等待执法人员复查" in page
        client.force_login(officer_user)
        onsite = client.get(reverse("inspections:onsite", args=[inspection.pk])).content.decode()
        assert "企业整改报告" in onsite and "整改后.png" in onsite
        today = client.get(reverse("inspections:today")).content.decode()
        assert "企业已提交整改报告" in today
    finally:
        clock.reset()


def test_another_enterprise_gets_404_on_the_rectify_page(world, visit, client: Client) -> None:
    inspection, _, _ = visit
    other = next(p for p in world.parties if p != inspection.party)
    client.force_login(enterprise_user(other))
    for name in ("mine_rectify", "mine_rate", "mine_object"):
        assert client.get(reverse(f"inspections:{name}", args=[inspection.pk])).status_code == 404


def test_party_may_add_files_until_the_recheck_but_not_after(world, visit, tmp_path) -> None:
    inspection, officer_user, rep = visit
    rect = services.rectification_submit(rep, inspection, statement="已整改")
    path = tmp_path / "补充.png"
    path.write_bytes(PNG)
    evidence_services.evidence_store(
        actor=rep,
        upload=hashed_file_at(str(path), "补充.png"),
        kind="photo",
        object_type="inspections.rectification",
        object_id=str(rect.pk),
        stage="service_execution",
    )
    services.inspection_recheck(officer_user, inspection, passed=True, findings="已整改", now=at(DEADLINE))
    path.write_bytes(PNG + b"1")
    fh = path
    with pytest.raises(RuleViolation, match="已办结"):
        evidence_services.evidence_store(
            actor=rep,
            upload=hashed_file_at(str(fh), "补充.png"),
            kind="photo",
            object_type="inspections.rectification",
            object_id=str(rect.pk),
            stage="service_execution",
        )
    assert Evidence.objects.filter(object_type="inspections.rectification").count() == 1


# --- 检查异议 ------------------------------------------------------------------------------------------------------


def test_objection_is_anonymous_agency_sees_counts_supervisor_answers(world, visit, settings) -> None:
    settings.ZHIFA_INSPECTION_FEEDBACK_MIN_AGGREGATE = 1
    inspection, officer_user, rep = visit
    objection = services.objection_submit(
        rep, inspection, kind=ObjectionKind.CONDUCT, grounds="检查人员未出示执法证件"
    )
    assert not any(
        f.name in {"user", "author", "created_by", "submitted_by"} for f in InspectionObjection._meta.fields
    )
    entry = LedgerEntry.objects.get(action="inspection.objection")
    assert entry.actor_id is None and "grounds" not in json.loads(entry.changes)
    # the agency: counts only, never the rows
    summary = selectors.objection_summary(world.head, world.agency)
    assert summary.shown and summary.count == 1 and summary.by_kind["conduct"] == 1 and summary.open == 1
    assert not selectors.objections(world.head).exists()
    assert not selectors.objections(officer_user).exists()
    assert not selectors.objections(world.outside_supervisor).exists()
    assert list(selectors.objections(world.supervisor)) == [objection]
    with pytest.raises(PermissionDenied):
        services.objection_answer(world.head, objection, answer="我局已核实")
    with pytest.raises(InvalidInput):
        services.objection_answer(world.supervisor, objection, answer=" ")
    services.objection_answer(world.supervisor, objection, answer="已约谈检查人员，责令改正。")
    objection.refresh_from_db()
    assert objection.state == ObjectionState.ANSWERED and objection.answered_by == world.supervisor
    with pytest.raises(RuleViolation, match="已答复"):
        services.objection_answer(world.supervisor, objection, answer="再答复")


def test_agency_sees_only_the_count_below_the_minimum(world, visit, settings) -> None:
    settings.ZHIFA_INSPECTION_FEEDBACK_MIN_AGGREGATE = 3
    inspection, _, rep = visit
    services.objection_submit(rep, inspection, kind=ObjectionKind.RESULT, grounds="台账其实齐全")
    summary = selectors.objection_summary(world.head, world.agency)
    assert summary.count == 1 and not summary.shown and summary.by_kind == {} and summary.open is None
    with pytest.raises(NotFound):
        selectors.objection_summary(world.other_head, world.agency)


def test_objection_refusals(world, visit) -> None:
    inspection, officer_user, rep = visit
    other_rep = enterprise_user(next(p for p in world.parties if p != inspection.party))
    with pytest.raises(PermissionDenied):
        services.objection_submit(other_rep, inspection, kind=ObjectionKind.RESULT, grounds="x")
    with pytest.raises(PermissionDenied):
        services.objection_submit(officer_user, inspection, kind=ObjectionKind.RESULT, grounds="x")
    with pytest.raises(InvalidInput):
        services.objection_submit(rep, inspection, kind=ObjectionKind.RESULT, grounds="")
    with pytest.raises(InvalidInput):
        services.objection_submit(rep, inspection, kind="other", grounds="理由")
    services.objection_submit(rep, inspection, kind=ObjectionKind.RESULT, grounds="理由")
    with pytest.raises(RuleViolation, match="办理中"):
        services.objection_submit(rep, inspection, kind=ObjectionKind.RESULT, grounds="再提")
    Inspection.objects.filter(pk=inspection.pk).update(entered_at=None)
    inspection.refresh_from_db()
    with pytest.raises(RuleViolation, match="尚未进行"):
        services.objection_submit(rep, inspection, kind=ObjectionKind.CONDUCT, grounds="理由")


def test_objection_and_rating_pages(world, visit, client: Client) -> None:
    inspection, _, rep = visit
    client.force_login(rep)
    url = reverse("inspections:mine_object", args=[inspection.pk])
    answer = client.post(url, {"kind": "conduct", "grounds": ""})
    assert answer.status_code == 422 and "请填写异议理由" in answer.content.decode()
    assert client.post(url, {"kind": "conduct", "grounds": "态度粗暴"}).status_code == 302
    assert "态度粗暴" in client.get(url).content.decode()
    rate = reverse("inspections:mine_rate", args=[inspection.pk])
    assert (
        client.post(rate, {"code": "-", "rating": "2", "comment": "", "problem_text": ""}).status_code == 302
    )
    assert "已评价" in client.get(rate).content.decode()
    client.force_login(world.supervisor)
    listing = client.get(reverse("inspections:objection_list")).content.decode()
    assert inspection.party.name in listing
    objection = InspectionObjection.objects.get()
    detail = reverse("inspections:objection_detail", args=[objection.pk])
    assert "态度粗暴" in client.get(detail).content.decode()
    assert client.post(detail, {"answer": "已核实并约谈"}).status_code == 302
    client.force_login(world.head)
    assert client.get(detail).status_code == 403  # the agency never reads an objection


# --- API ------------------------------------------------------------------------------------------------------------


def test_api_rectification_objection_and_answer(world, visit, client: Client) -> None:
    inspection, _, rep = visit
    client.force_login(rep)
    base = f"/api/inspections/inspections/{inspection.pk}"
    answer = client.post(
        f"{base}/rectification", json.dumps({"statement": ""}), content_type="application/json"
    )
    assert answer.status_code == 422
    answer = client.post(
        f"{base}/rectification", json.dumps({"statement": "已整改"}), content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    assert client.get(f"{base}/rectification").json()["statement"] == "已整改"
    answer = client.post(
        f"{base}/objections",
        json.dumps({"kind": "result", "grounds": "不服"}),
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json() == {"ok": True}
    other = enterprise_user(next(p for p in world.parties if p != inspection.party))
    client.force_login(other)
    assert (
        client.post(
            f"{base}/rectification", json.dumps({"statement": "x"}), content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(world.head)
    assert client.get("/api/inspections/objections").json()["items"] == []
    assert client.get(f"/api/inspections/objections/summary?agency_id={world.agency.pk}").json()["count"] == 1
    client.force_login(world.supervisor)
    items = client.get("/api/inspections/objections").json()["items"]
    assert len(items) == 1 and items[0]["grounds"] == "不服"
    answer = client.post(
        f"/api/inspections/objections/{items[0]['id']}/answer",
        json.dumps({"answer": "维持检查结果"}),
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["state"] == "answered"
