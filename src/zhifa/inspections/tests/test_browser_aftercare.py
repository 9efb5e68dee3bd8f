"""The enterprise's side after a visit, in Debian's chromium on a phone (Playwright), through pages only: the
enterprise reports its rectification with a photo, the officer sees it and re-checks, the enterprise rates and
objects, the county supervisor reads and answers the objection; and an enterprise with no account signs up
with the code printed on its inspection code page, then logs in. Screenshots go to
``test-artifacts/screenshots/aftercare-*.png``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from zhifa.core.tests import test_browser as core_browser
from zhifa.core.tests.test_browser import PHONE, _new_page, _shot
from zhifa.inspections import codes, services
from zhifa.inspections.models import Inspection, Outcome
from zhifa.inspections.tests.conftest import TZ_NOW, World, at, make_plan, make_random_task
from zhifa.inspections.tests.test_browser_ui import _session, _signed_in_page
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = core_browser.server
launch_browser = core_browser.launch_browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"browser-rectification"
IN_WINDOW = at(dt.date(2026, 3, 10))


def _unexpected(problems: Any) -> list[str]:
    """The page's problems, less the refusals the walk provokes on purpose (a form refused with 409/422)."""
    expected = ("HTTP 409", "HTTP 422", "status of 409", "status of 422")
    return [p for p in problems.items if not any(e in p for e in expected)]


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width} px)"


@pytest.fixture
def two_visits(world: World) -> tuple[Inspection, Inspection, User]:
    """Two drawn visits: the first rectify-ordered (its enterprise has an account), the second still planned
    for a party with no account. Every write happens before the browser starts."""
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item, party_count=2)
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    first, second = Inspection.objects.filter(task=task).select_related("party").order_by("pk")
    officer_user = User.objects.get(pk=first.assignments.first().officer.user_id)
    services.inspection_check_in(officer_user, codes.issue_code(first), place="门店", now=IN_WINDOW)
    services.inspection_result(
        officer_user,
        first,
        outcome=Outcome.RECTIFY,
        findings="冷藏柜温度记录缺失",
        rectify_deadline=dt.date(2026, 3, 20),
        now=IN_WINDOW,
    )
    return first, second, officer_user


def test_rectification_recheck_rating_and_objection_on_a_phone(
    world: World, two_visits: Any, launch_browser: Callable[[], Any], server: str
) -> None:
    inspection, _, officer_user = two_visits
    company = UserFactory(full_name="门店负责人")
    grant(company, Role.ENTERPRISE, party=inspection.party)
    enterprise = _session(User.objects.get(pk=company.pk))
    officer, supervisor = _session(officer_user), _session(world.supervisor)
    browser = launch_browser()

    # 1. the enterprise reports its rectification with a photo
    page, problems = _signed_in_page(browser, server, enterprise, PHONE)
    page.goto(f"{server}{reverse('inspections:mine_rectify', args=[inspection.pk])}")
    page.get_by_role("button", name="提交整改报告").click()  # no statement: refused beside the field
    page.locator(".invalid-feedback").first.wait_for()
    assert "请填写整改情况说明" in page.content()
    page.get_by_label("整改情况说明").fill("已更换温度计并补齐温度记录。")
    page.get_by_label("整改照片或文件").set_input_files(
        files=[{"name": "温度记录.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="提交整改报告").click()
    page.locator('[data-testid="rectification"]').wait_for()
    assert "温度记录.png" in page.locator('[data-testid="rectification-files"]').inner_text()
    assert "等待执法人员复查" in page.locator('[data-testid="recheck-state"]').inner_text()
    _no_sideways_scroll(page)
    _shot(page, "aftercare-rectify-phone.png")
    assert _unexpected(problems) == []

    # 2. the officer sees the report on the today list and the on-site page, and re-checks
    page, problems = _signed_in_page(browser, server, officer, PHONE)
    page.goto(f"{server}{reverse('inspections:today')}")
    card = page.locator(f'[data-inspection="{inspection.pk}"]')
    assert "企业已提交整改报告" in card.inner_text()
    card.get_by_role("link", name="整改复查").click()
    page.locator('[data-testid="onsite-rectification"]').wait_for()
    assert "温度记录.png" in page.locator('[data-testid="onsite-rectification"]').inner_text()
    _shot(page, "aftercare-onsite-recheck-phone.png")
    page.locator('label[for="passed-1"]').click()
    page.get_by_label("复查情况").fill("温度记录齐全，整改到位。")
    page.get_by_role("button", name="提交复查结论").click()
    page.locator('[data-step="done"]').wait_for()
    _no_sideways_scroll(page)
    assert problems.items == []

    # 3. the enterprise sees the re-check, rates and objects
    page, problems = _signed_in_page(browser, server, enterprise, PHONE)
    page.goto(f"{server}{reverse('inspections:mine_rectify', args=[inspection.pk])}")
    assert "复查通过" in page.locator('[data-testid="recheck-state"]').inner_text()
    page.get_by_role("link", name="评价", exact=True).click()
    page.get_by_label("满意度").select_option("4")
    page.get_by_role("button", name="提交评价").click()
    page.locator("[data-rated]").wait_for()
    _shot(page, "aftercare-rate-phone.png")
    page.get_by_role("link", name="异议", exact=True).click()
    page.get_by_label("对检查行为有异议").check()
    page.get_by_label("异议理由").fill("检查时要求提供与检查事项无关的财务报表。")
    page.get_by_role("button", name="提交异议").click()
    page.locator('[data-testid="objection"]').wait_for()
    assert "待答复" in page.locator('[data-testid="objection"]').inner_text()
    _no_sideways_scroll(page)
    _shot(page, "aftercare-object-phone.png")
    assert problems.items == []

    # 4. the supervisor reads the objection in full and answers it (no ORM call here: the browser's thread)
    page, problems = _signed_in_page(browser, server, supervisor, PHONE)
    page.goto(f"{server}{reverse('inspections:warning_list')}")  # 涉企检查 in the menu, then its tab
    page.get_by_role("link", name="检查异议").first.click()
    page.locator('[data-testid="objection-row"]').get_by_role("link").first.click()
    page.locator('[data-testid="objection-grounds"]').wait_for()
    assert "财务报表" in page.locator('[data-testid="objection-grounds"]').inner_text()
    page.get_by_label("答复意见").fill("已约谈检查人员，责令改正。")
    page.get_by_role("button", name="答复").click()
    page.locator('[data-testid="objection-answer"]').wait_for()
    _no_sideways_scroll(page)
    _shot(page, "aftercare-supervisor-answer-phone.png")
    assert "已约谈检查人员，责令改正。" in page.locator('[data-testid="objection-answer"]').inner_text()
    assert problems.items == []


def test_an_enterprise_signs_up_with_the_code_printed_on_its_inspection_code_page(
    world: World, two_visits: Any, launch_browser: Callable[[], Any], server: str
) -> None:
    _, planned, _ = two_visits
    party_name, uscc = planned.party.name, planned.party.uscc
    code_url = f"{reverse('inspections:code_view')}?code={codes.issue_code(planned)}"
    browser = launch_browser()
    page, problems = _new_page(browser, PHONE)
    page.goto(f"{server}{code_url}")
    signup_code = page.locator("[data-signup-code]").inner_text().strip()
    assert len(signup_code) == 14
    _shot(page, "aftercare-code-page-signup-phone.png")
    page.get_by_role("link", name="去注册").click()
    page.get_by_label("统一社会信用代码").fill(uscc)
    page.get_by_label("注册码").fill("ABCD-EFGH-JKMN")
    page.get_by_label("用户名").fill("mendian_li")
    page.get_by_label("密码").fill("Mendian#2026x")
    page.get_by_label("联系人姓名").fill("李店长")
    page.get_by_label("联系电话").fill("13900001234")
    page.get_by_role("button", name="注册").click()
    assert "注册码不正确" in page.content()
    page.get_by_label("注册码").fill(signup_code)
    page.get_by_label("密码").fill("Mendian#2026x")
    _no_sideways_scroll(page)
    _shot(page, "aftercare-signup-phone.png")
    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/accounts/login/**")
    log_in(page, server, "mendian_li", "Mendian#2026x")
    assert "/accounts/login/" not in page.url
    _shot(page, "aftercare-signed-up-home-phone.png")
    assert party_name in page.content()  # the new account's workbench shows its own enterprise
    assert _unexpected(problems) == []
