"""The people page's forms in a real browser: the demo county's supervisor appoints a social supervisor (a refusal
first, then the corrected form) and sees the new row; screenshot in docs/screenshots/supervision-people.png.
Reuses the live-server fixtures of ``zhifa.core.tests.test_browser``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.core.tests.test_browser import DESKTOP, _log_in, _new_page, launch_browser, server
from zhifa.org.demo import DEMO_PASSWORD

__all__ = ["launch_browser", "server"]

SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


@pytest.mark.browser
@pytest.mark.django_db
def test_appoint_a_social_supervisor_in_the_browser(launch_browser: Callable[[], Any], server: str) -> None:
    from zhifa.org.models import Region
    from zhifa.supervision import services

    # Database reads first: once chromium runs, this thread may not use the ORM.
    county = Region.objects.get(code="860102")
    today = services.today()
    appointed, term_end = today.isoformat(), today.replace(year=today.year + 3).isoformat()

    page, problems = _new_page(launch_browser(), DESKTOP)
    _log_in(page, server, "demo_supervisor", DEMO_PASSWORD)
    page.goto(f"{server}/supervision/people/")
    form = page.get_by_test_id("appoint-form")
    form.locator("summary").click()
    assert page.get_by_label("区划").input_value() == str(county.pk)
    page.get_by_label("姓名").fill("浏览器监督员")
    page.get_by_label("工作单位/身份").fill("示范县工商业联合会")
    page.get_by_label("界别").fill("民营企业")
    page.get_by_label("聘任日期").fill(appointed)
    page.get_by_label("聘期至").fill(appointed)  # not after the appointment: refused beside the field
    page.get_by_role("button", name="聘任", exact=True).click()
    page.wait_for_load_state("networkidle")
    error = page.locator("#ap-to-err")
    assert "聘期须晚于聘任日期" in error.inner_text()
    assert page.get_by_label("姓名").input_value() == "浏览器监督员"  # what was typed is kept
    assert page.get_by_label("聘期至").evaluate("e => e === document.activeElement")  # focus on the error
    page.get_by_label("聘期至").fill(term_end)
    page.get_by_role("button", name="聘任", exact=True).click()
    page.wait_for_load_state("networkidle")
    row = page.locator("[data-testid=social-supervisors] tr", has_text="浏览器监督员")
    row.wait_for()
    assert "民营企业" in row.inner_text() and f"{appointed} 至 {term_end}" in row.inner_text()
    assert "已聘任社会监督员 浏览器监督员" in page.locator(".messages").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "supervision-people.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert [p for p in problems.items if "favicon" not in p] == []
