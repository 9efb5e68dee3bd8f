"""Property-based API tests: every operation of the live /api/ schema, called as an administrator by token.

Schemathesis reads /api/openapi.json from the running app, so routers added later are covered without
touching this file. For each operation it generates requests (valid and invalid) and checks that the answer
is never a 5xx and that status, content type and body conform to the schema — including the declared
``{code, message, message_en}`` error responses.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from zhifa.core import clock
from zhifa.core.validators import resident_id_with_check, uscc_with_check
from zhifa.org.models import (
    Agency,
    Certificate,
    Domain,
    Officer,
    Party,
    PartyKind,
    Region,
    RegionLevel,
    Role,
    TrainingRecord,
    User,
)
from zhifa.org.tests.factories import grant
from zhifa.org.tokens import token_create

# The schema is read at collection, before the test database exists — and with it the table of the cache
# that counts anonymous requests: the rate limit is set aside for this one read.
with override_settings(PORTAL_API_RATE=""):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    """Calls go straight to the WSGI handler, whose request signals would close a connection older than
    CONN_MAX_AGE — the test's own, mid-transaction (seen on PostgreSQL). Django's test client disconnects
    the same handler for the same reason."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_headers(db: Any, settings: Any) -> dict[str, str]:
    """A superuser's token, and a few rows with small ids so that detail endpoints also answer 200.

    The anonymous rate limit is set aside: schemathesis also calls each operation without credentials, and
    those calls must meet the 401 they test, not the 429 of a spent allowance (the limit has its own tests).
    """
    settings.PORTAL_API_RATE = ""
    county = Region.objects.create(code="330102", name="甲县", level=RegionLevel.COUNTY)
    agency = Agency.objects.create(
        name="甲县市场监督管理局", uscc=uscc_with_check("11330102MB0000001"), region=county
    )
    agency.domains.set(Domain.objects.filter(code="market"))
    officer = Officer.objects.create(
        name="张执法", id_number=resident_id_with_check("33010219850315001"), agency=agency
    )
    today = clock.today()
    cert = Certificate.objects.create(
        officer=officer,
        number="ZJ-0001",
        issuer="示市人民政府",
        issued_on=today - dt.timedelta(days=30),
        expires_on=today + dt.timedelta(days=300),
    )
    cert.domains.set(Domain.objects.filter(code="market"))
    TrainingRecord.objects.create(officer=officer, kind="business", title="培训", held_on=today, hours=8)
    Party.objects.create(
        kind=PartyKind.LEGAL_PERSON,
        name="甲县示范公司",
        uscc=uscc_with_check("91330102MA0000001"),
        region=county,
    )
    Party.objects.create(
        kind=PartyKind.NATURAL_PERSON,
        name="孙某",
        id_number=resident_id_with_check("33010219900101002"),
        region=county,
    )
    admin = User.objects.create_superuser("schemathesis-admin", password="Zhifa@2026x")
    _, key = token_create(admin, "schemathesis")
    return {"Authorization": f"Token {key}"}


@pytest.fixture
def role_headers(admin_headers: dict[str, str]) -> dict[str, dict[str, str]]:
    """An officer of the county's agency, a supervisor of its region (each by token), and no one at all."""
    agency = Agency.objects.get(name="甲县市场监督管理局")
    officer_user = User.objects.create_user("schemathesis-officer", password="Zhifa@2026x")
    grant(officer_user, Role.OFFICER, agency=agency)
    Officer.objects.filter(agency=agency).update(user=officer_user)
    supervisor = User.objects.create_user("schemathesis-supervisor", password="Zhifa@2026x")
    grant(supervisor, Role.SUPERVISOR, region=agency.region)
    headers = {}
    for name, user in (("officer", officer_user), ("supervisor", supervisor)):
        _, key = token_create(User.objects.get(pk=user.pk), "schemathesis")
        headers[name] = {"Authorization": f"Token {key}"}
    headers["anonymous"] = {}
    return headers


# Not positive_data_acceptance: a schema-valid value can still be refused with 422 on purpose (a USCC with a
# wrong check character, a region code that does not exist), which the schema cannot express.
# Not negative_data_rejection: query and body values are parsed leniently on purpose (pydantic's lax mode reads
# 0 as 1970-01-01 and as false), which is not a fault of the contract; what must hold is no 5xx and every
# answer as documented.
EXCLUDED = [positive_data_acceptance, negative_data_rejection]


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema_and_never_fails(
    case: schemathesis.Case, admin_headers: dict[str, str]
) -> None:
    case.call_and_validate(headers=admin_headers, excluded_checks=EXCLUDED)


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
)
def test_api_as_an_officer_a_supervisor_and_anyone_never_fails(
    case: schemathesis.Case, role_headers: dict[str, dict[str, str]]
) -> None:
    """The same contract for the roles that meet the API most (issue 18): each generated request is sent as
    an officer, a supervisor and anonymously — fewer examples than the administrator's run, to fit CI."""
    for headers in role_headers.values():
        case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)
