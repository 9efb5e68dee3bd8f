"""示范县二, the demo's second county: its own judicial bureau, agencies, officers, parties, cases, inspections
and supervision work for ``demo_supervisor2``; the city supervisor sees both counties, each county supervisor
only its own."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases.models import Case, Procedure
from zhifa.cases.rules import VIEW_CASE
from zhifa.core import clock
from zhifa.core.validators import is_valid_resident_id, is_valid_uscc
from zhifa.org import permissions as perms
from zhifa.org.demo import (
    CITY,
    COUNTY,
    COUNTY2,
    COUNTY2_TOWNSHIPS,
    DEMO_LOGINS,
    county2_officer_count,
    county2_party_count,
    party_rows,
)
from zhifa.org.models import (
    Agency,
    Certificate,
    CertificateStatus,
    Officer,
    Party,
    PartyKind,
    Region,
    RegionLevel,
    Role,
    ScopeKind,
    Unit,
    User,
)
from zhifa.org.selectors import officer_can_enforce, party_search
from zhifa.records.models import LedgerEntry

pytestmark = pytest.mark.django_db

PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _cases(code: str) -> Any:
    return Case.objects.filter(agency__region__code=code)


def _login(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORDS[username]})
    assert response.status_code == 302, f"login of {username} failed"
    return client


# --- the organisation -------------------------------------------------------------------------------------------


def test_second_county_sits_under_the_city_with_its_townships(demo_county: Any) -> None:
    county = Region.objects.select_related("parent").get(code=COUNTY2[0])
    assert county.name == "示范县二" and county.level == RegionLevel.COUNTY and county.parent.code == CITY[0]
    townships = Region.objects.filter(parent=county)
    assert townships.count() == len(COUNTY2_TOWNSHIPS) >= 2
    assert all(t.level == RegionLevel.TOWNSHIP and t.code.startswith(COUNTY2[0]) for t in townships)


def test_second_county_has_its_judicial_bureau_and_enforcement_agencies(demo_county: Any) -> None:
    agencies = Agency.objects.filter(region__code=COUNTY2[0])
    bureau = agencies.get(is_supervision_organ=True)
    assert bureau.name == "示范县二司法局"
    enforcing = agencies.filter(is_supervision_organ=False)
    names = set(enforcing.values_list("name", flat=True))
    assert "示范县二市场监督管理局" in names and len(names) >= 2
    for agency in enforcing:
        assert agency.domains.exists() and agency.short_name.startswith("示县二")
        assert Unit.objects.filter(agency=agency, is_legal_review_office=True).count() == 1
    assert all(is_valid_uscc(u) and u[2:8] == COUNTY2[0] for u in agencies.values_list("uscc", flat=True))


def test_second_county_officers_hold_valid_certificates_for_their_agencys_domain(demo_county: Any) -> None:
    officers = list(Officer.objects.filter(agency__region__code=COUNTY2[0]).select_related("agency"))
    assert len(officers) == county2_officer_count(demo_county.scale)
    today = clock.today()
    for officer in officers:
        assert is_valid_resident_id(officer.id_number) and officer.id_number.startswith(COUNTY2[0])
        domain = officer.agency.domains.get()
        assert officer_can_enforce(officer, domain, today).allowed, officer
    for agency in Agency.objects.filter(region__code=COUNTY2[0], is_supervision_organ=False):
        assert agency.officers.count() >= 2, agency.name
    certificates = Certificate.objects.filter(officer__agency__region__code=COUNTY2[0])
    assert set(certificates.values_list("status", flat=True)) == {CertificateStatus.VALID}
    assert certificates.count() == len(officers)
    county1 = set(Certificate.objects.filter(officer__agency__region__code=COUNTY[0]).values_list("number"))
    assert county1 and not county1 & set(certificates.values_list("number"))


def test_second_county_parties_are_the_generator_output_with_their_own_identifiers(demo_county: Any) -> None:
    stored = list(
        Party.objects.filter(region_path__contains=f"/{COUNTY2[0]}/")
        .order_by("id")
        .values_list("kind", "name", "uscc", "id_number")
    )
    assert len(stored) == county2_party_count(demo_county.scale)
    rows = party_rows(len(stored), demo_county.seed, county=COUNTY2, townships=COUNTY2_TOWNSHIPS)
    assert stored == [(r.kind, r.name, r.uscc, r.id_number) for r in rows]
    assert {kind for kind, *_ in stored} == set(PartyKind.values)
    for kind, name, uscc, id_number in stored:
        assert name.startswith("示范县二") or kind == PartyKind.NATURAL_PERSON
        if kind == PartyKind.NATURAL_PERSON:
            assert is_valid_resident_id(id_number) and id_number.startswith(COUNTY2[0])
        else:
            assert is_valid_uscc(uscc) and uscc[2:8] == COUNTY2[0]
    county1 = Party.objects.filter(region_path__contains=f"/{COUNTY[0]}/")
    assert not set(county1.values_list("uscc", flat=True)) & {u for _, _, u, _ in stored if u}


# --- cases, inspections, supervision -------------------------------------------------------------------------------


def test_second_county_has_cases_in_several_stages_built_through_the_services(demo_county: Any) -> None:
    cases = _cases(COUNTY2[0])
    assert cases.count() >= 5
    assert len(set(cases.values_list("stage", flat=True))) >= 5
    assert cases.values("agency").distinct().count() >= 2
    assert cases.filter(agency__name="示范县二市场监督管理局").exists()
    assert cases.exclude(number=None).exists()
    for case in cases:
        assert case.procedure == Procedure.GENERAL
        assert not case.number or case.number.startswith("示县二"), case.number
        actions = set(
            LedgerEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).values_list(
                "action", flat=True
            )
        )
        assert "case.register_source" in actions, case
    parties = Party.objects.filter(cases__in=cases)
    assert parties.exists() and not parties.exclude(region_path__contains=f"/{COUNTY2[0]}/").exists()


def test_second_county_has_a_published_plan_a_draw_filed_inspections_and_a_warning(demo_county: Any) -> None:
    from zhifa.inspections.models import (
        DrawRecord,
        Inspection,
        InspectionPlan,
        InspectionStatus,
        InspectionWarning,
        PlanStatus,
        WarningKind,
    )

    market = Agency.objects.get(name="示范县二市场监督管理局")
    plan = InspectionPlan.objects.get(agency=market)
    assert plan.status == PlanStatus.PUBLISHED and plan.filed_with.name == "示范县二司法局"
    assert DrawRecord.objects.filter(task__agency=market).count() == 1
    inspections = Inspection.objects.filter(task__agency=market)
    statuses = set(inspections.values_list("status", flat=True))
    assert {InspectionStatus.PLANNED, InspectionStatus.DONE} <= statuses
    unfiled = InspectionWarning.objects.filter(
        kind=WarningKind.UNFILED, inspection__party__region_path__contains=f"/{COUNTY2[0]}/"
    )
    assert unfiled.exists()


def test_demo_supervisor2_has_supervision_work_of_its_own_county(demo_county: Any) -> None:
    from zhifa.supervision.models import Flag, Instrument, Problem

    supervisor2 = _user("demo_supervisor2")
    problems = Problem.objects.filter(agency__region__code=COUNTY2[0])
    assert problems.count() >= 2 and set(problems.values_list("opened_by", flat=True)) == {supervisor2.pk}
    assert Instrument.objects.filter(agency__region__code=COUNTY2[0]).exists()
    assert Flag.objects.filter(region_path__contains=f"/{COUNTY2[0]}/").exists()


# --- the login and the scopes ----------------------------------------------------------------------------------------


def test_demo_supervisor2_is_a_region_supervisor_of_the_second_county(demo_county: Any) -> None:
    assert "demo_supervisor2" in PASSWORDS
    grants = perms.grants(_user("demo_supervisor2"))
    county = Region.objects.get(code=COUNTY2[0])
    assert [(g.role, g.scope, g.region_path) for g in grants] == [
        (Role.SUPERVISOR, ScopeKind.REGION, county.path)
    ]


def test_demo_supervisor2_logs_in_and_lands_on_its_workbench(demo_county: Any) -> None:
    client = Client()
    response = client.post(
        reverse("login"), {"username": "demo_supervisor2", "password": PASSWORDS["demo_supervisor2"]}
    )
    assert response.status_code == 302 and response["Location"] == reverse("core:workbench")
    html = client.get(response["Location"]).content.decode()
    assert "工作台" in html and _user("demo_supervisor2").full_name in html
    assert "演示数据，纯属虚构" in html and 'data-stat="执法主体"' in html
    chart = json.loads(re.search(r'<script id="chart-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert chart["labels"] and all(label.startswith("示县二") for label in chart["labels"])
    queue = client.get(reverse("supervision:queue"))
    assert queue.status_code == 200 and "data-flag=" in queue.content.decode()


def test_city_supervisor_sees_both_counties_cases(demo_county: Any) -> None:
    city = _user("demo_city_supervisor")
    visible = perms.scoped(city, VIEW_CASE, Case.objects.all())
    county1, county2 = _cases(COUNTY[0]), _cases(COUNTY2[0])
    assert county1.exists() and county2.exists()
    assert set(visible.values_list("pk", flat=True)) >= set(county1.values_list("pk", flat=True)) | set(
        county2.values_list("pk", flat=True)
    )
    assert perms.can(city, VIEW_CASE, county1.first()) and perms.can(city, VIEW_CASE, county2.first())
    assert party_search(city).count() == Party.objects.count()


def test_each_county_supervisor_sees_only_its_own_county(demo_county: Any) -> None:
    for username, own, other in (
        ("demo_supervisor", COUNTY[0], COUNTY2[0]),
        ("demo_supervisor2", COUNTY2[0], COUNTY[0]),
    ):
        user = _user(username)
        cases = perms.scoped(user, VIEW_CASE, Case.objects.all())
        assert set(cases.values_list("pk", flat=True)) == set(_cases(own).values_list("pk", flat=True))
        officers = perms.scoped(user, perms.VIEW_OFFICER, Officer.objects.all())
        assert officers.exists(), username
        assert not officers.exclude(agency__region__path__contains=f"/{own}/").exists(), username
        parties = party_search(user)
        assert parties.exists() and not parties.exclude(region_path__contains=f"/{own}/").exists()
        assert not Party.objects.filter(
            region_path__contains=f"/{other}/", pk__in=parties.values("pk")
        ).exists()


@pytest.mark.parametrize(
    ("username", "other"), [("demo_supervisor", COUNTY2[0]), ("demo_supervisor2", COUNTY[0])]
)
def test_a_county_supervisor_is_refused_the_other_countys_case(
    demo_county: Any, username: str, other: str
) -> None:
    user = _user(username)
    own = COUNTY[0] if other == COUNTY2[0] else COUNTY2[0]
    theirs, mine = _cases(other).order_by("id").first(), _cases(own).order_by("id").first()
    assert not perms.can(user, VIEW_CASE, theirs)
    assert perms.can(user, VIEW_CASE, mine)
    client = _login(username)
    assert client.get(reverse("cases:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("cases:detail", args=[mine.pk])).status_code == 200
    officer = Officer.objects.filter(agency__region__code=other).order_by("id").first()
    assert not perms.can(user, perms.VIEW_OFFICER, officer)
    assert client.get(reverse("org:officer_detail", args=[officer.pk])).status_code == 404


def test_demo_command_lists_the_second_countys_login(
    demo_county: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command

    call_command("zhifa_demo", "--scale", "0.05", "--quiet")
    out = capsys.readouterr().out
    assert "demo_supervisor2 / Demo@2026" in out and "示范县二" in out
