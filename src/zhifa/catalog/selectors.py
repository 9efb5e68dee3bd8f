"""Reads of the catalog and the four lists. The first four functions are contracts other apps call."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhifa.cases.models import FINISHED_STAGES, Case, Stage
from zhifa.catalog import rules
from zhifa.catalog.models import (
    CatalogItem,
    Confirmation,
    ConfirmationKind,
    ConfirmationState,
    ItemKind,
    LenientDecision,
    LenientEntry,
    LenientEntryItem,
    LenientKind,
)
from zhifa.core import clock
from zhifa.core.flags import FlagCandidate
from zhifa.org import permissions as perms
from zhifa.org.models import Agency

if TYPE_CHECKING:
    from zhifa.cases.models import Case
    from zhifa.org.models import User


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _in_force(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}effective_from__lte": on}) & (
        Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gte": on})
    )


def catalog_item_in_force(agency: Agency | int, code: str, on: dt.date) -> CatalogItem | None:
    """The version of ``agency``'s item ``code`` in force on ``on`` (at most one: versions never overlap)."""
    if not code:
        return None
    return (
        CatalogItem.objects.filter(_in_force(on), agency_id=_pk(agency), code=code)
        .select_related("agency", "domain")
        .first()
    )


def catalog_for_agency(agency: Agency | int, on: dt.date | None = None) -> QuerySet[CatalogItem]:
    """行政执法事项目录 — the agency's items in force on ``on`` (today by default), by code."""
    on = on or clock.today()
    return (
        CatalogItem.objects.filter(_in_force(on), agency_id=_pk(agency))
        .select_related("domain")
        .order_by("code")
    )


def agency_has_catalog(agency: Agency | int, on: dt.date) -> bool:
    """Has the agency any item in force on ``on``? Without one its cases are not gated, only flagged."""
    return CatalogItem.objects.filter(_in_force(on), agency_id=_pk(agency)).exists()


def public_catalog(
    *, agency: Any = None, domain: Any = None, kind: str | None = None, on: dt.date | None = None
) -> QuerySet[CatalogItem]:
    """权责清单公示 — items in force on ``on`` (today), optionally of one agency, domain or kind."""
    on = on or clock.today()
    qs = CatalogItem.objects.filter(_in_force(on), agency__is_active=True)
    if agency is not None:
        qs = qs.filter(agency_id=_pk(agency))
    if domain is not None:
        qs = qs.filter(domain_id=_pk(domain))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("agency", "domain").order_by("agency__region__code", "agency__name", "code")


def item_versions(agency: Agency | int, code: str) -> QuerySet[CatalogItem]:
    return CatalogItem.objects.filter(agency_id=_pk(agency), code=code).order_by("-version")


def entries_for_item(item: CatalogItem, on: dt.date | None = None) -> QuerySet[LenientEntry]:
    """The list entries tied to the item's code that reach its agency (its own, or its region's government)."""
    qs = LenientEntry.objects.filter(items__code=item.code).filter(_issuer_reaches(item.agency))
    if on is not None:
        qs = qs.filter(_in_force(on))
    return qs.distinct().prefetch_related("items").order_by("kind", "number")


def _issuer_reaches(agency: Agency) -> Q:
    # An agency's own list, or a list a government issued for the agency's region or a region above it.
    region_codes = [c for c in agency.region.path.strip("/").split("/") if c]
    return Q(agency_id=agency.pk) | Q(agency__isnull=True, region__code__in=region_codes)


def _case_dates(case: Case, on: dt.date | None) -> list[dt.date]:
    # 行政处罚法 第三十七条 (从旧兼从轻): a list in force when the act was done or now (the party's benefit).
    dates = [d for d in (case.act_date, on or clock.today()) if d is not None]
    return sorted(set(dates))


def lenient_entries_for_case(case: Case, on: dt.date | None = None) -> list[LenientEntry]:
    """四张清单 entries that match the case's catalog item (in force on the act date or on ``on``)."""
    if not case.catalog_item_code:
        return []
    in_force = Q()
    for day in _case_dates(case, on):
        in_force |= _in_force(day)
    qs = (
        LenientEntry.objects.filter(items__code=case.catalog_item_code)
        .filter(_issuer_reaches(case.agency))
        .filter(in_force)
        .distinct()
        .order_by("kind", "number", "id")
    )
    return list(qs)


def latest_decisions(case: Case) -> dict[int, LenientDecision]:
    """The latest recorded decision per entry for the case (earlier ones stay as history)."""
    latest: dict[int, LenientDecision] = {}
    for row in LenientDecision.objects.filter(case_id=case.pk).select_related("recorded_by").order_by("id"):
        latest[row.entry_id] = row
    return latest


@dataclass
class EntryStatus:
    entry: LenientEntry
    decision: LenientDecision | None


def lenient_status_for_case(case: Case, on: dt.date | None = None) -> list[EntryStatus]:
    latest = latest_decisions(case)
    return [EntryStatus(e, latest.get(e.pk)) for e in lenient_entries_for_case(case, on)]


def undecided_entries(case: Case, on: dt.date | None = None) -> list[LenientEntry]:
    return [s.entry for s in lenient_status_for_case(case, on) if s.decision is None]


# --- usage for the reports ---------------------------------------------------------------------------------


@dataclass
class UsageRow:
    kind: str
    agency_id: int
    matched: int = 0
    applied: int = 0
    not_applied: int = 0

    @property
    def kind_label(self) -> str:
        return str(LenientKind(self.kind).label)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "agency_id": self.agency_id,
            "matched": self.matched,
            "applied": self.applied,
            "not_applied": self.not_applied,
        }


def list_usage(*, agencies: Iterable[Any] | None = None, year: int | None = None) -> list[UsageRow]:
    """四张清单使用情况 — per list kind and agency: entries matched to cases, applied, not applied.

    Counted per (case, entry) pair on the latest recorded decision; ``matched`` also counts pairs still
    waiting for a decision (a case at 案件审查/事先告知 whose item an entry names). ``year`` is the year the
    decision was recorded (pending pairs count in the current year).
    """
    agency_ids = None if agencies is None else [_pk(a) for a in agencies]
    rows = LenientDecision.objects.all()
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    latest: dict[tuple[int, int], tuple[int, str, int, bool, dt.date]] = {}
    for pk, case_id, entry_id, kind, agency_id, applies, on in rows.order_by("id").values_list(
        "id", "case_id", "entry_id", "kind", "agency_id", "applies", "recorded_on"
    ):
        latest[(case_id, entry_id)] = (pk, kind, agency_id, applies, on)
    table: dict[tuple[str, int], UsageRow] = {}

    def row(kind: str, agency_id: int) -> UsageRow:
        return table.setdefault((kind, agency_id), UsageRow(kind, agency_id))

    for _id, kind, agency_id, applies, on in latest.values():
        if year is not None and on.year != year:
            continue
        r = row(kind, agency_id)
        r.matched += 1
        if applies:
            r.applied += 1
        else:
            r.not_applied += 1

    if year is None or year == clock.today().year:
        waiting = Case.objects.filter(stage__in=[Stage.REVIEW, Stage.NOTIFIED]).exclude(catalog_item_code="")
        if agency_ids is not None:
            waiting = waiting.filter(agency_id__in=agency_ids)
        waiting_list = list(waiting.select_related("agency__region"))
        for case in waiting_list:
            for entry in lenient_entries_for_case(case):
                if (case.pk, entry.pk) not in latest:
                    row(entry.kind, case.agency_id).matched += 1
    order = {k: i for i, k in enumerate(LenientKind.values)}
    return sorted(table.values(), key=lambda r: (order.get(r.kind, 9), r.agency_id))


# --- supervision flags -------------------------------------------------------------------------------------


def cases_without_catalog_item(since: dt.datetime | None = None) -> Iterable[Any]:
    """Open cases (立案 onwards) that name no item in force in their agency's catalog on the opening date.

    Agencies with a catalog are gated (see ``checks``); these are cases of agencies without one, or opened
    before it took effect — a supervisor should see that the 权责清单 is missing.
    """
    qs = Case.objects.exclude(stage__in=[*FINISHED_STAGES, Stage.SOURCE]).filter(opened_on__isnull=False)
    if since is not None:
        qs = qs.filter(updated_at__gte=since)
    cases = list(qs.only("id", "agency_id", "catalog_item_code", "opened_on", "number", "title"))
    agency_ids = {c.agency_id for c in cases}
    items: dict[tuple[int, str], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for agency_id, code, start, end in CatalogItem.objects.filter(
        agency_id__in=agency_ids, kind=ItemKind.PENALTY
    ).values_list("agency_id", "code", "effective_from", "effective_to"):
        items[(agency_id, code)].append((start, end))
    for case in cases:
        spans = items.get((case.agency_id, case.catalog_item_code), [])
        day = case.opened_on
        if any(start <= day and (end is None or day <= end) for start, end in spans):
            continue
        yield FlagCandidate(
            kind="case_without_catalog_item",
            key=f"case:{case.pk}",
            agency_id=case.agency_id,
            title=f"案件{case.number or case.pk}未对应执法事项目录中的处罚事项",
            detail=(
                f"执法事项编码“{case.catalog_item_code}”不在本机关立案日有效的目录中。"
                if case.catalog_item_code
                else "案件未填写执法事项编码，本机关立案日尚无有效的执法事项目录。"
            ),
            object_type="cases.case",
            object_id=str(case.pk),
            url=f"/cases/{case.pk}/",
            severity="info",
        )


# --- 主体资格确认 and the public (confirmed) catalog -----------------------------------------------------------------

# Seed 004 (阜宁县 2025 巩固年行动 任务5): 行政检查主体资格确认 "于3月底前向社会公布"; 国办发〔2024〕54号 asks that
# every inspecting body's qualification be confirmed and announced. The same date applies to the 执法主体资格 and
# the 权责清单 (a county may move it: one constant, documented in docs/catalog.md).
DEADLINE_MONTH_DAY = (3, 31)


def required_kinds(agency_ids: list[int], within: QuerySet[Agency] | None = None) -> dict[int, list[str]]:
    """The kinds each agency must have confirmed each year (one query): its 执法主体资格 always; its 权责清单 once
    it has catalog items; its 检查主体资格 once its catalog holds 行政检查 items. ``within`` (the agencies'
    queryset) replaces a long ``IN`` list of ids by a subquery."""
    has_items: set[int] = set()
    has_inspection: set[int] = set()
    scope = Q(agency__in=within.values("pk")) if within is not None else Q(agency_id__in=agency_ids)
    for agency_id, kind in CatalogItem.objects.filter(scope).values_list("agency_id", "kind").distinct():
        has_items.add(agency_id)
        if kind == ItemKind.INSPECTION:
            has_inspection.add(agency_id)
    needed: dict[int, list[str]] = {}
    for agency_id in agency_ids:
        kinds = [ConfirmationKind.QUALIFICATION.value]
        if agency_id in has_inspection:
            kinds.append(ConfirmationKind.INSPECTION.value)
        if agency_id in has_items:
            kinds.append(ConfirmationKind.CATALOG.value)
        needed[agency_id] = kinds
    return needed


def confirmation_deadline(year: int) -> dt.date:
    """The last day of ``year`` by which the year's confirmations are due (31 March)."""
    return dt.date(year, *DEADLINE_MONTH_DAY)


def confirmations(
    user: User,
    *,
    year: int | None = None,
    state: str | None = None,
    agency_id: int | None = None,
    kind: str | None = None,
) -> QuerySet[Confirmation]:
    """主体资格确认 — requests and confirmations in the caller's scope (an agency: its own; a bureau: its region)."""
    qs = perms.scoped(
        user,
        rules.VIEW_CONFIRMATION,
        Confirmation.objects.select_related("agency", "requested_by", "decided_by"),
    )
    if year:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@dataclass
class ConfirmationGap:
    """What an agency still lacks for a year: kinds not confirmed, and which of them wait for the bureau."""

    agency: Agency
    year: int
    missing: list[str]
    pending: list[str]
    deadline: dt.date

    @property
    def missing_labels(self) -> str:
        return "、".join(str(ConfirmationKind(k).label) for k in self.missing)

    @property
    def pending_labels(self) -> str:
        return "、".join(str(ConfirmationKind(k).label) for k in self.pending)


def confirmation_gaps(agencies: QuerySet[Agency], year: int) -> list[ConfirmationGap]:
    """Per agency of ``agencies`` (enforcing ones: not the judicial bureaus themselves), the kinds of ``year``
    not yet confirmed. Three queries, whatever the number of agencies."""
    enforcing = agencies.filter(is_active=True, is_supervision_organ=False)
    rows = list(enforcing.order_by("region__code", "name", "id"))
    states: dict[tuple[int, str], str] = {}
    for agency_id, kind, state in (
        Confirmation.objects.filter(agency__in=enforcing.values("pk"), year=year)
        .exclude(state=ConfirmationState.RETURNED)
        .values_list("agency_id", "kind", "state")
    ):
        states[(agency_id, kind)] = state
    deadline = confirmation_deadline(year)
    needed = required_kinds([a.pk for a in rows], within=enforcing)
    gaps = []
    for agency in rows:
        missing = [k for k in needed[agency.pk] if states.get((agency.pk, k)) != ConfirmationState.CONFIRMED]
        if missing:
            pending = [k for k in missing if states.get((agency.pk, k)) == ConfirmationState.REQUESTED]
            gaps.append(ConfirmationGap(agency, year, missing, pending, deadline))
    return gaps


def late_confirmations_for(agencies: QuerySet[Agency], on: dt.date | None = None) -> list[ConfirmationGap]:
    """The gaps of the current year once its deadline has passed (none before 1 April)."""
    on = on or clock.today()
    if on <= confirmation_deadline(on.year):
        return []
    return confirmation_gaps(agencies, on.year)


def late_confirmation_flags(since: dt.datetime | None = None) -> Iterable[FlagCandidate]:
    """Flag source: every enforcing agency whose confirmations of this year are not all done by 31 March."""
    for gap in late_confirmations_for(Agency.objects.select_related("region")):
        waiting = f"；其中{gap.pending_labels}已申请，待司法局确认" if gap.pending else "；尚未申请确认"
        yield FlagCandidate(
            kind="confirmation_late",
            key=f"agency:{gap.agency.pk}:{gap.year}",
            agency_id=gap.agency.pk,
            title=f"{gap.agency.name}{gap.year}年度主体资格确认逾期",
            detail=f"截至{gap.deadline:%Y年%m月%d日}应完成确认，仍未确认：{gap.missing_labels}{waiting}。",
            object_type="org.agency",
            object_id=str(gap.agency.pk),
            url=f"/catalog/confirmations/?year={gap.year}&agency={gap.agency.pk}",
            due=gap.deadline,
            severity="warning",
        )


def _confirmed_version() -> Exists:
    return Exists(
        Confirmation.items.through.objects.filter(
            catalogitem_id=OuterRef("pk"),
            confirmation__state=ConfirmationState.CONFIRMED,
            confirmation__kind=ConfirmationKind.CATALOG,
        )
    )


def confirmed_catalog(
    *,
    agency: Any = None,
    domain: Any = None,
    kind: str | None = None,
    q: str = "",
    on: dt.date | None = None,
) -> QuerySet[CatalogItem]:
    """权责清单公示 — the versions in force on ``on`` (today) that the judicial bureau confirmed; an agency's
    versions not (yet) in a confirmed 权责清单 are not public."""
    qs = public_catalog(agency=agency, domain=domain, kind=kind, on=on).filter(_confirmed_version())
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(law_name__icontains=q))
    return qs


def confirmed_versions(item: CatalogItem) -> QuerySet[CatalogItem]:
    """Every confirmed version of the item's (agency, code), newest first (its past versions in public)."""
    return (
        CatalogItem.objects.filter(agency_id=item.agency_id, code=item.code)
        .filter(_confirmed_version())
        .select_related("domain", "agency")
        .order_by("-version")
    )


def public_confirmations(agency: Agency | int | None = None) -> QuerySet[Confirmation]:
    """What the judicial bureaus confirmed, and when (public: agency, year, kind, bureau, date)."""
    qs = Confirmation.objects.filter(
        state=ConfirmationState.CONFIRMED, agency__is_active=True
    ).select_related("agency")
    if agency is not None:
        qs = qs.filter(agency_id=_pk(agency))
    return qs.order_by("-year", "agency__name", "kind", "-id")


def catalog_confirmed(agency: Agency | int) -> bool:
    """Has the agency a confirmed 权责清单 (any year)? Without one its catalog is not public."""
    return Confirmation.objects.filter(
        agency_id=_pk(agency), kind=ConfirmationKind.CATALOG, state=ConfirmationState.CONFIRMED
    ).exists()


@dataclass
class BoardRow:
    """One agency's line on the year's confirmation board: the live record of each kind (or none)."""

    agency: Agency
    cells: list[tuple[str, Confirmation | None, bool]]  # kind, the live record, whether the kind is required


def confirmation_board(agencies: Iterable[Agency], year: int) -> list[BoardRow]:
    """The year's confirmations of ``agencies`` (already capped by the caller), kind by kind; three queries."""
    rows = list(agencies)
    live: dict[tuple[int, str], Confirmation] = {}
    for c in (
        Confirmation.objects.filter(agency_id__in=[a.pk for a in rows], year=year)
        .order_by("id")
        .only("id", "agency_id", "kind", "state", "decided_on", "requested_on", "bureau_name")
    ):
        if c.state != ConfirmationState.RETURNED or (c.agency_id, c.kind) not in live:
            live[(c.agency_id, c.kind)] = c
    needed = required_kinds([a.pk for a in rows])
    return [
        BoardRow(a, [(k, live.get((a.pk, k)), k in needed[a.pk]) for k in ConfirmationKind.values])
        for a in rows
    ]


# --- the four lists in public (事前公开) ----------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def public_lenient_entries(
    *,
    on: dt.date | None = None,
    kind: str | None = None,
    q: str = "",
    agency: Agency | None = None,
    region: Any = None,
    domain: Any = None,
) -> QuerySet[LenientEntry]:
    """四张清单公示 — the entries in force on ``on`` (today by default), exactly as they stood that day.

    In force means ``effective_from <= on`` and (no ``effective_to`` or ``on <= effective_to``): the end date
    is the last day in force, as everywhere in the catalog (a new version closes the old one the day before).
    ``agency``: the lists that reach it (its own and its region's governments'); ``region``: the lists issued
    in it or for a region above it; ``domain``: entries of an agency of the domain or naming an item of it.
    """
    on = on or clock.today()
    qs = LenientEntry.objects.filter(_in_force(on)).filter(Q(agency__isnull=True) | Q(agency__is_active=True))
    if kind:
        qs = qs.filter(kind=kind)
    if agency is not None:
        qs = qs.filter(_issuer_reaches(agency))
    if region is not None:
        qs = qs.filter(
            Q(region__path__startswith=region.path) | Q(region__path__in=_ancestor_paths(region.path))
        )
    if domain is not None:
        codes = CatalogItem.objects.filter(domain_id=_pk(domain)).values("code")
        agencies = Agency.domains.through.objects.filter(domain_id=_pk(domain)).values("agency_id")
        qs = qs.filter(
            Q(agency_id__in=agencies)
            | Q(pk__in=LenientEntryItem.objects.filter(code__in=codes).values("entry_id"))
        )
    for term in q.split()[:5]:
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(number__icontains=term)
            | Q(conditions_text__icontains=term)
            | Q(issuer_name__icontains=term)
            | Q(law_basis__icontains=term)
            | Q(pk__in=LenientEntryItem.objects.filter(code__icontains=term).values("entry_id"))
        )
    return qs.select_related("agency", "region").prefetch_related("items")
