"""满意度调查: a round per region with a target (004 line 11: 满意率达93%以上), enterprises answer in their area once
per survey, the public through a link (anti-abuse: one answer per client and day, a rate limit, a hidden field),
the rate with its 95 % Wilson interval against the target, the “最不满意的执法领域” poll counted per field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from zhifa.org.models import Domain, Role
from zhifa.org.tests.factories import PartyFactory
from zhifa.ratings import selectors, services
from zhifa.ratings.models import Dimension, SurveyFieldVote, SurveyResponse, SurveyRound
from zhifa.ratings.services import dimension_scores
from zhifa.records.models import LedgerEntry
from zhifa.testing.worlds import _user_with

TODAY = dt.date(2026, 11, 18)


@pytest.fixture
def today(fixed_clock: Any) -> dt.date:
    return fixed_clock(TODAY)


@pytest.fixture
def survey(sup: Any, today: dt.date) -> SurveyRound:
    return services.survey_create(
        actor=sup.county_sup,
        region=sup.w.county,
        title="2026年度行政执法满意度调查",
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=30),
        questions=["执法人员文明规范", "程序公开透明"],
    )


@pytest.fixture
def enterprise(sup: Any) -> Any:
    return _user_with(Role.ENTERPRISE, party=sup.w.company)


def _public(survey: SurveyRound, client: str = "1.2.3.4", overall: int = 5, **kw: Any) -> SurveyResponse:
    return services.survey_answer_public(token=survey.token, client=client, overall=overall, **kw)


def test_a_survey_targets_93_percent_by_default_and_is_on_the_ledger(survey: SurveyRound) -> None:
    assert survey.target_percent == Decimal("93.00")
    assert survey.questions.count() == 2
    assert LedgerEntry.objects.filter(action="ratings.survey_create").exists()


def test_a_supervisor_of_another_region_cannot_start_a_survey_there(sup: Any, today: dt.date) -> None:
    with pytest.raises(PermissionDenied):
        services.survey_create(
            actor=sup.foreign_sup,
            region=sup.w.county,
            title="x",
            opens_on=today,
            closes_on=today,
            questions=[],
        )


def test_a_survey_closing_before_it_opens_is_refused(sup: Any, today: dt.date) -> None:
    with pytest.raises(InvalidInput):
        services.survey_create(
            actor=sup.county_sup,
            region=sup.w.county,
            title="x",
            opens_on=today,
            closes_on=today - dt.timedelta(days=1),
            questions=[],
        )


def test_an_enterprise_answers_once_for_its_own_company(
    sup: Any, survey: SurveyRound, enterprise: Any
) -> None:
    market = Domain.objects.get(code="market")
    q = survey.questions.first()
    assert q is not None
    response = services.survey_answer_enterprise(
        actor=enterprise,
        survey=survey,
        party=sup.w.company,
        overall=4,
        answers={str(q.pk): 5},
        fields=[market.pk],
    )
    assert response.kind == "enterprise" and response.answers == {str(q.pk): 5}
    assert SurveyFieldVote.objects.filter(domain=market).count() == 1
    with pytest.raises(RuleViolation) as exc:
        services.survey_answer_enterprise(actor=enterprise, survey=survey, party=sup.w.company, overall=2)
    assert exc.value.code == "survey_answered"


def test_an_enterprise_cannot_answer_for_another_company_or_in_another_region(
    sup: Any, survey: SurveyRound, enterprise: Any
) -> None:
    other = PartyFactory(region=sup.w.county)
    with pytest.raises(NotFound):
        services.survey_answer_enterprise(actor=enterprise, survey=survey, party=other, overall=5)
    with pytest.raises(NotFound):  # staff are no enterprise: refused as if missing, no denial to audit
        services.survey_answer_enterprise(actor=sup.county_sup, survey=survey, party=sup.w.company, overall=5)
    foreign = PartyFactory(region=sup.foreign_agency.region)
    foreign_user = _user_with(Role.ENTERPRISE, party=foreign)
    with pytest.raises(PermissionDenied):
        services.survey_answer_enterprise(actor=foreign_user, survey=survey, party=foreign, overall=5)
    assert not SurveyResponse.objects.exists()


def test_a_public_answer_is_taken_once_per_client_and_day(survey: SurveyRound) -> None:
    _public(survey, "1.2.3.4")
    with pytest.raises(RuleViolation):
        _public(survey, "1.2.3.4")
    _public(survey, "5.6.7.8")
    assert SurveyResponse.objects.filter(kind="public").count() == 2
    assert "1.2.3.4" not in "".join(SurveyResponse.objects.values_list("client_key", flat=True))


def test_a_closed_survey_takes_no_answers(sup: Any, survey: SurveyRound) -> None:
    services.survey_close(actor=sup.county_sup, survey=survey)
    with pytest.raises(RuleViolation) as exc:
        _public(survey)
    assert exc.value.code == "survey_not_open"


def test_marks_outside_1_to_5_and_more_than_three_fields_are_refused(survey: SurveyRound) -> None:
    with pytest.raises(InvalidInput):
        _public(survey, overall=6)
    ids = list(Domain.objects.values_list("pk", flat=True)[:4])
    with pytest.raises(InvalidInput):
        _public(survey, fields=ids)
    assert not SurveyResponse.objects.exists()


def test_the_wilson_interval_of_93_in_100() -> None:
    low, high = selectors.wilson_interval(93, 100)
    assert round(low, 4) == 0.8625 and round(high, 4) == 0.9657
    assert selectors.wilson_interval(0, 0) == (0.0, 1.0)


def test_the_result_shows_rate_interval_verdict_and_least_satisfactory_fields(survey: SurveyRound) -> None:
    market, housing = Domain.objects.get(code="market"), Domain.objects.get(code="housing")
    for i in range(9):
        _public(
            survey, f"10.0.0.{i}", overall=5 if i < 7 else 2, fields=[market.pk] if i < 3 else [housing.pk]
        )
    result = selectors.survey_result(survey)
    assert result.n == 9 and result.satisfied == 7 and result.rate == 77.8
    assert result.low is not None and result.high is not None and result.low < 77.8 < result.high
    assert result.verdict.startswith("样本不足") or result.verdict.startswith("未达到")
    assert result.fields[0] == (housing.name, 6)


def test_survey_answers_naming_an_agency_count_in_its_satisfaction(sup: Any, survey: SurveyRound) -> None:
    _public(survey, "1.1.1.1", overall=5, agency=sup.w.agency.pk)
    _public(survey, "1.1.1.2", overall=2, agency=sup.w.agency.pk)
    year, quarter = selectors.last_finished_quarter(TODAY + dt.timedelta(days=50))  # 2026 Q4
    start, end = selectors.quarter_bounds(year, quarter)
    figures = selectors.period_figures([sup.w.agency.pk], start, end)[sup.w.agency.pk]
    assert (figures.rated, figures.satisfied) == (2, 1)
    assert dimension_scores(figures)[Dimension.SATISFACTION] == Decimal("50.00")


# --- pages ---------------------------------------------------------------------------------------------------------


def test_the_public_page_takes_an_answer_without_login(survey: SurveyRound) -> None:
    c = Client()
    url = reverse("ratings:public_answer", args=[survey.token])
    page = c.get(url)
    assert page.status_code == 200 and "最不满意的执法领域" in page.content.decode()
    done = c.post(url, {"overall": "5", "comment": "很好"})
    assert done.status_code == 200 and "感谢您参与" in done.content.decode()
    again = c.post(url, {"overall": "4"})
    assert again.status_code == 422 and "已提交过" in again.content.decode()
    assert c.get(reverse("ratings:public_answer", args=["nope"])).status_code == 404


def test_the_public_page_refuses_the_hidden_field_and_a_flood(survey: SurveyRound) -> None:
    c = Client()
    url = reverse("ratings:public_answer", args=[survey.token])
    assert c.post(url, {"overall": "5", "website": "http://spam"}).status_code == 400
    statuses = [c.post(url, {"overall": "5"}, REMOTE_ADDR="9.9.9.9").status_code for _ in range(21)]
    assert statuses[-1] == 429
    assert SurveyResponse.objects.count() == 1


def test_the_enterprise_answers_in_its_area_and_the_bureau_sees_the_result(
    sup: Any, survey: SurveyRound, enterprise: Any
) -> None:
    c = Client()
    c.force_login(enterprise)
    listing = c.get(reverse("ratings:enterprise_surveys")).content.decode()
    assert survey.title in listing
    url = reverse("ratings:enterprise_answer", args=[survey.pk, sup.w.company.pk])
    assert c.post(url, {"overall": "5"}).status_code == 302
    assert "已答卷" in c.get(reverse("ratings:enterprise_surveys")).content.decode()
    other = PartyFactory(region=sup.w.county)
    assert c.get(reverse("ratings:enterprise_answer", args=[survey.pk, other.pk])).status_code == 404
    c.force_login(sup.county_sup)
    page = c.get(reverse("ratings:survey_detail", args=[survey.pk])).content.decode()
    assert "样本量 1 份" in page and "95% 置信区间" in page and "<svg" in page
    c.force_login(sup.foreign_sup)
    assert c.get(reverse("ratings:survey_detail", args=[survey.pk])).status_code == 404


def test_the_api_takes_an_enterprise_answer_and_gives_the_bureau_the_result(
    sup: Any, survey: SurveyRound, enterprise: Any
) -> None:
    c = Client()
    c.force_login(enterprise)
    ok = c.post(
        f"/api/ratings/surveys/{survey.pk}/answers",
        {"party_id": sup.w.company.pk, "overall": 5},
        "application/json",
    )
    assert ok.status_code == 201
    twice = c.post(
        f"/api/ratings/surveys/{survey.pk}/answers",
        {"party_id": sup.w.company.pk, "overall": 5},
        "application/json",
    )
    assert twice.status_code == 409
    c.force_login(sup.county_sup)
    result = c.get(f"/api/ratings/surveys/{survey.pk}/results").json()
    assert result["n"] == 1 and result["target"] == 93.0
    c.force_login(sup.foreign_sup)
    assert c.get(f"/api/ratings/surveys/{survey.pk}/results").status_code == 404
