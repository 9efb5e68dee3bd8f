"""The webhook outbox (公示推送发件箱) as a ``zhifa worker`` job, every minute."""

from __future__ import annotations

from zhifa.channels.services import webhooks_push
from zhifa.core.jobs import register_job


def push_webhooks_job() -> str:
    result = webhooks_push()
    return (
        f"推送地址 {result.endpoints} 个：送达 {result.delivered} 条，待重试 {result.retrying} 条，"
        f"失败 {result.failed} 条"
    )


def register() -> None:
    register_job("push_webhooks", 60, push_webhooks_job, label="公示推送发件箱")
