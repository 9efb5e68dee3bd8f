"""Atom feed of the ledger's signed tree heads (/public/ledger/feed/): the newest 100, for feed readers and
witnesses that poll; each entry carries the head's size, root, time, algorithms and signature."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from zhifa.core.paging import encode_cursor
from zhifa.records import witness
from zhifa.records.models import SignedTreeHead

FEED_SIZE = 100


class LedgerHeadsFeed(Feed):
    feed_type = Atom1Feed
    title = "执法全过程记录账本：签名树头"
    subtitle = "平台定期签名的账本树头（树大小、根哈希、签名）。公钥见 /api/portal/ledger/public-key。"

    def link(self) -> str:
        return reverse("portal:ledger_feed")

    def items(self) -> list[SignedTreeHead]:
        return list(SignedTreeHead.objects.order_by("-id")[:FEED_SIZE])

    def item_title(self, item: SignedTreeHead) -> str:
        return f"签名树头：{item.tree_size} 条记录"

    def item_description(self, item: SignedTreeHead) -> str:
        return json.dumps(witness.head_public(item), ensure_ascii=False, sort_keys=True)

    def item_link(self, item: SignedTreeHead) -> str:
        return f"/api/portal/ledger/heads?cursor={encode_cursor((item.id + 1,), ('-id',))}&limit=1"

    def item_guid(self, item: SignedTreeHead) -> str:
        return f"zhifa-ledger-head:{item.id}:{bytes(item.signature).hex()[:32]}"

    def item_pubdate(self, item: SignedTreeHead) -> dt.datetime:
        return item.signed_at

    def item_updateddate(self, item: SignedTreeHead) -> dt.datetime:
        return item.signed_at
