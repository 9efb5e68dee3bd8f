"""Demo step 190: the city's administrator registered 示范县二's own instance as a 下级平台, and a stand-in for
that instance pushed two signed batches (open flags and problems, a decision, the year's statistics, its
ledger's signed heads, witnessed): the city supervisor's 下级平台 page and workbench show them. Nothing leaves
the machine: the batches are received in-process, through the same checks as over HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.core import clock
from zhifa.exchange import services
from zhifa.exchange.models import ItemKind
from zhifa.exchange.standin import StandInCounty, item
from zhifa.org.demo import COUNTY2
from zhifa.org.models import Region, User


def build_exchange_demo(ctx: Any) -> int:
    admin = User.objects.filter(username="demo_admin").first()
    region = Region.objects.filter(code=COUNTY2[0]).first()
    if admin is None or region is None:
        return 0
    county = StandInCounty(code=COUNTY2[0])
    source, secret = services.source_create(
        actor=admin,
        region=region,
        name=f"{COUNTY2[1]}行政执法监督平台",
        code=COUNTY2[0],
        public_key_pem=county.public_key_pem,
    )
    county.secret = secret
    today = clock.today()
    county.grow(40)
    first = county.head(30, at=clock.now() - dt.timedelta(hours=2))
    body, headers = county.batch(
        [
            item(
                ItemKind.FLAG,
                "flag:1",
                title="案件超过办案期限未结案",
                state_label="待处理",
                is_open=True,
                agency_name=f"{COUNTY2[1]}市场监督管理局",
                due=(today + dt.timedelta(days=3)).isoformat(),
            ),
            item(
                ItemKind.PROBLEM,
                "problem:1",
                title="行政处罚决定书未按时公示",
                state_label="整改中",
                is_open=True,
                agency_name=f"{COUNTY2[1]}交通运输局",
                due=(today + dt.timedelta(days=10)).isoformat(),
            ),
            item(
                ItemKind.DECISION,
                "publication:1",
                title="行政处罚决定书（示县二市监罚〔示例〕1号）",
                state_label="已公示",
                agency_name=f"{COUNTY2[1]}市场监督管理局",
            ),
        ],
        county.ledger(first, None),
    )
    services.batch_receive(code=county.code, headers=headers, body=body)
    second = county.head(40)
    metrics = [
        {"metric": "case.decided", "label": "作出处罚决定", "count": 12, "amount": "0"},
        {"metric": "inspection.done", "label": "完成检查", "count": 85, "amount": "0"},
        {"metric": "case.legal_review", "label": "法制审核", "count": 9, "amount": "0"},
        {"metric": "publication.published", "label": "公示", "count": 11, "amount": "0"},
    ]
    body, headers = county.batch(
        [
            item(
                ItemKind.FLAG,
                "flag:2",
                title="检查未录入执法人员证件",
                state_label="待处理",
                is_open=True,
                agency_name=f"{COUNTY2[1]}生态环境分局",
            ),
            item(
                ItemKind.STATISTICS,
                f"statistics:{today.year}",
                title=f"{today.year} 年度执法统计",
                year=today.year,
                state_label="已报送",
                metrics=metrics,
            ),
        ],
        county.ledger(second, 30),
    )
    services.batch_receive(code=county.code, headers=headers, body=body)
    ctx.say(f"下级平台：{source.name} 报送 2 批，账本见证通过")
    return 1
