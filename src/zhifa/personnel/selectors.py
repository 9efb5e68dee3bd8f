"""Reads of the people who enforce, always through the caller's scope; the 30 June check.

The 30 June check (seed 004 一、1: “并于2025年6月底前完成轮训工作”): each officer's hours of the year by kind
up to 30 June against the plan on file (or the seed's minimums, 20 h 公共法律知识 and 40 h 业务知识与执法技能).
Before the day it shows progress; from 1 July an officer short of either is flagged, and so is his agency, and
an agency without an accepted plan. The day is the one clock's (``zhifa.core.clock.today()``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum

from zhifa.core import clock
from zhifa.core.errors import NotFound
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Officer, TrainingKind, TrainingRecord, User
from zhifa.personnel import rules
from zhifa.personnel.models import (
    DEFAULT_BUSINESS_HOURS,
    DEFAULT_PUBLIC_LAW_HOURS,
    Adviser,
    Assessment,
    Award,
    Delegation,
    PlanState,
    TrainingPlan,
)


def deadline(year: int) -> dt.date:
    """全员轮训完成期限 — 30 June of the year (seed 004: “6月底前完成轮训工作”)."""
    return dt.date(year, 6, 30)


def plans(user: User) -> QuerySet[TrainingPlan]:
    return perms.scoped(user, rules.VIEW, TrainingPlan).select_related("agency", "submitted_by", "decided_by")


def plan_get(user: User, pk: int) -> TrainingPlan:
    plan = plans(user).filter(pk=pk).first()
    if plan is None:
        raise NotFound("培训计划不存在或不在您的数据范围内。", "Plan not found.", code="plan_not_found")
    return plan


def staff_agencies(user: User) -> list[Agency]:
    """The agencies whose people the user keeps (机关负责人: his own)."""
    return list(perms.scoped(user, rules.STAFF, Agency.objects.filter(is_active=True)).order_by("path"))


def officers(user: User) -> QuerySet[Officer]:
    return perms.scoped(user, rules.VIEW, Officer.objects.filter(is_active=True)).select_related("agency")


def auxiliaries(user: User) -> QuerySet[Officer]:
    return officers(user).filter(is_auxiliary=True).order_by("agency__name", "name")


def assessments(user: User) -> QuerySet[Assessment]:
    return perms.scoped(user, rules.VIEW, Assessment).select_related("officer__agency")


def awards(user: User) -> QuerySet[Award]:
    return perms.scoped(user, rules.VIEW, Award).select_related("agency", "officer")


def advisers(user: User) -> QuerySet[Adviser]:
    return perms.scoped(user, rules.VIEW, Adviser).select_related("agency")


def adviser_get(user: User, pk: int) -> Adviser:
    adviser = advisers(user).filter(pk=pk).first()
    if adviser is None:
        raise NotFound("名册人员不存在或不在您的数据范围内。", "Adviser not found.", code="adviser_not_found")
    return adviser


def delegations(user: User) -> QuerySet[Delegation]:
    return perms.scoped(user, rules.VIEW, Delegation).select_related("delegating", "entrusted", "domain")


def delegation_get(user: User, pk: int) -> Delegation:
    found = delegations(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(
            "委托不存在或不在您的数据范围内。", "Delegation not found.", code="delegation_not_found"
        )
    return found


def public_delegations() -> QuerySet[Delegation]:
    """委托书向社会公布 (行政处罚法 第二十条第二款) — every delegation, in force or not."""
    return Delegation.objects.select_related("delegating", "entrusted", "domain").order_by(
        "-starts_on", "-id"
    )


@dataclass
class OfficerRow:
    officer: Officer
    public_law: Decimal
    business: Decimal
    short: bool


@dataclass
class AgencyRow:
    agency: Agency
    plan: TrainingPlan | None
    public_law_required: int
    business_required: int
    officers: list[OfficerRow] = field(default_factory=list)
    flagged: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def short_count(self) -> int:
        return sum(1 for r in self.officers if r.short)


@dataclass
class TrainingCheck:
    year: int
    deadline: dt.date
    due: bool  # the day has passed: shortfalls are flagged
    agencies: list[AgencyRow]

    @property
    def flagged(self) -> list[AgencyRow]:
        return [a for a in self.agencies if a.flagged]


def training_check(user: User, year: int | None = None, *, today: dt.date | None = None) -> TrainingCheck:
    """6月30日轮训完成检查 — the agencies the user may see, with their officers' hours up to 30 June."""
    today = today or clock.today()
    year = year or today.year
    end = deadline(year)
    due = today > end
    agencies = list(
        perms.scoped(
            user, rules.VIEW, Agency.objects.filter(is_active=True, is_supervision_organ=False)
        ).order_by("path")
    )
    ids = [a.pk for a in agencies]
    on_file: dict[int, TrainingPlan] = {}
    for filed in TrainingPlan.objects.filter(agency_id__in=ids, year=year).exclude(state=PlanState.RETURNED):
        on_file[filed.agency_id] = filed
    staff = list(
        Officer.objects.filter(agency_id__in=ids, is_active=True, is_auxiliary=False).order_by(
            "agency_id", "name"
        )
    )
    hours: dict[tuple[int, str], Decimal] = {}
    for total in (
        TrainingRecord.objects.filter(
            officer_id__in=[o.pk for o in staff], held_on__gte=dt.date(year, 1, 1), held_on__lte=end
        )
        .values("officer_id", "kind")
        .annotate(total=Sum("hours"))
    ):
        hours[(total["officer_id"], total["kind"])] = total["total"] or Decimal(0)
    rows: dict[int, AgencyRow] = {}
    for agency in agencies:
        plan = on_file.get(agency.pk)
        rows[agency.pk] = AgencyRow(
            agency=agency,
            plan=plan,
            public_law_required=plan.public_law_hours if plan else DEFAULT_PUBLIC_LAW_HOURS,
            business_required=plan.business_hours if plan else DEFAULT_BUSINESS_HOURS,
        )
    for officer in staff:
        row = rows[officer.agency_id]
        law = hours.get((officer.pk, TrainingKind.PUBLIC_LAW), Decimal(0))
        business = hours.get((officer.pk, TrainingKind.BUSINESS), Decimal(0))
        short = law < row.public_law_required or business < row.business_required
        row.officers.append(OfficerRow(officer=officer, public_law=law, business=business, short=short))
    for row in rows.values():
        if row.plan is None or row.plan.state != PlanState.ACCEPTED:
            row.reasons.append("培训计划未备案")
        if due and row.short_count:
            row.reasons.append(f"{row.short_count} 人 6 月 30 日前未完成轮训学时")
        row.flagged = due and bool(row.reasons)
    return TrainingCheck(year=year, deadline=end, due=due, agencies=list(rows.values()))


@dataclass
class PersonnelTodo:
    label: str
    count: int
    url_name: str
    tone: str
    note: str = ""


def workbench_todos(user: User, today: dt.date | None = None) -> list[PersonnelTodo]:
    """The 待办 lines of the 工作台: a head's plan not on file for the year (late after 31 March, seed 004: “3月底前
    …报县司法局备案”); a bureau's plans awaiting it and, after 30 June, the agencies whose training is not done."""
    today = today or clock.today()
    todos: list[PersonnelTodo] = []
    if perms.can(user, rules.STAFF):
        agencies = staff_agencies(user)
        on_file = set(
            TrainingPlan.objects.filter(agency__in=agencies, year=today.year)
            .exclude(state=PlanState.RETURNED)
            .values_list("agency_id", flat=True)
        )
        late = today > dt.date(today.year, 3, 31)
        todos.append(
            PersonnelTodo(
                f"{today.year}年度培训计划未报备",
                sum(1 for a in agencies if a.pk not in on_file),
                "personnel:index",
                "danger" if late else "warning",
                "" if late else "应于3月31日前报司法局备案",
            )
        )
    if perms.can(user, rules.SUPERVISE):
        waiting = perms.scoped(user, rules.SUPERVISE, TrainingPlan).filter(state=PlanState.SUBMITTED)
        todos.append(PersonnelTodo("培训计划待备案", waiting.count(), "personnel:index", "warning"))
        if today > deadline(today.year):
            check = training_check(user, today.year, today=today)
            todos.append(
                PersonnelTodo(
                    "6月30日前未完成轮训的执法主体", len(check.flagged), "personnel:training_check", "danger"
                )
            )
    return todos
