"""The main menu: every entry is registered here by its app in ``AppConfig.ready()``; the top bar
(``zhifa_ui.menu_groups``) renders this registry only, grouped by area of work."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MenuEntry:
    order: int
    label: str
    url_name: str  # "namespace:page"; the namespace places it in an area of the top bar
    icon: str  # bootstrap icon name
    action: str | None  # needed with obj=None; None = every signed-in user
    exact: bool = False  # active only on its own URL (else also on the pages below it)


_ENTRIES: list[MenuEntry] = []


def register_menu_item(
    label: str, url_name: str, icon: str, action: str | None, *, order: int = 100, exact: bool = False
) -> None:
    """Add (or replace, by url name) one menu entry, shown to users for whom ``can(user, action)``."""
    _ENTRIES[:] = [e for e in _ENTRIES if e.url_name != url_name]
    _ENTRIES.append(MenuEntry(order, label, url_name, icon, action, exact))
    _ENTRIES.sort(key=lambda e: (e.order, e.label))


def menu_entries() -> list[MenuEntry]:
    """Every registered entry, in menu order."""
    return list(_ENTRIES)


def extra_items() -> list[tuple[str, str, str, str | None]]:
    """The entries as ``(label, url name, icon, action)`` (the shape callers used before ``menu_entries``)."""
    return [(e.label, e.url_name, e.icon, e.action) for e in _ENTRIES]
