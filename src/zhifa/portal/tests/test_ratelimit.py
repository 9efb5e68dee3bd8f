"""Over the rate a client gets 429 (Chinese page / JSON with message_en); oversized queries get 400."""

from __future__ import annotations

from django.test import override_settings


@override_settings(PORTAL_RATE="3/m")
def test_public_pages_answer_429_after_the_limit(world, client):
    statuses = [client.get("/public/flows/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/public/")
    assert response.status_code == 429
    assert "请求过于频繁" in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 60


@override_settings(PORTAL_API_RATE="2/m")
def test_public_api_answers_429_json_after_the_limit(world, client):
    assert [client.get("/api/portal/agencies").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/portal/agencies")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited" and "频繁" in body["message"] and body["message_en"]


@override_settings(PORTAL_RATE="2/m")
def test_limit_is_per_client_ip(world, client):
    for _ in range(2):
        assert client.get("/public/flows/", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get("/public/flows/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/public/flows/", REMOTE_ADDR="10.0.0.2").status_code == 200


@override_settings(PORTAL_RATE="2/m", PORTAL_TRUSTED_PROXY_HEADER="X-Forwarded-For")
def test_trusted_proxy_header_keys_by_the_address_the_proxy_saw(world, client):
    # the proxy appends the real client (last entry); a forged first entry changes nothing
    for forged in ("1.1.1.1", "2.2.2.2"):
        assert client.get("/public/flows/", HTTP_X_FORWARDED_FOR=f"{forged}, 10.9.9.9").status_code == 200
    assert client.get("/public/flows/", HTTP_X_FORWARDED_FOR="3.3.3.3, 10.9.9.9").status_code == 429
    assert client.get("/public/flows/", HTTP_X_FORWARDED_FOR="10.9.9.8").status_code == 200


@override_settings(PORTAL_RATE="2/m")
def test_staff_pages_are_not_rate_limited(world, client):
    client.force_login(world.head)
    assert all(client.get("/workbench/").status_code == 200 for _ in range(4))


def test_oversized_query_string_is_400(world, client):
    assert client.get("/api/portal/agencies?x=" + "a" * 5000).status_code == 400
    assert client.get("/api/portal/agencies?x=" + "a" * 5000).json()["code"] == "query_too_long"
    assert client.get("/public/?x=" + "a" * 5000).status_code == 400
