"""法制审核 — JSON API."""

from ninja import Router

router = Router(tags=["review"])
