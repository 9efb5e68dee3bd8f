"""The org API under /api/org/: regions, agencies, officers, certificates, training, parties, tokens.

Thin on purpose: parse, find the object in the caller's scope, call a service or selector, shape the answer.
An object outside the caller's scope answers 404 (so ids do not leak); a visible object the caller may not
change answers 403 (from ``permissions.require`` inside the service). Lists are keyset-paginated
(``?cursor=<next_cursor>&limit=50``, an opaque cursor, newest first, ``{items, next_cursor}``): no ``COUNT(*)`` over big tables.
A full resident ID number never leaves this module: only the masked form is put in any answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db.models import Model, Prefetch, QuerySet
from django.http import HttpRequest
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.security import SessionAuth

from zhifa.core import clock, paging
from zhifa.core.apitypes import MAX_ID, Id, ShortText
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.org import permissions as perms
from zhifa.org import selectors, services, token_api
from zhifa.org.apitools import caller, in_scope, keyset
from zhifa.org.auth import session_auth
from zhifa.org.imports import party_import as run_import
from zhifa.org.models import (
    Agency,
    AgencyKind,
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CreditClass,
    Domain,
    Officer,
    Party,
    PartyKind,
    Region,
    RegionLevel,
    TrainingRecord,
    Unit,
)
from zhifa.org.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    AgencyCreateIn,
    AgencyOut,
    AgencyPage,
    AgencyUpdateIn,
    AnnualReviewIn,
    CertificateDetailOut,
    CertificateIssueIn,
    CertificatePage,
    CertificateStatusIn,
    EnforceDecisionOut,
    ImportResultOut,
    OfficerCreateIn,
    OfficerDetailOut,
    OfficerPage,
    PartyCreateIn,
    PartyOut,
    PartyPage,
    RegionOut,
    RegionPage,
    TokenCreateIn,
    TokenOut,
    TrainingBalanceOut,
    TrainingIn,
    TrainingOut,
)
from zhifa.org.tokens import token_create

router = Router(tags=["org"])

M = TypeVar("M", bound=Model)

MAX_LIMIT = 200


class SessionOnlyAuth(SessionAuth):
    """The browser session only (with its CSRF check): a token may not mint further tokens."""

    def __call__(self, request: HttpRequest) -> Any:
        return session_auth(request)


# --- helpers -----------------------------------------------------------------------------------------------------


_user = caller
_keyset = keyset


def _in_scope(
    request: HttpRequest, action: str, queryset: QuerySet[M], what: str, what_en: str, pk: Any
) -> M:
    return in_scope(request, action, queryset, what, pk, what_en=what_en)


def _region_by_code(code: str, field: str = "region_code") -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise InvalidInput(f"区划代码 {code} 不存在。", f"Region {code} does not exist.", field=field)
    return region


def _domains(obj: Any) -> list[dict[str, str]]:
    return [{"code": d.code, "name": d.name} for d in obj.domains.all()]


def _region_out(region: Region) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "level_label": region.get_level_display(),
        "parent_code": region.parent.code if region.parent_id and region.parent else None,
    }


def _agency_out(agency: Agency) -> dict[str, Any]:
    return {
        "id": agency.pk,
        "name": agency.name,
        "short_name": agency.short_name,
        "uscc": agency.uscc,
        "kind": agency.kind,
        "region_code": agency.region.code,
        "region_name": agency.region.name,
        "parent_id": agency.parent_id,
        "domains": _domains(agency),
        "is_supervision_organ": agency.is_supervision_organ,
        "address": agency.address,
        "phone": agency.phone,
        "is_active": agency.is_active,
    }


def _officer_out(officer: Officer) -> dict[str, Any]:
    return {
        "id": officer.pk,
        "name": officer.name,
        "id_number_masked": officer.masked_id_number,
        "agency_id": officer.agency_id,
        "agency_name": officer.agency.name,
        "unit": officer.unit.name if officer.unit_id and officer.unit else None,
        "post": officer.post,
        "is_auxiliary": officer.is_auxiliary,
        "is_active": officer.is_active,
    }


def _certificate_out(cert: Certificate, today: dt.date) -> dict[str, Any]:
    return {
        "id": cert.pk,
        "number": cert.number,
        "officer_id": cert.officer_id,
        "officer_name": cert.officer.name,
        "agency_id": cert.officer.agency_id,
        "issuer": cert.issuer,
        "domains": _domains(cert),
        "area": cert.area,
        "issued_on": cert.issued_on,
        "expires_on": cert.expires_on,
        "status": cert.status,
        "effective_status": cert.effective_status(today),
        "effective_status_label": cert.effective_status_label(today),
        "last_reviewed_year": cert.last_reviewed_year,
    }


def _certificate_detail(cert_id: int, today: dt.date) -> dict[str, Any]:
    cert = (
        Certificate.objects.select_related("officer__agency")
        .prefetch_related("domains", Prefetch("events", CertificateEvent.objects.select_related("actor")))
        .get(pk=cert_id)
    )
    body = _certificate_out(cert, today)
    body["events"] = [
        {
            "id": e.pk,
            "kind": e.kind,
            "kind_label": e.get_kind_display(),
            "from_status": e.from_status,
            "to_status": e.to_status,
            "reason": e.reason,
            "actor": e.actor.display_name if e.actor_id and e.actor else None,
            "at": e.at,
        }
        for e in cert.events.all()
    ]
    return body


def _party_out(party: Party) -> dict[str, Any]:
    return {
        "id": party.pk,
        "kind": party.kind,
        "name": party.name,
        "uscc": party.uscc,
        "id_number_masked": party.masked_id_number,
        "legal_representative": party.legal_representative,
        "region_code": party.region.code,
        "region_name": party.region.name,
        "industry": party.industry,
        "address": party.address,
        "phone": party.phone,
        "credit_class": party.credit_class,
        "created_at": party.created_at,
    }


def _training_out(record: TrainingRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "officer_id": record.officer_id,
        "kind": record.kind,
        "title": record.title,
        "held_on": record.held_on,
        "hours": record.hours,
    }


_OFFICERS = Officer.objects.select_related("agency", "unit")
_CERTIFICATES = Certificate.objects.select_related("officer__agency").prefetch_related("domains")
_AGENCIES = Agency.objects.select_related("region").prefetch_related("domains")


# --- regions --------------------------------------------------------------------------------------------------------


@router.get("/regions", response={200: RegionPage, **READ_ERRORS}, summary="行政区划列表")
def region_list(
    request: HttpRequest,
    level: RegionLevel | None = None,
    parent: str | None = Query(None, max_length=12, description="上级区划代码"),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    qs = perms.scoped(_user(request), perms.VIEW_REGION, Region.objects.select_related("parent"))
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    page = paging.keyset(qs, ordering=("code",), after=cursor, limit=limit)
    return {"items": [_region_out(r) for r in page.items], "next_cursor": page.next_cursor}


@router.get("/regions/{code}", response={200: RegionOut, **READ_ERRORS}, summary="行政区划详情")
def region_detail(request: HttpRequest, code: ShortText) -> dict[str, Any]:
    region = perms.scoped(_user(request), perms.VIEW_REGION, Region.objects.select_related("parent"))
    found = region.filter(code=code).first()
    if found is None:
        raise NotFound("区划不存在或不在您的数据范围内。", "Region not found.")
    return _region_out(found)


# --- agencies -------------------------------------------------------------------------------------------------------


@router.get("/agencies", response={200: AgencyPage, **READ_ERRORS}, summary="执法主体列表")
def agency_list(
    request: HttpRequest,
    region: str | None = Query(None, max_length=12, description="区划代码（含下级区划）"),
    domain: str | None = Query(None, max_length=32, description="执法领域代码"),
    q: str | None = Query(None, max_length=100, description="名称片段"),
    kind: AgencyKind | None = None,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    qs = perms.scoped(_user(request), perms.VIEW_AGENCY, _AGENCIES)
    if region:
        region_path = Region.objects.filter(code=region).values_list("path", flat=True).first()
        qs = qs.filter(region__path__startswith=region_path) if region_path else qs.none()
    if domain:
        qs = qs.filter(domains__code=domain)
    if q:
        qs = qs.filter(name__contains=q.strip())
    if kind:
        qs = qs.filter(kind=kind)
    rows, next_cursor = _keyset(qs, cursor, limit)
    return {"items": [_agency_out(a) for a in rows], "next_cursor": next_cursor}


@router.get("/agencies/{agency_id}", response={200: AgencyOut, **READ_ERRORS}, summary="执法主体详情")
def agency_detail(request: HttpRequest, agency_id: Id) -> dict[str, Any]:
    return _agency_out(_in_scope(request, perms.VIEW_AGENCY, _AGENCIES, "执法主体", "Agency", agency_id))


@router.post("/agencies", response={201: AgencyOut, **WRITE_ERRORS}, summary="登记执法主体（管理员）")
def agency_create(request: HttpRequest, payload: AgencyCreateIn) -> tuple[int, dict[str, Any]]:
    parent = None
    if payload.parent_id is not None:
        parent = _in_scope(
            request, perms.VIEW_AGENCY, Agency.objects.all(), "上级机关", "Parent agency", payload.parent_id
        )
    agency = services.agency_create(
        actor=_user(request),
        name=payload.name,
        uscc=payload.uscc,
        region=_region_by_code(payload.region_code),
        kind=payload.kind,
        parent=parent,
        short_name=payload.short_name,
        domain_codes=payload.domain_codes,
        is_supervision_organ=payload.is_supervision_organ,
        address=payload.address,
        phone=payload.phone,
    )
    return 201, _agency_out(_AGENCIES.get(pk=agency.pk))


@router.patch("/agencies/{agency_id}", response={200: AgencyOut, **WRITE_ERRORS}, summary="修改执法主体")
def agency_update(request: HttpRequest, agency_id: Id, payload: AgencyUpdateIn) -> dict[str, Any]:
    agency = _in_scope(request, perms.VIEW_AGENCY, Agency.objects.all(), "执法主体", "Agency", agency_id)
    changes = payload.dict(exclude_unset=True, exclude={"domain_codes"})
    changes = {k: v for k, v in changes.items() if v is not None}
    services.agency_update(actor=_user(request), agency=agency, domain_codes=payload.domain_codes, **changes)
    return _agency_out(_AGENCIES.get(pk=agency.pk))


# --- officers -------------------------------------------------------------------------------------------------------


@router.get("/officers", response={200: OfficerPage, **READ_ERRORS}, summary="执法人员列表")
def officer_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=MAX_ID, description="执法主体 id"),
    q: str | None = Query(None, max_length=50, description="姓名片段"),
    active: bool | None = None,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    qs = perms.scoped(_user(request), perms.VIEW_OFFICER, _OFFICERS)
    if agency:
        qs = qs.filter(agency_id=agency)
    if q:
        qs = qs.filter(name__contains=q.strip())
    if active is not None:
        qs = qs.filter(is_active=active)
    rows, next_cursor = _keyset(qs, cursor, limit)
    return {"items": [_officer_out(o) for o in rows], "next_cursor": next_cursor}


def _officer_detail(officer: Officer) -> dict[str, Any]:
    today = clock.today()
    body = _officer_out(officer)
    certs = _CERTIFICATES.filter(officer=officer).order_by("-issued_on", "-id")
    body["certificates"] = [_certificate_out(c, today) for c in certs]
    body["today"] = today
    return body


@router.get("/officers/{officer_id}", response={200: OfficerDetailOut, **READ_ERRORS}, summary="执法人员详情")
def officer_detail(request: HttpRequest, officer_id: Id) -> dict[str, Any]:
    return _officer_detail(
        _in_scope(request, perms.VIEW_OFFICER, _OFFICERS, "执法人员", "Officer", officer_id)
    )


@router.post("/officers", response={201: OfficerDetailOut, **WRITE_ERRORS}, summary="登记执法人员")
def officer_create(request: HttpRequest, payload: OfficerCreateIn) -> tuple[int, dict[str, Any]]:
    agency = _in_scope(
        request, perms.VIEW_AGENCY, Agency.objects.all(), "执法主体", "Agency", payload.agency_id
    )
    unit = None
    if payload.unit_id is not None:
        unit = Unit.objects.filter(pk=payload.unit_id, agency=agency).first()
        if unit is None:
            raise InvalidInput(
                "内设机构不属于该执法主体。", "Unit not found in this agency.", field="unit_id"
            )
    officer = services.officer_create(
        actor=_user(request),
        agency=agency,
        name=payload.name,
        id_number=payload.id_number,
        post=payload.post,
        unit=unit,
        phone=payload.phone,
        is_auxiliary=payload.is_auxiliary,
    )
    return 201, _officer_detail(_OFFICERS.get(pk=officer.pk))


@router.get(
    "/officers/{officer_id}/can-enforce",
    response={200: EnforceDecisionOut, **READ_ERRORS},
    summary="执法资格核验：该人员某日能否在某领域执法",
)
def officer_can_enforce(
    request: HttpRequest,
    officer_id: Id,
    domain: str = Query(..., min_length=1, max_length=32, description="执法领域代码"),
    on: dt.date | None = Query(None, description="日期，默认今天"),  # noqa: B008
) -> dict[str, Any]:
    officer = _in_scope(request, perms.VIEW_OFFICER, _OFFICERS, "执法人员", "Officer", officer_id)
    found = Domain.objects.filter(code=domain).first()
    if found is None:
        raise InvalidInput(f"执法领域 {domain} 不存在。", f"Unknown domain {domain}.", field="domain")
    decision = selectors.officer_can_enforce(officer, found, on)
    return {
        "allowed": decision.allowed,
        "reasons": list(decision.reasons),
        "certificate_number": decision.certificate_number,
    }


# --- training -------------------------------------------------------------------------------------------------------


@router.get(
    "/officers/{officer_id}/training", response={200: list[TrainingOut], **READ_ERRORS}, summary="培训记录"
)
def training_list(
    request: HttpRequest, officer_id: Id, year: int | None = Query(None, ge=1900, le=2100)
) -> list[dict[str, Any]]:
    officer = _in_scope(request, perms.VIEW_OFFICER, _OFFICERS, "执法人员", "Officer", officer_id)
    qs = perms.scoped(_user(request), perms.VIEW_TRAINING, TrainingRecord.objects.filter(officer=officer))
    if year:
        qs = qs.filter(held_on__year=year)
    return [_training_out(r) for r in qs.order_by("-held_on", "-id")]


@router.post(
    "/officers/{officer_id}/training", response={201: TrainingOut, **WRITE_ERRORS}, summary="登记培训学时"
)
def training_create(request: HttpRequest, officer_id: Id, payload: TrainingIn) -> tuple[int, dict[str, Any]]:
    officer = _in_scope(request, perms.VIEW_OFFICER, _OFFICERS, "执法人员", "Officer", officer_id)
    record = services.training_record_add(
        actor=_user(request),
        officer=officer,
        kind=payload.kind,
        title=payload.title,
        held_on=payload.held_on,
        hours=payload.hours,
    )
    return 201, _training_out(record)


@router.get(
    "/officers/{officer_id}/training/balance",
    response={200: TrainingBalanceOut, **READ_ERRORS},
    summary="年度培训学时是否达标",
)
def training_balance(
    request: HttpRequest, officer_id: Id, year: int | None = Query(None, ge=1900, le=2100)
) -> dict[str, Any]:
    officer = _in_scope(request, perms.VIEW_OFFICER, _OFFICERS, "执法人员", "Officer", officer_id)
    perms.require(_user(request), perms.VIEW_TRAINING, TrainingRecord(officer=officer), request=request)
    year = year or clock.today().year
    balance = selectors.training_balances([officer.pk], year)[officer.pk]
    return {
        "officer_id": balance.officer_id,
        "year": balance.year,
        "law_hours": balance.law_hours,
        "business_hours": balance.business_hours,
        "law_required": balance.law_required,
        "business_required": balance.business_required,
        "short": balance.short,
        "missing_text": balance.missing_text,
    }


# --- certificates ---------------------------------------------------------------------------------------------------


@router.get("/certificates", response={200: CertificatePage, **READ_ERRORS}, summary="执法证件列表")
def certificate_list(
    request: HttpRequest,
    status: CertificateStatus | None = Query(None, description="有效状态（含按日期判断的“已过期”）"),  # noqa: B008
    expiring_within_days: int | None = Query(None, ge=0, le=3660, description="多少天内到期的有效证件"),
    officer: int | None = Query(None, ge=1, le=MAX_ID),
    agency: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    today = clock.today()
    user = _user(request)
    if expiring_within_days is not None:
        qs = selectors.certificates_expiring(user, within_days=expiring_within_days, today=today)
    else:
        qs = perms.scoped(user, perms.VIEW_CERTIFICATE, Certificate.objects.all())
    qs = qs.select_related("officer__agency").prefetch_related("domains")
    if status == CertificateStatus.VALID:
        qs = qs.filter(status=status, issued_on__lte=today, expires_on__gte=today)
    elif status == CertificateStatus.EXPIRED:
        qs = qs.filter(status=CertificateStatus.VALID).exclude(issued_on__lte=today, expires_on__gte=today)
    elif status:
        qs = qs.filter(status=status)
    if officer:
        qs = qs.filter(officer_id=officer)
    if agency:
        qs = qs.filter(officer__agency_id=agency)
    rows, next_cursor = _keyset(qs, cursor, limit)
    return {"items": [_certificate_out(c, today) for c in rows], "next_cursor": next_cursor}


@router.get(
    "/certificates/{certificate_id}",
    response={200: CertificateDetailOut, **READ_ERRORS},
    summary="执法证件详情（含变更记录）",
)
def certificate_detail(request: HttpRequest, certificate_id: Id) -> dict[str, Any]:
    cert = _in_scope(
        request, perms.VIEW_CERTIFICATE, Certificate.objects.all(), "执法证件", "Certificate", certificate_id
    )
    return _certificate_detail(cert.pk, clock.today())


@router.post("/certificates", response={201: CertificateDetailOut, **WRITE_ERRORS}, summary="发放执法证件")
def certificate_issue(request: HttpRequest, payload: CertificateIssueIn) -> tuple[int, dict[str, Any]]:
    officer = _in_scope(request, perms.VIEW_OFFICER, _OFFICERS, "执法人员", "Officer", payload.officer_id)
    domains = list(Domain.objects.filter(code__in=payload.domain_codes))
    missing = sorted(set(payload.domain_codes) - {d.code for d in domains})
    if missing:
        raise InvalidInput(
            f"执法领域不存在：{'、'.join(missing)}。",
            f"Unknown domain(s): {', '.join(missing)}.",
            field="domain_codes",
        )
    cert = services.certificate_issue(
        actor=_user(request),
        officer=officer,
        number=payload.number,
        issuer=payload.issuer,
        domains=domains,
        issued_on=payload.issued_on,
        expires_on=payload.expires_on,
        area=payload.area,
    )
    return 201, _certificate_detail(cert.pk, clock.today())


@router.post(
    "/certificates/{certificate_id}/status",
    response={200: CertificateDetailOut, **WRITE_ERRORS},
    summary="暂扣、恢复、收回、注销执法证件",
)
def certificate_change_status(
    request: HttpRequest, certificate_id: Id, payload: CertificateStatusIn
) -> dict[str, Any]:
    cert = _in_scope(
        request, perms.VIEW_CERTIFICATE, _CERTIFICATES, "执法证件", "Certificate", certificate_id
    )
    services.certificate_change_status(
        actor=_user(request), certificate=cert, kind=payload.kind, reason=payload.reason
    )
    return _certificate_detail(cert.pk, clock.today())


@router.post(
    "/certificates/{certificate_id}/annual-review",
    response={200: CertificateDetailOut, **WRITE_ERRORS},
    summary="执法证件年度审验",
)
def certificate_annual_review(
    request: HttpRequest, certificate_id: Id, payload: AnnualReviewIn
) -> dict[str, Any]:
    cert = _in_scope(
        request, perms.VIEW_CERTIFICATE, _CERTIFICATES, "执法证件", "Certificate", certificate_id
    )
    services.certificate_annual_review(
        actor=_user(request), certificate=cert, year=payload.year, passed=payload.passed, note=payload.note
    )
    return _certificate_detail(cert.pk, clock.today())


# --- parties --------------------------------------------------------------------------------------------------------


@router.get("/parties", response={200: PartyPage, **READ_ERRORS}, summary="行政相对人列表（游标分页）")
def party_list(
    request: HttpRequest,
    q: str | None = Query(None, max_length=200, description="名称片段，或完整的统一社会信用代码"),
    credit_class: CreditClass | None = None,
    kind: PartyKind | None = None,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    qs = selectors.party_search(_user(request), q or "", credit_class=credit_class or "", kind=kind or "")
    rows, next_cursor = _keyset(qs, cursor, limit)
    return {"items": [_party_out(p) for p in rows], "next_cursor": next_cursor}


@router.post(
    "/parties/import",
    response={200: ImportResultOut, **WRITE_ERRORS},
    summary="批量导入行政相对人（.xlsx / .csv，中文表头）",
)
def party_import(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008
    skip_invalid: bool = Query(False, description="跳过有错误的行，只导入其余行"),
) -> dict[str, Any]:
    """All rows or none: a file with errors writes nothing and answers 422 with the report in ``details``."""
    # Imported here: the import module is the newest part of org and should not break the whole API.

    report = run_import(actor=_user(request), file=file, filename=file.name or "", skip_invalid=skip_invalid)
    body = report.as_dict()
    if not report.ok and not skip_invalid:
        raise InvalidInput(
            f"导入文件有 {len(report.errors)} 处错误，未写入任何数据。",
            f"The file has {len(report.errors)} error(s); nothing was written.",
            code="import_rejected",
            field="file",
            details=body,
        )
    return body


@router.post("/parties", response={201: PartyOut, **WRITE_ERRORS}, summary="登记行政相对人")
def party_create(request: HttpRequest, payload: PartyCreateIn) -> tuple[int, dict[str, Any]]:
    party = services.party_create(
        actor=_user(request),
        kind=payload.kind,
        name=payload.name,
        region=_region_by_code(payload.region_code),
        uscc=payload.uscc,
        id_number=payload.id_number,
        legal_representative=payload.legal_representative,
        industry=payload.industry,
        address=payload.address,
        phone=payload.phone,
        credit_class=payload.credit_class,
    )
    return 201, _party_out(party)


@router.get("/parties/{party_id}", response={200: PartyOut, **READ_ERRORS}, summary="行政相对人详情")
def party_detail(request: HttpRequest, party_id: Id) -> dict[str, Any]:
    qs = Party.objects.select_related("region")
    return _party_out(_in_scope(request, perms.VIEW_PARTY, qs, "行政相对人", "Party", party_id))


# --- tokens ---------------------------------------------------------------------------------------------------------


@router.post(
    "/tokens",
    response={201: TokenOut, **WRITE_ERRORS},
    auth=SessionOnlyAuth(),
    summary="为本人创建 API 令牌（密钥仅显示一次）",
)
def token_issue(request: HttpRequest, payload: TokenCreateIn) -> tuple[int, dict[str, Any]]:
    token, key = token_create(_user(request), payload.name.strip())
    return 201, {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "key": key,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
    }


token_api.register(router)
