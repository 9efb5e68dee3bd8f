"""zhifa review_sweep — daily: remind reviewers before the time limit, report overdue rounds to the head."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from zhifa.review.services import review_sweep


class Command(BaseCommand):
    help = "法制审核时限：到期前提醒审核人员，超期报告机关负责人并提交监督预警（每日运行一次）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--on", type=dt.date.fromisoformat, default=None, help="as of this date (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, on: dt.date | None = None, **options: Any) -> None:
        result = review_sweep(on=on)
        self.stdout.write(f"reminded={result['reminded']} escalated={result['escalated']}")
