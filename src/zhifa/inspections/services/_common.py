"""Helpers the inspection services share: the acting officer, domains, agencies, aware datetimes, lookups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, NotFound, RuleViolation
from zhifa.inspections.models import Inspection, InspectionCheck
from zhifa.inspections.rules import INSPECT
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, CreditClass, Officer, User

CREDIT_CLASSES = tuple(CreditClass.values)


def lead_checks_create(inspections: Iterable[Inspection]) -> None:
    """Each new inspection's lead check (检查事项记录): its own agency, item and task. Joint visits add more."""
    InspectionCheck.objects.bulk_create(
        [
            InspectionCheck(inspection=i, agency_id=i.agency_id, item_id=i.item_id, task_id=i.task_id)
            for i in inspections
            if i.item_id is not None
        ],
        ignore_conflicts=True,
    )


def may_inspect(user: User, inspection: Inspection) -> bool:
    """INSPECT over a visit: its lead agency's scope, or (综合查一次) the scope over one of its checks."""
    if perms.can(user, INSPECT, inspection):
        return True
    return any(perms.can(user, INSPECT, c) for c in inspection.checks.select_related("agency__region"))


def require_inspect(user: User, inspection: Inspection) -> None:
    if not may_inspect(user, inspection):
        perms.require(user, INSPECT, inspection)


def _now(now: dt.datetime | None) -> dt.datetime:
    value = now or clock.now()
    if timezone.is_naive(value):
        raise InvalidInput("时间必须带时区。", "Datetimes must be aware.")
    return value


def _officer_of(user: User) -> Officer:
    officer = Officer.objects.filter(user_id=getattr(user, "pk", None)).select_related("agency").first()
    if officer is None:
        raise RuleViolation(
            "当前用户不是执法人员，不能进行此操作。",
            "The current user is not an enforcement officer.",
            code="not_an_officer",
        )
    return officer


def _agencies(ids: Iterable[int], field: str) -> list[Agency]:
    ids = sorted(set(ids))
    found = list(Agency.objects.filter(pk__in=ids, is_active=True))
    if len(found) != len(ids):
        raise InvalidInput("联合检查部门不存在或已撤销。", "Unknown joint agency.", field=field)
    return found


def get_or_404(model: Any, pk: Any, what: str) -> Any:
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"{what}不存在。", f"{model.__name__} not found.")
    return obj
