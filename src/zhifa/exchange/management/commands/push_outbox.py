"""``zhifa push-outbox`` — make and send the batches due to the upstream (``zhifa worker`` runs it every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhifa.exchange.outbox import outbox_push_once


class Command(BaseCommand):
    help = "向上级平台报送：把待报送事项组成签名批次，按序号依次发送，失败按退避重试"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--max-batches", type=int, default=100, help="每个上级平台本次最多发送的批次数（默认 100）"
        )

        parser.add_argument(
            "--retry-now", action="store_true", help="待报送批次立即重试（网络恢复后使用），不等退避时间"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = outbox_push_once(max_batches=max(1, options["max_batches"]), retry_now=options["retry_now"])
        self.stdout.write(
            f"upstreams={result.upstreams} batches={result.batches} delivered={result.delivered} "
            f"retrying={result.retrying}"
        )
