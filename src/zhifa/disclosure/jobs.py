"""The disclosure sweep (公示事项巡查) as a ``zhifa worker`` job."""

from __future__ import annotations

from zhifa.core.jobs import register_job
from zhifa.disclosure.services import disclosure_sweep

LABELS = {
    "inspection": "检查结果",
    "penalty": "处罚决定",
    "not_punish": "不予处罚",
    "compulsion": "行政强制",
    "due_filled": "补定公示期限",
    "period_filled": "补定公示期",
    "expired_unindexed": "期满移出检索",
}


def disclosure_sweep_job() -> str:
    created = disclosure_sweep()
    done = [f"{LABELS.get(k, '其他')} {v}" for k, v in created.items() if v]
    return "公示事项巡查：" + ("，".join(done) if done else "无需处理的事项")


def register() -> None:
    register_job("disclosure_sweep", 3600, disclosure_sweep_job, label="公示事项巡查")
