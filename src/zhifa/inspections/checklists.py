"""一表通查 — a visit's merged checklist: the checklists of all the items it checks, in one list.

A joint visit (综合查一次) checks the items of several agencies; each item has its checklist (检查表单) in force on
the visit's day. Merged, identical lines — the same content and the same legal basis, whitespace aside — appear
once, naming every agency and item they serve, so that the enterprise is asked each question once. A line is
named by its key (a digest of content and basis), which the results (:class:`ChecklistResult`) keep.

国办发〔2024〕54号《关于严格规范涉企行政检查的意见》: 推行“综合查一次”“一表通查”, 严格行政检查标准 — one
visit, one checklist, checked line by line against the published standard.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from zhifa.core import clock
from zhifa.inspections.models import (
    ChecklistLine,
    ChecklistLineResult,
    ChecklistResult,
    Inspection,
    InspectionCheck,
)

_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def line_key(content: str, basis: str) -> str:
    """The merged line's key: equal for lines with the same content and basis (whitespace aside)."""
    digest = hashlib.sha256(f"{_norm(content)}\x1f{_norm(basis)}".encode()).hexdigest()
    return digest[:32]


@dataclass(frozen=True)
class LineSource:
    """Which agency's item (and which line of its checklist) a merged line serves."""

    agency_id: int
    agency_name: str
    item_id: int
    item_code: str
    item_name: str
    order: int


@dataclass
class MergedLine:
    key: str
    number: int
    content: str
    basis: str
    methods: list[str] = field(default_factory=list)
    sources: list[LineSource] = field(default_factory=list)
    result: ChecklistResult | None = None

    @property
    def method(self) -> str:
        return "；".join(self.methods)

    @property
    def agencies(self) -> list[str]:
        return list(dict.fromkeys(s.agency_name for s in self.sources))

    @property
    def items(self) -> list[str]:
        return list(dict.fromkeys(s.item_name for s in self.sources))

    @property
    def shared(self) -> bool:
        return len({s.item_id for s in self.sources}) > 1

    @property
    def nonconforming(self) -> bool:
        return self.result is not None and self.result.result == ChecklistLineResult.NONCONFORMING


@dataclass
class VisitChecklist:
    inspection: Inspection
    day: dt.date
    lines: list[MergedLine]
    items_without_checklist: list[str]
    agency_count: int

    @property
    def choices(self) -> list[tuple[str, str]]:
        """符合 / 不符合 / 不涉及, for the page's buttons."""
        return list(ChecklistLineResult.choices)

    @property
    def recorded(self) -> int:
        return sum(1 for line in self.lines if line.result is not None)

    @property
    def nonconforming(self) -> list[MergedLine]:
        return [line for line in self.lines if line.nonconforming]

    @property
    def complete(self) -> bool:
        return bool(self.lines) and self.recorded == len(self.lines)

    def by_key(self) -> dict[str, MergedLine]:
        return {line.key: line for line in self.lines}


def checklist_day(inspection: Inspection) -> dt.date:
    """The day whose checklists apply: the day of the visit, else the planned day, else today."""
    return inspection.inspected_on or inspection.scheduled_on or clock.today()


def visit_checklist(inspection: Inspection, *, with_results: bool = True) -> VisitChecklist:
    """一表通查 — the visit's merged checklist (three queries, whatever the number of items and lines).

    The caller has found ``inspection`` in its scope. Items come in the order of the visit's checks (the lead
    check first); a line shared by several items keeps the place where it first appears.
    """
    day = checklist_day(inspection)
    checks = list(
        InspectionCheck.objects.filter(inspection_id=inspection.pk)
        .select_related("agency", "item")
        .order_by("id")
    )
    item_ids = list(dict.fromkeys(c.item_id for c in checks))
    lines_by_item: dict[int, list[ChecklistLine]] = {}
    if item_ids:
        # the same read as selectors.checklists_on, which this module may not import (selectors import it)
        for line in (
            ChecklistLine.objects.filter(item_id__in=item_ids, effective_from__lte=day)
            .exclude(effective_to__lt=day)
            .order_by("item_id", "order")
        ):
            lines_by_item.setdefault(line.item_id, []).append(line)
    merged: dict[str, MergedLine] = {}
    without: list[str] = []
    seen_items: set[int] = set()
    for check in checks:
        if check.item_id in seen_items:
            continue
        seen_items.add(check.item_id)
        item_lines = lines_by_item.get(check.item_id, [])
        if not item_lines:
            without.append(check.item.name)
        for line in item_lines:
            key = line_key(line.content, line.basis)
            entry = merged.get(key)
            if entry is None:
                entry = merged[key] = MergedLine(
                    key=key, number=len(merged) + 1, content=line.content, basis=line.basis
                )
            if line.method not in entry.methods:
                entry.methods.append(line.method)
            entry.sources.append(
                LineSource(
                    agency_id=check.agency_id,
                    agency_name=check.agency.name,
                    item_id=check.item_id,
                    item_code=check.item.code,
                    item_name=check.item.name,
                    order=line.order,
                )
            )
    if with_results and merged:
        for result in ChecklistResult.objects.filter(inspection_id=inspection.pk):
            if result.line_key in merged:
                merged[result.line_key].result = result
    return VisitChecklist(
        inspection=inspection,
        day=day,
        lines=list(merged.values()),
        items_without_checklist=without,
        agency_count=len({c.agency_id for c in checks}),
    )
