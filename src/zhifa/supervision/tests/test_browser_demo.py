"""The demo county's supervision part, and the queue and problem ledger in a real browser (screenshots in
docs/screenshots/supervision-*.png). Reuses the live-server fixtures of ``zhifa.core.tests.test_browser``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.core.tests.test_browser import DESKTOP, PHONE, _log_in, _new_page, launch_browser, server
from zhifa.org.demo import DEMO_PASSWORD

__all__ = ["launch_browser", "server"]

SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


@pytest.mark.django_db
def test_demo_has_a_problem_in_each_state_instruments_complaints_and_flags(demo_county: Any) -> None:
    from zhifa.complaints.models import Complaint
    from zhifa.supervision.models import Flag, Instrument, Problem, ProblemState

    assert set(Problem.objects.values_list("state", flat=True)) == set(ProblemState.values)
    assert (
        Instrument.objects.filter(kind="letter").exists()
        and Instrument.objects.filter(kind="opinion").exists()
    )
    assert Complaint.objects.filter(channel="hotline_12345").exists()
    assert Complaint.objects.filter(state="closed", satisfaction="basic").exists()
    kinds = set(Flag.objects.values_list("kind", flat=True))
    assert {"instrument_overdue", "liaison_not_visited"} <= kinds


@pytest.mark.browser
@pytest.mark.django_db
def test_queue_and_ledger_in_the_browser(launch_browser: Callable[[], Any], server: str) -> None:
    browser = launch_browser()
    page, problems = _new_page(browser, DESKTOP)
    _log_in(page, server, "demo_supervisor", DEMO_PASSWORD)
    page.goto(f"{server}/supervision/")
    page.get_by_test_id("flag-queue").wait_for()
    assert page.locator("tr[data-flag]").count() >= 2
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "supervision-queue.png"), full_page=True)
    # Dismiss without a reason: refused beside the row (htmx), the row stays new.
    page.goto(f"{server}/supervision/?kind=instrument_overdue")
    row = page.locator("tr[data-flag][data-kind='instrument_overdue']").first
    flag_id = row.get_attribute("data-flag")
    row.get_by_role("button", name="排除").click()
    page.locator(f"#flag-{flag_id} .invalid-feedback").wait_for()
    assert "排除理由" in page.locator(f"#flag-{flag_id} .invalid-feedback").inner_text()
    page.locator(f"#flag-{flag_id} select[name=category]").select_option("inaction")
    page.locator(f"#flag-{flag_id}").get_by_role("button", name="转为问题").click()
    page.locator(f"#flag-{flag_id}[data-state='converted']").wait_for()
    page.goto(f"{server}/supervision/problems/")
    page.get_by_test_id("problem-ledger").wait_for()
    assert page.locator("tr[data-problem][data-state='closed']").count() >= 1
    page.screenshot(path=str(SHOTS / "supervision-ledger.png"), full_page=True)
    page.locator("tr[data-problem][data-state='verifying'] a").first.click()
    page.get_by_test_id("problem-steps").wait_for()
    page.screenshot(path=str(SHOTS / "supervision-problem.png"), full_page=True)
    assert [p for p in problems.items if "favicon" not in p] == []  # a favicon cut short by navigation
    phone, phone_problems = _new_page(browser, PHONE)
    phone.goto(f"{server}/complaints/submit/")
    phone.get_by_label("标题").fill("执法人员未出示证件")
    phone.get_by_label("诉求内容（时间、地点、执法单位、经过）").fill("演示：检查时未出示执法证件。")
    phone.get_by_label("发生地（区划）").select_option("860102")
    phone.get_by_role("button", name="提交").click()
    phone.get_by_test_id("tracking-code").wait_for()
    phone.screenshot(path=str(SHOTS / "supervision-complaint-phone.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone_problems.items == []
