"""``zhifa stats_rebuild [--source case|inspection|warning …]`` — recompute the dashboard's facts from scratch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhifa.stats.aggregates import SOURCES, rebuild


class Command(BaseCommand):
    help = "重建统计预聚合（从案件、检查、检查预警全量重算）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--source", action="append", choices=SOURCES, help="只重建这些来源（可重复）")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = rebuild(options["source"] or SOURCES)
        self.stdout.write(", ".join(f"{k}={v}" for k, v in summary.items()))
