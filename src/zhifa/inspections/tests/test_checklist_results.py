"""检查表单导入与一表通查 — checklists imported from xlsx (all rows or none, every row's error in Chinese), a
visit's merged checklist (identical lines of several agencies' items once), and the officer's result per line
(on the visit, checked in, in scope, before the visit's result), on the pages and in the API."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zhifa.core import clock
from zhifa.core.errors import DomainError, InvalidInput, PermissionDenied, RuleViolation
from zhifa.inspections import codes, imports, services
from zhifa.inspections.checklists import line_key, visit_checklist
from zhifa.inspections.models import (
    ChecklistLine,
    ChecklistLineResult,
    ChecklistResult,
    Inspection,
    InspectionCheck,
    InspectionItem,
    InspectionStatus,
    Outcome,
)
from zhifa.inspections.tests.conftest import TZ_NOW, World, make_item, make_plan, make_random_task
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.records.models import LedgerEntry

pytestmark = pytest.mark.django_db

HEADER = ["事项编码或名称*", "序号*", "检查内容*", "检查方法与标准*", "依据条款"]
LICENCE = ("是否取得许可证", "查验许可证原件", "《中华人民共和国食品安全法》第三十五条")
HEALTH = ("从业人员健康证明", "抽查健康证明", "《中华人民共和国食品安全法》第四十五条")
DISPLAY = ("营业执照是否醒目悬挂", "现场查看", "《中华人民共和国市场主体登记管理条例》第三十六条")


def workbook(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def lines(*rows: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"content": c, "method": m, "basis": b} for c, m, b in rows]


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _state() -> tuple[int, int, int]:
    return ChecklistLine.objects.count(), ChecklistResult.objects.count(), LedgerEntry.objects.count()


# --- import ----------------------------------------------------------------------------------------------------


@pytest.fixture
def items(world: World) -> tuple[InspectionItem, InspectionItem, InspectionItem]:
    mine = make_item(world, code="CK-001")
    second = services.item_create(
        world.head,
        agency=world.agency,
        code="CK-002",
        name="产品质量监督检查",
        domain_code="market",
        legal_basis="《中华人民共和国产品质量法》第十五条",
    )
    theirs = make_item(world, agency=world.other_agency, code="YJ-001")
    return mine, second, theirs


def test_a_good_workbook_imports_a_new_version_of_each_items_checklist_in_line_order(
    world: World, items: Any
) -> None:
    mine, second, _ = items
    services.checklist_set(world.head, mine, lines=lines(LICENCE), effective_from=dt.date(2025, 1, 1))
    data = workbook(
        [
            ["CK-001", 2, *HEALTH],
            ["CK-001", 1, *LICENCE],
            ["产品质量监督检查", 1, "产品标识是否符合要求", "抽取样品核对", ""],  # named, not coded
        ]
    )
    report = imports.checklist_import(actor=world.officer_user, file=data, effective_from=clock.today())
    assert report.ok, report.errors
    assert [(c["item_code"], c["version"], c["lines"]) for c in report.created] == [
        ("CK-001", 2, 2),
        ("CK-002", 1, 1),
    ]
    current = ChecklistLine.objects.filter(item=mine, version=2).order_by("order")
    assert [line.content for line in current] == [LICENCE[0], HEALTH[0]]
    assert ChecklistLine.objects.get(item=mine, version=1).effective_to == clock.today() - dt.timedelta(
        days=1
    )
    assert ChecklistLine.objects.filter(item=second).count() == 1
    assert LedgerEntry.objects.filter(action="inspection.checklist.set").count() == 3


def test_every_kind_of_row_error_is_reported_in_chinese_and_nothing_is_written(
    world: World, items: Any
) -> None:
    mine, _, _ = items
    before = _state()
    data = workbook(
        [
            ["CK-001", 1, *LICENCE],  # row 2: fine
            ["CK-999", 1, *LICENCE],  # 3: unknown item
            ["CK-001", 2, "", "查验", ""],  # 4: empty content
            ["CK-001", 1, *HEALTH],  # 5: line number given twice
            ["YJ-001", 1, *LICENCE],  # 6: another agency's item
            ["CK-001", "一", *DISPLAY],  # 7: not a number
            ["CK-001", 9, *LICENCE],  # 8: the same line twice
            ["CK-001", 3, "存放条件", "", ""],  # 9: no method
            ["", 4, *DISPLAY],  # 10: no item
        ]
    )
    report = imports.checklist_import(actor=world.officer_user, file=data, effective_from=clock.today())
    assert not report.ok and report.created == []
    errors = {(e["row"], e["column"]): e["reason"] for e in report.errors}
    assert "未找到抽查事项“CK-999”" in errors[(3, "事项编码或名称")]
    assert errors[(4, "检查内容")] == "必填"
    assert "与第 2 行重复" in errors[(5, "序号")]
    assert (
        "检测县应急管理局" in errors[(6, "事项编码或名称")]
        and "不在您的管理范围内" in errors[(6, "事项编码或名称")]
    )
    assert "序号应为正整数" in errors[(7, "序号")]
    assert "与第 2 行的检查内容和依据相同" in errors[(8, "检查内容")]
    assert errors[(9, "检查方法与标准")] == "必填"
    assert errors[(10, "事项编码或名称")] == "必填"
    assert 2 not in {e["row"] for e in report.errors}
    assert _state() == before and not mine.checklist_lines.exists()


def test_a_version_not_after_the_items_latest_one_is_a_row_error(world: World, items: Any) -> None:
    mine, _, _ = items
    services.checklist_set(world.head, mine, lines=lines(LICENCE), effective_from=clock.today())
    before = _state()
    report = imports.checklist_import(
        actor=world.head, file=workbook([["CK-001", 1, *HEALTH]]), effective_from=clock.today()
    )
    assert [(e["row"], e["column"]) for e in report.errors] == [(2, "事项编码或名称")]
    assert "新版本的施行日期须晚于它" in report.errors[0]["reason"] and _state() == before


def test_a_file_without_the_templates_columns_or_not_a_workbook_is_refused(world: World, items: Any) -> None:
    report = imports.checklist_import(
        actor=world.head,
        file=workbook([["CK-001", 1]], header=["事项", "序号"]),
        effective_from=clock.today(),
    )
    assert report.errors[0]["row"] == 1 and "缺少列" in report.errors[0]["reason"]
    with pytest.raises(InvalidInput):
        imports.checklist_import(actor=world.head, file=b"not a workbook", effective_from=clock.today())


def test_only_those_who_manage_lists_import(world: World, items: Any) -> None:
    with pytest.raises(PermissionDenied):
        imports.checklist_import(
            actor=world.supervisor, file=workbook([["CK-001", 1, *LICENCE]]), effective_from=clock.today()
        )


def test_the_template_has_the_columns_the_import_reads(world: World) -> None:
    response = as_user(world.officer_user).get(reverse("inspections:checklist_import"), {"template": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:4] == HEADER[:4]


def test_the_import_page_lists_each_rows_error_or_imports_all(world: World, items: Any) -> None:
    client = as_user(world.officer_user)
    url = reverse("inspections:checklist_import")
    form = client.get(url).content.decode()
    assert f'value="{clock.today().isoformat()}"' in form  # what <input type=date> reads
    assert "导入检查表单" in client.get(reverse("inspections:item_list")).content.decode()
    bad = io.BytesIO(workbook([["CK-001", 1, *LICENCE], ["CK-404", 1, *HEALTH]]))
    bad.name = "检查表单.xlsx"
    page = client.post(url, {"file": bad, "effective_from": clock.today().isoformat()})
    text = page.content.decode()
    assert page.status_code == 422 and "未写入任何数据" in text and "未找到抽查事项“CK-404”" in text
    assert not ChecklistLine.objects.exists()
    good = io.BytesIO(workbook([["CK-001", 1, *LICENCE]]))
    good.name = "检查表单.xlsx"
    done = client.post(url, {"file": good, "effective_from": clock.today().isoformat()})
    assert done.status_code == 302 and ChecklistLine.objects.count() == 1
    enterprise = UserFactory()
    grant(enterprise, Role.ENTERPRISE, party=world.parties[0])
    assert as_user(enterprise).get(url).status_code == 403


def test_the_import_api_answers_422_with_every_rows_error_or_200_with_the_versions(
    world: World, items: Any
) -> None:
    client = as_user(world.officer_user)
    url = "/api/inspections/checklists/import"
    bad = io.BytesIO(workbook([["CK-001", 1, *LICENCE], ["YJ-001", 1, *HEALTH]]))
    bad.name = "a.xlsx"
    answer = client.post(url, {"file": bad})
    body = answer.json()
    assert answer.status_code == 422 and body["code"] == "import_rejected"
    assert [e["row"] for e in body["details"]["errors"]] == [3] and not ChecklistLine.objects.exists()
    good = io.BytesIO(workbook([["CK-001", 1, *LICENCE]]))
    good.name = "a.xlsx"
    answer = client.post(url, {"file": good})
    assert answer.status_code == 200 and answer.json()["created"][0]["item_code"] == "CK-001"


# --- 一表通查: merging and results ----------------------------------------------------------------------------------


@pytest.fixture
def visit(world: World) -> tuple[Inspection, User]:
    """A planned visit of the market agency's drawn task, its item with a checklist; and an officer on it."""
    _, plan_item = make_plan(world)
    services.checklist_set(
        world.head, plan_item.item, lines=lines(LICENCE, HEALTH, DISPLAY), effective_from=dt.date(2025, 1, 1)
    )
    today = clock.today()
    task = make_random_task(
        world, plan_item, starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=30)
    )
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    inspection = Inspection.objects.filter(task=task).order_by("id").first()
    member = User.objects.get(officer__pk=inspection.assignments.first().officer_id)
    return inspection, member


@pytest.fixture
def checked_in(visit: tuple[Inspection, User]) -> tuple[Inspection, User]:
    inspection, member = visit
    services.inspection_check_in(member, codes.issue_code(inspection), place="经营场所")
    inspection.refresh_from_db()
    return inspection, member


def test_a_joint_visit_merges_its_items_checklists_and_identical_lines_appear_once(
    world: World, visit: Any
) -> None:
    inspection, _ = visit
    theirs = make_item(world, agency=world.other_agency, code="YJ-002")
    services.checklist_set(
        world.other_head,
        theirs,
        lines=lines(("应急预案是否备案", "查阅备案回执", ""), (DISPLAY[0], "另一种查法", f"  {DISPLAY[2]} ")),
        effective_from=dt.date(2025, 1, 1),
    )
    InspectionCheck.objects.create(inspection=inspection, agency=world.other_agency, item=theirs)
    checklist = visit_checklist(inspection)
    assert [line.content for line in checklist.lines] == [
        LICENCE[0],
        HEALTH[0],
        DISPLAY[0],
        "应急预案是否备案",
    ]
    shared = checklist.lines[2]
    assert shared.shared and shared.agencies == ["检测县市场监督管理局", "检测县应急管理局"]
    assert shared.methods == ["现场查看", "另一种查法"] and shared.key == line_key(DISPLAY[0], DISPLAY[2])
    assert checklist.agency_count == 2 and not checklist.lines[0].shared


def test_the_merged_checklist_costs_three_queries(
    world: World, visit: Any, django_assert_num_queries: Any
) -> None:
    inspection, _ = visit
    with django_assert_num_queries(3):
        visit_checklist(inspection)


def test_an_officer_on_a_checked_in_visit_records_line_results_on_the_ledger(checked_in: Any) -> None:
    inspection, member = checked_in
    keys = [line.key for line in visit_checklist(inspection).lines]
    services.checklist_record(
        member,
        inspection,
        results=[
            {"key": keys[0], "result": ChecklistLineResult.CONFORMS},
            {"key": keys[1], "result": ChecklistLineResult.NONCONFORMING, "note": "两人健康证明过期"},
        ],
    )
    checklist = visit_checklist(inspection)
    assert checklist.recorded == 2 and [line.number for line in checklist.nonconforming] == [2]
    entry = LedgerEntry.objects.filter(action="inspection.checklist.record").get()
    assert "不符合（两人健康证明过期）" in json.dumps(entry.changes, ensure_ascii=False)
    # a correction is recorded again; the same answer twice is not
    services.checklist_record(member, inspection, results=[{"key": keys[1], "result": "conforms"}])
    services.checklist_record(member, inspection, results=[{"key": keys[1], "result": "conforms"}])
    assert LedgerEntry.objects.filter(action="inspection.checklist.record").count() == 2
    assert not visit_checklist(inspection).nonconforming


@pytest.mark.parametrize(
    ("results", "error"),
    [
        ([], InvalidInput),
        ([{"key": "0" * 32, "result": "conforms"}], InvalidInput),
        ([{"key": "FIRST", "result": "合格"}], InvalidInput),
        ([{"key": "FIRST", "result": "conforms"}, {"key": "FIRST", "result": "conforms"}], InvalidInput),
    ],
)
def test_bad_results_are_refused_and_write_nothing(checked_in: Any, results: list[Any], error: Any) -> None:
    inspection, member = checked_in
    first = visit_checklist(inspection).lines[0].key
    results = [{**r, "key": first if r["key"] == "FIRST" else r["key"]} for r in results]
    before = _state()
    with pytest.raises(error):
        services.checklist_record(member, inspection, results=results)
    assert _state() == before


def test_recording_is_refused_before_check_in_after_the_result_off_the_visit_and_out_of_scope(
    world: World, visit: Any
) -> None:
    inspection, member = visit
    key = visit_checklist(inspection).lines[0].key
    result = [{"key": key, "result": "conforms"}]
    before = _state()
    with pytest.raises(RuleViolation) as planned:
        services.checklist_record(member, inspection, results=result)
    assert planned.value.code == "not_checked_in"
    services.inspection_check_in(member, codes.issue_code(inspection), place="经营场所")
    inspection.refresh_from_db()
    before = _state()
    off_visit = next(u for u in world.officer_users if u.officer.pk != member.officer.pk)
    if inspection.assignments.filter(officer__user=off_visit).exists():
        off_visit = world.unit_head
    with pytest.raises(RuleViolation) as not_on:
        services.checklist_record(off_visit, inspection, results=result)
    assert not_on.value.code == "officer_not_on_task"
    for outsider in (world.other_head, world.outside_supervisor, world.head):
        with pytest.raises(DomainError):
            services.checklist_record(outsider, inspection, results=result)
    assert _state()[1:2] == before[1:2]
    services.inspection_result(member, inspection, outcome=Outcome.PASS, findings="符合要求")
    with pytest.raises(RuleViolation) as final:
        services.checklist_record(member, inspection, results=result)
    assert final.value.code == "checklist_final" and not ChecklistResult.objects.exists()


# --- pages and API ---------------------------------------------------------------------------------------------


def test_the_onsite_page_records_results_and_a_nonconforming_line_suggests_rectification(
    checked_in: Any,
) -> None:
    inspection, member = checked_in
    client = as_user(member)
    onsite = reverse("inspections:onsite", args=[inspection.pk])
    page = client.get(onsite).content.decode()
    assert 'data-testid="visit-checklist"' in page and LICENCE[0] in page and "保存检查表单结果" in page
    keys = [line.key for line in visit_checklist(inspection).lines]
    url = reverse("inspections:checklist_record", args=[inspection.pk])
    response = client.post(
        url,
        {f"result_{keys[0]}": "conforms", f"result_{keys[1]}": "nonconforming", f"note_{keys[1]}": "过期"},
    )
    assert response.status_code == 302 and response["Location"] == onsite
    page = client.get(onsite).content.decode()
    assert 'data-recorded="2"' in page and "有 1 项不符合" in page and "责令整改" in page
    fragment = client.post(url, {f"result_{keys[2]}": "not_applicable"}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in text and 'data-recorded="3"' in text
    refused = client.post(url, {f"result_{keys[2]}": "maybe"}, headers={"HX-Request": "true"})
    assert "data-checklist-error" in refused.content.decode()
    empty = client.post(url, {})
    assert empty.status_code == 302 and ChecklistResult.objects.count() == 3


def test_the_code_page_shows_the_checklist_read_only(checked_in: Any) -> None:
    inspection, _ = checked_in
    page = Client().get(reverse("inspections:code_view"), {"code": codes.issue_code(inspection)})
    text = page.content.decode()
    assert page.status_code == 200 and LICENCE[0] in text and "保存检查表单结果" not in text


def test_the_checklist_api_reads_and_records_in_scope_only(world: World, checked_in: Any) -> None:
    inspection, member = checked_in
    client = as_user(member)
    url = f"/api/inspections/inspections/{inspection.pk}/checklist"
    body = client.get(url).json()
    assert [line["content"] for line in body["lines"]] == [LICENCE[0], HEALTH[0], DISPLAY[0]]
    key = body["lines"][0]["key"]
    answer = client.post(
        url,
        {"results": [{"key": key, "result": "nonconforming", "note": "无证"}]},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["nonconforming"] == 1
    assert answer.json()["lines"][0]["result_label"] == "不符合"
    junk = client.post(url, {"results": [{"key": key, "result": "合格"}]}, content_type="application/json")
    assert junk.status_code == 422
    outsider = UserFactory()
    grant(outsider, Role.SUPERVISOR, region=world.other_county)
    assert (
        as_user(outsider)
        .post(url, {"results": [{"key": key, "result": "conforms"}]}, content_type="application/json")
        .status_code
        == 404
    )
    assert ChecklistResult.objects.count() == 1
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.CHECKED_IN
