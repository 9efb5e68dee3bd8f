"""The org API: each endpoint's allowed and refused side, scope as 404, masking, keyset pagination."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhifa.core import clock
from zhifa.core.validators import resident_id_with_check, uscc_with_check
from zhifa.org.models import (
    Agency,
    Certificate,
    CertificateStatus,
    Domain,
    Officer,
    Party,
    PartyKind,
    PreJobExam,
    Region,
    RegionLevel,
    Role,
    RoleAssignment,
    ScopeKind,
    TrainingKind,
    TrainingRecord,
    User,
)
from zhifa.org.tokens import token_create

pytestmark = pytest.mark.django_db

BASE = "/api/org"
EXTRA_PARTIES = 23  # with the fixed ones: several pages at limit=7


def uscc(n: int) -> str:
    return uscc_with_check(f"91330102MA{n:07d}")


def resident_id(n: int, birth: str = "19850315") -> str:
    return resident_id_with_check(f"330102{birth}{n:03d}")


@dataclass
class World:
    """Two counties of one city; county A has a market agency, a housing agency and its justice bureau."""

    regions: dict[str, Region] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    officers: dict[str, Officer] = field(default_factory=dict)
    certificates: dict[str, Certificate] = field(default_factory=dict)
    parties: dict[str, Party] = field(default_factory=dict)
    full_ids: list[str] = field(default_factory=list)

    def client(self, user: str | None = None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(self.users[user])
        return client

    def token_client(self, user: str) -> Client:
        _, key = token_create(self.users[user], "test")
        return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _user(world: World, name: str, role: str | None = None, **scope: Any) -> User:
    user = User.objects.create_user(username=name, password="Zhifa@2026x", full_name=name)
    if role:
        RoleAssignment.objects.create(user=user, role=role, **scope)
    world.users[name] = user
    return user


@pytest.fixture
def world(db: Any) -> World:
    w = World()
    province = Region.objects.create(code="330000", name="示省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(code="330100", name="示市", level=RegionLevel.CITY, parent=province)
    county_a = Region.objects.create(code="330102", name="甲县", level=RegionLevel.COUNTY, parent=city)
    county_b = Region.objects.create(code="330103", name="乙县", level=RegionLevel.COUNTY, parent=city)
    w.regions = {"province": province, "city": city, "a": county_a, "b": county_b}
    market = Domain.objects.get(code="market")
    housing = Domain.objects.get(code="housing")

    def agency(key: str, name: str, region: Region, n: int, *domains: Domain, **kw: Any) -> Agency:
        a = Agency.objects.create(name=name, uscc=uscc(n), region=region, **kw)
        a.domains.set(domains)
        w.agencies[key] = a
        return a

    a1 = agency("a1", "甲县市场监督管理局", county_a, 1, market)
    a2 = agency("a2", "甲县住房和城乡建设局", county_a, 2, housing)
    agency("ja", "甲县司法局", county_a, 3, is_supervision_organ=True)
    b1 = agency("b1", "乙县市场监督管理局", county_b, 4, market)

    w.officers["a1"] = Officer.objects.create(name="张执法", id_number=resident_id(1), agency=a1, post="科员")
    w.officers["a1b"] = Officer.objects.create(name="李执法", id_number=resident_id(2), agency=a1)
    w.officers["a2"] = Officer.objects.create(name="王建设", id_number=resident_id(3), agency=a2)
    w.officers["b1"] = Officer.objects.create(name="赵乙县", id_number=resident_id(4), agency=b1)

    today = clock.today()
    for key, number, expires in (
        ("a1", "ZJ-A1-0001", today + dt.timedelta(days=400)),
        ("a1b", "ZJ-A1-0002", today + dt.timedelta(days=10)),
        ("b1", "ZJ-B1-0001", today + dt.timedelta(days=400)),
    ):
        cert = Certificate.objects.create(
            officer=w.officers[key],
            number=number,
            issuer="示市人民政府",
            issued_on=today - dt.timedelta(days=100),
            expires_on=expires,
        )
        cert.domains.set([market])
        w.certificates[key] = cert

    w.parties["a_company"] = Party.objects.create(
        kind=PartyKind.LEGAL_PERSON,
        name="甲县示范食品有限公司",
        uscc=uscc(101),
        region=county_a,
        credit_class="A",
    )
    w.parties["a_person"] = Party.objects.create(
        kind=PartyKind.NATURAL_PERSON, name="孙某", id_number=resident_id(5, "19900101"), region=county_a
    )
    w.parties["b_company"] = Party.objects.create(
        kind=PartyKind.LEGAL_PERSON,
        name="乙县示范建材有限公司",
        uscc=uscc(102),
        region=county_b,
        credit_class="C",
    )
    Party.objects.bulk_create(
        Party(
            kind=PartyKind.INDIVIDUAL_BUSINESS,
            name=f"甲县个体户{i:02d}",
            uscc=uscc(200 + i),
            region=county_a,
            region_path=county_a.path,
        )
        for i in range(EXTRA_PARTIES)
    )

    _user(w, "admin", Role.ADMIN, scope=ScopeKind.REGION, region=province)
    _user(w, "officer_a1", Role.OFFICER, scope=ScopeKind.OWN_AGENCY, agency=a1)
    w.officers["a1"].user = w.users["officer_a1"]
    w.officers["a1"].save(update_fields=["user"])
    _user(w, "head_a1", Role.AGENCY_HEAD, scope=ScopeKind.OWN_AGENCY, agency=a1)
    _user(w, "supervisor_a", Role.SUPERVISOR, scope=ScopeKind.REGION, region=county_a)
    _user(w, "enterprise", Role.ENTERPRISE, scope=ScopeKind.PARTY, party=w.parties["a_company"])
    _user(w, "nobody")
    w.full_ids = [o.id_number for o in w.officers.values()] + [w.parties["a_person"].id_number]
    return w


def get(client: Client, path: str, **params: Any) -> Any:
    return client.get(BASE + path, params)


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(BASE + path, json.dumps(body), content_type="application/json")


def patch(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.patch(BASE + path, json.dumps(body), content_type="application/json")


def assert_error(response: Any, status: int, code: str | None = None, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert {"code", "message", "message_en"} <= set(body)
    if code is not None:
        assert body["code"] == code
    if field is not None:
        assert body["field"] == field
    return body


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


# --- authentication ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/regions", "/agencies", "/officers", "/certificates", "/parties", "/officers/1/training"]
)
def test_every_endpoint_refuses_anonymous_callers_with_401(world: World, path: str) -> None:
    assert_error(get(world.client(), path), 401, "not_authenticated")


def test_anonymous_write_is_401_not_a_csrf_403(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    assert_error(post(client, "/parties", {"kind": "legal_person"}), 401, "not_authenticated")


def test_token_header_authenticates_reads_and_writes(world: World) -> None:
    client = world.token_client("admin")
    assert get(client, "/agencies").status_code == 200
    response = post(
        client,
        "/parties",
        {"kind": "legal_person", "name": "令牌公司", "uscc": uscc(900), "region_code": "330102"},
    )
    assert response.status_code == 201, response.content


def test_token_writes_need_no_csrf_token(world: World) -> None:
    _, key = token_create(world.users["admin"], "script")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {key}")
    response = post(
        client,
        "/parties",
        {"kind": "legal_person", "name": "脚本公司", "uscc": uscc(901), "region_code": "330102"},
    )
    assert response.status_code == 201, response.content


def test_session_writes_still_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["admin"])
    response = post(
        client,
        "/parties",
        {"kind": "legal_person", "name": "跨站公司", "uscc": uscc(902), "region_code": "330102"},
    )
    assert_error(response, 403)


@pytest.mark.parametrize("header", ["Token not-a-key", "Bearer whatever", "Token "])
def test_wrong_or_malformed_token_is_401(world: World, header: str) -> None:
    assert_error(Client(HTTP_AUTHORIZATION=header).get(BASE + "/agencies"), 401, "not_authenticated")


def test_revoked_token_is_401(world: World) -> None:
    token, key = token_create(world.users["admin"], "old")
    token.revoked = True
    token.save(update_fields=["revoked"])
    assert_error(Client(HTTP_AUTHORIZATION=f"Token {key}").get(BASE + "/agencies"), 401)


def test_a_tokens_last_use_is_written_at_most_once_a_minute(world: World) -> None:
    import datetime as dt

    from zhifa.org.tokens import LAST_USED_RESOLUTION

    token, key = token_create(world.users["admin"], "busy")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(BASE + "/agencies").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert client.get(BASE + "/agencies").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first  # within the minute: no write
    stale = clock.now() - LAST_USED_RESOLUTION - dt.timedelta(seconds=1)
    type(token).objects.filter(pk=token.pk).update(last_used_at=stale)
    assert client.get(BASE + "/agencies").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > stale


def test_logged_in_user_creates_own_token_and_sees_key_once(world: World) -> None:
    response = post(world.client("officer_a1"), "/tokens", {"name": "巡查终端"})
    assert response.status_code == 201, response.content
    body = response.json()
    token_client = Client(HTTP_AUTHORIZATION=f"Token {body['key']}")
    officers = get(token_client, "/officers").json()["items"]
    assert {o["id"] for o in officers} == {world.officers["a1"].pk, world.officers["a1b"].pk}
    stored = world.users["officer_a1"].api_tokens.get(pk=body["id"])
    assert body["key"] not in (stored.key_hash, stored.prefix)
    assert body["key"].startswith(stored.prefix)


def test_a_token_cannot_mint_further_tokens(world: World) -> None:
    assert_error(post(world.token_client("admin"), "/tokens", {"name": "x"}), 401)


def test_token_creation_refuses_anonymous(world: World) -> None:
    assert_error(post(world.client(), "/tokens", {"name": "x"}), 401)


# --- regions --------------------------------------------------------------------------------------------------------


def test_officer_sees_own_county_region_but_not_the_neighbour(world: World) -> None:
    client = world.client("officer_a1")
    codes = {r["code"] for r in get(client, "/regions").json()["items"]}
    assert codes == {"330102"}
    assert get(client, "/regions/330102").json()["parent_code"] == "330100"
    assert_error(get(client, "/regions/330103"), 404, "not_found")


def test_regions_filter_by_level_and_parent(world: World) -> None:
    client = world.client("admin")
    counties = get(client, "/regions", level="county").json()["items"]
    assert {r["code"] for r in counties} == {"330102", "330103"}
    children = get(client, "/regions", parent="330000").json()["items"]
    assert [r["code"] for r in children] == ["330100"]


def test_regions_page_by_code_cursor(world: World) -> None:
    client = world.client("admin")
    first = get(client, "/regions", limit=3).json()
    assert [r["code"] for r in first["items"]] == ["330000", "330100", "330102"]
    second = get(client, "/regions", limit=3, cursor=first["next_cursor"]).json()
    assert [r["code"] for r in second["items"]] == ["330103"]
    assert second["next_cursor"] is None


# --- agencies -------------------------------------------------------------------------------------------------------


def test_county_supervisor_sees_every_agency_of_the_county_but_not_the_neighbours(world: World) -> None:
    client = world.client("supervisor_a")
    a = world.agencies
    assert ids(get(client, "/agencies")) == {a["a1"].pk, a["a2"].pk, a["ja"].pk}
    assert get(client, f"/agencies/{a['a2'].pk}").status_code == 200
    assert_error(get(client, f"/agencies/{a['b1'].pk}"), 404)


def test_officer_sees_only_own_agency(world: World) -> None:
    client = world.client("officer_a1")
    assert ids(get(client, "/agencies")) == {world.agencies["a1"].pk}
    assert_error(get(client, f"/agencies/{world.agencies['a2'].pk}"), 404)


def test_agencies_filter_by_region_domain_and_name(world: World) -> None:
    client = world.client("admin")
    a = world.agencies
    assert ids(get(client, "/agencies", region="330103")) == {a["b1"].pk}
    assert ids(get(client, "/agencies", region="330100")) == {ag.pk for ag in a.values()}
    assert ids(get(client, "/agencies", domain="market")) == {a["a1"].pk, a["b1"].pk}
    assert ids(get(client, "/agencies", q="住房")) == {a["a2"].pk}
    assert ids(get(client, "/agencies", region="999999")) == set()


def test_admin_registers_an_agency(world: World) -> None:
    body = {"name": "甲县应急管理局", "uscc": uscc(5), "region_code": "330102", "domain_codes": ["market"]}
    response = post(world.client("admin"), "/agencies", body)
    assert response.status_code == 201, response.content
    assert response.json()["domains"] == [{"code": "market", "name": "市场监管"}]
    assert Agency.objects.get(uscc=uscc(5)).path == f"/{uscc(5)}/"


def test_agency_head_cannot_register_an_agency(world: World) -> None:
    body = {"name": "甲县应急管理局", "uscc": uscc(5), "region_code": "330102"}
    assert_error(post(world.client("head_a1"), "/agencies", body), 403, "permission_denied")
    assert not Agency.objects.filter(uscc=uscc(5)).exists()


def test_agency_with_a_registered_uscc_is_409(world: World) -> None:
    body = {"name": "重复", "uscc": world.agencies["a1"].uscc, "region_code": "330102"}
    assert_error(post(world.client("admin"), "/agencies", body), 409, "duplicate_uscc", "uscc")


@pytest.mark.parametrize(
    ("change", "field_name", "code"),
    [
        ({"uscc": "91330102MA0000001X"}, "uscc", "invalid_uscc"),
        ({"region_code": "33010"}, "region_code", "invalid_region_code"),
        ({"region_code": "339999"}, "region_code", "invalid_input"),
        ({"domain_codes": ["nonexistent"]}, "domain_codes", "invalid_input"),
    ],
)
def test_agency_with_a_bad_identifier_is_422_naming_the_field(
    world: World, change: dict[str, Any], field_name: str, code: str
) -> None:
    body = {"name": "甲县应急管理局", "uscc": uscc(6), "region_code": "330102", **change}
    error = assert_error(post(world.client("admin"), "/agencies", body), 422, code, field_name)
    assert error["message"] != error["message_en"]


def test_agency_head_updates_own_agency(world: World) -> None:
    a1 = world.agencies["a1"]
    response = patch(
        world.client("head_a1"), f"/agencies/{a1.pk}", {"phone": "0571-1234567", "domain_codes": []}
    )
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "0571-1234567"
    assert response.json()["domains"] == []
    a1.refresh_from_db()
    assert a1.phone == "0571-1234567"


def test_officer_cannot_update_the_agency_403(world: World) -> None:
    a1 = world.agencies["a1"]
    assert_error(patch(world.client("officer_a1"), f"/agencies/{a1.pk}", {"phone": "1"}), 403)


def test_agency_head_cannot_update_another_agency_404(world: World) -> None:
    assert_error(patch(world.client("head_a1"), f"/agencies/{world.agencies['b1'].pk}", {"phone": "1"}), 404)


# --- officers -------------------------------------------------------------------------------------------------------


def test_officer_of_agency_a_cannot_see_agency_b_officers(world: World) -> None:
    client = world.client("officer_a1")
    o = world.officers
    assert ids(get(client, "/officers")) == {o["a1"].pk, o["a1b"].pk}
    assert_error(get(client, f"/officers/{o['b1'].pk}"), 404)
    assert_error(get(client, f"/officers/{o['a2'].pk}"), 404)


def test_county_supervisor_sees_officers_of_every_county_agency_only(world: World) -> None:
    o = world.officers
    assert ids(get(world.client("supervisor_a"), "/officers")) == {o["a1"].pk, o["a1b"].pk, o["a2"].pk}


def test_officers_filter_by_agency_and_name(world: World) -> None:
    client = world.client("admin")
    o = world.officers
    assert ids(get(client, "/officers", agency=world.agencies["a2"].pk)) == {o["a2"].pk}
    assert ids(get(client, "/officers", q="李")) == {o["a1b"].pk}


def test_enterprise_user_sees_no_officers(world: World) -> None:
    assert ids(get(world.client("enterprise"), "/officers")) == set()
    assert_error(get(world.client("enterprise"), f"/officers/{world.officers['a1'].pk}"), 404)


def test_officer_detail_lists_certificates_with_todays_effective_status(world: World) -> None:
    cert = world.certificates["a1b"]
    Certificate.objects.filter(pk=cert.pk).update(expires_on=clock.today() - dt.timedelta(days=1))
    body = get(world.client("officer_a1"), f"/officers/{world.officers['a1b'].pk}").json()
    (out,) = body["certificates"]
    assert out["number"] == "ZJ-A1-0002"
    assert out["status"] == "valid"
    assert out["effective_status"] == "expired"
    assert body["id_number_masked"] == "330102********" + world.officers["a1b"].id_number[-4:]


def test_agency_head_registers_an_officer(world: World) -> None:
    body = {"agency_id": world.agencies["a1"].pk, "name": "钱新人", "id_number": resident_id(50)}
    response = post(world.client("head_a1"), "/officers", body)
    assert response.status_code == 201, response.content
    assert response.json()["certificates"] == []
    assert Officer.objects.filter(id_number=resident_id(50), agency=world.agencies["a1"]).exists()


def test_officer_cannot_register_officers_403(world: World) -> None:
    body = {"agency_id": world.agencies["a1"].pk, "name": "钱新人", "id_number": resident_id(50)}
    assert_error(post(world.client("officer_a1"), "/officers", body), 403)


def test_agency_head_cannot_register_officers_elsewhere_404(world: World) -> None:
    body = {"agency_id": world.agencies["b1"].pk, "name": "钱新人", "id_number": resident_id(50)}
    assert_error(post(world.client("head_a1"), "/officers", body), 404)


@pytest.mark.parametrize("bad", ["330102198503150011", "330102850315001", "12345"])
def test_officer_with_a_bad_resident_id_is_422(world: World, bad: str) -> None:
    body = {"agency_id": world.agencies["a1"].pk, "name": "钱新人", "id_number": bad}
    assert_error(post(world.client("head_a1"), "/officers", body), 422, "invalid_resident_id", "id_number")


def test_officer_with_a_registered_resident_id_is_409(world: World) -> None:
    body = {
        "agency_id": world.agencies["a1"].pk,
        "name": "重复",
        "id_number": world.officers["a1b"].id_number,
    }
    assert_error(post(world.client("head_a1"), "/officers", body), 409, "duplicate_id_number", "id_number")


def test_duplicate_resident_id_is_not_revealed_without_the_right_to_register(world: World) -> None:
    body = {
        "agency_id": world.agencies["a1"].pk,
        "name": "重复",
        "id_number": world.officers["a1b"].id_number,
    }
    assert_error(post(world.client("officer_a1"), "/officers", body), 403)


# --- can-enforce ----------------------------------------------------------------------------------------------------


def test_certified_officer_may_enforce_in_the_certificate_domain(world: World) -> None:
    response = get(
        world.client("officer_a1"), f"/officers/{world.officers['a1'].pk}/can-enforce", domain="market"
    )
    assert response.json() == {"allowed": True, "reasons": [], "certificate_number": "ZJ-A1-0001"}


def test_officer_may_not_enforce_outside_the_certificate_domain(world: World) -> None:
    url = f"/officers/{world.officers['a1'].pk}/can-enforce"
    body = get(world.client("officer_a1"), url, domain="housing").json()
    assert body["allowed"] is False
    assert body["certificate_number"] is None
    assert any("住房城乡建设" in reason for reason in body["reasons"])


def test_officer_may_not_enforce_after_the_certificate_expires(world: World) -> None:
    on = world.certificates["a1b"].expires_on + dt.timedelta(days=1)
    url = f"/officers/{world.officers['a1b'].pk}/can-enforce"
    body = get(world.client("officer_a1"), url, domain="market", on=on.isoformat()).json()
    assert body["allowed"] is False
    assert any("过期" in reason for reason in body["reasons"])


def test_can_enforce_with_an_unknown_domain_is_422(world: World) -> None:
    url = f"/officers/{world.officers['a1'].pk}/can-enforce"
    assert_error(get(world.client("officer_a1"), url, domain="nonexistent"), 422, field="domain")


def test_can_enforce_outside_scope_is_404(world: World) -> None:
    url = f"/officers/{world.officers['b1'].pk}/can-enforce"
    assert_error(get(world.client("officer_a1"), url, domain="market"), 404)


# --- certificates ---------------------------------------------------------------------------------------------------


def test_certificates_are_scoped_and_filtered(world: World) -> None:
    c = world.certificates
    assert ids(get(world.client("supervisor_a"), "/certificates")) == {c["a1"].pk, c["a1b"].pk}
    assert ids(get(world.client("admin"), "/certificates", expiring_within_days=30)) == {c["a1b"].pk}
    assert_error(get(world.client("supervisor_a"), f"/certificates/{c['b1'].pk}"), 404)


def test_certificate_status_filter_uses_the_effective_status(world: World) -> None:
    c = world.certificates
    Certificate.objects.filter(pk=c["a1b"].pk).update(expires_on=clock.today() - dt.timedelta(days=1))
    Certificate.objects.filter(pk=c["b1"].pk).update(status=CertificateStatus.SUSPENDED)
    client = world.client("admin")
    assert ids(get(client, "/certificates", status="valid")) == {c["a1"].pk}
    assert ids(get(client, "/certificates", status="expired")) == {c["a1b"].pk}
    assert ids(get(client, "/certificates", status="suspended")) == {c["b1"].pk}


def test_supervisor_suspends_a_certificate_and_the_history_shows_it(world: World) -> None:
    cert = world.certificates["a1"]
    client = world.client("supervisor_a")
    response = post(client, f"/certificates/{cert.pk}/status", {"kind": "suspend", "reason": "涉嫌违纪"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "suspended"
    events = get(client, f"/certificates/{cert.pk}").json()["events"]
    assert [(e["kind"], e["to_status"], e["reason"]) for e in events] == [
        ("suspend", "suspended", "涉嫌违纪")
    ]
    assert events[0]["actor"] == "supervisor_a"


def test_officer_cannot_change_certificate_status_403(world: World) -> None:
    cert = world.certificates["a1"]
    response = post(
        world.client("officer_a1"), f"/certificates/{cert.pk}/status", {"kind": "revoke", "reason": "x"}
    )
    assert_error(response, 403)
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID


def test_supervisor_of_another_county_gets_404_for_the_certificate(world: World) -> None:
    cert = world.certificates["b1"]
    response = post(
        world.client("supervisor_a"), f"/certificates/{cert.pk}/status", {"kind": "suspend", "reason": "x"}
    )
    assert_error(response, 404)


def test_reinstating_a_valid_certificate_is_409(world: World) -> None:
    cert = world.certificates["a1"]
    response = post(
        world.client("admin"), f"/certificates/{cert.pk}/status", {"kind": "reinstate", "reason": "x"}
    )
    assert_error(response, 409, "certificate_bad_transition")


@pytest.mark.parametrize("body", [{"kind": "explode", "reason": "x"}, {"kind": "suspend", "reason": ""}])
def test_certificate_status_with_bad_input_is_422(world: World, body: dict[str, str]) -> None:
    cert = world.certificates["a1"]
    assert_error(post(world.client("admin"), f"/certificates/{cert.pk}/status", body), 422)


def test_annual_review_once_per_year(world: World) -> None:
    cert = world.certificates["a1"]
    client = world.client("supervisor_a")
    url = f"/certificates/{cert.pk}/annual-review"
    first = post(client, url, {"year": 2026, "passed": True})
    assert first.status_code == 200, first.content
    assert first.json()["last_reviewed_year"] == 2026
    assert_error(post(client, url, {"year": 2026, "passed": True}), 409, "certificate_already_reviewed")


def test_failed_annual_review_suspends(world: World) -> None:
    cert = world.certificates["a1"]
    response = post(
        world.client("admin"), f"/certificates/{cert.pk}/annual-review", {"year": 2026, "passed": False}
    )
    assert response.json()["status"] == "suspended"


def test_agency_head_cannot_review_certificates_403(world: World) -> None:
    cert = world.certificates["a1"]
    response = post(
        world.client("head_a1"), f"/certificates/{cert.pk}/annual-review", {"year": 2026, "passed": True}
    )
    assert_error(response, 403)


def test_supervisor_issues_a_certificate(world: World) -> None:
    today = clock.today()
    body = {
        "officer_id": world.officers["a2"].pk,
        "number": "ZJ-A2-0001",
        "issuer": "示市人民政府",
        "domain_codes": ["housing"],
        "issued_on": today.isoformat(),
        "expires_on": (today + dt.timedelta(days=365)).isoformat(),
    }
    # Seed 004: 未经培训考试合格，不得取得行政执法证件 — refused (409) before a passed pre-job exam.
    assert_error(post(world.client("supervisor_a"), "/certificates", body), 409, "prejob_exam_missing")
    officer = world.officers["a2"]
    PreJobExam.objects.create(
        officer=officer,
        trained_by=officer.agency,
        training_hours=40,
        exam_on=today,
        score=80,
        passed=True,
        recorded_by=User.objects.filter(is_superuser=False).first() or User.objects.first(),
    )
    response = post(world.client("supervisor_a"), "/certificates", body)
    assert response.status_code == 201, response.content
    assert [e["kind"] for e in response.json()["events"]] == ["issue"]
    assert_error(
        post(world.client("supervisor_a"), "/certificates", body), 409, "duplicate_certificate_number"
    )
    assert_error(
        post(world.client("head_a1"), "/certificates", {**body, "officer_id": world.officers["a1"].pk}), 403
    )


# --- training -------------------------------------------------------------------------------------------------------


def test_training_is_recorded_listed_and_balanced(world: World) -> None:
    officer = world.officers["a1"]
    head = world.client("head_a1")
    year = clock.today().year
    for kind, hours in ((TrainingKind.PUBLIC_LAW, "20.0"), (TrainingKind.BUSINESS, "12.5")):
        body = {"kind": kind, "title": "年度培训", "held_on": f"{year}-03-01", "hours": hours}
        assert post(head, f"/officers/{officer.pk}/training", body).status_code == 201
    listed = get(world.client("officer_a1"), f"/officers/{officer.pk}/training", year=year).json()
    assert len(listed) == 2
    balance = get(world.client("officer_a1"), f"/officers/{officer.pk}/training/balance", year=year).json()
    assert balance["short"] is True
    assert float(balance["law_hours"]) == 20.0
    assert float(balance["business_hours"]) == 12.5
    assert "业务知识" in balance["missing_text"]


def test_officer_cannot_record_training_403(world: World) -> None:
    body = {"kind": "business", "title": "自学", "held_on": "2026-03-01", "hours": "40"}
    assert_error(post(world.client("officer_a1"), f"/officers/{world.officers['a1'].pk}/training", body), 403)
    assert not TrainingRecord.objects.exists()


def test_training_of_an_officer_outside_scope_is_404(world: World) -> None:
    client = world.client("head_a1")
    officer = world.officers["b1"]
    assert_error(get(client, f"/officers/{officer.pk}/training"), 404)
    assert_error(get(client, f"/officers/{officer.pk}/training/balance"), 404)
    body = {"kind": "business", "title": "x", "held_on": "2026-03-01", "hours": "1"}
    assert_error(post(client, f"/officers/{officer.pk}/training", body), 404)


def test_training_with_zero_hours_is_422(world: World) -> None:
    body = {"kind": "business", "title": "x", "held_on": "2026-03-01", "hours": "0"}
    assert_error(post(world.client("head_a1"), f"/officers/{world.officers['a1'].pk}/training", body), 422)


# --- parties --------------------------------------------------------------------------------------------------------


def test_keyset_pagination_returns_every_party_exactly_once(world: World) -> None:
    client = world.client("admin")
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 7} if cursor is None else {"limit": 7, "cursor": cursor}
        page = get(client, "/parties", **params).json()
        assert len(page["items"]) <= 7
        seen.extend(item["id"] for item in page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 4  # 26 parties, 7 a page
    assert len(seen) == len(set(seen))
    assert set(seen) == set(Party.objects.values_list("id", flat=True))
    assert seen == sorted(seen, reverse=True)


def test_party_list_costs_the_same_queries_for_any_page_size(
    world: World, django_assert_num_queries: Any
) -> None:
    client = world.client("admin")
    get(client, "/parties", limit=1)  # warm the session and grants
    with django_assert_num_queries(_queries(client, "/parties", limit=1)):
        get(client, "/parties", limit=50)


def _queries(client: Client, path: str, **params: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        get(client, path, **params)
    return len(ctx.captured_queries)


def test_officer_list_costs_the_same_queries_for_any_page_size(world: World) -> None:
    client = world.client("admin")
    get(client, "/officers", limit=1)
    assert _queries(client, "/officers", limit=1) == _queries(client, "/officers", limit=50)


def test_parties_filter_by_name_uscc_credit_class_and_kind(world: World) -> None:
    client = world.client("admin")
    p = world.parties
    assert ids(get(client, "/parties", q="示范")) == {p["a_company"].pk, p["b_company"].pk}
    assert ids(get(client, "/parties", q=p["b_company"].uscc.lower())) == {p["b_company"].pk}
    assert ids(get(client, "/parties", credit_class="C")) == {p["b_company"].pk}
    assert ids(get(client, "/parties", kind="natural_person")) == {p["a_person"].pk}
    assert_error(get(client, "/parties", credit_class="Z"), 422, field="credit_class")


def test_officer_sees_parties_of_own_county_only(world: World) -> None:
    client = world.client("officer_a1")
    assert world.parties["b_company"].pk not in ids(get(client, "/parties", limit=200))
    assert_error(get(client, f"/parties/{world.parties['b_company'].pk}"), 404)
    assert get(client, f"/parties/{world.parties['a_company'].pk}").status_code == 200


def test_enterprise_user_sees_only_itself(world: World) -> None:
    client = world.client("enterprise")
    assert ids(get(client, "/parties")) == {world.parties["a_company"].pk}
    assert_error(get(client, f"/parties/{world.parties['a_person'].pk}"), 404)


def test_user_without_roles_sees_nothing(world: World) -> None:
    client = world.client("nobody")
    assert ids(get(client, "/parties")) == set()
    assert ids(get(client, "/agencies")) == set()
    assert_error(get(client, f"/parties/{world.parties['a_company'].pk}"), 404)


def test_officer_registers_a_party_in_own_county(world: World) -> None:
    body = {
        "kind": "legal_person",
        "name": " 甲县新开公司 ",
        "uscc": uscc(300).lower(),
        "region_code": "330102",
    }
    response = post(world.client("officer_a1"), "/parties", body)
    assert response.status_code == 201, response.content
    assert response.json()["uscc"] == uscc(300)
    assert response.json()["name"] == "甲县新开公司"


def test_officer_cannot_register_a_party_in_another_county_403(world: World) -> None:
    body = {"kind": "legal_person", "name": "乙县新开公司", "uscc": uscc(301), "region_code": "330103"}
    assert_error(post(world.client("officer_a1"), "/parties", body), 403)
    assert not Party.objects.filter(uscc=uscc(301)).exists()


def test_enterprise_user_cannot_register_parties_403(world: World) -> None:
    body = {"kind": "legal_person", "name": "x", "uscc": uscc(302), "region_code": "330102"}
    assert_error(post(world.client("enterprise"), "/parties", body), 403)


def test_party_with_a_registered_uscc_is_409(world: World) -> None:
    body = {
        "kind": "legal_person",
        "name": "冒名公司",
        "uscc": world.parties["a_company"].uscc,
        "region_code": "330102",
    }
    assert_error(post(world.client("admin"), "/parties", body), 409, "duplicate_uscc", "uscc")


@pytest.mark.parametrize(
    ("change", "field_name", "code"),
    [
        ({"uscc": "91330102MA00001010"}, "uscc", "invalid_uscc"),
        ({"uscc": "not a code"}, "uscc", "invalid_uscc"),
        (
            {"kind": "natural_person", "uscc": "", "id_number": "330102199001010000"},
            "id_number",
            "invalid_resident_id",
        ),
        ({"region_code": "3301020"}, "region_code", "invalid_region_code"),
        ({"region_code": "339999"}, "region_code", "invalid_input"),
        ({"uscc": ""}, "uscc", "invalid_input"),
    ],
)
def test_party_with_a_bad_identifier_is_422_naming_the_field(
    world: World, change: dict[str, Any], field_name: str, code: str
) -> None:
    body = {"kind": "legal_person", "name": "某公司", "uscc": uscc(303), "region_code": "330102", **change}
    error = assert_error(post(world.client("admin"), "/parties", body), 422, code, field_name)
    assert error["message"] and error["message_en"]


def test_natural_person_detail_masks_the_id_number(world: World) -> None:
    person = world.parties["a_person"]
    response = get(world.client("admin"), f"/parties/{person.pk}")
    assert response.json()["id_number_masked"] == person.id_number[:6] + "*" * 8 + person.id_number[-4:]
    assert person.id_number not in response.content.decode()


def test_party_import_creates_rows_from_a_csv(world: World) -> None:
    csv = f"类型,名称,统一社会信用代码,区划代码\n法人及其他组织,导入公司一,{uscc(400)},330102\n法人及其他组织,导入公司二,{uscc(401)},330102\n"
    upload = SimpleUploadedFile("parties.csv", csv.encode("utf-8"), content_type="text/csv")
    response = world.client("admin").post(BASE + "/parties/import", {"file": upload})
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    assert Party.objects.filter(uscc__in=[uscc(400), uscc(401)]).count() == 2


def test_party_import_with_a_bad_row_writes_nothing_and_is_422(world: World) -> None:
    csv = f"类型,名称,统一社会信用代码,区划代码\n法人及其他组织,导入公司一,{uscc(402)},330102\n法人及其他组织,坏公司,91330102MA00001010,330102\n"
    upload = SimpleUploadedFile("parties.csv", csv.encode("utf-8"), content_type="text/csv")
    response = world.client("admin").post(BASE + "/parties/import", {"file": upload})
    body = assert_error(response, 422, "import_rejected", "file")
    assert body["details"]["errors"][0]["row"] == 3
    assert not Party.objects.filter(uscc=uscc(402)).exists()


def test_party_import_needs_the_import_right_403(world: World) -> None:
    csv = f"类型,名称,统一社会信用代码,区划代码\n法人及其他组织,导入公司一,{uscc(403)},330102\n"
    upload = SimpleUploadedFile("parties.csv", csv.encode("utf-8"), content_type="text/csv")
    assert_error(world.client("officer_a1").post(BASE + "/parties/import", {"file": upload}), 403)


# --- masking everywhere ---------------------------------------------------------------------------------------------


def test_no_response_ever_contains_a_full_resident_id(world: World) -> None:
    """Walk every read endpoint (and the writes that echo a person) as the widest user; no full ID appears."""
    client = world.client("admin")
    new_id = resident_id(77)
    bodies = [
        post(
            client, "/officers", {"agency_id": world.agencies["a1"].pk, "name": "新人", "id_number": new_id}
        ).content,
        post(
            client,
            "/parties",
            {"kind": "natural_person", "name": "周某", "id_number": resident_id(78), "region_code": "330102"},
        ).content,
    ]
    full_ids = [*world.full_ids, new_id, resident_id(78)]
    for path in ("/officers", "/parties", "/certificates", "/agencies", "/regions"):
        bodies.append(get(client, path, limit=200).content)
    for officer in Officer.objects.all():
        bodies.append(get(client, f"/officers/{officer.pk}").content)
        bodies.append(get(client, f"/officers/{officer.pk}/can-enforce", domain="market").content)
    for party in Party.objects.filter(kind=PartyKind.NATURAL_PERSON):
        bodies.append(get(client, f"/parties/{party.pk}").content)
    for cert in Certificate.objects.all():
        bodies.append(get(client, f"/certificates/{cert.pk}").content)
    assert len(bodies) > 10
    for body in bodies:
        text = body.decode()
        for full in full_ids:
            assert full not in text
        assert 'id_number"' not in text  # only id_number_masked is a field


def test_openapi_document_is_served_without_auth(world: World) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/org/parties" in response.json()["paths"]
