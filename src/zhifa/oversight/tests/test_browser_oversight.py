"""The bureau's oversight day, through pages only, on the demo county: the county supervisor records a 约谈
with a commitment (which appears on the problem ledger); the city supervisor gives the 统筹意见 on the 共性问题
the county escalated (from the workbench 待办); the county supervisor decides the officer's 尽职免责 request.
Screenshots in test-artifacts/screenshots/oversight-*.png."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from zhifa.core import clock
from zhifa.core.tests.test_browser import DESKTOP, _log_in, _new_page, _shot, launch_browser, server
from zhifa.org.demo import DEMO_PASSWORD

__all__ = ["launch_browser", "server"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_the_bureau_interviews_coordinates_and_decides_an_exemption(
    launch_browser: Callable[[], Any], server: str
) -> None:
    browser = launch_browser()
    page, problems = _new_page(browser, DESKTOP)
    _log_in(page, server, "demo_supervisor", DEMO_PASSWORD)
    page.goto(f"{server}/oversight/")
    _shot(page, "oversight-1-home.png")
    page.get_by_role("link", name="登记约谈").click()
    page.get_by_label("被约谈单位", exact=True).select_option(label="示范县市场监督管理局")
    page.get_by_label("被约谈人（姓名、职务）").fill("张某（局长）")
    page.get_by_label("约谈日期").fill(clock.today().isoformat())
    page.get_by_label("约谈事由").fill("投诉举报办理超期")
    page.get_by_label("约谈内容").fill("通报超期情况，要求限期整改。")
    page.get_by_label("承诺事项 1").fill("十日内办结全部超期投诉")
    page.get_by_label("完成期限 1").fill((clock.today() + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="登记约谈并生成约谈记录").click()
    page.get_by_role("link", name="十日内办结全部超期投诉").wait_for()
    _shot(page, "oversight-2-interview.png")
    page.get_by_role("link", name="十日内办结全部超期投诉").click()
    assert page.get_by_test_id("problem-state").inner_text() == "待整改"

    city, city_problems = _new_page(browser, DESKTOP)
    _log_in(city, server, "demo_city_supervisor", DEMO_PASSWORD)
    city.get_by_role("link", name="下级提请统筹的共性问题").click()
    city.get_by_role("link", name="多部门对同一企业重复入企检查").first.click()
    city.get_by_label("统筹意见").fill("由市市场监管局牵头制定联合检查计划，实行“综合查一次”。")
    city.get_by_role("button", name="作出统筹意见").click()
    assert city.get_by_test_id("joint-state").inner_text() == "上级已统筹"
    _shot(city, "oversight-3-coordinated.png")

    page.goto(f"{server}/oversight/")
    exemption = page.locator("#h-ex").locator("..").get_by_role("link").first
    exemption.click()
    page.get_by_label("认定意见").fill("程序完整，已尽职。")
    page.get_by_role("button", name="认定免责").click()
    assert page.get_by_test_id("exemption-state").inner_text() == "认定免责"
    _shot(page, "oversight-4-exemption.png")
    assert [p for p in problems.items + city_problems.items if "favicon" not in p] == []
