"""The main menu's extra entries: apps add theirs in ``AppConfig.ready()`` instead of editing the layout."""

from __future__ import annotations

# (order, label, url name, bootstrap icon, action needed with obj=None; None = every signed-in user)
_EXTRA: list[tuple[int, str, str, str, str | None]] = []


def register_menu_item(label: str, url_name: str, icon: str, action: str | None, *, order: int = 100) -> None:
    """Add (or replace, by url name) one menu entry, shown to users for whom ``can(user, action)``."""
    _EXTRA[:] = [e for e in _EXTRA if e[2] != url_name]
    _EXTRA.append((order, label, url_name, icon, action))
    _EXTRA.sort(key=lambda e: (e[0], e[1]))


def extra_items() -> list[tuple[str, str, str, str | None]]:
    return [(label, name, icon, action) for _o, label, name, icon, action in _EXTRA]
