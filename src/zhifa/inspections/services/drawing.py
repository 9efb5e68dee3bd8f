"""双随机抽取: the party pool, the shares by stratum, the inspector directory and the recorded draw."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from zhifa.core.errors import RuleViolation
from zhifa.core.transactions import service
from zhifa.inspections import conf, draw, rules
from zhifa.inspections.models import (
    DrawRecord,
    Inspection,
    InspectionCheck,
    InspectionOfficer,
    InspectionStatus,
    InspectionTask,
    JointPart,
    NoDisturbEntry,
    PartyDomainTag,
    TaskKind,
    TaskStatus,
)
from zhifa.inspections.services._common import _now, lead_checks_create
from zhifa.inspections.services.caps import capped_parties
from zhifa.inspections.services.matching import merge_proposals_refresh
from zhifa.inspections.services.tasks import _conflicted, _qualified
from zhifa.inspections.warnings import day_number
from zhifa.org import permissions as perms
from zhifa.org.models import Officer, Party, User
from zhifa.records.selectors import latest_signed_head
from zhifa.records.services import ledger_sign, record_append


@dataclass(frozen=True)
class PartyPool:
    strata: dict[str, list[str]]
    excluded: dict[str, int]


def party_pool(task: InspectionTask, on: dt.date) -> PartyPool:
    """The candidates of a random task's draw, by stratum, after the exclusions (sorted candidate ids).

    Candidates: parties in the directory of the item's domain (``PartyDomainTag``) within the agency's region,
    in the plan item's industries. Left out, in this order and each counted once: the no-disturb list
    (无事不扰), parties inspected for the same item within the configured period or already waiting for an
    inspection of it, and parties at a yearly cap (年度检查上限) of the draw's year for the task's agency.
    """
    item = task.item
    # 跨部门联合抽查: the parties in the directory of any participating item's domain, in the task's industries.
    domains = {item.domain_id, *task.parts.values_list("item__domain_id", flat=True)}
    rows = Party.objects.filter(
        region_path__startswith=task.agency.region.path,
        pk__in=PartyDomainTag.objects.filter(domain_id__in=domains).values("party_id"),
    )
    industries = [
        i.strip()
        for i in (task.industries or (task.plan_item.industries if task.plan_item else "")).split(",")
        if i.strip()
    ]
    if industries:
        rows = rows.filter(industry__in=industries)
    candidates = list(rows.values_list("pk", "credit_class", "industry", "region_path"))
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
    # And by the checks: a check moved into a merged (joint) visit led by another item still counts.
    recent |= set(
        InspectionCheck.objects.filter(item_id=item.pk)
        .filter(Q(inspection__inspected_day__gt=cutoff) | Q(inspection__status=InspectionStatus.PLANNED))
        .values_list("inspection__party_id", flat=True)
    )
    capped = capped_parties(
        task.agency_id,
        [(pk, path) for pk, _, _, path in candidates if pk not in no_disturb and pk not in recent],
        on.year,
    )
    strata: dict[str, list[str]] = {}
    excluded = {"no_disturb": 0, "recently_inspected": 0, "visit_cap": 0}
    for pk, credit_class, industry, _path in candidates:
        if pk in no_disturb:
            excluded["no_disturb"] += 1
            continue
        if pk in recent:
            excluded["recently_inspected"] += 1
            continue
        if pk in capped:
            excluded["visit_cap"] += 1
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


def joint_directories(
    task: InspectionTask, parts: Sequence[JointPart], on: dt.date
) -> dict[int, dict[int, str]]:
    """Per agency of a joint draw: its active officers with a certificate valid on ``on`` for the domain of every
    one of its items (officer id → the certificate number)."""
    result: dict[int, dict[int, str]] = {}
    for agency_id in sorted({p.agency_id for p in parts}):
        officers = list(Officer.objects.filter(agency_id=agency_id, is_active=True, is_auxiliary=False))
        allowed: dict[int, str] | None = None
        for part in (p for p in parts if p.agency_id == agency_id):
            ok = _qualified(officers, part.item.domain, on)
            allowed = ok if allowed is None else {o: c for o, c in allowed.items() if o in ok}
        result[agency_id] = allowed or {}
    return result


def _draw_head(task: InspectionTask) -> Any:
    """The latest signed ledger head, signed now if none yet covers the task's commitment entry."""
    head = latest_signed_head()
    if head is None or task.commitment_seq is None or head.tree_size <= task.commitment_seq:
        head = ledger_sign()
    return head


@service
def task_draw(user: User, task: InspectionTask, *, now: dt.datetime | None = None) -> DrawRecord:
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
    parts = list(task.parts.select_related("item__domain"))
    if parts:
        directories = joint_directories(task, parts, on)
        directory = {o: c for d in directories.values() for o, c in d.items()}
    else:
        directory = inspector_directory(task, on)
    directory_pool = sorted(str(pk) for pk in directory)
    k_team = task.inspectors_per_inspection
    if len(directory_pool) < k_team:
        raise RuleViolation(
            f"执法检查人员名录库中具备资格的人员不足 {k_team} 人。",
            f"Fewer than {k_team} qualified inspectors.",
            code="too_few_inspectors",
        )
    # A joint draw's teams: one per party and agency, labelled ``inspectors/<party>/<agency>``, each from that
    # agency's own qualified officers (the same ``select`` and ``stratum_seed``; ``draw.rerun`` is unchanged).
    team_pools = (
        {f"/{a}": sorted(str(o) for o in d) for a, d in sorted(directories.items())}
        if parts
        else {"": directory_pool}
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
        for suffix, officers_pool in team_pools.items():
            label = f"inspectors/{party_id}{suffix}"
            team_pool = [o for o in officers_pool if (int(o), int(party_id)) not in conflicts]
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
    lead_checks_create(by_party.values())
    if parts:
        InspectionCheck.objects.bulk_create(
            [
                InspectionCheck(inspection=i, agency_id=p.agency_id, item_id=p.item_id, task=task)
                for i in by_party.values()
                for p in parts
            ],
            ignore_conflicts=True,
        )
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
    # 自动匹配: the drawn parties' planned visits of other agencies within the window become merge proposals.
    merge_proposals_refresh(by_party.keys(), actor=user, now=at)
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
    entry = record_append(actor=user, action="inspection.draw", obj=task, changes=changes, sequenced=True)
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
