"""``zhifa inspections_scan`` — the scheduled full warning scan (预警全量扫描), e.g. nightly from cron."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand

from zhifa.core import clock
from zhifa.inspections.warnings import warnings_full_scan


class Command(BaseCommand):
    help = "Apply every inspection warning rule to every inspection (SQL); prints new warnings per rule."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--changed-within-hours",
            type=float,
            default=None,
            help="nightly form: the window rules scan only parties with an inspection recorded in the last N "
            "hours (e.g. 25 for a nightly run); omit after changing settings or credit classes",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        hours = options.get("changed_within_hours")
        since = clock.now() - dt.timedelta(hours=hours) if hours is not None else None
        counts = warnings_full_scan(since=since)
        elapsed = time.perf_counter() - started
        for rule, n in counts.items():
            self.stdout.write(f"{rule}: {n}")
        self.stdout.write(f"预警扫描完成 / scan done in {elapsed:.1f} s")
