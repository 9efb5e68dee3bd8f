"""The nightly recomputation of the dashboard facts (统计重建) as a ``zhifa worker`` job.

Facts follow each change as it is saved (``aggregates.connect``); the rebuild reconciles them from scratch.
"""

from __future__ import annotations

from zhifa.core.jobs import register_job
from zhifa.stats.aggregates import SOURCES, rebuild


def stats_rebuild_job() -> str:
    summary = rebuild(SOURCES)
    return f"统计预聚合已重建：{sum(summary.values())} 行"


def register() -> None:
    register_job("stats_rebuild", 86400, stats_rebuild_job, label="统计预聚合重建", lease_s=4 * 3600)
