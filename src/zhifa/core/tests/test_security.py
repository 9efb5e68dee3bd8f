"""Security baseline (安全基线): password rules, login lockout, idle timeout, forced password change, audit log.

Each rule is proved on both sides: what it refuses and what it still allows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhifa.core.audit import audit
from zhifa.core.errors import PermissionDenied
from zhifa.core.models import AuditEvent, AuditLog
from zhifa.core.sessions import RENEW_AFTER
from zhifa.core.validators import uscc_with_check
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Party, Region, RegionLevel, Role, RoleAssignment, ScopeKind, User

pytestmark = pytest.mark.django_db

PASSWORD = "Zhifa-Test-2024"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def make_user(username: str = "li.si", *, must_change_password: bool = False) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, full_name="李四", must_change_password=must_change_password
    )


def attempt_login(client: Client, username: str, password: str) -> object:
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def move_login_failures_back(minutes: int) -> None:
    """Time travel for django-axes: its failures count only inside the cool-off window."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def error_codes(exc: ValidationError) -> set[str]:
    return {e.code for e in exc.error_list if e.code}


# --- password rules (口令复杂度) -------------------------------------------------------------------------------


def test_password_of_7_characters_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_password("Qz7!kwx")
    assert "password_too_short" in error_codes(caught.value)


def test_password_of_8_characters_with_2_classes_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_password("qzvxkw73")
    assert error_codes(caught.value) == {"password_too_simple"}
    assert "至少 3 类" in caught.value.messages[0]


def test_password_of_8_characters_with_3_classes_is_accepted() -> None:
    validate_password("Qzvxkw73")


# --- login lockout (登录失败锁定) ------------------------------------------------------------------------------


def test_wrong_password_is_refused_and_right_password_logs_in(client: Client) -> None:
    make_user()

    refused = attempt_login(client, "li.si", "wrong-password")
    assert refused.status_code == 200 and not logged_in(client)

    accepted = attempt_login(client, "li.si", PASSWORD)
    assert accepted.status_code == 302 and accepted.url == reverse("core:workbench")
    assert logged_in(client)


def test_five_failures_lock_the_account_even_for_the_right_password(client: Client) -> None:
    make_user()
    statuses = [attempt_login(client, "li.si", f"wrong-{i}").status_code for i in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks

    sixth = attempt_login(client, "li.si", PASSWORD)

    assert sixth.status_code == 429
    assert "锁定" in sixth.content.decode()
    assert not logged_in(client)


def test_lockout_counts_per_username_not_per_address(client: Client) -> None:
    make_user("li.si")
    make_user("wang.wu")
    for i in range(5):
        attempt_login(client, "li.si", f"wrong-{i}")

    # Colleagues behind the same NAT address are not locked out by one person's typos.
    assert attempt_login(client, "wang.wu", PASSWORD).status_code == 302


def test_lockout_lasts_15_minutes_then_login_works_again(client: Client) -> None:
    make_user()
    for i in range(5):
        attempt_login(client, "li.si", f"wrong-{i}")
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    assert cool_off == timedelta(minutes=15)

    move_login_failures_back(14)
    assert attempt_login(client, "li.si", PASSWORD).status_code == 429

    move_login_failures_back(16)
    after = attempt_login(client, "li.si", PASSWORD)
    assert after.status_code == 302 and logged_in(client)


def test_four_failures_then_success_resets_the_count(client: Client) -> None:
    make_user()
    for i in range(4):
        attempt_login(client, "li.si", f"wrong-{i}")
    assert attempt_login(client, "li.si", PASSWORD).status_code == 302
    client.post(reverse("logout"))

    # Without the reset, these four would make eight failures and lock the account.
    statuses = [attempt_login(client, "li.si", f"again-{i}").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 200]
    assert attempt_login(client, "li.si", PASSWORD).status_code == 302


# --- idle timeout (会话空闲超时) --------------------------------------------------------------------------------


@pytest.fixture
def renew_once_a_minute(settings: Any) -> None:
    """The deployment's renewal (the suite writes the session on every request: zhifa.testing.plugin)."""
    settings.SESSION_RENEW_AFTER_SECONDS = RENEW_AFTER.total_seconds()


def test_session_idle_timeout_is_30_minutes_renewed_by_requests_at_most_once_a_minute() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ENGINE == "zhifa.core.sessions"
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert timedelta(minutes=1) == RENEW_AFTER
    assert settings.SESSION_RENEW_AFTER_SECONDS in (0, 60)  # 0 in the suite, 60 in settings.py


def _session_clock() -> datetime:
    """Sessions expire by Django's wall clock (a duration, not a business date), not zhifa's set clock."""
    return timezone.now()  # noqa: TID251


def _expire_session_at(client: Client, when: object) -> None:
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=when)


def test_expired_session_is_logged_out(client: Client) -> None:
    client.force_login(make_user(), backend=MODEL_BACKEND)
    assert client.get(reverse("core:workbench")).status_code == 200

    _expire_session_at(client, _session_clock() - timedelta(seconds=1))
    response = client.get(reverse("core:workbench"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_active_session_is_renewed_by_a_request(client: Client) -> None:
    client.force_login(make_user(), backend=MODEL_BACKEND)
    nearly_idle = _session_clock() + timedelta(minutes=1)
    _expire_session_at(client, nearly_idle)

    assert client.get(reverse("core:workbench")).status_code == 200

    renewed = Session.objects.get(session_key=client.session.session_key).expire_date
    assert renewed > nearly_idle + timedelta(minutes=20)


def _session_expiry(client: Client) -> datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _session_writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]


def test_request_within_a_minute_of_the_last_write_does_not_write_the_session(
    client: Client, renew_once_a_minute: None
) -> None:
    client.force_login(make_user(), backend=MODEL_BACKEND)
    written_30_s_ago = _session_clock() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 30)
    _expire_session_at(client, written_30_s_ago)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:workbench"))

    assert response.status_code == 200
    assert _session_writes(queries) == []
    assert _session_expiry(client) == written_30_s_ago
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_request_a_minute_after_the_last_write_renews_the_session_and_its_cookie(
    client: Client, renew_once_a_minute: None
) -> None:
    client.force_login(make_user(), backend=MODEL_BACKEND)
    written_61_s_ago = _session_clock() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 61)
    _expire_session_at(client, written_61_s_ago)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:workbench"))

    assert response.status_code == 200
    assert len(_session_writes(queries)) == 1
    assert _session_expiry(client) > written_61_s_ago + timedelta(seconds=50)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_configured_idle_minutes_end_a_session_not_renewed_since(
    client: Client, settings: Any, renew_once_a_minute: None
) -> None:
    settings.SESSION_COOKIE_AGE = 5 * 60  # ZHIFA_SESSION_IDLE_MINUTES=5
    client.force_login(make_user(), backend=MODEL_BACKEND)
    assert client.get(reverse("core:workbench")).status_code == 200
    written = _session_expiry(client) - timedelta(minutes=5)
    assert written > _session_clock() - timedelta(seconds=5)

    # Four minutes idle: the next request still finds the session, and renews it for five more minutes.
    _expire_session_at(client, _session_clock() + timedelta(minutes=1))
    assert client.get(reverse("core:workbench")).status_code == 200
    assert _session_expiry(client) > _session_clock() + timedelta(minutes=4)

    # Five minutes idle: logged out.
    _expire_session_at(client, _session_clock() - timedelta(seconds=1))
    response = client.get(reverse("core:workbench"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- forced password change (首次登录强制改密) -----------------------------------------------------------------


def test_user_who_must_change_password_is_sent_to_the_change_page(client: Client) -> None:
    client.force_login(make_user(must_change_password=True), backend=MODEL_BACKEND)

    response = client.get(reverse("core:workbench"))

    assert response.status_code == 302 and response.url == reverse("password_change")
    assert client.get(reverse("password_change")).status_code == 200


def test_user_without_the_flag_reaches_the_workbench(client: Client) -> None:
    client.force_login(make_user(), backend=MODEL_BACKEND)

    assert client.get(reverse("core:workbench")).status_code == 200


def test_changing_the_password_clears_the_flag_and_opens_the_workbench(client: Client) -> None:
    user = make_user(must_change_password=True)
    client.force_login(user, backend=MODEL_BACKEND)
    new = "Xinmima-2024"

    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )

    assert response.status_code == 302 and response.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.must_change_password is False and user.check_password(new)
    assert client.get(reverse("core:workbench")).status_code == 200
    assert AuditLog.objects.filter(event=AuditEvent.PASSWORD_CHANGED, user_id=user.pk).exists()


def test_weak_new_password_keeps_the_flag_and_the_redirect(client: Client) -> None:
    user = make_user(must_change_password=True)
    client.force_login(user, backend=MODEL_BACKEND)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "qzvxkw73", "new_password2": "qzvxkw73"},
    )

    assert response.status_code == 200
    assert "至少 3 类" in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password is True and user.check_password(PASSWORD)
    assert client.get(reverse("core:workbench")).url == reverse("password_change")


# --- audit log (安全审计日志) ------------------------------------------------------------------------------------


def events(event: str, username: str = "li.si") -> int:
    return AuditLog.objects.filter(event=event, username=username).count()


def test_login_and_failed_login_are_audited(client: Client) -> None:
    user = make_user()

    attempt_login(client, "li.si", "wrong-password")
    assert events(AuditEvent.LOGIN_FAILED) == 1 and events(AuditEvent.LOGIN) == 0

    attempt_login(client, "li.si", PASSWORD)
    login = AuditLog.objects.get(event=AuditEvent.LOGIN)
    assert login.user_id == user.pk and login.username == "li.si" and login.ip_address == "127.0.0.1"


def test_lockout_is_audited(client: Client) -> None:
    make_user()
    for i in range(4):
        attempt_login(client, "li.si", f"wrong-{i}")
    assert events(AuditEvent.LOCKED_OUT) == 0

    attempt_login(client, "li.si", "wrong-4")

    assert events(AuditEvent.LOCKED_OUT) == 1


def _county_world() -> tuple[User, Party, Party]:
    province = Region(code="330000", name="浙江省", level=RegionLevel.PROVINCE)
    province.save()
    city = Region(code="330100", name="杭州市", level=RegionLevel.CITY, parent=province)
    city.save()
    own = Region(code="330102", name="上城区", level=RegionLevel.COUNTY, parent=city)
    own.save()
    other = Region(code="330105", name="拱墅区", level=RegionLevel.COUNTY, parent=city)
    other.save()
    agency = Agency(name="上城区市场监督管理局", uscc=uscc_with_check("11330102MB0000001"), region=own)
    agency.save()
    officer = make_user("officer.sc")
    RoleAssignment.objects.create(user=officer, role=Role.OFFICER, scope=ScopeKind.OWN_AGENCY, agency=agency)
    parties = []
    for region, serial in ((own, 1), (other, 2)):
        party = Party(
            kind="legal_person",
            name=f"示例公司{serial}",
            uscc=uscc_with_check(f"91{region.code}00000000{serial}"),
        )
        party.region = region
        party.save()
        parties.append(party)
    return officer, parties[0], parties[1]


def test_permission_denial_is_audited_and_an_allowed_action_is_not() -> None:
    officer, own_party, other_party = _county_world()

    perms.require(officer, perms.CHANGE_PARTY, own_party)
    assert AuditLog.objects.filter(event=AuditEvent.PERMISSION_DENIED).count() == 0

    with pytest.raises(PermissionDenied):
        perms.require(officer, perms.CHANGE_PARTY, other_party)

    denial = AuditLog.objects.get(event=AuditEvent.PERMISSION_DENIED)
    assert denial.user_id == officer.pk
    assert denial.detail == f"{perms.CHANGE_PARTY} Party#{other_party.pk}"


@pytest.mark.django_db(transaction=True)
def test_permission_denial_inside_a_service_transaction_is_still_audited() -> None:
    from zhifa.org.services import party_create

    officer, _, other_party = _county_world()

    with pytest.raises(PermissionDenied):
        party_create(
            actor=officer,
            kind="legal_person",
            name="越权登记的公司",
            region=other_party.region,
            uscc=uscc_with_check("91330105000000009"),
        )

    assert AuditLog.objects.filter(event=AuditEvent.PERMISSION_DENIED, user_id=officer.pk).exists()


def _raw(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_audit_log_accepts_inserts_but_refuses_update_and_delete() -> None:
    audit(AuditEvent.LOGIN_FAILED, username="li.si", detail="原始记录")
    row = AuditLog.objects.get()

    with pytest.raises(DatabaseError):
        _raw("UPDATE core_auditlog SET detail = %s WHERE id = %s", ["篡改", row.pk])
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM core_auditlog WHERE id = %s", [row.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.filter(pk=row.pk).delete()

    row.refresh_from_db()
    assert row.detail == "原始记录"
    audit(AuditEvent.LOGIN_FAILED, username="li.si", detail="第二条")
    assert AuditLog.objects.count() == 2
