"""Each role through the login form onto its workbench, in Debian's chromium, on the demo county.

The machinery (the live server sharing the test's connection, chromium, the page helpers) is in
``zhifa.testing.browser`` and its fixtures (``server``, ``launch_browser``) in ``zhifa.testing.plugin``; the
names are re-exported here for the browser tests that import them from this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zhifa.org.demo import DEMO_LOGINS
from zhifa.testing.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    PageProblems,
)
from zhifa.testing.browser import SharedConnectionThread as _SharedConnectionThread
from zhifa.testing.browser import log_in as _log_in
from zhifa.testing.browser import new_page as _new_page
from zhifa.testing.browser import shot as _shot
from zhifa.testing.plugin import launch_browser, server

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "DESKTOP",
    "PHONE",
    "SCREENSHOTS",
    "PageProblems",
    "_SharedConnectionThread",
    "_log_in",
    "_new_page",
    "_shot",
    "launch_browser",
    "server",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _role(username: str) -> str:
    return username.removeprefix("demo_")


@pytest.mark.parametrize(
    ("label", "username", "password"), DEMO_LOGINS, ids=[_role(u) for _, u, _ in DEMO_LOGINS]
)
def test_each_role_logs_in_through_the_form_and_lands_on_its_workbench(
    launch_browser: Callable[[], Any], server: str, label: str, username: str, password: str
) -> None:
    from zhifa.org.models import User

    full_name = User.objects.get(username=username).full_name
    page, problems = _new_page(launch_browser(), DESKTOP)
    _log_in(page, server, username, password)
    assert page.url == f"{server}/workbench/"
    assert page.get_by_role("heading", name="工作台").is_visible()
    assert full_name in page.get_by_test_id("current-user").inner_text()
    assert page.get_by_text("演示数据，纯属虚构").first.is_visible()
    assert page.locator("section.card").count() >= 1
    if _role(username) in ("supervisor", "supervisor2", "city_supervisor", "admin"):
        page.locator("#officers-by-agency canvas").first.wait_for()
    _shot(page, f"workbench-{_role(username)}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert problems.items == []


def test_officer_workbench_fits_a_phone_and_the_menu_opens(
    launch_browser: Callable[[], Any], server: str
) -> None:
    from zhifa.org.models import User

    _, username, password = next(row for row in DEMO_LOGINS if row[1] == "demo_officer")
    full_name = User.objects.get(username=username).full_name
    page, problems = _new_page(launch_browser(), PHONE)
    _log_in(page, server, username, password)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "workbench-officer-phone.png")
    menu = page.locator("#main-menu")
    assert not menu.is_visible()
    page.get_by_role("button", name="展开菜单").click()
    menu.wait_for(state="visible")
    page.wait_for_timeout(400)  # the collapse animation, for the screenshot only
    assert full_name in page.get_by_test_id("current-user").inner_text()
    page.locator('[data-menu-group="基础数据"] > a').click()
    page.get_by_role("link", name="执法人员").wait_for(state="visible")
    assert page.get_by_role("link", name="相对人导入").count() == 0
    _shot(page, "workbench-officer-phone-menu.png")
    assert problems.items == []


def test_typing_in_the_party_search_filters_the_table_without_reloading(
    launch_browser: Callable[[], Any], server: str
) -> None:
    from zhifa.org.models import Party

    party = Party.objects.exclude(uscc=None).order_by("id")[5]
    page, problems = _new_page(launch_browser(), DESKTOP)
    _log_in(page, server, "demo_admin", dict((u, p) for _, u, p in DEMO_LOGINS)["demo_admin"])
    page.goto(f"{server}/org/parties/")
    page.evaluate("window.__same_document = true")
    page.get_by_label("名称片段或统一社会信用代码").fill(party.uscc)
    page.locator("#results tbody tr").first.wait_for()
    # a function, not an expression: Playwright polls an expression with eval, which the CSP forbids
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 1")
    assert party.name in page.locator("#results").inner_text()
    assert page.evaluate("window.__same_document") is True  # htmx swapped the fragment, no page load
    assert party.uscc in page.url  # the search is in the address bar (hx-push-url)
    _shot(page, "parties-search.png")
    assert problems.items == []


def test_five_wrong_passwords_lock_the_account_in_the_browser(
    launch_browser: Callable[[], Any], server: str
) -> None:
    from zhifa.org.models import User

    User.objects.create_user(username="browser_lockout", password="Right-Pass-2026", full_name="锁定测试")
    page, _ = _new_page(launch_browser(), DESKTOP)
    for _ in range(4):
        _log_in(page, server, "browser_lockout", "wrong-password")
        assert page.get_by_text("用户名或密码不正确").is_visible()
    _log_in(page, server, "browser_lockout", "wrong-password")
    assert page.get_by_role("heading", name="账号已锁定").is_visible()
    assert "锁定" in page.get_by_test_id("locked-out").inner_text()
    _shot(page, "login-locked-out.png")
    # Even the right password is refused while the lock lasts.
    _log_in(page, server, "browser_lockout", "Right-Pass-2026")
    assert page.get_by_role("heading", name="账号已锁定").is_visible()
    assert "/workbench/" not in page.url


def test_enterprise_verifies_a_certificate_in_the_workbench_box(
    launch_browser: Callable[[], Any], server: str
) -> None:
    from zhifa.org.models import Certificate, CertificateStatus

    valid = Certificate.objects.filter(status=CertificateStatus.VALID).order_by("-expires_on").first().number
    suspended = Certificate.objects.filter(status=CertificateStatus.SUSPENDED).first().number
    password = dict((u, p) for _, u, p in DEMO_LOGINS)["demo_enterprise"]
    page, problems = _new_page(launch_browser(), DESKTOP)
    _log_in(page, server, "demo_enterprise", password)
    page.evaluate("window.__same_document = true")
    page.get_by_label("执法证件编号").fill(valid)
    page.get_by_role("button", name="核验", exact=True).click()
    page.locator('[data-verify="valid"]').wait_for()
    page.get_by_label("执法证件编号").fill(suspended)
    page.get_by_role("button", name="核验", exact=True).click()
    page.locator('[data-verify="invalid"]').wait_for()
    assert "暂扣" in page.locator("#verify-result").inner_text()
    assert page.evaluate("window.__same_document") is True
    _shot(page, "workbench-enterprise-verify.png")
    assert problems.items == []
