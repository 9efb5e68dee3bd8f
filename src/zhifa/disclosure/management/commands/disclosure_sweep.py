"""``zhifa disclosure_sweep`` — create the publication obligations of results that have none yet (daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhifa.disclosure.services import disclosure_sweep


class Command(BaseCommand):
    help = "查找尚未建立公示事项的执法结果（检查结果、不予处罚、历史处罚决定）并建立公示事项"

    def handle(self, *args: Any, **options: Any) -> None:
        created = disclosure_sweep()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in created.items()))
