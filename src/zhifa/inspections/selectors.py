"""Reads of inspections. Every list takes the caller's user and returns only what is in scope.

Two reads are public by design and take no user: :func:`draw_published` (the values of a draw, so that
anyone can re-run it) and the enterprise's view of an inspection code (``services.inspection_code_view``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from zhifa.core import clock
from zhifa.core.errors import NotFound
from zhifa.evidence.models import Evidence
from zhifa.inspections import conf, rules
from zhifa.inspections.checklists import visit_checklist as visit_checklist  # 一表通查, re-exported
from zhifa.inspections.models import (
    ChecklistLine,
    DrawRecord,
    Inspection,
    InspectionCheck,
    InspectionFeedback,
    InspectionItem,
    InspectionObjection,
    InspectionPlan,
    InspectionStatus,
    InspectionTask,
    InspectionWarning,
    JointPart,
    MergeProposal,
    NoDisturbEntry,
    ObjectionKind,
    ObjectionState,
    OfflineAction,
    Outcome,
    PartyDomainTag,
    PlanStatus,
    ProposalStatus,
    Rectification,
    TaskStatus,
    VisitCap,
)
from zhifa.inspections.services import plan_deadline
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Officer, Party, User
from zhifa.org.selectors import officer_can_enforce

# --- lists and directories -------------------------------------------------------------------------------------


def items(user: User, *, agency_id: int | None = None, active_only: bool = True) -> QuerySet[InspectionItem]:
    """随机抽查事项清单 in the caller's scope."""
    qs = perms.scoped(user, rules.VIEW, InspectionItem.objects.select_related("agency", "domain"))
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs.filter(is_active=True) if active_only else qs


def inspected_parties(user: User, domain_code: str) -> QuerySet[Party]:
    """检查对象名录库 of a domain: parties tagged with it, in the caller's scope (with their credit class)."""
    tagged = PartyDomainTag.objects.filter(domain__code=domain_code).values("party_id")
    return perms.scoped(user, perms.VIEW_PARTY, Party.objects.filter(pk__in=tagged))


@dataclass(frozen=True)
class DirectoryEntry:
    officer: Officer
    certificate_number: str


def inspector_directory(
    user: User, item: InspectionItem, *, on: dt.date | None = None
) -> list[DirectoryEntry]:
    """执法检查人员名录库 for an item: the agency's active officers who may enforce in its domain on ``on``."""
    if not perms.can(user, rules.VIEW, item):
        raise NotFound("抽查事项不存在或不在您的数据范围内。", "Item not found.")
    on = on or clock.today()
    entries = []
    for officer in Officer.objects.filter(agency_id=item.agency_id, is_active=True, is_auxiliary=False):
        decision = officer_can_enforce(officer, item.domain, on)
        if decision.allowed and decision.certificate_number:
            entries.append(DirectoryEntry(officer, decision.certificate_number))
    return entries


# --- plans and tasks --------------------------------------------------------------------------------------------


def plans(user: User, *, year: int | None = None) -> QuerySet[InspectionPlan]:
    qs = perms.scoped(user, rules.VIEW, InspectionPlan.objects.select_related("agency"))
    return qs.filter(year=year) if year is not None else qs


def plans_late(user: User, year: int, *, today: dt.date | None = None) -> QuerySet[InspectionPlan]:
    """Plans of ``year`` published after 31 March, or still unpublished once 31 March has passed."""
    today = today or clock.today()
    late = Q(published_late=True)
    if today > plan_deadline(year):
        late |= ~Q(status=PlanStatus.PUBLISHED)
    return plans(user, year=year).filter(late)


def _officer_of(user: User) -> Officer | None:
    """The user's officer record, read once per user object (Django keeps the reverse one-to-one on it): a page
    that asks for today's visits and the open ones reads it once."""
    if user is None or not getattr(user, "pk", None):
        return None
    try:
        return user.officer
    except ObjectDoesNotExist:
        return None


def _partner_agencies(user: User) -> QuerySet[Agency]:
    """The agencies whose checks the user sees on joint visits (综合查一次) led by another agency."""
    return perms.scoped(user, rules.VIEW, Agency.objects.all())


def tasks(user: User, *, status: str | None = None) -> QuerySet[InspectionTask]:
    base = InspectionTask.objects.select_related("agency", "item")
    qs = perms.scoped(user, rules.VIEW, base)
    if not getattr(user, "is_superuser", False) and perms.can(user, rules.VIEW):
        partner = JointPart.objects.filter(agency__in=_partner_agencies(user)).values("task_id")
        qs = qs | base.filter(pk__in=partner)
    return qs.filter(status=status) if status else qs


def inspections(
    user: User, *, status: str | None = None, party_id: int | None = None
) -> QuerySet[Inspection]:
    base = Inspection.objects.select_related("agency", "party", "item", "task")
    qs = perms.scoped(user, rules.VIEW, base)
    if not getattr(user, "is_superuser", False) and perms.can(user, rules.VIEW):
        partner = InspectionCheck.objects.filter(agency__in=_partner_agencies(user)).values("inspection_id")
        qs = qs | base.filter(pk__in=partner)
    if status:
        qs = qs.filter(status=status)
    if party_id is not None:
        qs = qs.filter(party_id=party_id)
    return qs


def visit_caps(user: User) -> QuerySet[VisitCap]:
    """年度检查上限 set in the caller's regions, newest year first."""
    return perms.scoped(user, rules.VIEW, VisitCap.objects.select_related("region", "set_by")).order_by(
        "-year", "region__path", "id"
    )


def no_disturb_entries(user: User) -> QuerySet[NoDisturbEntry]:
    """无事不扰名单 entries of parties in the caller's scope (expired ones included, marked by ``until``)."""
    return perms.scoped(
        user, rules.VIEW, NoDisturbEntry.objects.select_related("party", "added_by")
    ).order_by("-added_at", "-id")


def no_disturb_public(on: dt.date | None = None) -> QuerySet[NoDisturbEntry]:
    """The list in force on ``on`` (for a public page): entries without an end or ending on or after it."""
    on = on or clock.today()
    return (
        NoDisturbEntry.objects.filter(Q(until__isnull=True) | Q(until__gte=on))
        .select_related("party")
        .order_by("party__region_path", "party__name", "id")
    )


def inspections_for_officer(user: User, *, on: dt.date | None = None) -> QuerySet[Inspection]:
    """The officer's list for a day (今日检查): planned inspections of approved tasks open on ``on``."""
    on = on or clock.today()
    officer = _officer_of(user)
    if officer is None:
        return Inspection.objects.none()
    return inspections(user, status=InspectionStatus.PLANNED).filter(
        assignments__officer=officer,
        task__status__in=[TaskStatus.APPROVED, TaskStatus.DRAWN],
        task__starts_on__lte=on,
        task__ends_on__gte=on,
    )


def officer_open_inspections(user: User, *, on: dt.date | None = None) -> QuerySet[Inspection]:
    """现场办理 — what the officer still has to do on site: today's planned visits (今日检查), visits checked in
    but without a result, and rectifications awaiting a re-check (复查), nearest first."""
    on = on or clock.today()
    officer = _officer_of(user)
    if officer is None:
        return Inspection.objects.none()
    planned_today = Q(
        status=InspectionStatus.PLANNED,
        task__status__in=[TaskStatus.APPROVED, TaskStatus.DRAWN],
        task__starts_on__lte=on,
        task__ends_on__gte=on,
    )
    awaiting_result = Q(status=InspectionStatus.CHECKED_IN)
    awaiting_recheck = Q(status=InspectionStatus.DONE, outcome=Outcome.RECTIFY, recheck_at__isnull=True)
    # 综合查一次: a rectification of one of the officer's agency's checks on a joint visit
    awaiting_recheck |= Q(
        status=InspectionStatus.DONE,
        pk__in=InspectionCheck.objects.filter(
            agency_id=officer.agency_id, outcome=Outcome.RECTIFY, recheck_at__isnull=True
        ).values("inspection_id"),
    )
    return (
        inspections(user)
        .filter(assignments__officer=officer)
        .filter(planned_today | awaiting_result | awaiting_recheck)
        .distinct()
    )


def draw_published(task_id: int) -> dict[str, Any]:
    """The published values of a draw (public): enough for anyone to re-run it with ``draw.rerun``."""
    record = DrawRecord.objects.select_related("task__item", "task__agency").filter(task_id=task_id).first()
    if record is None:
        raise NotFound("该任务尚未抽取或不存在。", "No draw for this task.", code="draw_not_found")
    task = record.task
    return {
        "task_id": task.pk,
        "task_title": task.title,
        "agency": task.agency.name,
        "item_code": task.item.code,
        "item_name": task.item.name,
        "legal_basis": task.item.legal_basis,
        "rule": "select(candidates, k, seed): the k candidates with the smallest "
        "SHA-256(seed || 0x00 || candidate UTF-8), ascending",
        "commitment": record.commitment,
        "secret": record.secret,
        "head_id": record.head_id,
        "head_tree_size": record.head_tree_size,
        "head_root": record.head_root,
        "head_signed_at": record.head_signed_at,
        "seed": record.seed,
        "pool_hash": record.pool_hash,
        "pool_size": record.pool_size,
        "inspector_pool_hash": record.inspector_pool_hash,
        "inspector_pool": record.inspector_pool,
        "party_strata": record.party_strata,
        "inspector_strata": record.inspector_strata,
        "exclusions": record.exclusions,
        "ledger_seq": record.ledger_seq,
        "drawn_at": record.drawn_at,
    }


@dataclass(frozen=True)
class DrawStratum:
    """One stratum (or inspector team) of a draw as people read it: what it is, how many of how many, who."""

    label: str  # the label as published and hashed (party/B/餐饮, inspectors/353)
    title: str  # in Chinese: 信用风险分类 B 类 · 行业 餐饮；检查对象 某某公司 的检查人员
    pool_size: int
    k: int
    selected: list[tuple[str, str, str]]  # (candidate id as published, name, party kind or "" for officers)
    target: str = ""  # an inspector team: the party candidate it inspects
    target_name: str = ""  # ... and that party's name


@dataclass(frozen=True)
class DrawView:
    """A published draw for its public page: the task, Beijing times, strata with names (not yet masked)."""

    task_id: int
    task_title: str
    agency_name: str
    item_code: str
    item_name: str
    legal_basis: str
    plan_title: str
    drawn_at: dt.datetime  # Beijing time
    head_signed_at: dt.datetime  # Beijing time
    head_id: int
    head_tree_size: int
    ledger_seq: int
    pool_size: int
    excluded_no_disturb: int
    excluded_recent: int
    excluded_visit_cap: int
    party_strata: list[DrawStratum]
    teams: list[DrawStratum]


def _stratum_title(label: str) -> str:
    parts = label.split("/")[1:]  # party/<credit class or *>[/<industry or ->]
    words = []
    if parts and parts[0] != "*":
        words.append(f"信用风险分类 {parts[0]} 类")
    if len(parts) > 1:
        words.append(f"行业 {parts[1]}" if parts[1] != "-" else "行业未登记")
    return " · ".join(words) or "全部检查对象"


def draw_view(task_id: int) -> DrawView:
    """The published values of a draw, for people: strata in Chinese, names of the parties and inspectors
    drawn, times in Beijing time (public, like :func:`draw_published`; masking a person's name is the
    public page's job). A task not drawn is ``NotFound``."""
    record = (
        DrawRecord.objects.select_related("task__item", "task__agency", "task__plan_item__plan")
        .filter(task_id=task_id)
        .first()
    )
    if record is None:
        raise NotFound("该任务尚未抽取或不存在。", "No draw for this task.", code="draw_not_found")
    task = record.task
    party_ids = {int(c) for s in record.party_strata for c in s["selected"] if str(c).isdigit()}
    officer_ids = {int(c) for s in record.inspector_strata for c in s["selected"] if str(c).isdigit()}
    parties = {
        str(pk): (name, kind)
        for pk, name, kind in Party.objects.filter(pk__in=party_ids).values_list("pk", "name", "kind")
    }
    officers = {
        str(pk): name for pk, name in Officer.objects.filter(pk__in=officer_ids).values_list("pk", "name")
    }

    def party(c: str) -> tuple[str, str, str]:
        name, kind = parties.get(str(c), ("（已注销的对象）", ""))
        return (str(c), name, kind)

    def officer(c: str) -> tuple[str, str, str]:
        return (str(c), officers.get(str(c), "（已离岗人员）"), "")

    strata = [
        DrawStratum(
            s["label"],
            _stratum_title(s["label"]),
            len(s["pool"]),
            int(s["k"]),
            [party(c) for c in s["selected"]],
        )
        for s in record.party_strata
    ]
    # A joint draw (跨部门联合抽查) labels a team ``inspectors/<party>/<agency id>``: one team per agency.
    agency_names = {
        str(pk): name
        for pk, name in Agency.objects.filter(
            pk__in=[int(p[2]) for p in (s["label"].split("/") for s in record.inspector_strata) if len(p) > 2]
        ).values_list("pk", "name")
    }
    teams = []
    for s in record.inspector_strata:
        label_parts = s["label"].split("/")
        target = label_parts[1] if len(label_parts) > 1 else ""
        of_agency = f"（{agency_names.get(label_parts[2], '')}）" if len(label_parts) > 2 else ""
        teams.append(
            DrawStratum(
                s["label"],
                f"检查对象 {party(target)[1]} 的检查人员{of_agency}",
                len(s["pool"]),
                int(s["k"]),
                [officer(c) for c in s["selected"]],
                target=target,
                target_name=party(target)[1],
            )
        )
    plan = task.plan_item.plan if task.plan_item is not None else None
    return DrawView(
        task_id=task.pk,
        task_title=task.title,
        agency_name=task.agency.name,
        item_code=task.item.code,
        item_name=task.item.name,
        legal_basis=task.item.legal_basis,
        plan_title=f"{plan.year}年度{plan.title}"
        if plan and str(plan.year) not in plan.title
        else (plan.title if plan else ""),
        drawn_at=clock.local(record.drawn_at),
        head_signed_at=clock.local(record.head_signed_at),
        head_id=record.head_id,
        head_tree_size=record.head_tree_size,
        ledger_seq=record.ledger_seq,
        pool_size=record.pool_size,
        excluded_no_disturb=int((record.exclusions or {}).get("no_disturb", 0)),
        excluded_recent=int((record.exclusions or {}).get("recently_inspected", 0)),
        excluded_visit_cap=int((record.exclusions or {}).get("visit_cap", 0)),
        party_strata=strata,
        teams=teams,
    )


# --- warnings -----------------------------------------------------------------------------------------------------


def warnings(user: User, *, state: str | None = None, kind: str | None = None) -> QuerySet[InspectionWarning]:
    """预警 for the agency and the supervisors above it."""
    qs = perms.scoped(user, rules.VIEW_WARNING, InspectionWarning.objects.select_related("agency", "party"))
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@dataclass(frozen=True)
class MergeSuggestion:
    """综合查一次 — several inspections of one enterprise are due close together: go once, jointly."""

    party_id: int
    party_name: str
    inspection_ids: list[int]
    agency_ids: list[int]
    first_due: dt.date
    last_due: dt.date

    @property
    def joint(self) -> bool:
        return len(self.agency_ids) > 1


def merge_suggestions(
    user: User, *, today: dt.date | None = None, within_days: int | None = None
) -> list[MergeSuggestion]:
    """Parties with two or more planned inspections due within the window (in the caller's scope)."""
    today = today or clock.today()
    days = within_days if within_days is not None else conf.number("ZHIFA_INSPECTION_MERGE_WINDOW_DAYS")
    due = inspections(user, status=InspectionStatus.PLANNED).filter(
        scheduled_on__gte=today, scheduled_on__lte=today + dt.timedelta(days=days)
    )
    crowded = due.values("party_id").annotate(n=Count("id")).filter(n__gte=2).values("party_id")
    groups: dict[int, list[tuple[int, int, dt.date, str]]] = defaultdict(list)
    for pk, party_id, agency_id, scheduled_on, name in due.filter(party_id__in=crowded).values_list(
        "pk", "party_id", "agency_id", "scheduled_on", "party__name"
    ):
        groups[party_id].append((pk, agency_id, scheduled_on, name))
    return [
        MergeSuggestion(
            party_id=party_id,
            party_name=rows[0][3],
            inspection_ids=sorted(r[0] for r in rows),
            agency_ids=sorted({r[1] for r in rows}),
            first_due=min(r[2] for r in rows),
            last_due=max(r[2] for r in rows),
        )
        for party_id, rows in sorted(groups.items())
    ]


@dataclass(frozen=True)
class ProposalVisit:
    inspection_id: int
    agency_name: str
    item_name: str
    scheduled_on: dt.date | None


@dataclass(frozen=True)
class OpenProposal:
    """合并检查建议 as its agencies see it: the visits, who has agreed, and whether the caller may decide."""

    proposal: MergeProposal
    party_name: str
    visits: list[ProposalVisit]
    agency_names: list[str]
    agreed_names: list[str]
    can_decide: bool
    agreed_by_me: bool


def merge_proposals_open(user: User, *, limit: int = 50) -> list[OpenProposal]:
    """Open merge proposals (自动匹配) touching a planned visit in the caller's scope, earliest due first."""
    visible = inspections(user, status=InspectionStatus.PLANNED).values("pk")
    rows = list(
        MergeProposal.objects.filter(status=ProposalStatus.OPEN, inspections__in=visible)
        .distinct()
        .select_related("party")
        # the agencies with their regions: proposal_view asks the caller's scope over each (no query per agency)
        .prefetch_related(
            Prefetch("agencies", queryset=Agency.objects.select_related("region")),
            Prefetch("inspections", queryset=Inspection.objects.select_related("agency", "item")),
        )
        .order_by("first_due", "pk")[:limit]
    )
    return [proposal_view(user, p) for p in rows]


def proposal_view(user: User, p: MergeProposal) -> OpenProposal:
    """One proposal as the caller sees it (the caller's scope was checked by the caller)."""
    agencies = sorted(p.agencies.all(), key=lambda a: a.pk)
    mine = {a.pk for a in agencies if perms.can(user, rules.MANAGE_TASK, a)}
    agreed = set(p.agreed_agency_ids)
    visits = sorted(p.inspections.all(), key=lambda i: (i.scheduled_on or dt.date.max, i.pk))
    return OpenProposal(
        proposal=p,
        party_name=p.party.name,
        visits=[
            ProposalVisit(i.pk, i.agency.name, i.item.name if i.item else "", i.scheduled_on) for i in visits
        ],
        agency_names=[a.name for a in agencies],
        agreed_names=[a.name for a in agencies if a.pk in agreed],
        can_decide=bool(mine),
        agreed_by_me=bool(mine) and mine <= agreed,
    )


# --- enterprise feedback ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackSummary:
    """Aggregates only; below the configured minimum count nothing but the count is shown."""

    count: int
    shown: bool
    average: float | None
    by_rating: dict[int, int]
    problems: int | None


def feedback_summary(user: User, agency: Agency) -> FeedbackSummary:
    """企业评价汇总 for one agency: what the inspecting agency may read (never a single rating)."""
    if not perms.can(user, rules.VIEW_FEEDBACK_SUMMARY, agency):
        raise NotFound("执法主体不存在或不在您的数据范围内。", "Agency not found.")
    qs = InspectionFeedback.objects.filter(inspection__agency=agency)
    total = qs.aggregate(
        n=Count("id"), avg=Avg("rating"), problems=Count("id", filter=Q(problem_reported=True))
    )
    count = total["n"] or 0
    if count < conf.number("ZHIFA_INSPECTION_FEEDBACK_MIN_AGGREGATE"):
        return FeedbackSummary(count, False, None, {}, None)
    by_rating = dict(qs.values_list("rating").annotate(n=Count("id")).values_list("rating", "n"))
    return FeedbackSummary(
        count,
        True,
        round(float(total["avg"]), 2),
        {r: by_rating.get(r, 0) for r in range(1, 6)},
        total["problems"],
    )


def feedback_list(user: User) -> QuerySet[InspectionFeedback]:
    """Every rating with its inspection — supervisors (and administrators) only."""
    return perms.scoped(
        user,
        rules.VIEW_FEEDBACK,
        InspectionFeedback.objects.select_related("inspection__agency", "inspection__party"),
    )


# --- rectification reports and objections (整改报告、检查异议) --------------------------------------------------


def rectification_files(rectification: Rectification) -> list[Evidence]:
    """The files of a rectification report (shown to whoever may see the report: the party and the agency)."""
    return list(
        Evidence.objects.filter(
            object_type="inspections.rectification", object_id=str(rectification.pk)
        ).order_by("uploaded_at", "id")
    )


def rectification_of(inspection: Inspection) -> Rectification | None:
    return Rectification.objects.filter(inspection=inspection).first()


def objections(user: User, *, state: str | None = None) -> QuerySet[InspectionObjection]:
    """Every objection with its inspection — supervisors (and administrators) only; never the agency."""
    qs = perms.scoped(
        user,
        rules.VIEW_FEEDBACK,
        InspectionObjection.objects.select_related(
            "inspection__agency", "inspection__party", "inspection__item"
        ),
    )
    if state:
        qs = qs.filter(state=state)
    return qs


@dataclass(frozen=True)
class ObjectionSummary:
    """Counts only; below the rating's minimum aggregate only the total (a single objection is not singled
    out by kind or state)."""

    count: int
    shown: bool
    by_kind: dict[str, int]
    open: int | None


def objection_summary(user: User, agency: Agency) -> ObjectionSummary:
    """检查异议汇总 for one agency: what the inspecting agency may read (never an objection's content)."""
    if not perms.can(user, rules.VIEW_FEEDBACK_SUMMARY, agency):
        raise NotFound("执法主体不存在或不在您的数据范围内。", "Agency not found.")
    qs = InspectionObjection.objects.filter(inspection__agency=agency)
    count = qs.count()
    if count < conf.number("ZHIFA_INSPECTION_FEEDBACK_MIN_AGGREGATE"):
        return ObjectionSummary(count, False, {}, None)
    by_kind = dict(qs.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return ObjectionSummary(
        count,
        True,
        {str(k): by_kind.get(k, 0) for k in ObjectionKind.values},
        qs.filter(state=ObjectionState.OPEN).count(),
    )


# --- case sources (案源), for the cases app ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseSource:
    """An inspection result that calls for a case: 立案, or a rectification not done at re-check."""

    ledger_seq: int
    inspection_id: int
    party_id: int
    agency_id: int
    item_id: int | None
    item_name: str
    legal_basis: str
    findings: str
    reason: str
    recorded_at: dt.datetime | None


def case_sources_from_inspections(
    user: User, *, after_seq: int | None = None, agency_id: int | None = None, limit: int = 100
) -> list[CaseSource]:
    """案源 from inspections in the caller's scope, in ledger order after ``after_seq``.

    Each is also on the ledger as action ``inspection.result.case_source`` (object ``inspections.inspection``),
    so a consumer may follow the ledger instead; ``ledger_seq`` is the key to resume from.
    """
    qs = inspections(user).filter(case_source_seq__isnull=False)
    if after_seq is not None:
        qs = qs.filter(case_source_seq__gt=after_seq)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return [
        CaseSource(
            ledger_seq=i.case_source_seq,  # type: ignore[arg-type]
            inspection_id=i.pk,
            party_id=i.party_id,
            agency_id=i.agency_id,
            item_id=i.item_id,
            item_name=i.item.name if i.item else "",
            legal_basis=i.item.legal_basis if i.item else "",
            findings=i.findings,
            reason="not_rectified" if i.recheck_passed is False else "inspection_result",
            recorded_at=i.recheck_at if i.recheck_passed is False else i.result_at,
        )
        for i in qs.order_by("case_source_seq")[: max(1, min(limit, 1000))]
    ]


# --- the random-inspection list and its checklists in public (事前公开) ------------------------------------------


def public_items(
    *, q: str = "", agency: Agency | None = None, region: Any = None, domain: Any = None
) -> QuerySet[InspectionItem]:
    """随机抽查事项清单公示 — active items of active agencies with their legal basis (items carry no dates:
    an item is on the list while active; its checklist is versioned, see :func:`checklist_on`)."""
    qs = InspectionItem.objects.filter(is_active=True, agency__is_active=True)
    if agency is not None:
        qs = qs.filter(agency_id=agency.pk)
    if region is not None:
        qs = qs.filter(agency__region__path__startswith=region.path)
    if domain is not None:
        qs = qs.filter(domain_id=domain.pk)
    for term in q.split()[:5]:
        qs = qs.filter(
            Q(name__icontains=term)
            | Q(code__icontains=term)
            | Q(legal_basis__icontains=term)
            | Q(objects_desc__icontains=term)
            | Q(content__icontains=term)
            | Q(pk__in=ChecklistLine.objects.filter(content__icontains=term).values("item_id"))
        )
    return qs.select_related("agency", "domain")


def checklist_on(item: InspectionItem | int, on: dt.date | None = None) -> list[ChecklistLine]:
    """检查表单 — the lines of the item's checklist version in force on ``on`` (today by default); the end
    date is the last day in force (a new version closes the old one the day before it starts)."""
    on = on or clock.today()
    return list(
        ChecklistLine.objects.filter(item_id=getattr(item, "pk", item), effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("order")
    )


def checklists_on(item_ids: list[int], on: dt.date | None = None) -> dict[int, list[ChecklistLine]]:
    """The checklists in force on ``on`` of several items at once (one query: exports and pages)."""
    on = on or clock.today()
    out: dict[int, list[ChecklistLine]] = defaultdict(list)
    for line in (
        ChecklistLine.objects.filter(item_id__in=item_ids, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("item_id", "order")
    ):
        out[line.item_id].append(line)
    return out


@dataclass(frozen=True)
class ChecklistVersion:
    version: int
    effective_from: dt.date
    effective_to: dt.date | None
    lines: int


def checklist_versions(item: InspectionItem | int) -> list[ChecklistVersion]:
    """Every version of the item's checklist, newest first, with its period and number of lines."""
    rows = (
        ChecklistLine.objects.filter(item_id=getattr(item, "pk", item))
        .values("version", "effective_from", "effective_to")
        .annotate(n=Count("id"))
        .order_by("-version")
    )
    return [ChecklistVersion(r["version"], r["effective_from"], r["effective_to"], r["n"]) for r in rows]


# --- 综合查一次 ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRow:
    """One check of a visit as a page shows it, with whether the viewer may record or re-check it."""

    check: InspectionCheck
    editable: bool
    recheck: bool
    own: bool = False


def visit_checks(user: User, inspection: Inspection) -> list[CheckRow]:
    """The checks of a visit (lead first); the viewer's own agency's checks are editable when they are an
    officer on the visit and the check still needs its result (or its re-check)."""
    officer = _officer_of(user)
    on_visit = officer is not None and inspection.assignments.filter(officer=officer).exists()
    rows = []
    checks = inspection.checks.select_related(
        "agency", "item", "recognised_from__agency", "recognised_from__item", "recognised_from__inspection"
    ).order_by("id")
    for c in checks:
        own = on_visit and officer is not None and c.agency_id == officer.agency_id
        rows.append(
            CheckRow(
                c,
                editable=own and c.result_at is None and inspection.status == InspectionStatus.CHECKED_IN,
                recheck=own and c.outcome == Outcome.RECTIFY and c.recheck_at is None,
                own=own,
            )
        )
    lead = [
        r for r in rows if r.check.agency_id == inspection.agency_id and r.check.item_id == inspection.item_id
    ]
    return lead + [r for r in rows if r not in lead]


def joint_parts(user: User, task: InspectionTask) -> list[dict[str, Any]]:
    """The parts of a joint task by agency, with their approval and whether the viewer may approve them."""
    by_agency: dict[int, dict[str, Any]] = {}
    for p in task.parts.select_related("agency", "item", "approved_by").order_by("id"):
        row = by_agency.setdefault(
            p.agency_id,
            {
                "agency": p.agency,
                "items": [],
                "approved_at": p.approved_at,
                "approved_by": p.approved_by,
                "can_approve": task.status == TaskStatus.FILED
                and p.approved_at is None
                and perms.can(user, rules.APPROVE_TASK, p.agency),
                "is_lead": p.agency_id == task.agency_id,
            },
        )
        row["items"].append(p.item)
    return list(by_agency.values())


def joint_item_choices(user: User, agency: Agency) -> list[InspectionItem]:
    """Items a joint task may name: active items of the agencies in the lead agency's region."""
    return list(
        InspectionItem.objects.filter(
            is_active=True, agency__is_active=True, agency__region__path__startswith=agency.region.path
        )
        .select_related("agency")
        .order_by("agency_id", "code")
    )


def offline_actions(
    user: User, *, state: str | None = None, inspection_id: int | None = None
) -> QuerySet[OfflineAction]:
    """离线同步记录 — actions synced from phones in the caller's scope (the agency's; supervisors by region);
    ``state="conflict"`` is the 离线同步冲突 list: what was not applied, and why."""
    qs = perms.scoped(
        user,
        rules.VIEW_WARNING,
        OfflineAction.objects.select_related("inspection__party", "officer", "agency"),
    )
    if state:
        qs = qs.filter(state=state)
    if inspection_id is not None:
        qs = qs.filter(inspection_id=inspection_id)
    return qs
