"""The demo county's statistics: rebuild the facts once every app's demo data is in (step 160)."""

from __future__ import annotations

from typing import Any


def demo_step(ctx: Any) -> None:
    from zhifa.stats.aggregates import rebuild

    summary = rebuild()
    ctx.say(f"统计：重建预聚合 {summary['facts']} 格")
