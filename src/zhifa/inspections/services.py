"""State changes of inspections (涉企行政检查): lists, plans, tasks, draws, check-in, results, warnings, feedback.

Each service checks its guards, writes, and appends to the full-process record in one transaction
(``zhifa.core.transactions.service``). Two public entry points are plain functions on purpose:
:func:`inspection_check_in` and :func:`inspection_code_view` first verify a code *outside* any transaction,
so that a forged code's warning (伪造检查码) is committed even though the request itself is refused.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from zhifa.core import clock
from zhifa.core.errors import ConfigurationMissing, InvalidInput, NotFound, RuleViolation
from zhifa.core.transactions import service
from zhifa.core.workdays import add_working_days
from zhifa.inspections import codes, conf, draw, rules
from zhifa.inspections.models import (
    ConflictOfInterest,
    DrawRecord,
    Inspection,
    InspectionFeedback,
    InspectionItem,
    InspectionOfficer,
    InspectionPlan,
    InspectionStatus,
    InspectionTask,
    InspectionWarning,
    NoDisturbEntry,
    Outcome,
    PartyDomainTag,
    PlanItem,
    PlanStatus,
    TaskKind,
    TaskStatus,
    WarningKind,
    WarningState,
)
from zhifa.inspections.warnings import day_number, warnings_for_inspection
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, CreditClass, Domain, Officer, Party
from zhifa.org.selectors import officer_can_enforce
from zhifa.records.selectors import latest_signed_head
from zhifa.records.services import ledger_sign, record_append

CREDIT_CLASSES = tuple(CreditClass.values)


def _now(now: dt.datetime | None) -> dt.datetime:
    value = now or clock.now()
    if timezone.is_naive(value):
        raise InvalidInput("时间必须带时区。", "Datetimes must be aware.")
    return value


def _officer_of(user: Any) -> Officer:
    officer = Officer.objects.filter(user_id=getattr(user, "pk", None)).select_related("agency").first()
    if officer is None:
        raise RuleViolation(
            "当前用户不是执法人员，不能进行此操作。",
            "The current user is not an enforcement officer.",
            code="not_an_officer",
        )
    return officer


def _domain(code: str) -> Domain:
    domain = Domain.objects.filter(code=code).first()
    if domain is None:
        raise InvalidInput(f"执法领域 {code!r} 不存在。", f"Unknown domain {code!r}.", field="domain_code")
    return domain


def _agencies(ids: Iterable[int], field: str) -> list[Agency]:
    ids = sorted(set(ids))
    found = list(Agency.objects.filter(pk__in=ids, is_active=True))
    if len(found) != len(ids):
        raise InvalidInput("联合检查部门不存在或已撤销。", "Unknown joint agency.", field=field)
    return found


# --- lists (清单与名录库) -----------------------------------------------------------------------------------------


@service
def item_create(
    user: Any,
    *,
    agency: Agency,
    code: str,
    name: str,
    domain_code: str,
    legal_basis: str,
    objects_desc: str = "",
    content: str = "",
    method: str = "",
) -> InspectionItem:
    """随机抽查事项 — add an item to an agency's list; no item without its legal basis."""
    perms.require(user, rules.MANAGE_LISTS, agency)
    if not legal_basis.strip():
        raise InvalidInput(
            "抽查事项必须写明检查依据（法律、法规、规章条款）。",
            "An inspection item needs its legal basis.",
            code="item_without_legal_basis",
            field="legal_basis",
        )
    domain = _domain(domain_code)
    if not agency.domains.filter(pk=domain.pk).exists():
        raise RuleViolation(
            f"{agency.name}的执法领域不含“{domain.name}”，不能列入该领域的抽查事项。",
            f"{domain.code} is not a domain of this agency.",
            code="item_outside_agency_domain",
            field="domain_code",
        )
    if InspectionItem.objects.filter(agency=agency, code=code).exists():
        raise RuleViolation(
            f"事项编码 {code} 已存在。", f"Item code {code} exists.", code="duplicate", field="code"
        )
    item = InspectionItem.objects.create(
        agency=agency,
        code=code,
        name=name,
        domain=domain,
        legal_basis=legal_basis.strip(),
        objects_desc=objects_desc,
        content=content,
        method=method,
    )
    record_append(
        actor=user,
        action="inspection.item.create",
        obj=item,
        changes={
            "agency": agency.pk,
            "code": code,
            "name": name,
            "domain": domain.code,
            "legal_basis": legal_basis,
        },
    )
    return item


@service
def party_tag(user: Any, party: Party, domain_codes: Sequence[str]) -> list[PartyDomainTag]:
    """检查对象名录库 — put a party in the directories of these domains (idempotent)."""
    perms.require(user, rules.MANAGE_LISTS, party)
    domains = [_domain(code) for code in dict.fromkeys(domain_codes)]
    PartyDomainTag.objects.bulk_create(
        [PartyDomainTag(party=party, domain=d) for d in domains], ignore_conflicts=True
    )
    record_append(
        actor=user, action="inspection.party.tag", obj=party, changes={"domains": [d.code for d in domains]}
    )
    return list(PartyDomainTag.objects.filter(party=party, domain__in=domains))


@service
def no_disturb_add(user: Any, party: Party, *, reason: str, until: dt.date | None = None) -> NoDisturbEntry:
    """无事不扰 — leave a low-risk enterprise out of routine draws (judicial bureau / administrator)."""
    perms.require(user, rules.MANAGE_NO_DISTURB, party)
    if not reason.strip():
        raise InvalidInput("请填写列入理由。", "A reason is required.", field="reason")
    entry, _ = NoDisturbEntry.objects.update_or_create(
        party=party, defaults={"reason": reason, "until": until, "added_by": user}
    )
    record_append(
        actor=user, action="inspection.no_disturb.add", obj=party, changes={"reason": reason, "until": until}
    )
    return entry


@service
def no_disturb_remove(user: Any, party: Party) -> None:
    perms.require(user, rules.MANAGE_NO_DISTURB, party)
    NoDisturbEntry.objects.filter(party=party).delete()
    record_append(actor=user, action="inspection.no_disturb.remove", obj=party, changes={})


@service
def conflict_record(user: Any, officer: Officer, party: Party, *, reason: str) -> ConflictOfInterest:
    """回避 — an officer who may not inspect this party; draws and filings leave them out."""
    perms.require(user, rules.MANAGE_LISTS, officer)
    if not reason.strip():
        raise InvalidInput("请填写回避事由。", "A reason is required.", field="reason")
    conflict, _ = ConflictOfInterest.objects.get_or_create(
        officer=officer, party=party, defaults={"reason": reason, "recorded_by": user}
    )
    record_append(
        actor=user,
        action="inspection.conflict.record",
        obj=conflict,
        changes={"officer": officer.pk, "party": party.pk},
    )
    return conflict


# --- annual plans (年度涉企检查计划) ---------------------------------------------------------------------------------


@service
def plan_create(
    user: Any,
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
    user: Any,
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
def plan_approve(user: Any, plan: InspectionPlan, *, now: dt.datetime | None = None) -> InspectionPlan:
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
def plan_file(user: Any, plan: InspectionPlan, *, now: dt.datetime | None = None) -> InspectionPlan:
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
def plan_publish(user: Any, plan: InspectionPlan, *, now: dt.datetime | None = None) -> InspectionPlan:
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


# --- tasks (检查任务) ---------------------------------------------------------------------------------------------


def _check_period(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise InvalidInput("结束日期早于开始日期。", "ends_on is before starts_on.", field="ends_on")


def _check_inspector_count(n: int) -> None:
    minimum = conf.number("ZHIFA_INSPECTION_MIN_INSPECTORS")
    if n < minimum:
        raise RuleViolation(
            f"每次检查至少 {minimum} 名执法人员。",
            f"At least {minimum} officers per inspection.",
            code="too_few_inspectors",
            field="inspectors_per_inspection",
        )


@service
def task_create_random(
    user: Any,
    *,
    plan_item: PlanItem,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    quarter: int | None = None,
    party_count: int | None = None,
    inspectors_per_inspection: int = 2,
    joint_agency_ids: Sequence[int] = (),
    advance_notice: bool = False,
    now: dt.datetime | None = None,
) -> InspectionTask:
    """双随机任务 — under an approved plan item; draws its secret now and publishes only its commitment.

    ``party_count`` draws that many parties from one pool; without it the pool is stratified by credit class
    (and by industry where the plan item says so) and every stratum draws its class's ratio.
    """
    plan = plan_item.plan
    perms.require(user, rules.MANAGE_TASK, plan)
    if plan.status not in (PlanStatus.APPROVED, PlanStatus.FILED, PlanStatus.PUBLISHED):
        raise RuleViolation(
            "无计划不检查：计划未经机关负责人批准。", "The plan is not approved.", code="plan_not_approved"
        )
    if not plan_item.item.legal_basis.strip():
        raise RuleViolation(
            "抽查事项没有检查依据。", "The item has no legal basis.", code="item_without_legal_basis"
        )
    _check_period(starts_on, ends_on)
    if quarter is not None and str(quarter) not in plan_item.quarters:
        raise RuleViolation(
            f"计划未安排在第 {quarter} 季度实施该事项。",
            f"The plan does not schedule this item in quarter {quarter}.",
            code="quarter_not_planned",
            field="quarter",
        )
    if party_count is not None and party_count < 1:
        raise InvalidInput("抽取对象数至少为 1。", "party_count must be at least 1.", field="party_count")
    if advance_notice and not plan.allow_advance_notice:
        raise RuleViolation(
            "计划不允许提前告知企业。", "The plan does not allow advance notice.", code="no_advance_notice"
        )
    _check_inspector_count(inspectors_per_inspection)
    at = _now(now)
    secret = secrets.token_bytes(32)
    task = InspectionTask.objects.create(
        agency=plan.agency,
        item=plan_item.item,
        plan_item=plan_item,
        kind=TaskKind.RANDOM,
        title=title,
        quarter=quarter,
        starts_on=starts_on,
        ends_on=ends_on,
        status=TaskStatus.APPROVED,  # approved with its plan by the agency head
        party_count=party_count,
        inspectors_per_inspection=inspectors_per_inspection,
        stratify_by_credit=party_count is None,
        stratify_by_industry=plan_item.stratify_by_industry and party_count is None,
        advance_notice=advance_notice,
        secret=secret,
        commitment=draw.commitment(secret).hex(),
        created_by=user,
        filed_at=at,
        approved_by=plan.approved_by,
        approved_at=plan.approved_at,
    )
    joint = [a for a in _agencies(joint_agency_ids, "joint_agency_ids") if a.pk != task.agency_id]
    task.joint_agencies.set(joint)
    entry = record_append(
        actor=user,
        action="inspection.task.create",
        obj=task,
        changes={
            "kind": task.kind,
            "plan_item": plan_item.pk,
            "item": task.item_id,
            "commitment": task.commitment,
            "party_count": party_count,
            "inspectors_per_inspection": inspectors_per_inspection,
            "joint_agencies": [a.pk for a in joint],
        },
    )
    task.commitment_seq = entry.seq
    task.save(update_fields=["commitment_seq"])
    return task


def _qualified(officers: Iterable[Officer], domain: Domain, on: dt.date) -> dict[int, str]:
    """Officer id → the certificate number that lets them enforce in ``domain`` on ``on``."""
    found = {}
    for officer in officers:
        decision = officer_can_enforce(officer, domain, on)
        if decision.allowed and decision.certificate_number:
            found[officer.pk] = decision.certificate_number
    return found


def _conflicted(officer_ids: Iterable[int], party_ids: Iterable[int]) -> set[tuple[int, int]]:
    return set(
        ConflictOfInterest.objects.filter(
            officer_id__in=list(officer_ids), party_id__in=list(party_ids)
        ).values_list("officer_id", "party_id")
    )


@service
def task_file(
    user: Any,
    *,
    agency: Agency,
    item: InspectionItem,
    kind: str,
    party: Party,
    officer_ids: Sequence[int],
    title: str,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date,
    is_emergency: bool = False,
    entered_inspection: Inspection | None = None,
    now: dt.datetime | None = None,
) -> InspectionTask:
    """报备 — file a non-random inspection (专项、投诉举报、上级交办、转办移送) before entering the enterprise.

    After entry only for an emergency, with its reason, within 24 hours (configurable): pass the inspection
    that was entered unfiled as ``entered_inspection``. The agency head approves it (``task_approve``).
    """
    perms.require(user, rules.MANAGE_TASK, agency)
    if kind == TaskKind.RANDOM or kind not in TaskKind.values:
        raise InvalidInput("非随机检查的类型无效。", "Invalid non-random kind.", field="kind")
    if item.agency_id != agency.pk or not item.is_active:
        raise RuleViolation(
            "检查事项不属于本部门。", "The item is not this agency's.", code="item_not_in_agency_list"
        )
    if not item.legal_basis.strip():
        raise RuleViolation(
            "检查事项没有检查依据。", "The item has no legal basis.", code="item_without_legal_basis"
        )
    if not reason.strip():
        raise InvalidInput("请写明检查事由。", "A reason is required.", field="reason")
    _check_period(starts_on, ends_on)
    at = _now(now)
    if entered_inspection is not None:
        hours = conf.number("ZHIFA_INSPECTION_EMERGENCY_FILING_HOURS")
        if entered_inspection.filed_at is not None:
            raise RuleViolation("该检查已报备。", "Already filed.", code="already_filed")
        if not is_emergency or not entered_inspection.is_emergency:
            raise RuleViolation(
                "无报备不进企：只有紧急检查可以在进企后补报。",
                "Only an emergency inspection may be filed after entry.",
                code="filed_after_entry",
            )
        if entered_inspection.entered_at is None or at > entered_inspection.entered_at + dt.timedelta(
            hours=hours
        ):
            raise RuleViolation(
                f"紧急检查须在进企后 {hours} 小时内补报，已超时。",
                f"Emergency inspections must be filed within {hours} h of entry.",
                code="emergency_filing_late",
            )
        if entered_inspection.party_id != party.pk or entered_inspection.agency_id != agency.pk:
            raise InvalidInput(
                "补报的对象或部门与进企记录不一致。", "Party or agency mismatch.", field="party_id"
            )
    ids = list(dict.fromkeys(officer_ids))
    _check_inspector_count(len(ids))
    officers = list(Officer.objects.filter(pk__in=ids, agency=agency))
    if len(officers) != len(ids):
        raise InvalidInput(
            "检查人员须为本部门执法人员。", "Officers must belong to the agency.", field="officer_ids"
        )
    certificates = _qualified(officers, item.domain, starts_on)
    unqualified = [o.name for o in officers if o.pk not in certificates]
    if unqualified:
        raise RuleViolation(
            f"{'、'.join(unqualified)}不具备该领域的执法资格。",
            "Some officers may not enforce in this domain.",
            code="officer_not_qualified",
            field="officer_ids",
        )
    if _conflicted(ids, [party.pk]):
        raise RuleViolation(
            "检查人员与检查对象存在回避情形。",
            "An officer has a recorded conflict.",
            code="conflict_of_interest",
        )
    task = InspectionTask.objects.create(
        agency=agency,
        item=item,
        kind=kind,
        title=title,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        status=TaskStatus.FILED,
        party_count=1,
        inspectors_per_inspection=len(ids),
        stratify_by_credit=False,
        is_emergency=is_emergency,
        created_by=user,
        filed_at=at,
    )
    if entered_inspection is not None:
        inspection = entered_inspection
        inspection.task, inspection.kind, inspection.item, inspection.filed_at = task, kind, item, at
        inspection.save(update_fields=["task", "kind", "item", "filed_at"])
        InspectionOfficer.objects.filter(inspection=inspection).delete()
    else:
        inspection = Inspection.objects.create(
            task=task,
            agency=agency,
            item=item,
            party=party,
            kind=kind,
            scheduled_on=starts_on,
            filed_at=at,
            is_emergency=is_emergency,
            emergency_reason=reason if is_emergency else "",
        )
    InspectionOfficer.objects.bulk_create(
        [
            InspectionOfficer(inspection=inspection, officer_id=oid, certificate_number=certificates[oid])
            for oid in ids
        ]
    )
    record_append(
        actor=user,
        action="inspection.task.file",
        obj=task,
        changes={
            "kind": kind,
            "item": item.pk,
            "party": party.pk,
            "officers": ids,
            "reason": reason,
            "emergency": is_emergency,
            "inspection": inspection.pk,
            "filed_after_entry": entered_inspection is not None,
        },
    )
    return task


@service
def task_approve(user: Any, task: InspectionTask, *, now: dt.datetime | None = None) -> InspectionTask:
    """批准 — the agency head approves a filed non-random inspection; its inspection code becomes valid."""
    perms.require(user, rules.APPROVE_TASK, task)
    if task.status != TaskStatus.FILED:
        raise RuleViolation(
            "任务不是待批准状态。", "The task is not awaiting approval.", code="task_not_filed"
        )
    task.status, task.approved_by, task.approved_at = TaskStatus.APPROVED, user, _now(now)
    task.save(update_fields=["status", "approved_by", "approved_at"])
    record_append(actor=user, action="inspection.task.approve", obj=task, changes={"status": task.status})
    return task


# --- the draw (双随机抽取) -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyPool:
    strata: dict[str, list[str]]
    excluded: dict[str, int]


def party_pool(task: InspectionTask, on: dt.date) -> PartyPool:
    """The candidates of a random task's draw, by stratum, after the exclusions (sorted candidate ids).

    Candidates: parties in the directory of the item's domain (``PartyDomainTag``) within the agency's region,
    in the plan item's industries. Left out: the no-disturb list (无事不扰), and parties inspected for the same
    item within the configured period or already waiting for an inspection of it.
    """
    item = task.item
    rows = Party.objects.filter(
        region_path__startswith=task.agency.region.path,
        pk__in=PartyDomainTag.objects.filter(domain_id=item.domain_id).values("party_id"),
    )
    industries = [
        i.strip() for i in (task.plan_item.industries if task.plan_item else "").split(",") if i.strip()
    ]
    if industries:
        rows = rows.filter(industry__in=industries)
    candidates = list(rows.values_list("pk", "credit_class", "industry"))
    no_disturb = set(
        NoDisturbEntry.objects.filter(Q(until__isnull=True) | Q(until__gte=on)).values_list(
            "party_id", flat=True
        )
    )
    cutoff = day_number(on) - conf.number("ZHIFA_INSPECTION_DRAW_EXCLUSION_DAYS")
    recent = set(
        Inspection.objects.filter(item_id=item.pk)
        .filter(Q(inspected_day__gt=cutoff) | Q(status=InspectionStatus.PLANNED))
        .values_list("party_id", flat=True)
    )
    strata: dict[str, list[str]] = {}
    excluded = {"no_disturb": 0, "recently_inspected": 0}
    for pk, credit_class, industry in candidates:
        if pk in no_disturb:
            excluded["no_disturb"] += 1
            continue
        if pk in recent:
            excluded["recently_inspected"] += 1
            continue
        label = "party/" + (credit_class if task.stratify_by_credit else "*")
        if task.stratify_by_industry:
            label += "/" + (industry or "-")
        strata.setdefault(label, []).append(str(pk))
    return PartyPool({label: sorted(pool) for label, pool in strata.items()}, excluded)


def party_shares(task: InspectionTask, strata: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """How many each stratum draws: the task's ``party_count`` from its one pool, else the plan's ratio."""
    if task.party_count is not None:
        return {label: task.party_count for label in strata}
    assert task.plan_item is not None
    plan_item = task.plan_item
    return {
        label: draw.ratio_share(len(pool), plan_item.ratio(label.split("/")[1]))  # type: ignore[arg-type]
        for label, pool in strata.items()
    }


def inspector_directory(task: InspectionTask, on: dt.date) -> dict[int, str]:
    """执法检查人员名录库 for a task: active officers of its agency (and joint agencies) allowed to enforce in the
    item's domain on ``on``, with the certificate that allows it. Other agencies' officers only in joint tasks."""
    agency_ids = [task.agency_id, *task.joint_agencies.values_list("pk", flat=True)]
    officers = Officer.objects.filter(agency_id__in=agency_ids, is_active=True, is_auxiliary=False)
    return _qualified(officers, task.item.domain, on)


def _draw_head(task: InspectionTask) -> Any:
    """The latest signed ledger head, signed now if none yet covers the task's commitment entry."""
    head = latest_signed_head()
    if head is None or task.commitment_seq is None or head.tree_size <= task.commitment_seq:
        head = ledger_sign()
    return head


@service
def task_draw(user: Any, task: InspectionTask, *, now: dt.datetime | None = None) -> DrawRecord:
    """抽取 — draw parties and, separately, inspectors; publish every value on the ledger and the portal.

    ``seed = SHA-256(secret || root of the latest signed head || task id)``; each stratum and each team draws
    with ``draw.select`` under its own ``stratum_seed``. Refused: a task that is not random, already drawn, an
    empty pool, a ratio or count larger than its pool, too few qualified inspectors for a team.
    """
    task = (
        InspectionTask.objects.select_for_update(of=("self",))
        .select_related("agency__region", "item__domain", "plan_item")
        .get(pk=task.pk)
    )
    perms.require(user, rules.MANAGE_TASK, task)
    if task.kind != TaskKind.RANDOM:
        raise RuleViolation(
            "只有双随机任务需要抽取。", "Only random tasks are drawn.", code="task_not_random"
        )
    if task.status != TaskStatus.APPROVED or DrawRecord.objects.filter(task=task).exists():
        raise RuleViolation(
            "该任务已抽取，不能重新抽取。", "The task has been drawn already.", code="already_drawn"
        )
    at = _now(now)
    on = task.starts_on
    pool = party_pool(task, on)
    candidates = sum(len(p) for p in pool.strata.values())
    if candidates == 0:
        raise RuleViolation(
            "抽取对象池为空：该领域名录库中没有符合条件的检查对象。",
            "The pool is empty.",
            code="empty_pool",
        )
    if task.party_count is not None and task.party_count > candidates:
        raise RuleViolation(
            f"抽取数量 {task.party_count} 超过对象池大小 {candidates}。",
            f"k = {task.party_count} exceeds the pool of {candidates}.",
            code="k_too_large",
            field="party_count",
        )
    shares = party_shares(task, pool.strata)
    directory = inspector_directory(task, on)
    directory_pool = sorted(str(pk) for pk in directory)
    k_team = task.inspectors_per_inspection
    if len(directory_pool) < k_team:
        raise RuleViolation(
            f"执法检查人员名录库中具备资格的人员不足 {k_team} 人。",
            f"Fewer than {k_team} qualified inspectors.",
            code="too_few_inspectors",
        )
    # The pool snapshot is fixed and hashed before the seed exists.
    pool_digest = draw.pool_hash(pool.strata)
    inspector_digest = draw.pool_hash({draw.INSPECTOR_DIRECTORY_LABEL: directory_pool})
    head = _draw_head(task)
    secret = bytes(task.secret or b"")
    seed = draw.draw_seed(secret, bytes(head.root), task.pk)
    selected = draw.draw_strata(pool.strata, shares, seed)
    chosen_parties = [p for label in sorted(selected) for p in selected[label]]
    conflicts = _conflicted([int(o) for o in directory_pool], [int(p) for p in chosen_parties])
    teams: list[dict[str, Any]] = []
    for party_id in chosen_parties:
        label = f"inspectors/{party_id}"
        team_pool = [o for o in directory_pool if (int(o), int(party_id)) not in conflicts]
        if len(team_pool) < k_team:
            raise RuleViolation(
                f"检查对象 {party_id} 回避后可抽取的检查人员不足 {k_team} 人。",
                f"Too few inspectors for party {party_id} after conflicts.",
                code="too_few_inspectors",
            )
        team = draw.select(team_pool, k_team, draw.stratum_seed(seed, label))
        teams.append({"label": label, "pool": team_pool, "k": k_team, "selected": team})
    party_strata = [
        {"label": label, "pool": pool.strata[label], "k": shares[label], "selected": selected[label]}
        for label in sorted(pool.strata)
    ]
    inspections = Inspection.objects.bulk_create(
        [
            Inspection(
                task=task,
                agency=task.agency,
                item=task.item,
                party_id=int(party_id),
                kind=TaskKind.RANDOM,
                scheduled_on=task.ends_on,
                filed_at=task.filed_at,
            )
            for party_id in chosen_parties
        ]
    )
    by_party = {i.party_id: i for i in inspections}
    if any(i.pk is None for i in inspections):  # backends without RETURNING ids
        by_party = {i.party_id: i for i in Inspection.objects.filter(task=task)}
    InspectionOfficer.objects.bulk_create(
        [
            InspectionOfficer(
                inspection=by_party[int(t["label"].split("/")[1])],
                officer_id=int(o),
                certificate_number=directory[int(o)],
            )
            for t in teams
            for o in t["selected"]
        ]
    )
    task.status = TaskStatus.DRAWN
    task.save(update_fields=["status"])
    changes = {
        "task": task.pk,
        "commitment": task.commitment,
        "secret": secret.hex(),
        "head": {"id": head.pk, "tree_size": head.tree_size, "root": bytes(head.root).hex()},
        "seed": seed.hex(),
        "pool_hash": pool_digest,
        "pool_size": candidates,
        "inspector_pool_hash": inspector_digest,
        "shares": shares,
        "selected": selected,
        "teams": {t["label"]: t["selected"] for t in teams},
        "excluded": pool.excluded,
    }
    entry = record_append(actor=user, action="inspection.draw", obj=task, changes=changes)
    return DrawRecord.objects.create(
        task=task,
        drawn_at=at,
        drawn_by=user,
        secret=secret.hex(),
        commitment=task.commitment,
        head_id=head.pk,
        head_tree_size=head.tree_size,
        head_root=bytes(head.root).hex(),
        head_signed_at=head.signed_at,
        seed=seed.hex(),
        pool_hash=pool_digest,
        pool_size=candidates,
        inspector_pool_hash=inspector_digest,
        inspector_pool=directory_pool,
        party_strata=party_strata,
        inspector_strata=teams,
        exclusions=pool.excluded,
        ledger_seq=entry.seq,
    )


# --- entering the enterprise (扫码进企) ------------------------------------------------------------------------------


def _set_inspected(inspection: Inspection, at: dt.datetime) -> list[str]:
    local = clock.business_date(at)
    inspection.inspected_on = local
    inspection.inspected_day = day_number(local)
    inspection.inspected_year = local.year
    return ["inspected_on", "inspected_day", "inspected_year"]


@service
def forged_code_report(
    *, code: str, officer: Officer | None, claimed: codes.CodePayload | None, where: str
) -> InspectionWarning | None:
    """伪造检查码 — record a warning for a code whose signature does not hold (committed on its own)."""
    inspection = Inspection.objects.filter(pk=claimed.inspection_id).first() if claimed else None
    agency_id = inspection.agency_id if inspection else (officer.agency_id if officer else None)
    if agency_id is None:
        return None  # nothing names an agency to warn: the refusal itself is all there is
    detail = {"where": where, "code_prefix": code[:40], "officer": officer.pk if officer else None}
    if inspection is not None:
        warning, created = InspectionWarning.objects.get_or_create(
            kind=WarningKind.FORGED_CODE,
            basis="",
            inspection=inspection,
            defaults={
                "agency_id": agency_id,
                "party_id": inspection.party_id,
                "count": 1,
                "detail": detail,
                "created_at": clock.now(),
            },
        )
        if not created:
            InspectionWarning.objects.filter(pk=warning.pk).update(count=F("count") + 1)
    else:
        warning = InspectionWarning.objects.create(
            kind=WarningKind.FORGED_CODE,
            agency_id=agency_id,
            count=1,
            detail=detail,
            created_at=clock.now(),
        )
    record_append(
        action="inspection.code.forged",
        obj=warning,
        officer=officer,
        changes={"where": where, "detail": detail},
    )
    return warning


def _verified(code: str, *, officer: Officer | None, where: str) -> tuple[codes.CodePayload, Inspection]:
    try:
        payload = codes.read_code(code)
    except codes.ForgedCode as exc:
        forged_code_report(code=code, officer=officer, claimed=exc.claimed, where=where)
        raise InvalidInput(
            "检查码无效或被篡改，已记录预警。",
            "Forged or damaged inspection code.",
            code="inspection_code_forged",
        ) from None
    inspection = (
        Inspection.objects.select_related("task", "agency__region", "item__domain", "party")
        .filter(pk=payload.inspection_id, party_id=payload.party_id)
        .first()
    )
    if inspection is None:
        forged_code_report(code=code, officer=officer, claimed=None, where=where)
        raise InvalidInput(
            "检查码无效或被篡改，已记录预警。",
            "Forged or damaged inspection code.",
            code="inspection_code_forged",
        )
    return payload, inspection


def _within(payload: codes.CodePayload, at: dt.datetime) -> None:
    if at < payload.not_before:
        raise RuleViolation(
            f"检查码自 {clock.local(payload.not_before):%Y-%m-%d} 起有效，尚未生效。",
            "The inspection code is not valid yet.",
            code="inspection_code_not_yet_valid",
        )
    if at >= payload.not_after:
        raise RuleViolation(
            f"检查码已于 {clock.local(payload.not_after):%Y-%m-%d %H:%M} 过期。",
            "The inspection code has expired.",
            code="inspection_code_expired",
        )


def inspection_check_in(
    user: Any, code: str, *, place: str, at: dt.datetime | None = None, now: dt.datetime | None = None
) -> Inspection:
    """扫码进企 — the officer checks in with the inspection code (time, place).

    ``at`` is when the officer was on site (offline entries give it); entered more than the configured hours
    later, the entry is flagged (超时补录). Refused: a forged code (a warning is recorded and kept), an expired
    or not yet valid code, an officer not on the task, an inspection already checked in.
    """
    officer = Officer.objects.filter(user_id=getattr(user, "pk", None)).select_related("agency").first()
    _, inspection = _verified(code, officer=officer, where="check_in")
    return _check_in(user, officer, inspection, code, place=place, at=at, now=now)


@service
def _check_in(
    user: Any,
    officer: Officer | None,
    inspection: Inspection,
    code: str,
    *,
    place: str,
    at: dt.datetime | None,
    now: dt.datetime | None,
) -> Inspection:
    payload = codes.read_code(code)
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("task", "party", "agency__region")
        .get(pk=inspection.pk)
    )
    perms.require(user, rules.INSPECT, inspection)
    officer = officer or _officer_of(user)
    if not inspection.assignments.filter(officer=officer).exists():
        raise RuleViolation(
            f"{officer.name}不是本次检查任务的检查人员，不能扫码进企。",
            "The officer is not on this inspection.",
            code="officer_not_on_task",
        )
    current = _now(now)
    on_site = _now(at) if at is not None else current
    if on_site > current + dt.timedelta(minutes=5):
        raise InvalidInput("进企时间不能晚于当前时间。", "Check-in time is in the future.", field="at")
    _within(payload, on_site)
    if inspection.task is None or inspection.task.status not in (TaskStatus.APPROVED, TaskStatus.DRAWN):
        raise RuleViolation("检查任务未经批准。", "The task is not approved.", code="task_not_approved")
    if inspection.status != InspectionStatus.PLANNED:
        raise RuleViolation("该检查已进企签到。", "Already checked in.", code="already_checked_in")
    if not place.strip():
        raise InvalidInput("请填写检查地点。", "The place is required.", field="place")
    late_after = dt.timedelta(hours=conf.number("ZHIFA_INSPECTION_OFFLINE_ENTRY_HOURS"))
    inspection.status = InspectionStatus.CHECKED_IN
    inspection.entered_at, inspection.place, inspection.recorded_at = on_site, place, current
    inspection.entered_late = current - on_site > late_after
    fields = [
        "status",
        "entered_at",
        "place",
        "recorded_at",
        "entered_late",
        *_set_inspected(inspection, on_site),
    ]
    inspection.save(update_fields=fields)
    record_append(
        actor=user,
        action="inspection.check_in",
        obj=inspection,
        officer=officer,
        place=place[:200],
        occurred_at=on_site,
        changes={"entered_at": on_site, "late": inspection.entered_late},
    )
    warnings_for_inspection(inspection, now=current)
    return inspection


@service
def inspection_enter_unfiled(
    user: Any,
    *,
    party: Party,
    item: InspectionItem | None,
    place: str,
    at: dt.datetime | None = None,
    emergency_reason: str = "",
    officer_ids: Sequence[int] = (),
    now: dt.datetime | None = None,
) -> Inspection:
    """进企记录（未报备）— an officer records an entry that had no filed task.

    With an emergency reason it may be filed within 24 hours (``task_file(entered_inspection=…)``); without
    one it is 应报备未报备 at once. Either way it is on the record and on the warning queue if unfiled.
    """
    officer = _officer_of(user)
    perms.require(user, rules.INSPECT, officer.agency)
    current = _now(now)
    on_site = _now(at) if at is not None else current
    inspection = Inspection(
        agency=officer.agency,
        item=item,
        party=party,
        kind=TaskKind.SPECIAL,
        status=InspectionStatus.CHECKED_IN,
        is_emergency=bool(emergency_reason.strip()),
        emergency_reason=emergency_reason.strip(),
        entered_at=on_site,
        place=place,
        recorded_at=current,
    )
    _set_inspected(inspection, on_site)
    inspection.save()
    ids = list(dict.fromkeys([officer.pk, *officer_ids]))
    if Officer.objects.filter(pk__in=ids, agency_id=officer.agency_id).count() != len(ids):
        raise InvalidInput(
            "检查人员须为本部门执法人员。", "Officers must belong to the agency.", field="officer_ids"
        )
    InspectionOfficer.objects.bulk_create(
        [InspectionOfficer(inspection=inspection, officer_id=oid, certificate_number="") for oid in ids]
    )
    record_append(
        actor=user,
        action="inspection.enter_unfiled",
        obj=inspection,
        officer=officer,
        place=place[:200],
        occurred_at=on_site,
        changes={"party": party.pk, "emergency_reason": inspection.emergency_reason},
    )
    warnings_for_inspection(inspection, now=current)
    return inspection


@dataclass(frozen=True)
class CodeView:
    """What the enterprise sees when it scans the code: who is coming, with what authority, on what basis."""

    inspection: Inspection
    valid_now: bool
    not_before: dt.datetime
    not_after: dt.datetime
    officers: list[dict[str, Any]]


def inspection_code_view(code: str, *, now: dt.datetime | None = None) -> CodeView:
    """企业扫码核验 — read an inspection through its code; a forged code is refused and recorded."""
    payload, inspection = _verified(code, officer=None, where="enterprise_scan")
    current = _now(now)
    assignments = InspectionOfficer.objects.filter(inspection=inspection).select_related("officer")
    officer_ids = [a.officer_id for a in assignments]
    from zhifa.org.models import Certificate

    certs = {
        c.number: c
        for c in Certificate.objects.filter(officer_id__in=officer_ids).prefetch_related("domains")
    }
    officers = []
    for a in assignments:
        cert = certs.get(a.certificate_number)
        officers.append(
            {
                "name": a.officer.name,
                "certificate_number": a.certificate_number,
                "certificate_status": cert.effective_status_label(clock.business_date(current))
                if cert
                else "",
                "certificate_expires_on": cert.expires_on if cert else None,
                "domains": [d.name for d in cert.domains.all()] if cert else [],
                "issuer": cert.issuer if cert else "",
            }
        )
    task_ok = inspection.task is not None and inspection.task.status in (
        TaskStatus.APPROVED,
        TaskStatus.DRAWN,
    )
    valid = task_ok and payload.not_before <= current < payload.not_after
    return CodeView(inspection, valid, payload.not_before, payload.not_after, officers)


# --- results (检查结果) -------------------------------------------------------------------------------------------


def _on_inspection(user: Any, inspection: Inspection) -> Officer:
    perms.require(user, rules.INSPECT, inspection)
    officer = _officer_of(user)
    if not inspection.assignments.filter(officer=officer).exists():
        raise RuleViolation(
            f"{officer.name}不是本次检查的检查人员。",
            "The officer is not on this inspection.",
            code="officer_not_on_task",
        )
    return officer


def _case_source(user: Any, inspection: Inspection, officer: Officer, reason: str) -> None:
    """立案 — the result becomes a case source (案源) on the ledger; the cases app reads it from there."""
    item = inspection.item
    entry = record_append(
        actor=user,
        action="inspection.result.case_source",
        obj=inspection,
        officer=officer,
        changes={
            "inspection": inspection.pk,
            "party": inspection.party_id,
            "agency": inspection.agency_id,
            "item": item.pk if item else None,
            "item_name": item.name if item else "",
            "legal_basis": item.legal_basis if item else "",
            "findings": inspection.findings,
            "reason": reason,
        },
    )
    inspection.case_source_seq = entry.seq
    inspection.save(update_fields=["case_source_seq"])


@service
def inspection_result(
    user: Any,
    inspection: Inspection,
    *,
    outcome: str,
    findings: str,
    rectify_deadline: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Inspection:
    """检查结果 — 合格, 责令整改 (with a deadline and a re-check) or 立案 (a case source); due for publication
    within 20 working days (configurable)."""
    inspection = (
        Inspection.objects.select_for_update(of=("self",)).select_related("item").get(pk=inspection.pk)
    )
    officer = _on_inspection(user, inspection)
    if outcome not in Outcome.values:
        raise InvalidInput("检查结果无效。", "Invalid outcome.", field="outcome")
    if inspection.status != InspectionStatus.CHECKED_IN:
        raise RuleViolation(
            "须先扫码进企，且结果只能录入一次。",
            "Check in first; a result is entered once.",
            code="not_checked_in",
        )
    current = _now(now)
    today = clock.business_date(current)
    if outcome == Outcome.RECTIFY:
        if rectify_deadline is None or rectify_deadline <= today:
            raise InvalidInput(
                "责令整改须写明晚于今天的整改期限。",
                "Rectification needs a deadline after today.",
                field="rectify_deadline",
            )
    elif rectify_deadline is not None:
        raise InvalidInput(
            "只有责令整改才有整改期限。", "Only rectification has a deadline.", field="rectify_deadline"
        )
    if not findings.strip():
        raise InvalidInput("请填写检查情况。", "Findings are required.", field="findings")
    try:
        publish_due: dt.date | None = add_working_days(
            today, conf.number("ZHIFA_INSPECTION_RESULT_PUBLISH_WORKING_DAYS")
        )
    except ConfigurationMissing:
        publish_due = None  # the year's holiday schedule is not entered yet; computed when it is
    inspection.status, inspection.outcome, inspection.findings = InspectionStatus.DONE, outcome, findings
    inspection.result_at, inspection.rectify_deadline, inspection.publish_due = (
        current,
        rectify_deadline,
        publish_due,
    )
    inspection.save(
        update_fields=["status", "outcome", "findings", "result_at", "rectify_deadline", "publish_due"]
    )
    record_append(
        actor=user,
        action="inspection.result",
        obj=inspection,
        officer=officer,
        changes={"outcome": outcome, "findings": findings, "rectify_deadline": rectify_deadline},
    )
    if outcome == Outcome.CASE:
        _case_source(user, inspection, officer, reason="inspection_result")
    return inspection


@service
def inspection_recheck(
    user: Any, inspection: Inspection, *, passed: bool, findings: str, now: dt.datetime | None = None
) -> Inspection:
    """复查 — a rectification passes (销号) or, not rectified, becomes a case source."""
    inspection = (
        Inspection.objects.select_for_update(of=("self",)).select_related("item").get(pk=inspection.pk)
    )
    officer = _on_inspection(user, inspection)
    if inspection.outcome != Outcome.RECTIFY or inspection.recheck_at is not None:
        raise RuleViolation(
            "该检查没有待复查的整改。", "No rectification awaits a re-check.", code="no_rectification"
        )
    current = _now(now)
    inspection.recheck_at, inspection.recheck_passed = current, passed
    inspection.findings = f"{inspection.findings}\n复查：{findings}".strip()
    fields = ["recheck_at", "recheck_passed", "findings"]
    if passed:
        inspection.rectification_closed_at = current
        fields.append("rectification_closed_at")
    inspection.save(update_fields=fields)
    record_append(
        actor=user,
        action="inspection.recheck",
        obj=inspection,
        officer=officer,
        changes={"passed": passed, "findings": findings},
    )
    if not passed:
        _case_source(user, inspection, officer, reason="not_rectified")
    return inspection


# --- warnings (预警) -----------------------------------------------------------------------------------------------


def _open_warning(user: Any, warning: InspectionWarning) -> InspectionWarning:
    warning = (
        InspectionWarning.objects.select_for_update(of=("self",)).select_related("agency").get(pk=warning.pk)
    )
    perms.require(user, rules.HANDLE_WARNING, warning)
    if warning.state != WarningState.NEW:
        raise RuleViolation("该预警已处理。", "The warning is closed.", code="warning_closed")
    return warning


@service
def warning_handle(user: Any, warning: InspectionWarning, *, note: str) -> InspectionWarning:
    """处理 — the agency head or a supervisor closes a warning with what was done."""
    warning = _open_warning(user, warning)
    if not note.strip():
        raise InvalidInput("请填写处理情况。", "A note is required.", field="note")
    warning.state, warning.note, warning.handled_by, warning.handled_at = (
        WarningState.HANDLED,
        note,
        user,
        clock.now(),
    )
    warning.save(update_fields=["state", "note", "handled_by", "handled_at"])
    record_append(actor=user, action="inspection.warning.handle", obj=warning, changes={"note": note})
    return warning


@service
def warning_dismiss(user: Any, warning: InspectionWarning, *, reason: str) -> InspectionWarning:
    """排除 — a warning that does not hold is dismissed, always with its reason."""
    warning = _open_warning(user, warning)
    if not reason.strip():
        raise InvalidInput("排除预警须写明理由。", "A reason is required to dismiss.", field="reason")
    warning.state, warning.note = WarningState.DISMISSED, reason
    warning.handled_by, warning.handled_at = user, clock.now()
    warning.save(update_fields=["state", "note", "handled_by", "handled_at"])
    record_append(actor=user, action="inspection.warning.dismiss", obj=warning, changes={"reason": reason})
    return warning


# --- enterprise feedback (企业评价) -----------------------------------------------------------------------------------


@service
def feedback_submit(
    user: Any, inspection: Inspection, *, rating: int, comment: str = "", problem_text: str = ""
) -> InspectionFeedback:
    """企业评价 — the inspected enterprise rates the visit once, anonymously, and may report a problem.

    No user is stored with the rating, and its ledger entry names no actor: the inspecting agency reads only
    aggregates (``feedback_summary``); supervisors read each rating.
    """
    perms.require(user, rules.RATE, inspection)
    if inspection.entered_at is None:
        raise RuleViolation(
            "检查尚未进行，不能评价。", "The inspection has not taken place.", code="not_inspected"
        )
    if not 1 <= int(rating) <= 5:
        raise InvalidInput("满意度应为 1–5。", "Rating must be 1-5.", field="rating")
    if InspectionFeedback.objects.filter(inspection=inspection).exists():
        raise RuleViolation("该次检查已评价。", "This inspection has been rated.", code="already_rated")
    feedback = InspectionFeedback.objects.create(
        inspection=inspection,
        rating=int(rating),
        comment=comment,
        problem_reported=bool(problem_text.strip()),
        problem_text=problem_text,
    )
    record_append(
        action="inspection.feedback",
        obj=feedback,
        changes={"rating": feedback.rating, "problem_reported": feedback.problem_reported},
    )
    return feedback


def get_or_404(model: Any, pk: Any, what: str) -> Any:
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"{what}不存在。", f"{model.__name__} not found.")
    return obj
