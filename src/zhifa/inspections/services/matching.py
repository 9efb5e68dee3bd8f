"""自动匹配与合并检查: propose merging planned visits to one enterprise, agree, and merge them into one visit.

国办发〔2024〕54号《关于严格规范涉企行政检查的意见》asks that several inspections of the same enterprise be
merged or made joint (能合并的合并、能联合的联合; 推行“综合查一次”), so that an enterprise is entered
less often. A drawn task or a filed inspection therefore refreshes the proposals of the enterprises it touches
(:func:`merge_proposals_refresh`): the planned visits of one enterprise whose dates lie within the window
(``ZHIFA_INSPECTION_MERGE_WINDOW_DAYS``, 30) become one :class:`MergeProposal`.

Who agrees: every agency involved. The same opinion keeps each 行政执法主体 answerable for the inspections it
carries out in its own name (行政检查主体资格; 谁检查谁负责), so one agency cannot move another agency's
planned check into a visit it leads; the last agreement (:func:`merge_proposal_accept`) merges
(:func:`visit_merge`). Any agency involved may decline with a reason (the visits then go ahead separately).

The merge never deletes: the surviving visit takes the others' checks (each keeping the task that required it in
``InspectionCheck.task``) and officers; the others are marked 已合并检查 with ``merged_into``. All on the
ledger, in one transaction. :func:`merge_proposals_accept_all` is the same agreement for every open proposal
of an agency at once (the head's “全部同意”), used by the simulation too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from zhifa.core.errors import InvalidInput, NotFound, RuleViolation
from zhifa.core.transactions import service
from zhifa.inspections import conf, rules
from zhifa.inspections.models import (
    Inspection,
    InspectionCheck,
    InspectionOfficer,
    InspectionStatus,
    MergeProposal,
    ProposalStatus,
)
from zhifa.inspections.services._common import _now
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, User
from zhifa.records.services import record_append

CHUNK = 5000  # ids per IN (…) list: under SQLite's variable limit on every version we support


@dataclass(frozen=True)
class _Visit:
    pk: int
    party_id: int
    agency_id: int
    scheduled_on: dt.date
    periods: tuple[tuple[dt.date, dt.date], ...]  # the periods of the tasks its checks answer to


def window_days() -> int:
    return conf.number("ZHIFA_INSPECTION_MERGE_WINDOW_DAYS")


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _planned_visits(party_ids: Sequence[int], first: dt.date, last: dt.date) -> dict[int, list[_Visit]]:
    """Planned (not yet entered) visits of these parties due between ``first`` and ``last``, by party."""
    rows: list[tuple[int, int, int, dt.date | None]] = []
    for chunk in _chunks(sorted(set(party_ids))):
        rows.extend(
            Inspection.objects.filter(
                party_id__in=chunk,
                status=InspectionStatus.PLANNED,
                scheduled_on__gte=first,
                scheduled_on__lte=last,
            ).values_list("pk", "party_id", "agency_id", "scheduled_on")
        )
    periods = _task_periods([r[0] for r in rows])
    visits: dict[int, list[_Visit]] = defaultdict(list)
    for pk, party_id, agency_id, scheduled_on in rows:
        if scheduled_on is None:  # excluded by the filter; for the type checker
            continue
        visits[party_id].append(_Visit(pk, party_id, agency_id, scheduled_on, periods.get(pk, ())))
    return visits


def _task_periods(inspection_ids: Sequence[int]) -> dict[int, tuple[tuple[dt.date, dt.date], ...]]:
    found: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for chunk in _chunks(list(inspection_ids)):
        for inspection_id, starts_on, ends_on in InspectionCheck.objects.filter(
            inspection_id__in=chunk, task__isnull=False
        ).values_list("inspection_id", "task__starts_on", "task__ends_on"):
            found[inspection_id].append((starts_on, ends_on))
    return {k: tuple(v) for k, v in found.items()}


def _pick(
    dated: Sequence[tuple[int, dt.date | None]], periods: Sequence[tuple[dt.date, dt.date]]
) -> int | None:
    """The visit the others join: the earliest due (then the first filed) whose date lies within the period of
    every task the merged checks answer to (a plan's check is done within its task's period); None if none."""
    lo = max((start for start, _ in periods), default=dt.date.min)
    hi = min((end for _, end in periods), default=dt.date.max)
    fitting = [(day, pk) for pk, day in dated if day is not None and lo <= day <= hi]
    return min(fitting)[1] if fitting else None


def _clusters(visits: Sequence[_Visit], days: int) -> list[list[_Visit]]:
    """Groups of two or more visits of one party that can become one: within ``days`` of the earliest, with a
    date that fits every task period of the group."""
    groups: list[list[_Visit]] = []
    for visit in sorted(visits, key=lambda v: (v.scheduled_on, v.pk)):
        group = groups[-1] if groups else None
        if group is not None and (visit.scheduled_on - group[0].scheduled_on).days <= days:
            joined = [*group, visit]
            periods = [p for v in joined for p in v.periods]
            if _pick([(v.pk, v.scheduled_on) for v in joined], periods) is not None:
                group.append(visit)
                continue
        groups.append([visit])
    return [g for g in groups if len(g) >= 2]


@service
def merge_proposals_refresh(
    parties: Iterable[int], *, actor: User | None = None, now: dt.datetime | None = None
) -> list[MergeProposal]:
    """自动匹配 — (re)compute the open merge proposals of these parties from their planned visits.

    Called inside ``task_draw`` and ``task_file``. An open proposal whose visits changed is replaced (its
    agreements were for another set of visits: 已失效); an unchanged one is kept with its agreements.
    """
    party_ids = sorted(set(parties))
    if not party_ids:
        return []
    at = _now(now)
    days = window_days()
    today = at.date()
    visits = _planned_visits(party_ids, today - dt.timedelta(days=days), dt.date.max)
    wanted: dict[frozenset[int], list[_Visit]] = {}
    for party_id in party_ids:
        for group in _clusters(visits.get(party_id, []), days):
            wanted[frozenset(v.pk for v in group)] = group
    existing: dict[frozenset[int], int] = {}
    members: dict[int, set[int]] = defaultdict(set)
    through = MergeProposal.inspections.through
    for chunk in _chunks(party_ids):
        open_ids = list(
            MergeProposal.objects.filter(party_id__in=chunk, status=ProposalStatus.OPEN).values_list(
                "pk", flat=True
            )
        )
        for proposal_id, inspection_id in through.objects.filter(mergeproposal_id__in=open_ids).values_list(
            "mergeproposal_id", "inspection_id"
        ):
            members[proposal_id].add(inspection_id)
        for pk in open_ids:
            members.setdefault(pk, set())
    for pk, ids in members.items():
        existing[frozenset(ids)] = pk
    stale = [pk for ids, pk in existing.items() if ids not in wanted]
    if stale:
        MergeProposal.objects.filter(pk__in=stale).update(
            status=ProposalStatus.LAPSED, decided_at=at, note="拟合并的检查已变化，重新生成建议"
        )
    new_groups = [g for ids, g in wanted.items() if ids not in existing]
    created = MergeProposal.objects.bulk_create(
        [
            MergeProposal(
                party_id=g[0].party_id,
                window_days=days,
                first_due=g[0].scheduled_on,
                last_due=max(v.scheduled_on for v in g),
                created_at=at,
            )
            for g in new_groups
        ]
    )
    if created and any(p.pk is None for p in created):  # backends without RETURNING ids
        raise RuntimeError("bulk_create returned no ids")
    agency_through = MergeProposal.agencies.through
    through.objects.bulk_create(
        [
            through(mergeproposal_id=p.pk, inspection_id=v.pk)
            for p, g in zip(created, new_groups, strict=True)
            for v in g
        ]
    )
    agency_through.objects.bulk_create(
        [
            agency_through(mergeproposal_id=p.pk, agency_id=a)
            for p, g in zip(created, new_groups, strict=True)
            for a in sorted({v.agency_id for v in g})
        ]
    )
    if created or stale:
        record_append(
            actor=actor,
            action="inspection.merge.propose",
            object_type="inspections.mergeproposal",
            object_id=created[0].pk if created else stale[0],
            changes={
                "proposals": {
                    str(p.pk): sorted(v.pk for v in g) for p, g in zip(created, new_groups, strict=True)
                },
                "lapsed": stale,
                "window_days": days,
            },
        )
    return created


def _acting_agencies(user: User, proposal: MergeProposal) -> list[Agency]:
    """The agencies involved in the proposal on whose behalf the user may decide (head or officer)."""
    agencies = list(proposal.agencies.all())
    if not any(perms.can(user, rules.VIEW, a) for a in agencies):
        raise NotFound("合并检查建议不存在或不在您的数据范围内。", "Merge proposal not found.")
    acting = [a for a in agencies if perms.can(user, rules.MANAGE_TASK, a)]
    if not acting:
        raise RuleViolation(
            "只有涉及部门的负责人或执法人员可以确认合并。",
            "Only a head or officer of an agency involved may decide.",
            code="agency_not_involved",
        )
    return acting


def _locked(proposal: MergeProposal) -> MergeProposal:
    proposal = MergeProposal.objects.select_for_update().filter(pk=proposal.pk).first()  # type: ignore[assignment]
    if proposal is None:
        raise NotFound("合并检查建议不存在。", "Merge proposal not found.")
    if proposal.status != ProposalStatus.OPEN:
        raise RuleViolation(
            f"该建议{proposal.get_status_display()}，不能再确认。",
            "The proposal is no longer open.",
            code="proposal_not_open",
        )
    return proposal


@service
def merge_proposal_accept(
    user: User, proposal: MergeProposal, *, now: dt.datetime | None = None
) -> MergeProposal:
    """一键同意 — the user's agency agrees; when every agency involved has agreed the visits are merged."""
    proposal = _locked(proposal)
    acting = _acting_agencies(user, proposal)
    agreed = sorted({*proposal.agreed_agency_ids, *(a.pk for a in acting)})
    proposal.agreed_agency_ids = agreed
    proposal.save(update_fields=["agreed_agency_ids"])
    record_append(
        actor=user,
        action="inspection.merge.agree",
        obj=proposal,
        changes={"agencies": [a.pk for a in acting], "agreed": agreed},
    )
    involved = set(proposal.agencies.values_list("pk", flat=True))
    if involved <= set(agreed):
        visit_merge(user, proposal, now=now)
        proposal.refresh_from_db()
    return proposal


@service
def merge_proposal_decline(
    user: User, proposal: MergeProposal, *, reason: str, now: dt.datetime | None = None
) -> MergeProposal:
    """不同意 — an agency involved declines, with its reason; the visits go ahead separately."""
    proposal = _locked(proposal)
    acting = _acting_agencies(user, proposal)
    if not reason.strip():
        raise InvalidInput("请写明不同意合并的理由。", "A reason is required.", field="reason")
    if len(reason.strip()) > 300:
        raise InvalidInput("理由最多 300 字。", "The reason is longer than 300 characters.", field="reason")
    proposal.status, proposal.note = ProposalStatus.DECLINED, reason.strip()
    proposal.decided_at, proposal.decided_by = _now(now), user
    proposal.save(update_fields=["status", "note", "decided_at", "decided_by"])
    record_append(
        actor=user,
        action="inspection.merge.decline",
        obj=proposal,
        changes={"agencies": [a.pk for a in acting], "reason": proposal.note},
    )
    return proposal


@dataclass(frozen=True)
class _Merge:
    proposal: MergeProposal
    survivor: Inspection
    others: list[Inspection]


def _checked(proposal: MergeProposal, visits: list[Inspection], periods: dict[int, list]) -> _Merge:
    """The guards of a merge; raises naming the first that fails."""
    if len(visits) < 2:
        raise RuleViolation("合并至少需要两次检查。", "A merge needs two visits.", code="too_few_visits")
    if len({v.party_id for v in visits}) != 1 or visits[0].party_id != proposal.party_id:
        raise RuleViolation(
            "只能合并对同一检查对象的检查。", "The visits are of different parties.", code="different_parties"
        )
    entered = [v for v in visits if v.status != InspectionStatus.PLANNED]
    if entered:
        raise RuleViolation(
            "拟合并的检查中有已进企或已合并的检查，不能再合并。",
            "A visit has already been checked in or merged.",
            code="visit_checked_in",
        )
    if any(v.scheduled_on is None for v in visits):
        raise RuleViolation(
            "检查没有计划日期，不能合并。", "A visit has no planned date.", code="out_of_window"
        )
    days = window_days()
    first = min(v.scheduled_on for v in visits)  # type: ignore[type-var]
    latest = max(v.scheduled_on for v in visits)  # type: ignore[type-var]
    if (latest - first).days > days:  # type: ignore[operator]
        raise RuleViolation(
            f"检查计划日期相差超过 {days} 天，不在合并时间窗内。",
            f"The visits are more than {days} days apart.",
            code="out_of_window",
        )
    chosen = _pick(
        [(v.pk, v.scheduled_on) for v in visits], [p for v in visits for p in periods.get(v.pk, [])]
    )
    if chosen is None:
        raise RuleViolation(
            "没有一个检查日期同时落在各检查任务的实施期间内，不能合并。",
            "No visit date lies within every task's period.",
            code="out_of_window",
        )
    survivor = next(v for v in visits if v.pk == chosen)
    return _Merge(proposal, survivor, [v for v in visits if v.pk != survivor.pk])


def _apply(merges: Sequence[_Merge], user: User | None, at: dt.datetime, *, one_entry: bool = False) -> None:
    """Write a batch of checked merges: move checks and officers, mark merged, ledger, close proposals.

    One UPDATE per surviving visit and table (a CASE over thousands of rows is what makes ``bulk_update`` slow).
    ``one_entry`` writes the batch as one ledger entry (``inspection.merge.bulk``, every merge in it) instead of
    one ``inspection.merge`` per surviving visit: the 全部同意 of a whole quarter.
    """
    if not merges:
        return
    target = {o.pk: m.survivor.pk for m in merges for o in m.others}
    involved = [*target, *(m.survivor.pk for m in merges)]
    checks: list[tuple[int, int, int, int]] = []
    assignments: list[tuple[int, int, int]] = []
    for chunk in _chunks(involved):
        checks.extend(
            InspectionCheck.objects.filter(inspection_id__in=chunk).values_list(
                "pk", "inspection_id", "agency_id", "item_id"
            )
        )
        assignments.extend(
            InspectionOfficer.objects.filter(inspection_id__in=chunk).values_list(
                "pk", "inspection_id", "officer_id"
            )
        )
    held_checks = {(i, a, t) for _, i, a, t in checks if i not in target}
    moved_checks: dict[int, list[int]] = defaultdict(list)
    for pk, inspection_id, agency_id, item_id in checks:
        if inspection_id in target:
            key = (target[inspection_id], agency_id, item_id)
            if key in held_checks:
                raise RuleViolation(
                    "拟合并的检查含有同一部门的同一检查事项，不能合并。",
                    "Two visits check the same item of the same agency.",
                    code="duplicate_check",
                )
            held_checks.add(key)
            moved_checks[target[inspection_id]].append(pk)
    held_officers = {(i, o) for _, i, o in assignments if i not in target}
    moved_assignments: dict[int, list[int]] = defaultdict(list)
    moved_officers: dict[int, list[int]] = defaultdict(list)
    for pk, inspection_id, officer_id in assignments:
        if inspection_id in target and (target[inspection_id], officer_id) not in held_officers:
            held_officers.add((target[inspection_id], officer_id))
            moved_assignments[target[inspection_id]].append(pk)
            moved_officers[target[inspection_id]].append(officer_id)
    for m in merges:
        survivor = m.survivor.pk
        if moved_checks[survivor]:
            InspectionCheck.objects.filter(pk__in=moved_checks[survivor]).update(inspection_id=survivor)
        if moved_assignments[survivor]:
            InspectionOfficer.objects.filter(pk__in=moved_assignments[survivor]).update(
                inspection_id=survivor
            )
        Inspection.objects.filter(pk__in=[o.pk for o in m.others]).update(
            status=InspectionStatus.MERGED, merged_into_id=survivor
        )
        MergeProposal.objects.filter(pk=m.proposal.pk).update(
            status=ProposalStatus.ACCEPTED, survivor_id=survivor, decided_at=at, decided_by=user
        )
        m.proposal.status, m.proposal.survivor_id = ProposalStatus.ACCEPTED, survivor
        for o in m.others:
            o.status, o.merged_into_id = InspectionStatus.MERGED, survivor

    def detail(m: _Merge) -> dict[str, Any]:
        return {
            "proposal": m.proposal.pk,
            "merged": sorted(o.pk for o in m.others),
            "checks": sorted(moved_checks[m.survivor.pk]),
            "officers": sorted(moved_officers[m.survivor.pk]),
        }

    if one_entry:
        record_append(
            actor=user,
            action="inspection.merge.bulk",
            object_type="inspections.inspection",
            object_id=merges[0].survivor.pk,
            changes={"merges": {str(m.survivor.pk): detail(m) for m in merges}},
        )
    else:
        for m in merges:
            record_append(actor=user, action="inspection.merge", obj=m.survivor, changes=detail(m))
    # HOOK(lead, issue 19): after a merge, apply the yearly caps (caps helper) and 结果互认 (joint helper) to
    # the surviving visits: ``[m.survivor for m in merges]``. Not wired here on purpose — neither exists on
    # this branch, and the simulation counts only what is built.


def _load(proposals: Sequence[MergeProposal]) -> tuple[dict[int, list[Inspection]], dict[int, list]]:
    through = MergeProposal.inspections.through
    links: list[tuple[int, int]] = []
    for chunk in _chunks([p.pk for p in proposals]):
        links.extend(
            through.objects.filter(mergeproposal_id__in=chunk).values_list(
                "mergeproposal_id", "inspection_id"
            )
        )
    ids = [i for _, i in links]
    visits: dict[int, Inspection] = {}
    for chunk in _chunks(ids):
        visits.update(
            (v.pk, v)
            for v in Inspection.objects.select_for_update(of=("self",))
            .filter(pk__in=chunk)
            .only("pk", "party_id", "agency_id", "status", "scheduled_on", "merged_into_id")
        )
    periods: dict[int, list] = defaultdict(list)
    for chunk in _chunks(ids):
        for inspection_id, start, end in InspectionCheck.objects.filter(
            inspection_id__in=chunk, task__isnull=False
        ).values_list("inspection_id", "task__starts_on", "task__ends_on"):
            periods[inspection_id].append((start, end))
    by_proposal: dict[int, list[Inspection]] = defaultdict(list)
    for proposal_id, inspection_id in links:
        by_proposal[proposal_id].append(visits[inspection_id])
    return by_proposal, periods


@service
def visit_merge(user: User, proposal: MergeProposal, *, now: dt.datetime | None = None) -> Inspection:
    """合并检查 — merge the proposal's visits into one joint visit (综合查一次); returns the surviving visit.

    Refused: a proposal not open, an actor of no agency involved, fewer than every agency agreed, a visit
    already checked in (or merged), visits of different parties, dates out of the window or out of a task's
    period, two visits checking the same item of the same agency.
    """
    proposal = _locked(proposal)
    _acting_agencies(user, proposal)
    involved = set(proposal.agencies.values_list("pk", flat=True))
    if not involved <= set(proposal.agreed_agency_ids):
        raise RuleViolation(
            "尚有涉及部门未同意合并。", "Not every agency involved has agreed.", code="not_agreed"
        )
    by_proposal, periods = _load([proposal])
    merge = _checked(proposal, by_proposal.get(proposal.pk, []), periods)
    _apply([merge], user, _now(now))
    return merge.survivor


@dataclass(frozen=True)
class AcceptAllResult:
    agreed: int
    merged: int
    skipped: dict[str, int]


@service
def merge_proposals_accept_all(
    user: User, *, agency: Agency, due_by: dt.date | None = None, now: dt.datetime | None = None
) -> AcceptAllResult:
    """全部同意 — the agency agrees to every open proposal involving it (due by ``due_by`` if given).

    The same rule as :func:`merge_proposal_accept`, for many proposals in one transaction: a proposal every
    agency has now agreed to is merged at once; one whose guards fail is left open and counted by reason.
    """
    perms.require(user, rules.MANAGE_TASK, agency)
    at = _now(now)
    qs = MergeProposal.objects.select_for_update().filter(status=ProposalStatus.OPEN, agencies=agency)
    if due_by is not None:
        qs = qs.filter(first_due__lte=due_by)
    proposals = list(qs.order_by("pk"))
    if not proposals:
        return AcceptAllResult(0, 0, {})
    agency_through = MergeProposal.agencies.through
    involved: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks([p.pk for p in proposals]):
        for proposal_id, agency_id in agency_through.objects.filter(mergeproposal_id__in=chunk).values_list(
            "mergeproposal_id", "agency_id"
        ):
            involved[proposal_id].add(agency_id)
    ready: list[MergeProposal] = []
    by_value: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for p in proposals:
        p.agreed_agency_ids = sorted({*p.agreed_agency_ids, agency.pk})
        by_value[tuple(p.agreed_agency_ids)].append(p.pk)
        if involved[p.pk] <= set(p.agreed_agency_ids):
            ready.append(p)
    for value, ids in by_value.items():  # one UPDATE per distinct list of agreeing agencies
        for chunk in _chunks(ids):
            MergeProposal.objects.filter(pk__in=chunk).update(agreed_agency_ids=list(value))
    record_append(
        actor=user,
        action="inspection.merge.agree_all",
        obj=agency,
        changes={"agency": agency.pk, "proposals": [p.pk for p in proposals]},
    )
    by_proposal, periods = _load(ready)
    merges: list[_Merge] = []
    skipped: dict[str, int] = defaultdict(int)
    for p in ready:
        try:
            merges.append(_checked(p, by_proposal.get(p.pk, []), periods))
        except RuleViolation as exc:
            skipped[exc.code] += 1
    _apply(merges, user, at, one_entry=True)
    return AcceptAllResult(len(proposals), len(merges), dict(skipped))


def proposal_for(user: User, pk: int) -> MergeProposal:
    """The proposal if the user sees an agency involved in it, else 404."""
    proposal = MergeProposal.objects.filter(pk=pk).select_related("party").first()
    if proposal is None or not any(perms.can(user, rules.VIEW, a) for a in proposal.agencies.all()):
        raise NotFound("合并检查建议不存在或不在您的数据范围内。", "Merge proposal not found.")
    return proposal


__all__ = [
    "AcceptAllResult",
    "merge_proposal_accept",
    "merge_proposal_decline",
    "merge_proposals_accept_all",
    "merge_proposals_refresh",
    "proposal_for",
    "visit_merge",
]
