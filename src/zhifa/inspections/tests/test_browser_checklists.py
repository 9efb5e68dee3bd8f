"""检查表单 in Debian's chromium (Playwright), through the pages only: on a phone the officer opens the on-site
page of a checked-in visit, records the checklist's lines (one 不符合 with its note) and sees the suggestion to
order rectification; the import page, given a workbook with bad rows, lists every row's error and writes
nothing. Screenshots go to ``test-artifacts/screenshots/checklist-*.png``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from zhifa.core import clock
from zhifa.core.tests import test_browser as core_browser
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _shot
from zhifa.inspections import codes, services
from zhifa.inspections.models import Inspection
from zhifa.inspections.tests.conftest import TZ_NOW, World, make_plan, make_random_task
from zhifa.inspections.tests.test_browser_ui import _session, _signed_in_page
from zhifa.inspections.tests.test_checklist_results import DISPLAY, HEALTH, LICENCE, lines, workbook
from zhifa.org.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = core_browser.server
launch_browser = core_browser.launch_browser


def test_an_officer_records_the_checklist_on_a_phone_and_a_bad_import_lists_each_rows_error(
    world: World, launch_browser: Callable[[], Any], server: str, tmp_path: Path
) -> None:
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
    services.inspection_check_in(member, codes.issue_code(inspection), place="经营场所")
    bad = tmp_path / "检查表单.xlsx"
    bad.write_bytes(
        workbook(
            [
                [plan_item.item.code, 1, *LICENCE],
                ["不存在的事项", 1, *HEALTH],
                [plan_item.item.code, 1, "", "查验", ""],
            ]
        )
    )
    officer, head = _session(member), _session(world.head)
    browser = launch_browser()

    page, problems = _signed_in_page(browser, server, officer, PHONE)
    page.goto(f"{server}{reverse('inspections:onsite', args=[inspection.pk])}")
    checklist = page.locator('[data-testid="visit-checklist"]')
    assert checklist.locator("fieldset[data-line]").count() == 3
    checklist.locator('fieldset[data-line="1"]').get_by_text("符合", exact=True).click()
    checklist.locator('fieldset[data-line="2"]').get_by_text("不符合", exact=True).click()
    checklist.get_by_label("第 2 项说明").fill("两名从业人员健康证明过期")
    checklist.locator('fieldset[data-line="3"]').get_by_text("不涉及", exact=True).click()
    checklist.get_by_role("button", name="保存检查表单结果").click()
    page.locator('[data-testid="visit-checklist"][data-recorded="3"]').wait_for()
    warning = page.locator('[data-testid="checklist-nonconforming"]')
    assert "有 1 项不符合" in warning.inner_text() and "责令整改" in warning.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "checklist-onsite-phone.png")
    page.reload()  # saved, not only swapped in
    assert page.locator('fieldset[data-line="2"][data-result="nonconforming"]').count() == 1
    assert page.locator("fieldset[data-result]").count() == 3
    assert problems.items == []

    page, problems = _signed_in_page(browser, server, head, DESKTOP)
    page.goto(f"{server}{reverse('inspections:item_list')}")
    page.get_by_role("link", name="导入检查表单").click()
    page.get_by_label("导入文件（.xlsx）").set_input_files(str(bad))
    page.get_by_role("button", name="导入", exact=True).click()
    page.locator('[data-testid="import-errors"]').wait_for()
    table = page.locator('[data-testid="import-error-table"]').inner_text()
    assert "未找到抽查事项“不存在的事项”" in table and "必填" in table and "重复" in table
    _shot(page, "checklist-import-errors.png")
    page.goto(f"{server}{reverse('inspections:item_list')}")  # nothing written: still the 3 lines set above
    assert page.locator(f'tr[data-item="{plan_item.item.code}"]').inner_text().endswith("3 项检查内容")
    assert [e for e in problems.items if "422" not in str(e)] == []
