"""投诉举报 — JSON API."""

from ninja import Router

router = Router(tags=["complaints"])
