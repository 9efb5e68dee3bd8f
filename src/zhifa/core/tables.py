"""Reading uploaded tables (xlsx/csv imports): the file's bytes, a cell as the text the user typed, a header
cell without its "required" marks. Shared by the importers so that every import reads cells the same way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO


def read_bytes(file: BinaryIO | bytes | str | Path) -> bytes:
    """The whole upload: bytes as given, a path read, a file object read from its start."""
    if isinstance(file, bytes):
        return file
    if isinstance(file, str | Path):
        return Path(file).read_bytes()
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def cell_text(value: Any, *, day_only: bool = False) -> str:
    """A cell as the text the user typed: Excel stores 330102 as a number, we want "330102".

    ``day_only``: a date-time cell gives its day (a date column typed into Excel comes back as a datetime).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    if isinstance(value, dt.datetime) and day_only:
        return value.date().isoformat()
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def header_text(value: Any) -> str:
    """A header cell without spaces and the marks templates put on required columns ("名称*", "名称（必填）")."""
    text = cell_text(value).replace(" ", "").replace("\u3000", "")
    return text.removesuffix("（必填）").removesuffix("(必填)").rstrip("*＊")
