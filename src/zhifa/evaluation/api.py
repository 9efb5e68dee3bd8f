"""案卷评查 — JSON API."""

from ninja import Router

router = Router(tags=["evaluation"])
