"""综合查一次 (joint visits), per-item results, 结果互认 (recognition) and the items declared equivalent.

Legal frame: 国办发〔2024〕54号《关于严格规范涉企行政检查的意见》 asks for 综合查一次 — the checks of several
agencies on one enterprise merged into one visit (跨部门联合检查、联合抽查), and for results recognised across
agencies (检查结果互认) so that one enterprise is not checked twice for the same thing. (The search corpus did
not hold the text; the passages are cited from the published opinion, part 二 规范行政检查行为.)

* A joint task is an :class:`InspectionTask` whose ``parts`` (:class:`JointPart`) name each agency's items. The
  lead agency's officer creates it; **each agency's head approves that agency's parts** — the same rule as a
  single filed inspection (``task_approve``: 行政检查须经本机关负责人批准), because each agency's check is that
  agency's own administrative act and the lead agency's head has no authority over another agency's
  officers. For a filed joint visit the partner head names the agency's officers when approving.
* A filed joint task has one visit (its ``party``), with one :class:`InspectionCheck` per part; a random one
  (跨部门联合抽查) is drawn by ``task_draw`` once every part is approved.
* Each officer records results only for their own agency's checks (:func:`inspection_check_result`); the visit
  is done when every check has a result; its lead check mirrors ``Inspection.outcome``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Q

from zhifa.core import clock
from zhifa.core.errors import ConfigurationMissing, InvalidInput, NotFound, RuleViolation
from zhifa.core.transactions import service
from zhifa.core.workdays import add_working_days
from zhifa.inspections import conf, draw, rules
from zhifa.inspections.models import (
    Inspection,
    InspectionCheck,
    InspectionItem,
    InspectionOfficer,
    InspectionStatus,
    InspectionTask,
    ItemEquivalence,
    JointPart,
    Outcome,
    TaskKind,
    TaskStatus,
)
from zhifa.inspections.services._common import _now, _officer_of
from zhifa.inspections.services.tasks import (
    _check_inspector_count,
    _check_period,
    _conflicted,
    _qualified,
)
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Officer, Party, User
from zhifa.records.services import record_append

MAX_PARTS = 30


def _parts(agency: Agency, parts: Sequence[tuple[int, int]]) -> list[InspectionItem]:
    """The items of a joint task: each (agency id, item id) names an active item of that agency."""
    pairs = list(dict.fromkeys((int(a), int(i)) for a, i in parts))
    if not pairs or len(pairs) > MAX_PARTS:
        raise InvalidInput(
            f"请选择 1 至 {MAX_PARTS} 个检查事项。", f"Choose 1 to {MAX_PARTS} items.", field="parts"
        )
    items = {
        i.pk: i
        for i in InspectionItem.objects.filter(pk__in=[i for _, i in pairs]).select_related(
            "agency", "domain"
        )
    }
    found = []
    for agency_id, item_id in pairs:
        item = items.get(item_id)
        if item is None or item.agency_id != agency_id or not item.is_active or not item.agency.is_active:
            raise InvalidInput(
                "检查事项不存在、已停用或不属于所选部门。", "Unknown item for that agency.", field="parts"
            )
        if not item.legal_basis.strip():
            raise RuleViolation(
                "检查事项没有检查依据。", "The item has no legal basis.", code="item_without_legal_basis"
            )
        found.append(item)
    if not any(i.agency_id == agency.pk for i in found):
        raise InvalidInput(
            "联合检查须包含牵头部门自己的检查事项。", "Include an item of the lead agency.", field="parts"
        )
    if len({i.agency_id for i in found}) < 2:
        raise InvalidInput(
            "联合检查须有至少两个部门的检查事项。", "A joint task needs items of two agencies.", field="parts"
        )
    return found


def _team(
    agency_id: int, officer_ids: Sequence[int], items: Sequence[InspectionItem], party_id: int, on: dt.date
) -> dict[int, str]:
    """The officers an agency sends to a joint visit: its own, each with a certificate valid on ``on`` for the
    domain of every one of the agency's items (the directory's gate, ``officer_can_enforce``)."""
    ids = list(dict.fromkeys(int(o) for o in officer_ids))
    if not ids:
        raise InvalidInput("请选择本部门的检查人员。", "Choose the agency's officers.", field="officer_ids")
    officers = list(Officer.objects.filter(pk__in=ids, agency_id=agency_id, is_active=True))
    if len(officers) != len(ids):
        raise InvalidInput(
            "检查人员须为本部门执法人员。", "Officers must belong to the agency.", field="officer_ids"
        )
    certificates: dict[int, str] = {o.pk: "" for o in officers}
    for domain in {i.domain_id: i.domain for i in items}.values():
        allowed = _qualified(officers, domain, on)
        for o in officers:
            if o.pk not in allowed:
                raise RuleViolation(
                    f"{o.name}不具备“{domain.name}”领域的执法资格。",
                    "An officer may not enforce in the item's domain.",
                    code="officer_not_qualified",
                    field="officer_ids",
                )
            certificates[o.pk] = certificates[o.pk] or allowed[o.pk]
    if _conflicted(ids, [party_id]):
        raise RuleViolation(
            "检查人员与检查对象存在回避情形。",
            "An officer has a recorded conflict.",
            code="conflict_of_interest",
        )
    return certificates


@service
def joint_task_create(
    user: User,
    *,
    agency: Agency,
    title: str,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date,
    parts: Sequence[tuple[int, int]],
    party: Party | None = None,
    officer_ids: Sequence[int] = (),
    industries: str = "",
    party_count: int | None = None,
    inspectors_per_agency: int = 1,
    now: dt.datetime | None = None,
) -> InspectionTask:
    """综合查一次 — the lead agency's officer creates a joint task over items of several agencies.

    With ``party``: a filed joint visit (报备) to that party, the lead agency's officers named now (the
    partners' at their approval). Without: a 跨部门联合抽查 of ``party_count`` parties of ``industries``, drawn
    once every agency approved. Either way it waits for each agency head's approval (:func:`joint_task_approve`).
    """
    perms.require(user, rules.MANAGE_TASK, agency)
    if not title.strip():
        raise InvalidInput("请填写任务名称。", "A title is required.", field="title")
    if not reason.strip():
        raise InvalidInput("请写明检查事由。", "A reason is required.", field="reason")
    _check_period(starts_on, ends_on)
    items = _parts(agency, parts)
    at = _now(now)
    lead_item = next(i for i in items if i.agency_id == agency.pk)
    industry_list = [s.strip() for s in industries.replace("，", ",").split(",") if s.strip()]
    if party is None:
        if party_count is None or party_count < 1:
            raise InvalidInput("抽取对象数至少为 1。", "party_count must be at least 1.", field="party_count")
        if not industry_list:
            raise InvalidInput(
                "跨部门联合抽查须写明行业。", "A joint draw names its industries.", field="industries"
            )
        if inspectors_per_agency < 1:
            raise InvalidInput(
                "每个部门至少派 1 名检查人员。",
                "At least one officer per agency.",
                field="inspectors_per_agency",
            )
        # 54号: 行政检查原则上由两名以上执法人员实施 — the joint team as a whole.
        _check_inspector_count(inspectors_per_agency * len({i.agency_id for i in items}))
    elif not perms.can(user, rules.VIEW, party):
        raise NotFound("检查对象不存在。", "Party not found.")
    # 结果互认: a partner's item already checked on this party (same or equivalent item, within the period) is
    # linked to that result instead of being checked again on the new visit.
    recognised: list[tuple[InspectionItem, InspectionCheck]] = []
    if party is not None:
        on = clock.business_date(at)
        for i in [i for i in items if i.agency_id != agency.pk]:
            source = recognisable_check(party.pk, i, on)
            if source is not None:
                recognised.append((i, source))
        items = [i for i in items if i not in {r[0] for r in recognised}]
    secret = secrets.token_bytes(32) if party is None else None
    task = InspectionTask.objects.create(
        agency=agency,
        item=lead_item,
        kind=TaskKind.RANDOM if party is None else TaskKind.SPECIAL,
        title=title.strip(),
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        status=TaskStatus.FILED,
        party_count=party_count if party is None else 1,
        inspectors_per_inspection=inspectors_per_agency if party is None else max(1, len(officer_ids)),
        stratify_by_credit=False,
        industries=",".join(industry_list),
        secret=secret,
        commitment=draw.commitment(secret).hex() if secret else "",
        created_by=user,
        filed_at=at,
    )
    JointPart.objects.bulk_create([JointPart(task=task, agency_id=i.agency_id, item=i) for i in items])
    task.joint_agencies.set(sorted({i.agency_id for i in items} - {agency.pk}))
    inspection = None
    certificates: dict[int, str] = {}
    if party is not None:
        certificates = _team(
            agency.pk, officer_ids, [i for i in items if i.agency_id == agency.pk], party.pk, starts_on
        )
        inspection = Inspection.objects.create(
            task=task,
            agency=agency,
            item=lead_item,
            party=party,
            kind=TaskKind.SPECIAL,
            scheduled_on=starts_on,
            filed_at=at,
        )
        checks_create(inspection, task, items)
        InspectionOfficer.objects.bulk_create(
            [
                InspectionOfficer(inspection=inspection, officer_id=oid, certificate_number=cert)
                for oid, cert in certificates.items()
            ]
        )
    for item, source in recognised:
        _recognition_create(user, item, source, at)
    entry = record_append(
        actor=user,
        action="inspection.joint.create",
        obj=task,
        changes={
            "parts": [[i.agency_id, i.pk] for i in items],
            "party": party.pk if party else None,
            "officers": list(certificates),
            "industries": task.industries,
            "party_count": task.party_count,
            "commitment": task.commitment,
            "inspection": inspection.pk if inspection else None,
            "recognised": [[i.pk, c.pk] for i, c in recognised],
        },
        sequenced=True,  # the seq is kept on the row below
    )
    if secret:
        task.commitment_seq = entry.seq
        task.save(update_fields=["commitment_seq"])
    return task


def checks_create(inspection: Inspection, task: InspectionTask, items: Sequence[InspectionItem]) -> None:
    """One check per (agency, item) of a joint visit; the lead one first."""
    InspectionCheck.objects.bulk_create(
        [InspectionCheck(inspection=inspection, agency_id=i.agency_id, item=i, task=task) for i in items],
        ignore_conflicts=True,
    )


@service
def joint_task_approve(
    user: User, task: InspectionTask, *, officer_ids: Sequence[int] = (), now: dt.datetime | None = None
) -> InspectionTask:
    """批准 — an agency head approves their agency's parts of a joint task (and, for a filed joint visit of a
    partner agency, names its officers). The task is approved, and its code valid, when every part is."""
    task = InspectionTask.objects.select_for_update(of=("self",)).get(pk=task.pk)
    if task.status != TaskStatus.FILED or not task.parts.exists():
        raise RuleViolation(
            "任务不是待批准的联合检查任务。",
            "The task is not a joint task awaiting approval.",
            code="task_not_filed",
        )
    pending = list(task.parts.filter(approved_at__isnull=True).select_related("agency", "item__domain"))
    # 行政检查须经本机关负责人批准 (54号): each head approves only their own agency's parts.
    mine = [p for p in pending if perms.can(user, rules.APPROVE_TASK, p.agency)]
    if not mine:
        perms.require(user, rules.APPROVE_TASK, task)  # a lead head with nothing pending gets a clear refusal
        raise RuleViolation(
            "本部门的检查事项已批准，等待其他部门负责人批准。",
            "Your agency's parts are approved already.",
            code="already_approved",
        )
    at = _now(now)
    agency_ids = sorted({p.agency_id for p in mine})
    if len(agency_ids) > 1:
        raise InvalidInput(
            "请分别以各部门负责人身份批准。", "Approve one agency at a time.", field="officer_ids"
        )
    agency_id = agency_ids[0]
    added: list[int] = []
    inspection = task.inspections.first()
    if inspection is not None and agency_id != task.agency_id:
        items = [p.item for p in task.parts.filter(agency_id=agency_id).select_related("item__domain")]
        certificates = _team(agency_id, officer_ids, items, inspection.party_id, task.starts_on)
        InspectionOfficer.objects.bulk_create(
            [
                InspectionOfficer(inspection=inspection, officer_id=oid, certificate_number=cert)
                for oid, cert in certificates.items()
            ],
            ignore_conflicts=True,
        )
        added = list(certificates)
    elif officer_ids:
        raise InvalidInput(
            "牵头部门的检查人员在报备时确定；联合抽查的检查人员随机抽取。",
            "Officers are named at filing or drawn.",
            field="officer_ids",
        )
    JointPart.objects.filter(pk__in=[p.pk for p in mine]).update(approved_by=user, approved_at=at)
    done = not task.parts.filter(approved_at__isnull=True).exists()
    if done:
        if inspection is not None:
            _check_inspector_count(inspection.assignments.count())
        task.status, task.approved_by, task.approved_at = TaskStatus.APPROVED, user, at
        task.save(update_fields=["status", "approved_by", "approved_at"])
    record_append(
        actor=user,
        action="inspection.joint.approve",
        obj=task,
        changes={"agency": agency_id, "parts": [p.pk for p in mine], "officers": added, "complete": done},
    )
    return task


# --- per-item results ------------------------------------------------------------------------------------------


def _on_check(user: User, check: InspectionCheck) -> Officer:
    """Only an officer of the check's agency who is on the visit records its result."""
    officer = _officer_of(user)
    if officer.agency_id != check.agency_id or not perms.can(user, rules.INSPECT, check):
        raise RuleViolation(
            "只能录入本部门检查事项的结果。", "Only your own agency's checks.", code="not_own_check"
        )
    if not check.inspection.assignments.filter(officer=officer).exists():
        raise RuleViolation(
            f"{officer.name}不是本次检查的检查人员。",
            "The officer is not on this inspection.",
            code="officer_not_on_task",
        )
    return officer


def check_case_source(user: User, check: InspectionCheck, officer: Officer, reason: str) -> int:
    """立案 — this check's result becomes a case source of the check's agency only."""
    inspection, item = check.inspection, check.item
    entry = record_append(
        actor=user,
        action="inspection.result.case_source",
        obj=inspection,
        officer=officer,
        changes={
            "inspection": inspection.pk,
            "check": check.pk,
            "party": inspection.party_id,
            "agency": check.agency_id,
            "item": item.pk,
            "item_name": item.name,
            "legal_basis": item.legal_basis,
            "findings": check.findings,
            "reason": reason,
        },
        sequenced=True,  # the seq is kept on the row below
    )
    check.case_source_seq = entry.seq
    check.save(update_fields=["case_source_seq"])
    return entry.seq


def _is_lead(check: InspectionCheck) -> bool:
    i = check.inspection
    return check.agency_id == i.agency_id and check.item_id == i.item_id


@service
def inspection_check_result(
    user: User,
    check: InspectionCheck,
    *,
    outcome: str,
    findings: str,
    rectify_deadline: dt.date | None = None,
    now: dt.datetime | None = None,
) -> InspectionCheck:
    """检查结果 of one item — 合格, 责令整改 (deadline, re-check) or 立案 (a case source of this agency). The
    visit is done when every check has its result; the lead check's result is the visit's ``outcome``."""
    check = InspectionCheck.objects.select_for_update(of=("self",)).select_related("item").get(pk=check.pk)
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=check.inspection_id)
    check.inspection = inspection
    officer = _on_check(user, check)
    if outcome not in Outcome.values:
        raise InvalidInput("检查结果无效。", "Invalid outcome.", field="outcome")
    if inspection.status != InspectionStatus.CHECKED_IN:
        raise RuleViolation("须先扫码进企。", "Check in first.", code="not_checked_in")
    if check.result_at is not None:
        raise RuleViolation(
            "该事项的结果已录入。", "This check has a result already.", code="already_recorded"
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
    check.outcome, check.findings, check.result_at = outcome, findings, current
    check.rectify_deadline = rectify_deadline
    check.save(update_fields=["outcome", "findings", "result_at", "rectify_deadline"])
    fields: list[str] = []
    if _is_lead(check):
        inspection.outcome, inspection.findings = outcome, findings
        inspection.result_at, inspection.rectify_deadline = current, rectify_deadline
        fields += ["outcome", "findings", "result_at", "rectify_deadline"]
    complete = not inspection.checks.filter(result_at__isnull=True).exists()
    if complete:
        try:
            inspection.publish_due = add_working_days(
                today, conf.number("ZHIFA_INSPECTION_RESULT_PUBLISH_WORKING_DAYS")
            )
        except ConfigurationMissing:
            inspection.publish_due = None
        inspection.status = InspectionStatus.DONE
        fields += ["status", "publish_due"]
    if fields:
        inspection.save(update_fields=fields)
    record_append(
        actor=user,
        action="inspection.check.result",
        obj=inspection,
        officer=officer,
        changes={
            "check": check.pk,
            "agency": check.agency_id,
            "item": check.item_id,
            "outcome": outcome,
            "findings": findings,
            "rectify_deadline": rectify_deadline,
            "visit_done": complete,
        },
    )
    if outcome == Outcome.CASE:
        seq = check_case_source(user, check, officer, reason="inspection_result")
        if _is_lead(check):
            inspection.case_source_seq = seq
            inspection.save(update_fields=["case_source_seq"])
    return check


@service
def inspection_check_recheck(
    user: User, check: InspectionCheck, *, passed: bool, findings: str, now: dt.datetime | None = None
) -> InspectionCheck:
    """复查 of one item's rectification: passes (销号) or, not rectified, becomes this agency's case source."""
    check = InspectionCheck.objects.select_for_update(of=("self",)).select_related("item").get(pk=check.pk)
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=check.inspection_id)
    check.inspection = inspection
    officer = _on_check(user, check)
    if check.outcome != Outcome.RECTIFY or check.recheck_at is not None:
        raise RuleViolation(
            "该事项没有待复查的整改。", "No rectification awaits a re-check.", code="no_rectification"
        )
    if not findings.strip():
        raise InvalidInput("请填写复查情况。", "Findings are required.", field="findings")
    current = _now(now)
    check.recheck_at, check.recheck_passed = current, passed
    check.findings = f"{check.findings}\n复查：{findings}".strip()
    check.save(update_fields=["recheck_at", "recheck_passed", "findings"])
    if _is_lead(check):
        inspection.recheck_at, inspection.recheck_passed, inspection.findings = (
            current,
            passed,
            check.findings,
        )
        fields = ["recheck_at", "recheck_passed", "findings"]
        if passed:
            inspection.rectification_closed_at = current
            fields.append("rectification_closed_at")
        inspection.save(update_fields=fields)
    record_append(
        actor=user,
        action="inspection.check.recheck",
        obj=inspection,
        officer=officer,
        changes={"check": check.pk, "passed": passed, "findings": findings},
    )
    if not passed:
        seq = check_case_source(user, check, officer, reason="not_rectified")
        if _is_lead(check):
            inspection.case_source_seq = seq
            inspection.save(update_fields=["case_source_seq"])
    return check


# --- 结果互认 ----------------------------------------------------------------------------------------------------


def equivalent_items(item_id: int) -> set[int]:
    """The item itself and every item declared equivalent to it (one step, both directions)."""
    pairs = ItemEquivalence.objects.filter(Q(item_a_id=item_id) | Q(item_b_id=item_id)).values_list(
        "item_a_id", "item_b_id"
    )
    return {item_id, *(a for a, _ in pairs), *(b for _, b in pairs)}


def recognisable_check(party_id: int, item: InspectionItem, on: dt.date) -> InspectionCheck | None:
    """结果互认 — the latest check with a result, of the same or an equivalent item, of another agency, on this
    party, recorded within ``ZHIFA_INSPECTION_RECOGNITION_DAYS`` before ``on`` (and not itself recognised)."""
    days = conf.number("ZHIFA_INSPECTION_RECOGNITION_DAYS")
    since = on - dt.timedelta(days=days)
    return (
        InspectionCheck.objects.filter(
            inspection__party_id=party_id,
            item_id__in=equivalent_items(item.pk),
            result_at__isnull=False,
            recognised_from__isnull=True,
            inspection__inspected_on__gte=since,
            inspection__inspected_on__lte=on,
        )
        .exclude(agency_id=item.agency_id)
        .exclude(  # a visit that already has this agency's own check of the item
            Exists(
                InspectionCheck.objects.filter(
                    inspection_id=OuterRef("inspection_id"), agency_id=item.agency_id, item_id=item.pk
                )
            )
        )
        .select_related("inspection", "agency", "item")
        .order_by("-result_at", "-pk")
        .first()
    )


@service
def check_recognise(
    user: User, *, item: InspectionItem, party: Party, now: dt.datetime | None = None
) -> InspectionCheck:
    """结果互认 — instead of a new visit, the agency's check of ``item`` on ``party`` is linked to another
    agency's recorded check of the same or an equivalent item within the period (``recognised_from``). The new
    check sits on the earlier visit, with that result; nobody enters the enterprise again."""
    perms.require(user, rules.MANAGE_TASK, item)
    if not perms.can(user, rules.VIEW, party):
        raise NotFound("检查对象不存在。", "Party not found.")
    at = _now(now)
    source = recognisable_check(party.pk, item, clock.business_date(at))
    if source is None:
        days = conf.number("ZHIFA_INSPECTION_RECOGNITION_DAYS")
        raise RuleViolation(
            f"近 {days} 日内没有其他部门对该企业同一或互认事项的检查结果，不能互认。",
            "No recognisable result within the period.",
            code="nothing_to_recognise",
        )
    if InspectionCheck.objects.filter(
        inspection_id=source.inspection_id, agency_id=item.agency_id, item=item
    ).exists():
        raise RuleViolation("该结果已互认。", "Already recognised.", code="already_recognised")
    return _recognition_create(user, item, source, at)


def _recognition_create(
    user: User, item: InspectionItem, source: InspectionCheck, at: dt.datetime
) -> InspectionCheck:
    """The recognised check: the agency's item on the earlier visit, with the source's result."""
    check, _ = InspectionCheck.objects.get_or_create(
        inspection=source.inspection,
        agency_id=item.agency_id,
        item=item,
        defaults={
            "outcome": source.outcome,
            "findings": f"结果互认：{source.agency.name}“{source.item.name}”检查结果。",
            "result_at": at,
            "recognised_from": source,
        },
    )
    record_append(
        actor=user,
        action="inspection.check.recognise",
        obj=source.inspection,
        changes={
            "check": check.pk,
            "from": source.pk,
            "item": item.pk,
            "party": source.inspection.party_id,
        },
    )
    return check


@service
def item_equivalence_add(
    user: User, *, item_a: InspectionItem, item_b: InspectionItem, note: str = ""
) -> ItemEquivalence:
    """互认事项 — the supervisor declares two items of different agencies equivalent for 结果互认."""
    if item_a.pk == item_b.pk or item_a.agency_id == item_b.agency_id:
        raise InvalidInput(
            "互认事项须为不同部门的两个事项。", "Two items of different agencies.", field="item_b_id"
        )
    a, b = sorted((item_a, item_b), key=lambda i: i.pk)
    eq = ItemEquivalence(item_a=a, item_b=b, note=note.strip()[:300], created_by=user)
    perms.require(user, rules.MANAGE_EQUIVALENCE, eq)
    if not perms.can(user, rules.MANAGE_EQUIVALENCE, ItemEquivalence(item_a=b, item_b=a)):
        perms.require(user, rules.MANAGE_EQUIVALENCE, ItemEquivalence(item_a=b, item_b=a))
    if ItemEquivalence.objects.filter(item_a=a, item_b=b).exists():
        raise RuleViolation("两事项已登记为互认事项。", "Already equivalent.", code="already_equivalent")
    eq.save()
    record_append(actor=user, action="inspection.item.equivalence", obj=eq, changes={"a": a.pk, "b": b.pk})
    return eq
