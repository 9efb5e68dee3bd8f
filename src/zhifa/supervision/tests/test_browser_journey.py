"""The supervisor's journey, through pages only, on the demo county: the supervisor turns
a warning into a problem (问题台账) on the desktop; the agency head records the rectification and asks for
verification on a phone; the supervisor verifies it and closes it (销号), on the phone. Screenshots in
docs/screenshots/journey-supervisor-*.png."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from zhifa.core import clock
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _log_in, _new_page, _shot, launch_browser, server
from zhifa.org.demo import DEMO_PASSWORD

__all__ = ["launch_browser", "server"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _a_new_warning_of_the_heads_agency() -> tuple[int, int]:
    """(flag id, agency id): a new, still open warning the demo supervisor may convert, of the demo head's agency."""
    from zhifa.org.models import RoleAssignment
    from zhifa.org.permissions import can
    from zhifa.supervision.models import Flag, FlagState
    from zhifa.supervision.rules import SUPERVISE

    head = RoleAssignment.objects.filter(user__username="demo_head").exclude(agency=None).first()
    assert head is not None
    supervisor = RoleAssignment.objects.get(user__username="demo_supervisor").user
    open_flags = Flag.objects.filter(state=FlagState.NEW, source_open=True, agency_id=head.agency_id)
    for flag in open_flags.order_by(
        "-id"
    ):  # the queue lists the newest first; a source-closed flag is off it
        if can(supervisor, SUPERVISE, flag):
            return flag.pk, head.agency_id
    raise AssertionError("the demo has no new warning of the head's agency")


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_the_supervisor_turns_a_warning_into_a_problem_and_verifies_it_closed(
    launch_browser: Callable[[], Any], server: str
) -> None:
    flag_id, agency_id = _a_new_warning_of_the_heads_agency()
    due = (clock.today() + dt.timedelta(days=30)).isoformat()
    browser = launch_browser()

    # The supervisor, at the desk: the warning queue of the agency → 转为问题.
    page, problems = _new_page(browser, DESKTOP)
    _log_in(page, server, "demo_supervisor", DEMO_PASSWORD)
    page.goto(f"{server}/supervision/?agency={agency_id}")
    row = page.locator(f"#flag-{flag_id}")
    row.wait_for()
    row.locator("select[name=category]").select_option("irregular")
    if row.locator("input[name=due]").count():
        row.locator("input[name=due]").fill(due)
    row.get_by_role("button", name="转为问题").click()
    page.locator(f"#flag-{flag_id}[data-state='converted']").wait_for()
    _shot(page, "journey-supervisor-1-converted.png")
    page.locator(f"#flag-{flag_id}").get_by_role("link", name="问题 #").click()
    page.get_by_test_id("problem-steps").wait_for()
    problem_url = page.url
    assert page.get_by_test_id("problem-state").inner_text() == "待整改"
    assert "监督预警" in page.locator("dl").first.inner_text()
    _shot(page, "journey-supervisor-2-problem.png")

    # The agency head, on a phone: the problem from the ledger → 整改措施 → 提请核验.
    phone, phone_problems = _new_page(browser, PHONE)
    _log_in(phone, server, "demo_head", DEMO_PASSWORD)
    phone.goto(f"{server}/supervision/problems/?state=open")
    phone.locator(f"a[href='{problem_url.removeprefix(server)}']").first.click()
    phone.get_by_test_id("problem-steps").wait_for()
    phone.get_by_label("整改措施").fill("已组织全员学习执法程序规定，补正相关文书。")
    phone.get_by_label("佐证材料（文件名、链接或说明）").fill("学习记录及补正文书清单")
    phone.get_by_role("button", name="保存整改措施").click()
    phone.get_by_label("整改完成情况").fill("整改已完成，请核验。")
    phone.get_by_role("button", name="提请核验").click()
    assert phone.get_by_test_id("problem-state").inner_text() == "待核验"
    _no_sideways_scroll(phone)
    _shot(phone, "journey-supervisor-3-rectified-phone.png")
    phone.context.close()

    # The supervisor, on a phone: 核验通过 → 销号.
    phone, phone_problems2 = _new_page(browser, PHONE)
    _log_in(phone, server, "demo_supervisor", DEMO_PASSWORD)
    phone.goto(problem_url)
    phone.get_by_label("核验意见").fill("抽查整改材料，整改到位。")
    phone.get_by_role("button", name="核验通过").click()
    phone.get_by_label("销号说明").fill("整改到位，予以销号。")
    phone.get_by_role("button", name="销号").click()
    assert phone.get_by_test_id("problem-state").inner_text() == "已销号"
    steps = phone.get_by_test_id("problem-steps").inner_text()
    for step in ("整改", "核验", "销号"):
        assert step in steps
    _no_sideways_scroll(phone)
    _shot(phone, "journey-supervisor-4-closed-phone.png")

    # Back at the desk: the ledger lists it as closed.
    page.goto(f"{server}/supervision/problems/?state=closed")
    assert page.locator(f"a[href='{problem_url.removeprefix(server)}']").count() >= 1
    assert [p for p in problems.items if "favicon" not in p] == []
    assert [p for p in phone_problems.items + phone_problems2.items if "favicon" not in p] == []
