"""Exchange queries: the counties a city user may see with their lag and witness state, what they pushed,
the open items for the city supervisor's workbench, and the upstream's outbox on a county."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from zhifa.core import flags
from zhifa.exchange import rules
from zhifa.exchange.models import (
    BatchStatus,
    ItemKind,
    OutboxBatch,
    OutboxItem,
    ReceivedBatch,
    ReceivedRecord,
    Source,
    Upstream,
    WitnessState,
)
from zhifa.org import permissions as perms
from zhifa.org.models import User

WITNESS_FLAG_KIND = "exchange_witness_failed"


def sources(user: User) -> QuerySet[Source]:
    """The counties in the caller's scope, each with its open flags and problems and its record counts."""
    return (
        perms.scoped(user, rules.VIEW, Source.objects.select_related("region"))
        .annotate(
            open_flags=Count("records", filter=Q(records__kind=ItemKind.FLAG, records__is_open=True)),
            open_problems=Count("records", filter=Q(records__kind=ItemKind.PROBLEM, records__is_open=True)),
            decisions=Count("records", filter=Q(records__kind=ItemKind.DECISION)),
        )
        .order_by("region__path", "id")
    )


def records(
    user: User, source: Source | None = None, kind: str = "", open_only: bool = False
) -> QuerySet[ReceivedRecord]:
    qs = perms.scoped(user, rules.VIEW, ReceivedRecord.objects.select_related("source"))
    if source is not None:
        qs = qs.filter(source=source)
    if kind:
        qs = qs.filter(kind=kind)
    if open_only:
        qs = qs.filter(is_open=True)
    return qs.order_by("-received_at", "-id")


def open_items(user: User) -> QuerySet[ReceivedRecord]:
    """下级报送的未办结预警和问题 — the city supervisor's queue of what its counties have open."""
    return records(user, open_only=True).filter(kind__in=[ItemKind.FLAG, ItemKind.PROBLEM])


def statistics(source: Source) -> dict[str, Any] | None:
    row = ReceivedRecord.objects.filter(source=source, kind=ItemKind.STATISTICS).order_by("-key").first()
    return row.data if row is not None else None


def batches(user: User, source: Source) -> QuerySet[ReceivedBatch]:
    return perms.scoped(user, rules.VIEW, ReceivedBatch).filter(source=source).order_by("-sequence")


def upstreams() -> list[dict[str, Any]]:
    """This instance's upstreams with their outbox: items waiting, batches pending, the oldest pending."""
    rows: list[dict[str, Any]] = []
    for up in Upstream.objects.order_by("id"):
        pending = OutboxBatch.objects.filter(upstream=up, status=BatchStatus.PENDING)
        rows.append(
            {
                "up": up,
                "waiting": OutboxItem.objects.filter(upstream=up).count(),
                "pending": pending.count(),
                "oldest": pending.order_by("sequence").first(),
                "recent": list(OutboxBatch.objects.filter(upstream=up).order_by("-sequence")[:20]),
            }
        )
    return rows


def witness_flag(source: Source) -> flags.FlagCandidate:
    return flags.FlagCandidate(
        kind=WITNESS_FLAG_KIND,
        key=f"source:{source.pk}",
        agency_id=None,
        region_id=source.region_id,
        title=f"下级平台“{source.name}”账本见证失败",
        detail=source.witness_error,
        url=reverse("exchange:source_detail", args=[source.pk]),
        severity="serious",
    )


def witness_failed_flags(since: Any = None) -> Iterable[flags.FlagCandidate]:
    """The flag source: a county whose ledger failed the witness check (fork, shrink, bad signature)."""
    for source in Source.objects.filter(witness_state=WitnessState.FAILED, is_active=True):
        yield witness_flag(source)
