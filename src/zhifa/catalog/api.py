"""执法事项目录与四张清单 — JSON API under /api/catalog/.

Items and list entries are public information (事前公开), readable by every signed-in user; writing is the
agency head's or an administrator's, within scope. Lenient decisions are read and written through the case,
found in the caller's case scope (404 outside it). Lists are keyset-paginated (``cursor``/``limit``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from zhifa.cases.models import Case
from zhifa.catalog import rules, selectors, services
from zhifa.catalog.imports import catalog_import as run_items
from zhifa.catalog.imports import lenient_import as run_entries
from zhifa.catalog.models import (
    CatalogItem,
    Confirmation,
    ConfirmationKind,
    ConfirmationState,
    ItemKind,
    LenientDecision,
    LenientEntry,
    LenientKind,
)
from zhifa.core import clock
from zhifa.core.apitypes import BigInt, Id, ShortText
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller, in_scope, keyset
from zhifa.org.models import Agency, Domain
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["catalog"])

MAX_LIMIT = 200


# --- schemas -------------------------------------------------------------------------------------------------


class CatalogItemOut(Schema):
    id: int
    code: str
    version: int
    name: str
    kind: str
    kind_label: str
    agency_id: int
    agency_name: str
    domain: str
    law_name: str
    article: str
    article_text: str
    effective_from: dt.date
    effective_to: dt.date | None


class CatalogItemPage(Schema):
    items: list[CatalogItemOut]
    next_cursor: str | None


class CatalogItemIn(Schema):
    agency_id: Id
    code: str = Field(..., min_length=1, max_length=64)
    name: str = Field(..., min_length=1, max_length=300)
    kind: ItemKind
    domain: str = Field(..., description="执法领域代码，如 market", max_length=32)
    law_name: str = Field("", max_length=200)
    article: str = Field("", max_length=100)
    article_text: str = ""
    effective_from: dt.date
    effective_to: dt.date | None = None


class LenientEntryOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    title: str
    issuer_name: str
    agency_id: int | None
    region_code: str
    item_codes: list[str]
    conditions_text: str
    conditions: list[str]
    law_basis: str
    effective_from: dt.date
    effective_to: dt.date | None


class LenientEntryPage(Schema):
    items: list[LenientEntryOut]
    next_cursor: str | None


class LenientDecisionOut(Schema):
    id: int
    case_id: int
    entry_id: int
    kind: str
    applies: bool
    conditions_met: list[str]
    reason: str
    recorded_on: dt.date


class LenientStatusOut(Schema):
    entry: LenientEntryOut
    decision: LenientDecisionOut | None


class LenientDecisionIn(Schema):
    entry_id: Id
    applies: bool
    conditions_met: Annotated[list[str], Field(max_length=200)] = []
    reason: str = Field(..., max_length=2000)


class CatalogImportRowErrorOut(Schema):
    row: int
    column: str
    reason: str


class CatalogImportOut(Schema):
    ok: bool
    total_rows: int
    created: int
    new_versions: int
    unchanged_rows: list[int]
    errors: list[CatalogImportRowErrorOut]


class UsageOut(Schema):
    kind: str
    kind_label: str
    agency_id: int
    matched: int
    applied: int
    not_applied: int


# --- helpers -------------------------------------------------------------------------------------------------


def _item(item: CatalogItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "code": item.code,
        "version": item.version,
        "name": item.name,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "agency_id": item.agency_id,
        "agency_name": item.agency.name,
        "domain": item.domain.code,
        "law_name": item.law_name,
        "article": item.article,
        "article_text": item.article_text,
        "effective_from": item.effective_from,
        "effective_to": item.effective_to,
    }


def _entry(entry: LenientEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "kind_label": entry.get_kind_display(),
        "number": entry.number,
        "title": entry.title,
        "issuer_name": entry.issuer_name,
        "agency_id": entry.agency_id,
        "region_code": entry.region.code,
        "item_codes": entry.item_codes,
        "conditions_text": entry.conditions_text,
        "conditions": list(entry.conditions),
        "law_basis": entry.law_basis,
        "effective_from": entry.effective_from,
        "effective_to": entry.effective_to,
    }


def _decision(row: LenientDecision) -> dict[str, Any]:
    return {
        "id": row.pk,
        "case_id": row.case_id,
        "entry_id": row.entry_id,
        "kind": row.kind,
        "applies": row.applies,
        "conditions_met": list(row.conditions_met),
        "reason": row.reason,
        "recorded_on": row.recorded_on,
    }


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _case(request: HttpRequest, case_id: int) -> Any:
    return in_scope(
        request, "cases.view_case", Case.objects.select_related("agency__region"), "案件", case_id, "Case"
    )


# --- items ---------------------------------------------------------------------------------------------------


@router.get(
    "/items", response={200: CatalogItemPage, **READ_ERRORS}, summary="执法事项目录（按日期有效的版本）"
)
def item_list(
    request: HttpRequest,
    agency_id: Id | None = None,
    domain: ShortText | None = None,
    kind: ItemKind | None = None,
    code: str | None = Query(None, max_length=64),
    on: dt.date | None = None,
    all_versions: bool = Query(False, description="含全部版本（不按日期筛选）"),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: BigInt = 50,
) -> dict[str, Any]:
    perms.require(caller(request), rules.VIEW_CATALOG, request=request)
    if all_versions:
        qs = CatalogItem.objects.select_related("agency", "domain")
        if agency_id is not None:
            qs = qs.filter(agency_id=agency_id)
        if domain:
            qs = qs.filter(domain__code=domain)
        if kind:
            qs = qs.filter(kind=kind)
    else:
        domain_obj = Domain.objects.filter(code=domain).first() if domain else None
        if domain and domain_obj is None:
            raise InvalidInput("执法领域不存在。", "Unknown domain.", field="domain")
        qs = selectors.public_catalog(agency=agency_id, domain=domain_obj, kind=kind, on=on)
    if code:
        qs = qs.filter(code=code)
    rows, next_cursor = keyset(qs, cursor, _limit(limit))
    return {"items": [_item(i) for i in rows], "next_cursor": next_cursor}


@router.get("/items/{item_id}", response={200: CatalogItemOut, **READ_ERRORS}, summary="执法事项（一个版本）")
def item_get(request: HttpRequest, item_id: Id) -> dict[str, Any]:
    perms.require(caller(request), rules.VIEW_CATALOG, request=request)
    item = CatalogItem.objects.select_related("agency", "domain").filter(pk=item_id).first()
    if item is None:
        raise NotFound("执法事项不存在。", "Catalog item not found.")
    return _item(item)


@router.post("/items", response={201: CatalogItemOut, **WRITE_ERRORS}, summary="登记执法事项或新版本")
def item_create(request: HttpRequest, payload: CatalogItemIn) -> tuple[int, dict[str, Any]]:
    agency = Agency.objects.filter(pk=payload.agency_id).first()
    if agency is None:
        raise InvalidInput("实施主体不存在。", "Unknown agency.", field="agency_id")
    domain = Domain.objects.filter(code=payload.domain).first()
    if domain is None:
        raise InvalidInput("执法领域不存在。", "Unknown domain.", field="domain")
    data = services.ItemData(
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        domain=domain,
        law_name=payload.law_name.strip(),
        article=payload.article.strip(),
        article_text=payload.article_text.strip(),
        effective_from=payload.effective_from,
        effective_to=payload.effective_to,
    )
    item = services.catalog_item_save(actor=caller(request), agency=agency, data=data)
    return 201, _item(item)


@router.post(
    "/import", response={200: CatalogImportOut, **WRITE_ERRORS}, summary="导入执法事项目录或四张清单（.xlsx）"
)
def catalog_import(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008
    which: str = Query(
        "items", pattern="^(items|entries)$", description="items 执法事项目录；entries 四张清单"
    ),
) -> dict[str, Any]:
    """All rows or none: a file with errors writes nothing and answers 422 with the report in ``details``."""
    run = run_items if which == "items" else run_entries
    report = run(actor=caller(request), file=file, filename=file.name or "")
    body = report.as_dict()
    if not report.ok:
        raise InvalidInput(
            f"导入文件有 {len(report.errors)} 处错误，未写入任何数据。",
            f"The file has {len(report.errors)} error(s); nothing was written.",
            code="import_rejected",
            field="file",
            details=body,
        )
    return body


# --- the four lists ------------------------------------------------------------------------------------------


@router.get("/entries", response={200: LenientEntryPage, **READ_ERRORS}, summary="四张清单事项")
def entry_list(
    request: HttpRequest,
    kind: LenientKind | None = None,
    item_code: str | None = Query(None, max_length=64),
    agency_id: Id | None = None,
    on: dt.date | None = None,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: BigInt = 50,
) -> dict[str, Any]:
    perms.require(caller(request), rules.VIEW_CATALOG, request=request)
    qs = LenientEntry.objects.select_related("region").prefetch_related("items")
    if kind:
        qs = qs.filter(kind=kind)
    if item_code:
        qs = qs.filter(items__code=item_code)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if on is not None:
        qs = qs.filter(effective_from__lte=on).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    rows, next_cursor = keyset(qs.distinct(), cursor, _limit(limit))
    return {"items": [_entry(e) for e in rows], "next_cursor": next_cursor}


@router.get(
    "/cases/{case_id}/lenient",
    response={200: list[LenientStatusOut], **READ_ERRORS},
    summary="案件匹配的四张清单事项及其适用意见",
)
def case_lenient(request: HttpRequest, case_id: Id) -> list[dict[str, Any]]:
    case = _case(request, case_id)
    return [
        {"entry": _entry(s.entry), "decision": _decision(s.decision) if s.decision else None}
        for s in selectors.lenient_status_for_case(case)
    ]


@router.post(
    "/cases/{case_id}/lenient",
    response={201: LenientDecisionOut, **WRITE_ERRORS},
    summary="记录清单事项是否适用（条件逐项核对、理由）",
)
def case_lenient_record(
    request: HttpRequest, case_id: Id, payload: LenientDecisionIn
) -> tuple[int, dict[str, Any]]:
    case = _case(request, case_id)
    entry = LenientEntry.objects.filter(pk=payload.entry_id).first()
    if entry is None:
        raise NotFound("清单事项不存在。", "Lenient entry not found.", code="lenient_entry_not_matching")
    row = services.lenient_decision_record(
        actor=caller(request),
        case=case,
        entry=entry,
        applies=payload.applies,
        conditions_met=payload.conditions_met,
        reason=payload.reason,
    )
    return 201, _decision(row)


@router.get(
    "/usage", response={200: list[UsageOut], **READ_ERRORS}, summary="四张清单使用情况（按清单、机关）"
)
def usage(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.VIEW_CATALOG, request=request)
    visible = perms.scoped(user, perms.VIEW_AGENCY, Agency.objects.all()).values_list("pk", flat=True)
    return [
        u.as_dict() for u in selectors.list_usage(agencies=list(visible), year=year or clock.today().year)
    ]


# --- 主体资格确认 ----------------------------------------------------------------------------------------------------


class ConfirmationOut(Schema):
    id: int
    agency_id: int
    agency_name: str
    year: int
    kind: str
    kind_label: str
    state: str
    state_label: str
    items: list[CatalogItemOut]
    request_note: str
    requested_on: dt.date
    bureau_name: str
    decided_on: dt.date | None
    late: bool = Field(description="确认日期晚于该年度3月31日，或申请尚未确认而期限已过")
    remarks: str
    return_reason: str


class ConfirmationPage(Schema):
    items: list[ConfirmationOut]
    next_cursor: str | None


class ConfirmationIn(Schema):
    agency_id: Id
    year: int = Field(..., ge=2000, le=2100)
    kind: ConfirmationKind
    note: str = Field("", max_length=2000)


class ConfirmationConfirmIn(Schema):
    remarks: str = Field("", max_length=2000)


class ConfirmationReturnIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


def _confirmation(c: Confirmation) -> dict[str, Any]:
    deadline = selectors.confirmation_deadline(c.year)
    late = (c.decided_on or clock.today()) > deadline and c.state != ConfirmationState.RETURNED
    return {
        "id": c.pk,
        "agency_id": c.agency_id,
        "agency_name": c.agency.name,
        "year": c.year,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "state": c.state,
        "state_label": c.get_state_display(),
        "items": [_item(i) for i in c.items.select_related("agency", "domain").order_by("code", "version")],
        "request_note": c.request_note,
        "requested_on": c.requested_on,
        "bureau_name": c.bureau_name,
        "decided_on": c.decided_on,
        "late": late,
        "remarks": c.remarks,
        "return_reason": c.return_reason,
    }


def _confirmation_in_scope(request: HttpRequest, confirmation_id: int) -> Confirmation:
    return in_scope(
        request,
        rules.VIEW_CONFIRMATION,
        Confirmation.objects.select_related("agency__region"),
        "确认申请",
        confirmation_id,
        "Confirmation",
    )


@router.get(
    "/confirmations",
    response={200: ConfirmationPage, **READ_ERRORS},
    summary="主体资格确认（申请与确认记录）",
)
def confirmation_list(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100),
    state: ConfirmationState | None = None,
    kind: ConfirmationKind | None = None,
    agency_id: Id | None = None,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: BigInt = 50,
) -> dict[str, Any]:
    user = caller(request)
    perms.require(user, rules.VIEW_CONFIRMATION, request=request)
    qs = selectors.confirmations(user, year=year, state=state, agency_id=agency_id, kind=kind)
    rows, next_cursor = keyset(qs.prefetch_related("items"), cursor, _limit(limit))
    return {"items": [_confirmation(c) for c in rows], "next_cursor": next_cursor}


@router.post(
    "/confirmations", response={201: ConfirmationOut, **WRITE_ERRORS}, summary="申请主体资格或权责清单确认"
)
def confirmation_create(request: HttpRequest, payload: ConfirmationIn) -> tuple[int, dict[str, Any]]:
    agency = Agency.objects.select_related("region").filter(pk=payload.agency_id).first()
    if agency is None:
        raise InvalidInput("执法主体不存在。", "Unknown agency.", field="agency_id")
    row = services.confirmation_request(
        actor=caller(request), agency=agency, year=payload.year, kind=payload.kind, note=payload.note
    )
    return 201, _confirmation(row)


@router.post(
    "/confirmations/{confirmation_id}/confirm",
    response={200: ConfirmationOut, **WRITE_ERRORS},
    summary="司法局确认（确认后权责清单公开）",
)
def confirmation_confirm(
    request: HttpRequest, confirmation_id: Id, payload: ConfirmationConfirmIn
) -> dict[str, Any]:
    row = _confirmation_in_scope(request, confirmation_id)
    return _confirmation(
        services.confirmation_confirm(actor=caller(request), confirmation=row, remarks=payload.remarks)
    )


@router.post(
    "/confirmations/{confirmation_id}/return",
    response={200: ConfirmationOut, **WRITE_ERRORS},
    summary="司法局退回申请（写明理由）",
)
def confirmation_return(
    request: HttpRequest, confirmation_id: Id, payload: ConfirmationReturnIn
) -> dict[str, Any]:
    row = _confirmation_in_scope(request, confirmation_id)
    return _confirmation(
        services.confirmation_return(actor=caller(request), confirmation=row, reason=payload.reason)
    )
