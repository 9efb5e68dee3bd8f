"""报送格式适配器 — how the items of a batch are written (by the county) and read (by the city).

The batch envelope (``docs/exchange-batch.schema.json``: format, version, batch id, source, sequence, the
ledger's signed heads) is zhifa's own; the items inside it are written by the upstream's adapter. The
built-in ``zhifa-v1`` adapter carries zhifa's own fields. A national format — the national administrative
enforcement data standard, or the 互联网+监管 catalogue codes on supervision items (监管事项目录编码) and
inspections (检查行为编码) — plugs in as another adapter: ``register_adapter(MyAdapter())`` in an
``AppConfig.ready()``, then choose it on the upstream (``Upstream.adapter``). A receiver reads each batch with
the adapter its ``adapter`` field names; one it does not know is refused (422), never guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from zhifa.core.errors import InvalidInput
from zhifa.exchange.models import ItemKind


@dataclass(frozen=True)
class RecordFields:
    """What the receiver stores of one item besides its full data (the columns its pages list and filter)."""

    title: str
    state_label: str = ""
    agency_name: str = ""
    is_open: bool = False
    due: dt.date | None = None


class BatchAdapter(Protocol):
    """One item format: ``name`` goes into every batch (``adapter``) so that the receiver reads it alike."""

    name: str
    label: str

    def item_out(self, kind: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
        """The item as the batch carries it (``kind``/``key`` name the record; ``data`` is zhifa's)."""
        ...

    def record_in(self, item: dict[str, Any]) -> tuple[str, str, RecordFields, dict[str, Any]]:
        """``(kind, key, fields, data)`` of a received item; ``InvalidInput`` when malformed."""
        ...


def _text(value: Any, limit: int) -> str:
    return str(value or "")[:limit]


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class ZhifaAdapter:
    """zhifa's own item format, version 1: ``{kind, key, data}`` with ``data`` as ``zhifa.exchange.outbox``
    writes it (``title``, ``state``, ``state_label``, ``agency``, ``is_open``, ``due`` and the rest)."""

    name = "zhifa-v1"
    label = "本平台格式（zhifa-v1）"

    def item_out(self, kind: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
        return {"kind": kind, "key": key, "data": data}

    def record_in(self, item: dict[str, Any]) -> tuple[str, str, RecordFields, dict[str, Any]]:
        if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
            raise InvalidInput("批次中的事项格式不正确。", "Malformed item.", code="batch_malformed")
        kind, key, data = str(item.get("kind") or ""), str(item.get("key") or ""), item["data"]
        if kind not in ItemKind.values or not key or len(key) > 100:
            raise InvalidInput(
                f"批次中的事项类别或标识无效：{kind[:20]}",
                f"Unknown item kind or key: {kind[:20]}",
                code="batch_malformed",
            )
        fields = RecordFields(
            title=_text(data.get("title"), 300) or ItemKind(kind).label,
            state_label=_text(data.get("state_label"), 40),
            agency_name=_text(data.get("agency_name"), 200),
            is_open=bool(data.get("is_open")),
            due=_date(data.get("due")),
        )
        return kind, key, fields, data


_adapters: dict[str, BatchAdapter] = {}


def register_adapter(adapter: BatchAdapter) -> BatchAdapter:
    """Register (or replace, by name) an item format."""
    _adapters[adapter.name] = adapter
    return adapter


def adapter_for(name: str) -> BatchAdapter:
    found = _adapters.get(name)
    if found is None:
        raise InvalidInput(
            f"不支持的报送格式：{name[:40]}",
            f"Unknown batch adapter: {name[:40]}",
            code="batch_adapter_unknown",
        )
    return found


def adapter_choices() -> list[tuple[str, str]]:
    return [(a.name, a.label) for a in _adapters.values()]


register_adapter(ZhifaAdapter())
