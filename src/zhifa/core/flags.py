"""Supervision flag sources (监督预警来源): how any app tells supervision what it should look at.

An app that knows of something a supervisor must see — a case past its limit, a decision not published in
time, a penalty outside the discretion benchmark, an inspection warning, a lapsed certificate — registers a
*source* in its ``AppConfig.ready()``::

    from zhifa.core import flags

    flags.register_source("discretion_deviation", "裁量偏离基准", open_deviation_flags)

A source is a function ``fn(since: datetime | None) -> Iterable[FlagCandidate]`` that yields the flags that
are open now (``since`` lets it look only at rows changed after a time; a source may ignore it and yield
everything open). The supervision app gathers every source into one queue, keyed by ``(kind, key)`` so a
flag is raised once and closes when its source stops yielding it; it can also be told at once with
:func:`notify` from inside a service, which calls the listeners supervision registered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FlagCandidate:
    """One thing a supervisor should look at, as its source sees it now."""

    kind: str  # the source's kind, e.g. "discretion_deviation"
    key: str  # stable within the kind, e.g. "case:123" — the same problem always has the same key
    agency_id: int | None  # the agency responsible (its region scopes who sees it)
    title: str  # Chinese, one line
    detail: str = ""
    object_type: str = ""  # e.g. "cases.case"
    object_id: str = ""
    url: str = ""  # where to act on it
    due: dt.date | None = None
    severity: str = "warning"  # "info" | "warning" | "serious"
    region_id: int | None = None  # when no agency is responsible (e.g. a party's region)
    data: dict[str, Any] = field(default_factory=dict)


SourceFn = Callable[[dt.datetime | None], Iterable[FlagCandidate]]
ListenerFn = Callable[[FlagCandidate], None]

_sources: dict[str, tuple[str, SourceFn]] = {}
_listeners: list[ListenerFn] = []


def register_source(kind: str, label: str, fn: SourceFn) -> SourceFn:
    """Register (or re-register) the source of one kind of flag."""
    _sources[kind] = (label, fn)
    return fn


def sources() -> dict[str, tuple[str, SourceFn]]:
    """Every registered kind: ``{kind: (label, fn)}``."""
    return dict(_sources)


def label(kind: str) -> str:
    return _sources.get(kind, (kind, None))[0]


def listen(fn: ListenerFn) -> ListenerFn:
    """Supervision registers here to hear of a flag the moment a service raises it."""
    if fn not in _listeners:
        _listeners.append(fn)
    return fn


def notify(candidate: FlagCandidate) -> None:
    """Raise a flag now (inside the caller's transaction); the periodic gathering would find it later anyway."""
    for fn in _listeners:
        fn(candidate)
