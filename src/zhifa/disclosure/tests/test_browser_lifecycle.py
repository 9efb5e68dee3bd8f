"""The life of a publication in chromium: an anonymous visitor sees a correction (已更正, with the reason) and a
decision leave the list when its period ends (the project clock moved on); an enterprise applies for 信用修复
from its own page, the agency head grants it, and the anonymous list no longer shows it.
Screenshots: docs/screenshots/disclosure-lifecycle-*.png."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.core import clock
from zhifa.core.tests.test_browser import DESKTOP, _new_page, launch_browser, server
from zhifa.disclosure import services
from zhifa.disclosure.models import DisclosureRule
from zhifa.disclosure.tests.helpers import publication_of
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.testing.browser import log_in
from zhifa.testing.worlds import decide_simple

__all__ = ["launch_browser", "server"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"
D = dt.date
PASSWORD = "Browser@2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _publish(world: Any, case: Any) -> Any:
    p = publication_of(case)
    services.publication_submit(actor=world.officer_user, publication=p)
    return services.publication_approve(actor=world.head, publication=p)


def test_anonymous_visitor_sees_a_correction_and_an_expiry(
    world: Any, launch_browser: Callable[[], Any], server: str
) -> None:
    with clock.set_during(D(2025, 3, 5)):
        wrong = _publish(world, decide_simple(world, title="销售过期食品"))
        expiring = _publish(
            world, decide_simple(world, title="未亮照经营", kinds=["warning"], fine_yuan=None)
        )
    with clock.set_during(D(2025, 3, 10)):
        fixed = services.publication_correct(
            actor=world.head, publication=wrong, reason="违法事实中的商品数量录入有误，予以更正"
        )
        services.publication_submit(actor=world.officer_user, publication=fixed)
        services.publication_approve(actor=world.head, publication=fixed)
    assert expiring.expires_on == D(2025, 6, 4)
    listing = (
        f"{server}/public/decisions/?agency={world.agency.pk}"  # the world's agency (the demo's are newer)
    )
    browser = launch_browser()
    try:
        clock.set_to(D(2025, 6, 4))  # the last day of the warning's 3 months
        page, problems = _new_page(browser, DESKTOP)
        page.goto(listing)
        listed = page.get_by_test_id("decision-list").inner_text()
        assert "未亮照经营" in listed and listed.count("销售过期食品") == 1  # the old text is gone
        page.goto(f"{server}/public/decisions/{fixed.pk}/")
        notice = page.get_by_test_id("corrected-notice").inner_text()
        assert "已更正" in notice and "商品数量录入有误" in notice and "2025年03月10日" in notice
        _shot(page, "disclosure-lifecycle-corrected.png")
        page.goto(f"{server}/public/decisions/{wrong.pk}/")
        assert "更正" in page.get_by_test_id("withdrawn-notice").inner_text()
        page.get_by_test_id("correction-link").get_by_role("link").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_test_id("corrected-notice").is_visible()
        assert problems.items == []
        clock.set_to(D(2025, 6, 5))  # the day after: the warning has left the list
        page.goto(listing)
        listed = page.get_by_test_id("decision-list").inner_text()
        assert "未亮照经营" not in listed and "销售过期食品" in listed
        _shot(page, "disclosure-lifecycle-after-expiry.png")
        page.goto(f"{server}/public/decisions/{expiring.pk}/")
        assert "停止公示" in page.content()
    finally:
        clock.reset()


def test_enterprise_applies_for_credit_repair_and_the_agency_grants_it(
    world: Any, launch_browser: Callable[[], Any], server: str
) -> None:
    DisclosureRule.objects.create(region=world.county, light_repair_min_months=1, light_period_months=12)
    with clock.set_during(D(2025, 3, 5)):
        p = _publish(world, decide_simple(world, title="销售过期食品"))
    enterprise = UserFactory()
    grant(enterprise, Role.ENTERPRISE, party=world.company)
    for user in (enterprise, world.head):
        account = User.objects.get(pk=user.pk)
        account.set_password(PASSWORD)
        account.save()
    company_login, head_login = enterprise.username, world.head.username
    listing = (
        f"{server}/public/decisions/?agency={world.agency.pk}"  # the world's agency (the demo's are newer)
    )
    proof = Path(settings.PROJECT_DIR) / "test-artifacts" / "缴款凭证.pdf"
    proof.parent.mkdir(parents=True, exist_ok=True)
    proof.write_bytes(PDF)
    browser = launch_browser()
    try:
        clock.set_to(D(2025, 4, 7))  # past the minimum month
        anonymous, _ = _new_page(browser, DESKTOP)
        anonymous.goto(listing)
        assert "销售过期食品" in anonymous.get_by_test_id("decision-list").inner_text()
        page, problems = _new_page(browser, DESKTOP)
        log_in(page, server, company_login, PASSWORD)
        page.get_by_role("link", name="查看并申请信用修复").click()
        page.wait_for_load_state("networkidle")
        card = page.get_by_test_id("my-publication").filter(has_text="销售过期食品")
        assert "公示中" in card.get_by_test_id("state").inner_text()
        card.get_by_label("履行情况说明").fill("罚款 150 元已于 2025年3月6日 缴清，过期食品已全部下架销毁。")
        card.get_by_label("证明材料").set_input_files(str(proof))
        _shot(page, "disclosure-lifecycle-repair-form.png")
        card.get_by_role("button", name="提交申请").click()
        page.wait_for_load_state("networkidle")
        assert "已提交信用修复申请" in page.content()
        assert "待决定" in page.get_by_test_id("my-repair").inner_text()
        assert problems.items == []

        staff, staff_problems = _new_page(browser, DESKTOP)
        log_in(staff, server, head_login, PASSWORD)
        staff.goto(f"{server}/disclosure/?tab=repairs")
        staff.get_by_test_id("repair-queue").get_by_role("link", name="销售过期食品").click()
        staff.wait_for_load_state("networkidle")
        decide = staff.get_by_test_id("repair-decide")
        decide.get_by_label("决定理由").fill("已履行完毕，准予信用修复")
        _shot(staff, "disclosure-lifecycle-repair-decide.png")
        decide.get_by_role("button", name="准予信用修复").click()
        staff.wait_for_load_state("networkidle")
        assert "已信用修复" in staff.get_by_test_id("status").inner_text()
        assert staff_problems.items == []

        anonymous.goto(listing)
        assert "销售过期食品" not in anonymous.content()
        _shot(anonymous, "disclosure-lifecycle-after-repair.png")
        page.goto(f"{server}/disclosure/mine/")
        assert "已信用修复" in page.get_by_test_id("state").inner_text()
        assert p.pk  # the publication stays on the record (the staff page above showed it)
    finally:
        clock.reset()
