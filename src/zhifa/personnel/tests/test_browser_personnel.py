"""The daily path of 执法队伍 through pages only (Debian's chromium through Playwright, desktop): the county bureau
opens 执法队伍 from the menu, files the housing bureau's waiting plan (备案) and reads the 6月30日 check; the
market bureau's head adds a 公职律师 to the roster and reads the delegations. Screenshots go to
``test-artifacts/screenshots/personnel-*.png``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zhifa.org.demo import DEMO_LOGINS
from zhifa.testing.browser import DESKTOP, log_in, new_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}


def test_the_bureau_files_a_plan_and_the_head_keeps_the_roster(
    launch_browser: Callable[[], Any], server: str
) -> None:
    browser = launch_browser()
    page, problems = new_page(browser, DESKTOP)
    log_in(page, server, "demo_supervisor", PASSWORDS["demo_supervisor"])
    assert "培训计划待备案" in page.content()
    page.get_by_role("button", name="基础数据").click()  # 执法队伍 sits in the 基础数据 area of the menu
    page.get_by_role("link", name="执法队伍").first.click()
    page.wait_for_load_state("networkidle")
    shot(page, "personnel-plans-supervisor.png")
    page.get_by_role("link", name="示范县住房和城乡建设局").first.click()
    page.get_by_role("button", name="予以备案").click()
    page.wait_for_load_state("networkidle")
    assert "培训计划已备案" in page.content() and "已备案" in page.content()
    page.get_by_role("link", name="6月30日轮训检查").first.click()
    page.wait_for_load_state("networkidle")
    assert "年度全员轮训完成检查" in page.content()
    shot(page, "personnel-check-supervisor.png")

    head, _ = new_page(browser, DESKTOP)
    log_in(head, server, "demo_head", PASSWORDS["demo_head"])
    head.goto(f"{server}/personnel/advisers/")
    head.get_by_label("类别").select_option(label="公职律师")
    head.get_by_label("姓名").fill("冯律师")
    head.get_by_label("执业证号").fill("G33010020260009")
    head.get_by_role("button", name="入册").click()
    head.wait_for_load_state("networkidle")
    assert "冯律师已入册" in head.content()
    shot(head, "personnel-advisers-head.png")
    head.get_by_role("link", name="行政处罚委托").first.click()
    head.wait_for_load_state("networkidle")
    assert "示范县综合行政执法局" in head.content()
    shot(head, "personnel-delegations-head.png")
    assert not problems.items, problems.items
