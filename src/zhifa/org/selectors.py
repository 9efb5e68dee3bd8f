"""Reads of organisations and people. Every list takes the caller's user and returns only what is in scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet, Sum

from zhifa.core import clock
from zhifa.org import permissions as perms
from zhifa.org.models import (
    Certificate,
    CertificateStatus,
    Domain,
    Officer,
    Party,
    TrainingKind,
    TrainingRecord,
    User,
)


@dataclass(frozen=True)
class EnforceDecision:
    """The answer of ``officer_can_enforce`` with the reasons when it is no."""

    allowed: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)
    certificate_number: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


def officer_can_enforce(officer: Officer, domain: Domain | str, on: dt.date | None = None) -> EnforceDecision:
    """执法资格 — may this officer enforce in this domain on this date? The one gate every act uses.

    No enforcement without a valid certificate for the domain; auxiliary staff may not enforce alone.
    """
    on = on or clock.today()
    domain_code = domain if isinstance(domain, str) else domain.code
    reasons: list[str] = []
    if not officer.is_active:
        reasons.append(f"{officer.name}已不在执法岗位。")
    if officer.is_auxiliary:
        reasons.append(f"{officer.name}为执法辅助人员，不得单独从事行政执法。")
    certificates = list(officer.certificates.prefetch_related("domains").all())
    if not certificates:
        reasons.append(f"{officer.name}未取得行政执法证件。")
    usable: Certificate | None = None
    cert_reasons: list[str] = []
    for cert in certificates:
        status = cert.effective_status(on)
        domain_codes = {d.code for d in cert.domains.all()}
        if status != CertificateStatus.VALID:
            if status == CertificateStatus.EXPIRED and on < cert.issued_on:
                cert_reasons.append(f"执法证 {cert.number} 于 {cert.issued_on:%Y-%m-%d} 才生效。")
            elif status == CertificateStatus.EXPIRED:
                cert_reasons.append(f"执法证 {cert.number} 已于 {cert.expires_on:%Y-%m-%d} 过期。")
            else:
                cert_reasons.append(f"执法证 {cert.number} 状态为“{CertificateStatus(status).label}”。")
            continue
        if domain_code not in domain_codes:
            cert_reasons.append(f"执法证 {cert.number} 的执法领域不含“{_domain_name(domain)}”。")
            continue
        usable = cert
        break
    if usable is None:
        reasons.extend(cert_reasons)
    allowed = not reasons
    return EnforceDecision(allowed, tuple(reasons), usable.number if (usable and allowed) else None)


def _domain_name(domain: Domain | str) -> str:
    if isinstance(domain, Domain):
        return domain.name
    found = Domain.objects.filter(code=domain).values_list("name", flat=True).first()
    return found or domain


def certificates_expiring(
    user: User, *, within_days: int | None = None, today: dt.date | None = None
) -> QuerySet[Certificate]:
    """Valid certificates that expire within the warning window (30 days by default), in the user's scope."""
    today = today or clock.today()
    days = within_days if within_days is not None else settings.ZHIFA["CERTIFICATE_EXPIRY_WARNING_DAYS"]
    qs = Certificate.objects.filter(
        status=CertificateStatus.VALID, expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=days)
    ).select_related("officer__agency")
    return perms.scoped(user, perms.VIEW_CERTIFICATE, qs).order_by("expires_on")


def certificates_lapsed(user: User, *, today: dt.date | None = None) -> QuerySet[Certificate]:
    """Certificates of active officers that are expired, suspended or revoked."""
    today = today or clock.today()
    qs = (
        Certificate.objects.filter(officer__is_active=True)
        .filter(
            Q(status=CertificateStatus.VALID, expires_on__lt=today)
            | Q(status__in=[CertificateStatus.SUSPENDED, CertificateStatus.REVOKED])
        )
        .select_related("officer__agency")
    )
    return perms.scoped(user, perms.VIEW_CERTIFICATE, qs).order_by("expires_on")


@dataclass(frozen=True)
class TrainingBalance:
    officer_id: int
    year: int
    law_hours: Decimal
    business_hours: Decimal
    law_required: int
    business_required: int

    @property
    def short(self) -> bool:
        return self.law_hours < self.law_required or self.business_hours < self.business_required

    @property
    def missing_text(self) -> str:
        parts = []
        if self.law_hours < self.law_required:
            parts.append(f"公共法律知识差 {self.law_required - self.law_hours} 学时")
        if self.business_hours < self.business_required:
            parts.append(f"业务知识差 {self.business_required - self.business_hours} 学时")
        return "；".join(parts)


def training_balances(officer_ids: list[int], year: int) -> dict[int, TrainingBalance]:
    """Hours per officer and kind in ``year`` against the yearly minimum (one query for any number)."""
    law_required = settings.ZHIFA["TRAINING_MIN_LAW_HOURS"]
    business_required = settings.ZHIFA["TRAINING_MIN_BUSINESS_HOURS"]
    sums: dict[tuple[int, str], Decimal] = {}
    rows = (
        TrainingRecord.objects.filter(officer_id__in=officer_ids, held_on__year=year)
        .values("officer_id", "kind")
        .annotate(total=Sum("hours"))
    )
    for row in rows:
        sums[(row["officer_id"], row["kind"])] = row["total"] or Decimal(0)
    return {
        oid: TrainingBalance(
            oid,
            year,
            sums.get((oid, TrainingKind.PUBLIC_LAW), Decimal(0)),
            sums.get((oid, TrainingKind.BUSINESS), Decimal(0)),
            law_required,
            business_required,
        )
        for oid in officer_ids
    }


def officers_short_of_training(user: User, year: int) -> list[tuple[Officer, TrainingBalance]]:
    officers = list(
        perms.scoped(user, perms.VIEW_OFFICER, Officer.objects.filter(is_active=True)).select_related(
            "agency"
        )
    )
    balances = training_balances([o.id for o in officers], year)
    return [(o, balances[o.id]) for o in officers if balances[o.id].short]


def party_search(user: User, q: str = "", *, credit_class: str = "", kind: str = "") -> QuerySet[Party]:
    """Parties in scope, by USCC (exact) or name fragment."""
    qs = perms.scoped(user, perms.VIEW_PARTY, Party.objects.select_related("region"))
    q = (q or "").strip()
    if q:
        upper = q.upper()
        if len(upper) == 18 and upper.isalnum():
            qs = qs.filter(uscc=upper)
        else:
            qs = qs.filter(name__contains=q)
    if credit_class:
        qs = qs.filter(credit_class=credit_class)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-id")
