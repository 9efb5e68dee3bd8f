"""行政相对人导入 — bulk import of parties from an Excel (.xlsx) or CSV file with Chinese column headers.

The file is checked as a whole before anything is written: every row goes through ``build_party`` plus the
checks only a whole file allows (duplicate 统一社会信用代码 within the file or already registered, the
actor's region). Nothing is written unless every row is valid, or, with ``skip_invalid``, the valid rows are
written and the others listed. Each error names the row as the spreadsheet shows it (header = row 1), the
column by its Chinese header, and the reason in Chinese.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

from django.db import IntegrityError, transaction

from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.tables import cell_text, header_text, read_bytes, table_rows
from zhifa.core.validators import RESIDENT_ID_LEGACY_MESSAGE, is_legacy_resident_id
from zhifa.org import permissions as perms
from zhifa.org.models import CreditClass, Party, PartyKind, Region, User
from zhifa.org.services import build_party

__all__ = ["COLUMNS", "ImportReport", "RowError", "party_import"]

# Chinese column header → build_party argument (region_code is resolved to a Region first).
COLUMNS: dict[str, str] = {
    "类型": "kind",
    "名称": "name",
    "统一社会信用代码": "uscc",
    "身份证号码": "id_number",
    "法定代表人": "legal_representative",
    "区划代码": "region_code",
    "行业": "industry",
    "地址": "address",
    "电话": "phone",
    "信用分类": "credit_class",
}
REQUIRED_COLUMNS: tuple[str, ...] = ("类型", "名称", "区划代码")
# build_party's field names → the column a user sees.
_FIELD_COLUMN: dict[str, str] = {v: k for k, v in COLUMNS.items()} | {"region": "区划代码"}

_KIND_BY_TEXT: dict[str, str] = {str(kind.label): kind.value for kind in PartyKind} | {
    kind.value: kind.value for kind in PartyKind
}

BATCH_SIZE = 500
# Chunk of USCCs per "already registered?" query: below every database's bound-parameter limit.
_LOOKUP_CHUNK = 5000
MAX_ROWS = 50_000
HEADER_ROW = 1


class RowError(NamedTuple):
    """One refusal: the row as the spreadsheet numbers it, the Chinese column header, the reason."""

    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    """导入结果 — what was read, what was written, what was refused and why."""

    total_rows: int = 0
    created: int = 0
    skipped: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "total_rows": self.total_rows,
            "created": self.created,
            "skipped_rows": list(self.skipped),
            "errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in self.errors],
        }


# --- checking ---------------------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    values: dict[str, str]
    errors: list[RowError] = field(default_factory=list)
    party: Party | None = None


def _header_errors(header: list[str]) -> list[RowError]:
    errors: list[RowError] = []
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name not in COLUMNS:
            errors.append(
                RowError(HEADER_ROW, name, f"无法识别的列“{name}”，可用的列：{'、'.join(COLUMNS)}。")
            )
        elif name in seen:
            errors.append(RowError(HEADER_ROW, name, f"列“{name}”重复出现。"))
        seen.add(name)
    errors.extend(
        RowError(HEADER_ROW, name, f"缺少必填列“{name}”。") for name in REQUIRED_COLUMNS if name not in seen
    )
    return errors


def _parse_credit_class(text: str) -> str | None:
    if not text:
        return CreditClass.B
    letter = text[0].upper()
    rest = text[1:].strip()
    if letter in CreditClass.values and (not rest or rest.startswith("类")):
        return letter
    return None


def _check_row(row: _Row, regions: dict[str, Region]) -> None:
    """Checks one row alone; sets ``row.party`` when it is valid so far."""
    v = row.values
    kind = _KIND_BY_TEXT.get(v.get("kind", ""))
    if kind is None:
        allowed = "、".join(str(k.label) for k in PartyKind)
        shown = v.get("kind", "")
        reason = f"类型“{shown}”无效，应为{allowed}之一。" if shown else f"类型不能为空，应为{allowed}之一。"
        row.errors.append(RowError(row.number, "类型", reason))
    code = v.get("region_code", "")
    region = regions.get(code)
    if not code:
        row.errors.append(RowError(row.number, "区划代码", "区划代码不能为空。"))
    elif region is None:
        row.errors.append(RowError(row.number, "区划代码", f"区划代码 {code} 不存在。"))
    id_number = v.get("id_number", "")
    if is_legacy_resident_id(id_number):
        row.errors.append(RowError(row.number, "身份证号码", str(RESIDENT_ID_LEGACY_MESSAGE)))
    credit_class = _parse_credit_class(v.get("credit_class", ""))
    if credit_class is None:
        row.errors.append(
            RowError(row.number, "信用分类", f"信用分类“{v['credit_class']}”无效，应为 A、B、C、D 之一。")
        )
    if row.errors or kind is None or region is None or credit_class is None:
        return
    try:
        row.party = build_party(
            kind=kind,
            name=v.get("name", ""),
            region=region,
            uscc=v.get("uscc", ""),
            id_number=id_number,
            legal_representative=v.get("legal_representative", ""),
            industry=v.get("industry", ""),
            address=v.get("address", ""),
            phone=v.get("phone", ""),
            credit_class=credit_class,
        )
    except InvalidInput as exc:
        column = _FIELD_COLUMN.get(exc.field or "", "")
        reason = exc.message
        if isinstance(exc.details, dict) and exc.field in exc.details:
            # _full_clean prefixes the verbose name; the column already says it.
            reason = str(exc.details[exc.field][0])
        row.errors.append(RowError(row.number, column, reason))


def _registered_usccs(usccs: Iterable[str]) -> set[str]:
    wanted = sorted(set(usccs))
    found: set[str] = set()
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[start : start + _LOOKUP_CHUNK]
        found.update(Party.objects.filter(uscc__in=chunk).values_list("uscc", flat=True))
    return found


def _check_file(rows: list[_Row], actor: User) -> None:
    codes = {r.values.get("region_code", "") for r in rows} - {""}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)} if codes else {}
    for row in rows:
        _check_row(row, regions)

    first_row_of: dict[str, int] = {}
    for row in rows:
        if row.party is None or not row.party.uscc:
            continue
        first = first_row_of.setdefault(row.party.uscc, row.number)
        if first != row.number:
            row.errors.append(
                RowError(
                    row.number, "统一社会信用代码", f"统一社会信用代码 {row.party.uscc} 与第 {first} 行重复。"
                )
            )

    registered = _registered_usccs(first_row_of)
    for row in rows:
        if row.party is None or row.errors:
            continue
        # Scope first: a row outside the actor's region must not reveal whether its code is registered.
        if not perms.can(actor, perms.CHANGE_PARTY, row.party):
            row.errors.append(
                RowError(
                    row.number,
                    "区划代码",
                    f"区划“{row.party.region.name}”（{row.party.region.code}）不在您的管辖范围内。",
                )
            )
        elif row.party.uscc in registered:
            row.errors.append(
                RowError(
                    row.number,
                    "统一社会信用代码",
                    f"统一社会信用代码 {row.party.uscc} 已登记，不能重复登记。",
                )
            )


# --- the service ---------------------------------------------------------------------------------------------


def party_import(
    *, actor: User, file: IO[bytes] | bytes | str | Path, filename: str, skip_invalid: bool = False
) -> ImportReport:
    """导入行政相对人 — all rows or none; with ``skip_invalid`` the valid rows and a list of the others.

    Raises ``PermissionDenied`` without the import right and ``InvalidInput`` for a file that cannot be read;
    everything about the content is in the report.
    """
    perms.require(actor, perms.IMPORT_PARTY)
    report = ImportReport()
    table = table_rows(read_bytes(file), filename)

    header = [header_text(cell) for cell in next(table, ())]
    while header and not header[-1]:
        header.pop()
    rows: list[_Row] = []
    for number, cells in enumerate(table, start=HEADER_ROW + 1):
        texts = [cell_text(c) for c in cells]
        if not any(texts):
            continue
        if len(rows) >= MAX_ROWS:
            raise InvalidInput(
                f"文件超过 {MAX_ROWS} 行，请拆分后分批导入。",
                f"More than {MAX_ROWS} rows; split the file.",
                code="import_too_many_rows",
                field="file",
            )
        values = {COLUMNS[name]: text for name, text in zip(header, texts, strict=False) if name in COLUMNS}
        rows.append(_Row(number, values))
    report.total_rows = len(rows)

    header_errors = _header_errors(header)
    if header_errors:
        report.errors = header_errors
        return report
    if not rows:
        report.errors = [RowError(HEADER_ROW + 1, "", "文件中没有数据行。")]
        return report

    _check_file(rows, actor)
    report.errors = [e for row in rows for e in row.errors]
    if report.errors and not skip_invalid:
        return report
    report.skipped = [row.number for row in rows if row.errors]
    parties = [row.party for row in rows if not row.errors and row.party is not None]
    if parties:
        try:
            with transaction.atomic():
                Party.objects.bulk_create(parties, batch_size=BATCH_SIZE)
        except IntegrityError as exc:
            # Another import registered one of these codes between our check and our insert.
            raise RuleViolation(
                "导入期间有统一社会信用代码被他人登记，未写入任何数据，请重新导入。",
                "A USCC was registered concurrently; nothing was written.",
                code="duplicate_uscc",
            ) from exc
    report.created = len(parties)
    return report
