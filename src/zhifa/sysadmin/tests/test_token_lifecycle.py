"""API tokens expire, are listed and revoked (page and API), and die with a password change, a lockout or a
disabled account (issue 18)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from zhifa.core import clock
from zhifa.org.models import ApiToken, TokenRevokeReason, User
from zhifa.org.tokens import token_create, user_for_token
from zhifa.records.models import LedgerEntry
from zhifa.sysadmin import services
from zhifa.sysadmin.tests.conftest import Two

pytestmark = pytest.mark.django_db

PASSWORD = "Zhifa@2026"
TOKENS = "/api/org/tokens"


def _client(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _fresh(token: ApiToken) -> ApiToken:
    return ApiToken.objects.get(pk=token.pk)


def _entries(action: str) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(action=action))


# --- expiry -----------------------------------------------------------------------------------------------------


def test_a_new_token_expires_ninety_days_after_it_is_made(two: Two) -> None:
    token, _ = token_create(two.user_a, "巡查终端")
    assert abs(token.expires_at - (clock.now() + dt.timedelta(days=90))) < dt.timedelta(seconds=5)


@override_settings(API_TOKEN_DAYS=7)
def test_the_validity_is_a_setting(two: Two) -> None:
    token, _ = token_create(two.user_a, "短期")
    assert abs(token.expires_at - (clock.now() + dt.timedelta(days=7))) < dt.timedelta(seconds=5)


def test_an_expired_token_is_401(two: Two) -> None:
    token, key = token_create(two.user_a, "旧")
    assert _client(key).get(TOKENS).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=clock.now() - dt.timedelta(seconds=1))
    response = _client(key).get(TOKENS)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_token_works_until_its_expiry(two: Two) -> None:
    token, key = token_create(two.user_a, "将到期")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=clock.now() + dt.timedelta(minutes=1))
    assert user_for_token(key) == two.user_a


# --- list and revoke through the API ----------------------------------------------------------------------------


def test_a_user_lists_own_tokens_and_never_a_key(two: Two) -> None:
    mine, key = token_create(two.user_a, "巡查终端")
    token_create(two.user_b, "乙县终端")
    body = _client(key).get(TOKENS).json()
    assert [t["id"] for t in body["items"]] == [mine.pk]
    item = body["items"][0]
    assert item["state"] == "active" and item["state_label"] == "有效"
    assert item["prefix"] == mine.prefix and "key" not in item and key not in str(body)
    assert item["expires_at"] is not None


def test_an_admin_lists_the_tokens_of_the_accounts_in_scope(two: Two) -> None:
    in_scope, _ = token_create(two.user_a, "甲县终端")
    token_create(two.user_b, "乙县终端")
    _, admin_key = token_create(two.admin_a, "管理")
    ids = {t["id"] for t in _client(admin_key).get(TOKENS).json()["items"]}
    assert in_scope.pk in ids
    assert not ApiToken.objects.filter(pk__in=ids, user=two.user_b).exists()
    own = _client(admin_key).get(TOKENS, {"mine": "true"}).json()["items"]
    assert {t["username"] for t in own} == {"admin_a"}


def test_the_owner_revokes_own_token_through_the_api_and_it_is_401_after(two: Two) -> None:
    token, key = token_create(two.user_a, "巡查终端")
    response = _client(key).delete(f"{TOKENS}/{token.pk}")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "revoked"
    assert response.json()["revoked_reason_label"] == "本人吊销"
    assert _fresh(token).revoked_reason == TokenRevokeReason.OWNER
    (entry,) = _entries("api_token.revoke")
    assert entry.actor_id == two.user_a.pk
    assert _client(key).get(TOKENS).status_code == 401


def test_an_admin_revokes_a_managed_accounts_token_through_the_api(two: Two) -> None:
    token, _ = token_create(two.user_a, "巡查终端")
    _, admin_key = token_create(two.admin_a, "管理")
    assert _client(admin_key).delete(f"{TOKENS}/{token.pk}").status_code == 200
    assert _fresh(token).revoked_reason == TokenRevokeReason.ADMIN


def test_a_token_outside_the_scope_is_404_and_stays(two: Two) -> None:
    theirs, _ = token_create(two.user_b, "乙县终端")
    _, key = token_create(two.user_a, "巡查终端")
    _, admin_key = token_create(two.admin_a, "管理")
    for client in (_client(key), _client(admin_key)):
        response = client.delete(f"{TOKENS}/{theirs.pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert not _fresh(theirs).revoked
    assert _entries("api_token.revoke") == []


def test_revoking_a_revoked_token_is_refused(two: Two) -> None:
    token, key = token_create(two.user_a, "巡查终端")
    _, other = token_create(two.user_a, "备用")
    assert _client(key).delete(f"{TOKENS}/{token.pk}").status_code == 200
    response = _client(other).delete(f"{TOKENS}/{token.pk}")
    assert response.status_code == 409
    assert response.json()["code"] == "already_revoked"
    assert len(_entries("api_token.revoke")) == 1


def test_the_list_filters_by_state(two: Two) -> None:
    live, key = token_create(two.user_a, "有效")
    old, _ = token_create(two.user_a, "过期")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=clock.now() - dt.timedelta(days=1))
    states = {
        s: [t["id"] for t in _client(key).get(TOKENS, {"state": s}).json()["items"]]
        for s in ("active", "expired")
    }
    assert states == {"active": [live.pk], "expired": [old.pk]}


# --- revoked with the password, the lockout, the disabled account -----------------------------------------------


def test_a_password_change_on_the_page_revokes_every_token(two: Two) -> None:
    first, key = token_create(two.user_a, "巡查终端")
    second, _ = token_create(two.user_a, "备用")
    untouched, _ = token_create(two.user_b, "乙县终端")
    client = Client()
    client.force_login(two.user_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Xin-Mima#2026", "new_password2": "Xin-Mima#2026"},
    )
    assert response.status_code == 302, response.content
    assert {_fresh(first).revoked_reason, _fresh(second).revoked_reason} == {TokenRevokeReason.PASSWORD}
    assert not _fresh(untouched).revoked
    (entry,) = _entries("api_token.revoke_all")
    assert json.loads(entry.changes) == {"reason": "password", "tokens_revoked": 2}
    assert _client(key).get(TOKENS).status_code == 401


def test_a_password_set_anywhere_revokes_the_tokens(two: Two) -> None:
    token, _ = token_create(two.user_a, "巡查终端")
    user = User.objects.get(pk=two.user_a.pk)
    user.set_password("Another#Pass2026")
    user.save()
    assert _fresh(token).revoked


def test_a_save_without_a_new_password_revokes_nothing(two: Two) -> None:
    token, _ = token_create(two.user_a, "巡查终端")
    user = User.objects.get(pk=two.user_a.pk)
    user.full_name = "改名"
    user.save()
    assert not _fresh(token).revoked
    assert _entries("api_token.revoke_all") == []


def test_a_lockout_revokes_every_token(two: Two) -> None:
    token, key = token_create(two.user_a, "巡查终端")
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "officer_a", "password": "wrong-password"})
    assert _fresh(token).revoked_reason == TokenRevokeReason.LOCKED
    (entry,) = _entries("api_token.revoke_all")
    assert json.loads(entry.changes)["reason"] == "locked"
    assert _client(key).get(TOKENS).status_code == 401


def test_failed_logins_below_the_limit_revoke_nothing(two: Two) -> None:
    token, _ = token_create(two.user_a, "巡查终端")
    client = Client()
    for _ in range(4):
        client.post(reverse("login"), {"username": "officer_a", "password": "wrong-password"})
    assert not _fresh(token).revoked


def test_disabling_an_account_revokes_its_tokens_and_enabling_revives_none(two: Two) -> None:
    token, key = token_create(two.user_a, "巡查终端")
    services.account_set_active(actor=two.admin_a, user=two.user_a, active=False)
    assert _fresh(token).revoked_reason == TokenRevokeReason.DISABLED
    (entry,) = _entries("account.disable")
    assert json.loads(entry.changes) == {"is_active": [True, False], "tokens_revoked": 1}
    services.account_set_active(actor=two.admin_a, user=User.objects.get(pk=two.user_a.pk), active=True)
    assert _fresh(token).revoked
    assert _client(key).get(TOKENS).status_code == 401


# --- the administrator's pages ----------------------------------------------------------------------------------


def test_the_token_page_shows_expiry_state_and_reason(two: Two) -> None:
    token_create(two.user_a, "有效的令牌")
    old, _ = token_create(two.user_a, "过期的令牌")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=clock.now() - dt.timedelta(days=1))
    gone, _ = token_create(two.user_a, "吊销的令牌")
    services.token_revoke(actor=two.admin_a, token=gone)
    client = Client()
    client.force_login(two.admin_a)
    html = client.get(reverse("sysadmin:token_list")).content.decode()
    assert "到期时间" in html and "已过期" in html and "管理员吊销" in html
    expired = client.get(reverse("sysadmin:token_list"), {"state": "expired"}).content.decode()
    assert "过期的令牌" in expired and "有效的令牌" not in expired
    assert "onclick" not in html  # the confirmation is data-confirm (CSP: no inline handlers)
