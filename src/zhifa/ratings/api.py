"""季度评议与满意度调查 — JSON API under /api/ratings/: weights, quarters (compute, review, publish), the caller's
own ratings, survey rounds and results, and an enterprise's answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from zhifa.core.apitypes import BigInt, Id
from zhifa.core.errors import NotFound
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller
from zhifa.org.models import Region, User
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS
from zhifa.ratings import rules, selectors, services
from zhifa.ratings.models import AgencyRating, Audience, RatingRun, SurveyRound

router = Router(tags=["ratings"])

MAX_ID = 2**62
RegionCode = Annotated[str, Path(max_length=12)]
Mark = Annotated[int, Field(ge=1, le=5)]
Weight = Annotated[int, Field(ge=0, le=100)]


class WeightsIn(Schema):
    weights: Annotated[dict[str, Weight], Field(max_length=20)]
    min_acts_per_officer: Decimal | None = None


class WeightsOut(Schema):
    region: str
    weights: dict[str, int]
    min_acts_per_officer: Decimal


class RunIn(Schema):
    region: Annotated[str, Field(max_length=12)]
    year: BigInt
    quarter: BigInt


class ReviewIn(Schema):
    note: Annotated[str, Field(max_length=2000)] = ""


class AgencyRatingOut(Schema):
    agency_id: int
    agency: str
    rank: int
    total: Decimal
    scores: dict[str, Decimal | None]
    flagged: bool
    flag_reasons: list[str]
    figures: dict[str, Any]


class RunOut(Schema):
    id: int
    region: str
    year: int
    quarter: int
    status: str
    weights: dict[str, int]
    number: str
    pdf_sha256: str
    review_note: str
    ratings: list[AgencyRatingOut]


class MyRatingOut(Schema):
    run_id: int
    year: int
    quarter: int
    number: str
    agency_id: int
    rank: int
    total: Decimal
    flagged: bool
    flag_reasons: list[str]


class SurveyIn(Schema):
    region: Annotated[str, Field(max_length=12)]
    title: Annotated[str, Field(max_length=200)]
    audience: str = Audience.BOTH
    opens_on: dt.date
    closes_on: dt.date
    target_percent: Decimal = Decimal(93)
    questions: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=20)] = []


class SurveyOut(Schema):
    id: int
    region: str
    title: str
    audience: str
    opens_on: dt.date
    closes_on: dt.date
    target_percent: Decimal
    status: str
    questions: list[dict[str, Any]]


class SurveyResultOut(Schema):
    n: int
    satisfied: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None
    margin: float | None
    target: float
    verdict: str
    fields: list[dict[str, Any]]


class AnswerIn(Schema):
    party_id: Id
    overall: Mark
    answers: Annotated[dict[str, Mark], Field(max_length=20)] = {}
    fields: Annotated[list[Id], Field(max_length=3)] = []
    agency_id: Id | None = None
    comment: Annotated[str, Field(max_length=500)] = ""


class AnswerOut(Schema):
    id: int
    survey_id: int
    overall: int


def _id(value: int, what: str) -> int:
    if not 0 < value <= MAX_ID:
        raise NotFound(f"{what}不存在或不在您的数据范围内。", "Not found.")
    return value


def _region(user: User, code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None or not perms.can(user, rules.MANAGE, region):
        raise NotFound("区划不存在或不在您的数据范围内。", "Region not found.", code="region_not_found")
    return region


def _rating_out(r: AgencyRating) -> dict[str, Any]:
    return {
        "agency_id": r.agency_id,
        "agency": r.agency.name,
        "rank": r.rank,
        "total": r.total,
        "scores": r.scores,
        "flagged": r.flagged,
        "flag_reasons": r.flag_reasons,
        "figures": r.figures,
    }


def _run_out(run: RatingRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "region": run.region.code,
        "year": run.year,
        "quarter": run.quarter,
        "status": run.status,
        "weights": run.weights,
        "number": run.number,
        "pdf_sha256": run.pdf_sha256,
        "review_note": run.review_note,
        "ratings": [_rating_out(r) for r in selectors.run_ratings(run)],
    }


def _survey_out(r: SurveyRound) -> dict[str, Any]:
    return {
        "id": r.pk,
        "region": r.region.code,
        "title": r.title,
        "audience": r.audience,
        "opens_on": r.opens_on,
        "closes_on": r.closes_on,
        "target_percent": r.target_percent,
        "status": r.status,
        "questions": [{"id": q.pk, "order": q.order, "text": q.text} for q in r.questions.all()],
    }


@router.get("/weights/{region}", response={200: WeightsOut, **READ_ERRORS}, summary="评议权重")
def weights_get(request: HttpRequest, region: RegionCode) -> dict[str, Any]:
    r = _region(caller(request), region)
    weights, threshold = selectors.region_weights(r)
    return {"region": r.code, "weights": weights, "min_acts_per_officer": threshold}


@router.put("/weights/{region}", response={200: WeightsOut, **WRITE_ERRORS}, summary="设置评议权重")
def weights_set(request: HttpRequest, region: RegionCode, payload: WeightsIn) -> dict[str, Any]:
    user = caller(request)
    r = _region(user, region)
    services.rating_weights_set(
        actor=user, region=r, weights=payload.weights, min_acts_per_officer=payload.min_acts_per_officer
    )
    weights, threshold = selectors.region_weights(r)
    return {"region": r.code, "weights": weights, "min_acts_per_officer": threshold}


@router.get("/runs", response={200: list[RunOut], **READ_ERRORS}, summary="季度评议列表")
def run_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.MANAGE)
    # A bare list: four quarters a year per region; at most 40.
    return [_run_out(run) for run in selectors.runs(user)[:40]]


@router.post("/runs", response={201: RunOut, **WRITE_ERRORS}, summary="计算季度评议")
def run_compute(request: HttpRequest, payload: RunIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    run = services.rating_run_compute(
        actor=user, region=_region(user, payload.region), year=payload.year, quarter=payload.quarter
    )
    return 201, _run_out(run)


@router.get("/runs/{run_id}", response={200: RunOut, **READ_ERRORS}, summary="季度评议")
def run_get(request: HttpRequest, run_id: Id) -> dict[str, Any]:
    return _run_out(selectors.run_get(caller(request), _id(run_id, "季度评议")))


@router.post("/runs/{run_id}/review", response={200: RunOut, **WRITE_ERRORS}, summary="审核季度评议")
def run_review(request: HttpRequest, run_id: Id, payload: ReviewIn) -> dict[str, Any]:
    user = caller(request)
    run = selectors.run_get(user, _id(run_id, "季度评议"))
    return _run_out(services.rating_run_review(actor=user, run=run, note=payload.note))


@router.post("/runs/{run_id}/publish", response={200: RunOut, **WRITE_ERRORS}, summary="发布季度评议通报")
def run_publish(request: HttpRequest, run_id: Id) -> dict[str, Any]:
    user = caller(request)
    run = selectors.run_get(user, _id(run_id, "季度评议"))
    return _run_out(services.rating_run_publish(actor=user, run=run))


@router.get("/mine", response={200: list[MyRatingOut], **READ_ERRORS}, summary="本单位评议结果")
def my_ratings(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.VIEW)
    return [
        {
            "run_id": r.run_id,
            "year": r.run.year,
            "quarter": r.run.quarter,
            "number": r.run.number,
            "agency_id": r.agency_id,
            "rank": r.rank,
            "total": r.total,
            "flagged": r.flagged,
            "flag_reasons": r.flag_reasons,
        }
        for r in selectors.my_ratings(user)
    ]


@router.get("/surveys", response={200: list[SurveyOut], **READ_ERRORS}, summary="满意度调查列表")
def survey_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.MANAGE)
    return [_survey_out(r) for r in selectors.rounds(user)[:40]]


@router.post("/surveys", response={201: SurveyOut, **WRITE_ERRORS}, summary="发起满意度调查")
def survey_create(request: HttpRequest, payload: SurveyIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    r = services.survey_create(
        actor=user,
        region=_region(user, payload.region),
        title=payload.title,
        audience=payload.audience,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
        target_percent=payload.target_percent,
        questions=payload.questions,
    )
    return 201, _survey_out(r)


@router.get(
    "/surveys/{survey_id}/results", response={200: SurveyResultOut, **READ_ERRORS}, summary="满意度调查结果"
)
def survey_results(request: HttpRequest, survey_id: Id) -> dict[str, Any]:
    r = selectors.round_get(caller(request), _id(survey_id, "满意度调查"))
    res = selectors.survey_result(r)
    return {
        "n": res.n,
        "satisfied": res.satisfied,
        "rate": res.rate,
        "ci_low": res.low,
        "ci_high": res.high,
        "margin": res.margin,
        "target": res.target,
        "verdict": res.verdict,
        "fields": [{"field": name, "votes": n} for name, n in res.fields],
    }


@router.post(
    "/surveys/{survey_id}/close", response={200: SurveyOut, **WRITE_ERRORS}, summary="结束满意度调查"
)
def survey_close(request: HttpRequest, survey_id: Id) -> dict[str, Any]:
    user = caller(request)
    r = selectors.round_get(user, _id(survey_id, "满意度调查"))
    return _survey_out(services.survey_close(actor=user, survey=r))


@router.post(
    "/surveys/{survey_id}/answers", response={201: AnswerOut, **WRITE_ERRORS}, summary="企业提交答卷"
)
def survey_answer(request: HttpRequest, survey_id: Id, payload: AnswerIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    response = services.survey_answer_enterprise(
        actor=user,
        survey=_id(survey_id, "满意度调查"),
        party=payload.party_id,
        overall=payload.overall,
        answers={k: v for k, v in payload.answers.items()},
        fields=payload.fields,
        agency=payload.agency_id,
        comment=payload.comment,
    )
    return 201, {"id": response.pk, "survey_id": response.round_id, "overall": response.overall}
