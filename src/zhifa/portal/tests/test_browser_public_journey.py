"""The public's journey through pages only, on a desktop and on a phone: find a decision by search (the hit
count, the terms marked, the decision's own 文号 and legal basis), then verify a double-random draw reached
from the published plan (names, Beijing time, the re-run in the browser says 一致). Screenshots:
test-artifacts/screenshots/public-*.png."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from zhifa.core.tests import test_browser as browser_tests
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _new_page, _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = browser_tests.server
launch_browser = browser_tests.launch_browser


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width} px wide"


def _open_menu_item(page: Any, label: str, phone: bool) -> None:
    """A section of the portal from its menu; on a phone the menu opens behind its button first."""
    menu = page.locator("#portal-menu")
    if phone:
        assert not menu.is_visible()  # collapsed: no sideways strip of links
        page.get_by_role("button", name="栏目导航").click()
        menu.wait_for(state="visible")
    menu.get_by_role("link", name=label).click()
    page.wait_for_load_state("networkidle")


@override_settings(PORTAL_RATE="", PORTAL_API_RATE="")
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_public_finds_a_decision_by_search_and_verifies_a_draw(
    launch_browser: Callable[[], Any],
    server: str,
    device: str,
) -> None:
    from zhifa.cases.models import CaseDocument, DocumentStatus, DocumentType
    from zhifa.disclosure.models import Publication, PublicationStatus, ResultKind
    from zhifa.inspections.models import DrawRecord

    # A decision the demo published, with its decision document issued (the public sees that number).
    decision = next(
        p
        for p in Publication.objects.filter(
            kind=ResultKind.PENALTY, status=PublicationStatus.PUBLISHED, source_type="cases.case"
        ).order_by("id")
        if CaseDocument.objects.filter(
            case_id=p.source_id, doc_type=DocumentType.DECISION, status=DocumentStatus.ISSUED
        ).exists()
    )
    number = decision.document_number
    term = decision.title.split("（")[0]
    drawn_task = DrawRecord.objects.filter(task__plan_item__plan__status="published").order_by("id").first()
    phone = device == "phone"
    page, problems = _new_page(launch_browser(), PHONE if phone else DESKTOP)  # no ORM call after this line

    page.goto(f"{server}/public/")
    _fits(page)
    latest = page.get_by_test_id("latest")
    assert latest.locator("li").first.get_attribute("data-kind") == "decision"
    page.get_by_label("搜索执法决定、执法主体、当事人（企业）").fill(term)
    page.get_by_role("button", name="搜索").click()
    page.wait_for_load_state("networkidle")
    count = page.get_by_test_id("hit-count")
    assert f"检索“{term}”：共找到" in count.inner_text()
    assert page.locator('[data-testid="decision-list"] mark').count() >= 1
    _fits(page)
    _shot(page, f"public-search-{device}.png")

    page.locator(f'[data-testid="decision-list"] a[href="/public/decisions/{decision.pk}/"]').click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("document-number").inner_text() == number
    assert "罚" in number and "立" not in number  # the 决定书 number, not the 立案 number
    assert "处罚依据" in page.get_by_test_id("legal-basis").inner_text()
    _fits(page)
    _shot(page, f"public-decision-{device}.png")

    _open_menu_item(page, "检查计划", phone)
    link = page.locator(f'a[href="/public/draws/{drawn_task.task_id}/"]')
    if not link.is_visible():  # the plan is folded: open it
        link.locator("xpath=ancestor::details").locator("summary").click()
    assert "任务编号" in link.locator("xpath=ancestor::td").inner_text()
    _fits(page)
    _shot(page, f"public-plans-{device}.png")
    link.click()
    page.wait_for_load_state("networkidle")
    page.locator('#verify-verdict[data-verdict="match"]').wait_for()
    assert page.get_by_test_id("task-number").inner_text() == str(drawn_task.task_id)
    assert "（北京时间）" in page.get_by_test_id("drawn-at").inner_text()
    facts = page.locator("main").inner_text()
    assert "party/" not in facts and "T0" not in page.get_by_test_id("drawn-at").inner_text()
    assert page.get_by_test_id("draw-parties").locator("tbody tr").count() >= 1
    assert page.locator('tr[data-result="mismatch"]').count() == 0
    _fits(page)
    _shot(page, f"public-draw-{device}.png")
    assert problems.items == []
