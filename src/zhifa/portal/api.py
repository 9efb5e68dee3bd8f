"""公示平台 — JSON API."""

from ninja import Router

router = Router(tags=["portal"])
