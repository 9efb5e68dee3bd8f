"""The administrator's day in Debian's chromium, through pages only: a user locks themself out on the login
page, the administrator finds the lock on the 工作台, unlocks it, and revokes an API token; the user logs in
and the revoked key is refused; the 后台任务 page shows the jobs of zhifa worker. Desktop and phone. Screenshots: test-artifacts/screenshots/admin-*.png.

The account and the token are made before the browser starts (no page creates tokens for another user; the
browser tests make no ORM call once chromium runs, see core/tests/test_browser.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from zhifa.core import clock
from zhifa.core.models import JobLease
from zhifa.core.tests import test_browser as browser_tests
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _log_in, _new_page, _shot
from zhifa.org.demo import DEMO_LOGINS
from zhifa.org.models import Officer, Role, RoleAssignment, User
from zhifa.org.tokens import token_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = browser_tests.server
launch_browser = browser_tests.launch_browser
PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}
RIGHT_PASSWORD = "Right-Pass-2026"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_admin_unlocks_a_user_and_revokes_a_token(
    launch_browser: Callable[[], Any], server: str, viewport: dict[str, int]
) -> None:
    device = "phone" if viewport is PHONE else "desktop"
    agency = Officer.objects.get(user__username="demo_officer").agency
    locked = User.objects.create_user(
        username=f"locked_{device}", password=RIGHT_PASSWORD, full_name="锁定测试员"
    )
    RoleAssignment.objects.create(user=locked, role=Role.OFFICER, scope="agency", agency=agency)
    token_name = f"执法记录仪同步（{'电脑' if device == 'desktop' else '手机'}）"
    _, key = token_create(User.objects.get(username="demo_officer"), token_name)
    now = clock.now()
    JobLease.objects.update_or_create(
        name="push_webhooks",
        defaults={
            "last_ok": True,
            "last_finished_at": now,
            "last_result": "推送地址 2 个：送达 3 条，待重试 0 条，失败 0 条",
            "last_duration_ms": 41,
            "run_count": 12,
            "next_run_at": now + dt.timedelta(minutes=1),
        },
    )
    JobLease.objects.update_or_create(
        name="supervision_scan",
        defaults={
            "last_ok": False,
            "last_finished_at": now,
            "last_error": "1 个预警来源失败：数据库连接中断\n\nTraceback (most recent call last): …",
            "last_duration_ms": 120,
            "run_count": 5,
            "failure_count": 2,
            "consecutive_failures": 2,
            "next_run_at": now + dt.timedelta(minutes=2),
        },
    )
    browser = launch_browser()

    # The user types a wrong password five times on the login page: the account locks.
    user_page, _ = _new_page(browser, viewport)
    for _ in range(5):
        _log_in(user_page, server, locked.username, "wrong-password")
    assert user_page.get_by_role("heading", name="账号已锁定").is_visible()

    # The administrator's 工作台 shows the lock, with a way to the lockouts page.
    page, problems = _new_page(browser, viewport)
    _log_in(page, server, "demo_admin", PASSWORDS["demo_admin"])
    assert page.url == f"{server}/workbench/"
    assert page.get_by_role("heading", name="系统管理待办").is_visible()
    panel = page.locator("section.card", has=page.get_by_role("heading", name="锁定账号（"))
    assert "锁定测试员" in panel.inner_text()
    _shot(page, f"admin-workbench-{device}.png")
    panel.get_by_role("link", name="处理锁定账号").click()
    page.wait_for_load_state("networkidle")
    row = page.locator(f'[data-lockout="{locked.username}"]:visible')
    assert "5" in row.inner_text()
    _shot(page, f"admin-lockouts-{device}.png")
    row.get_by_role("button", name="解除锁定").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已解除账号“锁定测试员”的锁定").is_visible()
    assert page.locator(f'[data-lockout="{locked.username}"]').count() == 0

    # The key works until the administrator revokes it on the API 令牌 page (asked without any session).
    client = browser.new_context().request
    assert client.get(f"{server}/api/org/regions", headers={"Authorization": f"Token {key}"}).status == 200
    page.goto(f"{server}/workbench/")
    page.get_by_role("link", name="查看和吊销令牌").click()
    page.wait_for_load_state("networkidle")
    row = page.locator(f'[data-token="{token_name}"]:visible')
    assert "有效" in row.inner_text()
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    row.get_by_role("button", name="吊销").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已吊销“").first.is_visible()
    assert "已吊销" in page.locator(f'[data-token="{token_name}"]:visible').inner_text()
    assert asked and "不能恢复" in asked[0]  # asked before an irreversible step
    _shot(page, f"admin-tokens-{device}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert client.get(f"{server}/api/org/regions", headers={"Authorization": f"Token {key}"}).status == 401
    assert problems.items == []

    # The account's page, found through the users search: roles and scopes, no longer locked.
    page.goto(f"{server}/sysadmin/users/")
    page.get_by_label("姓名或登录名").fill(locked.username)
    page.get_by_label("姓名或登录名").press(
        "Enter"
    )  # commits the value: leaving the box starts no new search
    # a function, not an expression: Playwright polls an expression with eval, which the CSP forbids
    page.wait_for_function(
        "() => document.querySelectorAll('#results a[href*=\"/sysadmin/users/\"]').length === 2"
    )
    page.wait_for_load_state("networkidle")
    page.locator("#results a:visible", has_text="锁定测试员").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="锁定测试员").is_visible()
    assert page.get_by_test_id("locked-badge").count() == 0
    assert "执法人员" in page.get_by_test_id("assignments").inner_text()
    # 分配角色 on the account's page: the scope picks which target is asked for.
    page.locator("summary", has_text="分配角色").click()
    page.locator("#id_grant-role").select_option(label="法制审核人员")
    page.locator("#id_grant-scope").select_option(label="本区域及下级区域")
    assert not page.locator("#id_grant-agency").is_visible() and page.locator("#id_grant-region").is_visible()
    page.locator("#id_grant-scope").select_option(label="本机关")
    assert page.locator("#id_grant-agency").is_visible() and not page.locator("#id_grant-region").is_visible()
    page.locator("#id_grant-agency").select_option(label=agency.name)
    _shot(page, f"admin-user-grant-{device}.png")
    page.get_by_role("button", name="分配", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("角色已分配。").is_visible()
    assert "法制审核人员" in page.get_by_test_id("assignments").inner_text()
    _shot(page, f"admin-user-{device}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert problems.items == []

    # The holiday schedule: next year's state is on the page the 工作台 links to.
    page.goto(f"{server}/workbench/")
    page.get_by_role("link", name="查看和录入").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("schedule-years").get_by_text("2027 年").is_visible()
    _shot(page, f"admin-holidays-{device}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert problems.items == []

    # 后台任务 (in the menu): each job of zhifa worker with its last run; the failing one shows its error.
    assert page.locator('a[href="/sysadmin/jobs/"]').count() >= 1
    page.goto(f"{server}/sysadmin/jobs/")
    table = page.get_by_test_id("job-table").inner_text()
    assert "公示推送发件箱" in table and "送达 3 条" in table
    assert "数据库连接中断" in table and "连续失败 2 次" in table and "Traceback" not in table
    _shot(page, f"admin-jobs-{device}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert problems.items == []

    # Unlocked: the user logs in with the right password.
    _log_in(user_page, server, locked.username, RIGHT_PASSWORD)
    assert user_page.url.startswith(f"{server}/workbench/") or "password/change" in user_page.url
