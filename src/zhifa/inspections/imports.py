"""检查表单导入 — checklists of inspection items from an Excel (.xlsx) file, one line per row; all or nothing.

Each row names its item (抽查事项) by code or name, the line's number (序号), its content, method and legal basis.
The rows of one item form a new version of its checklist (``services.checklist_set``) from the chosen date.
The whole file is checked first — unknown items, items outside the importer's scope, missing content, a number
given twice for one item, the same line twice, a date not after the item's latest version — and nothing is
written unless every row is valid. Each error names the spreadsheet row (header = row 1), the column by its
Chinese header and the reason, in Chinese.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models import Max, Q

from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.tables import cell_text, header_text, read_bytes, table_rows
from zhifa.inspections import rules
from zhifa.inspections.checklists import line_key
from zhifa.inspections.models import ChecklistLine, InspectionItem
from zhifa.inspections.services.lists import CHECKLIST_MAX_LINES, checklist_set
from zhifa.org import permissions as perms
from zhifa.org.models import User

COLUMNS: list[tuple[str, str]] = [
    ("事项编码或名称", "item"),
    ("序号", "order"),
    ("检查内容", "content"),
    ("检查方法与标准", "method"),
    ("依据条款", "basis"),
    ("执法主体", "agency"),
]
REQUIRED = ("事项编码或名称", "序号", "检查内容", "检查方法与标准")
_HEADER = {name: header for header, name in COLUMNS}
MAX_ROWS = 5_000
CONTENT_MAX = 1000
BASIS_MAX = 300

EXAMPLE = [
    ["SC-SJ-001", 1, "是否取得食品经营许可证，许可事项与实际经营一致", "查验许可证原件，现场核对经营场所和经营项目",
     "《中华人民共和国食品安全法》第三十五条", ""],
    ["SC-SJ-001", 2, "从业人员是否取得健康证明", "抽查从业人员健康证明，核对有效期",
     "《中华人民共和国食品安全法》第四十五条", ""],
]  # fmt: skip


@dataclass
class ImportReport:
    total_rows: int = 0
    created: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"total_rows": self.total_rows, "created": self.created, "errors": self.errors, "ok": self.ok}


def template_xlsx() -> bytes:
    """The import template: the headers (required ones marked *), two example rows and a sheet of notes."""
    from openpyxl import Workbook  # local import: openpyxl is heavy and only the template download needs it

    wb = Workbook()
    ws = wb.active
    ws.title = "检查表单"
    ws.append([f"{h}*" if h in REQUIRED else h for h, _f in COLUMNS])
    for row in EXAMPLE:
        ws.append(row)
    notes = wb.create_sheet("填写说明")
    notes.append(["项目", "说明"])
    notes.append(["事项编码或名称", "随机抽查事项清单中的事项编码（或事项名称），须是您有权管理的事项"])
    notes.append(["序号", "正整数；同一事项的各行按序号排列，序号不得重复"])
    notes.append(["检查内容、检查方法与标准", "必填"])
    notes.append(["依据条款", f"法律、法规、规章的具体条款，最多 {BASIS_MAX} 字"])
    notes.append(["执法主体", "选填；事项编码在多个执法主体中重复时填写，以便区分"])
    notes.append(["版本", "同一事项的各行组成该事项检查表单的一个新版本，自导入时选定的施行日期起施行"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _rows(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    it = table_rows(data, filename, formats=("xlsx",))
    header = [header_text(c) for c in next(it, ())]
    rows = []
    for number, values in enumerate(it, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        rows.append((number, list(values)))
        if len(rows) > MAX_ROWS:
            raise InvalidInput(
                f"文件超过 {MAX_ROWS} 行。",
                f"More than {MAX_ROWS} rows.",
                code="import_too_many_rows",
                field="file",
            )
    return header, rows


@dataclass
class _Row:
    number: int
    ref: str
    agency: str
    order: int | None
    content: str
    method: str
    basis: str
    item: InspectionItem | None = None


def _resolve(
    actor: User, rows: list[_Row], err: Any
) -> None:  # sets row.item, or reports why the row's item cannot be used
    refs = {r.ref for r in rows if r.ref}
    candidates = list(
        InspectionItem.objects.filter(Q(code__in=refs) | Q(name__in=refs)).select_related("agency")
    )
    manageable = set(
        perms.scoped(
            actor, rules.MANAGE_LISTS, InspectionItem.objects.filter(pk__in=[c.pk for c in candidates])
        ).values_list("pk", flat=True)
    )
    for row in rows:
        if not row.ref:
            continue
        matches = [c for c in candidates if c.code == row.ref] or [c for c in candidates if c.name == row.ref]
        if row.agency:
            matches = [c for c in matches if c.agency.name == row.agency]
        if not matches:
            where = f"（{row.agency}）" if row.agency else ""
            err(row.number, "item", f"未找到抽查事项“{row.ref}”{where}，请核对随机抽查事项清单")
            continue
        mine = [c for c in matches if c.pk in manageable]
        if not mine:
            owners = "、".join(dict.fromkeys(c.agency.name for c in matches))
            err(row.number, "item", f"抽查事项“{row.ref}”属于{owners}，不在您的管理范围内")
            continue
        if len(mine) > 1:
            err(row.number, "agency", f"“{row.ref}”对应多个执法主体的抽查事项，请在“执法主体”列写明")
            continue
        if not mine[0].is_active:
            err(row.number, "item", f"抽查事项“{row.ref}”已停用，不能修改检查表单")
            continue
        row.item = mine[0]


def checklist_import(
    *, actor: User, file: IO[bytes] | bytes, effective_from: dt.date, filename: str = ""
) -> ImportReport:
    """Import a new checklist version of every item in the file from ``effective_from``, or nothing (the
    report lists every row's error)."""
    perms.require(actor, rules.MANAGE_LISTS)
    data = read_bytes(file)
    header, raw_rows = _rows(data, filename or getattr(file, "name", "") or "")
    report = ImportReport(total_rows=len(raw_rows))

    def err(number: int, name: str, reason: str) -> None:
        report.errors.append({"row": number, "column": _HEADER.get(name, name), "reason": reason})

    missing = [h for h in REQUIRED if h not in header]
    if missing:
        err(1, "、".join(missing), "缺少列，请使用下载的模板")
        return report
    if not raw_rows:
        err(2, "item", "文件中没有检查表单条目")
        return report
    positions = {name: header.index(h) for h, name in COLUMNS if h in header}
    rows: list[_Row] = []
    for number, values in raw_rows:

        def cell(name: str, values: list[Any] = values) -> str:
            i = positions.get(name)
            return cell_text(values[i]) if i is not None and i < len(values) else ""

        order_text = cell("order")
        order = int(order_text) if order_text.isdigit() and 0 < int(order_text) <= 32767 else None
        row = _Row(
            number, cell("item"), cell("agency"), order, cell("content"), cell("method"), cell("basis")
        )
        if not row.ref:
            err(number, "item", "必填")
        if order is None:
            err(number, "order", "必填" if not order_text else f"序号应为正整数，不是“{order_text}”")
        if not row.content:
            err(number, "content", "必填")
        elif len(row.content) > CONTENT_MAX:
            err(number, "content", f"过长（最多 {CONTENT_MAX} 字）")
        if not row.method:
            err(number, "method", "必填")
        elif len(row.method) > CONTENT_MAX:
            err(number, "method", f"过长（最多 {CONTENT_MAX} 字）")
        if len(row.basis) > BASIS_MAX:
            err(number, "basis", f"过长（最多 {BASIS_MAX} 字）")
        rows.append(row)
    _resolve(actor, rows, err)

    by_item: dict[int, list[_Row]] = {}
    for row in rows:
        if row.item is not None:
            by_item.setdefault(row.item.pk, []).append(row)
    latest = {
        r["item_id"]: r
        for r in ChecklistLine.objects.filter(item_id__in=list(by_item))
        .values("item_id")
        .annotate(version=Max("version"), since=Max("effective_from"))
    }
    for item_id, item_rows in by_item.items():
        first = item_rows[0]
        orders: dict[int, int] = {}
        lines: dict[str, int] = {}
        for row in item_rows:
            if row.order is not None:
                if row.order in orders:
                    err(row.number, "order", f"与第 {orders[row.order]} 行重复（同一事项的序号不得重复）")
                else:
                    orders[row.order] = row.number
            if row.content:
                key = line_key(row.content, row.basis)
                if key in lines:
                    err(row.number, "content", f"与第 {lines[key]} 行的检查内容和依据相同")
                else:
                    lines[key] = row.number
        if len(item_rows) > CHECKLIST_MAX_LINES:
            err(
                item_rows[CHECKLIST_MAX_LINES].number,
                "item",
                f"一个事项的检查表单最多 {CHECKLIST_MAX_LINES} 项",
            )
        before = latest.get(item_id)
        if before is not None and before["since"] >= effective_from:
            err(
                first.number,
                "item",
                f"“{first.ref}”的检查表单第 {before['version']} 版自 {before['since']:%Y-%m-%d} 起施行，"
                f"新版本的施行日期须晚于它",
            )
    if report.errors:
        report.errors.sort(key=lambda e: e["row"])
        return report
    first_row = 0
    try:
        with transaction.atomic():
            for item_rows in by_item.values():
                first_row = item_rows[0].number
                item = item_rows[0].item
                assert item is not None  # resolved above
                ordered = sorted(item_rows, key=lambda r: r.order or 0)
                created = checklist_set(
                    actor,
                    item,
                    lines=[{"content": r.content, "method": r.method, "basis": r.basis} for r in ordered],
                    effective_from=effective_from,
                )
                report.created.append(
                    {
                        "row": item_rows[0].number,
                        "item_id": item.pk,
                        "item_code": item.code,
                        "item_name": item.name,
                        "agency_name": item.agency.name,
                        "version": created[0].version,
                        "lines": len(created),
                    }
                )
    except DomainError as exc:  # the service refused one item: nothing of the file stays written
        report.created = []
        err(first_row, "item", exc.message)
    return report
