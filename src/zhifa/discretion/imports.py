"""裁量基准导入 — benchmarks from an Excel (.xlsx) file, one tier per row; all or nothing.

Rows with the same 执法事项编码 and 生效日期 form one benchmark version (their head columns must agree). The
whole file is checked first — every row's fields, each benchmark's legal basis, min ≤ max, overlapping tier
conditions — and nothing is written unless every row is valid. Each error names the spreadsheet row
(header = row 1), the column by its Chinese header and the reason.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction

from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.tables import cell_text, read_bytes, table_rows
from zhifa.discretion import logic, rules, services
from zhifa.discretion.logic import TierSpec
from zhifa.discretion.models import Benchmark
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Region, User

COLUMNS: list[tuple[str, str]] = [
    ("执法事项编码", "catalog_item_code"),
    ("违法行为", "title"),
    ("法律依据名称", "law_name"),
    ("条款", "article"),
    ("依据原文", "basis_text"),
    ("生效日期", "effective_from"),
    ("失效日期", "effective_to"),
    ("档次", "name"),
    ("危害后果", "harm_levels"),
    ("违法所得下限", "gains_min_yuan"),
    ("违法所得上限", "gains_max_yuan"),
    ("货值金额下限", "goods_min_yuan"),
    ("货值金额上限", "goods_max_yuan"),
    ("再犯", "repeat"),
    ("持续天数下限", "duration_min_days"),
    ("持续天数上限", "duration_max_days"),
    ("情形描述", "condition_text"),
    ("罚款方式", "fine_basis"),
    ("罚款下限（元）", "fine_min_yuan"),
    ("罚款上限（元）", "fine_max_yuan"),
    ("倍数下限", "multiple_min"),
    ("倍数上限", "multiple_max"),
    ("其他处罚种类", "kinds"),
]
REQUIRED = ("执法事项编码", "违法行为", "法律依据名称", "条款", "依据原文", "生效日期", "档次", "罚款方式")
HEAD_FIELDS = ("title", "law_name", "article", "basis_text", "effective_to")
_HEADER = {field: header for header, field in COLUMNS}
_BASIS = {
    "不罚款": "none",
    "固定金额幅度": "amount",
    "违法所得倍数": "gains_multiple",
    "货值金额倍数": "goods_multiple",
}
_BASIS |= {v: v for v in list(_BASIS.values())}
_HARM = {label: code for code, label in logic.HARM_LEVELS.items()} | {
    "无": "none",
    "轻微": "minor",
    "一般": "general",
    "严重": "serious",
}
_KIND = {label: code for code, label in logic.KIND_LABELS.items()}
MAX_ROWS = 50_000

EXAMPLE = [
    "SCJG-CF-001", "销售超过保质期的食品", "中华人民共和国食品安全法", "第一百二十四条第一款第（五）项",
    "……尚不构成犯罪的，由县级以上人民政府食品安全监督管理部门没收违法所得……", "2025-01-01", "", "轻微",
    "无危害后果", "", "", "", "10000", "否", "", "", "货值金额较小，及时改正", "固定金额幅度", "50000", "70000",
    "", "", "没收违法所得",
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
    """The import template: headers, one example row, and a sheet listing the allowed values."""
    from openpyxl import Workbook  # local import: openpyxl is heavy and only the template download needs it

    wb = Workbook()
    ws = wb.active
    ws.title = "裁量基准"
    ws.append([h for h, _f in COLUMNS])
    ws.append(EXAMPLE)
    notes = wb.create_sheet("填写说明")
    notes.append(["项目", "可填写的值"])
    notes.append(["罚款方式", "、".join(k for k in _BASIS if not k.isascii())])
    notes.append(["危害后果（可多个，用、分隔；空 = 不限）", "、".join(logic.HARM_LEVELS.values())])
    notes.append(["其他处罚种类（可多个，用、分隔）", "、".join(logic.KIND_LABELS.values())])
    notes.append(["再犯", "是、否、空（不限）"])
    notes.append(["金额与天数区间", "下限 ≤ 值 < 上限，空为不限；同一版本的各档条件不得重叠"])
    notes.append(["版本", "同一事项编码和生效日期的各行为同一版本的各档；新版本的生效日期须晚于已有版本"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip().replace("/", "-"))


def _split(text: str) -> list[str]:
    for sep in (",", "，", ";", "；", "/"):
        text = text.replace(sep, "、")
    return [p.strip() for p in text.split("、") if p.strip()]


def _rows(file: IO[bytes]) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    it = table_rows(read_bytes(file), formats=("xlsx",))
    header = [cell_text(c) for c in next(it, ())]
    rows = []
    for number, values in enumerate(it, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        rows.append((number, list(values)))
        if len(rows) > MAX_ROWS:
            raise InvalidInput(f"文件超过 {MAX_ROWS} 行。", "Too many rows.", field="file")
    return header, rows


def _parse_row(values: dict[str, Any], number: int, errors: list[dict[str, Any]]) -> dict[str, Any] | None:
    def err(field_name: str, reason: str) -> None:
        errors.append({"row": number, "column": _HEADER.get(field_name, field_name), "reason": reason})

    out: dict[str, Any] = {}
    for header in REQUIRED:
        field_name = dict(COLUMNS)[header]
        if cell_text(values.get(field_name)) == "":
            err(field_name, "必填")
    for name in ("catalog_item_code", "title", "law_name", "article", "basis_text", "name", "condition_text"):
        out[name] = cell_text(values.get(name))
    for name in ("effective_from", "effective_to"):
        try:
            out[name] = _date(values.get(name))
        except (ValueError, TypeError):
            err(name, "日期格式应为 YYYY-MM-DD")
    for name in services._TIER_FIELDS:
        text = cell_text(values.get(name)).replace(",", "")
        try:
            out[name] = Decimal(text) if text else None
        except InvalidOperation:
            err(name, f"不是有效的数字：{text}")
    for name in ("duration_min_days", "duration_max_days"):
        text = cell_text(values.get(name))
        if text and not text.isdigit():
            err(name, "应为非负整数")
        out[name] = int(text) if text.isdigit() else None
    basis = cell_text(values.get("fine_basis"))
    if basis and basis not in _BASIS:
        err("fine_basis", f"罚款方式“{basis}”无效（{'、'.join(k for k in _BASIS if not k.isascii())}）")
    out["fine_basis"] = _BASIS.get(basis, "amount")
    harm = []
    for label in _split(cell_text(values.get("harm_levels"))):
        if label not in _HARM:
            err("harm_levels", f"危害后果“{label}”无效")
        else:
            harm.append(_HARM[label])
    out["harm_levels"] = tuple(harm)
    kinds = []
    for label in _split(cell_text(values.get("kinds"))):
        code = _KIND.get(label, label if label in logic.KIND_LABELS else None)
        if code is None:
            err("kinds", f"处罚种类“{label}”无效")
        else:
            kinds.append(code)
    out["kinds"] = tuple(kinds)
    repeat = cell_text(values.get("repeat"))
    if repeat not in ("", "是", "否"):
        err("repeat", "应填 是、否 或留空")
    out["repeat"] = {"是": True, "否": False}.get(repeat)
    return out


def benchmark_import(
    *, actor: User, file: IO[bytes] | bytes, agency: Agency | None = None, region: Region | None = None
) -> ImportReport:
    """Import every benchmark of the file for one issuer, or nothing (the report lists every error)."""
    agency_path, region_path = services._issuer(agency, region)
    perms.require(
        actor,
        rules.MANAGE,
        Benchmark(agency=agency, region=region, agency_path=agency_path, region_path=region_path),
    )
    if isinstance(file, bytes):
        file = io.BytesIO(file)
    header, raw_rows = _rows(file)
    report = ImportReport(total_rows=len(raw_rows))
    known = dict(COLUMNS)
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        report.errors.append({"row": 1, "column": "、".join(missing), "reason": "缺少列"})
        return report
    positions = {known[h]: i for i, h in enumerate(header) if h in known}
    groups: dict[tuple[str, dt.date | None], list[tuple[int, dict[str, Any]]]] = {}
    for number, values in raw_rows:
        named = {name: values[i] if i < len(values) else None for name, i in positions.items()}
        parsed = _parse_row(named, number, report.errors)
        if parsed is not None:
            groups.setdefault((parsed["catalog_item_code"], parsed.get("effective_from")), []).append(
                (number, parsed)
            )
    planned = []
    for (code, effective_from), rows in groups.items():
        first_row, head = rows[0]
        for number, row in rows[1:]:
            for name in HEAD_FIELDS:
                if row.get(name) != head.get(name):
                    report.errors.append(
                        {
                            "row": number,
                            "column": _HEADER[name],
                            "reason": f"与第 {first_row} 行（同一版本）不一致",
                        }
                    )
        for f, message in services.validate_benchmark(
            catalog_item_code=code,
            title=head["title"],
            law_name=head["law_name"],
            article=head["article"],
            basis_text=head["basis_text"],
            effective_from=effective_from,
            effective_to=head.get("effective_to"),
            tiers=[],
        ):
            if not any(e["row"] == first_row and e["column"] == _HEADER.get(f, f) for e in report.errors):
                report.errors.append({"row": first_row, "column": _HEADER.get(f, f), "reason": message})
        specs = [
            TierSpec(**{k: v for k, v in row.items() if k in TierSpec.__dataclass_fields__}, order=i)
            for i, (_n, row) in enumerate(rows, start=1)
        ]
        for e in logic.validate_tiers(specs, rows=[n for n, _r in rows]):
            report.errors.append({"row": e.row, "column": _HEADER.get(e.field, "条件"), "reason": e.message})
        planned.append((head, code, effective_from, specs, rows))
    if report.errors:
        report.errors.sort(key=lambda e: e["row"])
        return report
    planned.sort(key=lambda p: (p[1], p[2]))
    try:
        with transaction.atomic():
            for head, code, effective_from, specs, rows in planned:
                benchmark = services.benchmark_create(
                    actor=actor,
                    agency=agency,
                    region=region,
                    catalog_item_code=code,
                    title=head["title"],
                    law_name=head["law_name"],
                    article=head["article"],
                    basis_text=head["basis_text"],
                    effective_from=effective_from,
                    effective_to=head.get("effective_to"),
                    tiers=specs,
                    source="import",
                )
                report.created.append(
                    {
                        "row": rows[0][0],
                        "catalog_item_code": code,
                        "version": benchmark.version,
                        "id": benchmark.pk,
                    }
                )
    except DomainError as exc:
        refused = rows[0][0]  # the version the service refused
        report.created = []
        report.errors.append({"row": refused, "column": "生效日期", "reason": exc.message})
    return report
