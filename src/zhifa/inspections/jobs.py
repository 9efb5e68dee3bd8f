"""The full inspection warning scan (预警全量扫描) as a nightly ``zhifa worker`` job."""

from __future__ import annotations

from zhifa.core.jobs import register_job
from zhifa.inspections.warnings import warnings_full_scan


def inspections_scan_job() -> str:
    counts = warnings_full_scan()
    return f"检查预警全量扫描：新增预警 {sum(counts.values())} 条（{len(counts)} 条规则）"


def register() -> None:
    register_job("inspections_scan", 86400, inspections_scan_job, label="检查预警全量扫描", lease_s=4 * 3600)
