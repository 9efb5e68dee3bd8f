"""State changes of organisations and people. Each checks its guards and writes in one transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import (
    Agency,
    Certificate,
    CertificateEvent,
    CertificateEventKind,
    CertificateStatus,
    Domain,
    Officer,
    Party,
    PartyKind,
    PreJobExam,
    Region,
    TrainingRecord,
    User,
)


def _full_clean(obj: Any, exclude: Iterable[str] | None = None) -> None:
    """Model validation turned into the domain's ``InvalidInput`` with the first field and message."""
    try:
        obj.full_clean(exclude=list(exclude or []), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        verbose = field
        with contextlib.suppress(Exception):  # NON_FIELD_ERRORS has no field
            verbose = str(obj._meta.get_field(field).verbose_name)
        raise InvalidInput(
            f"{verbose}：{messages[0]}", f"{field}: invalid value", field=field, details=exc.message_dict
        ) from exc


# --- officers and certificates ----------------------------------------------------------------------------------


@service
def officer_create(
    *,
    actor: User,
    agency: Agency,
    name: str,
    id_number: str,
    post: str = "",
    unit: Any = None,
    phone: str = "",
    is_auxiliary: bool = False,
    user: User | None = None,
) -> Officer:
    perms.require(actor, perms.CHANGE_OFFICER, agency.officers.model(agency=agency))
    officer = Officer(
        agency=agency,
        name=name.strip(),
        id_number=id_number.strip().upper(),
        post=post,
        unit=unit,
        phone=phone,
        is_auxiliary=is_auxiliary,
        user=user,
    )
    _full_clean(officer, exclude=["user", "unit"])
    if Officer.objects.filter(id_number=officer.id_number).exists():
        raise RuleViolation(
            "该身份证号码已登记为执法人员。",
            "An officer with this ID number already exists.",
            code="duplicate_id_number",
            field="id_number",
        )
    officer.save()
    return officer


@service
def certificate_issue(
    *,
    actor: User,
    officer: Officer,
    number: str,
    issuer: str,
    domains: list[Domain],
    issued_on: dt.date,
    expires_on: dt.date,
    area: str = "",
) -> Certificate:
    """发证 — only after a passed pre-job training and exam (``PreJobExam``); the issuing supervisor records it."""
    perms.require(actor, perms.MANAGE_CERTIFICATE, Certificate(officer=officer))
    if not domains:
        raise InvalidInput(
            "执法证件须至少载明一个执法领域。", "A certificate needs at least one domain.", field="domains"
        )
    if expires_on <= issued_on:
        raise InvalidInput(
            "有效期至必须晚于发证日期。", "Expiry must be after the issue date.", field="expires_on"
        )
    cert = Certificate(
        officer=officer,
        number=number.strip(),
        issuer=issuer,
        issued_on=issued_on,
        expires_on=expires_on,
        area=area,
    )
    _full_clean(cert)
    # Seed 004 (三、3): “未经培训考试合格，不得取得行政执法证件” — a passed pre-job training and exam first.
    passed = PreJobExam.objects.filter(officer=officer, passed=True, exam_on__lte=issued_on)
    if not passed.exists():
        raise RuleViolation(
            f"{officer.name}尚无岗前培训考试合格记录，不得发放行政执法证件（未经培训考试合格，不得取得行政执法证件）。",
            f"{officer.name} has no passed pre-job training and exam on or before the issue date; "
            "no certificate may be issued.",
            code="prejob_exam_missing",
        )
    if Certificate.objects.filter(number=cert.number).exists():
        raise RuleViolation(
            f"证件编号 {cert.number} 已存在。",
            f"Certificate number {cert.number} already exists.",
            code="duplicate_certificate_number",
            field="number",
        )
    cert.save()
    cert.domains.set(domains)
    _event(cert, CertificateEventKind.ISSUE, "", CertificateStatus.VALID, "", actor)
    return cert


# 证件状态变化：暂扣、恢复、收回、注销 — which status each action may start from.
_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    CertificateEventKind.SUSPEND: (frozenset({CertificateStatus.VALID}), CertificateStatus.SUSPENDED),
    CertificateEventKind.REINSTATE: (frozenset({CertificateStatus.SUSPENDED}), CertificateStatus.VALID),
    CertificateEventKind.REVOKE: (
        frozenset({CertificateStatus.VALID, CertificateStatus.SUSPENDED}),
        CertificateStatus.REVOKED,
    ),
    CertificateEventKind.CANCEL: (
        frozenset({CertificateStatus.VALID, CertificateStatus.SUSPENDED, CertificateStatus.REVOKED}),
        CertificateStatus.CANCELLED,
    ),
}


@service
def certificate_change_status(
    *, actor: User, certificate: Certificate, kind: str, reason: str
) -> Certificate:
    """暂扣 / 恢复 / 收回 / 注销 a certificate, with the reason kept in its history."""
    perms.require(actor, perms.MANAGE_CERTIFICATE, certificate)
    if kind not in _TRANSITIONS:
        raise InvalidInput("未知的证件操作。", f"Unknown certificate action {kind!r}.", field="kind")
    if not reason.strip():
        raise InvalidInput("请填写原因。", "A reason is required.", field="reason")
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    allowed_from, to_status = _TRANSITIONS[kind]
    if cert.status not in allowed_from:
        raise RuleViolation(
            f"证件当前状态为“{cert.get_status_display()}”，不能{CertificateEventKind(kind).label}。",
            f"A {cert.status} certificate cannot be {kind}d.",
            code="certificate_bad_transition",
        )
    from_status = cert.status
    cert.status = to_status
    cert.save(update_fields=["status"])
    _event(cert, kind, from_status, to_status, reason, actor)
    return cert


@service
def certificate_annual_review(
    *, actor: User, certificate: Certificate, year: int, passed: bool, note: str = ""
) -> Certificate:
    """年度审验 — a failed review suspends the certificate."""
    perms.require(actor, perms.MANAGE_CERTIFICATE, certificate)
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.status not in (CertificateStatus.VALID, CertificateStatus.SUSPENDED):
        raise RuleViolation(
            "已收回或注销的证件不能审验。",
            "Revoked or cancelled certificates are not reviewed.",
            code="certificate_bad_transition",
        )
    if cert.last_reviewed_year and year <= cert.last_reviewed_year:
        raise RuleViolation(
            f"该证件 {year} 年度已审验。",
            f"Already reviewed for {year}.",
            code="certificate_already_reviewed",
        )
    from_status = cert.status
    cert.last_reviewed_year = year
    if not passed:
        cert.status = CertificateStatus.SUSPENDED
    cert.save(update_fields=["last_reviewed_year", "status"])
    text = f"{year} 年度审验{'合格' if passed else '不合格'}" + (f"：{note}" if note else "")
    _event(cert, CertificateEventKind.ANNUAL_REVIEW, from_status, cert.status, text, actor)
    return cert


@service
def certificate_renew(
    *, actor: User, certificate: Certificate, expires_on: dt.date, reason: str
) -> Certificate:
    perms.require(actor, perms.MANAGE_CERTIFICATE, certificate)
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.status != CertificateStatus.VALID:
        raise RuleViolation(
            "只有有效状态的证件可以延期。",
            "Only a valid certificate can be renewed.",
            code="certificate_bad_transition",
        )
    if expires_on <= cert.expires_on:
        raise InvalidInput(
            "新的有效期必须晚于原有效期。", "The new expiry must be later.", field="expires_on"
        )
    old = cert.expires_on
    cert.expires_on = expires_on
    cert.save(update_fields=["expires_on"])
    _event(
        cert,
        CertificateEventKind.RENEW,
        cert.status,
        cert.status,
        f"有效期 {old:%Y-%m-%d} → {expires_on:%Y-%m-%d}；{reason}",
        actor,
    )
    return cert


def _event(cert: Certificate, kind: str, from_status: str, to_status: str, reason: str, actor: User) -> None:
    CertificateEvent.objects.create(
        certificate=cert,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        reason=reason[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


@service
def training_record_add(
    *, actor: User, officer: Officer, kind: str, title: str, held_on: dt.date, hours: Decimal
) -> TrainingRecord:
    perms.require(actor, perms.CHANGE_TRAINING, TrainingRecord(officer=officer))
    record = TrainingRecord(officer=officer, kind=kind, title=title.strip(), held_on=held_on, hours=hours)
    if hours is None or hours <= 0:
        raise InvalidInput("学时必须大于 0。", "Hours must be positive.", field="hours")
    _full_clean(record)
    record.save()
    return record


# --- parties ------------------------------------------------------------------------------------------------------


@service
def party_create(
    *,
    actor: User,
    kind: str,
    name: str,
    region: Region,
    uscc: str = "",
    id_number: str = "",
    legal_representative: str = "",
    industry: str = "",
    address: str = "",
    phone: str = "",
    credit_class: str = "B",
) -> Party:
    """登记行政相对人 — legal persons and businesses by USCC (unique), natural persons by resident ID."""
    party = build_party(
        kind=kind,
        name=name,
        region=region,
        uscc=uscc,
        id_number=id_number,
        legal_representative=legal_representative,
        industry=industry,
        address=address,
        phone=phone,
        credit_class=credit_class,
    )
    perms.require(actor, perms.CHANGE_PARTY, party)
    if party.uscc and Party.objects.filter(uscc=party.uscc).exists():
        raise RuleViolation(
            f"统一社会信用代码 {party.uscc} 已登记，不能重复登记。",
            f"USCC {party.uscc} is already registered.",
            code="duplicate_uscc",
            field="uscc",
        )
    try:
        with transaction.atomic():
            party.save()
    except IntegrityError as exc:
        raise RuleViolation(
            f"统一社会信用代码 {party.uscc} 已登记，不能重复登记。",
            f"USCC {party.uscc} is already registered.",
            code="duplicate_uscc",
            field="uscc",
        ) from exc
    return party


def build_party(
    *,
    kind: str,
    name: str,
    region: Region,
    uscc: str = "",
    id_number: str = "",
    legal_representative: str = "",
    industry: str = "",
    address: str = "",
    phone: str = "",
    credit_class: str = "B",
) -> Party:
    """Validate and build (not save) a party; raises ``InvalidInput`` naming the field."""
    uscc = (uscc or "").strip().upper()
    id_number = (id_number or "").strip().upper()
    if kind not in PartyKind.values:
        raise InvalidInput("相对人类型无效。", "Unknown party kind.", field="kind")
    if kind == PartyKind.NATURAL_PERSON:
        if uscc:
            raise InvalidInput(
                "自然人不填写统一社会信用代码。", "A natural person has no USCC.", field="uscc"
            )
        if not id_number:
            raise InvalidInput(
                "自然人须填写身份证号码。", "A natural person needs a resident ID number.", field="id_number"
            )
    elif not uscc:
        raise InvalidInput(
            "法人、其他组织和个体工商户须填写统一社会信用代码。",
            "Organisations and individual businesses need a USCC.",
            field="uscc",
        )
    party = Party(
        kind=kind,
        name=(name or "").strip(),
        region=region,
        uscc=uscc or None,
        id_number=id_number,
        legal_representative=legal_representative,
        industry=industry,
        address=address,
        phone=phone,
        credit_class=credit_class,
    )
    party.region_path = region.path
    _full_clean(party, exclude=["region", "uscc"] if not uscc else ["region"])
    return party


# --- agencies -----------------------------------------------------------------------------------------------------


def _domains_by_code(codes: Iterable[str]) -> list[Domain]:
    wanted = list(dict.fromkeys(codes))
    found = list(Domain.objects.filter(code__in=wanted))
    missing = sorted(set(wanted) - {d.code for d in found})
    if missing:
        raise InvalidInput(
            f"执法领域不存在：{'、'.join(missing)}。",
            f"Unknown domain(s): {', '.join(missing)}.",
            field="domain_codes",
        )
    return found


@service
def agency_create(
    *,
    actor: User,
    name: str,
    uscc: str,
    region: Region,
    kind: str = "organ",
    parent: Agency | None = None,
    short_name: str = "",
    domain_codes: Iterable[str] = (),
    is_supervision_organ: bool = False,
    address: str = "",
    phone: str = "",
) -> Agency:
    """登记执法主体 — identified by its USCC (unique); the caller must be allowed to change agencies there."""
    agency = Agency(
        name=name.strip(),
        short_name=short_name.strip(),
        uscc=uscc.strip().upper(),
        region=region,
        kind=kind,
        parent=parent,
        is_supervision_organ=is_supervision_organ,
        address=address,
        phone=phone,
    )
    agency.path = agency.compute_path()
    perms.require(actor, perms.CHANGE_AGENCY, agency)
    _full_clean(agency, exclude=["path"])
    domains = _domains_by_code(domain_codes)
    if Agency.objects.filter(uscc=agency.uscc).exists():
        raise RuleViolation(
            f"统一社会信用代码 {agency.uscc} 已登记，不能重复登记。",
            f"USCC {agency.uscc} is already registered.",
            code="duplicate_uscc",
            field="uscc",
        )
    if is_supervision_organ and Agency.objects.filter(region=region, is_supervision_organ=True).exists():
        raise RuleViolation(
            f"{region.name}已有执法监督机构。",
            f"{region.code} already has a supervision organ.",
            code="supervision_organ_exists",
            field="is_supervision_organ",
        )
    agency.save()
    agency.domains.set(domains)
    return agency


_AGENCY_EDITABLE = ("name", "short_name", "address", "phone", "is_active")


@service
def agency_update(
    *, actor: User, agency: Agency, domain_codes: Iterable[str] | None = None, **changes: Any
) -> Agency:
    """修改执法主体 — name, contact details, domains, active flag; USCC, region and parent stay fixed."""
    perms.require(actor, perms.CHANGE_AGENCY, agency)
    unknown = set(changes) - set(_AGENCY_EDITABLE)
    if unknown:
        raise InvalidInput("不能修改这些字段。", f"Not editable: {', '.join(sorted(unknown))}.")
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    for name, value in changes.items():
        setattr(agency, name, value.strip() if isinstance(value, str) else value)
    _full_clean(agency, exclude=["path"])
    if changes:
        agency.save(update_fields=list(changes))
    if domain_codes is not None:
        agency.domains.set(_domains_by_code(domain_codes))
    return agency
