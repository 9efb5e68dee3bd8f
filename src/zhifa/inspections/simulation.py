"""``zhifa simulate-inspections`` — a synthetic county's year of inspections, with and without zhifa.

Runs in a child process whose database is a throwaway SQLite file (see the management command): it builds
``N`` enterprises with industries and credit classes, ``M`` agencies with officers, items and approved annual
plans whose ratios follow the credit class, then runs the year quarter by quarter through the production
services: ``task_create_random`` and the real ``task_draw`` (which makes the merge proposals,
``merge_proposals_refresh``), a few filed triggered inspections (``task_file``: complaints), and each agency
head's ``merge_proposals_accept_all``.

The old way (independent) uses the very same draws: every drawn (agency, enterprise, quarter of the planned
date) is a visit, and every triggered inspection is a visit. zhifa's way counts the visits left after the
merges. Both count the same planned checks (one per drawn enterprise and task).

The county's calendar: each industry has a campaign quarter in which every agency concerned runs its random
check of that industry (统筹 of the annual plans, as 国办发〔2024〕54号 asks of the county's plans); the plans
are the same in both modes, only their execution differs.

Determinism: the draws' secrets come from the seed and the clock of the child process is a counter, so the
ledger (and so every draw seed) is the same for the same seed, N and M.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from zhifa.core import clock
from zhifa.inspections import services
from zhifa.inspections.models import (
    Inspection,
    InspectionCheck,
    InspectionItem,
    InspectionStatus,
    PartyDomainTag,
    TaskKind,
)
from zhifa.inspections.services import tasks as task_services
from zhifa.org.domains import ensure_domains
from zhifa.org.models import (
    Agency,
    Certificate,
    CreditClass,
    Domain,
    Officer,
    Party,
    Region,
    RegionLevel,
    Role,
    RoleAssignment,
    ScopeKind,
    User,
)

YEAR = 2026
INDUSTRIES = (
    "餐饮",
    "食品销售",
    "零售",
    "住宿",
    "建筑施工",
    "化工",
    "机械制造",
    "交通运输",
    "医疗机构",
    "娱乐场所",
    "仓储物流",
    "农业生产",
)
AGENCY_NAMES = (
    "市场监督管理局",
    "应急管理局",
    "生态环境分局",
    "卫生健康局",
    "住房和城乡建设局",
    "交通运输局",
    "人力资源和社会保障局",
    "文化和旅游局",
    "农业农村局",
    "商务局",
    "自然资源局",
    "水利局",
    "综合行政执法局",
    "教育局",
    "民政局",
    "林业局",
    "税务局",
    "公安局",
    "消防救援大队",
    "城市管理局",
)
# Credit classes of the county's enterprises (A best … D worst) and the plans' ratios (percent) per class.
CREDIT_MIX = (("A", 0.20), ("B", 0.50), ("C", 0.20), ("D", 0.10))
RATIOS = {"A": Decimal(5), "B": Decimal(15), "C": Decimal(30), "D": Decimal(60)}
COVERAGE = 0.7  # chance that an agency's items apply to an industry (the first agency covers all)
OFFICERS_PER_AGENCY = 3
TRIGGERED_PER_1000 = 2


class _CounterClock:
    """A clock that ticks one millisecond per reading from a fixed start: the ledger re-runs identically."""

    def __init__(self, start: dt.datetime) -> None:
        self.at = start

    def __call__(self) -> dt.datetime:
        self.at += dt.timedelta(milliseconds=1)
        return self.at

    def jump(self, to: dt.datetime) -> None:
        self.at = max(self.at, to)


class _SeededSecrets:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def token_bytes(self, n: int) -> bytes:
        return self.rng.randbytes(n)


def _quarter_days(q: int) -> tuple[dt.date, dt.date]:
    start = dt.date(YEAR, 3 * q - 2, 1)
    end = dt.date(YEAR + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    return start, end


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def _grant(user: User, role: str, agency: Agency) -> None:
    RoleAssignment.objects.create(user=user, role=role, scope=ScopeKind.OWN_AGENCY, agency=agency)


def _build(n: int, m: int, rng: random.Random) -> dict[str, Any]:
    ensure_domains()
    domains = list(Domain.objects.exclude(code="judicial").order_by("sort", "pk"))
    while len(domains) < m:
        k = len(domains)
        domains.append(Domain.objects.create(code=f"sim{k}", name=f"模拟领域{k}", sort=100 + k))
    province = Region.objects.create(code="990000", name="模拟省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(code="990100", name="模拟市", level=RegionLevel.CITY, parent=province)
    county = Region.objects.create(code="990102", name="模拟县", level=RegionLevel.COUNTY, parent=city)
    agencies: list[Agency] = []
    heads: dict[int, User] = {}
    officers: dict[int, list[Officer]] = {}
    coverage: dict[int, list[str]] = {}
    for i in range(m):
        agency = Agency.objects.create(
            name=f"模拟县{AGENCY_NAMES[i % len(AGENCY_NAMES)]}", uscc=f"SIM{i:015d}", region=county
        )
        agency.domains.add(domains[i])
        agencies.append(agency)
        head = User.objects.create(username=f"sim-head-{i}", full_name=f"局长{i}")
        _grant(head, Role.AGENCY_HEAD, agency)
        heads[agency.pk] = head
        team = []
        for j in range(OFFICERS_PER_AGENCY):
            user = User.objects.create(username=f"sim-officer-{i}-{j}", full_name=f"检查员{i}-{j}")
            _grant(user, Role.OFFICER, agency)
            officer = Officer.objects.create(
                user=user, name=f"检查员{i}-{j}", id_number=f"99010219800101{i:02d}{j:02d}", agency=agency
            )
            cert = Certificate.objects.create(
                officer=officer,
                number=f"SIM{i:04d}{j:04d}",
                issuer="模拟县人民政府",
                issued_on=dt.date(YEAR - 2, 1, 1),
                expires_on=dt.date(YEAR + 3, 12, 31),
            )
            cert.domains.add(domains[i])
            team.append(officer)
        officers[agency.pk] = team
        covered = [ind for ind in INDUSTRIES if i == 0 or rng.random() < COVERAGE]
        coverage[agency.pk] = covered or [rng.choice(INDUSTRIES)]
    classes = [c for c, _ in CREDIT_MIX]
    weights = [w for _, w in CREDIT_MIX]
    now = clock.now()
    parties = [
        Party(
            kind="legal_person",
            name=f"模拟企业{k:06d}",
            uscc=f"91990102{k:010d}",
            region=county,
            region_path=county.path,
            industry=rng.choice(INDUSTRIES),
            credit_class=rng.choices(classes, weights)[0],
            created_at=now,
        )
        for k in range(n)
    ]
    Party.objects.bulk_create(parties, batch_size=2000)
    rows = list(Party.objects.filter(region=county).values_list("pk", "industry"))
    tags = [
        PartyDomainTag(party_id=pk, domain=domains[i])
        for i, agency in enumerate(agencies)
        for pk, industry in rows
        if industry in coverage[agency.pk]
    ]
    PartyDomainTag.objects.bulk_create(tags, batch_size=5000)
    assert set(CreditClass.values) == set(classes)
    return {
        "county": county,
        "agencies": agencies,
        "domains": domains,
        "heads": heads,
        "officers": officers,
        "coverage": coverage,
        "party_ids": [pk for pk, _ in rows],
        "industry_of": dict(rows),
    }


def _plans(world: dict[str, Any]) -> list[tuple[Any, int]]:
    """Each agency's approved annual plan: one item per campaign quarter, over its industries of that quarter."""
    campaign = {ind: i % 4 + 1 for i, ind in enumerate(INDUSTRIES)}
    plan_items: list[tuple[Any, int]] = []
    for i, agency in enumerate(world["agencies"]):
        head = world["heads"][agency.pk]
        at = _at(dt.date(YEAR, 1, 5))
        plan = services.plan_create(head, agency=agency, year=YEAR, title=f"{YEAR} 年度涉企检查计划")
        for q in range(1, 5):
            industries = [ind for ind in world["coverage"][agency.pk] if campaign[ind] == q]
            if not industries:
                continue
            item = InspectionItem.objects.create(
                agency=agency,
                code=f"SIM-{i:02d}-{q}",
                name=f"{'、'.join(industries)}经营主体检查",
                domain=world["domains"][i],
                legal_basis="《模拟监管条例》第十条",
            )
            plan_item = services.plan_item_add(
                head,
                plan,
                item=item,
                ratios=RATIOS,
                quarters=str(q),
                industries=",".join(industries),
            )
            plan_items.append((plan_item, q))
        services.plan_approve(head, plan, now=at)
    return plan_items


def run(n: int, m: int, seed: int) -> dict[str, Any]:
    """Build the county and run its year; returns the figures (the command prints them as JSON)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    rng = random.Random(seed)  # noqa: S311 -- a synthetic county, repeatable by design
    sim_clock = _CounterClock(_at(dt.date(YEAR, 1, 2)))
    # Only in the simulation's own process: a counter clock and seeded secrets make the year repeatable.
    clock.now = sim_clock
    task_services.secrets = _SeededSecrets(random.Random(seed + 1))  # type: ignore[assignment]  # noqa: S311
    world = _build(n, m, rng)
    plan_items = _plans(world)
    independent: set[tuple[int, int, int]] = set()  # (agency, party, quarter)
    planned_independent = 0
    triggered = 0
    merges = 0
    trigger_rng = random.Random(seed + 2)  # noqa: S311
    for q in range(1, 5):
        start, end = _quarter_days(q)
        sim_clock.jump(_at(start))
        tasks = [
            services.task_create_random(
                world["heads"][pi.plan.agency_id],
                plan_item=pi,
                title=f"第{q}季度{pi.item.name}",
                starts_on=start,
                ends_on=end,
                quarter=q,
                now=_at(start),
            )
            for pi, quarter in plan_items
            if quarter == q
        ]
        for task in tasks:
            services.task_draw(world["heads"][task.agency_id], task, now=_at(start, 10))
            rows = Inspection.objects.filter(task=task).values_list("agency_id", "party_id", "scheduled_on")
            for agency_id, party_id, day in rows:
                assert day is not None  # a draw plans every visit
                independent.add((agency_id, party_id, _quarter_of(day)))
                planned_independent += 1
        # Triggered inspections (complaints) of the quarter: each a visit in both modes.
        for _ in range(max(1, n * TRIGGERED_PER_1000 // 1000 // 4)):
            agency = trigger_rng.choice(world["agencies"])
            party_id = trigger_rng.choice(world["party_ids"])
            day = start + dt.timedelta(days=trigger_rng.randrange((end - start).days - 10))
            item = InspectionItem.objects.filter(agency=agency).order_by("code").first()
            if item is None:
                continue
            services.task_file(
                world["heads"][agency.pk],
                agency=agency,
                item=item,
                kind=TaskKind.COMPLAINT,
                party=Party.objects.get(pk=party_id),
                officer_ids=[o.pk for o in world["officers"][agency.pk][:2]],
                title="投诉举报核查",
                reason="12345 热线投诉",
                starts_on=day,
                ends_on=day + dt.timedelta(days=10),
                now=_at(day, 8),
            )
            triggered += 1
        # Each agency head agrees to the quarter's proposals at once (全部同意); the last one merges.
        for agency in world["agencies"]:
            result = services.merge_proposals_accept_all(
                world["heads"][agency.pk], agency=agency, now=_at(start + dt.timedelta(days=7))
            )
            merges += result.merged
        # HOOK(lead, issue 19): caps (caps helper), joint draws and 结果互认 (joint helper) run here once wired.
    random_checks = InspectionCheck.objects.filter(task__kind=TaskKind.RANDOM)
    planned_zhifa = random_checks.count()
    uninspected = (
        random_checks.filter(
            Q(inspection__status=InspectionStatus.MERGED)
            | Q(inspection__scheduled_on__lt=F("task__starts_on"))
            | Q(inspection__scheduled_on__gt=F("task__ends_on"))
        )
        .values("pk")
        .count()
    )
    per_party_independent: Counter[int] = Counter(p for _, p, _ in independent)
    per_party_independent.update(
        Inspection.objects.exclude(kind=TaskKind.RANDOM).values_list("party_id", flat=True)
    )
    per_party_zhifa: Counter[int] = Counter(
        Inspection.objects.exclude(status=InspectionStatus.MERGED).values_list("party_id", flat=True)
    )
    visits_independent = len(independent) + triggered
    visits_zhifa = sum(per_party_zhifa.values())

    def histogram(counts: Counter[int]) -> dict[str, int]:
        hist: dict[int, int] = defaultdict(int)
        for pk in world["party_ids"]:
            hist[counts.get(pk, 0)] += 1
        return {str(k): hist[k] for k in sorted(hist)}

    return {
        "enterprises": n,
        "agencies": m,
        "seed": seed,
        "planned_checks_independent": planned_independent,
        "planned_checks_zhifa": planned_zhifa,
        "visits_independent": visits_independent,
        "visits_zhifa": visits_zhifa,
        "reduction": round(1 - visits_zhifa / visits_independent, 4) if visits_independent else 0.0,
        "planned_checks_uninspected": uninspected,
        "max_visits_per_enterprise_independent": max(per_party_independent.values(), default=0),
        "max_visits_per_enterprise_zhifa": max(per_party_zhifa.values(), default=0),
        "triggered_inspections": triggered,
        "merges": merges,
        "visits_per_enterprise_independent": histogram(per_party_independent),
        "visits_per_enterprise_zhifa": histogram(per_party_zhifa),
        "seconds": round(time.perf_counter() - started, 2),
        # CPU time of the simulation's process: on a shared machine wall time also counts the others' load.
        "cpu_seconds": round(time.process_time() - cpu_started, 2),
    }
