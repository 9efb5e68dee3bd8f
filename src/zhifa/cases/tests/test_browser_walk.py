"""The officer's day through the pages only, in Debian's chromium (issue 16): a general-procedure case from
the 案源 form to 归档, and a 当场处罚 on a phone.

The test reads the demo county before the browser starts (who is who, a citizen to fine); once chromium runs
every step is a page: the 案源 form with its 执法事项 picker, the 案源登记簿, the 立案审批表, each action form
on the case page (back-dated through its 办理日期 so that the periods of the law have run), the records the
steps require uploaded through the evidence page, and the agency head's 决定, 结案 and 归档 on the head's own
login. Screenshots: test-artifacts/screenshots/case-*.png.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from zhifa.cases.tests.helpers import PDF_BYTES
from zhifa.core import clock
from zhifa.core.tests import test_browser as browser_tests
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _log_in, _new_page, _shot
from zhifa.evidence.required_defaults import ensure_default_rules
from zhifa.org.demo import DEMO_LOGINS
from zhifa.org.models import Officer, Party, PartyKind, RoleAssignment, User
from zhifa.org.selectors import party_search

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = browser_tests.server
launch_browser = browser_tests.launch_browser
PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}
ITEM = "SJ-CF-005"  # 对食品经营者未按规定查验记录进货的行政处罚: no four-list entry, no discretion benchmark
SIMPLE_ITEM = "SJ-CF-004"  # 对食品标签、说明书存在瑕疵的行政处罚


@pytest.fixture(autouse=True)
def cases_rules_only() -> None:
    """The journey runs with every app's hooks, as in production (the catalog's 执法事项 check, the four
    lists, discretion, legal review, disclosure): the case tests' fixture that sets them aside is overridden."""


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
    block.get_by_role("button", name=block.locator("summary").inner_text()).click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{server}/cases/{case_id}/", (
        f"{code}: {page.locator('.form-errors, .invalid-feedback').all_inner_texts()}"
    )


def _upload(page: Any, server: str, case_id: int, stage: str, name: str) -> None:
    """A 笔录 the next step requires, uploaded through the case page's 上传证据 link."""
    page.goto(f"{server}/cases/{case_id}/")
    page.get_by_role("link", name="上传证据").click()
    page.wait_for_load_state("networkidle")
    body = PDF_BYTES + f"{case_id}-{stage}".encode()
    page.get_by_role("tab", name="选择文件（含文书）").click()
    form = page.locator("#evidence-pick")
    form.wait_for()
    form.locator("#file-pick").set_input_files({"name": name, "mimeType": "application/pdf", "buffer": body})
    form.locator("select[name='kind']").select_option("document")
    form.locator("select[name='stage']").select_option(stage)
    form.get_by_role("button", name="上传并存证").click()
    page.wait_for_load_state("networkidle")


def _pick_item(page: Any, field: str, typed: str, code: str) -> str:
    """Type into the 执法事项 picker, choose the match the search offers, return the shown item card."""
    picker = page.locator(f"#{field}")
    picker.fill(typed)
    page.locator(f"#{field}_info [data-code='{code}']").click()
    chosen = page.locator(f"#{field}_info [data-testid='item-picker-chosen']")
    chosen.wait_for()
    assert picker.input_value() == code
    return chosen.inner_text()


def test_officer_day_from_the_source_form_to_archive_and_an_on_the_spot_fine(
    launch_browser: Callable[[], Any], server: str
) -> None:
    ensure_default_rules()  # a transactional test on this worker may have flushed the seeded checklist
    me = Officer.objects.select_related("agency").get(user__username="demo_officer")
    partner = Officer.objects.get(user__username="demo_reviewer")
    head_pk = User.objects.get(username="demo_head").pk  # read before the browser starts (its loop is async)
    company = Party.objects.get(pk=RoleAssignment.objects.get(user__username="demo_enterprise").party_id)
    citizens = party_search(me.user, "", kind=PartyKind.NATURAL_PERSON)[:50]
    citizen = next(p for p in citizens if party_search(me.user, p.name).count() == 1)
    today = clock.today()
    t0 = today - dt.timedelta(days=40)
    title = "未按规定查验记录进货"

    browser = launch_browser()
    page, problems = _new_page(browser, DESKTOP)
    _log_in(page, server, "demo_officer", PASSWORDS["demo_officer"])

    # 案源: from 我的案件 to the form; the item is picked by typing part of its name.
    page.goto(f"{server}/cases/")
    page.get_by_role("link", name="登记案源").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("案源类型").select_option("complaint")
    page.get_by_label("登记日期").fill(t0.isoformat())
    page.get_by_label("案由").fill(title)
    card = _pick_item(page, "id_catalog_item_code", "查验记录进货", ITEM)
    assert "《中华人民共和国食品安全法》第一百二十六条" in card and "本事项无对应清单事项" in card
    page.get_by_label("当事人（统一社会信用代码或名称）").fill(company.uscc)
    page.get_by_label("案源内容").fill("群众投诉：该店进货未查验供货者许可证，无进货记录。")
    _shot(page, "case-00-source-form.png")
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("case-stage").inner_text() == "案源登记"
    assert "无进货记录" in page.get_by_test_id("source-summary").inner_text()
    case_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    _shot(page, "case-01-source.png")

    # 立案审批表 before 立案, then the 案源登记簿 lists the new source as 待处理.
    page.locator("#doc_type").select_option("filing_approval")
    page.get_by_role("button", name="出具文书").click(timeout=120_000)  # the PDF takes seconds
    page.wait_for_load_state("networkidle", timeout=120_000)
    assert "立审〔" in page.get_by_test_id("case-documents").inner_text()
    page.goto(f"{server}/cases/")
    page.get_by_test_id("source-list-link").click()
    page.wait_for_load_state("networkidle")
    row = page.locator(f"li[data-outcome]:has(a[href='/cases/{case_id}/'])")
    assert row.get_by_test_id("source-outcome").inner_text() == "待处理"

    # 立案: the item named on the 案源 is the form's value and its card is shown.
    page.goto(f"{server}/cases/{case_id}/")
    page.locator('details[data-action="open"] summary').click()
    assert page.locator("#id_open-catalog_item_code").input_value() == ITEM
    page.locator("#id_open-catalog_item_code_info [data-testid='item-picker-chosen']").wait_for()
    _act(
        page,
        server,
        case_id,
        "open",
        t0,
        {
            f"input[name='open-officers'][value='{me.pk}']": "check",
            f"input[name='open-officers'][value='{partner.pk}']": "check",
            # 立案审批: the head who approved the opening (市场监督管理行政处罚程序规定 第十八条)
            "#id_open-approved_by": f"select:{head_pk}",
            "#id_open-act_date": (t0 - dt.timedelta(days=3)).isoformat(),
            "#id_open-facts": "当事人采购预包装食品未查验供货者的许可证，未建立进货查验记录。",
        },
    )
    assert page.get_by_test_id("case-stage").inner_text() == "立案"
    _shot(page, "case-02-opened.png")
    _act(page, server, case_id, "start_investigation", t0)
    _upload(page, server, case_id, "investigation", "调查取证笔录.pdf")
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
    # 行政处罚法 第六十四条第一项: the party's periods run from service of the 告知书.
    _act(
        page,
        server,
        case_id,
        "serve_notice",
        t0 + dt.timedelta(days=7),
        {"#id_serve_notice-method": "select:direct"},
    )

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
    _upload(page, server, case_id, "service_execution", "送达回证.pdf")
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
    page.goto(f"{server}/cases/sources/?q={title}")
    assert page.get_by_test_id("source-outcome").all_inner_texts() == ["立案"]
    _shot(page, "case-10-sources.png")
    page.goto(f"{server}/cases/{case_id}/")

    # 当场处罚 on a phone: a 150-yuan fine for a citizen, the item picked on the phone form.
    phone, phone_problems = _new_page(browser, PHONE)
    _log_in(phone, server, "demo_officer", PASSWORDS["demo_officer"])
    phone.goto(f"{server}/cases/")
    assert phone.get_by_test_id("my-cases").is_visible()
    _shot(phone, "case-07-my-cases-phone.png")
    phone.get_by_role("link", name="当场处罚").first.click()
    phone.wait_for_load_state("networkidle")
    phone.get_by_label("当事人（统一社会信用代码或名称）").fill(citizen.name)
    phone.get_by_label("同行执法人员").select_option(str(partner.pk))
    phone.locator("#id_title").fill("销售标签瑕疵的预包装食品")
    card = _pick_item(phone, "id_catalog_item_code", "标签、说明书存在瑕疵", SIMPLE_ITEM)
    assert "第一百二十五条第二款" in card
    phone.get_by_label("地点").fill("示范县人民路 8 号")
    phone.locator("input[name='kinds'][value='fine']").check()
    phone.get_by_label("罚款（元）").fill("150")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(phone, "case-08-simple-phone.png")
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_load_state("networkidle")
    assert phone.get_by_test_id("case-stage").inner_text() == "送达", phone.locator(
        ".invalid-feedback, .form-errors"
    ).all_inner_texts()
    assert "简易程序" in phone.locator("h1 + span + span, .badge").all_inner_texts().__str__()
    _shot(phone, "case-09-simple-done-phone.png")
    phone.goto(f"{server}/cases/sources/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The verification page the 立案审批表's QR code opens (public, no login).
    href = page.locator('[data-testid="case-documents"] a', has_text="核验").first.get_attribute("href")
    public, public_problems = _new_page(browser, PHONE)
    public.goto(f"{server}{href}")
    assert "签章有效" in public.get_by_test_id("verify-result").inner_text()
    _shot(public, "case-06-verify-phone.png")

    assert (problems.items, head_problems.items, phone_problems.items, public_problems.items) == (
        [],
        [],
        [],
        [],
    )
