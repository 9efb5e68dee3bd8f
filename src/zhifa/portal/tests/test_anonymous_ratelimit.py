"""One rate limit for everything anonymous, pages and API alike, and a per-IP limit on login attempts: 429
with Retry-After (issue 18). Rates per hour in these tests, so that no window ends in the middle of one."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from zhifa.org.tokens import token_create

pytestmark = pytest.mark.django_db


def _assert_429(response: Any, *, api: bool) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    if api:
        assert response.json()["code"] == "rate_limited"
        assert response.json()["message_en"]
    else:
        assert "请求过于频繁" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/api/search/?q=%E7%BD%9A%E6%AC%BE",
        "/api/disclosure/public/decisions",
        "/api/complaints/track/NOSUCHCODE1",
        "/api/portal/agencies",
    ],
)
@override_settings(PORTAL_API_RATE="2/h")
def test_every_anonymous_api_endpoint_answers_429_over_the_rate(world: Any, path: str) -> None:
    client = Client()
    for _ in range(2):
        assert client.get(path).status_code != 429
    _assert_429(client.get(path), api=True)


@pytest.mark.parametrize("path", ["/accounts/login/", "/public/", "/complaints/submit/"])
@override_settings(PORTAL_RATE="2/h")
def test_every_anonymous_page_answers_429_over_the_rate(world: Any, path: str) -> None:
    client = Client()
    for _ in range(2):
        assert client.get(path).status_code != 429
    _assert_429(client.get(path), api=False)


@override_settings(PORTAL_API_RATE="2/h")
def test_the_api_rate_is_shared_by_every_anonymous_endpoint(world: Any) -> None:
    client = Client()
    assert client.get("/api/portal/agencies").status_code == 200
    assert client.get("/api/disclosure/public/decisions").status_code == 200
    _assert_429(client.get("/api/search/?q=x"), api=True)


@override_settings(PORTAL_API_RATE="2/h")
def test_a_token_client_is_not_limited_and_a_bogus_token_is(world: Any) -> None:
    _, key = token_create(world.head, "集成")
    good = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert all(good.get("/api/search/?q=x").status_code == 200 for _ in range(4))
    bogus = Client(HTTP_AUTHORIZATION="Token not-a-key", REMOTE_ADDR="10.1.1.1")
    for _ in range(2):
        bogus.get("/api/search/?q=x")
    _assert_429(bogus.get("/api/search/?q=x"), api=True)


@override_settings(PORTAL_RATE="2/h", PORTAL_API_RATE="2/h")
def test_logged_in_staff_are_not_limited(world: Any) -> None:
    client = Client()
    client.force_login(world.head)
    assert all(client.get("/api/search/?q=x").status_code == 200 for _ in range(4))
    assert all(client.get("/public/").status_code == 200 for _ in range(4))


@override_settings(LOGIN_IP_RATE="3/h", PORTAL_RATE="")
def test_login_attempts_are_limited_per_ip_whatever_the_username(world: Any) -> None:
    client = Client(REMOTE_ADDR="10.2.2.2")
    for n in range(3):
        response = client.post(reverse("login"), {"username": f"probe{n}", "password": "wrong-password"})
        assert response.status_code == 200  # the form again, with its error
    _assert_429(client.post(reverse("login"), {"username": "probe9", "password": "x"}), api=False)
    other = Client(REMOTE_ADDR="10.2.2.3")
    assert other.post(reverse("login"), {"username": "probe9", "password": "x"}).status_code == 200


@override_settings(LOGIN_IP_RATE="3/h", PORTAL_RATE="")
def test_showing_the_login_form_is_not_a_login_attempt(world: Any) -> None:
    client = Client(REMOTE_ADDR="10.2.2.4")
    assert all(client.get(reverse("login")).status_code == 200 for _ in range(5))
