"""执法信息公示 — JSON API under /api/disclosure/.

Staff (login): the publication queue in the caller's scope, one publication, and its steps (submit, approve,
return, redact, withdraw, correct; 信用修复 decisions) — 404 outside the scope, 403 for a role without the step, 409 for a rule, 422 for bad
input. An enterprise: its own publications and 信用修复 applications. Public (``auth=None``): published decisions (masked) and the 双公示 rows as JSON, incremental by date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from zhifa.core import clock, paging
from zhifa.core.apitypes import Id, ShortText
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.disclosure import selectors, services
from zhifa.disclosure.models import CreditRepair, Publication, PublicationStatus, ResultKind
from zhifa.disclosure.privacy import scrub_code, scrub_text
from zhifa.disclosure.rules import APPLY_REPAIR, DRAFT
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller
from zhifa.org.models import Agency, User
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut

router = Router(tags=["disclosure"])

MAX_ID = 2**62
MAX_LIMIT = 100
PUBLIC_ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PublicationOut(Schema):
    id: int
    kind: str
    status: str
    agency_id: int
    agency_name: str
    domain: str | None
    title: str
    document_number: str
    party_name: str
    party_uscc: str
    decided_on: dt.date
    due_on: dt.date | None
    published_on: dt.date | None
    published_late: bool
    fine_yuan: Decimal | None
    body: str
    withdraw_kind: str
    withdraw_reason: str
    # 行政处罚法 第四十八条: not published (the region's rule or the agency's decision) and why; staff only
    withheld: bool = False
    withheld_reason: str = ""
    # 行政许可决定 only (empty / null for other kinds)
    decision_document_name: str = ""
    licence_category: str = ""
    licence_name: str = ""
    licence_number: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    # 公示期限 / 更正 / 信用修复
    expired: bool = Field(False, description="已到期：公示期满，已停止公示（仍留存记录）")
    expires_on: dt.date | None = Field(None, description="公示截止日（含当日）；空为不设期限")
    repair_from: dt.date | None = Field(None, description="可申请信用修复的日期")
    corrects_id: int | None = Field(None, description="本公示更正的原公示")
    correction_reason: str = Field("", description="更正理由（原公示的撤回理由）")


class PublicationPage(Schema):
    items: list[PublicationOut]
    next_cursor: str | None


class DisclosureReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


class WithdrawIn(Schema):
    kind: str = Field(
        ..., max_length=20, description="revoked / changed / unlawful / invalid / remade / error"
    )
    reason: str = Field(..., max_length=2000)


class RedactIn(Schema):
    text: str = Field(..., max_length=2000)
    reason: str = Field(..., max_length=2000)


class LicensingRowIn(Schema):
    """One licensing decision as the government services system (政务服务) sends it; checked by the service,
    which answers every mistake of every row at once (422, ``details``: row, field, message)."""

    party_name: str = Field("", max_length=400, description="行政相对人名称")
    party_kind: str = Field(
        "",
        max_length=40,
        description="行政相对人类别：法人及非法人组织 / 个体工商户 / 自然人（或 legal_person …）",
    )
    party_uscc: str = Field("", max_length=40, description="统一社会信用代码（法人、个体工商户必填）")
    legal_representative: str = Field("", max_length=100, description="法定代表人（法人必填）/ 经营者")
    party_id_number: str = Field(
        "", max_length=40, description="自然人居民身份证号码：仅核验，不保存、不公开"
    )
    document_name: str = Field("", max_length=200, description="行政许可决定文书名称")
    document_number: str = Field("", max_length=160, description="行政许可决定文书号（同一执法主体内唯一）")
    category: str = Field("", max_length=20, description="许可类别：普通 / 特许 / 认可 / 核准 / 登记 / 其他")
    licence_name: str = Field("", max_length=200, description="许可证书名称")
    licence_number: str = Field("", max_length=160, description="许可编号")
    content: str = Field("", max_length=4000, description="许可内容")
    decided_on: str = Field("", max_length=20, description="许可决定日期 YYYY-MM-DD（不晚于今天）")
    valid_from: str = Field("", max_length=20, description="有效期自 YYYY-MM-DD")
    valid_to: str = Field("", max_length=20, description="有效期至 YYYY-MM-DD 或“长期”（不早于有效期自）")
    domain: str = Field("", max_length=50, description="领域代码或名称，可空")
    remarks: str = Field("", max_length=1000, description="备注")


class LicensingImportIn(Schema):
    agency_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="执法主体；本人只有一个可拟稿的执法主体时可省略"
    )
    rows: list[LicensingRowIn] = Field(..., min_length=1, max_length=services.MAX_IMPORT_ROWS)


class LicensingImportOut(Schema):
    agency_id: int
    rows: int
    created: int
    publication_ids: list[int]


class CorrectIn(Schema):
    reason: str = Field(..., max_length=2000, description="更正理由（公开说明）")


class RepairDecideIn(Schema):
    decision: str = Field(..., pattern="^(grant|refuse)$", description="grant 准予信用修复 / refuse 不予修复")
    reason: str = Field("", max_length=2000, description="决定理由（不予修复时必填）")


class RepairFileOut(Schema):
    id: int
    name: str
    content_type: str
    size_bytes: int
    sha256: str


class RepairOut(Schema):
    id: int
    publication_id: int
    status: str
    applied_at: dt.datetime
    statement: str
    decided_at: dt.datetime | None
    decision_reason: str
    files: list[RepairFileOut]


class MyPublicationOut(Schema):
    publication: PublicationOut
    repair_open: bool = Field(..., description="今天可申请信用修复")
    repair_message: str = Field(..., description="不可申请时的原因（含可申请日期）")
    repairs: list[RepairOut]


class ExportOut(Schema):
    kind: str
    since: dt.date | None
    fields: list[str]
    items: list[dict[str, str]]


def _out(p: Publication, *, public: bool = False) -> dict[str, Any]:
    withdrawn = p.status == PublicationStatus.WITHDRAWN
    hide = public and withdrawn  # a withdrawn decision shows its notice, not its text
    return {
        "id": p.pk,
        "kind": p.kind,
        "status": p.status,
        "agency_id": p.agency_id,
        "agency_name": p.agency.name,
        "domain": p.domain.code if p.domain is not None else None,
        "title": p.title,
        "document_number": p.document_number,
        "party_name": "" if hide else p.party_name,
        "party_uscc": "" if hide else p.party_uscc,
        "decided_on": p.decided_on,
        "due_on": None if public else p.due_on,
        "published_on": p.published_on,
        "published_late": p.published_late,
        "fine_yuan": None if hide else p.fine_yuan,
        "body": "" if hide else scrub_text(p.body),
        "withdraw_kind": p.withdraw_kind,
        "withdraw_reason": p.withdraw_reason,
        "withheld": False if public else p.withheld,
        "withheld_reason": "" if public else p.withheld_reason,
        "decision_document_name": p.decision_document_name,
        "licence_category": p.licence_category,
        "licence_name": "" if hide else p.licence_name,
        "licence_number": "" if hide else scrub_code(p.licence_number),
        "valid_from": p.valid_from,
        "valid_to": p.valid_to,
        "expired": p.expired(clock.today()),
        "expires_on": p.expires_on,
        "repair_from": None if public else p.repair_from,
        "corrects_id": p.corrects_id,
        "correction_reason": scrub_text(p.corrects.withdraw_reason) if p.corrects_id and p.corrects else "",
    }


def _repair_out(r: CreditRepair) -> dict[str, Any]:
    return {
        "id": r.pk,
        "publication_id": r.publication_id,
        "status": r.status,
        "applied_at": r.applied_at,
        "statement": r.statement,
        "decided_at": r.decided_at,
        "decision_reason": r.decision_reason,
        "files": [
            {
                "id": f.pk,
                "name": f.name,
                "content_type": f.content_type,
                "size_bytes": f.size_bytes,
                "sha256": f.sha256,
            }
            for f in r.files.all()
        ],
    }


def _get(request: HttpRequest, pk: int) -> Publication:
    if not 0 < pk <= MAX_ID:
        raise NotFound(
            "公示事项不存在或不在您的数据范围内。", "Publication not found.", code="publication_not_found"
        )
    return selectors.publication_get(caller(request), pk)


@router.get(
    "/publications", response={200: PublicationPage, **READ_ERRORS}, summary="公示事项（本人数据范围）"
)
def publication_list(
    request: HttpRequest,
    status: PublicationStatus | None = None,
    overdue: bool = False,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    qs = selectors.publication_queue(caller(request), status=status, overdue_only=overdue)
    page = paging.keyset(qs, ordering=("-id",), after=cursor, limit=limit)
    return {"items": [_out(p) for p in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/publications/{pk}", response={200: PublicationOut, **READ_ERRORS}, summary="公示事项详情（预览）"
)
def publication_detail(request: HttpRequest, pk: Id) -> dict[str, Any]:
    return _out(_get(request, pk))


def _step(request: HttpRequest, pk: int, fn: Any, **kwargs: Any) -> dict[str, Any]:
    p = _get(request, pk)
    return _out(fn(actor=caller(request), publication=p, **kwargs))


@router.post("/publications/{pk}/submit", response={200: PublicationOut, **WRITE_ERRORS}, summary="提交审核")
def publication_submit(request: HttpRequest, pk: Id) -> dict[str, Any]:
    return _step(request, pk, services.publication_submit)


@router.post("/publications/{pk}/approve", response={200: PublicationOut, **WRITE_ERRORS}, summary="审核发布")
def publication_approve(request: HttpRequest, pk: Id) -> dict[str, Any]:
    return _step(request, pk, services.publication_approve)


@router.post("/publications/{pk}/return", response={200: PublicationOut, **WRITE_ERRORS}, summary="退回修改")
def publication_return(request: HttpRequest, pk: Id, payload: DisclosureReasonIn) -> dict[str, Any]:
    return _step(request, pk, services.publication_return, reason=payload.reason)


@router.post(
    "/publications/{pk}/redact",
    response={200: PublicationOut, **WRITE_ERRORS},
    summary="不予公开（商业秘密）",
)
def publication_redact(request: HttpRequest, pk: Id, payload: RedactIn) -> dict[str, Any]:
    return _step(request, pk, services.publication_redact, text=payload.text, reason=payload.reason)


@router.post(
    "/publications/{pk}/withdraw", response={200: PublicationOut, **WRITE_ERRORS}, summary="撤回公示"
)
def publication_withdraw(request: HttpRequest, pk: Id, payload: WithdrawIn) -> dict[str, Any]:
    return _step(request, pk, services.publication_withdraw, kind=payload.kind, reason=payload.reason)


class DisclosureDecideIn(Schema):
    publish: bool = Field(description="true: 决定公开；false: 决定不予公开")
    reason: str = Field(max_length=500, description="理由（记入执法记录）")


@router.post(
    "/publications/{pk}/disclosure",
    response={200: PublicationOut, **WRITE_ERRORS},
    summary="机关决定公开或者不予公开（行政处罚法第四十八条）",
)
def publication_disclosure(request: HttpRequest, pk: Id, payload: DisclosureDecideIn) -> dict[str, Any]:
    return _step(
        request, pk, services.publication_disclosure_decide, publish=payload.publish, reason=payload.reason
    )


@router.post(
    "/publications/{pk}/correct",
    response={201: PublicationOut, **WRITE_ERRORS},
    summary="更正（撤回并生成更正后的公示草稿）",
)
def publication_correct(request: HttpRequest, pk: Id, payload: CorrectIn) -> tuple[int, dict[str, Any]]:
    """The published one is withdrawn (kind 更正, the reason public); answers the corrected draft, which goes
    through submit and approve like any other."""
    return 201, _step(request, pk, services.publication_correct, reason=payload.reason)


@router.post(
    "/publications/{pk}/repairs",
    response={201: RepairOut, **WRITE_ERRORS},
    summary="申请信用修复（企业，本企业的公示决定）",
)
def repair_apply(
    request: HttpRequest,
    pk: Id,
    statement: str = Form(..., max_length=2000, description="履行情况说明"),
    files: list[UploadedFile] | None = File(  # noqa: B008
        None, max_length=5, description="证明材料：PDF/JPEG/PNG ≤5 MB，≤5 个"
    ),
) -> tuple[int, dict[str, Any]]:
    """Only for a publication naming the caller's enterprise (404 otherwise), after the minimum period (409
    with the date it opens)."""
    uploads = list(files or [])[: services.MAX_FILES + 1]
    for u in uploads:
        if u.size is not None and u.size > services.MAX_FILE_BYTES:
            raise InvalidInput("单个文件不得超过 5 MB。", "A file is larger than 5 MB.", field="files")
    repair = services.credit_repair_apply(
        actor=caller(request),
        publication=pk if 0 < pk <= MAX_ID else 0,
        statement=statement,
        files=[services.ProofFile(name=u.name or "证明材料", data=u.read()) for u in uploads],
    )
    return 201, _repair_out(repair)


@router.get(
    "/repairs", response={200: list[RepairOut], **READ_ERRORS}, summary="信用修复申请（本人数据范围）"
)
def repair_list(
    request: HttpRequest, status: str = Query("pending", pattern="^(pending|granted|refused)$")
) -> list[dict[str, Any]]:
    qs = selectors.repair_queue(caller(request), status=status).prefetch_related("files")[:MAX_LIMIT]
    return [_repair_out(r) for r in qs]


@router.post(
    "/repairs/{repair_id}/decide",
    response={200: RepairOut, **WRITE_ERRORS},
    summary="信用修复决定（准予 / 不予）",
)
def repair_decide(request: HttpRequest, repair_id: Id, payload: RepairDecideIn) -> dict[str, Any]:
    user = caller(request)
    if not 0 < repair_id <= MAX_ID:
        raise NotFound(
            "信用修复申请不存在。", "Credit repair application not found.", code="repair_not_found"
        )
    repair = selectors.repair_get(user, repair_id)
    decided = services.credit_repair_decide(
        actor=user, repair=repair, grant=payload.decision == "grant", reason=payload.reason
    )
    return _repair_out(decided)


@router.get(
    "/mine/publications",
    response={200: list[MyPublicationOut], **READ_ERRORS},
    summary="我的公示决定（企业）",
)
def my_publications(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, APPLY_REPAIR)
    today = clock.today()
    out = []
    for p in selectors.party_publications(user):
        eligible = services.repair_eligibility(p, today)
        out.append(
            {
                "publication": _out(p),
                "repair_open": eligible.ok,
                "repair_message": eligible.message,
                "repairs": [_repair_out(r) for r in p.repairs.all()],
            }
        )
    return out


@router.post(
    "/licensing/import",
    response={201: LicensingImportOut, **WRITE_ERRORS},
    summary="接收行政许可决定（政务服务推送，7 个工作日内公示）",
)
def licensing_import(request: HttpRequest, payload: LicensingImportIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    agency = _drafting_agency(user, payload.agency_id)
    result = services.licensing_decisions_import(
        actor=user, agency=agency, rows=[r.dict() for r in payload.rows], source="api"
    )
    ids = [p.pk for p in result.publications]
    return 201, {"agency_id": agency.pk, "rows": result.rows, "created": len(ids), "publication_ids": ids}


def _drafting_agency(user: User, agency_id: int | None) -> Any:
    if agency_id is not None:
        agency = Agency.objects.select_related("region").filter(pk=agency_id).first()
        if agency is None:
            raise NotFound("执法主体不存在。", "No such agency.", code="agency_not_found", field="agency_id")
        return agency  # the service checks that the caller may draft for it (403 otherwise)
    # two are enough to tell whether the agency is implied (exactly one)
    mine = list(perms.scoped(user, DRAFT, Agency.objects.filter(is_active=True).select_related("region"))[:2])
    if len(mine) != 1:
        raise InvalidInput(
            "请指定执法主体（agency_id）。", "Give agency_id.", code="agency_required", field="agency_id"
        )
    return mine[0]


@router.get(
    "/public/decisions",
    response={200: PublicationPage, **PUBLIC_ERRORS},
    summary="已公示的执法决定",
    auth=None,
)
def public_decisions(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=MAX_ID),
    domain: str | None = Query(None, max_length=32),
    kind: ResultKind | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(20, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    qs = selectors.public_publications(
        agency_id=agency, domain=domain, kind=kind, date_from=date_from, date_to=date_to
    )
    rows, next_cursor = selectors.keyset_page(qs, cursor, limit)
    return {"items": [_out(p, public=True) for p in rows], "next_cursor": next_cursor}


@router.get(
    "/public/decisions/{pk}",
    response={200: PublicationOut, **PUBLIC_ERRORS},
    summary="执法决定（已脱敏）",
    auth=None,
)
def public_decision(request: HttpRequest, pk: Id) -> dict[str, Any]:
    if not 0 < pk <= MAX_ID:
        raise NotFound("该公示信息不存在。", "No such published decision.", code="publication_not_found")
    return _out(selectors.public_publication(pk), public=True)


@router.get(
    "/public/export/{kind}",
    response={200: ExportOut, **PUBLIC_ERRORS},
    summary="双公示数据（JSON，按日期增量）",
    auth=None,
)
def public_export(request: HttpRequest, kind: ShortText, since: dt.date | None = None) -> dict[str, Any]:
    if kind not in selectors.EXPORT_FIELDS:
        raise NotFound(
            "没有这种导出（penalty、licensing 或 compulsion）。",
            "Unknown export kind.",
            code="export_not_found",
        )
    fields = selectors.EXPORT_FIELDS[kind]
    items = list(selectors.public_export_rows(kind, since=since))
    return {"kind": kind, "since": since, "fields": list(fields), "items": items}
