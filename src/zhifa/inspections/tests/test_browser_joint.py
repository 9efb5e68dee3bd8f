"""综合查一次 end to end in Debian's chromium, through pages only: the lead officer creates a three-agency joint
visit, each agency head approves their own items (the partners name their officers), the team checks in with
the one code, three officers of three agencies each record their own item's result, and the visit is done.
Screenshots go to ``test-artifacts/screenshots/inspections-joint-*.png``.

The live server shares the test's connection: every database read and write of the test happens before the
browser starts; what happened is read from the pages.
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
from zhifa.inspections.tests.test_browser_ui import _session, _signed_in_page
from zhifa.inspections.tests.test_joint import joint

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = core_browser.server
launch_browser = core_browser.launch_browser
__all__ = ["joint", "launch_browser", "server"]


def test_three_agencies_one_visit_through_the_pages(
    joint: Any, launch_browser: Callable[[], Any], server: str
) -> None:
    w = joint.w
    today = clock.today()
    party = w.parties[2]
    uscc, party_name = party.uscc, party.name
    cookies = {
        "lead": _session(w.officer_user),
        "head": _session(w.head),
        "emergency_head": _session(w.other_head),
        "health_head": _session(joint.health_head),
        "emergency": _session(joint.emergency_officers[0]),
        "health": _session(joint.health_officers[0]),
    }
    browser = launch_browser()

    # 1. the lead agency's officer creates the joint task
    page, problems = _signed_in_page(browser, server, cookies["lead"], DESKTOP)
    page.goto(f"{server}{reverse('inspections:task_list')}")
    page.get_by_role("link", name="新建联合检查").click()
    page.get_by_label("任务名称").fill("三部门综合查一次")
    page.get_by_label("检查事由").fill("年度联合检查，进一次门、查多项事")
    page.get_by_label("开始日期").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_label("结束日期").fill((today + dt.timedelta(days=30)).isoformat())
    page.get_by_label("检测县市场监督管理局 · 食品经营许可情况检查").check()
    page.get_by_label("检测县应急管理局 · 安全生产检查").check()
    page.get_by_label("检测县卫生健康局 · 公共场所卫生检查").check()
    page.get_by_label("检查对象（统一社会信用代码或名称，报备时填写）").fill(uscc)
    page.get_by_label("检查员0").check()
    page.get_by_label("检查员1").check()
    _shot(page, "inspections-joint-create.png")
    page.get_by_role("button", name="保存").click()
    page.locator('[data-section="joint-parts"]').wait_for()
    task_url = page.url
    assert page.locator('[data-task-status="filed"]').count() == 1
    assert problems.items == []

    # 2. each agency head approves their own items; the partners name their officers
    page, problems = _signed_in_page(browser, server, cookies["head"], DESKTOP)
    page.goto(task_url)
    page.get_by_role("button", name="批准本部门事项").click()
    page.locator('[data-part-agency="检测县市场监督管理局"] .text-bg-success').wait_for()
    assert problems.items == []
    for head, officer in (("emergency_head", "应急员0"), ("health_head", "卫健员0")):
        page, problems = _signed_in_page(browser, server, cookies[head], DESKTOP)
        page.goto(task_url)
        page.get_by_label(officer).check()
        page.get_by_role("button", name="批准本部门事项").click()
        page.locator(".alert-success").wait_for()
        assert problems.items == []
    page.locator('[data-task-status="approved"]').wait_for()
    _shot(page, "inspections-joint-approved.png")

    # 3. the lead officer checks the team in with the one code and records the lead item
    page, problems = _signed_in_page(browser, server, cookies["lead"], PHONE)
    page.goto(f"{server}{reverse('inspections:today')}")
    page.locator("[data-inspection] a.btn[data-keep-offline]").first.click()
    page.locator('[data-step="check_in"]').wait_for()
    onsite_url = page.url
    page.fill("#id_place", "示范路 8 号")
    page.get_by_role("button", name="签到进企").click()
    page.locator('[data-section="checks"]').wait_for()
    assert page.get_by_role("button", name="提交本事项结果").count() == 1  # only the lead's own item
    lead_check = page.locator('[data-check-agency="检测县市场监督管理局"]')
    lead_check.get_by_text("合格", exact=True).click()
    lead_check.get_by_label("检查情况").fill("证照齐全，台账完整。")
    _shot(page, "inspections-joint-onsite-lead-phone.png")
    lead_check.get_by_role("button", name="提交本事项结果").click()
    page.locator('[data-check-agency="检测县市场监督管理局"] [data-check-outcome]').wait_for()
    assert problems.items == []

    # 4. the emergency officer orders rectification, the health officer files a case source: each their own
    page, problems = _signed_in_page(browser, server, cookies["emergency"], PHONE)
    page.goto(onsite_url)
    assert page.get_by_role("button", name="提交本事项结果").count() == 1
    check = page.locator('[data-check-agency="检测县应急管理局"]')
    check.get_by_text("责令整改", exact=True).click()
    check.get_by_label("检查情况").fill("灭火器过期。")
    check.get_by_label("整改期限（责令整改时填写）").fill((today + dt.timedelta(days=15)).isoformat())
    check.get_by_role("button", name="提交本事项结果").click()
    page.locator('[data-check-agency="检测县应急管理局"] [data-check-outcome]').wait_for()
    assert problems.items == []

    page, problems = _signed_in_page(browser, server, cookies["health"], PHONE)
    page.goto(onsite_url)
    check = page.locator('[data-check-agency="检测县卫生健康局"]')
    check.get_by_text("立案", exact=True).click()
    check.get_by_label("检查情况").fill("无有效卫生许可证。")
    check.get_by_role("button", name="提交本事项结果").click()
    page.locator('[data-step="done"]').wait_for()
    assert page.locator("[data-check-case-source]").count() == 1  # the health agency's case source only
    _shot(page, "inspections-joint-done-phone.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width} px)"
    assert problems.items == []

    # 5. the task page lists the checks of the visit with their results
    page, problems = _signed_in_page(browser, server, cookies["lead"], DESKTOP)
    page.goto(task_url)
    checks = page.locator("[data-visit-checks]").inner_text()
    assert "合格" in checks and "责令整改" in checks and "立案" in checks
    assert party_name in page.content()
    _shot(page, "inspections-joint-task.png")
    assert problems.items == []
