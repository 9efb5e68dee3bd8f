"""服务指南 — reads for the public pages, the public API and the staff pages.

A guide is the agency's current version merged with the fixed statutory part (``statutes``); an agency that
never saved one shows the statutory defaults with its own office data (version 0), so every agency has a
guide for every kind from the start. Nothing here reads a party.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from zhifa.catalog.selectors import confirmed_catalog
from zhifa.core import clock
from zhifa.guides import statutes
from zhifa.guides.models import EDITABLE_FIELDS, GuideKind, ServiceGuide
from zhifa.org.models import Agency

CATALOG_ITEMS_SHOWN = 50


@dataclass(frozen=True)
class GuideView:
    """What a guide page shows: the agency's part (current version or defaults) and the law's part."""

    agency: Agency
    kind: str
    kind_label: str
    version: int  # 0 = the statutory defaults, never saved by the agency
    updated_on: dt.date | None
    statute: statutes.Statute
    conditions: str
    materials: str
    promised_time: str
    fees: str
    office: str
    address: str
    hours: str
    phone: str
    supervision: str
    remedy_bodies: str
    organs: list[Agency] = field(default_factory=list)
    catalog_items: list[Any] = field(default_factory=list)
    catalog_more: bool = False

    @property
    def is_default(self) -> bool:
        return self.version == 0

    @property
    def remedies(self) -> tuple[statutes.Cited, ...]:
        return statutes.REMEDIES

    @property
    def complaint_right(self) -> statutes.Cited:
        return statutes.COMPLAINT_RIGHT


def guide_kinds() -> list[tuple[str, str]]:
    return [(k, str(label)) for k, label in GuideKind.choices]


def is_kind(kind: str) -> bool:
    return kind in GuideKind.values


def default_fields(agency: Agency, kind: str) -> dict[str, str]:
    """The agency's part as it starts: the statute's wording and the agency's own office data."""
    law = statutes.statute(kind)
    return {
        "conditions": law.conditions,
        "materials": law.materials,
        "promised_time": "",
        "fees": f"{law.fees.text}（{law.fees.basis}）",
        "office": agency.name,
        "address": agency.address,
        "hours": statutes.DEFAULT_HOURS,
        "phone": agency.phone,
        "supervision": statutes.DEFAULT_SUPERVISION,
        "remedy_bodies": statutes.DEFAULT_REMEDY_BODIES,
    }


def current_guide(agency: Agency, kind: str) -> ServiceGuide | None:
    return ServiceGuide.objects.filter(agency=agency, kind=kind).order_by("-version").first()


def guide_versions(agency: Agency, kind: str) -> QuerySet[ServiceGuide]:
    return (
        ServiceGuide.objects.filter(agency=agency, kind=kind)
        .select_related("created_by")
        .order_by("-version")
    )


def public_agency(agency_id: int) -> Agency | None:
    return Agency.objects.filter(pk=agency_id, is_active=True).select_related("region").first()


def supervision_organs(agency: Agency) -> list[Agency]:
    """执法监督机构 of the agency's region and the regions above it (司法局), nearest first."""
    ancestors = [agency.region.path[: i + 1] for i, ch in enumerate(agency.region.path) if ch == "/"]
    ancestors.append(agency.region.path)
    organs = Agency.objects.filter(
        is_active=True, is_supervision_organ=True, region__path__in=set(ancestors)
    ).select_related("region")
    return sorted(organs, key=lambda o: (-len(o.region.path), o.name))


def _catalog_items(agency: Agency, catalog_kind: str) -> tuple[list[Any], bool]:
    rows = list(confirmed_catalog(agency=agency, kind=catalog_kind)[: CATALOG_ITEMS_SHOWN + 1])
    return rows[:CATALOG_ITEMS_SHOWN], len(rows) > CATALOG_ITEMS_SHOWN


def guide_view(agency: Agency, kind: str, *, with_links: bool = True) -> GuideView:
    """The guide as the public sees it today (``kind`` must be a ``GuideKind`` value)."""
    law = statutes.statute(kind)
    saved = current_guide(agency, kind)
    values = (
        {f: getattr(saved, f) for f in EDITABLE_FIELDS} if saved is not None else default_fields(agency, kind)
    )
    items, more = _catalog_items(agency, law.catalog_kind) if with_links else ([], False)
    return GuideView(
        agency=agency,
        kind=kind,
        kind_label=str(GuideKind(kind).label),
        version=saved.version if saved else 0,
        updated_on=clock.business_date(saved.created_at) if saved else None,
        statute=law,
        organs=supervision_organs(agency) if with_links else [],
        catalog_items=items,
        catalog_more=more,
        **values,
    )


@dataclass(frozen=True)
class GuideSummary:
    kind: str
    kind_label: str
    version: int
    updated_on: dt.date | None


def guide_summaries(agencies: list[Agency]) -> dict[int, list[GuideSummary]]:
    """For a page of agencies: each kind's current version and date, in one query."""
    latest: dict[tuple[int, str], ServiceGuide] = {}
    rows = ServiceGuide.objects.filter(agency__in=[a.pk for a in agencies]).only(
        "agency_id", "kind", "version", "created_at"
    )
    for row in rows:
        key = (row.agency_id, row.kind)
        if key not in latest or latest[key].version < row.version:
            latest[key] = row
    out: dict[int, list[GuideSummary]] = {}
    for agency in agencies:
        out[agency.pk] = [
            GuideSummary(
                kind,
                label,
                latest[(agency.pk, kind)].version if (agency.pk, kind) in latest else 0,
                clock.business_date(latest[(agency.pk, kind)].created_at)
                if (agency.pk, kind) in latest
                else None,
            )
            for kind, label in guide_kinds()
        ]
    return out


def public_agencies() -> QuerySet[Agency]:
    """Agencies with guides: every active agency except the supervision organs (they enforce nothing here)."""
    return (
        Agency.objects.filter(is_active=True, is_supervision_organ=False)
        .select_related("region")
        .order_by("region__path", "name", "id")
    )


# --- the flow chart ------------------------------------------------------------------------------------------


def flow_chart(law: statutes.Statute, *, width: int = 640, box_h: int = 58, gap: int = 26) -> dict[str, Any]:
    """Server-side SVG layout of a procedure: one box per step, top to bottom, arrows between them; an
    optional step is dashed. Drawn in the page as inline SVG (prints as vectors, no script)."""
    margin, box_w = 10, width - 20
    boxes: list[dict[str, Any]] = []
    for i, step in enumerate(law.steps):
        y = margin + i * (box_h + gap)
        boxes.append(
            {
                "n": i + 1,
                "x": margin,
                "y": y,
                "w": box_w,
                "h": box_h,
                "title": step.title,
                "limit": step.limit,
                "basis": step.basis,
                "optional": step.optional,
                "title_y": y + (24 if step.limit else 35),
                "limit_y": y + 46,
            }
        )
    arrows = [
        {"x": margin + box_w / 2, "y1": b["y"] + box_h, "y2": b["y"] + box_h + gap - 2} for b in boxes[:-1]
    ]
    height = margin * 2 + len(boxes) * box_h + max(len(boxes) - 1, 0) * gap
    return {"width": width, "height": height, "boxes": boxes, "arrows": arrows, "cx": margin + box_w / 2}
