"""Parties (行政相对人): identifiers by kind, unique USCC, masked IDs, scoped search."""

from __future__ import annotations

import pytest

from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.core.validators import resident_id_with_check
from zhifa.org import selectors, services
from zhifa.org.models import Party, PartyKind, Region, RegionLevel, Role, User
from zhifa.org.tests.factories import AgencyFactory, UserFactory, grant, next_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def county() -> Region:
    province = Region.objects.create(code="870000", name="示范省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(code="870100", name="示范市", level=RegionLevel.CITY, parent=province)
    return Region.objects.create(code="870102", name="示范县", level=RegionLevel.COUNTY, parent=city)


@pytest.fixture
def officer_user(county: Region) -> User:
    user = UserFactory()
    grant(user, Role.OFFICER, agency=AgencyFactory(region=county))
    return User.objects.get(pk=user.pk)


def test_legal_person_is_registered_by_uscc(county: Region, officer_user: User) -> None:
    uscc = next_uscc()
    party = services.party_create(
        actor=officer_user,
        kind=PartyKind.LEGAL_PERSON,
        name="示范食品有限公司",
        region=county,
        uscc=uscc.lower(),
    )
    assert party.uscc == uscc and party.region_path == county.path


def test_duplicate_uscc_is_refused(county: Region, officer_user: User) -> None:
    uscc = next_uscc()
    services.party_create(
        actor=officer_user, kind=PartyKind.LEGAL_PERSON, name="甲公司", region=county, uscc=uscc
    )
    with pytest.raises(RuleViolation) as exc:
        services.party_create(
            actor=officer_user, kind=PartyKind.INDIVIDUAL_BUSINESS, name="乙店", region=county, uscc=uscc
        )
    assert exc.value.code == "duplicate_uscc" and exc.value.field == "uscc"
    assert Party.objects.filter(region=county).count() == 1


def test_invalid_uscc_is_a_field_error_in_chinese(county: Region, officer_user: User) -> None:
    good = next_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(InvalidInput) as exc:
        services.party_create(
            actor=officer_user, kind=PartyKind.LEGAL_PERSON, name="丙公司", region=county, uscc=bad
        )
    assert exc.value.field == "uscc" and "统一社会信用代码" in exc.value.message
    assert not Party.objects.filter(region=county).exists()


def test_natural_person_needs_a_valid_resident_id_and_no_uscc(county: Region, officer_user: User) -> None:
    with pytest.raises(InvalidInput):
        services.party_create(actor=officer_user, kind=PartyKind.NATURAL_PERSON, name="张三", region=county)
    with pytest.raises(InvalidInput):
        services.party_create(
            actor=officer_user,
            kind=PartyKind.NATURAL_PERSON,
            name="张三",
            region=county,
            id_number="110105198503150012",
            uscc=next_uscc(),
        )
    id_number = resident_id_with_check("87010219850315001")
    party = services.party_create(
        actor=officer_user, kind=PartyKind.NATURAL_PERSON, name="张三", region=county, id_number=id_number
    )
    assert party.masked_id_number == id_number[:6] + "********" + id_number[-4:]
    assert party.identifier_display == party.masked_id_number


def test_organisation_without_uscc_is_refused(county: Region, officer_user: User) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.party_create(actor=officer_user, kind=PartyKind.LEGAL_PERSON, name="丁公司", region=county)
    assert exc.value.field == "uscc"


def test_officer_cannot_register_a_party_outside_their_county(county: Region, officer_user: User) -> None:
    other = Region.objects.create(code="870103", name="邻县", level=RegionLevel.COUNTY, parent=county.parent)
    with pytest.raises(PermissionDenied):
        services.party_create(
            actor=officer_user, kind=PartyKind.LEGAL_PERSON, name="戊公司", region=other, uscc=next_uscc()
        )


def test_search_finds_by_name_fragment_and_exact_uscc_within_scope(
    county: Region, officer_user: User
) -> None:
    other = Region.objects.create(code="870103", name="邻县", level=RegionLevel.COUNTY, parent=county.parent)
    a = services.party_create(
        actor=officer_user,
        kind=PartyKind.LEGAL_PERSON,
        name="示范绿源食品有限公司",
        region=county,
        uscc=next_uscc(),
    )
    Party.objects.create(
        kind=PartyKind.LEGAL_PERSON, name="邻县绿源食品有限公司", region=other, uscc=next_uscc()
    )
    assert list(selectors.party_search(officer_user, "绿源")) == [a]
    assert list(selectors.party_search(officer_user, a.uscc.lower())) == [a]
    assert list(selectors.party_search(officer_user, "不存在")) == []


def test_region_code_must_have_the_gb_t_2260_shape() -> None:
    from django.core.exceptions import ValidationError

    from zhifa.org.models import validate_region_code

    for good in ("870102", "110105", "870102001"):
        validate_region_code(good)
    for bad in ("87010", "0000000", "abcdef", "960102", "8701020"):
        with pytest.raises(ValidationError):
            validate_region_code(bad)
