"""Closed case files to evaluate, built the real way (on-the-spot decisions, paid and closed)."""

from __future__ import annotations

import datetime as dt

from zhifa.cases import services as case_services
from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import CaseWorld
from zhifa.evaluation import services
from zhifa.evaluation.models import EvaluationPlan


def closed_case(world: CaseWorld, on: dt.date) -> Case:
    user = world.officer_user
    case = case_services.case_simple_decide(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=user,
        agency=world.agency,
        domain=world.market,
        party=world.citizen,
        officers=world.officers[:2],
        kinds=["fine"],
        fine_yuan="100",
        title="占道经营",
        on=on,
    )
    case = case_services.case_simple_file(actor=user, case=case, on=on)
    case = case_services.case_record_payment(actor=user, case=case, amount_yuan="100", on=on)
    return case_services.case_close(actor=world.head, case=case, on=on)


def plan(world: CaseWorld, *, sample: int = 2, **kwargs) -> EvaluationPlan:
    return services.plan_create(
        actor=world.supervisor,
        region=world.county,
        year=2025,
        title="2025 年度行政处罚案卷评查",
        closed_from=dt.date(2025, 1, 1),
        closed_to=dt.date(2025, 12, 31),
        sample_per_agency=sample,
        **kwargs,
    )
