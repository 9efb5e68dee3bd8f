"""示范县 — supervision's part of the demo: a problem in each state, instruments (one overdue), a social
supervisor, a liaison point not visited for a year, a return-visit questionnaire, then one gathering of every flag
source. The complaints (web, 12345, replied and rated) are the complaints app's steps, run just before
(``zhifa.complaints.demo``). Robust to whatever other demo steps built."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.core.errors import DomainError
from zhifa.org.demo import COUNTY2, DemoPartFailed, county2_accounts
from zhifa.org.models import Agency, Party, Region, User
from zhifa.supervision import services as s


def build_supervision_demo(ctx: Any) -> None:
    sup = User.objects.filter(username="demo_supervisor").first()
    head = User.objects.filter(username="demo_head").first()
    county = Region.objects.filter(code="860102").first()
    market = Agency.objects.filter(name="示范县市场监督管理局").first()
    if not (sup and head and county and market):
        raise DemoPartFailed("执法监督", "示范县组织机构不完整")
    others = list(
        Agency.objects.filter(region=county, is_supervision_organ=False).exclude(pk=market.pk)[:3]
    )  # demo seed: a sample
    today = ctx.today
    due = today + dt.timedelta(days=30)

    def problem(title: str, category: str, agency: Agency = market) -> Any:
        return s.problem_open(
            actor=sup,
            agency=agency,
            source_kind="campaign",
            source_ref="专项整治〔演示〕",
            title=title,
            description=f"{title}（演示数据）",
            category=category,
            due=due,
        )

    problem("行政处罚决定书未告知救济途径", "irregular")
    p = problem("对轻微违法一律顶格处罚", "rigid")
    s.problem_rectify(actor=head, problem=p, measures="组织裁量基准培训，重新审查近三月案件。")
    p = problem("罚没收入与考核挂钩", "profit")
    s.problem_rectify(actor=head, problem=p, measures="取消罚没指标考核。", evidence="局党组会议纪要")
    s.problem_submit(actor=head, problem=p, summary="已整改完毕")
    p = problem("群众举报线索未及时核查", "inaction")
    s.problem_rectify(actor=head, problem=p, measures="建立举报线索台账，三日内核查。")
    s.problem_submit(actor=head, problem=p)
    s.problem_verify(actor=sup, problem=p, passed=True, opinion="抽查 10 条线索均已按时核查。")
    s.problem_close(actor=sup, problem=p, note="销号")

    target = others[0] if others else market
    s.instrument_issue(
        actor=sup,
        agency=target,
        kind="letter",
        title="涉企检查未报备",
        findings="近一个月 3 次入企检查未在平台报备。",
        requirements="补办报备手续，说明原因，落实“无报备不进企”。",
        deadline=today - dt.timedelta(days=3),
        on=today - dt.timedelta(days=20),
    )
    s.instrument_issue(
        actor=sup,
        agency=market,
        kind="opinion",
        title="案件超期未结",
        findings="2 起一般程序案件超过 90 日未作出决定。",
        requirements="15 个工作日内依法办结并报送情况。",
        deadline=today + dt.timedelta(days=21),
    )

    s.social_supervisor_appoint(
        actor=sup,
        region=county,
        name="示范监督员甲",
        organisation="示范县个体劳动者协会",
        sector="个体工商户",
        appointed_on=today - dt.timedelta(days=200),
        term_ends_on=today + dt.timedelta(days=900),
    )
    s.questionnaire_create(
        actor=sup,
        region=county,
        name="案件回访问卷（演示）",
        questions=[
            {"text": "执法人员是否出示执法证件", "kind": "choice", "choices": ["是", "否"]},
            {"text": "对执法过程的满意度", "kind": "rating"},
            {"text": "意见建议", "kind": "text", "required": False},
        ],
    )
    enterprise = (
        Party.objects.filter(region__path__startswith=county.path, kind="legal_person").order_by("id").first()
    )
    if enterprise is not None:
        s.liaison_point_designate(actor=sup, party=enterprise, designated_on=today - dt.timedelta(days=400))

    run = s.flags_scan()
    total = sum(c.get("raised", 0) for c in run.counts.values())
    ctx.say(f"  监督：问题 4、监督文书 2、投诉举报 3，预警 {total} 条。")


def build_county2_supervision_demo(ctx: Any) -> None:
    """示范县二 (order 145, before step 150 gathers every flag): demo_supervisor2's own work — a problem found at
    its market bureau still open and one rectified and submitted for verification, an overdue 监督文书 to its
    emergency bureau (its complaint is the complaints app's step 146)."""
    sup = User.objects.filter(username="demo_supervisor2").first()
    county = Region.objects.filter(code=COUNTY2[0]).first()
    if sup is None or county is None:
        raise DemoPartFailed(f"{COUNTY2[1]}执法监督", f"没有{COUNTY2[1]}或其执法监督人员")
    accounts = county2_accounts()
    market, head = accounts["market"].agency, accounts["market"].head
    emergency = accounts["emergency"].agency
    today = ctx.today
    try:
        for title, category in (("执法全过程记录不完整", "irregular"), ("涉企检查前未报备", "irregular")):
            problem = s.problem_open(
                actor=sup,
                agency=market,
                source_kind="campaign",
                source_ref="专项整治〔演示〕",
                title=title,
                description=f"{title}（演示数据）",
                category=category,
                due=today + dt.timedelta(days=30),
            )
        s.problem_rectify(actor=head, problem=problem, measures="补办报备手续，组织全员学习报备制度。")
        s.problem_submit(actor=head, problem=problem, summary="已整改完毕，请核查")
        s.instrument_issue(
            actor=sup,
            agency=emergency,
            kind="letter",
            title="安全生产检查记录不规范",
            findings="抽查 5 份现场检查记录，3 份未记载检查依据。",
            requirements="规范现场检查记录，十个工作日内报送整改情况。",
            deadline=today - dt.timedelta(days=2),
            on=today - dt.timedelta(days=16),
        )
    except DomainError as refusal:  # never swallowed: the whole demo stops and names the part
        raise DemoPartFailed(f"{COUNTY2[1]}执法监督", str(refusal)) from refusal
    ctx.say(f"  {COUNTY2[1]}监督：问题 2、监督文书 1、投诉举报 1。")
