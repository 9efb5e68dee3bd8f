"""The pages in a real browser: Debian's chromium driven by Playwright, against a live server on the demo.

Why not pytest-django's ``live_server``: it forces a *transactional* test, whose teardown flushes every table.
That would delete the demo county (``demo_county``, built once per xdist worker) under the worker's following
modules, and the flush itself fails once a login has written to the append-only audit log (its triggers
refuse DELETE). Instead these are ordinary ``db`` tests: the server thread shares the test's database
connection (as Django's own LiveServerTestCase does for in-memory SQLite), so it sees the demo and the
rows the test adds, and everything it writes (sessions, audit rows, lockout counters) is rolled back with
the test. Requests are serial (each test waits for the page to settle), so sharing one connection is safe,
on both legs: in-memory SQLite, and PostgreSQL (a psycopg connection may be used from another thread).

Screenshots go to ``test-artifacts/screenshots/`` (git-ignored; CI keeps them as artifacts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.test.testcases import LiveServerThread

from zhifa.org.demo import DEMO_LOGINS

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
SCREENSHOTS = Path(settings.PROJECT_DIR) / "test-artifacts" / "screenshots"


class _SharedConnectionServer(ThreadedWSGIServer):
    """Request threads use the test's connection and never close it (the test's transaction owns it)."""

    def _close_connections(self) -> None:
        pass


class _SharedConnectionThread(LiveServerThread):
    server_class = _SharedConnectionServer

    def run(self) -> None:
        for alias, conn in (self.connections_override or {}).items():
            connections[alias] = conn
        try:
            handler = self.static_handler(_wsgi_handler())
            self.httpd = self._create_server(connections_override=self.connections_override)
            self.port = self.httpd.server_address[1]
            self.httpd.set_app(handler)
            self.is_ready.set()
            self.httpd.serve_forever()
        except Exception as exc:  # reported to the test by the fixture
            self.error = exc
            self.is_ready.set()


def _wsgi_handler() -> Any:
    from django.core.handlers.wsgi import WSGIHandler

    return WSGIHandler()


@pytest.fixture
def server(demo_county: Any, db: None) -> Iterator[str]:
    """A live server on 127.0.0.1 sharing the test's connection; yields its base URL."""
    connection = connections["default"]
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        pytest.skip("browser tests share the test's connection with the server: a file SQLite test database")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make system-test-deps)")
    # The request signals would close the shared connection after each request (autocommit is off in the
    # test's transaction); the test client disconnects them the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    connection.inc_thread_sharing()
    thread = _SharedConnectionThread("127.0.0.1", StaticFilesHandler, {"default": connection}, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        connection.dec_thread_sharing()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def launch_browser(server: str) -> Iterator[Callable[[], Any]]:
    """Start chromium when the test has finished its database work.

    Playwright's sync API runs an event loop on this thread; while it runs, Django (asgiref) hands this
    thread a *new* database connection outside the test's transaction, and refuses sync ORM calls. So
    tests read and write the database first, then launch the browser, and make no ORM call after.
    """
    from playwright.sync_api import sync_playwright

    manager = sync_playwright()
    started: list[Any] = []

    def launch() -> Any:
        playwright = manager.start()
        started.append(playwright)
        return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    yield launch
    for playwright in started:
        playwright.stop()


class PageProblems:
    """Console errors, uncaught exceptions, failed and refused requests of one page."""

    def __init__(self, page: Any) -> None:
        self.items: list[str] = []
        page.on("console", lambda m: self.items.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.items.append(f"exception: {e}"))
        page.on("requestfailed", lambda r: self.items.append(f"request failed: {r.url} {r.failure}"))
        page.on(
            "response",
            lambda r: self.items.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
        )


def _new_page(browser: Any, viewport: dict[str, int]) -> tuple[Any, PageProblems]:
    # Reduced motion: no chart animation, so screenshots show the finished chart.
    context = browser.new_context(viewport=viewport, locale="zh-CN", reduced_motion="reduce")
    page = context.new_page()
    return page, PageProblems(page)


def _log_in(page: Any, server: str, username: str, password: str) -> None:
    page.goto(f"{server}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def _shot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


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
