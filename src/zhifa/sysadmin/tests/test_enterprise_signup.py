"""企业账号自助注册: USCC + one-time code → an enterprise account scoped to its party; each refusal, the lock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.org import signup
from zhifa.org.models import EnterpriseSignupCode, PartyKind, Role, RoleAssignment, ScopeKind, User
from zhifa.org.tests.factories import PartyFactory, UserFactory, grant
from zhifa.records.models import LedgerEntry
from zhifa.sysadmin.signup import TooManyAttempts, enterprise_signup

NOW = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
GOOD = "Qiye#2026abc"


@pytest.fixture(autouse=True)
def ledger_key(tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = ""


@pytest.fixture
def party(db: Any) -> Any:
    return PartyFactory()


def sign_up(party: Any, code: str, **kwargs: Any) -> User:
    values = {
        "uscc": party.uscc,
        "code": code,
        "username": "qiye_zhang",
        "password": GOOD,
        "full_name": "张经理",
        "phone": "13800001234",
        "now": NOW,
    }
    values.update(kwargs)
    return enterprise_signup(**values)


def test_code_is_bound_hashed_and_reprinted_the_same(party) -> None:
    printed = signup.signup_code_print(party, now=NOW)
    assert (
        printed is not None and len(printed.code) == 14 and printed.expires_at == NOW + dt.timedelta(days=30)
    )
    row = EnterpriseSignupCode.objects.get(party=party)
    assert row.code_hash == signup.code_hash(printed.code) and printed.code.replace("-", "") not in str(
        EnterpriseSignupCode.objects.values().get()
    )
    assert signup.signup_code_print(party, now=NOW + dt.timedelta(days=1)) == printed
    assert EnterpriseSignupCode.objects.count() == 1


def test_natural_person_gets_no_code(db) -> None:
    person = PartyFactory(kind=PartyKind.NATURAL_PERSON, uscc=None)
    assert signup.signup_code_print(person, now=NOW) is None


def test_signup_makes_an_enterprise_account_scoped_to_the_party(party) -> None:
    code = signup.signup_code_print(party, now=NOW).code
    user = sign_up(party, code.lower().replace("-", " "))  # typed loosely: case and separators do not matter
    assert user.check_password(GOOD) and user.full_name == "张经理" and user.phone == "13800001234"
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.scope, assignment.party_id) == (
        Role.ENTERPRISE,
        ScopeKind.PARTY,
        party.pk,
    )
    row = EnterpriseSignupCode.objects.get(party=party)
    assert row.used_by == user and row.used_at == NOW
    entry = LedgerEntry.objects.get(action="account.enterprise_signup")
    assert entry.actor_id == user.pk
    with pytest.raises(RuleViolation, match="已被使用"):  # single use
        sign_up(party, code, username="qiye_li")
    # a fresh code is printed for the next account, up to the limit
    assert signup.signup_code_print(party, now=NOW) is not None


def test_refusals_write_nothing(party, settings) -> None:
    code = signup.signup_code_print(party, now=NOW).code
    with pytest.raises(InvalidInput, match="统一社会信用代码无效"):
        sign_up(party, code, uscc="91110000000000000X")
    other = PartyFactory.build().uscc
    with pytest.raises(RuleViolation, match="未找到"):
        sign_up(party, code, uscc=other)
    with pytest.raises(RuleViolation, match="注册码不正确"):
        sign_up(party, "AAAA-BBBB-CCCC")
    with pytest.raises(RuleViolation, match="已过期"):
        sign_up(party, code, now=NOW + dt.timedelta(days=31))
    with pytest.raises(InvalidInput, match="密码不符合要求"):
        sign_up(party, code, password="abcdefgh")
    with pytest.raises(InvalidInput, match="联系人"):
        sign_up(party, code, full_name=" ")
    UserFactory(username="taken_name")
    with pytest.raises(RuleViolation, match="用户名已被使用"):
        sign_up(party, code, username="taken_name")
    assert not RoleAssignment.objects.filter(party=party).exists()
    assert not LedgerEntry.objects.filter(action="account.enterprise_signup").exists()


def test_account_limit(party, settings) -> None:
    settings.ZHIFA_ENTERPRISE_SIGNUP_MAX_ACCOUNTS = 1
    code = signup.signup_code_print(party, now=NOW).code
    existing = UserFactory()
    grant(existing, Role.ENTERPRISE, party=party)
    assert signup.signup_code_print(party, now=NOW) is None  # no longer printed
    with pytest.raises(RuleViolation, match="上限"):
        sign_up(party, code)


def test_wrong_codes_lock_the_party_like_a_login(party, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
    code = signup.signup_code_print(party, now=NOW).code
    for _ in range(2):
        with pytest.raises(RuleViolation, match="注册码不正确"):
            sign_up(party, "WRONG-CODE-0000")
    with pytest.raises(TooManyAttempts, match="15 分钟"):
        sign_up(party, "WRONG-CODE-0000")
    with pytest.raises(TooManyAttempts):  # even the right code, while locked
        sign_up(party, code, now=NOW + dt.timedelta(minutes=5))
    user = sign_up(party, code, now=NOW + dt.timedelta(minutes=16))  # the lock has passed
    assert user.pk


def test_signup_page(party, client: Client) -> None:
    code = signup.signup_code_print(party).code
    url = reverse("enterprise_signup")
    page = client.get(url)
    assert page.status_code == 200 and "企业账号自助注册" in page.content.decode()
    data = {
        "uscc": party.uscc,
        "code": "XXXX-XXXX-XXXX",
        "username": "qiye_wang",
        "password": GOOD,
        "full_name": "王经理",
        "phone": "13800001111",
    }
    refused = client.post(url, data)
    assert refused.status_code == 409 and "注册码不正确" in refused.content.decode()
    refused = client.post(url, {**data, "code": code, "password": "12345678"})
    assert refused.status_code == 422 and "密码不符合要求" in refused.content.decode()
    done = client.post(url, {**data, "code": code})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    assert User.objects.filter(username="qiye_wang").exists()
