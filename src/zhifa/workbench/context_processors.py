from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhifa.org.permissions import roles


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "platform_name": "zhifa 行政执法与执法监督一体化平台",
        "user_roles": roles(user) if user else set(),
    }
