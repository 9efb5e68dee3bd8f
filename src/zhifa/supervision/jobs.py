"""Gathering every flag source into the one warning queue (汇集监督预警) as a ``zhifa worker`` job."""

from __future__ import annotations

from zhifa.core.jobs import register_job
from zhifa.supervision.services import flags_scan


class FlagSourcesFailed(Exception):
    """Some flag sources raised: the others were gathered; the job is recorded as failed and retried."""


def supervision_scan_job() -> str:
    run = flags_scan()
    raised = sum(counts["raised"] for counts in run.counts.values())
    closed = sum(counts["closed"] for counts in run.counts.values())
    if run.errors:
        failed = "；".join(f"{kind}：{error}" for kind, error in sorted(run.errors.items()))
        raise FlagSourcesFailed(f"{len(run.errors)} 个预警来源失败（新增 {raised} 条）：{failed}")
    return f"汇集 {len(run.counts)} 类预警：新增 {raised} 条，关闭 {closed} 条"


def register() -> None:
    register_job("supervision_scan", 900, supervision_scan_job, label="汇集监督预警", lease_s=3600)
