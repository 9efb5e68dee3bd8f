"""``zhifa inspections_scan`` — the scheduled full warning scan (预警全量扫描), e.g. nightly from cron."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from zhifa.inspections.warnings import warnings_full_scan


class Command(BaseCommand):
    help = "Apply every inspection warning rule to every inspection (SQL); prints new warnings per rule."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counts = warnings_full_scan()
        elapsed = time.perf_counter() - started
        for rule, n in counts.items():
            self.stdout.write(f"{rule}: {n}")
        self.stdout.write(f"预警扫描完成 / scan done in {elapsed:.1f} s")
