"""公示平台 — reads for the public pages. Everything here is public data: no scope, no personal data."""

from __future__ import annotations

from zhifa.org.models import Region


def portal_region() -> Region | None:
    """The region the portal speaks for: the top-most region (lowest code among those without a parent)."""
    return Region.objects.filter(parent__isnull=True).order_by("code").first()
