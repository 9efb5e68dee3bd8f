"""预聚合 — the dashboard's facts, kept correct as data arrives and recomputable from scratch.

Each source row (a case, an inspection, an inspection warning) maps to a small set of *cells*
``(metric, agency, region path, domain, day, key) -> (count, amount)`` by a pure function below. When the row
changes, :func:`sync` recomputes its cells, subtracts what it contributed last time (``Contribution``) and adds
the new cells — in the caller's transaction, so a rolled-back step leaves no trace in the statistics.
:func:`rebuild` computes every cell from scratch; a test proves that after any sequence of events the
incremental table equals the rebuilt one.

How data arrives:
* cases — ``zhifa.cases.hooks.register_after("*", …)``: every transition of every case (and the simple
  procedure, and case-source registration) re-syncs that case, inside the transition's transaction;
* inspections and warnings — Django ``post_save`` signals on ``Inspection`` and ``InspectionWarning``.
  Warnings written in bulk by the inspections app (the incremental check's ``bulk_create`` and the full
  scan's ``INSERT … SELECT``) send no signal: they join the facts at the warning's next save (handling,
  dismissal) or at ``zhifa stats_rebuild --source warning`` (run it after ``inspections_scan``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.db.models.signals import post_save
from django.utils import timezone

from zhifa.cases import hooks
from zhifa.cases.models import EXIT_STAGES, FINISHED_STAGES, Case, LegalReviewOutcome, Seizure, Stage
from zhifa.complaints.models import Complaint
from zhifa.core import clock
from zhifa.core.transactions import before_commit
from zhifa.disclosure.models import Publication
from zhifa.inspections.models import Inspection, InspectionWarning
from zhifa.review.models import ReviewRequest
from zhifa.stats.models import Contribution, Fact, RegionFact

# (metric, agency_id | None, region_path, domain_id, day ISO, key)
CellKey = tuple[str, int | None, str, int, str, str]
Cells = dict[CellKey, list[Any]]  # key -> [count, amount]

ZERO = Decimal("0.00")
SOURCES = ("case", "inspection", "warning", "review", "publication", "complaint")

# 指标 — what each metric counts (docs/stats.md lists them with their dates).
METRICS: dict[str, str] = {
    "case.source": "案源登记",
    "case.opened": "立案",
    "case.decided": "作出处罚决定",
    "case.penalty": "处罚种类",
    "case.fine": "罚款",
    "case.confiscation": "没收金额",
    "case.decided_late": "超期作出决定",
    "case.ended": "不予立案/不予处罚/移送/撤案",
    "case.closed": "结案",
    "case.hearing": "举行听证",
    "case.legal_review": "法制审核",
    "case.compulsion": "行政强制措施",
    "case.deadline": "在办案件（按当前期限）",
    "inspection.done": "涉企检查",
    "inspection.outcome": "检查结果",
    "warning.raised": "检查预警",
    "warning.closed": "预警处理",
    "review.submitted": "法制审核送审",
    "review.late": "超期完成法制审核",
    "review.due": "在审（按审核期限）",
    "publication.published": "执法信息公示",
    "publication.late": "逾期公示",
    "publication.withdrawn": "撤回公示",
    "publication.due": "待公示（按公示期限）",
    "complaint.received": "投诉举报受理",
    "complaint.replied": "投诉举报答复",
    "complaint.rated": "诉求人评价",
    "complaint.due": "在办投诉举报（按办理期限）",
}
# Exact-day metrics of what is still open ("overdue now" = Σ over day < today), read per agency, not rolled up.
DUE_METRICS = frozenset({"case.deadline", "review.due", "publication.due", "complaint.due"})


def month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add(
    cells: Cells,
    metric: str,
    agency_id: int | None,
    region_path: str,
    domain_id: int | None,
    day: dt.date,
    key: str = "",
    count: int = 1,
    amount: Decimal | None = None,
) -> None:
    cell = cells.setdefault((metric, agency_id, region_path, domain_id or 0, day.isoformat(), key), [0, ZERO])
    cell[0] += count
    cell[1] += amount if amount is not None else ZERO


# --- what one row contributes (pure) ---------------------------------------------------------------------------


def case_cells(
    case: dict[str, Any],
    reviews: Iterable[tuple[bool, dt.date]] = (),
    seizures: Iterable[tuple[str, dt.date]] = (),
) -> Cells:
    """The cells of one case (a dict of its fields, with ``region_path``), its legal reviews and seizures."""

    cells: Cells = {}
    a, r, d = case["agency_id"], case["region_path"], case["domain_id"]

    def add(metric: str, day: dt.date, key: str = "", amount: Decimal | None = None) -> None:
        _add(cells, metric, a, r, d, day, key, 1, amount)

    if case["source_received_on"]:
        add("case.source", month(case["source_received_on"]), case["source_kind"])
    if case["opened_on"]:
        add("case.opened", month(case["opened_on"]), case["procedure"])
    kinds = case["penalty_kinds"] or []
    if case["decided_on"] and kinds:
        m = month(case["decided_on"])
        add("case.decided", m, case["procedure"])
        for kind in kinds:
            add("case.penalty", m, kind)
        if case["fine_yuan"]:
            add("case.fine", m, amount=Decimal(case["fine_yuan"]))
        if case["confiscation_yuan"]:
            add("case.confiscation", m, amount=Decimal(case["confiscation_yuan"]))
        # 行政处罚法 第六十条: a decision after the (extended) 90-day period is late.
        if case["decision_due"] and case["decided_on"] > case["decision_due"]:
            add("case.decided_late", m)
    stage = case["stage"]
    exit_stage = case["archived_from"] if stage == Stage.ARCHIVED else stage
    if exit_stage in EXIT_STAGES and case["ended_on"]:
        add("case.ended", month(case["ended_on"]), exit_stage)
    if case["closed_on"]:
        add("case.closed", month(case["closed_on"]))
    if case["hearing_held_on"]:
        add("case.hearing", month(case["hearing_held_on"]))
    for agreed, reviewed_on in reviews:
        add("case.legal_review", month(reviewed_on), "agreed" if agreed else "not_agreed")
    for kind, decided_on in seizures:
        if kind != "preserve":  # 先行登记保存 is a means of evidence, not a compulsory measure
            add("case.compulsion", month(decided_on), kind)
    if stage not in FINISHED_STAGES and case["next_deadline"]:
        add("case.deadline", case["next_deadline"])
    return cells


def inspection_cells(row: dict[str, Any]) -> Cells:
    cells: Cells = {}
    if row["inspected_on"] and row["agency_id"]:
        m = month(row["inspected_on"])
        args = (row["agency_id"], row["region_path"], row["domain_id"], m)
        _add(cells, "inspection.done", *args, row["kind"])
        if row["outcome"]:
            _add(cells, "inspection.outcome", *args, row["outcome"])
    return cells


def _local_day(value: dt.datetime) -> dt.date:
    return clock.business_date(value) if timezone.is_aware(value) else value.date()


def warning_cells(row: dict[str, Any]) -> Cells:
    cells: Cells = {}
    region = row["region_path"] or row["party_region_path"] or ""
    _add(
        cells,
        "warning.raised",
        row["agency_id"],
        region,
        0,
        month(_local_day(row["created_at"])),
        row["kind"],
    )
    if row["state"] != "new" and row["handled_at"]:
        _add(
            cells,
            "warning.closed",
            row["agency_id"],
            region,
            0,
            month(_local_day(row["handled_at"])),
            row["state"],
        )
    return cells


def review_cells(row: dict[str, Any]) -> Cells:
    """法制审核 (``review.ReviewRequest``): one round submitted, concluded late, still open by its deadline.

    Conclusions themselves are counted once, as ``case.legal_review`` (the review app records each one on
    the case through ``case_record_legal_review``).
    """
    cells: Cells = {}
    args = (row["agency_id"], row["region_path"] or "", row["domain_id"])
    _add(cells, "review.submitted", *args, month(row["submitted_on"]))
    if row["concluded_on"]:
        if row["due_on"] and row["concluded_on"] > row["due_on"]:
            _add(cells, "review.late", *args, month(row["concluded_on"]))
    elif row["state"] in ("submitted", "assigned") and row["due_on"]:
        _add(cells, "review.due", *args, row["due_on"])
    return cells


def publication_cells(row: dict[str, Any]) -> Cells:
    """公示 (``disclosure.Publication``): published (by kind), late, withdrawn (by reason), still to publish."""
    cells: Cells = {}
    args = (row["agency_id"], row["region_path"] or "", row["domain_id"])
    if row["published_on"]:
        m = month(row["published_on"])
        _add(cells, "publication.published", *args, m, row["kind"])
        if row["published_late"]:
            _add(cells, "publication.late", *args, m, row["kind"])
    if row["withdrawn_at"]:
        _add(
            cells,
            "publication.withdrawn",
            *args,
            month(_local_day(row["withdrawn_at"])),
            row["withdraw_kind"],
        )
    if row["status"] in ("draft", "submitted") and row["due_on"]:
        _add(cells, "publication.due", *args, row["due_on"], row["kind"])
    return cells


def complaint_cells(row: dict[str, Any]) -> Cells:
    """投诉举报 (``complaints.Complaint``): received (by channel), replied, rated (by satisfaction), open.

    Placed by the handling agency (its region), or by the complaint's region while it has none.
    """
    cells: Cells = {}
    region = row["agency_region_path"] if row["agency_id"] else row["region_path"]
    args = (row["agency_id"], region or "", 0)
    _add(cells, "complaint.received", *args, month(row["received_on"]), row["channel"])
    if row["replied_at"]:
        _add(cells, "complaint.replied", *args, month(_local_day(row["replied_at"])))
    if row["rated_at"] and row["satisfaction"]:
        _add(cells, "complaint.rated", *args, month(_local_day(row["rated_at"])), row["satisfaction"])
    if row["state"] in ("received", "assigned") and row["due"]:
        _add(cells, "complaint.due", *args, row["due"])
    return cells


# --- loading rows ----------------------------------------------------------------------------------------------

CASE_FIELDS = (
    "id",
    "agency_id",
    "domain_id",
    "procedure",
    "stage",
    "archived_from",
    "source_kind",
    "source_received_on",
    "opened_on",
    "decided_on",
    "decision_due",
    "penalty_kinds",
    "fine_yuan",
    "confiscation_yuan",
    "ended_on",
    "closed_on",
    "hearing_held_on",
    "next_deadline",
)


def _cases(ids: list[int] | None = None) -> Iterator[tuple[dict[str, Any], list[Any], list[Any]]]:
    cases = Case.objects.order_by("id")
    reviews = LegalReviewOutcome.objects.all()
    seizures = Seizure.objects.all()
    if ids is not None:
        cases, reviews, seizures = (
            q.filter(**{f: ids})
            for q, f in ((cases, "id__in"), (reviews, "case_id__in"), (seizures, "case_id__in"))
        )
    by_case_reviews: dict[int, list[Any]] = defaultdict(list)
    for case_id, agreed, on in reviews.values_list("case_id", "agreed", "reviewed_on"):
        by_case_reviews[case_id].append((agreed, on))
    by_case_seizures: dict[int, list[Any]] = defaultdict(list)
    for case_id, kind, on in seizures.values_list("case_id", "kind", "decided_on"):
        by_case_seizures[case_id].append((kind, on))
    rows = cases.values(*CASE_FIELDS, region_path=F("agency__region__path"))
    for row in rows.iterator(chunk_size=5000) if ids is None else rows:
        yield row, by_case_reviews.get(row["id"], []), by_case_seizures.get(row["id"], [])


INSPECTION_FIELDS = ("id", "agency_id", "kind", "inspected_on", "outcome")


def _inspections(ids: list[int] | None = None) -> Iterator[dict[str, Any]]:
    qs = Inspection.objects.order_by("id")
    if ids is not None:
        qs = qs.filter(id__in=ids)
    rows = qs.values(
        *INSPECTION_FIELDS, region_path=F("agency__region__path"), domain_id=F("item__domain_id")
    )
    yield from rows.iterator(chunk_size=5000) if ids is None else rows


WARNING_FIELDS = ("id", "agency_id", "kind", "state", "created_at", "handled_at")


def _warnings(ids: list[int] | None = None) -> Iterator[dict[str, Any]]:
    qs = InspectionWarning.objects.order_by("id")
    if ids is not None:
        qs = qs.filter(id__in=ids)
    rows = qs.values(
        *WARNING_FIELDS, region_path=F("agency__region__path"), party_region_path=F("party__region_path")
    )
    yield from rows.iterator(chunk_size=5000) if ids is None else rows


def _values(qs: Any, ids: list[int] | None, *fields: str, **expressions: Any) -> Iterator[dict[str, Any]]:
    qs = qs.order_by("id")
    if ids is not None:
        qs = qs.filter(id__in=ids)
    rows = qs.values(*fields, **expressions)
    yield from rows.iterator(chunk_size=5000) if ids is None else rows


def _reviews(ids: list[int] | None = None) -> Iterator[dict[str, Any]]:
    fields = ("id", "agency_id", "state", "submitted_on", "due_on", "concluded_on")
    yield from _values(
        ReviewRequest.objects,
        ids,
        *fields,
        region_path=F("agency__region__path"),
        domain_id=F("case__domain_id"),
    )


def _publications(ids: list[int] | None = None) -> Iterator[dict[str, Any]]:
    fields = ("id", "agency_id", "domain_id", "kind", "status", "due_on", "published_on", "published_late")
    yield from _values(
        Publication.objects,
        ids,
        *fields,
        "withdrawn_at",
        "withdraw_kind",
        region_path=F("agency__region__path"),
    )


def _complaints(ids: list[int] | None = None) -> Iterator[dict[str, Any]]:
    fields = ("id", "agency_id", "region_path", "channel", "state", "received_on", "due", "replied_at")
    yield from _values(
        Complaint.objects,
        ids,
        *fields,
        "satisfaction",
        "rated_at",
        agency_region_path=F("agency__region__path"),
    )


ROW_SOURCES: dict[str, tuple[Any, Any]] = {
    "review": (_reviews, review_cells),
    "publication": (_publications, publication_cells),
    "complaint": (_complaints, complaint_cells),
}


def _rows(source: str, ids: list[int] | None = None) -> Iterator[tuple[int, Cells]]:
    if source == "case":
        for row, reviews, seizures in _cases(ids):
            yield row["id"], case_cells(row, reviews, seizures)
    elif source == "inspection":
        for row in _inspections(ids):
            yield row["id"], inspection_cells(row)
    elif source == "warning":
        for row in _warnings(ids):
            yield row["id"], warning_cells(row)
    elif source in ROW_SOURCES:
        load, cells_of = ROW_SOURCES[source]
        for row in load(ids):
            yield row["id"], cells_of(row)
    else:
        raise ValueError(f"unknown source {source!r}")


# --- incremental --------------------------------------------------------------------------------------------------


def _encode(cells: Cells) -> list[list[Any]]:
    return [
        [*key, value[0], str(value[1])] for key, value in sorted(cells.items(), key=lambda kv: repr(kv[0]))
    ]


def _decode(data: list[list[Any]]) -> Cells:
    return {(m, a, r, d, day, k): [c, Decimal(amt)] for m, a, r, d, day, k, c, amt in data}


def _filter(key: CellKey) -> dict[str, Any]:
    metric, agency_id, region_path, domain_id, day, k = key
    where: dict[str, Any] = {"metric": metric, "domain_id": domain_id, "day": day, "key": k}
    if agency_id is None:
        where.update(agency__isnull=True, region_path=region_path)
    else:
        where["agency_id"] = agency_id
    return where


def _bump(key: CellKey, count: int, amount: Decimal) -> None:
    where = _filter(key)
    if Fact.objects.filter(**where).update(count=F("count") + count, amount=F("amount") + amount):
        return
    metric, agency_id, region_path, domain_id, day, k = key
    try:
        with transaction.atomic():
            Fact.objects.create(
                metric=metric,
                agency_id=agency_id,
                region_path=region_path,
                domain_id=domain_id,
                day=day,
                key=k,
                count=count,
                amount=amount,
            )
    except IntegrityError:  # a concurrent transaction created the cell first
        Fact.objects.filter(**where).update(count=F("count") + count, amount=F("amount") + amount)


def _apply(source: str, object_id: int, cells: Cells) -> None:
    row = Contribution.objects.select_for_update().filter(source=source, object_id=object_id).first()
    old = _decode(row.facts) if row else {}
    deltas: Cells = {}
    # In one order in every transaction (no deadlock between two that touch the same cells).
    for key in sorted(set(old) | set(cells), key=lambda k: (k[0], k[1] or 0, *k[2:])):
        before = old.get(key, [0, ZERO])
        after = cells.get(key, [0, ZERO])
        if before != after:
            deltas[key] = [after[0] - before[0], after[1] - before[1]]
            _bump(key, *deltas[key])
    # Sorted, so that concurrent transactions lock the shared roll-up rows in one order (no deadlock).
    for rkey, (count, amount) in sorted(rollups(deltas).items()):
        if count or amount:
            _bump_rollup(rkey, count, amount)
    encoded = _encode(cells)
    if row is None:
        if encoded:
            Contribution.objects.create(source=source, object_id=object_id, facts=encoded)
    elif row.facts != encoded:
        row.facts = encoded
        row.save(update_fields=["facts"])


# --- roll-ups per region ------------------------------------------------------------------------------------------

RollupKey = tuple[str, str, str, str]  # (region_path, metric, day ISO, key)
NOT_ROLLED_UP = DUE_METRICS


def ancestors(region_path: str) -> list[str]:
    """``/91/9101/910101/`` -> ``["/91/", "/91/9101/", "/91/9101/910101/"]`` (a region and those above it)."""
    parts = [p for p in region_path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def rollups(cells: Cells) -> dict[RollupKey, list[Any]]:
    """What ``cells`` add to the roll-up of every region on their paths (pure)."""
    out: dict[RollupKey, list[Any]] = {}
    for (metric, _agency, region_path, _domain, day, k), (count, amount) in cells.items():
        if metric in NOT_ROLLED_UP:
            continue
        for path in ancestors(region_path):
            cell = out.setdefault((path, metric, day, k), [0, ZERO])
            cell[0] += count
            cell[1] += amount
    return out


def _bump_rollup(rkey: RollupKey, count: int, amount: Decimal) -> None:
    region_path, metric, day, k = rkey
    where = {"region_path": region_path, "metric": metric, "day": day, "key": k}
    if RegionFact.objects.filter(**where).update(count=F("count") + count, amount=F("amount") + amount):
        return
    try:
        with transaction.atomic():
            RegionFact.objects.create(**where, count=count, amount=amount)
    except IntegrityError:  # a concurrent transaction created the cell first
        RegionFact.objects.filter(**where).update(count=F("count") + count, amount=F("amount") + amount)


def stored_rollups() -> dict[RollupKey, list[Any]]:
    """The roll-up table (zero cells left out)."""
    return {
        (r, m, day.isoformat(), k): [c, a]
        for r, m, day, k, c, a in RegionFact.objects.values_list(
            "region_path", "metric", "day", "key", "count", "amount"
        )
        if c or a
    }


def rollups_of_stored() -> dict[RollupKey, list[Any]]:
    """The roll-ups the fact table implies (what ``RegionFact`` must equal)."""
    grouped = (
        Fact.objects.exclude(metric__in=NOT_ROLLED_UP)
        .values("metric", "region_path", "day", "key")
        .annotate(c=Sum("count"), a=Sum("amount"))
        .order_by()
    )
    cells: Cells = {
        (g["metric"], None, g["region_path"], 0, g["day"].isoformat(), g["key"]): [g["c"], g["a"]]
        for g in grouped
    }
    return {k: v for k, v in rollups(cells).items() if v[0] or v[1]}


def rebuild_rollups(*, batch: int = 5000) -> int:
    """Recompute every roll-up from the fact table (in the caller's transaction); returns the row count."""
    with transaction.atomic():
        expected = rollups_of_stored()
        RegionFact.objects.all().delete()
        RegionFact.objects.bulk_create(
            (
                RegionFact(region_path=r, metric=m, day=day, key=k, count=c, amount=a)
                for (r, m, day, k), (c, a) in expected.items()
            ),
            batch_size=batch,
        )
    return len(expected)


def sync(source: str, object_id: int) -> None:
    """Bring the facts of one row up to date (inside the caller's transaction)."""
    with transaction.atomic():
        found = dict(_rows(source, [object_id]))
        _apply(source, object_id, found.get(object_id, {}))


# --- from scratch --------------------------------------------------------------------------------------------------


def compute(sources: Iterable[str] = SOURCES) -> tuple[Cells, dict[str, dict[int, Cells]]]:
    """Every cell recomputed from the source tables, and each row's own cells."""
    total: Cells = {}
    per_row: dict[str, dict[int, Cells]] = {}
    for source in sources:
        per_row[source] = {}
        for object_id, cells in _rows(source):
            per_row[source][object_id] = cells
            for key, (count, amount) in cells.items():
                cell = total.setdefault(key, [0, ZERO])
                cell[0] += count
                cell[1] += amount
    return total, per_row


def stored(sources: Iterable[str] = SOURCES) -> Cells:
    """The fact table as cells (zero cells left out)."""
    prefixes = tuple(f"{s}." for s in sources)
    cells: Cells = {}
    rows = Fact.objects.values_list(
        "metric", "agency_id", "region_path", "domain_id", "day", "key", "count", "amount"
    )
    for metric, agency_id, region_path, domain_id, day, key, count, amount in rows:
        if not metric.startswith(prefixes) or (count == 0 and amount == 0):
            continue
        cells[(metric, agency_id, region_path, domain_id, day.isoformat(), key)] = [count, amount]
    return cells


def nonzero(cells: Cells) -> Cells:
    return {k: v for k, v in cells.items() if v[0] != 0 or v[1] != 0}


def rebuild(sources: Iterable[str] = SOURCES, *, batch: int = 5000) -> dict[str, int]:
    """Recompute the facts of ``sources`` from scratch, replacing what is stored (one transaction)."""
    sources = tuple(sources)
    total, per_row = compute(sources)
    with transaction.atomic():
        for source in sources:
            Fact.objects.filter(metric__startswith=f"{source}.").delete()
            Contribution.objects.filter(source=source).delete()
        Fact.objects.bulk_create(
            (
                Fact(metric=m, agency_id=a, region_path=r, domain_id=d, day=day, key=k, count=c, amount=amt)
                for (m, a, r, d, day, k), (c, amt) in nonzero(total).items()
            ),
            batch_size=batch,
        )
        for source in sources:
            Contribution.objects.bulk_create(
                (
                    Contribution(source=source, object_id=oid, facts=_encode(cells))
                    for oid, cells in per_row[source].items()
                    if cells
                ),
                batch_size=batch,
            )
        rolled = rebuild_rollups(batch=batch)
    return {"facts": len(nonzero(total)), "rollups": rolled, **{s: len(per_row[s]) for s in sources}}


# --- wiring ----------------------------------------------------------------------------------------------------


def sync_late(source: str, object_id: int) -> None:
    """``sync`` at the end of the running service, still in its transaction (once, however many saves).

    The counters are rows every transaction of an agency (and, for the roll-ups, of a whole province)
    updates; bumped last, their locks are held only for the moment before the commit.
    """
    before_commit(("stats", source, object_id), partial(sync, source, object_id))


def on_case_step(case: Any, **_: Any) -> None:
    sync_late("case", case.pk)


def on_inspection_saved(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    if not raw:
        sync_late("inspection", instance.pk)


def on_warning_saved(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    if not raw:
        sync_late("warning", instance.pk)


def _on_saved(source: str) -> Any:
    def receiver(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
        if not raw:
            sync_late(source, instance.pk)

    return receiver


_RECEIVERS = {source: _on_saved(source) for source in ROW_SOURCES}


def connect() -> None:
    hooks.register_after("*", on_case_step)
    post_save.connect(on_inspection_saved, sender=Inspection, dispatch_uid="stats.inspection")
    post_save.connect(on_warning_saved, sender=InspectionWarning, dispatch_uid="stats.warning")

    for source, model in (("review", ReviewRequest), ("publication", Publication), ("complaint", Complaint)):
        post_save.connect(_RECEIVERS[source], sender=model, dispatch_uid=f"stats.{source}")
