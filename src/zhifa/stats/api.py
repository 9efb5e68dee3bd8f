"""统计与考评 — JSON API."""

from ninja import Router

router = Router(tags=["stats"])
