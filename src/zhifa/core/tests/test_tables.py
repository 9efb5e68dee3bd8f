"""Every importer opens uploads the same way (``zhifa.core.tables.table_rows``): xlsx or csv by name or by
content, CSV in UTF-8 or GB18030, and a clear refusal for anything else."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from zhifa.core.errors import InvalidInput
from zhifa.core.tables import table_rows


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_an_xlsx_is_read_by_name_or_by_content() -> None:
    data = _xlsx([["名称", "代码"], ["测试", 330102]])
    assert list(table_rows(data, "a.xlsx")) == [("名称", "代码"), ("测试", 330102)]
    assert list(table_rows(data)) == [("名称", "代码"), ("测试", 330102)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_is_read_in_utf8_with_or_without_bom_or_gb18030(encoding: str) -> None:
    data = "名称,代码\n测试,330102\n".encode(encoding)
    assert list(table_rows(data, "a.csv")) == [("名称", "代码"), ("测试", "330102")]


@pytest.mark.parametrize(
    ("data", "filename", "formats", "code"),
    [
        (b"x", "a.txt", ("xlsx", "csv"), "import_bad_file_type"),
        (b"a,b\n", "a.csv", ("xlsx",), "import_bad_file_type"),
        (b"not a workbook", "a.xlsx", ("xlsx", "csv"), "import_bad_file"),
        (b"PK\x03\x04 truncated", "", ("xlsx",), "import_bad_file"),
        (b"\xff\xfe\x00\xd8\x00\xd8", "a.csv", ("csv",), "import_bad_encoding"),
    ],
)
def test_anything_else_is_refused_with_a_reason(
    data: bytes, filename: str, formats: tuple[str, ...], code: str
) -> None:
    with pytest.raises(InvalidInput) as exc:
        list(table_rows(data, filename, formats=formats))
    assert exc.value.code == code and exc.value.field == "file" and exc.value.message
