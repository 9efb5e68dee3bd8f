"""State changes of the catalog and the four lists; each checks permission, writes and records on the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from zhifa.cases.models import Case, Stage
from zhifa.catalog import rules
from zhifa.catalog.models import (
    LENIENT_BASIS,
    CatalogItem,
    Confirmation,
    ConfirmationKind,
    ConfirmationState,
    ItemKind,
    LenientDecision,
    LenientEntry,
    LenientEntryItem,
    LenientKind,
)
from zhifa.catalog.selectors import confirmation_deadline, lenient_entries_for_case
from zhifa.core import clock
from zhifa.core.errors import InvalidInput, NotFound, RuleViolation
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Domain, Officer, Region, Role, ScopeKind, User
from zhifa.records.services import record_append

CODE_MAX = 64


@dataclass(frozen=True)
class ItemData:
    """One item version as plain values (a form, an API payload or an import row)."""

    code: str
    name: str
    kind: str
    domain: Domain
    law_name: str
    article: str
    article_text: str
    effective_from: dt.date
    effective_to: dt.date | None = None

    def same_content(self, item: CatalogItem) -> bool:
        return (
            item.name == self.name
            and item.kind == self.kind
            and item.domain_id == self.domain.pk
            and item.law_name == self.law_name
            and item.article == self.article
            and item.article_text == self.article_text
        )


def _text(value: Any) -> str:
    return str(value or "").strip()


def check_item_data(agency: Agency, data: ItemData, domain_ids: set[int] | None = None) -> None:
    """The rules of one version taken alone; raises ``InvalidInput`` naming the field.

    ``domain_ids`` are the agency's domains when the caller loaded them already (an import).
    """
    if not data.code:
        raise InvalidInput(
            "事项编码不能为空。", "The item code is required.", code="catalog_code_missing", field="code"
        )
    if len(data.code) > CODE_MAX or any(ch.isspace() for ch in data.code):
        raise InvalidInput(
            f"事项编码“{data.code}”无效（不超过 {CODE_MAX} 个字符，不含空格）。",
            "Invalid item code.",
            code="catalog_code_invalid",
            field="code",
        )
    if not data.name:
        raise InvalidInput(
            "事项名称不能为空。", "The item name is required.", code="catalog_name_missing", field="name"
        )
    if data.kind not in ItemKind.values:
        raise InvalidInput(
            f"事项类别“{data.kind}”无效。", "Unknown item kind.", code="catalog_kind_unknown", field="kind"
        )
    # 职权法定: an item without its legal basis (law, article and the article's text) cannot be listed.
    for field, label in (("law_name", "法律依据名称"), ("article", "条款"), ("article_text", "条文内容")):
        if not getattr(data, field):
            raise InvalidInput(
                f"缺少法律依据：{label}不能为空。",
                f"The legal basis is incomplete: {field} is required.",
                code="catalog_basis_missing",
                field=field,
            )
    if data.effective_to is not None and data.effective_to < data.effective_from:
        raise InvalidInput(
            "失效日期不能早于施行日期。",
            "effective_to is before effective_from.",
            code="catalog_bad_dates",
            field="effective_to",
        )
    agency_domains = domain_ids if domain_ids is not None else {d.pk for d in agency.domains.all()}
    if agency_domains and data.domain.pk not in agency_domains:
        raise InvalidInput(
            f"执法领域“{data.domain.name}”不属于{agency.name}的执法领域。",
            "The domain is not one of the agency's domains.",
            code="catalog_domain_not_agency",
            field="domain",
        )


def _write_version(actor: User | None, agency: Agency, data: ItemData, *, source: str) -> CatalogItem:
    """Insert a version of (agency, code), closing the previous one the day before; refuse an overlap."""
    versions = list(
        CatalogItem.objects.select_for_update().filter(agency=agency, code=data.code).order_by("version")
    )
    latest = versions[-1] if versions else None
    closed: dict[str, Any] = {}
    if latest is not None:
        # A new version starts after the current one started; the current one ends the day before.
        if data.effective_from <= latest.effective_from:
            raise RuleViolation(
                f"事项 {data.code} 的新版本施行日期（{data.effective_from}）须晚于现有第 {latest.version} 版的"
                f"施行日期（{latest.effective_from}），同一事项的各版本有效期不得重叠。",
                "A new version must start after the latest version started (no overlapping versions).",
                code="catalog_version_overlap",
                field="effective_from",
            )
        if latest.effective_to is None or latest.effective_to >= data.effective_from:
            previous_to = latest.effective_to
            latest.effective_to = data.effective_from - dt.timedelta(days=1)
            latest.save(update_fields=["effective_to"])
            closed = {
                "closed_version": latest.version,
                "closed_to": [_iso(previous_to), _iso(latest.effective_to)],
            }
    item = CatalogItem.objects.create(
        agency=agency,
        code=data.code,
        version=(latest.version + 1) if latest else 1,
        name=data.name,
        kind=data.kind,
        domain=data.domain,
        law_name=data.law_name,
        article=data.article,
        article_text=data.article_text,
        effective_from=data.effective_from,
        effective_to=data.effective_to,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_append(
        actor=actor,
        action="catalog.item_version",
        obj=item,
        changes={
            "agency_id": agency.pk,
            "code": item.code,
            "version": item.version,
            "name": item.name,
            "kind": item.kind,
            "domain": data.domain.code,
            "basis": item.basis,
            "effective_from": item.effective_from.isoformat(),
            "effective_to": _iso(item.effective_to),
            "source": source,
            **closed,
        },
    )
    return item


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@service
def catalog_item_save(*, actor: User, agency: Agency, data: ItemData) -> CatalogItem:
    """登记执法事项 — the first version of an item, or a new version from ``data.effective_from``."""
    perms.require(actor, rules.MANAGE_CATALOG, CatalogItem(agency=agency))
    data = ItemData(**{**data.__dict__, "code": _text(data.code), "name": _text(data.name)})
    check_item_data(agency, data)
    return _write_version(actor, agency, data, source="form")


@service
def catalog_item_repeal(*, actor: User, item: CatalogItem, on: dt.date) -> CatalogItem:
    """废止执法事项 — the version in force ends on ``on`` (the day the repeal takes effect is its last)."""
    perms.require(actor, rules.MANAGE_CATALOG, item)
    locked = CatalogItem.objects.select_for_update().get(pk=item.pk)
    later = CatalogItem.objects.filter(
        agency_id=locked.agency_id, code=locked.code, version__gt=locked.version
    )
    if later.exists():
        raise RuleViolation(
            "该版本已有后续版本，请废止最新版本。", "Repeal the latest version.", code="catalog_not_latest"
        )
    if on < locked.effective_from:
        raise InvalidInput(
            "废止日期不能早于施行日期。",
            "The repeal is before the version started.",
            code="catalog_bad_dates",
            field="on",
        )
    if locked.effective_to is not None and locked.effective_to <= on:
        raise RuleViolation(
            "该事项在此日期前已失效。", "The item had already lapsed.", code="catalog_already_lapsed"
        )
    previous = locked.effective_to
    locked.effective_to = on
    locked.save(update_fields=["effective_to"])
    record_append(
        actor=actor,
        action="catalog.item_repeal",
        obj=locked,
        changes={
            "code": locked.code,
            "version": locked.version,
            "effective_to": [_iso(previous), on.isoformat()],
        },
    )
    return locked


@service
def catalog_item_reassign(
    *, actor: User, item: CatalogItem, agency: Agency, on: dt.date, basis: str
) -> CatalogItem:
    """职责争议协调决定 — the judicial bureau decides that ``agency`` enforces the item from ``on``: the item's
    version in force at its old agency ends the day before and the same item (same code and content) is written
    as a version of ``agency`` from ``on`` (seed 004: “厘清综合执法职责边界,明晰执法职权……争议协调”). ``basis`` is
    the decision the change rests on, kept on the ledger entry."""
    perms.require(actor, rules.REASSIGN_ITEM, item)
    perms.require(actor, rules.REASSIGN_ITEM, CatalogItem(agency=agency))
    locked = CatalogItem.objects.select_for_update().get(pk=item.pk)
    if locked.agency_id == agency.pk:
        raise RuleViolation(
            "该事项已由此单位实施，无需调整。",
            "The item is already this agency's.",
            code="catalog_same_agency",
        )
    if not agency.domains.filter(pk=locked.domain_id).exists():
        raise RuleViolation(
            f"{agency.name}无“{locked.domain.name}”领域的执法职权，不能承接该事项。",
            "The agency does not enforce in the item's field.",
            code="catalog_domain_not_of_agency",
        )
    if locked.effective_to is not None and locked.effective_to < on:
        raise RuleViolation(
            "该事项版本在此日期前已失效。", "The item had lapsed.", code="catalog_already_lapsed"
        )
    if on <= locked.effective_from:
        raise InvalidInput(
            "调整日期须晚于该事项的施行日期。", "The date must follow the item's start.", field="on"
        )
    previous_to = locked.effective_to
    locked.effective_to = on - dt.timedelta(days=1)
    locked.save(update_fields=["effective_to"])
    record_append(
        actor=actor,
        action="catalog.item_reassign",
        obj=locked,
        changes={
            "code": locked.code,
            "version": locked.version,
            "effective_to": [_iso(previous_to), _iso(locked.effective_to)],
            "to_agency_id": agency.pk,
            "basis": basis,
        },
    )
    data = ItemData(
        code=locked.code,
        name=locked.name,
        kind=locked.kind,
        domain=locked.domain,
        law_name=locked.law_name,
        article=locked.article,
        article_text=locked.article_text,
        effective_from=on,
        effective_to=previous_to,
    )
    return _write_version(actor, agency, data, source="dispute")


# --- the four lists ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryData:
    kind: str
    number: str
    title: str
    item_codes: Sequence[str]
    conditions_text: str
    conditions: Sequence[str]
    law_basis: str
    effective_from: dt.date
    effective_to: dt.date | None = None


def check_entry_data(data: EntryData) -> None:
    if data.kind not in LenientKind.values:
        raise InvalidInput("清单类别无效。", "Unknown list kind.", code="lenient_kind_unknown", field="kind")
    if not data.number or not data.title:
        raise InvalidInput(
            "序号和违法行为不能为空。",
            "Number and title are required.",
            code="lenient_title_missing",
            field="title",
        )
    codes = [c for c in data.item_codes if c]
    if not codes:
        raise InvalidInput(
            "清单事项须对应至少一个执法事项编码。",
            "Name at least one catalog item code.",
            code="lenient_items_missing",
            field="item_codes",
        )
    if not data.conditions_text or not [c for c in data.conditions if c.strip()]:
        raise InvalidInput(
            "须写明适用条件及逐项核对的条件清单。",
            "Conditions (text and checklist) are required.",
            code="lenient_conditions_missing",
            field="conditions",
        )
    if not data.law_basis:
        raise InvalidInput(
            f"缺少法律依据（如{LENIENT_BASIS[data.kind]}）。",
            "The legal basis is required.",
            code="lenient_basis_missing",
            field="law_basis",
        )
    if data.effective_to is not None and data.effective_to < data.effective_from:
        raise InvalidInput(
            "失效日期不能早于施行日期。", "Bad dates.", code="lenient_bad_dates", field="effective_to"
        )


def _issuer(agency: Agency | None, region: Region | None) -> tuple[Region, str]:
    if (agency is None) == (region is None):
        raise InvalidInput(
            "清单须由一个机关或一个区划的人民政府发布（二选一）。",
            "Give either the issuing agency or the region's government.",
            code="lenient_issuer_invalid",
            field="agency",
        )
    if agency is not None:
        return agency.region, agency.name
    assert region is not None
    return region, f"{region.name}人民政府"


def write_entry(
    actor: User | None, data: EntryData, *, agency: Agency | None, region: Region | None, source: str
) -> LenientEntry:
    region_, issuer_name = _issuer(agency, region)
    entry = LenientEntry.objects.create(
        kind=data.kind,
        number=data.number,
        title=data.title,
        agency=agency,
        region=region_,
        issuer_name=issuer_name,
        conditions_text=data.conditions_text,
        conditions=[c.strip() for c in data.conditions if c.strip()],
        law_basis=data.law_basis,
        effective_from=data.effective_from,
        effective_to=data.effective_to,
    )
    codes = list(dict.fromkeys(c.strip() for c in data.item_codes if c.strip()))
    LenientEntryItem.objects.bulk_create([LenientEntryItem(entry=entry, code=c) for c in codes])
    record_append(
        actor=actor,
        action="catalog.lenient_entry",
        obj=entry,
        changes={
            "kind": entry.kind,
            "number": entry.number,
            "title": entry.title,
            "issuer": issuer_name,
            "item_codes": codes,
            "conditions": entry.conditions,
            "law_basis": entry.law_basis,
            "effective_from": entry.effective_from.isoformat(),
            "effective_to": _iso(entry.effective_to),
            "source": source,
        },
    )
    return entry


@service
def lenient_entry_save(
    *, actor: User, data: EntryData, agency: Agency | None = None, region: Region | None = None
) -> LenientEntry:
    """发布四张清单事项 — by an agency (its head) or for a region's government (a region-scoped admin)."""
    region_, _ = _issuer(agency, region)
    perms.require(actor, rules.MANAGE_CATALOG, LenientEntry(agency=agency, region=region_))
    check_entry_data(data)
    return write_entry(actor, data, agency=agency, region=region, source="form")


@service
def lenient_decision_record(
    *,
    actor: User,
    case: Any,
    entry: LenientEntry,
    applies: bool,
    conditions_met: list[str],
    reason: str,
    on: dt.date | None = None,
) -> LenientDecision:
    """记录清单适用意见 — whether a matching list entry applies to the case, the conditions checked, why.

    An entry applies only when every one of its conditions is met (the lists are compiled as conditions that
    must all hold, 行政处罚法 第三十二条、第三十三条); either answer needs a reason. A later record replaces
    the earlier as the case's answer; both stay on the ledger.
    """
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("agency__region")
        .get(pk=getattr(case, "pk", case))
    )
    perms.require(actor, rules.LENIENT_DECIDE, case)
    on = on or clock.today()

    if case.stage not in (Stage.REVIEW, Stage.NOTIFIED, Stage.INVESTIGATION, Stage.HEARING):
        raise RuleViolation(
            f"案件处于“{Stage(case.stage).label}”环节，不能记录清单适用意见。",
            "Lenient decisions are recorded between investigation and decision.",
            code="lenient_stage_not_allowed",
        )
    if entry.pk not in {e.pk for e in lenient_entries_for_case(case, on)}:
        raise NotFound(
            "该清单事项与本案执法事项不对应。",
            "The entry does not match the case's item.",
            code="lenient_entry_not_matching",
        )
    reason = _text(reason)
    if not reason:
        raise InvalidInput(
            "请说明理由。", "A reason is required.", code="lenient_reason_missing", field="reason"
        )
    met = [c for c in dict.fromkeys(_text(c) for c in conditions_met) if c]
    unknown = [c for c in met if c not in entry.conditions]
    if unknown:
        raise InvalidInput(
            f"条件“{'、'.join(unknown)}”不是该清单事项的条件。",
            "Unknown condition.",
            code="lenient_condition_unknown",
            field="conditions_met",
        )
    missing = [c for c in entry.conditions if c not in met]
    if applies and missing:
        raise RuleViolation(
            f"适用“{entry.get_kind_display()}”清单须满足全部条件，尚未满足：{'、'.join(missing)}。",
            "An entry applies only when all its conditions are met.",
            code="lenient_conditions_not_met",
            field="conditions_met",
            details={"missing": missing},
        )
    decision = LenientDecision.objects.create(
        case=case,
        entry=entry,
        kind=entry.kind,
        agency=case.agency,
        applies=applies,
        conditions_met=met,
        reason=reason[:2000],
        recorded_on=on,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_append(
        actor=actor,
        action="catalog.lenient_decision",
        obj=case,
        changes={
            "entry_id": entry.pk,
            "kind": entry.kind,
            "entry": f"{entry.number} {entry.title}",
            "applies": applies,
            "conditions_met": met,
            "reason": decision.reason,
            "on": on.isoformat(),
        },
    )
    return decision


# --- 主体资格确认: the judicial bureau confirms before publication ------------------------------------------------

REASON_MAX = 2000


def _confirmation_items(agency: Agency, kind: str) -> list[CatalogItem]:
    """The versions a request freezes: the whole registered history of the 权责清单 (so that a past date can be
    shown as it stood, 从旧兼从轻), or of its 行政检查 items for the 检查主体资格; none for the 执法主体资格."""
    if kind == ConfirmationKind.QUALIFICATION:
        return []
    qs = CatalogItem.objects.filter(agency=agency)
    if kind == ConfirmationKind.INSPECTION:
        qs = qs.filter(kind=ItemKind.INSPECTION)
    return list(qs.order_by("code", "version"))


@service
def confirmation_request(
    *, actor: User, agency: Agency, year: int, kind: str, note: str = "", on: dt.date | None = None
) -> Confirmation:
    """申请确认 — the agency asks its judicial bureau to confirm its 主体资格 or 权责清单 for ``year``.

    The request freezes the catalog versions it asks about; one open or confirmed request per agency, year
    and kind (a returned one may be asked again).
    """
    perms.require(actor, rules.REQUEST_CONFIRMATION, Confirmation(agency=agency))
    on = on or clock.today()
    if kind not in ConfirmationKind.values:
        raise InvalidInput(
            "确认事项无效。", "Unknown confirmation kind.", code="confirmation_kind", field="kind"
        )
    if not on.year - 1 <= year <= on.year + 1:
        raise InvalidInput(
            f"年度须为 {on.year - 1}—{on.year + 1} 年。",
            "The year must be last year, this year or next year.",
            code="confirmation_year",
            field="year",
        )
    locked = Agency.objects.select_for_update().get(pk=agency.pk)  # one request at a time per agency
    if not locked.is_active:
        raise RuleViolation(
            "该执法主体已撤销。", "The agency is inactive.", code="confirmation_agency_inactive"
        )
    live = (
        Confirmation.objects.filter(agency=locked, year=year, kind=kind)
        .exclude(state=ConfirmationState.RETURNED)
        .first()
    )
    label = ConfirmationKind(kind).label
    if live is not None:
        done = live.state == ConfirmationState.CONFIRMED
        raise RuleViolation(
            f"{locked.name}{year}年度{label}{'已确认' if done else '已申请，正待司法局确认'}，不能重复申请。",
            "Already confirmed for the year." if done else "A request is already pending.",
            code="confirmation_exists",
        )
    items = _confirmation_items(locked, kind)
    if kind == ConfirmationKind.CATALOG and not items:
        raise RuleViolation(
            "尚未登记任何执法事项，权责清单无可确认的内容。",
            "The agency has no catalog items to confirm.",
            code="confirmation_catalog_empty",
        )
    if kind == ConfirmationKind.INSPECTION and not items:
        raise RuleViolation(
            "权责清单中没有行政检查事项，不能申请检查主体资格确认。",
            "The catalog has no inspection items.",
            code="confirmation_no_inspection_items",
        )
    confirmation = Confirmation.objects.create(
        agency=locked,
        year=year,
        kind=kind,
        request_note=_text(note)[:REASON_MAX],
        requested_on=on,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    confirmation.items.set(items)
    record_append(
        actor=actor,
        action="catalog.confirmation_request",
        obj=confirmation,
        changes={
            "agency_id": locked.pk,
            "year": year,
            "kind": kind,
            "items": [f"{i.code} 第{i.version}版" for i in items],
            "note": confirmation.request_note,
            "on": on.isoformat(),
        },
    )
    return confirmation


def _bureau(actor: User, agency: Agency) -> tuple[Agency | None, str]:
    """The judicial bureau the actor speaks for over ``agency``: the supervision organ of the nearest region
    the actor supervises that contains the agency. Refused when there is none, or it is the agency itself."""
    region_paths = [
        g.region_path
        for g in perms.grants(actor)
        if g.role == Role.SUPERVISOR
        and g.scope == ScopeKind.REGION
        and g.region_path
        and agency.region.path.startswith(g.region_path)
    ]
    if not region_paths:
        raise RuleViolation(
            "主体资格确认须由该执法主体所在区域的司法行政部门（执法监督人员）作出。",
            "Only a supervisor of the agency's region (the judicial bureau) confirms.",
            code="confirmation_not_bureau",
        )
    nearest = max(region_paths, key=len)
    bureau = (
        Agency.objects.filter(is_supervision_organ=True, is_active=True, region__path=nearest)
        .select_related("region")
        .first()
    )
    region = Region.objects.filter(path=nearest).only("name").first()
    name = bureau.name if bureau is not None else f"{region.name if region else ''}司法局"
    # 自己不能确认自己: a bureau's own 主体资格 and 权责清单 are confirmed by the judicial bureau above it.
    if bureau is not None and bureau.pk == agency.pk:
        raise RuleViolation(
            f"{bureau.name}不能确认本机关自身的主体资格或权责清单，应由上一级司法行政部门确认。",
            "A bureau cannot confirm itself; the bureau above it confirms.",
            code="confirmation_self",
        )
    if Officer.objects.filter(user_id=actor.pk, agency_id=agency.pk, is_active=True).exists():
        raise RuleViolation(
            "本机关的执法人员不能确认本机关的主体资格或权责清单。",
            "An officer of the agency cannot confirm it.",
            code="confirmation_self",
        )
    return bureau, name


def _decidable(actor: User, confirmation: Confirmation) -> Confirmation:
    locked = (
        Confirmation.objects.select_for_update(of=("self",))
        .select_related("agency__region")
        .get(pk=confirmation.pk)
    )
    perms.require(actor, rules.DECIDE_CONFIRMATION, locked)
    if locked.state != ConfirmationState.REQUESTED:
        raise RuleViolation(
            f"该申请已{locked.get_state_display()}，不能再次处理。",
            "The request was already decided.",
            code="confirmation_decided",
        )
    if locked.requested_by_id is not None and locked.requested_by_id == actor.pk:
        raise RuleViolation(
            "申请人不能确认自己提出的申请。", "The requester cannot decide.", code="confirmation_self"
        )
    return locked


@service
def confirmation_confirm(
    *, actor: User, confirmation: Confirmation, remarks: str = "", on: dt.date | None = None
) -> Confirmation:
    """确认 — the bureau confirms; the frozen 权责清单 versions become public. A confirmation after the year's
    deadline (31 March) is recorded as late."""
    locked = _decidable(actor, confirmation)
    bureau, name = _bureau(actor, locked.agency)
    on = on or clock.today()
    if on < locked.requested_on:
        raise InvalidInput(
            "确认日期不能早于申请日期。",
            "Confirmed before requested.",
            code="confirmation_bad_date",
            field="on",
        )
    locked.state = ConfirmationState.CONFIRMED
    locked.bureau = bureau
    locked.bureau_name = name
    locked.decided_on = on
    locked.decided_at = clock.now()
    locked.decided_by = actor
    locked.remarks = _text(remarks)[:REASON_MAX]
    locked.save(
        update_fields=["state", "bureau", "bureau_name", "decided_on", "decided_at", "decided_by", "remarks"]
    )
    deadline = confirmation_deadline(locked.year)
    record_append(
        actor=actor,
        action="catalog.confirmation_confirm",
        obj=locked,
        changes={
            "agency_id": locked.agency_id,
            "year": locked.year,
            "kind": locked.kind,
            "bureau": name,
            "on": on.isoformat(),
            "deadline": deadline.isoformat(),
            "late": on > deadline,
            "remarks": locked.remarks,
            "items": locked.items.count(),
        },
    )
    return locked


@service
def confirmation_return(
    *, actor: User, confirmation: Confirmation, reason: str, on: dt.date | None = None
) -> Confirmation:
    """退回 — the bureau returns the request with its reason; the agency corrects and asks again."""
    locked = _decidable(actor, confirmation)
    bureau, name = _bureau(actor, locked.agency)
    reason = _text(reason)
    if not reason:
        raise InvalidInput(
            "请写明退回理由。", "A reason is required.", code="confirmation_reason", field="reason"
        )
    on = on or clock.today()
    locked.state = ConfirmationState.RETURNED
    locked.bureau = bureau
    locked.bureau_name = name
    locked.decided_on = max(on, locked.requested_on)
    locked.decided_at = clock.now()
    locked.decided_by = actor
    locked.return_reason = reason[:REASON_MAX]
    locked.save(
        update_fields=[
            "state",
            "bureau",
            "bureau_name",
            "decided_on",
            "decided_at",
            "decided_by",
            "return_reason",
        ]
    )
    record_append(
        actor=actor,
        action="catalog.confirmation_return",
        obj=locked,
        changes={
            "agency_id": locked.agency_id,
            "year": locked.year,
            "kind": locked.kind,
            "bureau": name,
            "on": locked.decided_on.isoformat(),
            "reason": locked.return_reason,
        },
    )
    return locked


__all__ = [
    "EntryData",
    "ItemData",
    "catalog_item_repeal",
    "catalog_item_save",
    "confirmation_confirm",
    "confirmation_request",
    "confirmation_return",
    "lenient_decision_record",
    "lenient_entry_save",
]
