"""行政强制 decisions in chromium, through pages only: an anonymous reader finds the demo's published 扣押
decision with the 行政强制 filter; an officer submits a 扣押 decision's draft and the head publishes it.
Screenshots under docs/screenshots/disclosure-compulsion-*.png."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.core.tests.test_browser import DESKTOP, PHONE, _new_page, launch_browser, server
from zhifa.disclosure.models import Publication, PublicationStatus, ResultKind
from zhifa.disclosure.tests.helpers import publication_of
from zhifa.disclosure.tests.test_compulsion import publication_of_seizure, seize
from zhifa.testing.browser import log_in
from zhifa.testing.worlds import decide_simple

__all__ = ["launch_browser", "server"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_anyone_finds_a_published_compulsion_decision_of_the_demo(
    world: Any, launch_browser: Callable[[], Any], server: str
) -> None:
    demo = Publication.objects.filter(kind=ResultKind.COMPULSION, status=PublicationStatus.PUBLISHED)
    assert demo.exists()  # the demo publishes its 扣押 decisions (disclosure/demo.py)
    browser = launch_browser()
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page, problems = _new_page(browser, viewport)
        page.goto(f"{server}/public/decisions/")
        page.get_by_label("类别").select_option(label="行政强制决定")
        page.get_by_role("button", name="查询").click()
        page.wait_for_load_state("networkidle")
        listing = page.get_by_test_id("decision-list")
        assert "行政强制决定" in listing.inner_text() and "行政处罚决定 ·" not in listing.inner_text()
        _shot(page, f"disclosure-compulsion-list-{label}.png")
        listing.locator("li a").first.click()
        page.wait_for_load_state("networkidle")
        fields = page.get_by_test_id("decision-fields").inner_text()
        assert "行政强制内容" in fields and "扣押" in fields and "期限" in fields
        assert "尚未编号" not in page.get_by_test_id("document-number").inner_text()  # the demo's 决定书
        _shot(page, f"disclosure-compulsion-detail-{label}.png")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert problems.items == []


def test_an_officer_submits_and_the_head_publishes_a_seizure_decision(
    world: Any, launch_browser: Callable[[], Any], server: str
) -> None:
    p = publication_of_seizure(seize(world, items=["无标签散装白酒 6 桶"]))
    warning = publication_of(decide_simple(world, party=world.citizen, kinds=["warning"], fine_yuan=None))
    for user in (world.officer_user, world.head):
        user.set_password("Browser@2026")
        user.save()
    officer, head, title = world.officer_user.username, world.head.username, p.title
    browser = launch_browser()
    page, problems = _new_page(browser, DESKTOP)
    log_in(page, server, officer, "Browser@2026")
    page.goto(f"{server}/disclosure/")
    page.get_by_test_id("publication-queue").get_by_role("link", name=title).first.click()
    page.wait_for_load_state("networkidle")
    preview = page.get_by_test_id("preview").inner_text()
    assert "无标签散装白酒 6 桶" in preview and "行政强制内容" in preview
    _shot(page, "disclosure-compulsion-preview-desktop.png")
    page.get_by_role("button", name="确认无误，提交审核").click()
    page.wait_for_load_state("networkidle")
    assert "已提交审核" in page.content()
    page.context.clear_cookies()
    log_in(page, server, head, "Browser@2026")
    page.goto(f"{server}/disclosure/{p.pk}/")
    page.get_by_role("button", name="审核通过并公示").click()
    page.wait_for_load_state("networkidle")
    assert "已审核发布" in page.content()
    _shot(page, "disclosure-compulsion-approved-desktop.png")
    page.get_by_role("link", name="在公示平台查看").click()
    page.wait_for_load_state("networkidle")
    assert "无标签散装白酒 6 桶" in page.get_by_test_id("decision-body").inner_text()
    # 行政处罚法 第四十八条: a warning to a citizen waits in 不予公开 with its reason; the head may decide otherwise
    page.goto(f"{server}/disclosure/?tab=withheld")
    assert "不具有一定社会影响" in page.get_by_test_id("withheld-reason").first.inner_text()
    _shot(page, "disclosure-compulsion-withheld-desktop.png")
    page.goto(f"{server}/disclosure/{warning.pk}/")
    page.get_by_label("理由（记入执法记录，监督人员可见）").fill("当事人一年内三次违法，社会关注")
    page.get_by_role("button", name="决定公开").click()
    page.wait_for_load_state("networkidle")
    assert "已记录机关决定及理由" in page.content()
    assert "当事人一年内三次违法" in page.get_by_test_id("social-impact").inner_text()
    _shot(page, "disclosure-compulsion-override-desktop.png")
    assert problems.items == []
