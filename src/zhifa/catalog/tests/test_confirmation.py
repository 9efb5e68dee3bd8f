"""主体资格确认: the agency asks, the judicial bureau of its region confirms or returns; only a confirmed 权责清单 is
public, as of any date; after 31 March an agency without its confirmations is flagged."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from zhifa.catalog import selectors, services
from zhifa.catalog.models import Confirmation, ConfirmationState
from zhifa.catalog.tests.helpers import add_item
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import AgencyFactory, UserFactory, grant
from zhifa.records.models import LedgerEntry
from zhifa.records.tests.readable import readable


def _request(world: Any, kind: str = "catalog", year: int = 2025, **kw: Any) -> Confirmation:
    return services.confirmation_request(
        actor=world.head,
        agency=world.agency,
        year=year,
        kind=kind,
        on=kw.pop("on", dt.date(2025, 3, 1)),
        **kw,
    )


def _confirm(sup: Any, row: Confirmation, on: dt.date = dt.date(2025, 3, 20)) -> Confirmation:
    return services.confirmation_confirm(actor=sup.county_sup, confirmation=row, remarks="予以确认", on=on)


def test_a_confirmed_catalog_is_public_with_the_bureau_and_date_and_on_the_ledger(world, sup, catalog):
    row = _request(world)
    assert set(row.items.values_list("code", flat=True)) == {"T-CF-001", "T-CF-002", "T-JC-001"}
    assert not selectors.confirmed_catalog(agency=world.agency, on=dt.date(2025, 3, 1)).exists()
    done = _confirm(sup, row)
    assert done.state == ConfirmationState.CONFIRMED
    assert done.bureau == sup.justice and done.bureau_name == "测县司法局"
    assert selectors.confirmed_catalog(agency=world.agency, on=dt.date(2025, 3, 1)).count() == 3
    actions = list(
        LedgerEntry.objects.filter(object_type="catalog.confirmation", object_id=str(row.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["catalog.confirmation_request", "catalog.confirmation_confirm"]


def test_a_version_registered_after_the_request_is_not_public_until_confirmed_again(world, sup, catalog):
    _confirm(sup, _request(world))
    add_item(world, "T-CF-009", name="后登记的事项", start=dt.date(2025, 1, 1))
    codes = set(
        selectors.confirmed_catalog(agency=world.agency, on=dt.date(2025, 4, 1)).values_list(
            "code", flat=True
        )
    )
    assert "T-CF-009" not in codes and "T-CF-002" in codes


def test_a_bureau_of_another_region_cannot_confirm(world, sup, catalog):
    row = _request(world)
    with pytest.raises(PermissionDenied):
        services.confirmation_confirm(actor=sup.foreign_sup, confirmation=row)
    assert Confirmation.objects.get(pk=row.pk).state == ConfirmationState.REQUESTED


def test_an_agency_cannot_confirm_its_own_request(world, sup, catalog):
    row = _request(world)
    with pytest.raises(PermissionDenied):
        services.confirmation_confirm(actor=world.head, confirmation=row)
    assert Confirmation.objects.get(pk=row.pk).state == ConfirmationState.REQUESTED


def test_a_judicial_bureau_cannot_confirm_itself(world, sup):
    justice_head = UserFactory()
    grant(justice_head, Role.AGENCY_HEAD, agency=sup.justice)
    justice_head = User.objects.get(pk=justice_head.pk)
    row = services.confirmation_request(
        actor=justice_head, agency=sup.justice, year=2025, kind="qualification", on=dt.date(2025, 3, 1)
    )
    with pytest.raises(RuleViolation) as refused:
        services.confirmation_confirm(actor=sup.county_sup, confirmation=row, on=dt.date(2025, 3, 2))
    assert refused.value.code == "confirmation_self"
    # the bureau above it (the province's supervisor) may
    done = services.confirmation_confirm(actor=world.supervisor, confirmation=row, on=dt.date(2025, 3, 2))
    assert done.state == ConfirmationState.CONFIRMED and done.bureau_name == "测省司法局"


def test_an_officer_of_the_agency_cannot_confirm_it_even_as_a_supervisor(world, sup, catalog):
    grant(world.officer_user, Role.SUPERVISOR, region=world.county)
    officer = User.objects.get(pk=world.officer_user.pk)
    with pytest.raises(RuleViolation) as refused:
        services.confirmation_confirm(actor=officer, confirmation=_request(world))
    assert refused.value.code == "confirmation_self"


def test_a_request_is_not_made_twice_and_a_returned_one_may_be_made_again(world, sup, catalog):
    row = _request(world)
    with pytest.raises(RuleViolation) as twice:
        _request(world)
    assert twice.value.code == "confirmation_exists"
    with pytest.raises(InvalidInput):
        services.confirmation_return(actor=sup.county_sup, confirmation=row, reason="  ")
    services.confirmation_return(
        actor=sup.county_sup, confirmation=row, reason="缺少条文内容", on=dt.date(2025, 3, 2)
    )
    assert Confirmation.objects.get(pk=row.pk).return_reason == "缺少条文内容"
    again = _request(world, on=dt.date(2025, 3, 3))
    assert again.pk != row.pk and again.state == ConfirmationState.REQUESTED
    with pytest.raises(RuleViolation):
        services.confirmation_return(actor=sup.county_sup, confirmation=row, reason="再退一次")


def test_inspection_qualification_needs_inspection_items(world, sup):
    add_item(world, "T-CF-001")
    with pytest.raises(RuleViolation) as refused:
        _request(world, kind="inspection")
    assert refused.value.code == "confirmation_no_inspection_items"


# --- the 31 March deadline (seed 004) ----------------------------------------------------------------------------


def _flags(fixed_clock: Any, day: dt.date) -> list[Any]:
    fixed_clock(day)
    return [f for f in selectors.late_confirmation_flags(None) if f.agency_id is not None]


def test_no_flag_on_31_march_and_a_flag_from_1_april(world, sup, catalog, fixed_clock):
    assert not [f for f in _flags(fixed_clock, dt.date(2025, 3, 31)) if f.agency_id == world.agency.pk]
    late = [f for f in _flags(fixed_clock, dt.date(2025, 4, 1)) if f.agency_id == world.agency.pk]
    assert len(late) == 1
    assert late[0].key == f"agency:{world.agency.pk}:2025" and late[0].due == dt.date(2025, 3, 31)
    assert "执法主体资格、检查主体资格、权责清单" in late[0].detail
    # the judicial bureau itself is not flagged by its own queue
    assert not [f for f in late if f.agency_id == sup.justice.pk]


def test_the_flag_closes_once_every_required_kind_is_confirmed(world, sup, catalog, fixed_clock):
    for kind in ("qualification", "inspection", "catalog"):
        _confirm(sup, _request(world, kind=kind))
    assert not [f for f in _flags(fixed_clock, dt.date(2025, 4, 1)) if f.agency_id == world.agency.pk]


def test_a_confirmation_on_31_march_is_on_time_and_on_1_april_late(world, sup, catalog):
    on_time = _confirm(sup, _request(world, kind="qualification"), on=dt.date(2025, 3, 31))
    late = _confirm(sup, _request(world, kind="catalog"), on=dt.date(2025, 4, 1))
    changes = {
        e.object_id: json.loads(e.changes)
        for e in LedgerEntry.objects.filter(action="catalog.confirmation_confirm")
    }
    assert changes[str(on_time.pk)]["late"] is False
    assert changes[str(late.pk)]["late"] is True


# --- in public ---------------------------------------------------------------------------------------------------


def _versions(world: Any) -> None:
    add_item(world, "T-CF-001", name="旧版名称", start=dt.date(2025, 1, 1))
    add_item(world, "T-CF-001", name="新版名称", start=dt.date(2025, 7, 1))


def test_an_unconfirmed_catalog_is_hidden_in_public_and_the_page_says_it_awaits(world, sup, client: Client):
    _versions(world)
    page = client.get("/public/catalog/", {"agency": world.agency.pk, "on": "2025-08-01"}).content.decode()
    assert "尚待司法局确认" in page and "新版名称" not in page
    everything = client.get("/public/catalog/", {"on": "2025-08-01"}).content.decode()
    assert "新版名称" not in everything and world.agency.name in everything  # named among those awaiting
    body = client.get("/api/portal/catalog", {"agency_id": world.agency.pk, "on": "2025-08-01"}).json()
    assert body["items"] == []
    item = selectors.item_versions(world.agency, "T-CF-001").first()
    assert client.get(f"/public/catalog/items/{item.pk}/").status_code == 404
    assert client.get(f"/api/portal/catalog/{item.pk}/versions").status_code == 404


def test_the_public_catalog_as_of_a_date_shows_the_version_then_in_force(world, sup, client: Client):
    _versions(world)
    _confirm(sup, _request(world, on=dt.date(2025, 8, 1)), on=dt.date(2025, 8, 2))
    before = client.get("/public/catalog/", {"on": "2025-06-30"}).content.decode()
    assert "旧版名称" in before and "新版名称" not in before
    after = client.get("/public/catalog/", {"on": "2025-07-01"}).content.decode()
    assert "新版名称" in after and "旧版名称" not in after
    api = client.get("/api/portal/catalog", {"on": "2025-06-30", "q": "T-CF-001"}).json()["items"]
    assert [(i["version"], i["effective_to"]) for i in api] == [(1, "2025-06-30")]
    assert api[0]["confirmed_by"] == "测县司法局" and api[0]["confirmed_on"] == "2025-08-02"
    versions = client.get(f"/api/portal/catalog/{api[0]['id']}/versions").json()
    assert [v["name"] for v in versions] == ["新版名称", "旧版名称"]
    item_page = client.get(f"/public/catalog/items/{api[0]['id']}/").content.decode()
    assert "旧版名称" in item_page and "新版名称" in item_page and "测县司法局" in item_page
    agency_page = client.get(f"/public/agencies/{world.agency.pk}/").content.decode()
    assert "测县司法局" in agency_page and "2025-08-02" in agency_page


def test_the_public_catalog_searches_and_exports_csv_and_xlsx(world, sup, catalog, client: Client):
    _confirm(sup, _request(world))
    hit = client.get(
        "/public/catalog/", {"q": "标签瑕疵", "on": "2025-05-01", "kind": "penalty"}
    ).content.decode()
    assert "T-CF-002" in hit and "T-JC-001" not in hit
    csv_body = b"".join(
        client.get("/public/catalog/export.csv", {"on": "2025-05-01"}).streaming_content  # type: ignore[attr-defined]
    ).decode("utf-8-sig")
    assert csv_body.splitlines()[0].startswith("实施主体,事项编码,版本")
    assert "T-JC-001" in csv_body and "测县司法局" in csv_body
    xlsx = client.get("/public/catalog/export.xlsx", {"on": "2025-05-01", "domain": "market"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/public/catalog/", {"on": "2025-13-01"}).status_code == 400
    assert client.get("/public/catalog/", {"domain": "nonsense"}).status_code == 400


# --- pages and API -------------------------------------------------------------------------------------------------


def test_the_agency_requests_and_the_bureau_confirms_through_the_pages(world, sup, catalog, fixed_clock):
    fixed_clock(dt.date(2025, 3, 5))
    head = Client()
    head.force_login(world.head)
    response = head.post(
        "/catalog/confirmations/new/",
        {"agency": world.agency.pk, "year": 2025, "kind": "catalog", "note": ""},
    )
    row = Confirmation.objects.get(agency=world.agency)
    assert response.status_code == 302 and response["Location"] == f"/catalog/confirmations/{row.pk}/"
    bureau = Client()
    bureau.force_login(sup.county_sup)
    queue = bureau.get("/catalog/confirmations/", {"state": "requested"}).content.decode()
    assert world.agency.name in queue
    assert "确认并公布" in bureau.get(f"/catalog/confirmations/{row.pk}/").content.decode()
    assert "确认并公布" not in head.get(f"/catalog/confirmations/{row.pk}/").content.decode()
    bureau.post(f"/catalog/confirmations/{row.pk}/confirm/", {"remarks": "同意"})
    assert Confirmation.objects.get(pk=row.pk).state == ConfirmationState.CONFIRMED
    foreign = Client()
    foreign.force_login(sup.foreign_sup)
    assert foreign.get(f"/catalog/confirmations/{row.pk}/").status_code == 404


def test_the_api_requests_confirms_and_refuses_out_of_scope(world, sup, catalog, fixed_clock):
    fixed_clock(dt.date(2025, 3, 5))
    head = Client()
    head.force_login(world.head)
    created = head.post(
        "/api/catalog/confirmations",
        {"agency_id": world.agency.pk, "year": 2025, "kind": "catalog"},
        content_type="application/json",
    )
    assert created.status_code == 201 and len(created.json()["items"]) == 3
    pk = created.json()["id"]
    refused = head.post(
        "/api/catalog/confirmations",
        {"agency_id": sup.foreign_agency.pk, "year": 2025, "kind": "qualification"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    foreign = Client()
    foreign.force_login(sup.foreign_sup)
    assert (
        foreign.post(
            f"/api/catalog/confirmations/{pk}/confirm", {}, content_type="application/json"
        ).status_code
        == 404
    )
    self_confirm = head.post(f"/api/catalog/confirmations/{pk}/confirm", {}, content_type="application/json")
    assert self_confirm.status_code == 403
    bureau = Client()
    bureau.force_login(sup.county_sup)
    done = bureau.post(
        f"/api/catalog/confirmations/{pk}/confirm", {"remarks": "同意"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["state"] == "confirmed" and done.json()["late"] is False
    public = Client().get("/api/portal/confirmations", {"agency_id": world.agency.pk}).json()["items"]
    assert [(c["kind"], c["bureau_name"], c["confirmed_on"]) for c in public] == [
        ("catalog", "测县司法局", "2025-03-05")
    ]


def test_the_flag_source_costs_three_queries_whatever_the_number_of_agencies(
    world, sup, catalog, fixed_clock, django_assert_num_queries
):
    fixed_clock(dt.date(2025, 4, 1))
    with django_assert_num_queries(3):
        few = list(selectors.late_confirmation_flags(None))
    for _ in range(5):
        AgencyFactory(region=world.county)
    with django_assert_num_queries(3):
        many = list(selectors.late_confirmation_flags(None))
    assert len(many) == len(few) + 5


def test_the_confirmation_records_read_in_chinese(world, sup, catalog):
    row = _confirm(sup, _request(world, kind="catalog"), on=dt.date(2025, 4, 1))
    entries = {
        e.action: json.loads(e.changes)
        for e in LedgerEntry.objects.filter(object_type="catalog.confirmation", object_id=str(row.pk))
    }
    asked = readable("catalog.confirmation_request", entries["catalog.confirmation_request"])
    assert asked["执法主体"] == world.agency.name and asked["确认事项"] == "权责清单"
    assert "T-CF-002 第1版" in asked["申请确认的事项版本"]
    done = readable("catalog.confirmation_confirm", entries["catalog.confirmation_confirm"])
    assert done["确认机关"] == "测县司法局" and done["逾期确认"] == "是" and done["确认期限"] == "2025-03-31"
