"""The demo county's statistics (step 160, after every other app's demo data): a case-file evaluation plan
with a few scored files (one typical bad case on the problem ledger) when closed cases exist, the facts
rebuilt from scratch, and a scored assessment scheme."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Max, Min

from zhifa.cases.models import Case, Stage
from zhifa.evaluation import services as evaluation_services
from zhifa.evaluation.models import EvaluationPlan
from zhifa.org.models import Role, RoleAssignment, User
from zhifa.stats import services
from zhifa.stats.aggregates import rebuild
from zhifa.stats.models import Indicator


def _demo_evaluation(ctx: Any, supervisor: Any, region: Any) -> int:
    closed = Case.objects.filter(
        agency__region__path__startswith=region.path, stage__in=[Stage.CLOSED, Stage.ARCHIVED]
    )
    window = closed.aggregate(first=Min("closed_on"), last=Max("closed_on"))
    if window["first"] is None or EvaluationPlan.objects.filter(region=region).exists():
        return 0
    plan = evaluation_services.plan_create(
        actor=supervisor,
        region=region,
        year=window["last"].year,
        title=f"{window['last'].year} 年度行政处罚案卷评查（演示）",
        closed_from=window["first"],
        closed_to=window["last"],
        sample_per_agency=2,
    )
    files = evaluation_services.plan_draw(actor=supervisor, plan=plan)
    heads = list(
        RoleAssignment.objects.filter(role__in=[Role.AGENCY_HEAD, Role.OFFICER], agency__isnull=False)
        .values_list("user_id", "agency_id")
        .order_by("user_id")
    )
    items = list(plan.sheet.items.all())
    scored = 0
    for n, file in enumerate(files[:4]):  # demo seed: a sample
        evaluator_id = next((u for u, a in heads if a != file.agency_id), None)
        if evaluator_id is None:
            break
        evaluator = User.objects.get(pk=evaluator_id)
        evaluation_services.file_assign(actor=supervisor, file=file, evaluator=evaluator)
        awards = {i.pk: i.points for i in items}
        notes: dict[int, str] = {}
        criteria: list[str] = []
        comment = ""
        if n == 1:  # a file with deductions
            awards[items[2].pk] = items[2].points - Decimal(6)
            notes[items[2].pk] = "现场检查笔录未由当事人签名确认"
        if n == 2:  # the demo's typical bad case
            awards[items[4].pk] = Decimal(0)
            notes[items[4].pk] = "未告知当事人陈述、申辩权利即作出决定"
            criteria, comment = ["mis_procedure"], "违反告知、申辩程序，属乱作为典型差案。"
        evaluation_services.file_score(
            actor=evaluator, file=file, awards=awards, notes=notes, criteria=criteria, comment=comment
        )
        evaluation_services.file_confirm(actor=supervisor, file=file)
        scored += 1
    return scored


def demo_step(ctx: Any) -> None:
    grant = (
        RoleAssignment.objects.filter(
            user__username="demo_supervisor", role=Role.SUPERVISOR, region__isnull=False
        )
        .select_related("region")
        .first()
    )
    scored = 0
    if grant is not None:
        supervisor = User.objects.get(pk=grant.user_id)
        scored = _demo_evaluation(ctx, supervisor, grant.region)
    summary = rebuild()
    if grant is not None:
        scheme = services.assessment_scheme_create(
            actor=supervisor,
            region=grant.region,
            year=ctx.today.year,
            name=f"{ctx.today.year} 年度行政执法考评（演示）",
            indicators=[
                {"code": Indicator.CASE_QUALITY, "weight": 30},
                {"code": Indicator.TIMELINESS, "weight": 25},
                {"code": Indicator.REVIEW_PASS, "weight": 15},
                {"code": Indicator.WARNINGS_HANDLED, "weight": 15},
                {"code": Indicator.LITIGATION, "weight": 15},
            ],
        )
        services.assessment_score(actor=supervisor, scheme=scheme)
    ctx.say(f"统计：重建预聚合 {summary['facts']} 格；案卷评查评分 {scored} 卷；考评方案已评分")
