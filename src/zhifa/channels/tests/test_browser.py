"""公示推送 in Debian's chromium: the agency head opens 公示推送 from the menu, registers the agency's 政务新媒体
endpoint, copies the secret shown once, sends a test event and reads the delivery log (an endpoint registered
earlier shows a delivered, a retrying and a failed delivery). Screenshots: docs/screenshots/channels-*.png.

Same live server as the other browser tests (``zhifa.testing.browser``: it shares the test's connection), on the
small case ``world``; all ORM work happens before chromium starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.channels import services, transport
from zhifa.channels.models import EventType, WebhookDelivery
from zhifa.core.tests.test_browser import DESKTOP, _log_in, _new_page
from zhifa.testing.browser import live_server_sharing_connection
from zhifa.testing.worlds import CaseWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


@pytest.fixture
def server(world: CaseWorld) -> Iterator[str]:
    """The live server on the case world (not the demo county)."""
    with live_server_sharing_connection() as url:
        yield url


def _earlier_endpoint(world: CaseWorld, settings: Any) -> int:
    """The agency's website, registered before: one test event delivered, one waiting for a retry, one failed."""
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    ep, _secret = services.endpoint_create(
        actor=world.head,
        agency=world.agency,
        name="本局门户网站",
        url="https://www.example.gov.cn/zhifa/webhook",
        events=[EventType.PUBLISHED, EventType.WITHDRAWN],
    )
    answers = [
        transport.Outcome(200, "", 85),
        transport.Outcome(None, "连接或等待响应超时（5 秒）。", 5000),
        transport.Outcome(503, "接收方返回 HTTP 503。", 120),
    ]
    for n, answer in enumerate(answers):
        settings.WEBHOOK_MAX_ATTEMPTS = 1 if n == 1 else 10
        d = services.endpoint_send_test(actor=world.head, endpoint=ep)
        services.delivery_attempt(
            WebhookDelivery.objects.select_related("endpoint").get(pk=d.pk), lambda *a, o=answer: o
        )
    return ep.pk


def test_head_registers_an_endpoint_sends_a_test_event_and_reads_the_log(
    world: CaseWorld, server: str, launch_browser: Callable[[], Any], settings: Any
) -> None:
    earlier = _earlier_endpoint(world, settings)
    username = world.head.username
    browser = launch_browser()
    page, problems = _new_page(browser, DESKTOP)
    page.set_default_timeout(90_000)  # the shared 2-core machine runs several suites at once
    _log_in(page, server, username, "Zhifa@2026")
    page.locator('[data-menu-group="公示"] > a').click()  # the 公示 area of the menu
    page.get_by_role("link", name="公示推送").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="登记推送地址").is_visible()
    page.get_by_label("名称").fill("政务微信公众号")
    page.get_by_label("推送地址").fill("https://wx.example.gov.cn/zhifa/hook")
    page.get_by_label("双公示增量").uncheck()
    page.get_by_role("button", name="登记并生成签名密钥").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="推送地址已登记：政务微信公众号").is_visible()
    secret = page.get_by_label("签名密钥").input_value()
    assert secret.startswith("whsec_") and "只显示这一次" in page.content()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "channels-endpoint-created.png"), full_page=True)

    page.get_by_role("link", name="我已保存密钥，查看推送记录").click()
    page.wait_for_load_state("networkidle")
    assert secret not in page.content()  # never shown again
    page.get_by_role("button", name="发送测试事件").click()
    page.wait_for_load_state("networkidle")
    log = page.locator("#deliveries").inner_text()
    assert "测试事件" in log and "待推送" in log
    assert "公示发布、撤回/更正" in page.content()

    page.goto(f"{server}/channels/")
    table = page.locator("#endpoints").inner_text()
    assert "政务微信公众号" in table and "本局门户网站" in table
    page.screenshot(path=str(SHOTS / "channels-endpoints.png"), full_page=True)
    page.get_by_role("link", name="本局门户网站").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/channels/{earlier}/")
    log = page.locator("#deliveries").inner_text()
    for text in (
        "已送达",
        "推送失败",
        "待推送",
        "接收方返回 HTTP 503。",
        "连接或等待响应超时（5 秒）。",
        "重新推送",
    ):
        assert text in log, text
    page.screenshot(path=str(SHOTS / "channels-delivery-log.png"), full_page=True)
    assert problems.items == []
