"""The demo county's quarterly rating and satisfaction survey (step 165, after the statistics are rebuilt): the
bureau's weights, the last finished quarter computed, reviewed and published as a 通报, the quarter before it
computed and waiting for review, and an open survey with answers from the demo enterprise and the public."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from zhifa.org.models import Agency, Domain, Role, RoleAssignment, User
from zhifa.ratings import services
from zhifa.ratings.models import Dimension, RatingRun
from zhifa.ratings.selectors import last_finished_quarter

STEP_ORDER = 165

PUBLIC_ANSWERS = 36


def _previous(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def build_ratings_demo(ctx: Any) -> None:
    grant = (
        RoleAssignment.objects.filter(
            user__username="demo_supervisor", role=Role.SUPERVISOR, region__isnull=False
        )
        .select_related("region")
        .first()
    )
    region = grant.region if grant is not None else None
    if grant is None or region is None:
        return
    supervisor = User.objects.get(pk=grant.user_id)
    if RatingRun.objects.filter(region=region).exists():
        return
    services.rating_weights_set(
        actor=supervisor,
        region=region,
        weights={
            Dimension.TIMELINESS: 20,
            Dimension.WARNINGS: 15,
            Dimension.PROBLEMS: 15,
            Dimension.EVALUATION: 15,
            Dimension.COMPLAINTS: 10,
            Dimension.SATISFACTION: 25,
        },
        min_acts_per_officer="1",
    )
    year, quarter = last_finished_quarter(ctx.today)
    earlier = _previous(year, quarter)
    services.rating_run_compute(actor=supervisor, region=region, year=earlier[0], quarter=earlier[1])
    run = services.rating_run_compute(actor=supervisor, region=region, year=year, quarter=quarter)
    services.rating_run_review(
        actor=supervisor,
        run=run,
        note="各重点监督单位须于通报印发之日起 30 日内书面报送整改情况；问题台账逾期事项限期销号。",
    )
    services.rating_run_publish(actor=supervisor, run=run)

    survey = services.survey_create(
        actor=supervisor,
        region=region,
        title=f"{ctx.today.year}年度行政执法满意度调查（演示）",
        opens_on=ctx.today - dt.timedelta(days=20),
        closes_on=ctx.today + dt.timedelta(days=40),
        questions=[
            "执法人员文明规范、亮证执法",
            "执法程序公开透明、告知到位",
            "处罚裁量公正合理、过罚相当",
            "涉企检查频次合理、不干扰正常经营",
        ],
    )
    rng = random.Random(ctx.seed)
    agencies = list(
        Agency.objects.filter(
            region__path__startswith=region.path, is_active=True, is_supervision_organ=False
        )
        .order_by("id")
        .values_list("pk", flat=True)[:12]
    )
    domains = list(Domain.objects.order_by("sort", "id").values_list("pk", flat=True))
    questions = [str(q) for q in survey.questions.values_list("pk", flat=True)]
    weighted_fields = domains[:3] * 3 + domains  # a few fields draw most of the complaints
    for i in range(PUBLIC_ANSWERS):
        overall = rng.choices([5, 4, 3, 2, 1], weights=[55, 30, 9, 4, 2])[0]
        services.survey_answer_public(
            token=survey.token,
            client=f"demo-{i}",
            overall=overall,
            answers={q: max(1, min(5, overall + rng.choice([-1, 0, 0, 1]))) for q in questions},
            fields=sorted(set(rng.sample(weighted_fields, k=2))) if domains and overall <= 4 else [],
            agency=rng.choice(agencies) if agencies and i % 2 == 0 else None,
            comment="希望涉企检查能合并进行，减少重复入企。" if i == 3 else "",
        )
    ctx.say(f"季度评议：{run.period_label}已通报；满意度调查 {PUBLIC_ANSWERS} 份群众答卷")
