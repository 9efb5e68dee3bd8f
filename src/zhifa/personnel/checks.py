"""The guards this app adds to a case's procedure through ``zhifa.cases.hooks`` (registered in ``ready()``).

* 辅助人员 — seed 004 (四、16): “建立健全行政执法辅助人员管理制度，严格规范行政执法辅助人员管理”; auxiliary staff
  assist and may not decide or sign: a user whose officer record is auxiliary is refused at every decision and
  sign-off step (the decision, the on-the-spot decision, the legal review opinion — which the review app's
  ``review_conclude`` writes through ``record_legal_review`` — and the approvals).
* 委托 — 行政处罚法 第二十条: “受委托组织在委托范围内，以委托行政机关名义实施行政处罚”; a case of an entrusted
  organisation (``AgencyKind.ENTRUSTED``) takes each step only while a delegation of its field is in force.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from zhifa.cases import hooks
from zhifa.core.errors import RuleViolation
from zhifa.org.models import AgencyKind, Officer, User
from zhifa.personnel.models import Delegation

# the steps that decide or sign: 决定、审批、法制审核意见
DECIDING_STEPS: tuple[str, ...] = (
    "decide",
    "simple_decide",
    "not_open",
    "record_legal_review",
    "seizure_legal_review",
    "seizure_decide",
    "decide_recusal",
    "extend_deadline",
    "transfer",
    "withdraw",
    "close",
    "archive",
)


def is_auxiliary(user: User | Any) -> bool:
    """Whether the user's officer record is 辅助人员 (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_zhifa_auxiliary", None)
    if cached is None:
        cached = Officer.objects.filter(user_id=user.pk, is_auxiliary=True).exists()
        setattr(user, "_zhifa_auxiliary", cached)  # noqa: B010 - a per-request cache on the user object
    return bool(cached)


def refuse_auxiliary(actor: User | Any) -> None:
    # Seed 004 (四、16): 严格规范行政执法辅助人员管理 — auxiliary staff may not decide or sign.
    if is_auxiliary(actor):
        raise RuleViolation(
            "执法辅助人员不得作出或者签署行政执法决定、审批和审核意见。",
            "Auxiliary staff may not decide or sign enforcement decisions, approvals or review opinions.",
            code="auxiliary_may_not_decide",
        )


def check_auxiliary(case: Any, *, code: str, actor: User, on: dt.date, changes: Any) -> None:
    refuse_auxiliary(actor)


def delegation_in_force(entrusted_id: int, domain_id: int | None, on: dt.date) -> Delegation | None:
    """The delegation to ``entrusted_id`` for the field in force on ``on`` (a withdrawal counts from its day)."""
    qs = Delegation.objects.filter(entrusted_id=entrusted_id, starts_on__lte=on, ends_on__gte=on).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on)
    )
    if domain_id is not None:
        qs = qs.filter(domain_id=domain_id)
    return qs.select_related("delegating").order_by("-starts_on", "-id").first()


def check_delegation(case: Any, *, code: str, actor: User, on: dt.date, changes: Any) -> None:
    agency = case.agency
    if agency.kind != AgencyKind.ENTRUSTED:
        return
    # 行政处罚法 第二十条: 受委托组织在委托范围内，以委托行政机关名义实施行政处罚.
    if delegation_in_force(agency.pk, case.domain_id, on) is None:
        raise RuleViolation(
            f"{agency.name}为受委托组织，{on:%Y-%m-%d} 无有效的行政处罚委托（或委托已收回、到期），"
            "不能以委托机关名义办理本案（行政处罚法第二十条）。",
            "The entrusted organisation has no delegation in force for this field on this day (Art. 20).",
            code="delegation_not_in_force",
        )


def register() -> None:
    for code in DECIDING_STEPS:
        hooks.register_check(code, check_auxiliary)
    hooks.register_check("*", check_delegation)
