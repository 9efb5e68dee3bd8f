"""``zhifa supervision_scan`` — gather every flag source into the one warning queue (run from cron/systemd)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhifa.supervision.services import flags_scan


class Command(BaseCommand):
    help = "汇集监督预警：调用所有已登记的预警来源，按 (类型, 标识) 写入预警队列，关闭来源已消除的预警。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", action="append", help="只汇集这些类型（可重复）")

    def handle(self, *args: Any, **options: Any) -> None:
        run = flags_scan(kinds=options.get("kind"))
        for kind, counts in sorted(run.counts.items()):
            self.stdout.write(
                f"{kind}: raised {counts['raised']}, refreshed {counts['refreshed']}, "
                f"closed {counts['closed']}, reopened {counts['reopened']}"
            )
        for kind, error in sorted(run.errors.items()):
            self.stderr.write(f"{kind}: ERROR {error}")
        if run.errors:
            raise SystemExit(1)
