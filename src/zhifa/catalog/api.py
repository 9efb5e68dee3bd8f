"""执法事项目录与四张清单 — JSON API."""

from ninja import Router

router = Router(tags=["catalog"])
