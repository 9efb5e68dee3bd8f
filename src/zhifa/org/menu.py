"""Whether a link may be shown to a user: a page of the menu registry (``zhifa.core.menu``) only if its action allows it.

The layout (``zhifa.workbench.templatetags.zhifa_ui``) draws the menu from it; views of any app ask ``may_open``
before showing a link. Only URL names are named here, so no app is imported.
"""

from __future__ import annotations

from typing import Any

from django.urls import Resolver404, resolve

from zhifa.core.menu import menu_entries
from zhifa.org.permissions import can


def may_open(user: Any, url: str) -> bool:
    """Whether a link may be shown to ``user``: a page of the menu only if its action allows it (other pages
    check their object themselves, and are shown)."""
    try:
        match = resolve(url.split("?", 1)[0])
    except Resolver404:
        return False
    for entry in menu_entries():
        if entry.url_name == match.view_name:
            return entry.action is None or can(user, entry.action)
    return True
