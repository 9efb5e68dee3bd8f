"""Every dashboard chart's data as an xlsx sheet (openpyxl): the labels down, one column per series."""

from __future__ import annotations

import io
from typing import Any


def chart_xlsx(data: dict[str, Any], scope_label: str, year: int) -> bytes:
    # local import: openpyxl is heavy and only the spreadsheet export needs it
    from openpyxl import Workbook
    from openpyxl.styles import Font  # local import: openpyxl, as above

    wb = Workbook()
    ws = wb.active
    ws.title = data["name"][:31]
    ws.append([f"{data['title']} — {scope_label}（{year} 年）"])
    ws["A1"].font = Font(bold=True)
    ws.append(["项目", *[s["name"] for s in data["series"]]])
    for i, label in enumerate(data["labels"]):
        ws.append([label, *[s["values"][i] for s in data["series"]]])
    if data.get("note"):
        ws.append([])
        ws.append([data["note"]])
    ws.column_dimensions["A"].width = 32
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
