"""执法监督 — JSON API."""

from ninja import Router

router = Router(tags=["supervision"])
