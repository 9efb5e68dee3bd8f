"""The 系统管理 pages: admins only (403 for every other role), scoped (404 outside), errors beside fields."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.org.models import ApiToken, Role
from zhifa.org.tokens import token_create
from zhifa.sysadmin import selectors
from zhifa.sysadmin.tests.conftest import Two, lock

pytestmark = pytest.mark.django_db

PAGES = ["user_list", "lockout_list", "token_list", "holidays"]


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", PAGES)
def test_a_non_admin_gets_403_on_every_admin_page(two: Two, name: str) -> None:
    assert _client(two.user_a).get(reverse(f"sysadmin:{name}")).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_an_admin_opens_every_admin_page(two: Two, name: str) -> None:
    assert _client(two.admin_a).get(reverse(f"sysadmin:{name}")).status_code == 200


def test_the_menu_shows_system_management_to_admins_only(two: Two) -> None:
    admin_page = _client(two.admin_a).get(reverse("core:workbench")).content.decode()
    officer_page = _client(two.user_a).get(reverse("core:workbench")).content.decode()
    assert reverse("sysadmin:user_list") in admin_page
    assert reverse("sysadmin:user_list") not in officer_page


def test_users_list_searches_by_name_and_shows_only_the_county(two: Two) -> None:
    client = _client(two.admin_a)

    def results(**params: str) -> str:  # the htmx fragment: the table without the page's header
        return client.get(reverse("sysadmin:user_list"), params, HTTP_HX_REQUEST="true").content.decode()

    assert "甲县执法员" in results() and "乙县执法员" not in results()
    assert "甲县管理员" in results(q="管理员") and "甲县执法员" not in results(q="管理员")
    body = results(role=Role.OFFICER, state="active")
    assert "甲县执法员" in body and "甲县管理员" not in body
    assert "没有符合条件的用户" in results(state="disabled")


def test_a_user_of_another_county_is_not_found(two: Two) -> None:
    client = _client(two.admin_a)
    assert client.get(reverse("sysadmin:user_detail", args=[two.user_b.pk])).status_code == 404
    lock("officer_b")
    assert client.post(reverse("sysadmin:user_unlock", args=[two.user_b.pk])).status_code == 404
    assert selectors.is_locked("officer_b")


def test_unlock_from_the_lockouts_page(two: Two) -> None:
    lock("officer_a")
    client = _client(two.admin_a)
    page = client.get(reverse("sysadmin:lockout_list")).content.decode()
    assert "甲县执法员" in page and "5" in page
    response = client.post(reverse("sysadmin:user_unlock", args=[two.user_a.pk]), {"next": "lockouts"})
    assert response.status_code == 302 and response["Location"] == reverse("sysadmin:lockout_list")
    assert not selectors.is_locked("officer_a")
    assert "当前没有被锁定的账号" in client.get(reverse("sysadmin:lockout_list")).content.decode()


def test_unlocking_an_unlocked_account_shows_a_409_page(two: Two) -> None:
    response = _client(two.admin_a).post(reverse("sysadmin:user_unlock", args=[two.user_a.pk]))
    assert response.status_code == 409
    assert "未被锁定" in response.content.decode()


def test_token_list_never_shows_the_key_and_revoke_works(two: Two) -> None:
    token, key = token_create(two.user_a, "执法记录仪同步")
    client = _client(two.admin_a)
    page = client.get(reverse("sysadmin:token_list")).content.decode()
    assert "执法记录仪同步" in page and key not in page and token.key_hash not in page
    response = client.post(reverse("sysadmin:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked


def test_a_token_of_another_county_cannot_be_revoked_through_the_page(two: Two) -> None:
    token, _ = token_create(two.user_b, "统计报送")
    assert _client(two.admin_a).post(reverse("sysadmin:token_revoke", args=[token.pk])).status_code == 404
    assert not ApiToken.objects.get(pk=token.pk).revoked


def test_a_role_grant_without_agency_is_422_with_the_error_beside_the_field(two: Two) -> None:
    response = _client(two.admin_a).post(
        reverse("sysadmin:user_role_grant", args=[two.user_a.pk]),
        {"grant-role": Role.AGENCY_HEAD, "grant-scope": "agency"},
    )
    assert response.status_code == 422
    assert 'id="id_grant-agency_error"' in response.content.decode()


def test_an_agency_outside_the_scope_is_not_offered_nor_accepted(two: Two) -> None:
    client = _client(two.admin_a)
    page = client.get(reverse("sysadmin:user_detail", args=[two.user_a.pk])).content.decode()
    assert "甲县市场监督管理局" in page and "乙县市场监督管理局" not in page
    response = client.post(
        reverse("sysadmin:user_role_grant", args=[two.user_a.pk]),
        {"grant-role": Role.OFFICER, "grant-scope": "agency", "grant-agency": two.agency_b.pk},
    )
    assert response.status_code == 422
    assert "不在您的管理范围内" in response.content.decode()


def test_disable_through_the_page(two: Two) -> None:
    client = _client(two.admin_a)
    response = client.post(reverse("sysadmin:user_set_active", args=[two.user_a.pk]), {"active": "0"})
    assert response.status_code == 302
    two.user_a.refresh_from_db()
    assert not two.user_a.is_active


def test_a_county_admin_sees_the_holiday_schedule_but_gets_403_entering_it(two: Two) -> None:
    client = _client(two.admin_a)
    page = client.get(reverse("sysadmin:holidays"), {"year": "2027"}).content.decode()
    assert "2027 年" in page and "录入一天" not in page
    response = client.post(
        reverse("sysadmin:holiday_day_add"),
        {"day-date": "2027-01-01", "day-kind": "holiday", "day-note": "元旦"},
    )
    assert response.status_code == 403


def test_province_admin_enters_and_confirms_a_year_through_the_pages(two: Two) -> None:
    client = _client(two.province_admin)
    response = client.post(
        reverse("sysadmin:holiday_day_add"),
        {"day-date": "2027-01-01", "day-kind": "holiday", "day-note": "元旦"},
    )
    assert response.status_code == 302
    page = client.get(reverse("sysadmin:holidays"), {"year": "2027"}).content.decode()
    assert "尚未确认" in page and "确认全年安排" in page
    response = client.post(reverse("sysadmin:holiday_confirm"), {"year": "2027", "confirm-basis": ""})
    assert response.status_code == 422
    response = client.post(
        reverse("sysadmin:holiday_confirm"), {"year": "2027", "confirm-basis": "国办发明电〔2026〕9号"}
    )
    assert response.status_code == 302
    assert selectors.schedule_year(2027).source == "confirmed"


def test_the_admin_workbench_opens_on_the_admins_todo(two: Two) -> None:
    lock("officer_a")
    token_create(two.user_a, "执法记录仪同步")
    body = _client(two.admin_a).get(reverse("core:workbench")).content.decode()
    for text in (
        "系统管理待办",
        "锁定账号（1 个）",
        "甲县执法员",
        "执法记录仪同步",
        "节假日调休安排",
        "签名密钥",
    ):
        assert text in body, text


def test_remove_a_role_through_the_page(two: Two) -> None:
    from zhifa.org.models import RoleAssignment
    from zhifa.org.tests.factories import grant

    extra = grant(two.user_a, Role.LEGAL_REVIEWER, agency=two.agency_a)
    client = _client(two.admin_a)
    page = client.get(reverse("sysadmin:user_detail", args=[two.user_a.pk])).content.decode()
    assert "法制审核人员" in page and "撤销" in page
    response = client.post(reverse("sysadmin:user_role_remove", args=[two.user_a.pk, extra.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=extra.pk).exists()
    (only,) = RoleAssignment.objects.filter(user=two.user_a)
    response = client.post(reverse("sysadmin:user_role_remove", args=[two.user_a.pk, only.pk]))
    assert response.status_code == 409
    assert RoleAssignment.objects.filter(pk=only.pk).exists()


def test_an_agency_admin_is_offered_no_region_and_a_wider_scope_is_refused_on_the_form(two: Two) -> None:
    from zhifa.org.tests.factories import UserFactory, grant

    agency_admin = UserFactory(username="agency_admin", full_name="甲局管理员")
    grant(agency_admin, Role.ADMIN, agency=two.agency_a)
    client = _client(agency_admin)
    page = client.get(reverse("sysadmin:user_detail", args=[two.user_a.pk])).content.decode()
    assert "甲县市场监督管理局" in page and ">甲县<" not in page
    response = client.post(
        reverse("sysadmin:user_role_grant", args=[two.user_a.pk]),
        {"grant-role": Role.LEGAL_REVIEWER, "grant-scope": "agency_tree", "grant-agency": two.agency_a.pk},
    )
    assert response.status_code == 403  # the subordinates of the agency are not the administrator's
    assert "不在您的管理范围内" in response.content.decode()
    response = client.post(
        reverse("sysadmin:user_role_grant", args=[two.user_a.pk]),
        {"grant-role": Role.LEGAL_REVIEWER, "grant-scope": "agency", "grant-agency": two.agency_a.pk},
    )
    assert response.status_code == 302  # its own agency: allowed
    response = client.post(
        reverse("sysadmin:user_role_grant", args=[two.user_a.pk]),
        {"grant-role": Role.SUPERVISOR, "grant-scope": "region", "grant-region": two.county_a.pk},
    )
    assert response.status_code == 422  # no region is offered to an agency administrator
