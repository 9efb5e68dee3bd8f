"""The 示范县 demo county: deterministic, valid identifiers, every role and certificate situation, idempotent."""

from __future__ import annotations

import datetime as dt
from itertools import islice
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from zhifa.core import clock
from zhifa.core.passwords import character_classes
from zhifa.core.validators import is_valid_resident_id, is_valid_uscc
from zhifa.org import permissions as perms
from zhifa.org.demo import (
    COUNTY,
    DEMO_LOGINS,
    SITUATION_AUXILIARY,
    SITUATION_EXPIRED,
    SITUATION_EXPIRING,
    SITUATION_REVOKED,
    SITUATION_SUSPENDED,
    SITUATION_VALID,
    build_demo,
    demo_present,
    officer_situations,
    party_rows,
    party_uscc,
)
from zhifa.org.models import (
    Agency,
    Certificate,
    CertificateStatus,
    Officer,
    Party,
    PartyKind,
    Region,
    Role,
    Unit,
    User,
    validate_region_code,
)
from zhifa.org.selectors import (
    certificates_expiring,
    certificates_lapsed,
    officers_short_of_training,
    party_search,
)


def _user(username: str) -> User:
    return User.objects.get(username=username)


# --- the generator, without a database ----------------------------------------------------------------------------


def test_same_seed_generates_the_same_parties() -> None:
    assert list(party_rows(500, seed=7)) == list(party_rows(500, seed=7))


def test_another_seed_generates_other_parties() -> None:
    first = [r.uscc for r in party_rows(200, seed=7)]
    second = [r.uscc for r in party_rows(200, seed=8)]
    assert first != second


def test_generated_party_usccs_are_valid_and_unique_over_a_large_range() -> None:
    codes = [party_uscc(i, PartyKind.LEGAL_PERSON) for i in range(50_000)]
    assert len(set(codes)) == len(codes)
    assert all(is_valid_uscc(c) for c in codes[:5000])


def test_generated_parties_mix_kinds_with_the_right_identifier() -> None:
    rows = list(islice(party_rows(3000), 3000))
    kinds = {r.kind for r in rows}
    assert kinds == {PartyKind.LEGAL_PERSON, PartyKind.INDIVIDUAL_BUSINESS, PartyKind.NATURAL_PERSON}
    persons = [r for r in rows if r.kind == PartyKind.NATURAL_PERSON]
    assert 0.05 < len(persons) / len(rows) < 0.15
    assert all(r.uscc is None and is_valid_resident_id(r.id_number) for r in persons)
    assert all(is_valid_uscc(r.uscc) and not r.id_number for r in rows if r.kind != PartyKind.NATURAL_PERSON)


def test_every_certificate_situation_is_present_even_at_the_smallest_scale() -> None:
    situations = officer_situations(16, 0.05, 2026)
    assert situations[:6] == [SITUATION_VALID] * 6
    for situation in (SITUATION_EXPIRING, SITUATION_EXPIRED, SITUATION_SUSPENDED, SITUATION_REVOKED):
        assert situation in situations
    assert situations.count(SITUATION_AUXILIARY) >= 2


def test_demo_passwords_satisfy_the_password_rules() -> None:
    for _, _, password in DEMO_LOGINS:
        assert len(password) >= 8 and character_classes(password) >= 3


# --- the built county ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_county_parties_are_exactly_the_generator_output(demo_county: Any) -> None:
    stored = list(
        Party.objects.filter(region_path__contains=f"/{COUNTY[0]}/")
        .order_by("id")
        .values_list("uscc", flat=True)
    )
    expected = [r.uscc for r in party_rows(len(stored), seed=demo_county.seed)]
    assert stored == expected
    assert len(stored) >= 100 and demo_county.parties == Party.objects.count()  # both counties


@pytest.mark.django_db
def test_demo_identifiers_are_all_valid(demo_county: Any) -> None:
    assert all(is_valid_uscc(u) for u in Agency.objects.values_list("uscc", flat=True))
    assert all(is_valid_resident_id(n) for n in Officer.objects.values_list("id_number", flat=True))
    for kind, uscc, id_number in Party.objects.values_list("kind", "uscc", "id_number"):
        if kind == PartyKind.NATURAL_PERSON:
            assert uscc is None and is_valid_resident_id(id_number)
        else:
            assert is_valid_uscc(uscc)
    for region in Region.objects.all():
        validate_region_code(region.code)


@pytest.mark.django_db
def test_bulk_created_rows_carry_the_paths_save_would_compute(demo_county: Any) -> None:
    for region in Region.objects.select_related("parent"):
        assert region.path == region.compute_path()
    for agency in Agency.objects.select_related("parent"):
        assert agency.path == agency.compute_path()
    for party in Party.objects.select_related("region")[:200]:
        assert party.region_path == party.region.path


@pytest.mark.django_db
def test_demo_county_has_supervision_organs_and_a_legal_review_office_per_agency(demo_county: Any) -> None:
    supervising = set(Agency.objects.filter(is_supervision_organ=True).values_list("region__code", flat=True))
    assert supervising == {"860102", "860103", "860100"}
    county_agencies = Agency.objects.filter(region__code="860102", is_supervision_organ=False)
    assert county_agencies.count() >= 12
    for agency in county_agencies:
        assert Unit.objects.filter(agency=agency, is_legal_review_office=True).count() == 1
        assert agency.domains.exists() and agency.short_name.startswith("示县")


@pytest.mark.django_db
def test_demo_county_has_every_certificate_situation(demo_county: Any) -> None:
    supervisor = _user("demo_supervisor")
    today = clock.today()
    assert certificates_expiring(supervisor).exists()
    lapsed = list(certificates_lapsed(supervisor))
    assert any(c.status == CertificateStatus.VALID and c.expires_on < today for c in lapsed)
    assert Certificate.objects.filter(status=CertificateStatus.SUSPENDED).exists()
    assert Certificate.objects.filter(status=CertificateStatus.REVOKED).exists()
    assert Certificate.objects.filter(
        status=CertificateStatus.VALID, expires_on__gt=today + dt.timedelta(days=30)
    )
    auxiliaries = Officer.objects.filter(is_auxiliary=True)
    assert auxiliaries.count() >= 2 and not Certificate.objects.filter(officer__in=auxiliaries).exists()


@pytest.mark.django_db
def test_some_demo_officers_are_short_of_training_and_others_are_not(demo_county: Any) -> None:
    supervisor = _user("demo_supervisor")
    short = officers_short_of_training(supervisor, clock.today().year)
    assert short
    assert len(short) < Officer.objects.count()
    assert _user("demo_officer").officer.pk not in {o.pk for o, _ in short}


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "username", "password"), DEMO_LOGINS)
def test_each_demo_login_authenticates(demo_county: Any, label: str, username: str, password: str) -> None:
    user = authenticate(RequestFactory().post("/login/"), username=username, password=password)
    assert user is not None and user.username == username
    assert not user.must_change_password
    assert perms.roles(user)


@pytest.mark.django_db
def test_a_demo_login_with_the_wrong_password_is_refused(demo_county: Any) -> None:
    assert (
        authenticate(RequestFactory().post("/login/"), username="demo_officer", password="Wrong@2026") is None
    )


@pytest.mark.django_db
def test_demo_roles_see_what_their_scope_covers(demo_county: Any) -> None:
    parties = Party.objects.count()
    county = Party.objects.filter(region_path__contains=f"/{COUNTY[0]}/").count()
    assert party_search(_user("demo_supervisor")).count() == county < parties
    assert party_search(_user("demo_city_supervisor")).count() == parties
    assert party_search(_user("demo_admin")).count() == parties
    enterprise = _user("demo_enterprise")
    own = list(party_search(enterprise))
    assert len(own) == 1 and own[0].uscc == party_uscc(0, PartyKind.LEGAL_PERSON, demo_county.seed)

    officer = _user("demo_officer")
    market = officer.officer.agency
    visible = perms.scoped(officer, perms.VIEW_OFFICER, Officer.objects.all())
    assert set(visible.values_list("agency_id", flat=True)) == {market.pk}
    head_visible = perms.scoped(_user("demo_head"), perms.VIEW_OFFICER, Officer.objects.all())
    assert market.subordinates.exists()
    assert set(head_visible.values_list("agency_id", flat=True)) >= {market.pk}
    assert perms.has_role(_user("demo_reviewer"), Role.LEGAL_REVIEWER)
    assert not perms.has_role(officer, Role.SUPERVISOR)


@pytest.mark.django_db
def test_demo_is_clearly_marked_as_fictional(demo_county: Any) -> None:
    assert all(name.startswith("示范") for name in Agency.objects.values_list("name", flat=True))
    assert set(
        Region.objects.filter(level__in=["province", "city", "county"]).values_list("name", flat=True)
    ) == {
        "示范省",
        "示范市",
        "示范县",
        "示范县二",
    }
    assert all(
        n.startswith("示范县")
        for n in Party.objects.exclude(kind=PartyKind.NATURAL_PERSON).values_list("name", flat=True)
    )


@pytest.mark.django_db
def test_a_second_build_changes_nothing(demo_county: Any) -> None:
    assert demo_county.created and demo_present()
    before = (Party.objects.count(), Officer.objects.count(), User.objects.count())
    again = build_demo(scale=0.05, quiet=True)
    assert not again.created and "已存在" in again.message
    assert (Party.objects.count(), Officer.objects.count(), User.objects.count()) == before
    assert again.parties == before[0]


@pytest.mark.django_db
def test_demo_command_reports_an_existing_demo(demo_county: Any, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("zhifa_demo", "--scale", "0.05", "--quiet")
    out = capsys.readouterr().out
    assert "演示数据已存在" in out and "demo_officer" in out


def test_demo_refuses_a_scale_that_is_not_positive() -> None:
    with pytest.raises(ValueError):
        build_demo(scale=0)
