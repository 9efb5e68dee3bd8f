"""公示全文检索 — JSON API."""

from ninja import Router

router = Router(tags=["search"])
