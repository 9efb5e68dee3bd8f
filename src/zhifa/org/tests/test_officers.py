"""Officers and certificates: the enforcement gate, the certificate life cycle, training minimums."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.org import selectors, services
from zhifa.org.models import (
    Certificate,
    CertificateEvent,
    CertificateEventKind,
    CertificateStatus,
    Domain,
    Officer,
    PreJobExam,
    Region,
    RegionLevel,
    Role,
    TrainingKind,
    User,
)
from zhifa.org.tests.factories import AgencyFactory, OfficerFactory, UserFactory, certificate, grant

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def county() -> Region:
    province = Region.objects.create(code="870000", name="示范省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(code="870100", name="示范市", level=RegionLevel.CITY, parent=province)
    return Region.objects.create(code="870102", name="示范县", level=RegionLevel.COUNTY, parent=city)


@pytest.fixture
def supervisor(county: Region) -> User:
    user = UserFactory()
    grant(user, Role.SUPERVISOR, region=county)
    return User.objects.get(pk=user.pk)


# --- officer_can_enforce: no enforcement without a valid certificate for the domain -----------------------


def test_officer_with_valid_certificate_in_domain_can_enforce(county: Region) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    cert = certificate(officer, "market", issued=dt.date(2024, 1, 1), expires=dt.date(2027, 1, 1))
    decision = selectors.officer_can_enforce(officer, "market", on=TODAY)
    assert decision.allowed and decision.reasons == ()
    assert decision.certificate_number == cert.number


def test_officer_without_certificate_cannot_enforce(county: Region) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    decision = selectors.officer_can_enforce(officer, "market", on=TODAY)
    assert not decision
    assert "未取得行政执法证件" in decision.reasons[0]


def test_expired_certificate_cannot_enforce_from_the_day_after_expiry(county: Region) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    certificate(officer, "market", issued=dt.date(2022, 1, 1), expires=TODAY)
    assert selectors.officer_can_enforce(officer, "market", on=TODAY).allowed  # last valid day
    decision = selectors.officer_can_enforce(officer, "market", on=TODAY + dt.timedelta(days=1))
    assert not decision.allowed
    assert "过期" in decision.reasons[0]


def test_certificate_not_yet_valid_cannot_enforce(county: Region) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    certificate(officer, "market", issued=TODAY + dt.timedelta(days=3), expires=dt.date(2030, 1, 1))
    assert not selectors.officer_can_enforce(officer, "market", on=TODAY).allowed


@pytest.mark.parametrize(
    "status", [CertificateStatus.SUSPENDED, CertificateStatus.REVOKED, CertificateStatus.CANCELLED]
)
def test_suspended_revoked_or_cancelled_certificate_cannot_enforce(county: Region, status: str) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    certificate(officer, "market", status=status)
    decision = selectors.officer_can_enforce(officer, "market", on=TODAY)
    assert not decision.allowed
    assert CertificateStatus(status).label in decision.reasons[0]


def test_certificate_outside_the_domain_cannot_enforce(county: Region) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    certificate(officer, "market")
    decision = selectors.officer_can_enforce(officer, Domain.objects.get(code="ecology"), on=TODAY)
    assert not decision.allowed
    assert "生态环境" in decision.reasons[0]


def test_auxiliary_staff_cannot_enforce_alone_even_with_a_certificate(county: Region) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county), is_auxiliary=True)
    certificate(officer, "market")
    decision = selectors.officer_can_enforce(officer, "market", on=TODAY)
    assert not decision.allowed
    assert "辅助人员" in decision.reasons[0]


def test_inactive_officer_cannot_enforce(county: Region) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county), is_active=False)
    certificate(officer, "market")
    assert not selectors.officer_can_enforce(officer, "market", on=TODAY).allowed


def test_a_second_valid_certificate_for_the_domain_is_enough(county: Region) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    certificate(officer, "market", status=CertificateStatus.SUSPENDED)
    good = certificate(officer, "market", "health")
    decision = selectors.officer_can_enforce(officer, "health", on=TODAY)
    assert decision.allowed and decision.certificate_number == good.number


# --- certificate life cycle ---------------------------------------------------------------------------------


def test_supervisor_suspends_and_reinstates_with_history(county: Region, supervisor: User) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    cert = certificate(officer, "market")
    services.certificate_change_status(
        actor=supervisor, certificate=cert, kind=CertificateEventKind.SUSPEND, reason="涉嫌违规执法，暂扣待查"
    )
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED
    assert not selectors.officer_can_enforce(officer, "market", on=TODAY).allowed
    services.certificate_change_status(
        actor=supervisor, certificate=cert, kind=CertificateEventKind.REINSTATE, reason="核查完毕"
    )
    events = list(
        CertificateEvent.objects.filter(certificate=cert).values_list("kind", "from_status", "to_status")
    )
    assert events == [("suspend", "valid", "suspended"), ("reinstate", "suspended", "valid")]


def test_revoked_certificate_cannot_be_reinstated(county: Region, supervisor: User) -> None:
    cert = certificate(OfficerFactory(agency=AgencyFactory(region=county)), "market")
    services.certificate_change_status(
        actor=supervisor, certificate=cert, kind="revoke", reason="调离执法岗位"
    )
    with pytest.raises(RuleViolation) as exc:
        services.certificate_change_status(
            actor=supervisor, certificate=cert, kind="reinstate", reason="误操作"
        )
    assert "收回" in exc.value.message


def test_status_change_needs_a_reason(county: Region, supervisor: User) -> None:
    cert = certificate(OfficerFactory(agency=AgencyFactory(region=county)), "market")
    with pytest.raises(InvalidInput):
        services.certificate_change_status(actor=supervisor, certificate=cert, kind="suspend", reason="  ")


def test_officer_cannot_suspend_a_certificate(county: Region) -> None:
    agency = AgencyFactory(region=county)
    cert = certificate(OfficerFactory(agency=agency), "market")
    user = UserFactory()
    grant(user, Role.OFFICER, agency=agency)
    with pytest.raises(PermissionDenied):
        services.certificate_change_status(actor=user, certificate=cert, kind="suspend", reason="x")


def test_supervisor_of_another_county_cannot_touch_the_certificate(county: Region) -> None:
    other = Region.objects.create(code="870103", name="邻县", level=RegionLevel.COUNTY, parent=county.parent)
    user = UserFactory()
    grant(user, Role.SUPERVISOR, region=other)
    cert = certificate(OfficerFactory(agency=AgencyFactory(region=county)), "market")
    with pytest.raises(PermissionDenied):
        services.certificate_change_status(actor=user, certificate=cert, kind="suspend", reason="x")


def test_failed_annual_review_suspends_and_a_year_is_reviewed_once(county: Region, supervisor: User) -> None:
    cert = certificate(OfficerFactory(agency=AgencyFactory(region=county)), "market")
    services.certificate_annual_review(
        actor=supervisor, certificate=cert, year=2026, passed=False, note="未达学时"
    )
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED and cert.last_reviewed_year == 2026
    with pytest.raises(RuleViolation):
        services.certificate_annual_review(actor=supervisor, certificate=cert, year=2026, passed=True)


def test_certificate_history_rows_cannot_be_edited(county: Region, supervisor: User) -> None:
    from django.db import DatabaseError, connection, transaction

    cert = certificate(OfficerFactory(agency=AgencyFactory(region=county)), "market")
    services.certificate_change_status(actor=supervisor, certificate=cert, kind="suspend", reason="x")
    for sql in ("UPDATE org_certificateevent SET reason = 'y'", "DELETE FROM org_certificateevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert CertificateEvent.objects.get(certificate=cert).reason == "x"


def _passed_exam(officer: Officer, actor: User, *, passed: bool = True, on: dt.date = TODAY) -> PreJobExam:
    return PreJobExam.objects.create(
        officer=officer,
        trained_by=officer.agency,
        training_hours=Decimal(40),
        exam_on=on,
        score=85 if passed else 40,
        passed=passed,
        recorded_by=actor,
    )


def _issue(supervisor: User, officer: Officer, number: str = "P1") -> Certificate:
    return services.certificate_issue(
        actor=supervisor,
        officer=officer,
        number=number,
        issuer="示范县人民政府",
        domains=list(Domain.objects.filter(code="market")),
        issued_on=TODAY,
        expires_on=dt.date(2030, 1, 1),
    )


def test_a_certificate_is_refused_without_a_passed_prejob_training_and_exam(
    county: Region, supervisor: User
) -> None:
    """Seed 004: 未经培训考试合格，不得取得行政执法证件."""
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    with pytest.raises(RuleViolation) as no_exam:
        _issue(supervisor, officer)
    assert no_exam.value.code == "prejob_exam_missing"
    assert "未经培训考试合格" in no_exam.value.message and "pre-job" in no_exam.value.message_en
    _passed_exam(officer, supervisor, passed=False)
    with pytest.raises(RuleViolation):
        _issue(supervisor, officer)
    _passed_exam(officer, supervisor, on=TODAY + dt.timedelta(days=1))  # passed only after the issue date
    with pytest.raises(RuleViolation):
        _issue(supervisor, officer)
    assert not Certificate.objects.filter(officer=officer).exists()


def test_a_certificate_is_issued_after_a_passed_prejob_exam(county: Region, supervisor: User) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    _passed_exam(officer, supervisor)
    assert _issue(supervisor, officer).officer == officer


def test_issue_refuses_expiry_before_issue_and_no_domain(county: Region, supervisor: User) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    _passed_exam(officer, supervisor)
    market = list(Domain.objects.filter(code="market"))
    with pytest.raises(InvalidInput):
        services.certificate_issue(
            actor=supervisor,
            officer=officer,
            number="X1",
            issuer="示范县人民政府",
            domains=market,
            issued_on=TODAY,
            expires_on=TODAY,
        )
    with pytest.raises(InvalidInput):
        services.certificate_issue(
            actor=supervisor,
            officer=officer,
            number="X1",
            issuer="示范县人民政府",
            domains=[],
            issued_on=TODAY,
            expires_on=dt.date(2030, 1, 1),
        )
    cert = services.certificate_issue(
        actor=supervisor,
        officer=officer,
        number="X1",
        issuer="示范县人民政府",
        domains=market,
        issued_on=TODAY,
        expires_on=dt.date(2030, 1, 1),
    )
    assert cert.events.get().kind == CertificateEventKind.ISSUE


# --- expiry warning 30 days ahead, training minimums ----------------------------------------------------------


def test_certificate_expiry_is_flagged_30_days_ahead(county: Region, supervisor: User) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    inside = certificate(officer, "market", expires=TODAY + dt.timedelta(days=30))
    certificate(officer, "market", expires=TODAY + dt.timedelta(days=31))
    certificate(officer, "market", expires=TODAY - dt.timedelta(days=1))
    flagged = list(selectors.certificates_expiring(supervisor, today=TODAY))
    assert flagged == [inside]


def test_training_minimum_is_20_hours_law_and_40_hours_business(county: Region, supervisor: User) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    services.training_record_add(
        actor=supervisor,
        officer=officer,
        kind=TrainingKind.PUBLIC_LAW,
        title="行政处罚法",
        held_on=dt.date(2026, 3, 1),
        hours=Decimal("20"),
    )
    services.training_record_add(
        actor=supervisor,
        officer=officer,
        kind=TrainingKind.BUSINESS,
        title="执法技能",
        held_on=dt.date(2026, 4, 1),
        hours=Decimal("39.5"),
    )
    balance = selectors.training_balances([officer.id], 2026)[officer.id]
    assert balance.short and "业务知识差 0.5 学时" in balance.missing_text
    assert [o for o, _ in selectors.officers_short_of_training(supervisor, 2026)] == [officer]
    services.training_record_add(
        actor=supervisor,
        officer=officer,
        kind=TrainingKind.BUSINESS,
        title="案卷评查",
        held_on=dt.date(2026, 5, 1),
        hours=Decimal("0.5"),
    )
    assert not selectors.training_balances([officer.id], 2026)[officer.id].short
    # Hours of another year do not count.
    assert selectors.training_balances([officer.id], 2025)[officer.id].short


def test_training_hours_must_be_positive(county: Region, supervisor: User) -> None:
    officer = OfficerFactory(agency=AgencyFactory(region=county))
    with pytest.raises(InvalidInput):
        services.training_record_add(
            actor=supervisor,
            officer=officer,
            kind=TrainingKind.BUSINESS,
            title="x",
            held_on=TODAY,
            hours=Decimal("0"),
        )
