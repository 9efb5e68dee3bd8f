"""下级平台 in Debian's chromium: the city's administrator opens 下级平台 from the 监督 menu and registers a
county (its code and pinned public key; the secret shown once); the city supervisor then reads 下级平台 — a
county that already pushed shows its open flags and problems, statistics, 账本见证 验证通过 and its lag — and the
county's page. Screenshots: docs/screenshots/exchange-*.png.

Live server on the small case ``world``; all ORM work (the county's earlier batches) happens before chromium.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.core import clock
from zhifa.core.tests.test_browser import DESKTOP, _log_in, _new_page
from zhifa.exchange import services
from zhifa.exchange.models import ItemKind
from zhifa.exchange.standin import StandInCounty, item
from zhifa.org.models import Role
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.testing.browser import live_server_sharing_connection
from zhifa.testing.worlds import CaseWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


@pytest.fixture
def server(world: CaseWorld) -> Iterator[str]:
    with live_server_sharing_connection() as url:
        yield url


def _county_that_pushed(world: CaseWorld, admin: Any) -> None:
    county = StandInCounty(code="880103")
    _, county.secret = services.source_create(
        actor=admin,
        region=world.county,
        name="测县二平台",
        code="880103",
        public_key_pem=county.public_key_pem,
    )
    county.grow(12)
    first = county.head(8, at=clock.now() - dt.timedelta(hours=1))
    services.batch_receive(
        code=county.code,
        **_call(
            county.batch(
                [
                    item(
                        ItemKind.FLAG,
                        "flag:1",
                        title="案件超期未结",
                        state_label="待处理",
                        is_open=True,
                        agency_name="测县二市场监督管理局",
                    )
                ],
                county.ledger(first, None),
            )
        ),
    )
    second = county.head(12)
    metrics = [{"metric": "case.decided", "label": "作出处罚决定", "count": 7, "amount": "0"}]
    services.batch_receive(
        code=county.code,
        **_call(
            county.batch(
                [
                    item(
                        ItemKind.PROBLEM,
                        "problem:1",
                        title="处罚决定未按时公示",
                        state_label="整改中",
                        is_open=True,
                    ),
                    item(ItemKind.STATISTICS, "statistics:2026", title="2026 年度执法统计", metrics=metrics),
                ],
                county.ledger(second, 8),
            )
        ),
    )


def _call(batch: tuple[bytes, dict[str, str]]) -> dict[str, Any]:
    body, headers = batch
    return {"headers": headers, "body": body}


def test_city_admin_registers_a_county_and_the_city_supervisor_reads_its_counties(
    world: CaseWorld, server: str, launch_browser: Callable[[], Any]
) -> None:
    admin = UserFactory()
    grant(admin, Role.ADMIN, region=world.county.parent.parent)
    _county_that_pushed(world, admin)
    pem = StandInCounty(code="x").public_key_pem
    browser = launch_browser()
    page, problems = _new_page(browser, DESKTOP)
    page.set_default_timeout(90_000)  # the shared 2-core machine runs several suites at once
    _log_in(page, server, admin.username, "Zhifa@2026")
    page.locator('[data-menu-group="监督"] > a').click()
    page.get_by_role("link", name="下级平台").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("下级平台名称").fill("测县平台")
    page.get_by_label("平台编码").fill("880102")
    page.get_by_label("签名公钥（PEM）").fill(pem)
    page.get_by_role("button", name="登记并生成接入密钥").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="下级平台已登记：测县平台").is_visible()
    secret = page.get_by_label("接入密钥").input_value()
    assert secret.startswith("whsec_")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "exchange-source-created.png"), full_page=True)
    page.get_by_role("link", name="我已保存密钥，查看该下级平台").click()
    page.wait_for_load_state("networkidle")
    assert secret not in page.content()

    page.context.clear_cookies()
    _log_in(page, server, world.supervisor.username, "Zhifa@2026")
    page.goto(f"{server}/exchange/")
    table = page.locator("#sources").inner_text()
    for text in ("测县二平台", "测县平台", "验证通过", "尚未见证", "作出处罚决定 7", "尚未接收"):
        assert text in table, text
    page.screenshot(path=str(SHOTS / "exchange-city.png"), full_page=True)
    page.get_by_role("link", name="测县二平台").click()
    page.wait_for_load_state("networkidle")
    body = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    for text in ("案件超期未结", "处罚决定未按时公示", "第 2 批", "验证通过"):
        assert text in body, text
    page.screenshot(path=str(SHOTS / "exchange-county.png"), full_page=True)
    page.goto(f"{server}/")
    assert "下级平台未办结预警和问题" in page.content()
    page.screenshot(path=str(SHOTS / "exchange-workbench.png"), full_page=True)
    assert problems.items == []
