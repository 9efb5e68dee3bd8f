"""Registries for one block: register, run the test, and leave the registry as it was.

The registries are module-level tables filled at import time by the apps (``AppConfig.ready``). A test that
adds to one (or empties one) goes through these context managers; they are the only place that knows the
registries' private attributes.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from zhifa.cases import hooks
from zhifa.core import flags, jobs, menu
from zhifa.portal import feeds


@contextmanager
def _restored(module: Any, *names: str) -> Iterator[None]:
    """Put ``module``'s tables ``names`` back as they were, in place (whoever holds them sees the old rows)."""
    saved = {name: getattr(module, name) for name in names}
    snapshots = {name: copy.copy(table) for name, table in saved.items()}
    try:
        yield
    finally:
        for name, table in saved.items():
            setattr(module, name, table)
            if isinstance(table, dict):
                table.clear()
                table.update(snapshots[name])
            else:
                table[:] = snapshots[name]


@contextmanager
def flag_source(kind: str, label: str, fn: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """``zhifa.core.flags.register_source(kind, label, fn)`` for the block (预警来源)."""

    with _restored(flags, "_sources"):
        flags.register_source(kind, label, fn)
        yield fn


@contextmanager
def flag_listener(fn: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """``zhifa.core.flags.listen(fn)`` for the block."""

    with _restored(flags, "_listeners"):
        flags.listen(fn)
        yield fn


@contextmanager
def feed_source(name: str, fn: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """``zhifa.portal.feeds.register_feed_source(name, fn)`` for the block (门户动态来源)."""

    with _restored(feeds, "_SOURCES"):
        feeds.register_feed_source(name, fn)
        yield fn


@contextmanager
def menu_item(
    label: str, url_name: str, icon: str, action: str | None, *, order: int = 100
) -> Iterator[None]:
    """``zhifa.core.menu.register_menu_item(...)`` for the block (菜单项)."""

    with _restored(menu, "_ENTRIES"):
        menu.register_menu_item(label, url_name, icon, action, order=order)
        yield


_CASE_HOOKS = ("_reasons", "_status", "_checks", "_after", "_panels", "_item_choices")


@contextmanager
def case_hooks_cleared() -> Iterator[Any]:
    """``zhifa.cases.hooks`` with nothing registered inside the block (the checks, after-steps, legal-review
    reasons and status, panels and item choices that other apps plug in); yields the module, so the block
    registers through its public ``register_*`` functions. Everything is back after the block."""

    saved = {name: getattr(hooks, name) for name in _CASE_HOOKS}
    for name, value in saved.items():
        setattr(hooks, name, defaultdict(list) if isinstance(value, dict) else [])
    try:
        yield hooks
    finally:
        for name, value in saved.items():
            setattr(hooks, name, value)


@contextmanager
def only_jobs(*registered: tuple[str, int, Callable[[], str]]) -> Iterator[None]:
    """``zhifa.core.jobs``' registry holding only ``(name, every_s, fn)`` for the block (labelled 测试任务)."""
    with _restored(jobs, "_registry"):
        jobs._registry.clear()
        for name, every_s, fn in registered:
            jobs.register_job(name, every_s, fn, label="测试任务")
        yield
