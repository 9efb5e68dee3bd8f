"""Request and response shapes of the org API (组织机构、人员、相对人接口).

Identifiers are checked at the edge — 统一社会信用代码 (GB 32100-2015), 居民身份证号码 (GB 11643-1999),
行政区划代码 (GB/T 2260) — with a Chinese and an English message; the services check them again.
No response shape has a field for a full resident ID number: only ``id_number_masked`` exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from zhifa.core.apitypes import Id
from zhifa.core.validators import is_legacy_resident_id, is_valid_resident_id, is_valid_uscc
from zhifa.org.models import (
    REGION_CODE_RE,
    AgencyKind,
    CertificateStatus,
    CreditClass,
    PartyKind,
    RegionLevel,
    TrainingKind,
)

# --- identifiers ---------------------------------------------------------------------------------------------


def _normalise(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _check_uscc(value: str) -> str:
    if value and not is_valid_uscc(value):
        raise PydanticCustomError(
            "invalid_uscc",
            "统一社会信用代码无效：应为 18 位，且校验码正确（GB 32100-2015）。",
            {"message_en": "Invalid USCC: 18 characters with a correct check character (GB 32100-2015)."},
        )
    return value


def _check_resident_id(value: str) -> str:
    if value and is_legacy_resident_id(value):
        raise PydanticCustomError(
            "invalid_resident_id",
            "15 位旧身份证号码已停止使用，请输入 18 位号码。",
            {"message_en": "15-digit legacy ID numbers are no longer accepted; use the 18-digit number."},
        )
    if value and not is_valid_resident_id(value):
        raise PydanticCustomError(
            "invalid_resident_id",
            "居民身份证号码无效：应为 18 位，出生日期真实，且校验码正确（GB 11643-1999）。",
            {"message_en": "Invalid resident ID: 18 characters, a real birth date, a correct check digit."},
        )
    return value


def _check_region_code(value: str) -> str:
    if not REGION_CODE_RE.match(value) or value.startswith("00"):
        raise PydanticCustomError(
            "invalid_region_code",
            "区划代码无效：应为 6 位 GB/T 2260 代码（乡镇为 9 或 12 位）。",
            {"message_en": "Invalid region code: 6 digits (GB/T 2260), 9 or 12 for townships."},
        )
    return value


# The shapes, for the OpenAPI document and its clients. They are documentation only: the validators above
# refuse with their own bilingual messages, and the check characters cannot be written as a pattern.
USCC_SHAPE = "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
RESIDENT_ID_SHAPE = "^[0-9]{17}[0-9X]$"
REGION_CODE_SHAPE = "^[1-8][0-9]{5}([0-9]{3}|[0-9]{6})?$"


def _shape(pattern: str, *, optional: bool = False) -> dict[str, Any]:
    return {"pattern": f"^$|{pattern}" if optional else pattern}


# Empty string allowed (natural persons have no USCC); anything else must be a valid code.
Uscc = Annotated[
    str,
    BeforeValidator(_normalise),
    Field(max_length=18, json_schema_extra=_shape(USCC_SHAPE, optional=True)),
    AfterValidator(_check_uscc),
]
RequiredUscc = Annotated[
    str,
    BeforeValidator(_normalise),
    Field(min_length=1, max_length=18, json_schema_extra=_shape(USCC_SHAPE)),
    AfterValidator(_check_uscc),
]
ResidentId = Annotated[
    str,
    BeforeValidator(_normalise),
    Field(max_length=18, json_schema_extra=_shape(RESIDENT_ID_SHAPE, optional=True)),
    AfterValidator(_check_resident_id),
]
RequiredResidentId = Annotated[
    str,
    BeforeValidator(_normalise),
    Field(min_length=1, max_length=18, json_schema_extra=_shape(RESIDENT_ID_SHAPE)),
    AfterValidator(_check_resident_id),
]
RegionCode = Annotated[
    str,
    BeforeValidator(_normalise),
    Field(max_length=12, json_schema_extra=_shape(REGION_CODE_SHAPE)),
    AfterValidator(_check_region_code),
]


# --- errors and pages --------------------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every 4xx answer: a stable code, a Chinese message, an English one; ``field`` names the bad input."""

    code: str
    message: str
    message_en: str
    field: str | None = None
    details: Any = None


# Every operation declares its refusals, so that clients (and schemathesis) can rely on the error shape.
# Other apps' routers use these too: ``response={200: Out, **READ_ERRORS}``.
# 429: an anonymous client over its rate (zhifa.portal.ratelimit) — every operation can meet it.
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
# 400: a body that is not JSON at all; 409: a rule refuses the change.
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, **READ_ERRORS, 409: ErrorOut}


# --- regions and domains -----------------------------------------------------------------------------------------


class RegionOut(Schema):
    code: str
    name: str
    level: RegionLevel
    level_label: str
    parent_code: str | None


class RegionPage(Schema):
    items: list[RegionOut]
    next_cursor: str | None


class DomainOut(Schema):
    code: str
    name: str


# --- agencies -----------------------------------------------------------------------------------------------------


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    uscc: str
    kind: AgencyKind
    region_code: str
    region_name: str
    parent_id: int | None
    domains: list[DomainOut]
    is_supervision_organ: bool
    address: str
    phone: str
    is_active: bool


class AgencyPage(Schema):
    items: list[AgencyOut]
    next_cursor: str | None


class AgencyCreateIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    short_name: str = Field("", max_length=30)
    uscc: RequiredUscc
    region_code: RegionCode
    kind: AgencyKind = AgencyKind.ADMINISTRATIVE_ORGAN
    parent_id: Id | None = None
    domain_codes: list[str] = Field(default_factory=list, max_length=50)
    is_supervision_organ: bool = False
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=30)


class AgencyUpdateIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    short_name: str | None = Field(None, max_length=30)
    domain_codes: list[str] | None = Field(None, max_length=50)
    address: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=30)
    is_active: bool | None = None


# --- officers and certificates --------------------------------------------------------------------------------------


class CertificateOut(Schema):
    id: int
    number: str
    officer_id: int
    officer_name: str
    agency_id: int
    issuer: str
    domains: list[DomainOut]
    area: str
    issued_on: dt.date
    expires_on: dt.date
    status: CertificateStatus
    effective_status: CertificateStatus
    effective_status_label: str
    last_reviewed_year: int | None


class CertificateEventOut(Schema):
    id: int
    kind: str
    kind_label: str
    from_status: str
    to_status: str
    reason: str
    actor: str | None
    at: dt.datetime


class CertificateDetailOut(CertificateOut):
    events: list[CertificateEventOut]


class CertificatePage(Schema):
    items: list[CertificateOut]
    next_cursor: str | None


class CertificateIssueIn(Schema):
    officer_id: Id
    number: str = Field(min_length=1, max_length=32)
    issuer: str = Field(min_length=1, max_length=100)
    domain_codes: list[str] = Field(min_length=1, max_length=50)
    issued_on: dt.date
    expires_on: dt.date
    area: str = Field("", max_length=100)


class CertificateStatusIn(Schema):
    kind: Literal["suspend", "reinstate", "revoke", "cancel"]
    reason: str = Field(min_length=1, max_length=300)


class AnnualReviewIn(Schema):
    year: int = Field(ge=2000, le=2100)
    passed: bool
    note: str = Field("", max_length=200)


class OfficerOut(Schema):
    id: int
    name: str
    id_number_masked: str
    agency_id: int
    agency_name: str
    unit: str | None
    post: str
    is_auxiliary: bool
    is_active: bool


class OfficerDetailOut(OfficerOut):
    certificates: list[CertificateOut]
    today: dt.date


class OfficerPage(Schema):
    items: list[OfficerOut]
    next_cursor: str | None


class OfficerCreateIn(Schema):
    agency_id: Id
    name: str = Field(min_length=1, max_length=50)
    id_number: RequiredResidentId
    post: str = Field("", max_length=50)
    unit_id: Id | None = None
    phone: str = Field("", max_length=20)
    is_auxiliary: bool = False


class EnforceDecisionOut(Schema):
    allowed: bool
    reasons: list[str]
    certificate_number: str | None


# --- training -------------------------------------------------------------------------------------------------------


class TrainingOut(Schema):
    id: int
    officer_id: int
    kind: TrainingKind
    title: str
    held_on: dt.date
    hours: Decimal


class TrainingIn(Schema):
    kind: TrainingKind
    title: str = Field(min_length=1, max_length=200)
    held_on: dt.date
    hours: Decimal = Field(gt=0, max_digits=5, decimal_places=1)


class TrainingBalanceOut(Schema):
    officer_id: int
    year: int
    law_hours: Decimal
    business_hours: Decimal
    law_required: int
    business_required: int
    short: bool
    missing_text: str


# --- parties --------------------------------------------------------------------------------------------------------


class PartyOut(Schema):
    id: int
    kind: PartyKind
    name: str
    uscc: str | None
    id_number_masked: str
    legal_representative: str
    region_code: str
    region_name: str
    industry: str
    address: str
    phone: str
    credit_class: CreditClass
    created_at: dt.datetime


class PartyPage(Schema):
    items: list[PartyOut]
    next_cursor: str | None


class PartyCreateIn(Schema):
    kind: PartyKind
    name: str = Field(min_length=1, max_length=200)
    region_code: RegionCode
    uscc: Uscc = ""
    id_number: ResidentId = ""
    legal_representative: str = Field("", max_length=50)
    industry: str = Field("", max_length=100)
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=20)
    credit_class: CreditClass = CreditClass.B


class ImportRowErrorOut(Schema):
    row: int
    column: str
    reason: str


class ImportResultOut(Schema):
    """The report of ``zhifa.org.imports.party_import``: rows read, rows written, rows refused and why."""

    ok: bool
    total_rows: int
    created: int
    skipped_rows: list[int]
    errors: list[ImportRowErrorOut]


# --- tokens ---------------------------------------------------------------------------------------------------------


class TokenCreateIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class TokenOut(Schema):
    """The key is in this answer only: it is stored as a SHA-256 digest and can never be shown again."""

    id: int
    name: str
    prefix: str
    key: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
