"""年度涉企检查计划: create a plan, add its items, approve, file with the judicial bureau and publish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from zhifa.core import clock
from zhifa.core.errors import ConfigurationMissing, InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.inspections import conf, rules
from zhifa.inspections.models import InspectionItem, InspectionPlan, PlanItem, PlanStatus
from zhifa.inspections.services._common import CREDIT_CLASSES, _agencies, _now
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, User
from zhifa.records.services import record_append


@service
def plan_create(
    user: User,
    *,
    agency: Agency,
    year: int,
    title: str,
    allow_advance_notice: bool = True,
    joint_agency_ids: Sequence[int] = (),
) -> InspectionPlan:
    perms.require(user, rules.MANAGE_PLAN, agency)
    if InspectionPlan.objects.filter(agency=agency, year=year, title=title).exists():
        raise RuleViolation(
            "同名年度计划已存在。", "A plan with this title exists.", code="duplicate", field="title"
        )
    plan = InspectionPlan.objects.create(
        agency=agency, year=year, title=title, allow_advance_notice=allow_advance_notice, created_by=user
    )
    joint = [a for a in _agencies(joint_agency_ids, "joint_agency_ids") if a.pk != agency.pk]
    plan.joint_agencies.set(joint)
    record_append(
        actor=user,
        action="inspection.plan.create",
        obj=plan,
        changes={"agency": agency.pk, "year": year, "title": title, "joint_agencies": [a.pk for a in joint]},
    )
    return plan


def _ratio(value: object, credit_class: str) -> Decimal:
    try:
        ratio = Decimal(str(value))
    except (InvalidOperation, ValueError):
        ratio = Decimal(-1)
    if not ratio.is_finite() or ratio < 0 or ratio > 100:
        raise InvalidInput(
            f"{credit_class} 类抽查比例应在 0–100 之间。",
            f"Ratio for class {credit_class} must be 0-100.",
            field="ratios",
        )
    return ratio


@service
def plan_item_add(
    user: User,
    plan: InspectionPlan,
    *,
    item: InspectionItem,
    ratios: Mapping[str, object],
    frequencies: Mapping[str, int] | None = None,
    quarters: str = "1234",
    scope: str = "",
    industries: str = "",
    stratify_by_industry: bool = False,
) -> PlanItem:
    """Add an item with its ratio (percent) and yearly frequency per credit class (fewer for A, more for D)."""
    perms.require(user, rules.MANAGE_PLAN, plan)
    if plan.status != PlanStatus.DRAFT:
        raise RuleViolation(
            "计划已批准，不能再修改。", "The plan is no longer a draft.", code="plan_not_draft"
        )
    allowed_agencies = {plan.agency_id, *plan.joint_agencies.values_list("pk", flat=True)}
    if item.agency_id not in allowed_agencies or not item.is_active:
        raise RuleViolation(
            "只能列入本部门（或联合检查部门）有效的抽查事项。",
            "The item must be an active item of the plan's agencies.",
            code="item_not_in_agency_list",
        )
    if not quarters or any(q not in "1234" for q in quarters) or len(set(quarters)) != len(quarters):
        raise InvalidInput(
            "实施季度应为 1–4 的组合，如 “13”。", "Quarters must be digits 1-4.", field="quarters"
        )
    values = {c: _ratio(ratios.get(c), c) for c in CREDIT_CLASSES}
    frequencies = frequencies or {}
    plan_item = PlanItem.objects.create(
        plan=plan,
        item=item,
        scope=scope,
        industries=industries,
        quarters="".join(sorted(quarters)),
        stratify_by_industry=stratify_by_industry,
        **{f"ratio_{c.lower()}": values[c] for c in CREDIT_CLASSES},
        **{f"frequency_{c.lower()}": int(frequencies[c]) for c in CREDIT_CLASSES if c in frequencies},
    )
    record_append(
        actor=user,
        action="inspection.plan.item_add",
        obj=plan,
        changes={"item": item.pk, "ratios": values, "quarters": plan_item.quarters, "industries": industries},
    )
    return plan_item


@service
def plan_approve(user: User, plan: InspectionPlan, *, now: dt.datetime | None = None) -> InspectionPlan:
    """批准 — only the agency head (机关负责人) approves a plan; a unit head or an officer is refused."""
    perms.require(user, rules.APPROVE_PLAN, plan)
    if plan.status != PlanStatus.DRAFT:
        raise RuleViolation("计划不是草拟状态。", "The plan is not a draft.", code="plan_not_draft")
    if not plan.items.exists():
        raise RuleViolation("计划没有任何检查事项。", "The plan has no items.", code="plan_empty")
    plan.status, plan.approved_by, plan.approved_at = PlanStatus.APPROVED, user, _now(now)
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    record_append(actor=user, action="inspection.plan.approve", obj=plan, changes={"status": plan.status})
    return plan


def _judicial_bureau(agency: Agency) -> Agency | None:
    """The supervision organ (司法局) of the agency's region, or of the nearest region above it."""
    path = agency.region.path
    prefixes = [path[: i + 1] for i, ch in enumerate(path) if ch == "/" and i > 0]
    organs = Agency.objects.filter(is_supervision_organ=True, region__path__in=prefixes).select_related(
        "region"
    )
    return max(organs, key=lambda a: len(a.region.path), default=None)


@service
def plan_file(user: User, plan: InspectionPlan, *, now: dt.datetime | None = None) -> InspectionPlan:
    """备案 — file the approved plan with the judicial bureau of the agency's region."""
    perms.require(user, rules.MANAGE_PLAN, plan)
    if plan.status != PlanStatus.APPROVED:
        raise RuleViolation(
            "计划须经机关负责人批准后备案。", "Approve the plan first.", code="plan_not_approved"
        )
    bureau = _judicial_bureau(plan.agency)
    if bureau is None:
        raise ConfigurationMissing(
            "本区域及上级区域均未设置司法行政部门（执法监督机构），无法备案。",
            "No judicial bureau is set for this region.",
            code="no_judicial_bureau",
        )
    plan.status, plan.filed_with, plan.filed_at = PlanStatus.FILED, bureau, _now(now)
    plan.save(update_fields=["status", "filed_with", "filed_at"])
    record_append(actor=user, action="inspection.plan.file", obj=plan, changes={"filed_with": bureau.pk})
    return plan


def plan_deadline(year: int) -> dt.date:
    """The date by which a year's plan must be published (31 March unless configured)."""
    return dt.date(*conf.plan_deadline(year))


@service
def plan_publish(user: User, plan: InspectionPlan, *, now: dt.datetime | None = None) -> InspectionPlan:
    """公布 — publish a filed plan; after 31 March of its year it is flagged as late (逾期公布)."""
    perms.require(user, rules.MANAGE_PLAN, plan)
    if plan.status != PlanStatus.FILED:
        raise RuleViolation(
            "计划须先报司法行政部门备案再公布。", "File the plan first.", code="plan_not_filed"
        )
    at = _now(now)
    plan.status, plan.published_at = PlanStatus.PUBLISHED, at
    plan.published_late = clock.business_date(at) > plan_deadline(plan.year)
    plan.save(update_fields=["status", "published_at", "published_late"])
    record_append(
        actor=user, action="inspection.plan.publish", obj=plan, changes={"late": plan.published_late}
    )
    return plan
