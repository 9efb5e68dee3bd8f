"""The catalog pages and the case panel of the four lists in Debian's chromium, on the demo county.

The case (示范县市场监督管理局, item SJ-CF-004 食品标签瑕疵, at 案件审查) is prepared before the browser starts;
the officer then reads the catalog, an item, the four lists, and records the 不予处罚 entry on the case page.
Screenshots: docs/screenshots/catalog-*.png.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.cases import services
from zhifa.cases.tests.helpers import attach
from zhifa.catalog.models import CatalogItem
from zhifa.core import clock
from zhifa.core.tests import test_browser as browser_tests
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _log_in, _new_page
from zhifa.evidence.required_defaults import ensure_default_rules
from zhifa.org.demo import DEMO_LOGINS
from zhifa.org.models import Officer, Party, RoleAssignment, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = browser_tests.server
launch_browser = browser_tests.launch_browser
PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}
SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _case_at_review() -> int:
    ensure_default_rules()
    user = User.objects.get(username="demo_officer")
    me = Officer.objects.select_related("agency").get(user=user)
    partner = Officer.objects.get(user__username="demo_reviewer")
    party = Party.objects.get(pk=RoleAssignment.objects.get(user__username="demo_enterprise").party_id)
    today = clock.today()
    case = services.case_register_source(
        actor=user,
        agency=me.agency,
        domain=me.agency.domains.get(code="market"),
        source_kind="inspection",
        received_on=today,
        title="销售标签存在瑕疵的预包装食品",
        parties=[party],
        catalog_item_code="SJ-CF-004",
    )
    case = services.case_open(
        actor=user,
        approved_by=User.objects.get(username="demo_head"),
        case=case,
        officers=[me, partner],
        act_date=today - dt.timedelta(days=2),
        on=today,
    )
    case = services.case_start_investigation(actor=user, case=case, on=today)
    attach(user, case, "investigation")
    case = services.case_end_investigation(actor=user, case=case, on=today)
    return case.pk


def test_officer_reads_the_catalog_and_records_a_lenient_decision(
    launch_browser: Callable[[], Any], server: str
) -> None:
    case_id = _case_at_review()
    item_id = (
        CatalogItem.objects.filter(code="SJ-CF-007").order_by("-version").values_list("pk", flat=True).first()
    )
    browser = launch_browser()
    page, problems = _new_page(browser, DESKTOP)
    _log_in(page, server, "demo_officer", PASSWORDS["demo_officer"])

    page.goto(f"{server}/catalog/")
    assert page.get_by_test_id("catalog-items").locator("tbody tr").count() >= 10
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    _shot(page, "catalog-list.png")
    page.goto(f"{server}/catalog/items/{item_id}/")
    assert page.get_by_test_id("catalog-version").count() == 2  # the next year's version is listed too
    _shot(page, "catalog-item.png")
    page.goto(f"{server}/catalog/lists/?kind=no_penalty")
    assert "食品标签、说明书存在瑕疵" in page.get_by_test_id("lenient-entries").inner_text()
    _shot(page, "catalog-lists.png")

    page.goto(f"{server}/cases/{case_id}/")
    panel = page.get_by_test_id("catalog-panel")
    assert panel.get_by_test_id("lenient-prompt").is_visible()
    entry = panel.get_by_test_id("lenient-entry").filter(has_text="食品标签、说明书存在瑕疵")
    _shot(page, "catalog-case-panel-prompt.png")
    for label in ("首次违法", "不影响食品安全且不会误导消费者", "及时改正", "没有造成危害后果"):
        entry.get_by_label(label).check()
    entry.get_by_label("适用", exact=True).check()
    entry.get_by_label("理由").fill("首次被发现，标签瑕疵不影响食品安全，当场改正，未造成危害后果。")
    entry.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("lenient-decided").first.inner_text() == "适用"
    _shot(page, "catalog-case-panel-recorded.png")

    phone, phone_problems = _new_page(browser, PHONE)
    _log_in(phone, server, "demo_officer", PASSWORDS["demo_officer"])
    phone.goto(f"{server}/catalog/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(phone, "catalog-list-phone.png")
    assert problems.items == [] and phone_problems.items == []
