"""示范县 — reporting's part of the demo: the kinds the seeds ask for (bi-monthly progress, the yearly work
report that goes to the county government, a one-off summary; the city's quarterly county summaries) and
reports in each state: accepted, drafting, returned, awaiting the government, filed to the city. Runs after
the statistics step so that the drafted figures are the dashboard's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.org.demo import DemoPartFailed
from zhifa.org.models import Agency, Region, User
from zhifa.reporting import services as s
from zhifa.reporting.models import FilerLevel, Period, Report
from zhifa.reporting.periods import ended_periods, period_containing
from zhifa.reporting.sources import KIND as OVERDUE_KIND
from zhifa.supervision.services import flags_scan

STEP_ORDER = 170

SECTIONS = ["工作开展情况", "存在的问题", "下一步工作打算"]
TEXTS = {
    "存在的问题": "个别执法人员对裁量基准掌握不准，涉企检查报备仍有遗漏。（演示数据）",
    "下一步工作打算": "开展裁量基准专题培训，落实涉企检查“扫码入企”，按期完成问题整改销号。（演示数据）",
}


def _file(report: Report, actor: User) -> Report:
    s.report_edit(actor=actor, report=report, texts=TEXTS)
    return s.report_submit(actor=actor, report=report)


def build_reporting_demo(ctx: Any) -> None:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["demo_head", "demo_supervisor", "demo_supervisor2", "demo_city_supervisor"]
        )
    }
    county = Region.objects.filter(code="860102").first()
    county2 = Region.objects.filter(code="860103").first()
    city = Region.objects.filter(code="860100").first()
    market = Agency.objects.filter(name="示范县市场监督管理局").select_related("region").first()
    if len(users) < 4 or not (county and county2 and city and market):
        raise DemoPartFailed("报送事项", "示范县组织机构不完整")
    head, sup, sup2, city_sup = (
        users["demo_head"],
        users["demo_supervisor"],
        users["demo_supervisor2"],
        users["demo_city_supervisor"],
    )
    today: dt.date = ctx.today

    # seed 000: “每兩個月報送一次階段性進展情況” — the two bi-monthly periods before the current one
    prev_start, _ = period_containing(
        Period.BIMONTHLY, period_containing(Period.BIMONTHLY, today)[0] - dt.timedelta(days=1)
    )
    two_back, _ = period_containing(Period.BIMONTHLY, prev_start - dt.timedelta(days=1))
    bimonthly = s.kind_create(
        actor=sup,
        region=county,
        name="专项整治阶段性进展情况",
        period=Period.BIMONTHLY,
        due_days=10,
        starts_on=two_back,
        agencies=[market],
        sections=SECTIONS,
        basis="行政执法专项整治行动实施方案：“每两个月报送一次阶段性进展情况，整治工作结束前报送工作情况报告”",
    )
    older, latest = sorted(
        ended_periods(bimonthly.period, bimonthly.due_days, bimonthly.starts_on, None, today)[:2],
        key=lambda p: p.start,
    )
    r = s.report_draft(
        actor=head, kind=bimonthly, agency=market, region=market.region, period_start=older.start
    )
    s.report_accept(actor=sup, report=_file(r, head))
    s.report_draft(actor=head, kind=bimonthly, agency=market, region=market.region, period_start=latest.start)

    # seed 004: 行政执法工作报告, and the government's step (“报请县政府”)
    yearly = s.kind_create(
        actor=sup,
        region=county,
        name="年度行政执法工作报告",
        period=Period.YEARLY,
        due_days=31,
        starts_on=dt.date(today.year - 1, 1, 1),
        sections=["年度执法工作总体情况", "“三项制度”落实情况", "存在的问题", "下一步工作打算"],
        needs_government_approval=True,
        basis="行政执法质量巩固年行动实施方案 第9项：综合运用行政执法工作报告……对行政执法工作开展经常性监督",
    )
    r = s.report_draft(
        actor=head,
        kind=yearly,
        agency=market,
        region=market.region,
        period_start=dt.date(today.year - 1, 1, 1),
    )
    s.report_edit(
        actor=head,
        report=r,
        texts={"“三项制度”落实情况": "行政执法公示、全过程记录、法制审核制度全面落实。（演示数据）"},
    )
    s.report_accept(actor=sup, report=_file(r, head))

    # seed 001: a one-off summary with a fixed date; returned once for more detail
    ends_on = today - dt.timedelta(days=20)
    once = s.kind_create(
        actor=sup,
        region=county,
        name="“三项制度”工作总结",
        period=Period.ONCE,
        due_days=30,
        starts_on=ends_on - dt.timedelta(days=180),
        ends_on=ends_on,
        agencies=[market],
        sections=SECTIONS,
        basis="推行行政执法“三项制度”实施方案：“将推行‘三项制度’工作总结报送市住房和城乡建设局和县司法局”",
    )
    r = s.report_draft(
        actor=head, kind=once, agency=market, region=market.region, period_start=once.starts_on
    )
    s.report_return(actor=sup, report=_file(r, head), reason="请补充法制审核目录清单的调整情况。")

    # seed 002: “每季度向市政府汇报工作进展情况” — the counties' bureaus file to the city
    q_prev, _ = period_containing(
        Period.QUARTERLY, period_containing(Period.QUARTERLY, today)[0] - dt.timedelta(days=1)
    )
    quarterly = s.kind_create(
        actor=city_sup,
        region=city,
        name="县（区）行政执法协调监督工作季度汇报",
        period=Period.QUARTERLY,
        due_days=15,
        starts_on=q_prev,
        filers=FilerLevel.BUREAUS,
        sections=["工作进展情况", "试点经验和存在问题", "下一季度工作安排"],
        basis="行政执法协调监督工作体系建设试点方案：“各单位要及时总结试点工作经验和存在问题，每季度向市政府汇报工作进展情况”",
    )
    r = s.report_draft(actor=sup, kind=quarterly, agency=None, region=county, period_start=q_prev)
    s.report_edit(
        actor=sup,
        report=r,
        texts={
            "试点经验和存在问题": "建立执法监督联系点制度；乡镇执法队伍法制审核力量不足。（演示数据）",
            "下一季度工作安排": "开展案卷评查，推进问题整改销号。（演示数据）",
        },
    )
    s.report_submit(actor=sup, report=r)
    s.report_draft(actor=sup2, kind=quarterly, agency=None, region=county2, period_start=q_prev)
    run = flags_scan(kinds=[OVERDUE_KIND])  # the warning queue hears of the overdue periods now
    raised = run.counts.get(OVERDUE_KIND, {}).get("raised", 0)
    ctx.say(
        f"  报送事项：4 类，报告 6 份（已接收、起草中、已退回、待县政府审定、已报送市司法局），逾期预警 {raised} 条。"
    )
