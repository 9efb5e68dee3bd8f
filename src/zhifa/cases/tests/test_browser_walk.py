"""A general-procedure case from source to archive through the workbench pages, in Debian's chromium.

The source is registered and the required records (调查取证笔录, 送达回证) are stored before the browser
starts (the browser tests make no ORM call once chromium runs, see core/tests/test_browser.py); every step
after that is a form on the case page, back-dated through its 办理日期 so that the periods of the law have
run. Screenshots: test-artifacts/screenshots/case-*.png.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from zhifa.cases import services
from zhifa.cases.tests.helpers import attach
from zhifa.core import clock
from zhifa.core.tests import test_browser as browser_tests
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _log_in, _new_page, _shot
from zhifa.evidence.required_defaults import ensure_default_rules
from zhifa.org.demo import DEMO_LOGINS
from zhifa.org.models import Officer, Party, RoleAssignment, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = browser_tests.server
launch_browser = browser_tests.launch_browser
PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}


def _act(
    page: Any, server: str, case_id: int, code: str, on: dt.date, fill: dict[str, str] | None = None
) -> None:
    page.goto(f"{server}/cases/{case_id}/")
    block = page.locator(f'details[data-action="{code}"]')
    if not block.count():
        reason = page.locator(f'[data-action="{code}"]').all_inner_texts()
        raise AssertionError(f"{code} is not offered: {reason}")
    block.locator("summary").click()
    block.locator(f"#id_{code}-on").fill(on.isoformat())
    for selector, value in (fill or {}).items():
        target = block.locator(selector)
        if value == "check":
            target.check()
        elif value.startswith("select:"):
            target.select_option(value.removeprefix("select:"))
        else:
            target.fill(value)
    block.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{server}/cases/{case_id}/", (
        f"{code}: {page.locator('.form-errors').all_inner_texts()}"
    )


def test_general_procedure_case_walks_from_source_to_archive(
    launch_browser: Callable[[], Any], server: str
) -> None:
    ensure_default_rules()  # a transactional test on this worker may have flushed the seeded checklist
    officer_user = User.objects.get(username="demo_officer")
    me = Officer.objects.select_related("agency").get(user=officer_user)
    partner = Officer.objects.get(user__username="demo_reviewer")
    party = Party.objects.get(pk=RoleAssignment.objects.get(user__username="demo_enterprise").party_id)
    domain = me.agency.domains.order_by("code").first()
    today = clock.today()
    t0 = today - dt.timedelta(days=40)
    case = services.case_register_source(
        actor=officer_user,
        agency=me.agency,
        domain=domain,
        source_kind="complaint",
        received_on=t0,
        title="销售超过保质期的食品",
        parties=[party],
    )
    attach(officer_user, case, "investigation")  # 调查取证笔录
    attach(officer_user, case, "service_execution")  # 送达回证 signed by the party
    case_id = case.pk

    browser = launch_browser()
    page, problems = _new_page(browser, DESKTOP)
    _log_in(page, server, "demo_officer", PASSWORDS["demo_officer"])

    # 登记案源 through its form too (a second lead), then the prepared one goes on.
    page.goto(f"{server}/cases/new/")
    page.get_by_label("案由").fill("无证经营")
    page.get_by_label("当事人（统一社会信用代码或名称）").fill(party.uscc)
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state("networkidle")
    errors = page.locator(".invalid-feedback").evaluate_all("els => els.map(e => e.id + e.innerText)")
    assert not errors, errors
    assert page.get_by_test_id("case-stage").inner_text() == "案源登记"
    _shot(page, "case-01-source.png")

    _act(
        page,
        server,
        case_id,
        "open",
        t0,
        {
            f"input[name='open-officers'][value='{me.pk}']": "check",
            f"input[name='open-officers'][value='{partner.pk}']": "check",
            "#id_open-act_date": (t0 - dt.timedelta(days=3)).isoformat(),
            "#id_open-facts": "当事人在其经营场所销售超过保质期的预包装食品。",
        },
    )
    assert page.get_by_test_id("case-stage").inner_text() == "立案"
    _shot(page, "case-02-opened.png")
    _act(page, server, case_id, "start_investigation", t0)
    _act(page, server, case_id, "end_investigation", t0 + dt.timedelta(days=5))
    _act(
        page,
        server,
        case_id,
        "notify_rights",
        t0 + dt.timedelta(days=7),
        {"input[name='notify_rights-kinds'][value='fine']": "check", "#id_notify_rights-fine_yuan": "5000"},
    )
    assert page.get_by_test_id("case-stage").inner_text() == "事先告知"
    # 决定 is not the officer's: only the agency head decides; the page says so.
    assert "作出处罚决定" in page.get_by_test_id("not-mine").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    _shot(page, "case-03-notified.png")

    # 我的案件 on a phone while the case is open (deadline colours), and the on-the-spot form.
    phone, phone_problems = _new_page(browser, PHONE)
    _log_in(phone, server, "demo_officer", PASSWORDS["demo_officer"])
    phone.goto(f"{server}/cases/")
    assert phone.get_by_test_id("my-cases").is_visible()
    _shot(phone, "case-07-my-cases-phone.png")
    phone.goto(f"{server}/cases/simple/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(phone, "case-08-simple-phone.png")

    head_page, head_problems = _new_page(browser, DESKTOP)
    _log_in(head_page, server, "demo_head", PASSWORDS["demo_head"])
    _act(
        head_page,
        server,
        case_id,
        "decide",
        t0 + dt.timedelta(days=25),
        {"input[name='decide-kinds'][value='fine']": "check", "#id_decide-fine_yuan": "5000"},
    )
    assert head_page.get_by_test_id("case-stage").inner_text() == "决定"
    _act(page, server, case_id, "serve", t0 + dt.timedelta(days=26), {"#id_serve-method": "select:direct"})
    page.locator("#doc_type").select_option("decision")
    # rendering the PDF (font subsetting) takes seconds, many on a loaded machine
    page.get_by_role("button", name="出具文书").click(timeout=120_000)
    page.wait_for_load_state("networkidle", timeout=120_000)
    assert "罚〔" in page.get_by_test_id("case-documents").inner_text()
    _act(
        page,
        server,
        case_id,
        "record_payment",
        t0 + dt.timedelta(days=28),
        {"#id_record_payment-amount_yuan": "5000"},
    )
    _shot(page, "case-04-paid.png")
    _act(head_page, server, case_id, "close", t0 + dt.timedelta(days=29))
    _act(head_page, server, case_id, "archive", t0 + dt.timedelta(days=30))
    assert head_page.get_by_test_id("case-stage").inner_text() == "归档"
    assert head_page.locator('[data-testid="record-timeline"] li').count() >= 10
    _shot(head_page, "case-05-archived.png")

    # The verification page the decision's QR code opens (public, no login).
    href = page.locator('[data-testid="case-documents"] a', has_text="核验").first.get_attribute("href")
    public, public_problems = _new_page(browser, PHONE)
    public.goto(f"{server}{href}")
    assert "签章有效" in public.get_by_test_id("verify-result").inner_text()
    _shot(public, "case-06-verify-phone.png")

    assert problems.items == [] and head_problems.items == [] and public_problems.items == []
    assert phone_problems.items == []
