"""导入执法事项目录与四张清单 — from an Excel (.xlsx) file with Chinese column headers.

Follows ``zhifa.org.imports.party_import``: the whole file is checked before anything is written; every
error names the row as the spreadsheet numbers it (header = row 1), the column and the reason; **nothing is
written when any row fails**. Catalog rows identical to the version in force are skipped; changed rows make
a new version from their 施行日期 (the previous version closes the day before).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from zhifa.catalog import rules
from zhifa.catalog.models import (
    LENIENT_BASIS,
    CatalogItem,
    ItemKind,
    LenientEntry,
    LenientKind,
)
from zhifa.catalog.services import (
    EntryData,
    ItemData,
    _write_version,
    check_entry_data,
    check_item_data,
    write_entry,
)
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.tables import cell_text, header_text, read_bytes, table_rows
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.imports import RowError
from zhifa.org.models import Agency, Domain, Region, User

HEADER_ROW = 1
MAX_ROWS = 20_000

ITEM_COLUMNS: dict[str, str] = {
    "事项编码": "code",
    "事项名称": "name",
    "事项类别": "kind",
    "执法领域": "domain",
    "实施主体": "agency_name",
    "实施主体统一社会信用代码": "agency_uscc",
    "法律依据名称": "law_name",
    "条款": "article",
    "条文内容": "article_text",
    "施行日期": "effective_from",
    "失效日期": "effective_to",
}
ITEM_REQUIRED = (
    "事项编码",
    "事项名称",
    "事项类别",
    "执法领域",
    "法律依据名称",
    "条款",
    "条文内容",
    "施行日期",
)

ENTRY_COLUMNS: dict[str, str] = {
    "清单类别": "kind",
    "序号": "number",
    "违法行为": "title",
    "事项编码": "item_codes",
    "适用条件": "conditions_text",
    "条件清单": "conditions",
    "法律依据": "law_basis",
    "发布机关统一社会信用代码": "agency_uscc",
    "发布区划代码": "region_code",
    "施行日期": "effective_from",
    "失效日期": "effective_to",
}
ENTRY_REQUIRED = ("清单类别", "序号", "违法行为", "事项编码", "适用条件", "条件清单", "法律依据", "施行日期")

_ITEM_KIND = {str(k.label): k.value for k in ItemKind} | {k.value: k.value for k in ItemKind}
_ITEM_KIND |= {
    str(k.label).removeprefix("行政"): k.value for k in ItemKind if str(k.label).startswith("行政")
}
_LENIENT_KIND = {str(k.label): k.value for k in LenientKind} | {k.value: k.value for k in LenientKind}
_LENIENT_KIND |= {f"{k.label}清单": k.value for k in LenientKind} | {"免罚": LenientKind.NO_PENALTY}
_SPLIT = re.compile(r"[、,，;；\n]+")


@dataclass
class CatalogImportReport:
    """导入结果 — rows read, versions written (new items and new versions), unchanged rows, errors."""

    total_rows: int = 0
    created: int = 0
    new_versions: int = 0
    unchanged: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> int:
        return self.created + self.new_versions

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "total_rows": self.total_rows,
            "created": self.created,
            "new_versions": self.new_versions,
            "unchanged_rows": list(self.unchanged),
            "errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in self.errors],
        }


# --- reading ---------------------------------------------------------------------------------------------------


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(text: str) -> dt.date | None:
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


@dataclass
class _Row:
    number: int
    values: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.number, column, reason))


def _table(
    file: IO[bytes] | bytes | str | Path, filename: str, columns: dict[str, str], required: tuple[str, ...]
) -> tuple[list[_Row], list[RowError], int]:
    table = table_rows(read_bytes(file), filename, formats=("xlsx",))
    header = [header_text(c) for c in next(table, ())]
    while header and not header[-1]:
        header.pop()
    errors: list[RowError] = []
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name not in columns:
            errors.append(
                RowError(HEADER_ROW, name, f"无法识别的列“{name}”，可用的列：{'、'.join(columns)}。")
            )
        elif name in seen:
            errors.append(RowError(HEADER_ROW, name, f"列“{name}”重复出现。"))
        seen.add(name)
    errors += [RowError(HEADER_ROW, n, f"缺少必填列“{n}”。") for n in required if n not in seen]
    rows: list[_Row] = []
    for number, cells in enumerate(table, start=HEADER_ROW + 1):
        texts = [cell_text(c, day_only=True) for c in cells]
        if not any(texts):
            continue
        if len(rows) >= MAX_ROWS:
            raise InvalidInput(
                f"文件超过 {MAX_ROWS} 行，请拆分后分批导入。",
                f"More than {MAX_ROWS} rows.",
                code="import_too_many_rows",
                field="file",
            )
        rows.append(
            _Row(number, {columns[n]: t for n, t in zip(header, texts, strict=False) if n in columns})
        )
    if not errors and not rows:
        errors.append(RowError(HEADER_ROW + 1, "", "文件中没有数据行。"))
    return rows, errors, len(rows)


def _dates(row: _Row) -> tuple[dt.date | None, dt.date | None, bool]:
    start_text, end_text = row.values.get("effective_from", ""), row.values.get("effective_to", "")
    start = parse_date(start_text) if start_text else None
    end = parse_date(end_text) if end_text else None
    ok = True
    if not start_text:
        row.error("施行日期", "施行日期不能为空。")
        ok = False
    elif start is None:
        row.error("施行日期", f"施行日期“{start_text}”无法识别，应如 2025-01-01。")
        ok = False
    if end_text and end is None:
        row.error("失效日期", f"失效日期“{end_text}”无法识别，应如 2025-12-31。")
        ok = False
    if start and end and end < start:
        row.error("失效日期", f"失效日期 {end} 早于施行日期 {start}。")
        ok = False
    return start, end, ok


_FIELD_COLUMN_ITEM = {v: k for k, v in ITEM_COLUMNS.items()} | {"domain": "执法领域"}


# --- the catalog -----------------------------------------------------------------------------------------------


@service
def catalog_import(
    *, actor: User, file: IO[bytes] | bytes | str | Path, filename: str
) -> CatalogImportReport:
    """导入执法事项目录 — all rows or none; rows equal to the current version are skipped.

    Raises ``PermissionDenied`` without the manage right and ``InvalidInput`` for an unreadable file;
    everything about the content is in the report.
    """
    perms.require(actor, rules.MANAGE_CATALOG)
    report = CatalogImportReport()
    rows, header_errors, report.total_rows = _table(file, filename, ITEM_COLUMNS, ITEM_REQUIRED)
    if header_errors:
        report.errors = header_errors
        return report

    usccs = {r.values.get("agency_uscc", "") for r in rows} - {""}
    names = {r.values.get("agency_name", "") for r in rows} - {""}
    by_uscc = {a.uscc: a for a in Agency.objects.filter(uscc__in=usccs).select_related("region")}
    by_name: dict[str, list[Agency]] = defaultdict(list)
    for a in Agency.objects.filter(name__in=names).select_related("region"):
        by_name[a.name].append(a)
    domains = {d.code: d for d in Domain.objects.all()} | {d.name: d for d in Domain.objects.all()}
    agency_domains: dict[int, set[int]] = defaultdict(set)
    for agency_id, domain_id in Agency.domains.through.objects.filter(
        agency_id__in=[a.pk for a in by_uscc.values()] + [a.pk for v in by_name.values() for a in v]
    ).values_list("agency_id", "domain_id"):
        agency_domains[agency_id].add(domain_id)

    prepared: list[tuple[_Row, Agency, ItemData]] = []
    for row in rows:
        v = row.values
        agency = _row_agency(row, by_uscc, by_name)
        kind = _ITEM_KIND.get(v.get("kind", ""))
        if kind is None:
            shown = v.get("kind", "")
            row.error(
                "事项类别", f"事项类别“{shown}”无效，应为{'、'.join(str(k.label) for k in ItemKind)}之一。"
            )
        domain = domains.get(v.get("domain", ""))
        if domain is None:
            row.error("执法领域", f"执法领域“{v.get('domain', '')}”不存在。")
        start, end, dates_ok = _dates(row)
        if agency is not None and not perms.can(actor, rules.MANAGE_CATALOG, CatalogItem(agency=agency)):
            row.error("实施主体", f"无权维护“{agency.name}”的执法事项目录。")
        if agency is None or kind is None or domain is None or not dates_ok or start is None or row.errors:
            # still report a missing legal basis on a row that has other errors
            for key in ("law_name", "article", "article_text"):
                if not v.get(key):
                    row.error(_FIELD_COLUMN_ITEM[key], f"缺少法律依据：{_FIELD_COLUMN_ITEM[key]}不能为空。")
            continue
        data = ItemData(
            code=v.get("code", ""),
            name=v.get("name", ""),
            kind=kind,
            domain=domain,
            law_name=v.get("law_name", ""),
            article=v.get("article", ""),
            article_text=v.get("article_text", ""),
            effective_from=start,
            effective_to=end,
        )
        try:
            check_item_data(agency, data, agency_domains.get(agency.pk, set()))
        except DomainError as exc:
            column = _FIELD_COLUMN_ITEM.get(exc.field or "", "")
            row.error(column, exc.message)
            continue
        prepared.append((row, agency, data))

    # Duplicates within the file: the same agency, code and 施行日期 twice.
    first: dict[tuple[int, str, dt.date], int] = {}
    for row, agency, data in prepared:
        same = (agency.pk, data.code, data.effective_from)
        seen_at = first.setdefault(same, row.number)
        if seen_at != row.number:
            row.error(
                "事项编码",
                f"事项 {data.code}（{agency.name}，施行日期 {data.effective_from}）与第 {seen_at} 行重复。",
            )

    # Against the stored versions: unchanged → skipped; changed → must start after the latest version.
    keys = {(a.pk, d.code) for _r, a, d in prepared}
    latest: dict[tuple[int, str], CatalogItem] = {}
    if keys:
        for item in CatalogItem.objects.filter(
            agency_id__in={k[0] for k in keys}, code__in={k[1] for k in keys}
        ).order_by("version"):
            latest[(item.agency_id, item.code)] = item
    to_write: list[tuple[Agency, ItemData, bool]] = []
    for row, agency, data in sorted(prepared, key=lambda p: (p[1].pk, p[2].code, p[2].effective_from)):
        if row.errors:
            continue
        current = latest.get((agency.pk, data.code))
        if current is not None and data.same_content(current) and data.effective_to == current.effective_to:
            report.unchanged.append(row.number)
            continue
        if current is not None and data.effective_from <= current.effective_from:
            row.error(
                "施行日期",
                f"事项 {data.code} 内容有变化，新版本施行日期须晚于现有版本的施行日期 {current.effective_from}"
                "（同一事项各版本有效期不得重叠）。",
            )
            continue
        to_write.append((agency, data, current is None))
        latest[(agency.pk, data.code)] = CatalogItem(
            agency=agency,
            code=data.code,
            name=data.name,
            kind=data.kind,
            domain=data.domain,
            law_name=data.law_name,
            article=data.article,
            article_text=data.article_text,
            effective_from=data.effective_from,
            effective_to=data.effective_to,
        )

    report.errors = sorted((e for row in rows for e in row.errors), key=lambda e: e.row)
    report.unchanged.sort()
    if report.errors:
        report.unchanged = []
        return report
    for agency, data, is_new in to_write:
        _write_version(actor, agency, data, source="import")
        if is_new:
            report.created += 1
        else:
            report.new_versions += 1
    return report


def _row_agency(row: _Row, by_uscc: dict[str, Agency], by_name: dict[str, list[Agency]]) -> Agency | None:
    uscc, name = row.values.get("agency_uscc", ""), row.values.get("agency_name", "")
    if uscc:
        agency = by_uscc.get(uscc)
        if agency is None:
            row.error("实施主体统一社会信用代码", f"实施主体 {uscc} 不存在。")
        return agency
    if not name:
        row.error("实施主体", "须填写实施主体名称或其统一社会信用代码。")
        return None
    found = by_name.get(name, [])
    if len(found) != 1:
        row.error(
            "实施主体",
            f"实施主体“{name}”不存在。"
            if not found
            else f"名称“{name}”对应多个主体，请填写统一社会信用代码。",
        )
        return None
    return found[0]


# --- the four lists ----------------------------------------------------------------------------------------------

_FIELD_COLUMN_ENTRY = {v: k for k, v in ENTRY_COLUMNS.items()} | {"title": "违法行为"}


@service
def lenient_import(
    *, actor: User, file: IO[bytes] | bytes | str | Path, filename: str
) -> CatalogImportReport:
    """导入四张清单 — all rows or none; a row equal to an entry already in force is skipped."""
    perms.require(actor, rules.MANAGE_CATALOG)
    report = CatalogImportReport()
    rows, header_errors, report.total_rows = _table(file, filename, ENTRY_COLUMNS, ENTRY_REQUIRED)
    if header_errors:
        report.errors = header_errors
        return report
    usccs = {r.values.get("agency_uscc", "") for r in rows} - {""}
    codes = {r.values.get("region_code", "") for r in rows} - {""}
    agencies = {a.uscc: a for a in Agency.objects.filter(uscc__in=usccs).select_related("region")}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    prepared: list[tuple[_Row, EntryData, Agency | None, Region | None]] = []
    for row in rows:
        v = row.values
        kind = _LENIENT_KIND.get(v.get("kind", ""))
        if kind is None:
            row.error(
                "清单类别",
                f"清单类别“{v.get('kind', '')}”无效，应为{'、'.join(str(k.label) for k in LenientKind)}之一。",
            )
        agency, region = _row_issuer(row, agencies, regions, actor)
        start, end, dates_ok = _dates(row)
        if kind is None or not dates_ok or start is None or (agency is None and region is None):
            continue
        data = EntryData(
            kind=kind,
            number=v.get("number", ""),
            title=v.get("title", ""),
            item_codes=[c.strip() for c in _SPLIT.split(v.get("item_codes", "")) if c.strip()],
            conditions_text=v.get("conditions_text", ""),
            conditions=[c.strip() for c in _SPLIT.split(v.get("conditions", "")) if c.strip()],
            law_basis=v.get("law_basis", "") or "",
            effective_from=start,
            effective_to=end,
        )
        try:
            check_entry_data(data)
        except DomainError as exc:
            row.error(_FIELD_COLUMN_ENTRY.get(exc.field or "", ""), exc.message)
            continue
        prepared.append((row, data, agency, region))

    # The item codes must be on the issuer's catalog (an agency's own; any agency in a government's region).
    # Loaded once for the file: the codes of the agencies named, and (code, region path) for the regions.
    all_codes = {c for _r, d, _a, _g in prepared for c in d.item_codes}
    agency_codes: dict[int, set[str]] = defaultdict(set)
    region_rows: list[tuple[str, str]] = []
    for agency_id, code, path in CatalogItem.objects.filter(code__in=all_codes).values_list(
        "agency_id", "code", "agency__region__path"
    ):
        agency_codes[agency_id].add(code)
        region_rows.append((code, path))
    for row, data, agency, region in prepared:
        if agency is not None:
            known = agency_codes.get(agency.pk, set())
        else:
            known = {code for code, path in region_rows if path.startswith(region.path)}  # type: ignore[union-attr]
        missing = sorted(set(data.item_codes) - known)
        if missing:
            row.error(
                "事项编码",
                f"事项编码 {'、'.join(missing)} 不在{'该机关' if agency else '该区域'}的执法事项目录中。",
            )

    stored: dict[tuple[Any, str, str], list[LenientEntry]] = defaultdict(list)
    numbers = {(d.kind, d.number) for _r, d, _a, _g in prepared}
    for entry in LenientEntry.objects.filter(
        kind__in={k for k, _n in numbers}, number__in={n for _k, n in numbers}
    ).prefetch_related("items"):
        issuer = ("a", entry.agency_id) if entry.agency_id else ("r", entry.region_id)
        stored[(issuer, entry.kind, entry.number)].append(entry)

    first: dict[tuple[Any, str, str], int] = {}
    to_write = []
    for row, data, agency, region in prepared:
        if row.errors:
            continue
        issuer_key = ("a", agency.pk) if agency else ("r", region.pk)  # type: ignore[union-attr]
        key = (issuer_key, data.kind, data.number)
        seen_at = first.setdefault(key, row.number)
        if seen_at != row.number:
            row.error("序号", f"{LenientKind(data.kind).label}清单序号 {data.number} 与第 {seen_at} 行重复。")
            continue
        clash = None
        for entry in stored.get(key, []):
            overlaps = (entry.effective_to is None or entry.effective_to >= data.effective_from) and (
                data.effective_to is None or data.effective_to >= entry.effective_from
            )
            if not overlaps:
                continue
            same = (
                entry.title == data.title
                and entry.conditions_text == data.conditions_text
                and entry.conditions == list(data.conditions)
                and entry.law_basis == data.law_basis
                and sorted(entry.item_codes) == sorted(set(data.item_codes))
            )
            clash = "same" if same else "different"
            break
        if clash == "same":
            report.unchanged.append(row.number)
        elif clash == "different":
            row.error(
                "序号",
                f"{LenientKind(data.kind).label}清单第 {data.number} 项在此期间已有不同内容，请先设置原事项的失效日期。",
            )
        else:
            to_write.append((data, agency, region))
    report.errors = sorted((e for row in rows for e in row.errors), key=lambda e: e.row)
    if report.errors:
        report.unchanged = []
        return report
    report.unchanged.sort()
    for data, agency, region in to_write:
        write_entry(actor, data, agency=agency, region=None if agency else region, source="import")
        report.created += 1
    return report


def _row_issuer(
    row: _Row, agencies: dict[str, Agency], regions: dict[str, Region], actor: User
) -> tuple[Agency | None, Region | None]:
    uscc, code = row.values.get("agency_uscc", ""), row.values.get("region_code", "")
    if bool(uscc) == bool(code):
        row.error("发布机关统一社会信用代码", "发布机关统一社会信用代码与发布区划代码须填且只填一项。")
        return None, None
    if uscc:
        agency = agencies.get(uscc)
        if agency is None:
            row.error("发布机关统一社会信用代码", f"发布机关 {uscc} 不存在。")
            return None, None
        if not perms.can(actor, rules.MANAGE_CATALOG, LenientEntry(agency=agency, region=agency.region)):
            row.error("发布机关统一社会信用代码", f"无权发布“{agency.name}”的清单。")
            return None, None
        return agency, None
    region = regions.get(code)
    if region is None:
        row.error("发布区划代码", f"区划代码 {code} 不存在。")
        return None, None
    if not perms.can(actor, rules.MANAGE_CATALOG, LenientEntry(agency=None, region=region)):
        row.error("发布区划代码", f"无权发布“{region.name}”人民政府的清单。")
        return None, None
    return None, region


# --- templates ---------------------------------------------------------------------------------------------------


def template_xlsx(which: str) -> bytes:
    """The empty template with one example row and a sheet of allowed values."""
    # local import: openpyxl is heavy and only the template download needs it
    import openpyxl
    from openpyxl.styles import Font  # local import: as above

    wb = openpyxl.Workbook()
    sheet = wb.active
    if which == "items":
        sheet.title = "执法事项目录"
        header = [f"{c}*" if c in ITEM_REQUIRED else c for c in ITEM_COLUMNS]
        example = [
            "SC-CF-0001",
            "对经营超过保质期的食品的行政处罚",
            "行政处罚",
            "市场监管",
            "示范县市场监督管理局",
            "",
            "中华人民共和国食品安全法",
            "第一百二十四条第一款第（五）项",
            "违反本法规定，……生产经营……超过保质期的食品……，由县级以上人民政府食品安全监督管理部门没收违法所得……",
            "2026-01-01",
            "",
        ]
        allowed = [
            ("事项类别", [str(k.label) for k in ItemKind]),
            ("执法领域", list(Domain.objects.values_list("name", flat=True))),
        ]
    else:
        sheet.title = "四张清单"
        header = [f"{c}*" if c in ENTRY_REQUIRED else c for c in ENTRY_COLUMNS]
        example = [
            "不予处罚",
            "1",
            "食品标签存在瑕疵",
            "SC-CF-0002",
            "初次违法，标签瑕疵不影响食品安全且不会对消费者造成误导，并及时改正",
            "首次违法；危害后果轻微；及时改正",
            LENIENT_BASIS[LenientKind.NO_PENALTY] + "第一款",
            "",
            "860102",
            "2026-01-01",
            "",
        ]
        allowed = [("清单类别", [str(k.label) for k in LenientKind])]
    sheet.append(header)
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 22
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "可填写的值"])
    for name, values in allowed:
        notes.append([name, "、".join(values)])
    notes.append(["日期", "如 2026-01-01；失效日期留空表示现行有效"])
    notes.append(["说明", "带 * 的列必填；导入前请删除示例行。任一行有误则全部不导入。"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
