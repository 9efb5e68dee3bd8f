"""The daily path of 报送事项 on the demo county, through pages only (Debian's chromium through Playwright): the
agency head sees 报送事项待报送 in the 工作台, opens 我的报送, opens the draft with its figures, writes the
sections and submits; the county bureau sees 报告待接收, opens 收到的报告 and accepts; the city bureau reads
示范县's summary filed to it. Screenshots go to ``test-artifacts/screenshots/reporting-*.png``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zhifa.org.demo import DEMO_LOGINS
from zhifa.testing.browser import DESKTOP, log_in, new_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}


def test_the_head_files_the_draft_and_the_bureau_accepts_it(
    launch_browser: Callable[[], Any], server: str
) -> None:
    browser = launch_browser()
    page, problems = new_page(browser, DESKTOP)
    log_in(page, server, "demo_head", PASSWORDS["demo_head"])
    todo = page.locator('[data-todo="报送事项待报送"]')
    assert todo.get_attribute("data-count") == "2"  # the bi-monthly draft and the returned one-off summary
    shot(page, "reporting-head-workbench.png")
    todo.click()
    page.get_by_role("heading", name="我的报送").wait_for()
    shot(page, "reporting-mine.png")
    page.locator("tr", has_text="专项整治阶段性进展情况").get_by_role("link", name="填写并报送").click()
    page.locator('[data-testid="status"]').wait_for()
    assert page.locator('[data-testid="status"]').inner_text() == "起草中"
    assert "本报告期内" in page.locator("#section_0").input_value()
    page.locator("#section_1").fill("个别案件公示不及时。")
    page.locator("#section_2").fill("开展公示专项检查。")
    shot(page, "reporting-draft.png")
    page.get_by_role("button", name="保存并报送").click()
    page.get_by_text("报告已报送。").wait_for()
    assert page.locator('[data-testid="status"]').inner_text() == "已报送"
    shot(page, "reporting-submitted.png")

    page, more = new_page(browser, DESKTOP)
    log_in(page, server, "demo_supervisor", PASSWORDS["demo_supervisor"])
    waiting = page.locator('[data-todo="报告待接收"]')
    assert (
        waiting.get_attribute("data-count") == "2"
    )  # the head's report and the yearly one for the government
    waiting.click()
    page.get_by_role("heading", name="收到的报告").wait_for()
    shot(page, "reporting-received.png")
    row = page.locator('[data-testid="received"] tr', has_text="专项整治阶段性进展情况").filter(
        has_text="已报送"
    )
    row.get_by_role("link").click()
    page.get_by_role("button", name="接收").click()
    page.get_by_text("已接收。").wait_for()
    shot(page, "reporting-accepted.png")

    page, city = new_page(browser, DESKTOP)
    log_in(page, server, "demo_city_supervisor", PASSWORDS["demo_city_supervisor"])
    page.goto(f"{server}/reporting/received/")
    table = page.locator('[data-testid="received"]').inner_text()
    assert "示范县司法局" in table and "县（区）行政执法协调监督工作季度汇报" in table
    shot(page, "reporting-city-received.png")
    assert problems.items + more.items + city.items == []
