"""示范县 — the complaints app's part of the demo: complaints through the web form and a 12345 work order, one
replied and rated (step 149, just before supervision's step 150 gathers every flag), and 示范县二's complaint
assigned to its market bureau whose reply is still due (step 146). Before issue 23 these were inside the
supervision steps; supervision's demo now leaves them to this app, which sits beside it."""

from __future__ import annotations

from typing import Any

from zhifa.complaints import services as cs
from zhifa.core.errors import DomainError
from zhifa.org.demo import COUNTY2, DemoPartFailed, county2_accounts
from zhifa.org.models import Agency, Region, User

STEP_ORDER = 149
COUNTY2_STEP_ORDER = 146


def build_complaints_demo(ctx: Any) -> None:
    sup = User.objects.filter(username="demo_supervisor").first()
    head = User.objects.filter(username="demo_head").first()
    county = Region.objects.filter(code="860102").first()
    market = Agency.objects.filter(name="示范县市场监督管理局").first()
    if not (sup and head and county and market):
        raise DemoPartFailed("投诉举报", "示范县组织机构不完整")
    others = list(Agency.objects.filter(region=county, is_supervision_organ=False).exclude(pk=market.pk)[:3])
    target = others[0] if others else market  # the agency supervision's first 监督文书 goes to
    today = ctx.today

    c1 = cs.complaint_submit_public(
        region_code=county.code,
        subject="执法人员检查时态度粗暴",
        content="演示：某日检查时执法人员大声呵斥店员。",
        name="王某",
    )
    cs.complaint_assign(actor=sup, complaint=c1, agency=market)
    cs.complaint_reply(actor=head, complaint=c1, reply="演示：经核查，已对相关人员批评教育并向您致歉。")
    cs.complaint_rate(tracking_code=c1.tracking_code, satisfaction="basic", comment="处理及时")
    c2 = cs.complaint_submit_public(
        region_code=county.code,
        subject="多个部门一周内重复检查",
        content="演示：一周内三个部门先后入店检查。",
    )
    cs.complaint_assign(actor=sup, complaint=c2, agency=target)
    cs.work_orders_import(
        actor=sup,
        source="api",
        rows=[
            {
                "work_order_no": f"DEMO12345-{today:%Y%m%d}-001",
                "received_on": today.isoformat(),
                "region_code": county.code,
                "subject": "举报无证经营未处理",
                "content": "演示：多次举报无证经营无人处理。",
            }
        ],
    )


def build_county2_complaints_demo(ctx: Any) -> None:
    sup = User.objects.filter(username="demo_supervisor2").first()
    county = Region.objects.filter(code=COUNTY2[0]).first()
    if sup is None or county is None:
        raise DemoPartFailed(f"{COUNTY2[1]}投诉举报", f"没有{COUNTY2[1]}或其执法监督人员")
    market = county2_accounts()["market"].agency
    try:
        complaint = cs.complaint_submit_public(
            region_code=county.code,
            subject="执法人员检查时未出示执法证件",
            content="演示：两名执法人员进店检查，未出示执法证件。",
            name="李某",
        )
        cs.complaint_assign(actor=sup, complaint=complaint, agency=market)
    except DomainError as refusal:  # never swallowed: the whole demo stops and names the part
        raise DemoPartFailed(f"{COUNTY2[1]}投诉举报", str(refusal)) from refusal
