"""The enterprise's journey on a phone (375 px, Debian's chromium through Playwright), through pages only: log
in, land on the 企业待办, open 我的检查, open the announced visit (officers, items, checklist), agree a visit
time, see the history with its result and 整改 deadline, then 我的处罚决定. No page scrolls sideways.
Screenshots go to ``test-artifacts/screenshots/enterprise-*.png``.

The live server shares the test's connection: every write of the test happens before the browser starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from zhifa.core import clock
from zhifa.enterprise.tests.conftest import PASSWORD, filed_visit
from zhifa.inspections import codes, services
from zhifa.inspections.models import Outcome, VisitWindow
from zhifa.testing.browser import PHONE, log_in, new_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _no_sideways_scroll(page: Any, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{where} scrolls sideways on a phone ({width} px)"


def test_the_enterprise_agrees_a_visit_time_and_reads_its_history_on_a_phone(
    scene: Any, launch_browser: Callable[[], Any], server: str
) -> None:
    w = scene.world
    past = filed_visit(w, w.parties[0], item=scene.item, starts_in=-1)
    services.inspection_check_in(w.officer_user, codes.issue_code(past), place="门店")
    past.refresh_from_db()
    deadline = clock.today() + dt.timedelta(days=10)
    services.inspection_result(
        w.officer_user,
        past,
        outcome=Outcome.RECTIFY,
        findings="冷藏柜温度记录缺失",
        rectify_deadline=deadline,
    )
    # all database work before the browser: the slot the walk picks (the third) and how the page shows it
    third = services.visit_slots(VisitWindow.objects.get(inspection=scene.visit))[2]
    username, expected = scene.company.username, f"已确认：{clock.local(third):%Y-%m-%d %H:%M}"

    page, problems = new_page(launch_browser(), PHONE)
    log_in(page, server, username, PASSWORD)
    assert page.url == f"{server}/workbench/"
    page.locator('[data-panel="enterprise-todos"]').wait_for()
    assert page.locator('[data-todo="待商定入企时间"]').get_attribute("data-count") == "1"
    shot(page, "enterprise-workbench-phone.png")
    _no_sideways_scroll(page, "the workbench")

    page.locator('[data-panel="enterprise-todos"]').get_by_role("link", name="我的检查").click()
    page.locator('[data-testid="enterprise-home"]').wait_for()
    assert "待商定时间" in page.locator('[data-testid="upcoming"]').inner_text()
    shot(page, "enterprise-home-phone.png")
    _no_sideways_scroll(page, "我的检查")

    page.locator('[data-testid="upcoming-visit"]').first.click()
    page.locator('[data-testid="enterprise-inspection"]').wait_for()
    assert "是否取得食品经营许可证" in page.locator('[data-testid="checklist"]').inner_text()
    assert "证件有效" in page.locator('[data-testid="officers"]').inner_text()
    _no_sideways_scroll(page, "the visit page")
    page.locator('[data-testid="visit-time"] label.btn').nth(2).click()
    shot(page, "enterprise-visit-phone.png")
    page.get_by_role("button", name="确认入企时间").click()
    page.locator('[data-testid="agreed"]').wait_for()
    agreed = page.locator('[data-testid="agreed"]').inner_text()
    shot(page, "enterprise-visit-agreed-phone.png")
    _no_sideways_scroll(page, "the visit page after agreeing")

    page.get_by_role("link", name="我的检查").first.click()
    page.locator('[data-testid="history"]').wait_for()
    history = page.locator('[data-testid="history"]').inner_text()
    assert "责令整改" in history and f"整改期限：{deadline:%Y-%m-%d}" in history
    assert "已商定入企时间" in page.locator('[data-testid="upcoming"]').inner_text()
    shot(page, "enterprise-history-phone.png")

    page.locator('nav[aria-label="企业端"]').get_by_role("link", name="我的处罚决定").click()
    page.wait_for_url(f"{server}/disclosure/mine/")
    shot(page, "enterprise-decisions-phone.png")
    _no_sideways_scroll(page, "我的处罚决定")
    assert problems.items == []
    assert agreed == expected
