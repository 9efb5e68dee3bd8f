"""执法信息公示 — JSON API."""

from ninja import Router

router = Router(tags=["disclosure"])
