"""The public decision pages and the staff preview in chromium, on a desktop and a phone; screenshots under
docs/screenshots/disclosure-*.png (the fixtures are the core browser test's: live server on the test's DB)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.core.tests.test_browser import DESKTOP, PHONE, _new_page, launch_browser, server
from zhifa.disclosure.tests.helpers import publication_of, publish
from zhifa.testing.worlds import decide_simple

__all__ = ["launch_browser", "server"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_public_list_detail_search_and_staff_preview_render_on_desktop_and_phone(
    world: Any, launch_browser: Callable[[], Any], server: str
) -> None:
    citizen = world.citizen
    citizen.address = "测县幸福路8号"
    citizen.save()
    published = [
        publish(
            world,
            decide_simple(
                world,
                facts="当事人在经营场所销售超过保质期的食品（饼干 12 袋），违反了食品安全法第三十四条。",
            ),
        ),
        publish(
            world,
            decide_simple(
                world,
                party=citizen,
                title="占道经营",
                fine_yuan="100",
                facts=f"{citizen.name}在测县幸福路8号门前占道经营水果摊。",
            ),
        ),
    ]
    draft = publication_of(decide_simple(world, title="未公示营业执照", kinds=["warning"], fine_yuan=None))
    world.head.set_password("Browser@2026")
    world.head.save()
    head_name, secret_name = world.head.username, citizen.name
    browser = launch_browser()
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page, problems = _new_page(browser, viewport)
        page.goto(f"{server}/public/decisions/")
        assert page.get_by_role("heading", name="执法决定公示").is_visible()
        assert page.get_by_test_id("decision-list").locator("li").count() >= 2
        _shot(page, f"disclosure-list-{label}.png")
        page.goto(f"{server}/public/decisions/{published[1].pk}/")
        body = page.get_by_test_id("decision-body").inner_text()
        assert secret_name not in body and "幸福路" not in body and "赵*" in page.content()
        _shot(page, f"disclosure-detail-{label}.png")
        page.goto(f"{server}/public/decisions/")
        page.get_by_label("关键词").fill("食品")
        page.get_by_role("button", name="查询").click()
        page.wait_for_load_state("networkidle")
        assert "销售过期食品" in page.get_by_test_id("decision-list").inner_text()
        _shot(page, f"disclosure-search-{label}.png")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert problems.items == []
    page, problems = _new_page(browser, DESKTOP)
    page.goto(f"{server}/accounts/login/")
    page.get_by_label("用户名").fill(head_name)
    page.get_by_label("密码").fill("Browser@2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{server}/disclosure/")
    assert "未公示营业执照" in page.get_by_test_id("publication-queue").inner_text()
    _shot(page, "disclosure-queue-desktop.png")
    page.goto(f"{server}/disclosure/{draft.pk}/")
    assert page.get_by_test_id("preview").is_visible()
    _shot(page, "disclosure-preview-desktop.png")
