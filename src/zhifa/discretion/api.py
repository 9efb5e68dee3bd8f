"""行政裁量权基准 — JSON API."""

from ninja import Router

router = Router(tags=["discretion"])
