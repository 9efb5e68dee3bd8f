"""The public API answers anonymously, pages by keyset, and shows public data only."""

from __future__ import annotations

from zhifa.org.tests.factories import AgencyFactory


def test_agencies_page_by_keyset_without_login(world, client):
    for i in range(3):
        AgencyFactory(name=f"测县第{i}局", region=world.county)
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/portal/agencies", params).json()
        assert len(body["items"]) <= 2
        seen += [a["id"] for a in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    assert seen == sorted(seen, reverse=True)


def test_api_limit_and_cursor_are_validated(world, client):
    assert client.get("/api/portal/agencies", {"limit": 1000}).status_code == 422
    assert client.get("/api/portal/agencies", {"cursor": "x"}).status_code == 422
    assert client.get("/api/portal/agencies/999999").status_code == 404
    body = client.get("/api/portal/agencies/999999").json()
    assert body["code"] == "agency_not_found" and body["message"] and body["message_en"]


def test_certificate_api_gives_status_and_no_identity_number(world, client):
    officer = world.officers[0]
    cert = officer.certificates.first()
    response = client.get(f"/api/portal/certificates/{cert.number}")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True and body["officer_name"] == officer.name
    assert officer.id_number not in response.content.decode()
    assert client.get("/api/portal/certificates/NOPE0000").status_code == 404
    assert client.get("/api/portal/certificates/%3Cx%3E").status_code == 422


def test_officers_api_lists_valid_certificates_of_an_agency(world, client):
    body = client.get("/api/portal/officers", {"agency_id": world.agency.pk}).json()
    assert {o["number"] for o in body["items"]} == {o.certificates.first().number for o in world.officers}
    expected = {
        o.certificates.first().number: [d.name for d in o.certificates.first().domains.all()]
        for o in world.officers
    }
    assert {o["number"]: o["domains"] for o in body["items"]} == expected
    assert all(o["domains"] for o in body["items"])


def test_devices_api_lists_published_only(world, published_device, client):
    from zhifa.portal import services

    services.device_register(
        world.head,
        agency=world.agency,
        kind="noise",
        location="未公布路口",
        purpose="噪声",
        in_use_from=published_device.in_use_from,
    )
    body = client.get("/api/portal/devices").json()
    assert [d["location"] for d in body["items"]] == ["测县人民路与解放路交叉口"]


def test_catalog_api_answers(world, client):
    response = client.get("/api/portal/catalog")
    assert response.status_code == 200
    assert response.json()["next_cursor"] is None
