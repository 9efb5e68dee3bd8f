"""Small, explicit builders for org objects used by tests (factory_boy for the common ones)."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from zhifa.core.validators import resident_id_with_check, uscc_with_check
from zhifa.org.models import (
    Agency,
    Certificate,
    CertificateStatus,
    Domain,
    Officer,
    Party,
    PartyKind,
    Region,
    RegionLevel,
    Role,
    RoleAssignment,
    ScopeKind,
    User,
)

_serial = itertools.count(1)


def next_uscc() -> str:
    return uscc_with_check(f"11870102MA{next(_serial):07d}")


def next_resident_id(birth: str = "19850315") -> str:
    return resident_id_with_check(f"870102{birth}{next(_serial) % 1000:03d}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "870000"
    name = factory.LazyAttribute(lambda o: f"区划{o.code}")
    level = RegionLevel.PROVINCE
    parent = None


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试执法局{n}")
    uscc = factory.LazyFunction(next_uscc)
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "Zhifa@2026")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    name = factory.Sequence(lambda n: f"执法员{n}")
    id_number = factory.LazyFunction(next_resident_id)
    agency = factory.SubFactory(AgencyFactory)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    kind = PartyKind.LEGAL_PERSON
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    uscc = factory.LazyFunction(next_uscc)
    region = factory.SubFactory(RegionFactory)


def certificate(
    officer: Officer,
    *domains: str,
    issued: dt.date | None = None,
    expires: dt.date | None = None,
    status: str = CertificateStatus.VALID,
    number: str | None = None,
) -> Certificate:
    from zhifa.org.domains import ensure_domains

    ensure_domains()
    issued = issued or dt.date(2024, 1, 1)
    cert = Certificate.objects.create(
        officer=officer,
        number=number or f"87010{next(_serial):07d}",
        issuer="示范县人民政府",
        issued_on=issued,
        expires_on=expires or dt.date(2029, 12, 31),
        status=status,
    )
    cert.domains.set(Domain.objects.filter(code__in=domains or ("market",)))
    return cert


def grant(
    user: User,
    role: str,
    *,
    agency: Agency | None = None,
    region: Region | None = None,
    party: Party | None = None,
    scope: str | None = None,
) -> RoleAssignment:
    if scope is None:
        scope = ScopeKind.PARTY if party else ScopeKind.REGION if region else ScopeKind.OWN_AGENCY
    user.__dict__.pop("_zhifa_grants", None)
    return RoleAssignment.objects.create(
        user=user, role=role, scope=scope, agency=agency, region=region, party=party
    )


__all__ = ["Role", "ScopeKind"]
