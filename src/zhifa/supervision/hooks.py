"""Extension point through which apps above supervision hear of flags the scans wrote in bulk (raised, changed
or closed by their source), inside the scan's transaction — ``bulk_create``/``bulk_update``/``update`` send no
``post_save``. ``zhifa.exchange`` listens to put them in its outbox for the city above.

``register_flags_listener(name, fn)``
    ``fn(flags)`` with the ``Flag`` rows as written (their primary keys set). Supervision never imports the
    listeners; without them nothing is called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FlagsListener = Callable[[list[Any]], None]

_listeners: dict[str, FlagsListener] = {}


def register_flags_listener(name: str, fn: FlagsListener) -> FlagsListener:
    """Register (or replace, by ``name``) a listener of flags written in bulk."""
    _listeners[name] = fn
    return fn


def has_listeners() -> bool:
    return bool(_listeners)


def flags_written(flags: list[Any]) -> None:
    """Tell every listener; called by the flag scan in its own transaction."""
    if flags:
        for fn in list(_listeners.values()):
            fn(flags)
