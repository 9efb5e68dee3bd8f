"""Demo step (order 125): the demo county's people — training plans (the market bureau's on file, the housing
bureau's awaiting the bureau), pre-job exams behind the certificates, an adviser roster, assessments and awards,
and delegations of penalty power (one in force, one withdrawn). The auxiliary staff (协管员) come from the org
demo. Every date is the demo day's (``ctx.today``) or before it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from zhifa.org.demo import DemoPartFailed
from zhifa.org.models import Agency, Domain, Officer, User
from zhifa.personnel import services
from zhifa.personnel.models import AdviserKind, Grade

PLAN_TEXT = (
    "一、公共法律知识（不少于20学时）：参加县司法局组织的行政处罚法、行政强制法、行政许可法专题轮训。\n"
    "二、业务知识和行政执法技能（不少于40学时）：现场检查、调查取证、案卷制作模拟训练，执法信息系统应用训练，"
    "执法全过程现场演练。\n三、6月底前完成全员轮训，7月报送完成情况。"
)


def build_personnel_demo(ctx: Any) -> None:
    today: dt.date = ctx.today
    head = User.objects.filter(username="demo_head").first()
    admin = User.objects.filter(username="demo_admin").first()
    supervisor = User.objects.filter(username="demo_supervisor").first()
    market = Agency.objects.filter(name="示范县市场监督管理局").first()
    housing = Agency.objects.filter(name="示范县住房和城乡建设局").first()
    comprehensive = Agency.objects.filter(name__startswith="示范县综合行政执法").first()
    if not (head and admin and supervisor and market and housing and comprehensive):
        raise DemoPartFailed("执法队伍", "没有演示机关负责人、司法局或市场监管、住建、综合执法机关")

    # 培训计划: the market bureau's accepted, the housing bureau's waiting for the bureau (司法局 待办).
    plan = services.plan_submit(actor=head, agency=market, year=today.year, content=PLAN_TEXT)
    services.plan_accept(actor=supervisor, plan=plan)
    services.plan_submit(actor=admin, agency=housing, year=today.year, content=PLAN_TEXT, business_hours=48)

    # 岗前培训考试 behind every certificate of 示范县 (trained by the officer's own agency, a week before).
    exams = 0
    for officer in (
        Officer.objects.filter(
            agency__region__path__startswith=market.region.path, certificates__isnull=False
        )
        .select_related("agency")
        .distinct()
        .order_by("id")
    ):
        first = officer.certificates.order_by("issued_on").first()
        exam_on = min(first.issued_on - dt.timedelta(days=7), today) if first else today
        services.prejob_exam_record(
            actor=admin,
            officer=officer,
            trained_by=officer.agency,
            training_hours=Decimal(40),
            exam_on=exam_on,
            score=72 + officer.pk % 25,
        )
        exams += 1

    # 法律顾问、公职律师名册 of the market bureau.
    services.adviser_add(
        actor=head,
        agency=market,
        kind=AdviserKind.PUBLIC_LAWYER,
        name="吴敏（演示）",
        licence_number="G33010020210001",
        employer="示范县市场监督管理局政策法规股",
        listed_on=today - dt.timedelta(days=200),
    )
    services.adviser_add(
        actor=head,
        agency=market,
        kind=AdviserKind.LEGAL_ADVISER,
        name="郑律师（演示）",
        licence_number="13301201810000001",
        employer="示范律师事务所",
        listed_on=today - dt.timedelta(days=100),
    )

    # 个人考核 of last year and an award.
    staff = list(Officer.objects.filter(agency=market, is_active=True).order_by("id")[:6])
    grades = [
        Grade.EXCELLENT,
        Grade.COMPETENT,
        Grade.COMPETENT,
        Grade.COMPETENT,
        Grade.BASIC,
        Grade.COMPETENT,
    ]
    for officer, grade in zip(staff, grades, strict=False):
        services.assessment_record(actor=head, officer=officer, year=today.year - 1, grade=grade)
    if staff:
        services.award_record(
            actor=supervisor,
            agency=market,
            officer=staff[0],
            title="行政执法先进个人",
            granted_by="示范县司法局",
            awarded_on=today - dt.timedelta(days=30),
            reason="年度办案质量评查优秀",
        )

    # 行政处罚委托 (行政处罚法 第二十条): one in force, one withdrawn.
    market_domain = Domain.objects.get(code="market")
    services.delegation_create(
        actor=head,
        delegating=market,
        entrusted=comprehensive,
        domain=market_domain,
        matters="城区流动摊贩无照经营的警告、二千元以下罚款（以委托机关名义实施，不得再委托）",
        document_number=f"示县市监委〔{today.year}〕1号",
        starts_on=today - dt.timedelta(days=90),
        ends_on=today + dt.timedelta(days=640),
    )
    housing_domain = housing.domains.order_by("id").first()
    if housing_domain is not None:
        old = services.delegation_create(
            actor=admin,
            delegating=housing,
            entrusted=comprehensive,
            domain=housing_domain,
            matters="城区违法建设的责令限期拆除前调查",
            document_number=f"示县住建委〔{today.year - 1}〕3号",
            starts_on=today - dt.timedelta(days=400),
            ends_on=today + dt.timedelta(days=330),
        )
        services.delegation_withdraw(actor=admin, delegation=old, reason="职权调整，委托事项划转")
    ctx.say(f"执法队伍：培训计划 2 份，岗前培训考试 {exams} 人次，名册 2 人，委托 2 项")
