"""Pages in a real browser: Debian's chromium driven by Playwright, against a live server on the test's data.

Why not pytest-django's ``live_server``: it forces a *transactional* test, whose teardown flushes every table.
That would delete the demo county (``demo_county``, built once per xdist worker) under the worker's following
modules, and the flush itself fails once a login has written to the append-only audit log (its triggers
refuse DELETE). Instead browser tests are ordinary ``db`` tests: the server thread shares the test's database
connection (as Django's own LiveServerTestCase does for in-memory SQLite), so it sees the demo and the
rows the test adds, and everything it writes (sessions, audit rows, lockout counters) is rolled back with
the test. Requests are serial (each test waits for the page to settle), so sharing one connection is safe,
on both legs: in-memory SQLite, and PostgreSQL (a psycopg connection may be used from another thread).

Playwright's sync API runs an event loop on the test's thread; while it runs, Django (asgiref) hands the thread
a *new* database connection outside the test's transaction and refuses sync ORM calls. So tests read and write
the database first, then launch the browser (``launch_browser`` fixture), and make no ORM call after.

Screenshots go to ``test-artifacts/screenshots/`` (git-ignored; CI keeps them as artifacts).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.test.testcases import LiveServerThread

# Debian's chromium (``make system-test-deps``), never a browser Playwright downloads.
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


class SharedConnectionServer(ThreadedWSGIServer):
    """Request threads use the test's connection and never close it (the test's transaction owns it)."""

    def _close_connections(self) -> None:
        pass


class OneRequestAtATime:
    """Runs the server's requests one at a time, their responses read to the end inside the lock.

    The request threads share one database connection: two requests on it at once (a page and an image it loads
    lazily, say) would interleave their savepoints ("no such savepoint"). A lock per request, not per
    connection: a keep-alive connection waiting for the browser's next request holds nothing.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with self.lock:
            result = self.app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        return [body]


class SharedConnectionThread(LiveServerThread):
    server_class = SharedConnectionServer

    def run(self) -> None:
        for alias, conn in (self.connections_override or {}).items():
            connections[alias] = conn
        try:
            handler = self.static_handler(wsgi_handler())
            self.httpd = self._create_server(connections_override=self.connections_override)
            self.port = self.httpd.server_address[1]
            self.httpd.set_app(OneRequestAtATime(handler))
            self.is_ready.set()
            self.httpd.serve_forever()
        except Exception as exc:  # reported to the test by ``live_server_sharing_connection``
            self.error = exc
            self.is_ready.set()


def wsgi_handler() -> Any:
    """The server's WSGI application (a test may wrap it: patch ``zhifa.testing.browser.wsgi_handler``)."""

    return WSGIHandler()


@contextmanager
def live_server_sharing_connection() -> Iterator[str]:
    """A live server on 127.0.0.1 sharing the test's connection; yields its base URL.

    Skips the test on a file SQLite test database (the connection cannot be shared) or without chromium.
    """
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
    thread = SharedConnectionThread("127.0.0.1", StaticFilesHandler, {"default": connection}, port=0)
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


@contextmanager
def chromium_launcher() -> Iterator[Callable[[], Any]]:
    """A function that starts Playwright and launches Debian's chromium; everything it started stops after."""
    # local import: Playwright is heavy and only the browser tests launch it
    from playwright.sync_api import sync_playwright

    manager = sync_playwright()
    started: list[Any] = []

    def launch() -> Any:
        playwright = manager.start()
        started.append(playwright)
        return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    try:
        yield launch
    finally:
        for playwright in started:
            playwright.stop()


class PageProblems:
    """Console errors, uncaught exceptions, failed and refused requests of one page."""

    def __init__(self, page: Any) -> None:
        self.items: list[str] = []
        page.on("console", lambda m: self.items.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.items.append(f"exception: {e}"))
        page.on("requestfailed", self._request_failed)
        page.on(
            "response",
            lambda r: self.items.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
        )

    def _request_failed(self, request: Any) -> None:
        # The browser cancels a request still in flight when the page navigates away (a favicon, a
        # prefetch): net::ERR_ABORTED is the browser's own doing, not a failure of the server. A refused
        # request still shows, as an HTTP status of 400 or more.
        if request.failure == "net::ERR_ABORTED":
            return
        self.items.append(f"request failed: {request.url} {request.failure}")


def new_page(browser: Any, viewport: dict[str, int]) -> tuple[Any, PageProblems]:
    """A page in a fresh context (zh-CN), with its problems recorded."""
    # Reduced motion: no chart animation, so screenshots show the finished chart.
    context = browser.new_context(viewport=viewport, locale="zh-CN", reduced_motion="reduce")
    page = context.new_page()
    return page, PageProblems(page)


def log_in(page: Any, server: str, username: str, password: str) -> None:
    """Through the login form, as a user would."""
    page.goto(f"{server}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def shot(page: Any, name: str) -> Path:
    """A full-page screenshot under ``test-artifacts/screenshots/``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    return path
