"""The inspection pages in Debian's chromium (Playwright): the public page re-runs a real draw in the browser
and says 一致, and says 不一致 when the published JSON is tampered with; the other pages render without
errors on a desktop and a phone, and a warning is dismissed over htmx. Screenshots go to
``test-artifacts/screenshots/inspections-*.png``.

The live server shares the test's connection (see ``zhifa.core.tests.test_browser``): every database write
happens before the browser starts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from zhifa.core import clock
from zhifa.core.tests import test_browser as core_browser
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _new_page, _shot
from zhifa.inspections import codes, services
from zhifa.inspections.models import Inspection, InspectionWarning, WarningKind
from zhifa.inspections.tests.conftest import TZ_NOW, World, make_item, make_plan, make_random_task
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The live server and the browser launcher of the core's browser tests, as fixtures of this module too.
server = core_browser.server
launch_browser = core_browser.launch_browser


def _session(user: User) -> dict[str, Any]:
    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}


def _signed_in_page(browser: Any, server: str, cookie: dict[str, Any], viewport: dict[str, int]) -> Any:
    page, problems = _new_page(browser, viewport)
    page.context.add_cookies([{**cookie, "url": server}])
    return page, problems


@pytest.fixture
def drawn(world: World) -> Any:
    _, plan_item = make_plan(world)
    today = clock.today()
    task = make_random_task(
        world,
        plan_item,
        party_count=3,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=30),
    )
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    return task


def test_public_rerun_says_match_for_a_real_draw_and_mismatch_when_tampered(
    world: World, drawn: Any, launch_browser: Callable[[], Any], server: str
) -> None:
    url = f"{server}{reverse('portal:draw', args=[drawn.pk])}"
    json_path = f"/api/inspections/draws/{drawn.pk}"
    browser = launch_browser()

    page, problems = _new_page(browser, DESKTOP)
    page.goto(url)
    page.locator('#verify-verdict[data-verdict="match"]').wait_for()
    assert "一致" in page.locator("#verify-verdict").inner_text()
    assert "食品安全法" in page.locator('[data-testid="draw-facts"]').inner_text()
    assert page.locator('tr[data-result="match"]').count() >= 5  # commitment, seed, 2 pool hashes, strata
    assert page.locator('tr[data-result="mismatch"]').count() == 0
    _shot(page, "inspections-verify-match.png")
    assert problems.items == []

    tampered, problems = _new_page(browser, DESKTOP)
    changed: list[str] = []

    def swap_one_result(route: Any) -> None:
        body = route.fetch().json()
        stratum = body["party_strata"][0]
        outsider = next(c for c in stratum["pool"] if c not in stratum["selected"])
        changed.append(stratum["label"])
        stratum["selected"][0] = outsider
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    tampered.route(f"**{json_path}", swap_one_result)
    tampered.goto(url)
    tampered.locator('#verify-verdict[data-verdict="mismatch"]').wait_for()
    assert changed == ["party/*"]
    assert "不一致" in tampered.locator("#verify-verdict").inner_text()
    bad = tampered.locator('tr[data-result="mismatch"]')
    assert bad.count() == 1 and "全部检查对象" in bad.inner_text() and "不一致" in bad.inner_text()
    # the commitment and the seed still re-run: only the result was changed
    assert tampered.locator('tr[data-result="match"]').count() >= 4
    _shot(tampered, "inspections-verify-mismatch.png")
    assert problems.items == []


def test_a_tampered_secret_breaks_the_commitment_in_the_browser(
    world: World, drawn: Any, launch_browser: Callable[[], Any], server: str
) -> None:
    page, _ = _new_page(launch_browser(), DESKTOP)

    def flip_secret(route: Any) -> None:
        body = route.fetch().json()
        body["secret"] = ("0" if body["secret"][0] != "0" else "1") + body["secret"][1:]
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route(f"**/api/inspections/draws/{drawn.pk}", flip_secret)
    page.goto(f"{server}{reverse('portal:draw', args=[drawn.pk])}")
    page.locator('#verify-verdict[data-verdict="mismatch"]').wait_for()
    assert page.locator('tr[data-check^="承诺值"]').get_attribute("data-result") == "mismatch"


def test_pages_render_cleanly_and_a_warning_is_dismissed_over_htmx(
    world: World, drawn: Any, launch_browser: Callable[[], Any], server: str
) -> None:
    inspection = Inspection.objects.filter(task=drawn).select_related("party").first()
    member = User.objects.get(officer__pk=inspection.assignments.first().officer_id)
    code = codes.issue_code(inspection)
    item = make_item(world)
    services.inspection_enter_unfiled(world.officer_user, party=world.parties[0], item=item, place="现场")
    warning = InspectionWarning.objects.get(kind=WarningKind.UNFILED, party=world.parties[0])
    plan, _ = make_plan(world, approve=False)
    rated = Inspection.objects.filter(task=drawn).exclude(pk=inspection.pk).select_related("party").first()
    rated_member = User.objects.get(officer__pk=rated.assignments.first().officer_id)
    rated_code = codes.issue_code(rated)
    services.inspection_check_in(rated_member, rated_code, place="门店")
    company = UserFactory(full_name="企业联系人")
    grant(company, Role.ENTERPRISE, party=rated.party)
    enterprise = _session(User.objects.get(pk=company.pk))
    head, officer, supervisor = _session(world.head), _session(member), _session(world.supervisor)
    task_url = reverse("inspections:task_detail", args=[drawn.pk])
    plan_url = reverse("inspections:plan_detail", args=[plan.pk])
    code_url = f"{reverse('inspections:code_view')}?code={code}"
    browser = launch_browser()

    page, problems = _signed_in_page(browser, server, head, DESKTOP)
    page.goto(f"{server}{reverse('inspections:warning_list')}")
    row = page.locator(f"#warning-{warning.pk}")
    row.get_by_role("button", name="排除").click()  # no reason: refused beside the field
    page.locator(f"#warning-{warning.pk} .invalid-feedback").wait_for()
    assert "排除预警须写明理由" in page.locator(f"#warning-{warning.pk}").inner_text()
    page.locator(f"#text-{warning.pk}").fill("实为上级交办，已补报")
    page.locator(f"#warning-{warning.pk}").get_by_role("button", name="排除").click()
    page.locator(f'#warning-{warning.pk}[data-state="dismissed"]').wait_for()
    assert page.url.endswith(reverse("inspections:warning_list"))  # swapped in place, no reload
    _shot(page, "inspections-warnings.png")
    page.goto(f"{server}{plan_url}")
    _shot(page, "inspections-plan.png")
    page.goto(f"{server}{task_url}")
    assert page.get_by_text("抽取证明").is_visible()
    _shot(page, "inspections-task.png")
    assert problems.items == []

    page, problems = _signed_in_page(browser, server, officer, PHONE)
    page.goto(f"{server}{reverse('inspections:today')}")
    # the code's image is its own URL (inspections:code_qr), loaded when the card's 出示检查码 opens
    assert page.locator(f'[data-inspection="{inspection.pk}"] .qr img').count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "inspections-today-phone.png")
    assert problems.items == []

    page, problems = _new_page(browser, PHONE)  # the enterprise scans without logging in
    page.goto(f"{server}{code_url}")
    assert page.locator("[data-officer]").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "inspections-code-phone.png")
    assert problems.items == []

    page, problems = _signed_in_page(browser, server, enterprise, PHONE)  # after the visit: rate it
    page.goto(f"{server}{reverse('inspections:code_view')}?code={rated_code}")
    page.get_by_label("满意度").select_option("4")
    page.get_by_label("评价意见").fill("文明执法，效率高")
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_load_state("networkidle")
    assert "感谢评价" in page.content() and page.locator("[data-rated]").is_visible()
    assert page.get_by_role("button", name="提交评价").count() == 0
    _shot(page, "inspections-code-rated-phone.png")
    assert problems.items == []

    page, problems = _signed_in_page(browser, server, supervisor, DESKTOP)
    page.goto(f"{server}{reverse('inspections:dashboard')}")
    page.locator("#chart-agencies canvas").first.wait_for()
    page.locator("#chart-parties canvas").first.wait_for()
    _shot(page, "inspections-dashboard.png")
    assert problems.items == []


def test_officer_checks_in_and_enters_the_result_on_a_phone(
    world: World, drawn: Any, launch_browser: Callable[[], Any], server: str
) -> None:
    inspection = Inspection.objects.filter(task=drawn).select_related("party").first()
    member = User.objects.get(officer__pk=inspection.assignments.first().officer_id)
    cookie, today = _session(member), reverse("inspections:today")  # all database reads before the browser
    page, problems = _signed_in_page(launch_browser(), server, cookie, PHONE)
    page.goto(f"{server}{today}")
    page.locator(f'[data-inspection="{inspection.pk}"] a.btn[data-keep-offline]').click()
    page.locator('[data-step="check_in"]').wait_for()
    _shot(page, "inspections-onsite-check-in-phone.png")
    page.fill("#id_place", "示范路 8 号 仓库")
    page.get_by_role("button", name="签到进企").click()
    page.locator('[data-step="result"]').wait_for()
    page.locator("label[for=outcome-pass]").click()
    page.fill("#id_findings", "证照齐全，台账完整。")
    _shot(page, "inspections-onsite-result-phone.png")
    page.get_by_role("button", name="提交检查结果").click()
    page.locator('[data-step="done"]').wait_for()
    assert "证照齐全" in page.locator('[data-step="done"]').inner_text()
    assert "示范路 8 号 仓库" in page.locator('[data-step="done"]').inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width} px)"
    assert problems.items == []
