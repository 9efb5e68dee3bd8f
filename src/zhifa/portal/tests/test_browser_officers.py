"""Officers in public, through pages only: anonymously, an agency's page → its roster of certified officers →
a search by name → the officer's certificate check (valid) → the post's 岗位信息公示牌 print view with a QR code
per officer; then the agency head prints the window notice from the staff page. Screenshots:
docs/screenshots/portal-roster.png, portal-post-board.png, portal-post-list.png, portal-window-notice.png."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from zhifa.core.tests import test_browser as browser_tests
from zhifa.core.tests.test_browser import DESKTOP
from zhifa.org.demo import DEMO_PASSWORD
from zhifa.testing.browser import log_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = browser_tests.server
launch_browser = browser_tests.launch_browser
SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


@override_settings(PORTAL_RATE="", PORTAL_API_RATE="")
def test_the_public_finds_an_officer_checks_the_certificate_and_sees_the_post_board(
    launch_browser: Callable[[], Any],
    server: str,
) -> None:
    from zhifa.portal.models import ServicePost
    from zhifa.portal.selectors import post_board

    window = ServicePost.objects.select_related("agency").get(
        name="综合服务窗口", created_by__username="demo_head"
    )
    on_duty = post_board(window).officers
    assert on_duty, "the demo window has certified officers"
    officer = on_duty[0]
    agency_id, agency_name = window.agency_id, window.agency.name
    page, problems = new_page(launch_browser(), DESKTOP)  # no ORM call after this line

    page.goto(f"{server}/public/agencies/{agency_id}/")
    page.get_by_role("link", name="执法人员清单（姓名、职务、证件编号、执法类别、执法区域、岗位）").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == f"{agency_name} · 执法人员清单"
    page.get_by_label("姓名或执法证件编号").fill(officer.name)
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state("networkidle")
    rows = page.get_by_test_id("roster-row")
    assert rows.count() >= 1 and all(officer.name in rows.nth(i).inner_text() for i in range(rows.count()))
    row = rows.filter(has_text=officer.number)
    assert "综合服务窗口" in row.inner_text() and "市场监管" in row.inner_text()
    _shot(page, "portal-roster.png")

    row.get_by_role("link", name=officer.number).click()
    page.wait_for_load_state("networkidle")
    result = page.get_by_test_id("check-result")
    assert "证件有效" in result.inner_text() and officer.name in result.inner_text()

    page.go_back()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("roster-row").filter(has_text=officer.number).get_by_role(
        "link", name="综合服务窗口"
    ).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "岗位信息公示牌"
    boards = page.get_by_test_id("board-officer")
    assert boards.count() == len(on_duty)
    assert boards.first.locator("svg").count() == 1
    assert officer.number in page.get_by_test_id("board-officer").filter(has_text=officer.name).inner_text()
    _shot(page, "portal-post-board.png")
    pdf = page.request.get(page.url.split("?")[0] + "?format=pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    assert not problems.items, problems.items


@override_settings(PORTAL_RATE="", PORTAL_API_RATE="")
def test_the_head_prints_the_window_notice_from_the_staff_page(
    launch_browser: Callable[[], Any],
    server: str,
) -> None:
    page, problems = new_page(launch_browser(), DESKTOP)  # no ORM call after this line
    log_in(page, server, "demo_head", DEMO_PASSWORD)
    page.goto(f"{server}/public/staff/posts/")
    rows = page.get_by_test_id("post-row")
    assert rows.count() == 2  # the head's own agency only: its window and its post
    _shot(page, "portal-post-list.png")
    href = (
        rows.filter(has_text="综合服务窗口")
        .get_by_role("link", name="窗口公告", exact=True)
        .get_attribute("href")
    )
    page.goto(f"{server}{href}")
    assert page.get_by_role("heading", level=1).inner_text() == "窗口公示公告"
    assert page.get_by_test_id("notice-decision").count() >= 1  # the demo agency's published decisions
    _shot(page, "portal-window-notice.png")
    assert not problems.items, problems.items
