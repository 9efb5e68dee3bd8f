"""The exchange outbox (上报发件箱) as a ``zhifa worker`` job: a county's batches to its city, every minute."""

from __future__ import annotations

from zhifa.core.jobs import register_job
from zhifa.exchange.outbox import PUSH_INTERVAL_SECONDS, outbox_push_once


def push_outbox_job() -> str:
    result = outbox_push_once()
    return (
        f"上级平台 {result.upstreams} 个：新批次 {result.batches} 个，送达 {result.delivered} 个，"
        f"待重试 {result.retrying} 个"
    )


def register() -> None:
    register_job("push_outbox", PUSH_INTERVAL_SECONDS, push_outbox_job, label="上报上级平台发件箱")
