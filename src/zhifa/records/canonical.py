"""Canonical JSON (规范化 JSON): one byte string per value, so that a digest of it is reproducible anywhere.

``json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))`` encoded as UTF-8, with
aware datetimes in ISO 8601 UTC (``2025-01-02T03:04:05.123456Z``), dates in ISO 8601, ``Decimal`` as its
string, ``UUID`` as its string and ``bytes`` as lowercase hex.  Naive datetimes, NaN and infinities, and any
other type are refused (``TypeError`` / ``ValueError``): a record whose bytes depend on the server's time zone
or on a float's repr in some other language cannot be verified by a court on another computer.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

__all__ = ["canonical_json", "canonical_text", "iso_utc"]


def iso_utc(value: dt.datetime) -> str:
    """An aware datetime as ISO 8601 in UTC with a ``Z`` suffix; naive datetimes are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise TypeError(f"naive datetime {value!r} cannot be put in a record; use an aware datetime")
    text = value.astimezone(dt.UTC).replace(tzinfo=None).isoformat()
    return text + "Z"


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return iso_utc(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value!r} has no canonical JSON form")
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    raise TypeError(f"{type(value).__name__} has no canonical JSON form")


def canonical_text(value: Any) -> str:
    """The canonical JSON of ``value`` as a ``str`` (see the module docstring)."""
    return json.dumps(
        value,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        allow_nan=False,
        default=_default,
    )


def canonical_json(value: Any) -> bytes:
    """The canonical JSON of ``value`` as UTF-8 bytes (see the module docstring)."""
    return canonical_text(value).encode("utf-8")
