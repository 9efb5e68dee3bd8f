"""The public opens a service guide through pages only, anonymously: from the portal's menu to the guide index,
the county market bureau's licensing guide (its own version, the statutory limits with their articles), its flow
chart, and another kind of act; the page fits a phone, axe-core finds nothing serious, and the print layout
leaves the portal's chrome out. Screenshots: docs/screenshots/guides-*.png (look at them)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from zhifa.testing.browser import new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

AXE = Path(settings.PROJECT_DIR) / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _serious_axe_problems(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3)"
        ".map(n => n.target.join(' '))})); }"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes']}" for v in result if v["impact"] in ("serious", "critical")
    ]


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width} px wide"


@override_settings(PORTAL_RATE="", PORTAL_API_RATE="")
def test_the_public_opens_a_guide_and_its_flow_chart(launch_browser: Callable[[], Any], server: str) -> None:
    from zhifa.guides.statutes import statute
    from zhifa.org.models import Agency

    agency = Agency.objects.get(name="示范县市场监督管理局")
    licensing_steps = [s.title for s in statute("licensing").steps]
    penalty_steps = [s.title for s in statute("penalty_general").steps]
    browser = launch_browser()  # no ORM call after this line
    SHOTS.mkdir(parents=True, exist_ok=True)

    page, problems = new_page(browser, DESKTOP)
    page.goto(f"{server}/public/")
    page.locator("#portal-menu").get_by_role("link", name="办事指南").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="办事指南", exact=True).is_visible()
    row = page.get_by_test_id("guide-index").locator("tr", has_text=agency.name).first
    assert "最近更新" in row.inner_text()
    row.get_by_role("link", name="行政许可（申请与受理）").click()
    page.wait_for_load_state("networkidle")

    assert page.url.endswith(f"/public/guides/{agency.pk}/licensing/")
    assert "第 2 版" in page.get_by_test_id("guide-version").inner_text()
    limits = page.get_by_test_id("time-limits").inner_text()
    assert "《中华人民共和国行政许可法》第四十二条第一款" in limits and "20 日" in limits
    assert "7 个工作日" in page.locator("#g-limits").locator("..").inner_text()
    assert "《中华人民共和国行政许可法》第五十八条" in page.get_by_test_id("fees").inner_text()
    assert "《中华人民共和国行政复议法》第二十条" in page.get_by_test_id("remedies").inner_text()
    chart = page.get_by_test_id("flow-chart")
    chart.scroll_into_view_if_needed()
    assert chart.locator("svg").is_visible()
    boxes = chart.locator("g.flow-step")
    assert boxes.count() == len(licensing_steps)
    titles = [boxes.nth(i).locator("text").first.text_content() for i in range(boxes.count())]
    assert [t.removesuffix("（视情形）") for t in titles] == [
        f"{i}. {t}" for i, t in enumerate(licensing_steps, start=1)
    ]
    assert page.get_by_test_id("flow-steps").locator("li").count() == len(licensing_steps)
    page.screenshot(path=str(SHOTS / "guides-licensing-desktop.png"), full_page=True)
    chart.screenshot(path=str(SHOTS / "guides-flow-chart.png"))

    # print: the portal's header, menu and footer stay off the paper; the guide and its chart stay on it
    page.emulate_media(media="print")
    assert not page.locator(".portal-header").is_visible()
    assert not page.locator(".portal-footer").is_visible()
    assert page.get_by_test_id("guide").is_visible() and chart.locator("svg").is_visible()
    page.screenshot(path=str(SHOTS / "guides-licensing-print.png"), full_page=True)
    page.emulate_media(media="screen")

    page.get_by_role("navigation", name="本机关的其他指南").get_by_role(
        "link", name="行政处罚（普通程序）"
    ).click()
    page.wait_for_load_state("networkidle")
    assert "法定默认内容" in page.get_by_test_id("guide-version").inner_text()
    assert page.get_by_test_id("flow-chart").locator("g.flow-step").count() == len(penalty_steps)
    assert "《中华人民共和国行政处罚法》第六十条" in page.get_by_test_id("time-limits").inner_text()
    assert problems.items == []

    # axe-core is the test's own script, injected inline: its own context bypasses the pages' CSP (which holds
    # in the walk above; core/tests/test_security_headers.py tests it)
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", reduced_motion="reduce", bypass_csp=True)
    checked = context.new_page()
    checked.goto(f"{server}/public/guides/{agency.pk}/licensing/")
    checked.wait_for_load_state("networkidle")
    assert _serious_axe_problems(checked) == []
    checked.goto(f"{server}/public/guides/")
    assert _serious_axe_problems(checked) == []

    phone, phone_problems = new_page(browser, PHONE)
    phone.goto(f"{server}/public/guides/{agency.pk}/licensing/")
    phone.wait_for_load_state("networkidle")
    _fits(phone)
    assert phone.get_by_test_id("flow-chart").locator("svg").bounding_box()["width"] <= PHONE["width"]
    phone.screenshot(path=str(SHOTS / "guides-licensing-phone.png"), full_page=True)
    assert phone_problems.items == []
