"""Feeds of public items: the portal home's "latest" list and an Atom feed per agency.

Other apps add their public items through :func:`register_feed_source` (the disclosure app adds published
decisions), in ``AppConfig.ready()``::

    from zhifa.portal.feeds import FeedItem, register_feed_source

    def decisions(agency_id: int | None, limit: int) -> list[FeedItem]:
        ...  # newest first, at most ``limit``, only what is public, already desensitised
    register_feed_source("decisions", decisions)

A source takes ``agency_id`` (``None``: every agency) and ``limit`` and returns ``FeedItem``s newest first;
it must return public data only (masked names, no identity numbers). A source that raises is skipped (and
logged), so one broken app never takes the portal down.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from zhifa.core import clock
from zhifa.disclosure.privacy import scrub_text
from zhifa.disclosure.selectors import public_publications
from zhifa.org.models import Agency
from zhifa.portal.selectors import published_devices, published_plans

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedItem:
    """One public item: what it is, where to read it, when it was published, whose it is."""

    title: str
    url: str
    published_at: dt.datetime
    agency_id: int | None
    kind: str  # short Chinese label: 监控设备, 检查计划, 行政处罚决定 …
    description: str = ""
    # The home page lists lower ranks first: 0 行政处罚决定, 1 行政许可决定, 2 检查结果, 9 the rest.
    rank: int = 9

    @property
    def decision(self) -> bool:
        """An enforcement decision or result (a publication), shown before plans and devices."""
        return self.rank < 9


FeedSource = Callable[[int | None, int], Iterable[FeedItem]]
_SOURCES: dict[str, FeedSource] = {}


def register_feed_source(name: str, fn: FeedSource) -> None:
    """Add (or replace, by name) a source of public items for the home page and the agency feeds."""
    _SOURCES[name] = fn


def feed_sources() -> dict[str, FeedSource]:
    return dict(_SOURCES)


def _devices(agency_id: int | None, limit: int) -> list[FeedItem]:
    qs = published_devices(agency_id=agency_id).order_by("-published_at", "-id")[:limit]
    return [
        FeedItem(
            title=f"{d.agency.name}：{d.get_kind_display()}设置地点公布（{d.location}）",
            url=reverse("portal:devices") + f"?agency={d.agency_id}",
            published_at=d.published_at,
            agency_id=d.agency_id,
            kind="监控设备",
            description=f"{d.location}，监控内容：{d.purpose}，{d.in_use_from:%Y-%m-%d} 起启用。",
        )
        for d in qs
    ]


def _plans(agency_id: int | None, limit: int) -> list[FeedItem]:
    qs = published_plans(agency_id=agency_id).order_by("-published_at", "-id")[:limit]
    return [
        FeedItem(
            title=f"{p.agency.name}：{p.title if str(p.year) in p.title else f'{p.year}年度{p.title}'}",
            url=reverse("portal:plans") + f"?agency={p.agency_id}",
            published_at=p.published_at or clock.now(),
            agency_id=p.agency_id,
            kind="检查计划",
            description=f"{p.year}年度涉企行政检查计划。",
        )
        for p in qs
    ]


_DECISION_RANK = {"penalty": 0, "not_punish": 0, "licensing": 1, "inspection": 2}


def _decisions(agency_id: int | None, limit: int) -> list[FeedItem]:
    """执法决定 — published decisions (行政处罚、不予处罚、许可、检查结果), desensitised when drafted."""

    qs = public_publications(agency_id=agency_id).order_by("-published_at", "-id")[:limit]
    return [
        FeedItem(
            title=scrub_text(p.title),
            url=reverse("pub:decision_detail", args=[p.pk]),
            published_at=p.published_at or clock.now(),
            agency_id=p.agency_id,
            kind=p.get_kind_display(),
            description=scrub_text(p.facts[:200]),
            rank=_DECISION_RANK.get(p.kind, 2),
        )
        for p in qs
    ]


register_feed_source("portal.devices", _devices)
register_feed_source("portal.plans", _plans)
register_feed_source("disclosure.decisions", _decisions)


def latest_items(
    *, agency_id: int | None = None, limit: int = 20, decisions_first: bool = False
) -> list[FeedItem]:
    """The newest public items of every source, merged newest first; with ``decisions_first`` (the home
    page's 最新公开) 行政处罚决定 come first, then the other decisions and results, then everything else."""
    items: list[FeedItem] = []
    for name, fn in _SOURCES.items():
        try:
            items.extend(list(fn(agency_id, limit))[:limit])
        except Exception:  # a broken source must not take the portal down
            logger.exception("portal feed source %s failed", name)
    items.sort(key=lambda i: i.published_at, reverse=True)
    if decisions_first:
        items.sort(key=lambda i: i.rank)  # stable: each rank stays newest first
    return items[:limit]


class AgencyFeed(Feed):
    """Atom feed of one agency's public items (/public/agencies/<pk>/feed/)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, pk: int) -> object:
        agency = Agency.objects.filter(pk=pk, is_active=True).first() if 0 < pk < 2**62 else None
        if agency is None:
            raise Http404("该执法主体不存在或未公开。")
        return agency

    def title(self, obj: object) -> str:
        return f"{obj}：行政执法信息公示"

    def link(self, obj: object) -> str:
        return reverse("portal:agency_detail", kwargs={"pk": obj.pk})  # type: ignore[attr-defined]

    def subtitle(self, obj: object) -> str:
        return "执法主体公开的执法信息（检查计划、监控设备、执法决定等）。"

    def items(self, obj: object) -> list[FeedItem]:
        return latest_items(agency_id=obj.pk, limit=50)  # type: ignore[attr-defined]

    def item_title(self, item: FeedItem) -> str:
        return f"[{item.kind}] {item.title}"

    def item_description(self, item: FeedItem) -> str:
        return item.description

    def item_link(self, item: FeedItem) -> str:
        return item.url

    def item_guid(self, item: FeedItem) -> str:
        return f"{item.url}#{item.kind}-{item.published_at.isoformat()}"

    def item_pubdate(self, item: FeedItem) -> dt.datetime:
        return item.published_at

    def item_updateddate(self, item: FeedItem) -> dt.datetime:
        return item.published_at
