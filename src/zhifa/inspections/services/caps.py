"""年度检查上限、无事不扰、检查触发来源: the yearly caps per region, the guards of routine visits, and the
triggers that exempt an inspection from them.

《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）: 行政检查对同一企业的年度频次应设限 (a
yearly cap per enterprise, published by each place); 咸宁 for example: 原则上每年同一行政执法主体对同一企业
开展的行政检查总数不得超过 2 次. Inspections on a complaint, a referral or a lead (投诉举报、转办移送、问题线索)
are not routine: they are allowed beyond the cap and on an enterprise of the 无事不扰 list, and carry their
trigger and its reference on the task, the inspection and the ledger.

What counts as a visit (一次入企): an on-site inspection (``mode = onsite``) of the enterprise in the calendar
year — entered that year, or still planned for a day of that year. A joint visit (综合查一次: one inspection,
several agencies' checks) counts once for the enterprise and once for each agency taking part. A 非现场检查
(``mode = remote``) is no visit. Triggered visits count too: they did bring officers into the enterprise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.inspections import conf, rules
from zhifa.inspections.models import (
    Inspection,
    InspectionMode,
    InspectionStatus,
    NoDisturbEntry,
    TriggerKind,
    VisitCap,
)
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Party, Region, User
from zhifa.records.services import record_append

MAX_CAP = 50


@dataclass(frozen=True)
class CapsInForce:
    """The caps of one place and year: ``None`` is no cap; ``region`` is where they were set (``None``: the
    platform default, ``ZHIFA_INSPECTION_VISIT_CAP_PER_*``)."""

    year: int
    per_agency: int | None
    per_enterprise: int | None
    region: Region | None


@dataclass(frozen=True)
class VisitCount:
    """How often an enterprise has been (or is planned to be) visited in a year, against its caps."""

    caps: CapsInForce
    by_agency: int
    total: int
    trigger: str

    @property
    def agency_reached(self) -> bool:
        return self.caps.per_agency is not None and self.by_agency >= self.caps.per_agency

    @property
    def enterprise_reached(self) -> bool:
        return self.caps.per_enterprise is not None and self.total >= self.caps.per_enterprise


def _codes(path: str) -> list[str]:
    return [c for c in path.strip("/").split("/") if c]


def caps_for(region_path: str, year: int) -> CapsInForce:
    """The caps in force for a place: its own row for the year, else the nearest parent's, else the default."""
    codes = _codes(region_path)
    rows = list(VisitCap.objects.filter(region__code__in=codes, year=year).select_related("region"))
    if rows:
        row = max(rows, key=lambda r: len(r.region.path))
        return CapsInForce(year, row.per_agency, row.per_enterprise, row.region)
    per_agency = conf.number("ZHIFA_INSPECTION_VISIT_CAP_PER_AGENCY")
    per_enterprise = conf.number("ZHIFA_INSPECTION_VISIT_CAP_PER_ENTERPRISE")
    return CapsInForce(year, per_agency or None, per_enterprise or None, None)


def visits_in_year(year: int) -> QuerySet[Inspection]:
    """On-site visits of a calendar year: entered in it, or still planned for a day in it."""
    return Inspection.objects.filter(mode=InspectionMode.ONSITE).filter(
        Q(inspected_year=year)
        | Q(
            inspected_year__isnull=True,
            status=InspectionStatus.PLANNED,
            scheduled_on__gte=dt.date(year, 1, 1),
            scheduled_on__lte=dt.date(year, 12, 31),
        )
    )


def _agency_q(agency_id: int) -> Q:
    return Q(agency_id=agency_id) | Q(checks__agency_id=agency_id)


def visit_count(agency: Agency, party: Party, on: dt.date, *, trigger: str = "") -> VisitCount:
    """The year's visits of ``party`` (all agencies) and by ``agency``, with the caps of the party's place."""
    visits = visits_in_year(on.year).filter(party_id=party.pk)
    total = visits.count()
    by_agency = visits.filter(_agency_q(agency.pk)).values("pk").distinct().count()
    return VisitCount(caps_for(party.region_path, on.year), by_agency, total, trigger)


def _trigger(trigger: str | None) -> str:
    value = trigger or ""
    if value not in TriggerKind.values:
        raise InvalidInput("检查触发来源无效。", "Unknown trigger kind.", field="trigger_kind")
    return value


def visit_cap_check(agency: Agency, party: Party, on: dt.date, *, trigger: str | None = None) -> VisitCount:
    """年度检查上限 — may ``agency`` make one more routine visit to ``party`` in ``on``'s year?

    Raises ``RuleViolation`` (``visit_cap_reached``) when the visit would go beyond the agency's or the
    enterprise's cap of the party's place; a triggered inspection (``trigger``: 投诉举报, 转办移送, 线索) is
    never refused and gets the counts back.
    """
    count = visit_count(agency, party, on, trigger=_trigger(trigger))
    if count.trigger:
        # The cap bounds routine checks (国办发〔2024〕54号: 行政检查对同一企业的年度频次应设限); a check on a
        # complaint, referral or lead is individual (个案检查) and answers the trigger, so it is not refused.
        return count
    caps = count.caps
    where = caps.region.name if caps.region else "本平台"
    if count.agency_reached:
        raise RuleViolation(
            f"已达年度检查上限：{agency.name}{on.year} 年已对{party.name}入企检查 {count.by_agency} 次，"
            f"{where}规定同一部门对同一企业每年不超过 {caps.per_agency} 次。"
            "日常检查不予报备；有投诉举报、转办移送或问题线索的，请注明触发来源。",
            f"Yearly cap reached: {count.by_agency} visits of this agency (cap {caps.per_agency}).",
            code="visit_cap_reached",
            field="party_id",
        )
    if count.enterprise_reached:
        raise RuleViolation(
            f"已达年度检查上限：{party.name}{on.year} 年已接受入企检查 {count.total} 次，"
            f"{where}规定同一企业每年不超过 {caps.per_enterprise} 次。"
            "日常检查不予报备；有投诉举报、转办移送或问题线索的，请注明触发来源。",
            f"Yearly cap reached: {count.total} visits of this enterprise (cap {caps.per_enterprise}).",
            code="visit_cap_reached",
            field="party_id",
        )
    return count


def no_disturb_entry(party: Party, on: dt.date) -> NoDisturbEntry | None:
    """The party's 无事不扰 entry in force on ``on`` (valid through its ``until`` day), if any."""
    return (
        NoDisturbEntry.objects.filter(party_id=party.pk)
        .filter(Q(until__isnull=True) | Q(until__gte=on))
        .first()
    )


def no_disturb_check(party: Party, on: dt.date, *, trigger: str | None = None) -> None:
    """无事不扰 — a listed enterprise gets no routine visit; a triggered one passes (``no_disturb``)."""
    if _trigger(trigger):
        return
    entry = no_disturb_entry(party, on)
    if entry is not None:
        # 无事不扰 (国办发〔2024〕54号 and the local plans that follow it, e.g. 大冶市“管住风险、无事不扰、有呼必应”):
        # no routine visit to a listed low-risk enterprise; a complaint, referral or lead is still answered.
        raise RuleViolation(
            f"{party.name}列入“无事不扰”名单（{entry.reason}），不安排日常检查；"
            "有投诉举报、转办移送或问题线索的，请注明触发来源。",
            "The enterprise is on the no-disturb list: no routine visits.",
            code="no_disturb",
            field="party_id",
        )


def routine_visit_check(agency: Agency, party: Party, on: dt.date, *, trigger: str | None = None) -> None:
    """Both guards of a routine visit: 无事不扰 first, then the yearly caps."""
    no_disturb_check(party, on, trigger=trigger)
    visit_cap_check(agency, party, on, trigger=trigger)


def capped_parties(agency_id: int, parties: Iterable[tuple[int, str]], year: int) -> set[int]:
    """Of ``(party id, region path)`` pairs, those already at a cap of ``year`` for one more routine visit of
    the agency — the draw leaves them out (two grouped queries, whatever the pool's size)."""
    pairs = list(parties)
    if not pairs:
        return set()
    caps = {path: caps_for(path, year) for path in {p for _, p in pairs}}
    if all(c.per_agency is None and c.per_enterprise is None for c in caps.values()):
        return set()
    ids = [pk for pk, _ in pairs]
    visits = visits_in_year(year).filter(party_id__in=ids)
    total: dict[int, int] = defaultdict(int)
    for row in visits.values("party_id").annotate(n=Count("id", distinct=True)):
        total[row["party_id"]] = row["n"]
    by_agency: dict[int, int] = defaultdict(int)
    for row in visits.filter(_agency_q(agency_id)).values("party_id").annotate(n=Count("id", distinct=True)):
        by_agency[row["party_id"]] = row["n"]
    out = set()
    for pk, path in pairs:
        c = caps[path]
        if (c.per_agency is not None and by_agency[pk] >= c.per_agency) or (
            c.per_enterprise is not None and total[pk] >= c.per_enterprise
        ):
            out.add(pk)
    return out


@service
def visit_cap_set(
    user: User,
    region: Region,
    *,
    year: int,
    per_agency: int,
    per_enterprise: int,
    basis: str = "",
) -> VisitCap:
    """设定年度检查上限 — the judicial bureau (supervisor) of a place sets its caps for a year."""
    perms.require(user, rules.MANAGE_VISIT_CAPS, region)
    if not 2000 <= year <= 2100:
        raise InvalidInput("年度无效。", "Invalid year.", field="year")
    for field, value in (("per_agency", per_agency), ("per_enterprise", per_enterprise)):
        if not 1 <= value <= MAX_CAP:
            raise InvalidInput(
                f"上限须为 1 至 {MAX_CAP} 次。", f"A cap is 1 to {MAX_CAP} visits.", field=field
            )
    if per_enterprise < per_agency:
        raise InvalidInput(
            "同一企业的年度总数上限不能小于同一部门的上限。",
            "The enterprise cap cannot be below the per-agency cap.",
            field="per_enterprise",
        )
    cap, created = VisitCap.objects.update_or_create(
        region=region,
        year=year,
        defaults={
            "per_agency": per_agency,
            "per_enterprise": per_enterprise,
            "basis": basis.strip()[:300],
            "set_by": user,
        },
    )
    record_append(
        actor=user,
        action="inspection.visit_cap.set",
        obj=cap,
        changes={
            "region": region.pk,
            "year": year,
            "per_agency": per_agency,
            "per_enterprise": per_enterprise,
            "basis": cap.basis,
            "created": created,
        },
    )
    return cap
