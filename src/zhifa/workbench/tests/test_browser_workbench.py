"""The 待办 workbenches in Debian's chromium, on the demo county: each role lands on its queues (desktop and
phone), the head approves a 立案 and decides from his 待审批, the reviewer reviews a major decision from 我的待审.

Every step is a page: the queue's count, the list it links to, the case or review page and its form. The cases
are the demo's own (the queues hold them on any date); the only ORM reads happen before chromium starts.
Screenshots: docs/screenshots/workbench-todo-*.png (and test-artifacts/screenshots/).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.cases import selectors as case_selectors
from zhifa.cases.demo import _catalog_code
from zhifa.core import clock
from zhifa.core.tests import test_browser as browser_tests
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _log_in, _new_page, _shot
from zhifa.evidence.required_defaults import ensure_default_rules
from zhifa.org.demo import DEMO_LOGINS
from zhifa.org.models import Officer, User
from zhifa.org.selectors import officer_can_enforce
from zhifa.review import selectors as review_selectors

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = browser_tests.server
launch_browser = browser_tests.launch_browser
PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}
DOCS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"
QUEUE_PANELS = {
    "demo_officer": "officer-todo",
    "demo_reviewer": "reviewer-todo",
    "demo_head": "head-todo",
    "demo_supervisor": "supervisor-todo",
}


def shot(page: Any, name: str) -> None:
    path = _shot(page, name)
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, DOCS / name)


def _todo(page: Any, label: str) -> Any:
    return page.locator(f'a[data-todo="{label}"]')


def test_each_role_lands_on_its_queues_first_on_desktop_and_phone(
    launch_browser: Callable[[], Any], server: str
) -> None:
    browser = launch_browser()
    for username, panel in QUEUE_PANELS.items():
        for viewport, suffix in ((DESKTOP, ""), (PHONE, "-phone")):
            page, problems = _new_page(browser, viewport)
            _log_in(page, server, username, PASSWORDS[username])
            assert page.url == f"{server}/workbench/"
            first = page.locator("section[data-panel]").first
            assert first.get_attribute("data-panel") == panel  # the work queue, above certificates and counts
            assert page.locator(f'section[data-panel="{panel}"] a[data-todo]').count() >= 2
            # no sideways scrolling on a phone
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), username
            shot(page, f"workbench-todo-{username.removeprefix('demo_')}{suffix}.png")
            if username == "demo_head":  # the agency's case list the queues link to, on the same screen
                page.goto(f"{server}/cases/all/")
                assert page.get_by_test_id("case-list").locator("tr[data-case]").count() >= 1
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
                shot(page, f"case-list-head{suffix}.png")
            assert not problems.items, problems.items
            page.context.close()


def test_head_approves_a_source_and_decides_from_his_queue(
    launch_browser: Callable[[], Any], server: str
) -> None:
    ensure_default_rules()
    head = User.objects.get(username="demo_head")
    today = clock.today()
    agency_cases = case_selectors.case_list(head, today=today)
    source = case_selectors.case_queue(head, "open", agency_cases, today=today).order_by("-id").first()
    ready = case_selectors.case_queue(head, "decide", agency_cases, today=today).order_by("-id").first()
    assert source is not None and ready is not None, (
        "the demo leaves a 案源 and a decidable case for the head"
    )
    officers = [
        o.pk
        for o in Officer.objects.filter(agency=source.agency, is_active=True, is_auxiliary=False).order_by(
            "id"
        )
        if officer_can_enforce(o, source.domain, on=today).allowed
    ][:2]
    assert len(officers) == 2
    # The agency's 执法事项目录 is in force from today: 立案 without an item is refused (本机关已公布执法事项目录), so
    # the head picks one in the 立案 form's 执法事项 field when the 案源 named none.
    item_code = _catalog_code(source.agency, today)
    kinds, fine = list(ready.proposed_kinds), ready.proposed_fine_yuan
    source_id, ready_id = source.pk, ready.pk

    browser = launch_browser()
    page, problems = _new_page(browser, DESKTOP)
    _log_in(page, server, "demo_head", PASSWORDS["demo_head"])
    open_count = int(_todo(page, "待立案审批").get_attribute("data-count"))
    assert open_count >= 1

    # 待立案审批 → the list of 案源 → the case → 立案.
    _todo(page, "待立案审批").click()
    page.wait_for_load_state("networkidle")
    assert "待立案审批" in page.locator("h1").inner_text()
    page.locator(f'tr[data-case="{source_id}"] a').first.click()
    page.wait_for_load_state("networkidle")
    block = page.locator('details[data-action="open"]')
    block.locator("summary").click()
    for pk in officers:
        block.locator(f"input[name='open-officers'][value='{pk}']").check()
    block.locator("#id_open-on").fill(today.isoformat())
    block.locator("#id_open-act_date").fill(today.isoformat())
    item_field = block.locator("#id_open-catalog_item_code")
    if item_code and not item_field.input_value():
        item_field.fill(item_code)
    block.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("case-stage").inner_text() == "立案", page.locator(
        ".form-errors"
    ).all_inner_texts()
    shot(page, "workbench-head-opened.png")

    # Back on the workbench the queue holds one less; 待作出决定 → the case → 作出处罚决定.
    page.goto(f"{server}/workbench/")
    assert int(_todo(page, "待立案审批").get_attribute("data-count")) == open_count - 1
    _todo(page, "待作出决定").click()
    page.wait_for_load_state("networkidle")
    page.locator(f'tr[data-case="{ready_id}"] a').first.click()
    page.wait_for_load_state("networkidle")
    block = page.locator('details[data-action="decide"]')
    block.locator("summary").click()
    block.locator("#id_decide-on").fill(today.isoformat())
    for kind in kinds:
        block.locator(f"input[name='decide-kinds'][value='{kind}']").check()
    if fine is not None:
        block.locator("#id_decide-fine_yuan").fill(str(fine))
    block.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("case-stage").inner_text() == "决定", page.locator(
        ".form-errors"
    ).all_inner_texts()
    shot(page, "workbench-head-decided.png")
    assert not problems.items, problems.items


def test_reviewer_reviews_a_major_decision_from_my_queue_on_a_phone(
    launch_browser: Callable[[], Any], server: str
) -> None:
    reviewer = User.objects.get(username="demo_reviewer")
    waiting = review_selectors.my_queue(reviewer).first()
    assert waiting is not None, "the demo assigns a major case to the demo reviewer"
    request_id = waiting.pk
    today = clock.today()

    browser = launch_browser()
    page, problems = _new_page(browser, PHONE)
    _log_in(page, server, "demo_reviewer", PASSWORDS["demo_reviewer"])
    assert int(_todo(page, "我的待审").get_attribute("data-count")) >= 1
    page.locator(f'section[data-panel="reviewer-todo"] a[href="/review/requests/{request_id}/"]').click()
    page.wait_for_load_state("networkidle")
    form = page.get_by_test_id("findings-form")
    for item in form.locator("li[data-point]").all():
        item.locator(f"#r_{item.get_attribute('data-point')}_ok").check()
    form.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    conclude = page.get_by_test_id("conclude-form")
    conclude.locator("#agreed_yes").check()
    conclude.locator("#opinion").fill("事实清楚，证据确凿，程序合法，适用依据正确，裁量适当，同意。")
    conclude.locator("#conclude_on").fill(today.isoformat())
    conclude.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("review-state").inner_text() == "同意"
    shot(page, "workbench-reviewer-agreed-phone.png")
    page.goto(f"{server}/workbench/")
    assert int(_todo(page, "我的待审").get_attribute("data-count")) == 0
    assert not problems.items, problems.items
