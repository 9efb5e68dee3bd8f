"""Reads of discretion: the benchmarks a user may see, and the deviation / tier report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from zhifa.core import clock
from zhifa.discretion import rules
from zhifa.discretion.models import Benchmark, Deviation, Outcome
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Domain, Region, User


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def benchmarks_visible(user: User) -> QuerySet[Benchmark]:
    """Benchmarks in the user's scope, plus the region benchmarks that apply to the user's agencies."""
    qs = Benchmark.objects.all()
    scoped = perms.scoped(user, rules.VIEW, qs)
    if not perms.can(user, rules.VIEW):
        return scoped
    if getattr(user, "is_superuser", False):
        return qs
    prefixes: set[str] = set()
    for grant in perms.grants(user):
        if rules.VIEW in perms.ROLE_ACTIONS.get(grant.role, frozenset()) and grant.region_path:
            prefixes.update(_ancestor_paths(grant.region_path))
    if not prefixes:
        return scoped
    return qs.filter(Q(pk__in=scoped.values("pk")) | Q(region__isnull=False, region_path__in=prefixes))


def _agency_ids(agencies: Iterable[Agency | int] | QuerySet[Agency] | None) -> list[int] | None:
    if agencies is None:
        return None
    if isinstance(agencies, QuerySet):
        return list(agencies.values_list("pk", flat=True))
    return [a if isinstance(a, int) else a.pk for a in agencies]


def deviation_report(
    *, agencies: Iterable[Agency | int] | QuerySet[Agency] | None = None, year: int | None = None
) -> list[dict[str, Any]]:
    """裁量偏离统计 — per agency and year of decision: decisions judged against a benchmark, deviations (and
    how many of them had a written reason), and how the decisions spread over the tiers.
    ``agencies=None`` means every agency (callers scope it)."""
    ids = _agency_ids(agencies)
    outcomes = Outcome.objects.annotate(
        explained=Exists(Deviation.objects.filter(case_id=OuterRef("case_id")))
    )
    if ids is not None:
        outcomes = outcomes.filter(agency_id__in=ids)
    if year is not None:
        outcomes = outcomes.filter(decided_on__year=year)
    rows: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"decided": 0, "with_benchmark": 0, "deviated": 0, "explained": 0, "tiers": {}}
    )
    for r in outcomes.values("agency_id", "tier_name", "deviated", "explained").annotate(n=Count("id")):
        row = rows[r["agency_id"]]
        row["decided"] += r["n"]
        if r["tier_name"]:
            row["with_benchmark"] += r["n"]
            row["tiers"][r["tier_name"]] = row["tiers"].get(r["tier_name"], 0) + r["n"]
        if r["deviated"]:
            row["deviated"] += r["n"]
            if r["explained"]:
                row["explained"] += r["n"]
    names = dict(Agency.objects.filter(pk__in=list(rows)).values_list("pk", "name"))
    result = []
    for agency_id, row in rows.items():
        base = row["with_benchmark"]
        result.append(
            {
                "agency_id": agency_id,
                "agency_name": names.get(agency_id, str(agency_id)),
                "year": year,
                **row,
                "deviation_rate": round(row["deviated"] / base, 4) if base else None,
            }
        )
    result.sort(key=lambda r: (-r["deviated"], r["agency_name"]))
    return result


# --- benchmarks in public (事前公开) ------------------------------------------------------------------------------


def _in_force(on: dt.date) -> Q:
    # the end date is the last day in force (a new version closes the old one the day before it starts)
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gte=on))


def public_benchmarks(
    *,
    on: dt.date | None = None,
    q: str = "",
    agency: Agency | None = None,
    region: Region | None = None,
    domain: Domain | None = None,
) -> QuerySet[Benchmark]:
    """裁量基准公示 — the benchmark versions in force on ``on`` (today by default), as they stood that day.

    ``agency``: its own benchmarks and those its region's governments issued for it; ``region``: benchmarks
    issued in it or for a region above it; ``domain``: benchmarks of an agency of the domain (a government's
    benchmark is kept when its agencies of the domain use it: its item code is theirs)."""
    on = on or clock.today()
    qs = Benchmark.objects.filter(_in_force(on)).filter(Q(agency__isnull=True) | Q(agency__is_active=True))
    if agency is not None:
        qs = qs.filter(
            Q(agency_id=agency.pk)
            | Q(agency__isnull=True, region_path__in=_ancestor_paths(agency.region.path))
        )
    if region is not None:
        qs = qs.filter(
            Q(region_path__startswith=region.path)
            | Q(agency__isnull=True, region_path__in=_ancestor_paths(region.path))
        )
    if domain is not None:
        of_domain = Agency.objects.filter(domains=domain)
        qs = qs.filter(
            Q(agency__in=of_domain)
            | Q(
                agency__isnull=True,
                catalog_item_code__in=Benchmark.objects.filter(agency__in=of_domain).values(
                    "catalog_item_code"
                ),
            )
        )
    for term in q.split()[:5]:
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(catalog_item_code__icontains=term)
            | Q(law_name__icontains=term)
            | Q(article__icontains=term)
            | Q(basis_text__icontains=term)
            | Q(tiers__condition_text__icontains=term)
        ).distinct()
    return qs.select_related("agency", "region").prefetch_related("tiers")


def public_benchmark(pk: int) -> Benchmark | None:
    """One benchmark version for the public (any version, past ones too: they are the record of what applied)."""
    return (
        Benchmark.objects.filter(pk=pk)
        .filter(Q(agency__isnull=True) | Q(agency__is_active=True))
        .select_related("agency", "region")
        .prefetch_related("tiers")
        .first()
    )


def benchmark_versions(benchmark: Benchmark) -> QuerySet[Benchmark]:
    """Every version of the benchmark's series (same issuer and item), newest first."""
    issuer = (
        Q(agency_id=benchmark.agency_id)
        if benchmark.agency_id is not None
        else Q(agency__isnull=True, region_id=benchmark.region_id)
    )
    return Benchmark.objects.filter(issuer, catalog_item_code=benchmark.catalog_item_code).order_by(
        "-version"
    )


def benchmark_version_on(benchmark: Benchmark, on: dt.date) -> Benchmark | None:
    """The version of the benchmark's series in force on ``on`` (at most one: versions never overlap)."""
    return benchmark_versions(benchmark).filter(_in_force(on)).select_related("agency", "region").first()
