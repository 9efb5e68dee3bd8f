"""A major case through legal review in Debian's chromium: submit (refused with the missing list, then
accepted) → assign → 存在问题 (returned) → resubmit → assign → 同意 → the head decides.

The case is prepared through the case services up to the party's waiver before the browser starts (the
browser tests make no ORM call once chromium runs, see core/tests/test_browser.py); every review step is a
form. Screenshots: docs/screenshots/review-*.png (and test-artifacts/screenshots/).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.cases import services as case_services
from zhifa.cases.tests.helpers import attach
from zhifa.core import clock
from zhifa.core.tests import test_browser as browser_tests
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _log_in, _new_page, _shot
from zhifa.evidence.required_defaults import ensure_default_rules
from zhifa.org.demo import DEMO_LOGINS
from zhifa.org.models import Officer, Party, RoleAssignment, User
from zhifa.org.selectors import officer_can_enforce
from zhifa.org.tests.factories import OfficerFactory, certificate
from zhifa.review import services
from zhifa.review.models import MajorDecisionCatalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = browser_tests.server
launch_browser = browser_tests.launch_browser
PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}
DOCS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


def shot(page: Any, name: str) -> None:
    path = _shot(page, name)
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, DOCS / name)


def _submit(page: Any, server: str, case_id: int, on: dt.date, draft: str, explanation: str) -> str:
    page.goto(f"{server}/cases/{case_id}/")
    form = page.get_by_test_id("review-submit-form")
    if not form.is_visible():
        page.get_by_test_id("review-panel").locator("summary").first.click()
    form.locator("#explanation").fill(explanation)
    form.locator("#draft_decision").fill(draft)
    form.locator("#review_on").fill(on.isoformat())
    form.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    return page.locator(".messages").inner_text()


def _assign(page: Any, server: str, reviewer_id: int, on: dt.date, case_number: str) -> None:
    page.goto(f"{server}/review/")
    # the demo's own rounds are in the queue too (one waits in the reviewer's 我的待审): this case's row
    page.get_by_test_id("review-row").filter(has_text=case_number).first.locator("a").click()
    page.wait_for_load_state("networkidle")
    form = page.get_by_test_id("assign-form")
    form.locator("#reviewer").select_option(str(reviewer_id))
    form.locator("#assign_on").fill(on.isoformat())
    form.get_by_role("button").click()
    page.wait_for_load_state("networkidle")


def _review(page: Any, problem: str | None, on: dt.date, opinion: str, agreed: bool) -> None:
    form = page.get_by_test_id("findings-form")
    for item in form.locator("li[data-point]").all():
        point = item.get_attribute("data-point")
        bad = point == problem
        item.locator(f"#r_{point}_{'problem' if bad else 'ok'}").check()
        if bad:
            item.locator(f"#n_{point}").fill("对从轻情节未说明认定理由，裁量基准运用不当。")
    form.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    conclude = page.get_by_test_id("conclude-form")
    conclude.locator("#agreed_yes" if agreed else "#agreed_no").check()
    conclude.locator("#opinion").fill(opinion)
    conclude.locator("#conclude_on").fill(on.isoformat())
    conclude.get_by_role("button").click()
    page.wait_for_load_state("networkidle")


def test_major_case_walks_through_review_return_resubmission_and_agreement(
    launch_browser: Callable[[], Any], server: str
) -> None:
    ensure_default_rules()
    officer_user = User.objects.get(username="demo_officer")
    head = User.objects.get(username="demo_head")
    reviewer = User.objects.get(username="demo_reviewer")
    me = Officer.objects.select_related("agency").get(user=officer_user)
    domain = me.agency.domains.order_by("code").first()
    today = clock.today()
    t0 = today - dt.timedelta(days=40)
    partner = next(
        (
            o
            for o in Officer.objects.filter(agency=me.agency).exclude(pk=me.pk).exclude(user=reviewer)
            if officer_can_enforce(o, domain, on=t0).allowed
        ),
        None,
    )
    if partner is None:  # the demo's second officer is the reviewer, who must not handle the case he reviews
        partner = OfficerFactory(agency=me.agency, name="示范执法员乙")
        certificate(
            partner, domain.code, issued=t0 - dt.timedelta(days=700), expires=today + dt.timedelta(days=700)
        )
    party = Party.objects.get(pk=RoleAssignment.objects.get(user__username="demo_enterprise").party_id)
    # The agency's catalog: from 5,000 yuan a fine on an organisation is major (statutory default 100,000).
    # The demo's own version (statutory-equal numbers) is set aside for this test (rolled back with it).
    MajorDecisionCatalog.objects.filter(agency=me.agency).delete()
    services.catalog_publish(
        actor=head,
        agency=me.agency,
        effective_from=t0 - dt.timedelta(days=365),
        fine_citizen_yuan="2000",
        fine_organisation_yuan="5000",
        confiscation_yuan="5000",
        note="示范县市场监管局重大执法决定法制审核目录（示范数据）",
    )
    case = case_services.case_register_source(
        actor=officer_user,
        agency=me.agency,
        domain=domain,
        source_kind="complaint",
        received_on=t0,
        title="销售不符合食品安全标准的食品",
        parties=[party],
    )
    case = case_services.case_open(
        actor=officer_user,
        approved_by=head,
        case=case,
        officers=[me, partner],
        act_date=t0 - dt.timedelta(days=3),
        on=t0,
    )
    case = case_services.case_start_investigation(actor=officer_user, case=case, on=t0)
    attach(officer_user, case, "investigation")
    case = case_services.case_end_investigation(actor=officer_user, case=case, on=t0 + dt.timedelta(days=5))
    case = case_services.case_notify_rights(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=officer_user,
        case=case,
        kinds=["fine"],
        fine_yuan="8000",
        on=t0 + dt.timedelta(days=7),
    )
    case_services.case_waive_rights(actor=officer_user, case=case, on=t0 + dt.timedelta(days=8))
    case_id, case_number = case.pk, case.number

    browser = launch_browser()
    page, problems = _new_page(browser, DESKTOP)
    _log_in(page, server, "demo_officer", PASSWORDS["demo_officer"])
    page.goto(f"{server}/cases/{case_id}/")
    assert "法制审核目录" in page.get_by_test_id("review-panel").inner_text()

    # 1. Submitted without the draft decision: refused with the list; then accepted.
    message = _submit(page, server, case_id, t0 + dt.timedelta(days=9), "", "调查终结，拟罚款 8000 元。")
    assert "缺少：行政执法文书（决定书草稿）" in message
    shot(page, "review-01-submit-refused.png")
    message = _submit(
        page,
        server,
        case_id,
        t0 + dt.timedelta(days=9),
        "当事人销售不符合食品安全标准的食品，依据《食品安全法》第一百二十四条，拟处罚款人民币 8000 元。",
        "调查终结，事实清楚，证据确凿，当事人放弃陈述申辩和听证，拟作出罚款 8000 元的决定。",
    )
    assert "已送法制审核（第 1 轮）" in message
    assert page.get_by_test_id("case-stage").inner_text() == "法制审核"

    # 2. The head assigns the reviewer (not an officer on the case).
    head_page, head_problems = _new_page(browser, DESKTOP)
    _log_in(head_page, server, "demo_head", PASSWORDS["demo_head"])
    _assign(head_page, server, reviewer.pk, t0 + dt.timedelta(days=9), case_number)
    assert head_page.get_by_test_id("reviewer").inner_text() == reviewer.display_name

    # 3. The reviewer finds a problem with the discretion benchmark and returns the case.
    rev, rev_problems = _new_page(browser, DESKTOP)
    _log_in(rev, server, "demo_reviewer", PASSWORDS["demo_reviewer"])
    rev.goto(f"{server}/review/")
    shot(rev, "review-02-queue.png")
    rev.get_by_test_id("review-row").filter(has_text=case_number).first.locator("a").click()
    rev.wait_for_load_state("networkidle")
    assert rev.get_by_test_id("materials").locator("li").count() == 5
    shot(rev, "review-03-reviewer-page.png")
    _review(
        rev,
        "law",
        t0 + dt.timedelta(days=10),
        "裁量基准运用理由不充分，请补充从轻情节的认定理由后再次报送。",
        False,
    )
    assert rev.get_by_test_id("review-state").inner_text() == "存在问题（退回）"
    shot(rev, "review-04-returned.png")

    # 4. The unit revises and resubmits (round 2); the reviewer takes it himself and agrees.
    message = _submit(
        page,
        server,
        case_id,
        t0 + dt.timedelta(days=11),
        "（修改稿）拟处罚款人民币 8000 元；当事人无从轻情节，适用裁量基准“一般”档。",
        "已按审核意见补充裁量说明：当事人无从轻、减轻情节，适用一般档。",
    )
    assert "第 2 轮" in message
    _assign(rev, server, reviewer.pk, t0 + dt.timedelta(days=11), case_number)
    _review(rev, None, t0 + dt.timedelta(days=12), "", True)
    assert rev.get_by_test_id("review-state").inner_text() == "同意"
    assert rev.get_by_test_id("rounds").locator("li").count() == 2
    shot(rev, "review-05-agreed.png")

    # 5. The head decides (the hard guard is open now).
    head_page.goto(f"{server}/cases/{case_id}/")
    block = head_page.locator('details[data-action="decide"]')
    block.locator("summary").click()
    block.locator("#id_decide-on").fill((t0 + dt.timedelta(days=13)).isoformat())
    block.locator("input[name='decide-kinds'][value='fine']").check()
    block.locator("#id_decide-fine_yuan").fill("8000")
    block.get_by_role("button").click()
    head_page.wait_for_load_state("networkidle")
    assert head_page.get_by_test_id("case-stage").inner_text() == "决定"
    shot(head_page, "review-06-case-decided.png")

    # 6. The opinion's verification page (public), and the reviewer's page on a phone.
    pdf_href = rev.get_by_test_id("opinion-link").first.get_attribute("href")
    pdf = rev.request.get(f"{server}{pdf_href}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    (browser_tests.SCREENSHOTS / "review-opinion.pdf").write_bytes(pdf.body())
    href = rev.get_by_test_id("verify-link").first.get_attribute("href")
    public, public_problems = _new_page(browser, PHONE)
    public.goto(f"{server}{href}")
    assert "签章有效" in public.get_by_test_id("verify-result").inner_text()
    shot(public, "review-07-verify-phone.png")
    phone, phone_problems = _new_page(browser, PHONE)
    _log_in(phone, server, "demo_reviewer", PASSWORDS["demo_reviewer"])
    phone.goto(rev.url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "review-08-reviewer-phone.png")

    assert problems.items == [] and head_problems.items == [] and rev_problems.items == []
    assert public_problems.items == [] and phone_problems.items == []
