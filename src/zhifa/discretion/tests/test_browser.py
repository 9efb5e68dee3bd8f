"""The discretion panel on the case page in Debian's chromium: the recommendation with its explanation, the
facts form and the deviation form answered by htmx in place. Screenshots: docs/screenshots/discretion-*.png.

Same live server as the other browser tests (``zhifa.testing.browser``: it shares the test's connection), on the
small case ``world`` instead of the demo county; all ORM work happens before chromium starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.cases.tests.helpers import CaseWorld
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _log_in, _new_page
from zhifa.discretion import services
from zhifa.discretion.tests.helpers import benchmark, investigated
from zhifa.testing.browser import live_server_sharing_connection

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


@pytest.fixture
def server(world: CaseWorld) -> Iterator[str]:
    """The live server on the case world (not the demo county)."""
    with live_server_sharing_connection() as url:
        yield url


def test_panel_shows_recommendation_and_records_a_deviation_in_place(
    world: CaseWorld, server: str, launch_browser: Callable[[], Any]
) -> None:
    benchmark(world)
    case = investigated(world, gains="3200", harm_level="minor", circumstances=["cooperative"])
    services.facts_record(
        actor=world.officer_user, case=case, illegal_gains_yuan="3200", harm_level="minor",
        circumstances=["cooperative"], note="当事人如实陈述，配合调查。",
    )  # fmt: skip
    username = world.officer_user.username
    browser = launch_browser()
    page, problems = _new_page(browser, DESKTOP)
    page.set_default_timeout(90_000)  # the shared 2-core machine runs eight suites at once
    _log_in(page, server, username, "Zhifa@2026")
    page.goto(f"{server}/cases/{case.pk}/")
    panel = page.get_by_test_id("discretion-panel")
    assert (
        "推荐：“一般”档 · 罚款 3,000 元至 6,000 元"
        in panel.get_by_test_id("discretion-recommendation").inner_text()
    )
    assert "违法所得 3,200 元" in panel.get_by_test_id("discretion-explanation").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(SHOTS / "discretion-panel.png"))
    # a reason too short is refused beside the field, in place
    panel.locator("summary", has_text="说明偏离理由").click()
    form = page.get_by_test_id("discretion-deviation-form")
    form.locator("textarea").fill("太重")
    form.get_by_role("button").click()
    page.get_by_text("至少 10 个字").wait_for()
    assert page.url == f"{server}/cases/{case.pk}/"
    form = page.get_by_test_id("discretion-deviation-form")
    form.locator("textarea").fill("当事人系残疾人个体经营者，经营困难，已全额退赔消费者。")
    form.get_by_role("button").click()
    page.get_by_text("偏离理由已记录").wait_for()
    assert "经营困难" in page.get_by_test_id("discretion-panel").inner_text()
    phone, phone_problems = _new_page(browser, PHONE)
    phone.set_default_timeout(90_000)
    _log_in(phone, server, username, "Zhifa@2026")
    phone.goto(f"{server}/cases/{case.pk}/")
    phone.get_by_test_id("discretion-panel").screenshot(path=str(SHOTS / "discretion-panel-phone.png"))
    phone.goto(f"{server}/discretion/")
    phone.screenshot(path=str(SHOTS / "discretion-benchmarks-phone.png"), full_page=True)
    page.goto(f"{server}/discretion/")
    page.get_by_role("link", name="T-SCJG-001").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "discretion-benchmark.png"), full_page=True)
    assert problems.items == [] and phone_problems.items == []
