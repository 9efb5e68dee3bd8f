"""The legal-review time-limit sweep (法制审核时限巡查) as a ``zhifa worker`` job."""

from __future__ import annotations

from zhifa.core.jobs import register_job
from zhifa.review.services import review_sweep


def review_sweep_job() -> str:
    # Reminders and escalations happen once each (reminded_on / escalated_on), so hourly runs are safe.
    result = review_sweep()
    return f"到期提醒 {result['reminded']} 件，超期报告 {result['escalated']} 件"


def register() -> None:
    register_job("review_sweep", 3600, review_sweep_job, label="法制审核时限巡查")
