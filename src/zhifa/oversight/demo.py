"""示范县 — the oversight part of the demo (step 155, after the cases and supervision steps): a 约谈 with two
commitments on the problem ledger, an active 督查组 with a 督查函, a 共性问题 escalated to the city (the city
supervisor's 待办) and one still with its lead agency, a 职责争议 waiting for the bureau and one decided, a 问责,
and a 尽职免责 request of the demo officer waiting for the bureau. Robust to whatever other demo steps built."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.cases.models import Case
from zhifa.org.demo import DemoPartFailed
from zhifa.org.models import Agency, Officer, Region, User
from zhifa.oversight import services as s
from zhifa.supervision.models import Problem


def build_oversight_demo(ctx: Any) -> None:
    sup = User.objects.filter(username="demo_supervisor").first()
    head = User.objects.filter(username="demo_head").first()
    officer_user = User.objects.filter(username="demo_officer").first()
    county = Region.objects.filter(code="860102").first()
    market = Agency.objects.filter(name="示范县市场监督管理局").first()
    justice = Agency.objects.filter(region=county, is_supervision_organ=True).first()
    if not (sup and head and officer_user and county and market and justice):
        raise DemoPartFailed("督查与问责", "示范县组织机构不完整")
    others = list(
        Agency.objects.filter(region=county, is_supervision_organ=False, is_active=True)
        .exclude(pk=market.pk)
        .order_by("id")[:3]
    )  # demo seed: a sample
    if len(others) < 2:
        raise DemoPartFailed("督查与问责", "示范县执法部门不足")
    today = ctx.today

    grounds = list(Problem.objects.filter(agency=market).exclude(state="closed").order_by("id")[:1])
    s.interview_record(
        actor=sup,
        agency=market,
        persons="示范县市场监督管理局局长（演示）、分管副局长（演示）",
        held_on=today - dt.timedelta(days=5),
        place="示范县司法局三楼会议室",
        reason="涉企检查未报备、轻微违法顶格处罚等问题反复出现，群众投诉集中",
        record="听取局长情况说明；指出执法不规范问题及其原因；提出限期整改要求，被约谈单位作出整改承诺。",
        grounds=grounds,
        grounds_note="12345 投诉 3 件（演示）",
        commitments=[
            ("30 日内补录全部涉企检查报备，落实“无报备不进企”", today + dt.timedelta(days=30)),
            ("对近三个月顶格处罚案件逐案复查", today + dt.timedelta(days=45)),
        ],
    )

    team = s.team_form(
        actor=sup,
        region=county,
        title="城关农贸市场执法冲突事件督查",
        trigger="major_impact",
        scope="调阅执法记录仪视频与案卷，走访当事人和市场管理方，约谈执法人员；督查结束后形成督查报告。",
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=11),
        leader="示范县司法局副局长（演示）",
        members=[
            (justice, "督查组组长（演示）", "组长"),
            (others[0], "督查员甲（演示）", "调阅案卷"),
            (others[1], "督查员乙（演示）", "走访当事人"),
        ],
    )
    s.team_letter_issue(
        actor=sup,
        team=team,
        agency=market,
        title="城关农贸市场执法冲突事件",
        findings="现场执法未全程音像记录，执法人员未出示执法证件。",
        requirements="十个工作日内书面说明情况，并报送整改措施。",
        deadline=today + dt.timedelta(days=14),
    )

    city_case = s.joint_problem_open(
        actor=sup,
        region=county,
        title="多部门对同一企业重复入企检查",
        description="同一企业一个月内被三个部门分别检查，检查事项重叠。",
        lead=market,
        partners=others[:2],
        due=today + dt.timedelta(days=60),
    )
    s.joint_problem_escalate(
        actor=sup, joint=city_case, reason="涉及市级部门的检查计划，需市司法局统筹“综合查一次”。"
    )
    s.joint_problem_open(
        actor=sup,
        region=county,
        title="行政执法文书送达不规范",
        description="多个部门的处罚决定书未按规定方式送达。",
        lead=market,
        partners=others[1:3] or others[:1],
        due=today + dt.timedelta(days=45),
    )

    s.dispute_file(
        actor=head,
        applicant=market,
        other=others[0],
        kind="negative",
        matter="无证经营建筑材料的查处由谁负责（演示）",
        positions="市场监管局：属建筑市场监管；对方：属无照经营查处。",
    )
    decided = s.dispute_file(
        actor=sup,
        applicant=others[1],
        other=market,
        kind="positive",
        matter="校园周边食品摊贩的查处（演示）",
        positions="双方均主张管辖。",
    )
    s.dispute_decide(actor=sup, dispute=decided, responsible=market, reasoning="食品经营属市场监管职责。")

    problem = Problem.objects.filter(agency=market).order_by("id").first()
    if problem is not None:
        s.accountability_record(
            actor=sup,
            agency=market,
            person="某股室负责人（演示）",
            kind="talk",
            facts="问题经督促仍未按期整改。",
            decided_on=today - dt.timedelta(days=1),
            problem=problem,
        )

    officer = Officer.objects.filter(user=officer_user).first()
    cases = Case.objects.filter(officers=officer, agency=market).order_by("-stage", "id") if officer else None
    case = (cases.filter(stage="closed").first() or cases.first()) if cases is not None else None
    requested = 0
    if case is not None:
        seqs = [e.seq for e in s.case_entries(case)][:3]
        if seqs:
            s.exemption_request(
                actor=officer_user,
                case=case,
                facts="依法立案、调查、告知、决定，程序完整，当事人事后提起复议系对裁量有异议。",
                entry_seqs=seqs,
            )
            requested = 1
    ctx.say(
        f"  督查与问责：约谈 1、督查组 1（督查函 1）、共性问题 2、职责争议 2、问责 1、尽职免责申请 {requested}。"
    )
