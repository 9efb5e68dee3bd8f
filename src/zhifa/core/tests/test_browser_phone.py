"""The internal app on a phone (375 px): no page needs sideways scrolling, every action button is on the
screen, lists are cards, 当场处罚 and 今日检查 are one tap away for an officer, the QR code opens on demand.
Screenshots: test-artifacts/screenshots/phone-*.png."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zhifa.core.tests import test_browser as browser_tests
from zhifa.core.tests.test_browser import PHONE, _log_in, _new_page, _shot
from zhifa.org.demo import DEMO_LOGINS

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = browser_tests.server
launch_browser = browser_tests.launch_browser

PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}

# Representative pages per role: lists and queues with wide tables, tab rows, forms.
PAGES = {
    "demo_officer": [
        "/workbench/",
        "/cases/",
        "/cases/simple/",
        "/inspections/today/",
        "/inspections/tasks/",
        "/org/parties/",
    ],
    "demo_supervisor": [
        "/workbench/",
        "/supervision/",
        "/stats/",
        "/inspections/warnings/",
        "/complaints/",
        "/org/certificates/",
    ],
}

# Buttons (and links styled as buttons) in <main> that are shown but lie beyond the screen's edges.
OFF_SCREEN = """() => [...document.querySelectorAll('main .btn, main button, main [type=submit]')]
  .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'
      && !e.closest('.nav-tabs, .nav-pills') && (r.left < -1 || r.right > window.innerWidth + 1); })
  .map(e => (e.textContent || e.value || '').trim().slice(0, 20))"""


def _check_page(page: Any, base: str, path: str) -> list[str]:
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    if width > inner:
        problems.append(f"{path}: {width} px wide on a {inner} px screen")
    off = page.evaluate(OFF_SCREEN)
    if off:
        problems.append(f"{path}: buttons off the screen: {off}")
    return problems


@pytest.mark.parametrize("username", list(PAGES), ids=[u.removeprefix("demo_") for u in PAGES])
def test_pages_fit_a_phone_with_every_action_on_the_screen(
    launch_browser: Callable[[], Any],
    server: str,
    username: str,
) -> None:
    page, problems = _new_page(launch_browser(), PHONE)
    _log_in(page, server, username, PASSWORDS[username])
    found: list[str] = []
    for path in PAGES[username]:
        found += _check_page(page, server, path)
        _shot(page, f"phone-{username.removeprefix('demo_')}{path.replace('/', '-').rstrip('-')}.png")
    assert found == []
    assert problems.items == []


def test_lists_become_cards_with_their_column_labels_on_a_phone(
    launch_browser: Callable[[], Any],
    server: str,
) -> None:
    page, _ = _new_page(launch_browser(), PHONE)
    _log_in(page, server, "demo_officer", PASSWORDS["demo_officer"])
    page.goto(server + "/inspections/tasks/")
    page.wait_for_load_state("networkidle")
    table = page.locator("main table.table-cards").first
    assert table.locator("thead").bounding_box()["height"] <= 1  # the header row is hidden: cells say it
    cell = table.locator("tbody tr").first.locator("td").nth(1)
    label = cell.get_attribute("data-label")
    assert label and label == table.locator("thead th").nth(1).inner_text().strip()
    # each row is a card: its cells stack instead of standing side by side
    first, second = (table.locator("tbody tr").first.locator("td").nth(i).bounding_box() for i in (0, 1))
    assert second["y"] >= first["y"] + first["height"] - 1
    # the tab row scrolls rather than wrapping out of sight, and says so
    tabs = page.locator("main .nav-tabs").first
    if tabs.evaluate("e => e.scrollWidth > e.clientWidth"):
        assert page.locator(".nav-scroll-hint").first.is_visible()
        assert tabs.locator(".active").first.bounding_box()["x"] < PHONE["width"]


def test_officer_reaches_on_the_spot_penalty_and_todays_inspections_in_one_tap(
    launch_browser: Callable[[], Any],
    server: str,
) -> None:
    page, problems = _new_page(launch_browser(), PHONE)
    _log_in(page, server, "demo_officer", PASSWORDS["demo_officer"])
    bar = page.get_by_test_id("quick-bar")
    assert bar.is_visible()
    bar.get_by_role("link", name="今日检查").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{server}/inspections/today/"
    # the QR code is not drawn on every card: it opens on demand
    toggle = page.get_by_test_id("qr-toggle").first
    qr = toggle.locator(".qr")
    assert not qr.is_visible()
    toggle.locator("summary").click()
    qr.wait_for(state="visible")
    # the image of the code is its own URL, loaded when the card opens (inspections:code_qr)
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=qr-toggle][open] .qr img');"
        " return !!i && i.complete && i.naturalWidth > 0; }"
    )
    assert qr.bounding_box()["width"] <= PHONE["width"]
    _shot(page, "phone-officer-today-qr-open.png")
    page.get_by_test_id("quick-bar").get_by_role("link", name="当场处罚").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{server}/cases/simple/"
    assert problems.items == []


def test_the_quick_bar_is_not_shown_to_a_role_that_cannot_use_it_nor_on_a_desktop(
    launch_browser: Callable[[], Any],
    server: str,
) -> None:
    from zhifa.core.tests.test_browser import DESKTOP

    browser = launch_browser()
    page, _ = _new_page(browser, PHONE)
    _log_in(page, server, "demo_supervisor", PASSWORDS["demo_supervisor"])
    assert page.get_by_test_id("quick-bar").count() == 0
    desk, _ = _new_page(browser, DESKTOP)
    _log_in(desk, server, "demo_officer", PASSWORDS["demo_officer"])
    assert desk.get_by_test_id("quick-bar").count() == 1 and not desk.get_by_test_id("quick-bar").is_visible()
