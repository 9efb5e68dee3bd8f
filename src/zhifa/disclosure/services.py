"""Publication services (事后公开): obligation, draft, submit, approve, redact, withdraw, annual statistics.

Rules as implemented (sources in docs/disclosure.md):

* 行政处罚法 第四十八条 and seed 001: penalty (and licence) decisions are published within **7 working days**
  of the decision, every other enforcement result within **20 working days** (``DisclosureRule`` per region
  changes both). The obligation is created in the decision's own transaction (``cases.hooks``).
* Publication is reviewed: the approver is a second person (seed 001: 采集、传递、审核、发布 each with a
  responsible person), holding ``disclosure.approve`` (the agency head or a designated role).
* 行政处罚法 第四十八条第二款 and seed 001: a published decision that is changed, revoked, confirmed
  unlawful or invalid, or to be remade is withdrawn (within 3 days), stating the reason; it leaves the
  portal, the search index and the exports in the same transaction; the reason stays here and on the ledger.
* 政府信息公开条例 第十五条: trade secrets and personal privacy are not published; a trade secret is excluded
  on the party's request with a reason (``publication_redact``); personal data is removed by ``privacy``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from zhifa.core import clock
from zhifa.core.errors import ConfigurationMissing, InvalidInput, NotFound, RuleViolation
from zhifa.core.transactions import service
from zhifa.core.workdays import add_working_days
from zhifa.disclosure.models import (
    AnnualStatistics,
    DisclosureRule,
    LicenceCategory,
    Publication,
    PublicationStatus,
    ResultKind,
    WithdrawKind,
)
from zhifa.disclosure.privacy import mask_person_name, party_display, personal_number_in, scrub_text
from zhifa.disclosure.rules import APPROVE, DRAFT, PUBLISH_STATS, WITHDRAW
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, PartyKind
from zhifa.records.services import record_append

CASE = "cases.case"
INSPECTION = "inspections.inspection"
LICENSING = "zwfw.licensing"  # a licensing decision received from the government services system (政务服务)
SECRET_REMOVED = "【涉及商业秘密，不予公开】"
_DECISION_KINDS = (ResultKind.PENALTY, ResultKind.LICENSING)


# --- deadlines ---------------------------------------------------------------------------------------------------


def rule_for(agency: Agency) -> DisclosureRule:
    """The disclosure numbers for the agency's region: the nearest region up the tree that set them."""
    path = agency.region.path
    best: DisclosureRule | None = None
    for rule in DisclosureRule.objects.select_related("region"):
        if path.startswith(rule.region.path) and (
            best is None or len(rule.region.path) > len(best.region.path)
        ):
            best = rule
    return best or DisclosureRule()


def publication_due(agency: Agency, kind: str, decided_on: dt.date) -> dt.date | None:
    """The last day to publish; ``None`` while the year's holiday schedule is not entered."""
    rule = rule_for(agency)
    # 行政处罚法 第四十八条; seed 001 (行政许可、行政处罚 7 个工作日，其他执法决定 20 个工作日)
    days = rule.decision_working_days if kind in _DECISION_KINDS else rule.other_working_days
    try:
        return add_working_days(decided_on, days)
    except ConfigurationMissing:
        return None


def stats_due(agency: Agency, year: int) -> dt.date:
    """The day by which the statistics of ``year`` are published (31 January of the next year by default)."""
    month, day = (int(p) for p in rule_for(agency).stats_deadline.split("-"))
    return dt.date(year + 1, month, day)


# --- drafts --------------------------------------------------------------------------------------------------------


def _yuan(value: Decimal | None) -> str:
    return f"{value:,.2f} 元" if value else ""


def _apply_redactions(text: str, redactions: list[dict[str, str]]) -> str:
    for item in sorted(redactions, key=lambda r: len(r.get("text", "")), reverse=True):
        if item.get("text"):
            text = text.replace(item["text"], SECRET_REMOVED)
    return text


def _compose_licensing_body(p: Publication, agency: Agency) -> str:
    who = p.party_name + (f"（统一社会信用代码：{p.party_uscc}）" if p.party_uscc else "")
    lines = [
        f"许可机关：{agency.name}",
        f"行政许可决定文书：{p.decision_document_name}（{p.document_number}）",
        f"行政相对人：{who}",
    ]
    if p.legal_representative:
        lines.append(f"法定代表人（负责人）：{p.legal_representative}")
    lines.append(f"许可类别：{p.get_licence_category_display()}")
    if p.licence_name:
        lines.append(f"许可证书名称：{p.licence_name}")
    if p.content:
        lines.append(f"许可内容：{p.content}")
    validity = (
        f"{p.valid_from:%Y年%m月%d日}至{p.valid_to:%Y年%m月%d日}" if p.valid_from and p.valid_to else ""
    )
    if validity:
        lines.append(f"有效期：{validity}")
    lines.append(f"许可决定日期：{p.decided_on:%Y年%m月%d日}")
    if p.remarks:
        lines.append(f"备注：{p.remarks}")
    return "\n".join(lines)


def _compose_body(p: Publication, agency: Agency) -> str:
    if p.kind == ResultKind.LICENSING:
        # 许可编号 is shown beside the text (privacy.scrub_code), not in it: the body is scrubbed with
        # scrub_text on the way out, which would blank a licence number's long run of digits.
        return _compose_licensing_body(p, agency)
    lines = [f"执法主体：{agency.name}"]
    if p.document_number:
        lines.append(f"决定书文号：{p.document_number}")
    who = p.party_name + (f"（统一社会信用代码：{p.party_uscc}）" if p.party_uscc else "")
    lines.append(f"当事人：{who}")
    if p.legal_representative:
        lines.append(f"法定代表人（负责人）：{p.legal_representative}")
    label = "检查情况" if p.kind == ResultKind.INSPECTION else "违法事实"
    if p.facts:
        lines.append(f"{label}：{p.facts}")
    if p.basis:
        lines.append(f"依据：{p.basis}")
    if p.content:
        lines.append(("检查结论：" if p.kind == ResultKind.INSPECTION else "处理结果：") + p.content)
    lines.append(f"决定日期：{p.decided_on:%Y年%m月%d日}")
    return "\n".join(lines)


def _party_fields(party: Any) -> dict[str, str]:
    if party is None:
        return {"party_name": "（无）", "party_kind": "", "party_uscc": "", "legal_representative": ""}
    natural = party.kind == PartyKind.NATURAL_PERSON
    rep = party.legal_representative or ""
    # 个体工商户的经营者 is a natural person: masked like any other; a company's 法定代表人 is public.
    return {
        "party_name": party_display(party.name, party.kind),
        "party_kind": party.kind,
        "party_uscc": "" if natural else (party.uscc or ""),
        "legal_representative": rep if party.kind == PartyKind.LEGAL_PERSON else mask_person_name(rep),
    }


def _private_of(parties: list[Any]) -> tuple[list[str], list[str]]:
    names, addresses = [], []
    for party in parties:
        if party.kind == PartyKind.NATURAL_PERSON:
            names.append(party.name)
            addresses.append(party.address)
        elif party.kind == PartyKind.INDIVIDUAL_BUSINESS and party.legal_representative:
            names.append(party.legal_representative)
    return names, addresses


def _decision_number(case: Any, kind: str) -> str:
    """决定书文号 — the number of the issued 行政处罚决定书 (不予行政处罚决定书), never the 立案 number; empty
    while the document is not issued yet (it is looked up again when the publication is approved)."""
    from zhifa.cases.models import CaseDocument, DocumentStatus, DocumentType

    doc_type = DocumentType.NOT_PUNISH_DECISION if kind == ResultKind.NOT_PUNISH else DocumentType.DECISION
    return (
        CaseDocument.objects.filter(case=case, doc_type=doc_type, status=DocumentStatus.ISSUED)
        .order_by("-id")
        .values_list("number", flat=True)
        .first()
    ) or ""


def _refresh_decision_number(p: Publication) -> None:
    """The decision document is issued after the decision (and so after the draft): take its number now."""
    if p.source_type != CASE or p.kind not in (ResultKind.PENALTY, ResultKind.NOT_PUNISH):
        return
    number = _decision_number(_source(p), p.kind)[:80]
    if number and number != p.document_number:
        p.document_number = number
        p.body = _apply_redactions(_compose_body(p, p.agency), p.redactions)


def _case_fields(case: Any, kind: str) -> dict[str, Any]:
    from zhifa.cases.models import PartyRole, PenaltyKind

    parties = [link.party for link in case.party_links.select_related("party").order_by("id")]
    main = next(
        (link.party for link in case.party_links.filter(role=PartyRole.PARTY).select_related("party")), None
    )
    names, addresses = _private_of(parties)

    def clean(text: str) -> str:
        return scrub_text(text or "", person_names=names, addresses=addresses)

    number = _decision_number(case, kind)
    labels = dict(PenaltyKind.choices)
    if kind == ResultKind.NOT_PUNISH:
        content = "不予行政处罚。" + (case.get_not_punish_reason_display() if case.not_punish_reason else "")
    else:
        parts = [labels.get(k, k) for k in case.penalty_kinds or []]
        if case.fine_yuan:
            parts = [f"罚款 {_yuan(case.fine_yuan)}" if p == labels["fine"] else p for p in parts]
        if case.confiscation_yuan:
            parts.append(f"没收金额（价值） {_yuan(case.confiscation_yuan)}")
        content = "；".join(parts) + ("。" + case.decision_text if case.decision_text else "")
    title_kind = "不予行政处罚决定" if kind == ResultKind.NOT_PUNISH else "行政处罚决定"
    return {
        **_party_fields(main),
        "title": clean(f"{case.title}（{title_kind}）")[:300],
        "document_number": number[:80],
        "facts": clean(case.facts or case.title),
        "basis": clean(case.legal_basis),
        "penalty_kinds": list(case.penalty_kinds or []) if kind == ResultKind.PENALTY else [],
        "content": clean(content),
        "fine_yuan": case.fine_yuan if kind == ResultKind.PENALTY else None,
        "confiscation_yuan": case.confiscation_yuan if kind == ResultKind.PENALTY else None,
    }


def _inspection_fields(inspection: Any) -> dict[str, Any]:
    party = inspection.party
    names, addresses = _private_of([party])

    def clean(text: str) -> str:
        return scrub_text(text or "", person_names=names, addresses=addresses)

    item = inspection.item.name if inspection.item_id else "行政检查"
    return {
        **_party_fields(party),
        "title": clean(item + ("结果" if item.endswith("检查") else "检查结果"))[:300],
        "document_number": "",
        "facts": clean(inspection.findings),
        "basis": clean(inspection.item.legal_basis if inspection.item_id else ""),
        "penalty_kinds": [],
        "content": inspection.get_outcome_display(),
        "fine_yuan": None,
        "confiscation_yuan": None,
    }


def _source(p: Publication) -> Any:
    if p.source_type == CASE:
        from zhifa.cases.models import Case

        return Case.objects.select_related("agency").get(pk=p.source_id)
    from zhifa.inspections.models import Inspection

    return Inspection.objects.select_related("party", "item", "agency").get(pk=p.source_id)


def _fill(p: Publication) -> None:
    if p.source_type == LICENSING:
        # No source in zhifa to regenerate from: the imported (already desensitised) fields are the source.
        for name in ("title", "content", "licence_name", "remarks"):
            setattr(p, name, _apply_redactions(getattr(p, name), p.redactions))
        p.body = _apply_redactions(_compose_body(p, p.agency), p.redactions)
        return
    source = _source(p)
    fields = _case_fields(source, p.kind) if p.source_type == CASE else _inspection_fields(source)
    for name, value in fields.items():
        setattr(p, name, value)
    for name in ("title", "facts", "basis", "content"):
        setattr(p, name, _apply_redactions(getattr(p, name), p.redactions))
    p.body = _apply_redactions(_compose_body(p, p.agency), p.redactions)


def _create(
    *,
    source_type: str,
    source_id: str,
    kind: str,
    agency: Agency,
    domain_id: int | None,
    on: dt.date,
    actor: Any,
) -> Publication:
    p = Publication(
        source_type=source_type,
        source_id=str(source_id),
        kind=kind,
        agency=agency,
        domain_id=domain_id,
        decided_on=on,
        due_on=publication_due(agency, kind, on),
    )
    _fill(p)
    p.save()
    record_append(
        actor=actor,
        action="disclosure.obligation",
        obj=p,
        changes={
            "source": f"{source_type}:{source_id}",
            "kind": kind,
            "decided_on": on.isoformat(),
            "due_on": p.due_on.isoformat() if p.due_on else None,
        },
    )
    return p


def on_case_decided(case: Any, *, code: str, actor: Any, on: dt.date, changes: dict[str, Any]) -> None:
    """cases.hooks after-step of decide / simple_decide / not_punish: the publication obligation."""
    kind = ResultKind.NOT_PUNISH if code == "not_punish" else ResultKind.PENALTY
    if Publication.objects.filter(source_type=CASE, source_id=str(case.pk)).exists():
        return
    _create(
        source_type=CASE,
        source_id=str(case.pk),
        kind=kind,
        agency=case.agency,
        domain_id=case.domain_id,
        on=on,
        actor=actor,
    )


def on_decision_document_issued(
    case: Any, *, code: str, actor: Any, on: dt.date, changes: dict[str, Any]
) -> None:
    """cases.hooks after ``document_issue``: a 行政处罚决定书 (不予行政处罚决定书) issued after its publication was
    drafted — or published — gives the publication its 文号 at once; a published one is re-indexed and the
    change recorded (the portal shows （决定书尚未编号） no longer)."""
    if changes.get("doc_type") not in ("decision", "not_punish_decision"):
        return
    p = Publication.objects.select_for_update().filter(source_type=CASE, source_id=str(case.pk)).first()
    if p is None or p.status == PublicationStatus.WITHDRAWN:
        return
    old = p.document_number
    _refresh_decision_number(p)
    if p.document_number == old:
        return
    p.save(update_fields=["document_number", "body", "updated_at"])
    if p.status == PublicationStatus.PUBLISHED:
        index_publication(p)
        record_append(
            actor=actor,
            action="disclosure.renumber",
            obj=p,
            changes={"document_number": [old, p.document_number], "on": on.isoformat()},
        )


@service
def disclosure_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Find enforcement results that have no publication yet (inspection results; decisions made before this
    app was installed) and create their obligations. Idempotent; run daily (``zhifa disclosure_sweep``)."""
    from zhifa.cases.models import Case, Stage
    from zhifa.inspections.models import Inspection, InspectionStatus

    created = {"inspection": 0, "penalty": 0, "not_punish": 0, "due_filled": 0}
    known = Publication.objects.filter(source_type=INSPECTION).values_list("source_id", flat=True)
    inspections = (
        Inspection.objects.filter(status=InspectionStatus.DONE, result_at__isnull=False)
        .exclude(pk__in=[int(k) for k in known])
        .select_related("agency__region", "item", "party")
    )
    for inspection in inspections.iterator(chunk_size=500):
        on = inspection.inspected_on or clock.business_date(inspection.result_at)
        _create(
            source_type=INSPECTION,
            source_id=str(inspection.pk),
            kind=ResultKind.INSPECTION,
            agency=inspection.agency,
            domain_id=inspection.item.domain_id if inspection.item_id else None,
            on=on,
            actor=None,
        )
        created["inspection"] += 1
    known_cases = Publication.objects.filter(source_type=CASE).values_list("source_id", flat=True)
    cases = (
        Case.objects.filter(decided_on__isnull=False)
        .exclude(penalty_kinds=[])
        .exclude(pk__in=[int(k) for k in known_cases])
        .select_related("agency__region")
    )
    for case in cases.iterator(chunk_size=500):
        _create(
            source_type=CASE,
            source_id=str(case.pk),
            kind=ResultKind.PENALTY,
            agency=case.agency,
            domain_id=case.domain_id,
            on=case.decided_on,
            actor=None,
        )
        created["penalty"] += 1
    not_punished = (
        Case.objects.filter(stage=Stage.NOT_PUNISHED, ended_on__isnull=False)
        .exclude(pk__in=[int(k) for k in known_cases])
        .select_related("agency__region")
    )
    for case in not_punished.iterator(chunk_size=500):
        _create(
            source_type=CASE,
            source_id=str(case.pk),
            kind=ResultKind.NOT_PUNISH,
            agency=case.agency,
            domain_id=case.domain_id,
            on=case.ended_on,
            actor=None,
        )
        created["not_punish"] += 1
    # A deadline left empty because the holiday schedule was missing is computed once it is entered.
    for p in Publication.objects.filter(due_on__isnull=True).select_related("agency__region"):
        p.due_on = publication_due(p.agency, p.kind, p.decided_on)
        if p.due_on:
            p.save(update_fields=["due_on", "updated_at"])
            created["due_filled"] += 1
    return created


# --- licensing decisions (行政许可决定) from the government services system ---------------------------------------

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
    import io

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
    from zhifa.core.tables import header_text, table_rows

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
    from zhifa.core.tables import cell_text

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
    from zhifa.core.validators import is_valid_resident_id, is_valid_uscc

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
    actor: Any,
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
    from zhifa.org.models import Domain

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
    *, actor: Any, agency: Agency, data: bytes, filename: str
) -> LicensingImport:
    """The same import from an uploaded .xlsx / .csv (the template's columns)."""
    return licensing_decisions_import(
        actor=actor,
        agency=agency,
        rows=read_licensing_table(data, filename),
        source="file",
        filename=filename,
    )


# --- workflow ------------------------------------------------------------------------------------------------------


def _locked(publication: Publication | int) -> Publication:
    pk = publication.pk if isinstance(publication, Publication) else publication
    p = Publication.objects.select_for_update().select_related("agency__region").filter(pk=pk).first()
    if p is None:
        raise NotFound("公示事项不存在。", "Publication not found.", code="publication_not_found")
    return p


def _refuse(code: str, message: str, message_en: str) -> RuleViolation:
    return RuleViolation(message, message_en, code=code)


def _require_status(p: Publication, *allowed: str) -> None:
    if p.status not in allowed:
        raise _refuse(
            "publication_wrong_status",
            f"该公示事项当前为“{p.get_status_display()}”，不能执行此操作。",
            f"The publication is {p.status}; this step is not open.",
        )


@service
def publication_refresh(*, actor: Any, publication: Publication | int) -> Publication:
    """重新生成 — regenerate the desensitised draft from the current case / inspection (draft only)."""
    p = _locked(publication)
    perms.require(actor, DRAFT, p)
    _require_status(p, PublicationStatus.DRAFT)
    _fill(p)
    p.save()
    record_append(actor=actor, action="disclosure.refresh", obj=p, changes={"title": p.title})
    return p


@service
def publication_submit(*, actor: Any, publication: Publication | int) -> Publication:
    """提交审核 — the drafter has read the preview and sends it for approval."""
    p = _locked(publication)
    perms.require(actor, DRAFT, p)
    _require_status(p, PublicationStatus.DRAFT)
    p.status, p.drafted_by, p.submitted_at = PublicationStatus.SUBMITTED, actor, clock.now()
    p.save(update_fields=["status", "drafted_by", "submitted_at", "updated_at"])
    record_append(actor=actor, action="disclosure.submit", obj=p, changes={"status": ["draft", "submitted"]})
    return p


@service
def publication_return(*, actor: Any, publication: Publication | int, reason: str) -> Publication:
    """退回修改 — the approver sends the draft back, with a reason."""
    p = _locked(publication)
    perms.require(actor, APPROVE, p)
    _require_status(p, PublicationStatus.SUBMITTED)
    reason = _reason(reason)
    p.status = PublicationStatus.DRAFT
    p.save(update_fields=["status", "updated_at"])
    record_append(
        actor=actor,
        action="disclosure.return",
        obj=p,
        changes={"status": ["submitted", "draft"], "reason": reason},
    )
    return p


def index_publication(p: Publication) -> None:
    from zhifa.search.services import index_document

    index_document(
        source_type="disclosure.publication",
        source_id=p.pk,
        agency_id=p.agency_id,
        domain=p.domain.code if p.domain_id else "",
        kind=p.kind,
        date=p.decided_on,
        title=p.title,
        party=p.party_name,
        body="\n".join(x for x in (p.body, p.agency.name) if x),
    )


@service
def publication_approve(
    *, actor: Any, publication: Publication | int, on: dt.date | None = None
) -> Publication:
    """审核发布 — a second person approves; the decision becomes public and searchable."""
    p = _locked(publication)
    perms.require(actor, APPROVE, p)
    _require_status(p, PublicationStatus.SUBMITTED)
    # seed 001: 采集、传递、审核、发布 each with its responsible person — the drafter does not approve alone.
    if p.drafted_by_id is not None and p.drafted_by_id == getattr(actor, "pk", None):
        raise _refuse(
            "publication_same_person",
            "公示内容须由拟稿人以外的人员审核发布。",
            "The drafter may not approve their own publication.",
        )
    now = clock.now()
    on = on or clock.business_date(now)
    _refresh_decision_number(p)
    p.status, p.approved_by, p.published_at, p.published_on = PublicationStatus.PUBLISHED, actor, now, on
    p.published_late = bool(p.due_on and on > p.due_on)
    p.save(
        update_fields=[
            "document_number",
            "body",
            "status",
            "approved_by",
            "published_at",
            "published_on",
            "published_late",
            "updated_at",
        ]
    )
    index_publication(p)
    record_append(
        actor=actor,
        action="disclosure.publish",
        obj=p,
        changes={
            "status": ["submitted", "published"],
            "on": on.isoformat(),
            "late": p.published_late,
            "due_on": p.due_on.isoformat() if p.due_on else None,
        },
    )
    return p


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写理由。", "A reason is required.", field=field)
    if len(reason) > 500:
        raise InvalidInput(
            "理由过长（最多 500 字）。", "The reason is longer than 500 characters.", field=field
        )
    return reason


@service
def publication_withdraw(
    *, actor: Any, publication: Publication | int, kind: str, reason: str
) -> Publication:
    """撤回 — a published decision changed, revoked, confirmed unlawful/invalid or to be remade leaves the
    portal, the search index and the exports at once; the reason is kept (行政处罚法 第四十八条第二款)."""
    p = _locked(publication)
    perms.require(actor, WITHDRAW, p)
    if kind not in WithdrawKind.values:
        raise InvalidInput("撤回情形无效。", "Unknown withdrawal kind.", field="kind")
    reason = _reason(reason)
    _require_status(p, PublicationStatus.PUBLISHED)
    return _withdraw(p, actor=actor, kind=kind, reason=reason)


def _withdraw(p: Publication, *, actor: Any, kind: str, reason: str, **changes: Any) -> Publication:
    from zhifa.search.services import remove_document

    before = p.status
    p.status, p.withdraw_kind, p.withdraw_reason = PublicationStatus.WITHDRAWN, kind, reason
    p.withdrawn_at, p.withdrawn_by = clock.now(), actor
    p.save(
        update_fields=[
            "status",
            "withdraw_kind",
            "withdraw_reason",
            "withdrawn_at",
            "withdrawn_by",
            "updated_at",
        ]
    )
    remove_document("disclosure.publication", p.pk)
    record_append(
        actor=actor,
        action="disclosure.withdraw",
        obj=p,
        changes={"status": [before, "withdrawn"], "kind": kind, "reason": reason, **changes},
    )
    return p


# 复议决定 (行政复议法 第六十三条至第六十九条) and 判决 (行政诉讼法 第六十九条至第七十八条) that undo the act or
# find it unlawful or void (``stats.RemedyOutcome``) -> the withdrawal kind.
REMEDY_WITHDRAW_KINDS: dict[str, str] = {
    "revoked": WithdrawKind.REVOKED,
    "changed": WithdrawKind.CHANGED,
    "confirmed_illegal": WithdrawKind.UNLAWFUL,
    "confirmed_void": WithdrawKind.INVALID,
}


@service
def publications_withdraw_for_remedy(
    *, actor: Any, agency: Agency, document_number: str, outcome: str, remedy: str
) -> list[Publication]:
    """撤回 — a reconsideration or court revoked, changed, or found unlawful or void the decision with this
    document number: the agency's publication of it leaves the portal, the index and the exports at once
    (行政处罚法 第四十八条第二款: within three days; here in the same transaction as the import of the
    outcome), with the outcome as the reason on the record. One not yet published is withdrawn before it
    ever appears (its publication deadline no longer runs). The caller (the import of remedy outcomes)
    has checked its own permission; ``remedy`` names the outcome, e.g. "行政复议 …号：撤销".
    """
    kind = REMEDY_WITHDRAW_KINDS.get(outcome)
    number = (document_number or "").strip()
    if kind is None or not number:
        return []
    from django.db.models import Q

    from zhifa.cases.models import CaseDocument, DocumentStatus, DocumentType

    # A draft takes its 文号 when it is approved: until then it is found through its case's issued 决定书.
    decided = CaseDocument.objects.filter(
        agency=agency,
        number=number,
        status=DocumentStatus.ISSUED,
        doc_type__in=[DocumentType.DECISION, DocumentType.NOT_PUNISH_DECISION],
    ).values_list("case_id", flat=True)
    found = list(
        Publication.objects.select_for_update()
        .filter(
            Q(document_number=number) | Q(source_type=CASE, source_id__in=[str(pk) for pk in decided]),
            agency=agency,
            status__in=[PublicationStatus.DRAFT, PublicationStatus.SUBMITTED, PublicationStatus.PUBLISHED],
        )
        .order_by("id")
    )
    reason = f"{remedy}（原行政行为文号 {number}）"[:500]
    return [_withdraw(p, actor=actor, kind=kind, reason=reason, remedy=remedy) for p in found]


# 行政处罚法 第四十八条第二款: the case's correction (``Case.decision_correction``) -> the withdrawal kind.
CORRECTION_WITHDRAW_KINDS: dict[str, str] = {
    "revoked": WithdrawKind.REVOKED,
    "changed": WithdrawKind.CHANGED,
    "unlawful": WithdrawKind.UNLAWFUL,
    "invalid": WithdrawKind.INVALID,
}


def on_decision_corrected(case: Any, *, code: str, actor: Any, on: dt.date, changes: dict[str, Any]) -> None:
    """cases.hooks after ``revoke_decision`` / ``change_decision`` / ``record_remedy``: the decision was revoked,
    changed, or confirmed unlawful or void (行政处罚法 第四十八条第二款). A publication not yet public is
    withdrawn at once (it never appears); a public one must be withdrawn, with the reason made public, within
    three working days (``Case.withdrawal_due``) — supervision is told now, and the flag source
    (``selectors.withdrawal_due_flags``) keeps the flag until it is withdrawn, as overdue afterwards."""
    kind = CORRECTION_WITHDRAW_KINDS.get(changes.get("decision_correction") or "")
    if kind is None:
        return
    from zhifa.core import flags
    from zhifa.disclosure.selectors import withdrawal_flag

    reason = f"行政处罚决定被{case.get_decision_correction_display()}：{case.decision_correction_reason}"[
        :500
    ]
    for p in (
        Publication.objects.select_for_update()
        .filter(source_type=CASE, source_id=str(case.pk))
        .exclude(status=PublicationStatus.WITHDRAWN)
    ):
        if p.status == PublicationStatus.PUBLISHED:
            flags.notify(withdrawal_flag(p, case, clock.today()))
        elif kind != WithdrawKind.CHANGED:
            # never public: withdrawn before it ever appears (a changed decision is published as changed)
            _withdraw(p, actor=actor, kind=kind, reason=reason)


@service
def publication_redact(*, actor: Any, publication: Publication | int, text: str, reason: str) -> Publication:
    """不予公开（商业秘密）— on the party's request, a passage is excluded from every public form, with a reason.

    Before publication the drafter does it; once published only the approver, and the index is rebuilt.
    """
    p = _locked(publication)
    published = p.status == PublicationStatus.PUBLISHED
    perms.require(actor, APPROVE if published else DRAFT, p)
    _require_status(p, PublicationStatus.DRAFT, PublicationStatus.SUBMITTED, PublicationStatus.PUBLISHED)
    text = (text or "").strip()
    if len(text) < 2 or len(text) > 500:
        raise InvalidInput(
            "请填写须隐去的原文（2–500 字）。", "Give the passage to exclude (2–500 chars).", field="text"
        )
    reason = _reason(reason)
    if text not in p.body and text not in p.facts and text not in p.content and text not in p.basis:
        raise InvalidInput("公示内容中没有这段文字。", "The passage is not in the publication.", field="text")
    p.redactions = [*p.redactions, {"text": text, "reason": reason}]
    texts = ("title", "facts", "basis", "content", "licence_name", "remarks", "body")
    for name in texts:
        setattr(p, name, _apply_redactions(getattr(p, name), p.redactions))
    p.save(update_fields=["redactions", *texts, "updated_at"])
    if published:
        index_publication(p)
    # The ledger keeps that a passage was excluded and why — not the secret itself.
    record_append(
        actor=actor,
        action="disclosure.redact",
        obj=p,
        changes={"reason": reason, "chars": len(text), "count": len(p.redactions)},
    )
    return p


# --- annual statistics ---------------------------------------------------------------------------------------------


def annual_figures(agency: Agency, year: int) -> dict[str, Any]:
    """The year's counts by act type, from the data (cases, inspections, publications)."""
    from zhifa.cases.models import Case, Procedure, Stage
    from zhifa.inspections.models import Inspection, InspectionStatus

    decided = Case.objects.filter(agency=agency, decided_on__year=year).exclude(penalty_kinds=[])
    by_procedure = dict(decided.values_list("procedure").annotate(n=Count("id")).order_by())
    kinds: dict[str, int] = {}
    for row in decided.values_list("penalty_kinds", flat=True):
        for k in row or []:
            kinds[k] = kinds.get(k, 0) + 1
    fines = decided.aggregate(total=Sum("fine_yuan"))["total"] or Decimal("0")
    inspections = Inspection.objects.filter(agency=agency, status=InspectionStatus.DONE, inspected_year=year)
    outcomes = dict(inspections.values_list("outcome").annotate(n=Count("id")).order_by())
    pubs = Publication.objects.filter(agency=agency, decided_on__year=year)
    return {
        "year": year,
        "penalty_decisions": sum(by_procedure.values()),
        "penalty_general": by_procedure.get(Procedure.GENERAL, 0),
        "penalty_simple": by_procedure.get(Procedure.SIMPLE, 0),
        "penalty_kinds": kinds,
        "fines_yuan": f"{fines:.2f}",
        "not_punished": Case.objects.filter(
            agency=agency, stage=Stage.NOT_PUNISHED, ended_on__year=year
        ).count(),
        "inspections": sum(outcomes.values()),
        "inspection_outcomes": outcomes,
        "published": pubs.filter(
            status__in=[PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN]
        ).count(),
        "published_late": pubs.filter(published_late=True).count(),
        "withdrawn": pubs.filter(status=PublicationStatus.WITHDRAWN).count(),
    }


@service
def annual_statistics_publish(
    *, actor: Any, agency: Agency, year: int, on: dt.date | None = None
) -> AnnualStatistics:
    """公布上年度行政执法数据 — by 31 January (configurable), generated from the data; late is recorded."""
    perms.require(actor, PUBLISH_STATS, AnnualStatistics(agency=agency))
    now = clock.now()
    on = on or clock.business_date(now)
    if year >= on.year:
        raise InvalidInput(
            "只能公布已结束年度的统计。", "Only a finished year can be published.", field="year"
        )
    if AnnualStatistics.objects.filter(agency=agency, year=year).exists():
        raise _refuse("stats_already_published", f"{year} 年度统计已公布。", f"{year} is already published.")
    due = stats_due(agency, year)
    stats = AnnualStatistics.objects.create(
        agency=agency,
        year=year,
        due_on=due,
        data=annual_figures(agency, year),
        published_at=now,
        published_by=actor,
        published_late=on > due,
    )
    record_append(
        actor=actor,
        action="disclosure.annual_stats",
        obj=stats,
        changes={"year": year, "due_on": due.isoformat(), "late": stats.published_late},
    )
    return stats
