"""主体资格确认 in Debian's chromium, on the demo county: the judicial bureau confirms the 权责清单 still waiting
(示范县水利局) from its queue; an anonymous visitor reads the public 权责清单 as it stood on a past date and an
item's versions. Screenshots: docs/screenshots/confirmation-*.png and portal-catalog-*.png.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.catalog import services
from zhifa.catalog.demo import CONFIRMATION_MISSING, CONFIRMATION_PENDING
from zhifa.catalog.models import Confirmation, ConfirmationState
from zhifa.core import clock
from zhifa.core.tests import test_browser as browser_tests
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _log_in, _new_page
from zhifa.org.demo import DEMO_LOGINS
from zhifa.org.models import Agency, Domain, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = browser_tests.server
launch_browser = browser_tests.launch_browser
PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}
SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_the_bureau_confirms_a_waiting_catalog_from_its_queue(
    launch_browser: Callable[[], Any], server: str
) -> None:
    water = Agency.objects.get(name=CONFIRMATION_PENDING)
    waiting = Confirmation.objects.get(agency=water, kind="catalog", state=ConfirmationState.REQUESTED)
    item_name = water.catalog_items.order_by("code").values_list("name", flat=True).first()
    browser = launch_browser()  # no ORM call after this line
    page, problems = _new_page(browser, DESKTOP)
    _log_in(page, server, "demo_supervisor", PASSWORDS["demo_supervisor"])

    todo = page.locator('[data-todo="主体资格确认待审查"]')
    assert int(todo.get_attribute("data-count")) >= 2  # its 执法主体资格 and its 权责清单
    todo.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("confirmation-late").is_visible()  # the demo year's 31 March has passed
    board = page.get_by_test_id("confirmation-board")
    assert "逾期" in board.locator("tr", has_text=CONFIRMATION_MISSING).inner_text()
    _shot(page, "confirmation-queue.png")

    page.get_by_test_id("confirmation-requests").locator("tr", has_text=CONFIRMATION_PENDING).filter(
        has_text="权责清单"
    ).get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/catalog/confirmations/{waiting.pk}/")
    assert item_name in page.get_by_test_id("confirmation-items").inner_text()
    page.get_by_label("确认意见（选填）").fill("经审查，事项与法律依据相符，予以确认。")
    page.get_by_role("button", name="确认并公布").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("confirmation-state").inner_text() == "已确认"
    _shot(page, "confirmation-detail.png")

    public, public_problems = _new_page(browser, PHONE)
    public.goto(f"{server}/public/catalog/?agency={water.pk}")
    assert item_name in public.get_by_test_id("public-catalog").inner_text()
    assert "示范县司法局" in public.get_by_test_id("catalog-confirmed").inner_text()
    assert public.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems.items == [] and public_problems.items == []


def test_an_anonymous_visitor_reads_the_catalog_as_it_stood_on_a_past_date(
    launch_browser: Callable[[], Any], server: str
) -> None:
    # 示范县自然资源局 registers an item with two versions (the first one past), asks and is confirmed.
    today = clock.today()
    agency = Agency.objects.get(name=CONFIRMATION_MISSING)
    head, bureau = User.objects.get(username="demo_admin"), User.objects.get(username="demo_supervisor")
    domain = Domain.objects.get(code="natural_resources")
    old_day, new_day = today - dt.timedelta(days=400), today - dt.timedelta(days=100)
    for name, start in (("对非法占用土地的行政处罚（旧）", old_day), ("对非法占用土地的行政处罚", new_day)):
        services.catalog_item_save(
            actor=head,
            agency=agency,
            data=services.ItemData(
                code="ZY-CF-900",
                name=name,
                kind="penalty",
                domain=domain,
                law_name="中华人民共和国土地管理法",
                article="第七十七条第一款",
                article_text="未经批准或者采取欺骗手段骗取批准，非法占用土地的……",
                effective_from=start,
            ),
        )
    row = services.confirmation_request(actor=head, agency=agency, year=today.year, kind="catalog")
    services.confirmation_confirm(actor=bureau, confirmation=row)
    past = today - dt.timedelta(days=200)

    browser = launch_browser()  # no ORM call after this line
    page, problems = _new_page(browser, DESKTOP)
    page.goto(f"{server}/public/")
    page.goto(f"{server}/public/catalog/")
    assert CONFIRMATION_PENDING in page.get_by_test_id("catalog-awaiting-list").inner_text()
    page.get_by_label("执法主体", exact=True).select_option(label=CONFIRMATION_MISSING)
    page.get_by_label("有效日期").fill(past.isoformat())
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state("networkidle")
    assert past.strftime("%Y年%-m月%-d日") in page.get_by_test_id("catalog-as-of").inner_text()
    table = page.get_by_test_id("public-catalog").inner_text()
    assert "对非法占用土地的行政处罚（旧）" in table
    _shot(page, "portal-catalog-as-of.png")

    page.get_by_role("link", name="ZY-CF-900").click()
    page.wait_for_load_state("networkidle")
    versions = page.get_by_test_id("public-catalog-version")
    assert versions.count() == 2
    assert "已失效" in versions.nth(1).inner_text() and "现行有效" in versions.nth(0).inner_text()
    assert "示范县司法局" in page.get_by_test_id("catalog-confirmed").inner_text()
    _shot(page, "portal-catalog-item.png")

    assert problems.items == []

    # the export, from the page's link (a page of its own: a download aborts the navigation that started it)
    export, _ = _new_page(browser, DESKTOP)
    export.goto(f"{server}/public/catalog/?agency={agency.pk}")
    export.wait_for_load_state("networkidle")
    with export.expect_download() as download:
        export.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
