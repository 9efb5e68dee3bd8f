"""行政许可决定: the licensing decisions received from the government services system (政务服务), as a table."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from zhifa.core import clock
from zhifa.core.errors import InvalidInput
from zhifa.core.tables import cell_text, header_text, table_rows
from zhifa.core.transactions import service
from zhifa.core.validators import is_valid_resident_id, is_valid_uscc
from zhifa.disclosure.models import LicenceCategory, Publication, ResultKind
from zhifa.disclosure.privacy import mask_person_name, party_display, personal_number_in, scrub_text
from zhifa.disclosure.rules import DRAFT
from zhifa.disclosure.services._common import LICENSING
from zhifa.disclosure.services.deadlines import publication_due
from zhifa.disclosure.services.drafts import _fill
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Domain, PartyKind, User
from zhifa.records.services import record_append

MAX_IMPORT_ROWS = 2000
OPEN_ENDED = dt.date(2099, 12, 31)  # 有效期至 "长期": the date the 双公示 collection commonly uses for no end

# API field -> template column (the national licensing layout's names where it has them).
LICENSING_COLUMNS: dict[str, str] = {
    "party_name": "行政相对人名称",
    "party_kind": "行政相对人类别",
    "party_uscc": "统一社会信用代码",
    "legal_representative": "法定代表人",
    "party_id_number": "证件号码",
    "document_name": "行政许可决定文书名称",
    "document_number": "行政许可决定文书号",
    "category": "许可类别",
    "licence_name": "许可证书名称",
    "licence_number": "许可编号",
    "content": "许可内容",
    "decided_on": "许可决定日期",
    "valid_from": "有效期自",
    "valid_to": "有效期至",
    "domain": "领域",
    "remarks": "备注",
}
LICENSING_REQUIRED = (
    "party_name",
    "party_kind",
    "document_name",
    "document_number",
    "category",
    "content",
    "decided_on",
    "valid_from",
    "valid_to",
)
LICENSING_EXAMPLE: dict[str, str] = {
    "party_name": "某某餐饮管理有限公司",
    "party_kind": "法人及非法人组织",
    "party_uscc": "91330102MA2H00001L",
    "legal_representative": "张三",
    "party_id_number": "",
    "document_name": "食品经营许可决定书",
    "document_number": "某市监许〔2025〕1号",
    "category": "普通",
    "licence_name": "食品经营许可证",
    "licence_number": "JY13301020000001",
    "content": "准予食品经营许可：预包装食品销售（含冷藏冷冻食品）",
    "decided_on": "2025-03-03",
    "valid_from": "2025-03-03",
    "valid_to": "2030-03-02",
    "domain": "market",
    "remarks": "",
}
_HEADER_ALIASES = {"行政相对人代码_1（统一社会信用代码）": "party_uscc", "行政相对人代码_1": "party_uscc"}
_PARTY_KINDS: dict[str, str] = {
    **{k: k for k in PartyKind.values},
    **{label: k for k, label in PartyKind.choices},
    "法人及非法人组织": PartyKind.LEGAL_PERSON,
    "法人": PartyKind.LEGAL_PERSON,
    "非法人组织": PartyKind.LEGAL_PERSON,
}
_CATEGORIES: dict[str, str] = {
    **{k: k for k in LicenceCategory.values},
    **{label: k for k, label in LicenceCategory.choices},
    "普通许可": LicenceCategory.ORDINARY,
}


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based data row (the header row is not counted)
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class LicensingImport:
    """The outcome of one import: every row became a draft publication."""

    agency: Agency
    rows: int
    publications: list[Publication] = field(default_factory=list)


def licensing_template_xlsx() -> bytes:
    """The upload template: the header row (required columns marked *), one example row, notes."""
    # local import: openpyxl loads only for the template download (as in core.tables)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "行政许可决定"
    sheet.append([f"{h}*" if k in LICENSING_REQUIRED else h for k, h in LICENSING_COLUMNS.items()])
    sheet.append([LICENSING_EXAMPLE[k] for k in LICENSING_COLUMNS])
    notes = book.create_sheet("填写说明")
    notes.append(["项目", "可填写的值"])
    notes.append(["行政相对人类别", "法人及非法人组织、个体工商户、自然人"])
    notes.append(["统一社会信用代码", "法人及非法人组织、个体工商户必填（18 位，含校验码）；自然人不填"])
    notes.append(["法定代表人", "法人及非法人组织必填；个体工商户填经营者（公示时只显示姓氏）"])
    notes.append(["证件号码", "自然人必填居民身份证号码（18 位，含校验码），仅用于核验，不保存、不公开"])
    notes.append(["许可类别", "、".join(LicenceCategory.labels) + "（行政许可法第十二条）"])
    notes.append(["日期", "YYYY-MM-DD；有效期至可填“长期”"])
    notes.append(["领域", "领域代码或名称，可空（执法主体只有一个领域时取该领域）"])
    notes.append(["行政许可决定文书号", "同一执法主体内不得重复；已导入的文书号不能再次导入"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_licensing_table(data: bytes, filename: str) -> list[dict[str, Any]]:
    """Rows of an uploaded .xlsx / .csv keyed by the API field names (``zhifa.core.tables`` reads the file)."""
    rows = [r for r in table_rows(data, filename) if any(c not in (None, "") for c in r)]
    if not rows:
        raise InvalidInput("文件为空。", "The file is empty.", code="empty_file", field="file")
    by_header = {h: k for k, h in LICENSING_COLUMNS.items()} | _HEADER_ALIASES
    header = [by_header.get(header_text(h), "") for h in rows[0]]
    missing = [LICENSING_COLUMNS[k] for k in LICENSING_REQUIRED if k not in header]
    if missing:
        raise InvalidInput(
            f"缺少列：{'、'.join(missing)}。请使用下载的模板。",
            f"Missing columns: {missing}.",
            code="missing_columns",
            field="file",
            details={"missing": missing},
        )
    return [{k: raw[i] for i, k in enumerate(header) if k and i < len(raw)} for raw in rows[1:]]


def _cell(row: Mapping[str, Any], name: str) -> str:
    return cell_text(row.get(name), day_only=True)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10].replace("/", "-").replace(".", "-"))


def _licensing_row(
    i: int,
    row: Mapping[str, Any],
    *,
    today: dt.date,
    taken: set[str],
    seen: set[str],
    domains: dict[str, Any],
) -> tuple[dict[str, Any] | None, list[RowError]]:
    """One row checked: the fields of its publication (desensitised), or the row's errors."""
    errors: list[RowError] = []

    def err(name: str, message: str) -> None:
        errors.append(RowError(i, name, message))

    text = {k: _cell(row, k) for k in LICENSING_COLUMNS}
    for name in LICENSING_REQUIRED:
        if not text[name]:
            err(name, f"{LICENSING_COLUMNS[name]}为空")
    for name, max_len in (
        ("party_name", 200),
        ("legal_representative", 50),
        ("document_name", 100),
        ("document_number", 80),
        ("licence_name", 100),
        ("licence_number", 80),
        ("content", 2000),
        ("remarks", 500),
    ):
        if len(text[name]) > max_len:
            err(name, f"{LICENSING_COLUMNS[name]}超过 {max_len} 字")

    kind = _PARTY_KINDS.get(text["party_kind"], "")
    if text["party_kind"] and not kind:
        err("party_kind", "行政相对人类别应为：法人及非法人组织、个体工商户或自然人")
    uscc = text["party_uscc"].upper()
    id_number = text["party_id_number"].upper()
    if kind == PartyKind.NATURAL_PERSON:
        if uscc:
            err("party_uscc", "自然人不填统一社会信用代码")
        if not id_number:
            err("party_id_number", "自然人须填写居民身份证号码（仅用于核验，不公开）")
        elif not is_valid_resident_id(id_number):
            err("party_id_number", "居民身份证号码不正确（18 位，校验码不符或出生日期无效）")
    elif kind:
        if not uscc:
            err("party_uscc", "统一社会信用代码为空")
        elif not is_valid_uscc(uscc):
            err("party_uscc", "统一社会信用代码不正确（18 位，校验码不符）")
        if kind == PartyKind.LEGAL_PERSON and not text["legal_representative"]:
            err("legal_representative", "法人及非法人组织须填写法定代表人（负责人）")

    number = text["document_number"]
    if number:
        if number in taken:
            err("document_number", f"文书号 {number} 已导入过，不能重复导入")
        elif number in seen:
            err("document_number", f"文书号 {number} 在文件中重复")
        seen.add(number)
    for name in ("document_number", "licence_number"):
        if personal_number_in(text[name]):
            err(name, f"{LICENSING_COLUMNS[name]}中含有身份证号码或手机号码，不能公开")

    category = _CATEGORIES.get(text["category"], "")
    if text["category"] and not category:
        err("category", "许可类别应为：" + "、".join(LicenceCategory.labels))

    dates: dict[str, dt.date] = {}
    for name in ("decided_on", "valid_from", "valid_to"):
        if not text[name]:
            continue
        if name == "valid_to" and text[name] in ("长期", "长期有效", "9999-12-31"):
            dates[name] = OPEN_ENDED
            continue
        try:
            dates[name] = _day(text[name])
        except ValueError:
            err(name, f"{LICENSING_COLUMNS[name]}格式应为 YYYY-MM-DD")
    if dates.get("decided_on") and dates["decided_on"] > today:
        err("decided_on", "许可决定日期晚于今天")
    if dates.get("valid_from") and dates.get("valid_to") and dates["valid_to"] < dates["valid_from"]:
        err("valid_to", "有效期至早于有效期自")

    domain = None
    if text["domain"]:
        domain = domains.get(text["domain"])
        if domain is None:
            err("domain", f"领域 {text['domain']} 不存在")
    if errors:
        return None, errors

    # Desensitised once, here: the full name of a natural person (and an individual business's 经营者) and
    # the ID number never reach the database; the government services system keeps the original.
    names = [text["party_name"]] if kind == PartyKind.NATURAL_PERSON else []
    rep = text["legal_representative"] if kind != PartyKind.NATURAL_PERSON else ""
    if kind == PartyKind.INDIVIDUAL_BUSINESS and rep:
        names.append(rep)

    def clean(value: str) -> str:
        return scrub_text(value, person_names=names)

    licence_name = clean(text["licence_name"])
    return {
        "party_name": party_display(text["party_name"], kind),
        "party_kind": kind,
        "party_uscc": "" if kind == PartyKind.NATURAL_PERSON else uscc,
        "legal_representative": rep if kind == PartyKind.LEGAL_PERSON else mask_person_name(rep),
        "document_number": number,
        "decision_document_name": clean(text["document_name"]),
        "licence_category": category,
        "licence_name": licence_name,
        "licence_number": text["licence_number"],
        "content": clean(text["content"]),
        "decided_on": dates["decided_on"],
        "valid_from": dates["valid_from"],
        "valid_to": dates["valid_to"],
        "domain": domain,
        "remarks": clean(text["remarks"]),
        "title": f"{licence_name or clean(text['document_name'])}（行政许可决定）"[:300],
    }, []


@service
def licensing_decisions_import(
    *,
    actor: User,
    agency: Agency,
    rows: Iterable[Mapping[str, Any]],
    source: str = "api",
    filename: str = "",
    today: dt.date | None = None,
) -> LicensingImport:
    """接收行政许可决定 — licensing decisions made in the government services system (政务服务), one draft
    publication each, due 7 working days after the decision (seed 001; ``DisclosureRule``), then the usual
    preview, submit and approve. Every row is checked first; one bad row and nothing is written (errors per
    row in ``details``). A document number already imported for the agency is refused for that row.
    """
    perms.require(actor, DRAFT, Publication(agency=agency))
    rows = list(rows)
    if not rows:
        raise InvalidInput("没有可导入的许可决定。", "No rows.", code="empty_file", field="rows")
    if len(rows) > MAX_IMPORT_ROWS:
        raise InvalidInput(
            f"一次最多导入 {MAX_IMPORT_ROWS} 条。", "Too many rows.", code="too_many_rows", field="rows"
        )
    today = today or clock.today()
    # One import per agency at a time: a second one of the same document number waits for the first to
    # commit and then sees it as taken (a row error), instead of failing on the unique constraint.
    Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk", flat=True).first()
    numbers = {_cell(r, "document_number") for r in rows} - {""}
    taken = set(
        Publication.objects.filter(
            source_type=LICENSING, source_id__in=[f"{agency.pk}:{n}" for n in numbers]
        ).values_list("document_number", flat=True)
    )
    domains: dict[str, Any] = {}
    for d in Domain.objects.all():
        domains[d.code] = domains[d.name] = d
    own = list(agency.domains.all()[:2])
    default_domain = own[0] if len(own) == 1 else None

    errors: list[RowError] = []
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1):
        fields, row_errors = _licensing_row(i, row, today=today, taken=taken, seen=seen, domains=domains)
        errors += row_errors
        if fields is not None:
            clean.append(fields)
    if errors:
        raise InvalidInput(
            f"共 {len(errors)} 处错误，未导入任何许可决定。",
            f"{len(errors)} errors; nothing was imported.",
            code="import_rows_invalid",
            details=[e.as_dict() for e in errors],
        )

    result = LicensingImport(agency=agency, rows=len(clean))
    for fields in clean:
        domain = fields.pop("domain") or default_domain
        p = Publication(
            source_type=LICENSING,
            source_id=f"{agency.pk}:{fields['document_number']}",
            kind=ResultKind.LICENSING,
            agency=agency,
            domain=domain,
            due_on=publication_due(agency, ResultKind.LICENSING, fields["decided_on"]),
            **fields,
        )
        _fill(p)
        p.save()
        record_append(
            actor=actor,
            action="disclosure.obligation",
            obj=p,
            changes={
                "source": f"{LICENSING}:{p.source_id}",
                "kind": ResultKind.LICENSING,
                "decided_on": p.decided_on.isoformat(),
                "due_on": p.due_on.isoformat() if p.due_on else None,
            },
        )
        result.publications.append(p)
    record_append(
        actor=actor,
        action="disclosure.licensing_import",
        obj=agency,
        changes={
            "rows": result.rows,
            "source": source,
            "filename": filename[:200],
            "document_numbers": [p.document_number for p in result.publications],
        },
    )
    return result


def licensing_decisions_import_file(
    *, actor: User, agency: Agency, data: bytes, filename: str
) -> LicensingImport:
    """The same import from an uploaded .xlsx / .csv (the template's columns)."""
    return licensing_decisions_import(
        actor=actor,
        agency=agency,
        rows=read_licensing_table(data, filename),
        source="file",
        filename=filename,
    )
