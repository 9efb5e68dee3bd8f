"""Every visit checks at least one item (检查事项记录): its lead check is made with it and carries its result."""

from __future__ import annotations

import datetime as dt

from zhifa.inspections import codes, services
from zhifa.inspections.models import Inspection, InspectionCheck, InspectionMode, Outcome
from zhifa.inspections.tests.conftest import TZ_NOW, at, make_plan, make_random_task
from zhifa.inspections.tests.test_visits import file_complaint
from zhifa.org.models import User


def test_a_drawn_visit_has_its_lead_check_and_the_result_is_written_to_it(world) -> None:
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item, party_count=1)
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    inspection = Inspection.objects.get(task=task)
    assert inspection.mode == InspectionMode.ONSITE
    check = InspectionCheck.objects.get(inspection=inspection)
    assert (check.agency_id, check.item_id, check.task_id) == (task.agency_id, task.item_id, task.pk)
    assert check.outcome == ""

    officer_user = User.objects.get(pk=inspection.assignments.first().officer.user_id)
    now = at(dt.date(2026, 3, 10))
    services.inspection_check_in(officer_user, codes.issue_code(inspection), place="现场", now=now)
    services.inspection_result(officer_user, inspection, outcome=Outcome.PASS, findings="未发现问题", now=now)
    check.refresh_from_db()
    assert check.outcome == Outcome.PASS and check.findings == "未发现问题" and check.result_at == now


def test_an_emergency_entry_gets_its_check_when_filed_after_entry(world) -> None:
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
    assert not inspection.checks.exists()  # no item named yet
    task = file_complaint(
        world, is_emergency=True, entered_inspection=inspection, now=entered + dt.timedelta(hours=23)
    )
    check = InspectionCheck.objects.get(inspection=inspection)
    assert (check.item_id, check.task_id, check.agency_id) == (task.item_id, task.pk, inspection.agency_id)
