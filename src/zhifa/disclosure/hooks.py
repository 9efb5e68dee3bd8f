"""Extension point through which apps above disclosure hear of a publication's public events, inside the
transaction of the service that made them — so that what they write (the outbox of outgoing webhooks,
``zhifa.channels``) commits or rolls back with the publication itself.

``register_publication_listener(fn)``
    ``fn(event, publication)`` is called after a publication became public (``"published"``) or left the
    public list (``"withdrawn"``: 撤回, including the withdrawal of a wrong entry before its correction is
    republished). The listener must not call back into disclosure's services.

Disclosure never imports the listeners; without them (an app not installed) nothing is called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PUBLISHED = "published"
WITHDRAWN = "withdrawn"

PublicationListener = Callable[[str, Any], None]

_listeners: dict[str, PublicationListener] = {}


def register_publication_listener(name: str, fn: PublicationListener) -> PublicationListener:
    """Register (or replace, by ``name``) a listener of publication events."""
    _listeners[name] = fn
    return fn


def unregister_publication_listener(name: str) -> None:
    _listeners.pop(name, None)


def publication_event(event: str, publication: Any) -> None:
    """Tell every listener; called by the services in their own transaction."""
    for fn in list(_listeners.values()):
        fn(event, publication)
