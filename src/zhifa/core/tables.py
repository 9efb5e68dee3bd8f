"""Reading uploaded tables (xlsx/csv imports): the file's bytes, its rows, a cell as the text the user typed,
a header cell without its "required" marks. Shared by the importers (parties, catalog, discretion benchmarks,
12345 work orders, reconsideration and litigation outcomes) so that every import opens files, refuses
unreadable ones and reads cells the same way."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from zhifa.core.errors import InvalidInput

FORMATS = ("xlsx", "csv")


def _refuse(message: str, english: str, code: str) -> Exception:
    return InvalidInput(message, english, code=code, field="file")


def decode_csv(data: bytes) -> str:
    """CSV text: UTF-8 (with or without BOM), else GB18030 (what Excel on a Chinese Windows saves)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(
        "无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码后重试。",
        "The CSV file is neither UTF-8 nor GB18030.",
        "import_bad_encoding",
    )


def table_rows(
    data: bytes, filename: str = "", *, formats: tuple[str, ...] = FORMATS
) -> Iterator[tuple[Any, ...]]:
    """The rows of the first sheet of an .xlsx, or of a .csv, as tuples of raw cell values (empty rows too).

    The format is the file name's suffix, or, without a name, the content (an .xlsx is a zip: ``PK``).
    Refused with ``InvalidInput`` (field ``file``): a suffix not in ``formats`` (``import_bad_file_type``),
    an unreadable workbook (``import_bad_file``), a CSV in an unknown encoding (``import_bad_encoding``).
    """
    suffix = Path(filename or "").suffix.lower().lstrip(".")
    if not suffix:
        suffix = "xlsx" if data[:2] == b"PK" or "csv" not in formats else "csv"
    if suffix not in formats:
        names = " 或 ".join(f".{f}" for f in formats)
        raise _refuse(
            f"仅支持 {names} 文件，请使用下载的模板。",
            f"Only {', '.join(formats)} files can be imported.",
            "import_bad_file_type",
        )
    if suffix == "csv":
        return (tuple(row) for row in csv.reader(io.StringIO(decode_csv(data), newline="")))
    return _xlsx_rows(data)


def _xlsx_rows(data: bytes) -> Iterator[tuple[Any, ...]]:
    import openpyxl  # local import: openpyxl is heavy and only an xlsx upload needs it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise _refuse(
            "无法读取 Excel 文件，请确认是 .xlsx 格式。",
            "The file is not a readable .xlsx workbook.",
            "import_bad_file",
        ) from exc
    return _sheet_rows(workbook)


def _sheet_rows(workbook: Any) -> Iterator[tuple[Any, ...]]:
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def read_bytes(file: IO[bytes] | bytes | str | Path) -> bytes:
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
