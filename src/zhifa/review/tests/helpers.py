"""Builders for review tests: a notified case whose party waived its rights (decidable at once)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from zhifa.cases import services as case_services
from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import D0, CaseWorld, notified
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.review import services
from zhifa.review.models import FindingResult, MajorDecisionCatalog, ReviewPoint, ReviewRequest

NOTIFIED_ON = D0 + dt.timedelta(days=7)  # 2025-03-10, Monday
WAIVED_ON = D0 + dt.timedelta(days=8)  # 2025-03-11
DRAFT = "拟对当事人处以罚款。"
EXPLANATION = "调查终结，事实清楚，证据确凿。"


def catalog(world: CaseWorld, **kwargs: Any) -> MajorDecisionCatalog:
    values: dict[str, Any] = {
        "effective_from": dt.date(2020, 1, 1),
        "fine_citizen_yuan": "2000",
        "fine_organisation_yuan": "5000",
        "confiscation_yuan": "3000",
    }
    values.update(kwargs)
    return services.catalog_publish(actor=world.head, agency=world.agency, **values)


def ready_case(
    world: CaseWorld,
    *,
    fine: str | None = "5000",
    kinds: tuple[str, ...] = ("fine",),
    party: Any = None,
    **kw: Any,
) -> Case:
    """Notified on 2025-03-10; the party waived its rights on 2025-03-11 (statement and hearing)."""
    case = notified(world, kinds=kinds, fine=fine, party=party, **kw)
    return case_services.case_waive_rights(actor=world.officer_user, case=case, on=WAIVED_ON)


def confiscation_case(world: CaseWorld, amount: str) -> Case:
    from zhifa.cases.tests.helpers import attach, opened

    user = world.officer_user
    case = opened(world)
    case = case_services.case_start_investigation(actor=user, case=case, on=D0)
    attach(user, case, "investigation")
    case = case_services.case_end_investigation(actor=user, case=case, on=NOTIFIED_ON)
    case = case_services.case_notify_rights(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=user,
        case=case,
        kinds=["confiscate_income"],
        confiscation_yuan=amount,
        on=NOTIFIED_ON,
    )
    return case_services.case_waive_rights(actor=user, case=case, on=WAIVED_ON)


def decide(world: CaseWorld, case: Case, on: dt.date = WAIVED_ON) -> Case:
    case = Case.objects.get(pk=case.pk)
    return case_services.case_decide(
        actor=world.head,
        case=case,
        kinds=list(case.proposed_kinds),
        fine_yuan=case.proposed_fine_yuan,
        confiscation_yuan=case.proposed_confiscation_yuan,
        on=on,
    )


def submit(world: CaseWorld, case: Case, on: dt.date = WAIVED_ON, **kw: Any) -> ReviewRequest:
    values = {"draft_decision": DRAFT, "explanation": EXPLANATION, **kw}
    return services.review_submit(actor=world.officer_user, case=case, on=on, **values)


def answer_all(world: CaseWorld, request: ReviewRequest, problems: dict[str, str] | None = None) -> None:
    problems = problems or {}
    for point in ReviewPoint:
        services.review_record_finding(
            actor=world.reviewer,
            request=request,
            point=point.value,
            result=FindingResult.PROBLEM if point.value in problems else FindingResult.OK,
            note=problems.get(point.value, ""),
        )


def review_round(
    world: CaseWorld,
    case: Case,
    *,
    agreed: bool,
    on: dt.date = WAIVED_ON,
    problems: dict[str, str] | None = None,
) -> ReviewRequest:
    request = submit(world, case, on=on)
    services.review_assign(actor=world.head, request=request, reviewer=world.reviewer, on=on)
    answer_all(world, request, problems if not agreed else None)
    return services.review_conclude(
        actor=world.reviewer, request=request, agreed=agreed, opinion="" if agreed else "请补充证据。", on=on
    )


def another(role: str, world: CaseWorld, **scope: Any) -> User:
    user = UserFactory()
    grant(user, role, **(scope or {"agency": world.agency}))
    if role == Role.LEGAL_REVIEWER:  # 行政处罚法 第五十八条第二款: a reviewer's 法律职业资格
        from zhifa.org.models import LegalQualification

        LegalQualification.objects.create(
            user=user,
            certificate_number=f"A{user.pk:014d}",
            obtained_on=dt.date(2020, 12, 1),
            recorded_by=user,
        )
    return User.objects.get(pk=user.pk)


__all__ = [
    "DRAFT",
    "EXPLANATION",
    "NOTIFIED_ON",
    "WAIVED_ON",
    "Decimal",
    "Role",
    "another",
    "answer_all",
    "catalog",
    "confiscation_case",
    "decide",
    "ready_case",
    "review_round",
    "submit",
]
