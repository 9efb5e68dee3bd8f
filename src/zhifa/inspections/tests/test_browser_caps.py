"""年度检查上限, 无事不扰 and 非现场检查 walked through the pages in Debian's chromium (Playwright): the judicial
bureau sets the county's cap and puts an enterprise on the no-disturb list; the officer records a remote check
with its document from the today list; a routine filing beyond the cap is refused beside its field and the same
filing as a complaint passes with its trigger. Screenshots: ``test-artifacts/screenshots/inspections-caps-*.png``.

Every database read happens before the browser starts (the live server shares the test's connection).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from zhifa.core import clock
from zhifa.core.tests import test_browser as core_browser
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _shot
from zhifa.inspections import services
from zhifa.inspections.models import Inspection, InspectionCheck, InspectionStatus, TaskKind
from zhifa.inspections.tests.conftest import World, at, make_item
from zhifa.inspections.tests.test_browser_ui import _session, _signed_in_page
from zhifa.inspections.warnings import day_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = core_browser.server
launch_browser = core_browser.launch_browser

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 512


def test_caps_no_disturb_and_a_remote_check_through_the_pages(
    world: World, launch_browser: Callable[[], Any], server: str
) -> None:
    today = clock.today()
    item = make_item(world)
    capped, quiet, remote_party = world.parties[0], world.parties[1], world.parties[2]
    for n in (1, 2):  # two visits of the agency this year: at the cap of 2 once the bureau sets it
        day = dt.date(today.year, 1, n)
        done = Inspection.objects.create(
            agency=world.agency,
            item=item,
            party=capped,
            kind="special",
            status=InspectionStatus.DONE,
            filed_at=at(day),
            entered_at=at(day),
            inspected_on=day,
            inspected_day=day_number(day),
            inspected_year=day.year,
        )
        InspectionCheck.objects.create(inspection=done, agency=world.agency, item=item)
    task = services.task_file(
        world.officer_user,
        agency=world.agency,
        item=item,
        kind=TaskKind.SPECIAL,
        party=remote_party,
        officer_ids=[o.pk for o in world.officers[:2]],
        title="产品质量书面核查",
        reason="专项检查",
        starts_on=today,
        ends_on=today + dt.timedelta(days=5),
    )
    services.task_approve(world.head, task)
    planned = task.inspections.get()
    supervisor, officer = _session(world.supervisor), _session(world.officer_user)
    capped_code, quiet_code = capped.uscc or capped.name, quiet.uscc or quiet.name
    urls = {
        name: reverse(f"inspections:{name}") for name in ("visit_caps", "no_disturb", "today", "task_file")
    }
    browser = launch_browser()

    # The judicial bureau: the county's cap, then an enterprise on the no-disturb list.
    page, problems = _signed_in_page(browser, server, supervisor, DESKTOP)
    page.goto(f"{server}{urls['visit_caps']}")
    page.fill("#id_per_agency", "2")
    page.fill("#id_per_enterprise", "4")
    page.fill("#id_basis", "参照咸宁市：同一部门对同一企业每年不超过 2 次")
    page.get_by_role("button", name="保存").click()
    page.locator('[data-testid="visit-caps"]').get_by_text("每年不超过 2 次").first.wait_for()
    _shot(page, "inspections-caps-set.png")
    page.goto(f"{server}{urls['no_disturb']}")
    page.fill("#id_party_code", quiet_code)
    page.fill("#id_reason", "信用风险分类 A 类，近三年无违法记录")
    page.get_by_role("button", name="列入").click()
    page.locator(f'[data-testid="no-disturb"] tr[data-party="{quiet.name}"]').wait_for()
    _shot(page, "inspections-caps-no-disturb.png")
    assert problems.items == []

    # The officer: a remote check from the today list, with its document, on the phone.
    page, problems = _signed_in_page(browser, server, officer, PHONE)
    page.goto(f"{server}{urls['today']}")
    page.locator(f'[data-inspection="{planned.pk}"]').get_by_role("link", name="非现场检查").click()
    page.locator('[data-testid="remote"][data-done="0"]').wait_for()
    page.set_input_files(
        "#remote-file", files=[{"name": "进货查验记录.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="上传并存证").click()
    page.locator('[data-testid="remote"]').get_by_text("进货查验记录.pdf").first.wait_for()
    page.check("input[name=method][value=documents]")
    page.check("input[name=outcome][value=pass]")
    page.fill("#id_findings", "经书面审查进货查验记录，符合要求。")
    _shot(page, "inspections-caps-remote-phone.png")
    page.get_by_role("button", name="记录非现场检查").click()
    page.locator('[data-testid="remote"][data-done="1"]').wait_for()
    assert "书面材料审查" in page.locator('[data-testid="remote"]').inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width} px)"
    assert problems.items == []

    # A routine filing beyond the cap is refused beside its field; as a complaint it passes.
    page, problems = _signed_in_page(browser, server, officer, DESKTOP)
    page.goto(f"{server}{urls['task_file']}")
    page.select_option("#id_item", str(item.pk))
    page.select_option("#id_kind", "special")
    page.fill("#id_party_code", capped_code)
    page.check(f"input[name=officers][value='{world.officers[1].pk}']")
    page.fill("#id_title", "节前专项检查")
    page.fill("#id_reason", "节前食品安全专项检查")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + dt.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="提交报备").click()
    page.wait_for_load_state()
    _shot(page, "inspections-caps-refused.png")
    refusal = page.locator(".invalid-feedback, .form-errors").filter(has_text="已达年度检查上限")
    refusal.first.wait_for()
    page.select_option("#id_kind", "complaint")
    page.select_option("#id_trigger_kind", "complaint")
    page.fill("#id_trigger_ref", "12345-20261207-0007")
    page.fill("#id_title", "投诉核查")
    page.fill("#id_reason", "12345 热线投诉：销售过期食品")
    page.get_by_role("button", name="提交报备").click()
    trigger = page.locator("[data-trigger=complaint]")
    trigger.wait_for()
    assert "12345-20261207-0007" in trigger.inner_text()
    _shot(page, "inspections-caps-triggered.png")
    # The refused filing answered 409 on purpose (the page again, the refusal on the form, and the browser's
    # console line about that status); nothing else.
    assert [p for p in problems.items if "409" not in p] == []
