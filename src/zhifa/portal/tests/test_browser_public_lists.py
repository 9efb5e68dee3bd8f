"""The public's walk through the public lists, through pages only and without a login: from the portal's menu to
the four lists (a search), the discretion benchmarks (one of them as it stood on a past day, version 1, reached
from its page's date field and back to the current version through the version list), and the random-inspection
list with its checklist as of a past day. axe-core finds no serious or critical violation on these pages.
Screenshots: docs/screenshots/portal-lists-*.png."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from zhifa.core.tests.test_browser import DESKTOP, launch_browser, server  # noqa: F401  (fixtures)
from zhifa.portal.tests.test_browser_portal import _axe_problems
from zhifa.testing.browser import PageProblems

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


@override_settings(PORTAL_RATE="", PORTAL_API_RATE="")
def test_the_public_reads_the_lists_and_a_benchmark_as_it_stood_on_a_past_day(
    launch_browser: Callable[[], Any],  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    from zhifa.core import clock
    from zhifa.discretion.models import Benchmark

    revised = Benchmark.objects.filter(version=2).order_by("id").first()
    assert revised is not None, "the demo has a benchmark in a second version"
    past = revised.effective_from.replace(year=revised.effective_from.year - 1, month=6, day=1)
    today = clock.today()
    browser = launch_browser()  # no ORM call after this line
    # bypass_csp: axe-core is the test's own script, injected inline (as in test_browser_portal)
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", reduced_motion="reduce", bypass_csp=True)
    page = context.new_page()
    problems = PageProblems(page)
    axe: dict[str, list[str]] = {}

    page.goto(f"{server}/public/")
    page.locator("#portal-menu").get_by_role("link", name="清单公示").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="清单公示").is_visible()
    axe["hub"] = _axe_problems(page)

    # 四张清单: the 不予处罚 list, then a search within all four
    page.get_by_role("link", name="不予处罚清单").click()
    page.wait_for_load_state("networkidle")
    table = page.get_by_test_id("lenient-table")
    assert table.locator("tbody tr").count() >= 1
    assert "以下为今日" in page.get_by_test_id("as-of").inner_text()
    first_title = table.locator("tbody tr").first.locator("td").nth(2).inner_text()
    axe["lenient"] = _axe_problems(page)
    _shot(page, "portal-lists-lenient.png")
    page.get_by_role("link", name="全部", exact=True).click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("关键词").fill(first_title[:4])
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state("networkidle")
    assert first_title in page.get_by_test_id("lenient-table").inner_text()
    assert "q=" in page.get_by_test_id("export-csv").get_attribute("href")

    # 裁量基准: the revised one today (第 2 版), then as it stood on a past day (第 1 版)
    page.get_by_role("link", name="清单公示").first.click()
    page.get_by_role("link", name="查看裁量基准").click()
    page.wait_for_load_state("networkidle")
    axe["benchmarks"] = _axe_problems(page)
    page.get_by_test_id("benchmark-table").get_by_role("link", name=revised.title).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("version").inner_text() == "第 2 版"
    page.get_by_label("查看某日施行的版本").fill(past.isoformat())
    page.get_by_role("button", name="查看", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("version").inner_text() == "第 1 版"
    as_of = page.get_by_test_id("as-of").inner_text()
    assert "历史版本" in as_of and past.isoformat() in as_of
    assert page.get_by_test_id("tiers").locator("tbody tr").count() >= 1
    axe["benchmark"] = _axe_problems(page)
    _shot(page, "portal-lists-benchmark-past.png")
    page.get_by_test_id("versions").get_by_role("link", name="第 2 版").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("version").inner_text() == "第 2 版"

    # 随机抽查事项清单 and a checklist as of a past day
    page.goto(f"{server}/public/lists/inspection-items/?on={past.isoformat()}")
    rows = page.get_by_test_id("item-table").locator("tbody tr")
    assert rows.count() >= 1
    axe["items"] = _axe_problems(page)
    _shot(page, "portal-lists-inspection-items.png")
    # the demo item whose checklist has two versions (another county lists an item of the same name without one)
    row = (
        page.get_by_test_id("item-table")
        .locator("tbody tr")
        .filter(has_text="SC-SJ-001")
        .filter(has_text="第 1 版")
    )
    row.get_by_role("link", name="食品经营许可情况检查").click()
    page.wait_for_load_state("networkidle")
    past_lines = page.get_by_test_id("checklist").locator("tbody tr").count()
    assert "历史版本" in page.get_by_test_id("as-of").inner_text()
    page.get_by_label("查看某日施行的检查表单").fill(today.isoformat())
    page.get_by_role("button", name="查看", exact=True).click()
    page.wait_for_load_state("networkidle")
    # version 2 (1 January) adds a line; version 3, imported by the demo step 一表通查 on the build day, adds the
    # line it shares with another item (not on 1 January, when version 2 already starts that day)
    imported = 0 if today == today.replace(month=1, day=1) else 1
    assert page.get_by_test_id("checklist").locator("tbody tr").count() == past_lines + 1 + imported
    assert "历史版本" not in page.get_by_test_id("as-of").inner_text()  # today's is the current version
    axe["checklist"] = _axe_problems(page)
    _shot(page, "portal-lists-checklist.png")

    assert {k: v for k, v in axe.items() if v} == {}
    assert problems.items == []
