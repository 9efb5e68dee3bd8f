"""``zhifa push-webhooks`` — send the outgoing webhooks that are due (every minute, from a timer or cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhifa.channels.services import webhooks_push


class Command(BaseCommand):
    help = (
        "推送到期的公示推送（公示发布、撤回/更正、双公示增量、测试事件）：按推送地址依次发送，失败按退避重试"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--max-per-endpoint", type=int, default=100, help="每个推送地址本次最多发送的条数（默认 100）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = webhooks_push(max_per_endpoint=max(1, options["max_per_endpoint"]))
        self.stdout.write(
            f"endpoints={result.endpoints} batches={result.batches} delivered={result.delivered} "
            f"retrying={result.retrying} failed={result.failed}"
        )
