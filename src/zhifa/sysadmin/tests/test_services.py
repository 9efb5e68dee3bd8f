"""Every write of 系统管理 checks that the administrator manages the account, and records the change."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt

from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.core.models import AuditLog, HolidayScheduleYear, WorkingDayOverride
from zhifa.core.workdays import is_working_day
from zhifa.org.models import ApiToken, Role, RoleAssignment, ScopeKind, User
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.org.tokens import token_create, user_for_token
from zhifa.records.models import LedgerEntry
from zhifa.sysadmin import selectors, services
from zhifa.sysadmin.tests.conftest import Two, lock

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _entries(action: str) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(action=action))


# --- scope ------------------------------------------------------------------------------------------------------


def test_a_county_admin_manages_only_the_accounts_of_the_county(two: Two) -> None:
    assert set(selectors.users_in_scope(two.admin_a)) == {two.admin_a, two.user_a}
    assert two.user_b in selectors.users_in_scope(two.province_admin)


def test_an_account_with_a_role_in_another_county_is_outside_a_county_admins_scope(two: Two) -> None:
    grant(two.user_a, Role.LEGAL_REVIEWER, agency=two.agency_b)
    assert not selectors.user_in_scope(two.admin_a, two.user_a)
    assert selectors.user_in_scope(two.province_admin, two.user_a)


def test_an_officer_manages_no_account(two: Two) -> None:
    assert not selectors.users_in_scope(two.user_a).exists()
    with pytest.raises(PermissionDenied):
        services.account_set_active(actor=two.user_a, user=two.user_b, active=False)


# --- unlock -----------------------------------------------------------------------------------------------------


def test_admin_unlocks_a_locked_account_and_the_record_says_so(two: Two) -> None:
    lock("officer_a")
    assert [lockout.username for lockout in selectors.locked_accounts(two.admin_a)] == ["officer_a"]
    assert services.account_unlock(actor=two.admin_a, user=two.user_a) == 5
    assert not AccessAttempt.objects.filter(username="officer_a").exists()
    assert not selectors.is_locked("officer_a")
    (entry,) = _entries("account.unlock")
    assert (entry.object_id, entry.actor_username) == (str(two.user_a.pk), "admin_a")
    assert AuditLog.objects.filter(
        event="account_unlocked", username="admin_a", detail__contains="officer_a"
    ).exists()


def test_admin_of_county_a_cannot_unlock_a_user_of_county_b(two: Two) -> None:
    lock("officer_b")
    assert selectors.locked_accounts(two.admin_a) == []  # not even listed
    with pytest.raises(PermissionDenied):
        services.account_unlock(actor=two.admin_a, user=two.user_b)
    assert selectors.is_locked("officer_b")  # nothing half-written
    assert _entries("account.unlock") == []
    assert AuditLog.objects.filter(event="permission_denied", username="admin_a").exists()


def test_unlocking_an_account_that_is_not_locked_is_refused(two: Two) -> None:
    lock("officer_a", failures=2)
    with pytest.raises(RuleViolation) as excinfo:
        services.account_unlock(actor=two.admin_a, user=two.user_a)
    assert excinfo.value.code == "not_locked"
    assert AccessAttempt.objects.filter(username="officer_a").exists()


# --- API tokens ---------------------------------------------------------------------------------------------------


def test_admin_revokes_a_token_and_its_key_is_refused_from_then_on(two: Two) -> None:
    token, key = token_create(two.user_a, "执法记录仪同步")
    assert user_for_token(key) == two.user_a
    services.token_revoke(actor=two.admin_a, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked
    assert user_for_token(key) is None
    (entry,) = _entries("api_token.revoke")
    assert entry.object_type == "org.apitoken"
    assert AuditLog.objects.filter(event="token_revoked", username="admin_a").exists()
    with pytest.raises(RuleViolation):
        services.token_revoke(actor=two.admin_a, token=ApiToken.objects.get(pk=token.pk))


def test_admin_of_county_a_cannot_revoke_a_token_of_county_b(two: Two) -> None:
    token, key = token_create(two.user_b, "统计报送")
    assert list(selectors.tokens_in_scope(two.admin_a)) == []
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=two.admin_a, token=token)
    assert user_for_token(key) == two.user_b


# --- disable / enable ---------------------------------------------------------------------------------------------


def test_admin_disables_and_enables_an_account(two: Two) -> None:
    services.account_set_active(actor=two.admin_a, user=two.user_a, active=False)
    assert not _fresh(two.user_a).is_active
    services.account_set_active(actor=two.admin_a, user=_fresh(two.user_a), active=True)
    assert _fresh(two.user_a).is_active
    assert [e.action for e in LedgerEntry.objects.order_by("seq")] == ["account.disable", "account.enable"]


def test_admin_cannot_disable_their_own_account(two: Two) -> None:
    with pytest.raises(RuleViolation):
        services.account_set_active(actor=two.admin_a, user=two.admin_a, active=False)
    assert _fresh(two.admin_a).is_active


def test_admin_of_county_a_cannot_disable_a_user_of_county_b(two: Two) -> None:
    with pytest.raises(PermissionDenied):
        services.account_set_active(actor=two.admin_a, user=two.user_b, active=False)
    assert _fresh(two.user_b).is_active


# --- roles --------------------------------------------------------------------------------------------------------


def test_admin_grants_a_role_inside_the_county(two: Two) -> None:
    services.role_grant(
        actor=two.admin_a,
        user=two.user_a,
        role=Role.AGENCY_HEAD,
        scope=ScopeKind.OWN_AGENCY,
        agency=two.agency_a,
    )
    assert RoleAssignment.objects.filter(user=two.user_a, role=Role.AGENCY_HEAD).exists()
    assert _entries("account.role_grant")
    with pytest.raises(RuleViolation):  # the same again
        services.role_grant(
            actor=two.admin_a,
            user=two.user_a,
            role=Role.AGENCY_HEAD,
            scope=ScopeKind.OWN_AGENCY,
            agency=two.agency_a,
        )


def test_admin_of_county_a_cannot_grant_a_scope_in_county_b(two: Two) -> None:
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=two.admin_a,
            user=two.user_a,
            role=Role.OFFICER,
            scope=ScopeKind.OWN_AGENCY,
            agency=two.agency_b,
        )
    with pytest.raises(PermissionDenied):  # nor a region wider than the county
        services.role_grant(
            actor=two.admin_a,
            user=two.user_a,
            role=Role.SUPERVISOR,
            scope=ScopeKind.REGION,
            region=two.province,
        )
    assert RoleAssignment.objects.filter(user=two.user_a).count() == 1


def test_a_role_grant_without_its_target_is_refused_beside_the_field(two: Two) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        services.role_grant(actor=two.admin_a, user=two.user_a, role=Role.OFFICER, scope=ScopeKind.OWN_AGENCY)
    assert excinfo.value.field == "agency"


def test_removing_a_role_keeps_at_least_one_and_never_the_admins_own(two: Two) -> None:
    (only,) = RoleAssignment.objects.filter(user=two.user_a)
    with pytest.raises(RuleViolation):
        services.role_remove(actor=two.admin_a, assignment=only)
    extra = grant(two.user_a, Role.LEGAL_REVIEWER, agency=two.agency_a)
    services.role_remove(actor=two.admin_a, assignment=extra)
    assert not RoleAssignment.objects.filter(pk=extra.pk).exists()
    assert _entries("account.role_remove")
    grant(two.admin_a, Role.SUPERVISOR, region=two.county_a)
    (own,) = RoleAssignment.objects.filter(user=two.admin_a, role=Role.ADMIN)
    with pytest.raises(RuleViolation):
        services.role_remove(actor=two.admin_a, assignment=own)


def test_admin_of_county_a_cannot_remove_a_role_in_county_b(two: Two) -> None:
    extra = grant(two.user_b, Role.LEGAL_REVIEWER, agency=two.agency_b)
    with pytest.raises(PermissionDenied):
        services.role_remove(actor=two.admin_a, assignment=extra)
    assert RoleAssignment.objects.filter(pk=extra.pk).exists()


# --- holiday schedule ---------------------------------------------------------------------------------------------

UNKNOWN_YEAR = 2030


def test_a_county_admin_may_not_enter_the_national_holiday_schedule(two: Two) -> None:
    with pytest.raises(PermissionDenied):
        services.holiday_day_set(
            actor=two.admin_a, on=dt.date(UNKNOWN_YEAR, 1, 1), is_working_day=False, note="元旦"
        )
    assert not WorkingDayOverride.objects.exists()


def test_an_entered_year_counts_only_once_the_province_admin_confirms_it(two: Two) -> None:
    from zhifa.core.errors import ConfigurationMissing

    admin = two.province_admin
    with pytest.raises(RuleViolation):  # nothing entered yet
        services.holiday_year_confirm(actor=admin, year=UNKNOWN_YEAR, basis="国办发明电〔2029〕7号")
    services.holiday_day_set(actor=admin, on=dt.date(UNKNOWN_YEAR, 1, 1), is_working_day=False, note="元旦")
    assert selectors.schedule_year(UNKNOWN_YEAR).source == "unconfirmed"
    with pytest.raises(ConfigurationMissing):
        is_working_day(dt.date(UNKNOWN_YEAR, 1, 2))
    with pytest.raises(InvalidInput):
        services.holiday_year_confirm(actor=admin, year=UNKNOWN_YEAR, basis=" ")
    services.holiday_year_confirm(actor=admin, year=UNKNOWN_YEAR, basis="国办发明电〔2029〕7号")
    assert is_working_day(dt.date(UNKNOWN_YEAR, 1, 2))
    assert selectors.schedule_year(UNKNOWN_YEAR).known
    assert HolidayScheduleYear.objects.get(year=UNKNOWN_YEAR).confirmed_by == admin
    assert [e.action for e in LedgerEntry.objects.order_by("seq")] == ["holiday.day_set", "holiday.confirm"]
    with pytest.raises(RuleViolation):  # a confirmed year no longer changes
        services.holiday_day_set(actor=admin, on=dt.date(UNKNOWN_YEAR, 2, 1), is_working_day=False, note="")


def test_a_year_chinese_calendar_knows_needs_no_confirmation(two: Two) -> None:
    with pytest.raises(RuleViolation) as excinfo:
        services.holiday_year_confirm(actor=two.province_admin, year=2025, basis="国办发明电〔2024〕12号")
    assert excinfo.value.code == "holiday_year_known"


def test_a_superuser_without_roles_manages_every_account(two: Two) -> None:
    root = UserFactory(username="root", is_superuser=True)
    lock("officer_b")
    services.account_unlock(actor=root, user=two.user_b)
    assert not selectors.is_locked("officer_b")


def test_a_day_can_be_removed_before_the_year_is_confirmed_and_not_after(two: Two) -> None:
    admin = two.province_admin
    wrong = services.holiday_day_set(
        actor=admin, on=dt.date(UNKNOWN_YEAR, 1, 2), is_working_day=False, note="误录"
    )
    services.holiday_day_remove(actor=admin, row=wrong)
    assert not WorkingDayOverride.objects.filter(date=dt.date(UNKNOWN_YEAR, 1, 2)).exists()
    row = services.holiday_day_set(
        actor=admin, on=dt.date(UNKNOWN_YEAR, 1, 1), is_working_day=False, note="元旦"
    )
    services.holiday_year_confirm(actor=admin, year=UNKNOWN_YEAR, basis="国办发明电〔2029〕7号")
    with pytest.raises(RuleViolation):
        services.holiday_day_remove(actor=admin, row=row)
    assert WorkingDayOverride.objects.filter(pk=row.pk).exists()
