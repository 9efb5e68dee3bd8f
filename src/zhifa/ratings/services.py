"""季度评议与满意度调查 — state changes. Each checks the caller's permission and scope over the object it names,
validates, writes and appends to the ledger in one transaction (``@service``); a refusal writes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Domain, Party, Region, User
from zhifa.ratings import rules
from zhifa.ratings.documents import render_bulletin_pdf
from zhifa.ratings.models import (
    AgencyRating,
    Audience,
    Dimension,
    RatingRun,
    RatingSettings,
    RatingWeight,
    RespondentKind,
    RoundStatus,
    RunStatus,
    SurveyFieldVote,
    SurveyQuestion,
    SurveyResponse,
    SurveyRound,
)
from zhifa.ratings.selectors import (
    AgencyFigures,
    enterprise_party_ids,
    last_finished_quarter,
    period_figures,
    quarter_bounds,
    region_agencies,
    region_weights,
)
from zhifa.records.services import record_append

MAX_FIELDS_PER_ANSWER = 3
MAX_QUESTIONS = 20
HUNDRED = Decimal(100)


# --- weights --------------------------------------------------------------------------------------------------


@service
def rating_weights_set(
    *, actor: User, region: Region, weights: Mapping[str, Any], min_acts_per_officer: Any = None
) -> dict[str, int]:
    """评议权重 — the bureau sets each dimension's weight (integers 0–100 summing to 100; 0 leaves a dimension
    out) and the platform-use threshold for its region. 002: “健全协调监督考评机制”."""
    perms.require(actor, rules.MANAGE, region)
    checked: dict[str, int] = {}
    for dimension in Dimension.values:
        raw = weights.get(dimension, 0)
        try:
            value = int(str(raw).strip() or "0")
        except ValueError:
            value = -1
        if not 0 <= value <= 100:
            raise InvalidInput(
                f"“{Dimension(dimension).label}”的权重须为 0–100 的整数。",
                "Weights are integers 0-100.",
                field="weights",
                code="bad_weight",
            )
        checked[dimension] = value
    unknown = set(weights) - set(Dimension.values)
    if unknown:
        raise InvalidInput("存在未知的评议维度。", f"Unknown dimensions: {sorted(unknown)}.", field="weights")
    total = sum(checked.values())
    if total != 100:
        raise InvalidInput(
            f"各维度权重之和须为 100，现为 {total}。",
            f"Weights must sum to 100, not {total}.",
            field="weights",
            code="weights_not_100",
        )
    threshold: Decimal | None = None
    if min_acts_per_officer not in (None, ""):
        try:
            threshold = Decimal(str(min_acts_per_officer)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        except InvalidOperation:
            threshold = Decimal(-1)
        if not Decimal(0) <= threshold <= Decimal(999):
            raise InvalidInput(
                "平台应用阈值须为 0–999 之间的数字。",
                "The threshold must be a number 0-999.",
                field="min_acts_per_officer",
                code="bad_threshold",
            )
    for dimension, value in checked.items():
        RatingWeight.objects.update_or_create(
            region=region, dimension=dimension, defaults={"weight": value, "set_by": actor}
        )
    if threshold is not None:
        RatingSettings.objects.update_or_create(region=region, defaults={"min_acts_per_officer": threshold})
    record_append(
        actor=actor,
        action="ratings.weights_set",
        obj=region,
        changes={
            "region": region.code,
            "weights": "，".join(f"{Dimension(d).label} {w}" for d, w in checked.items()),
            **({"min_acts_per_officer": str(threshold)} if threshold is not None else {}),
        },
    )
    return checked


# --- a quarter's rating ---------------------------------------------------------------------------------------


def _ratio(good: int, total: int) -> Decimal | None:
    if total <= 0:
        return None
    return (HUNDRED * max(good, 0) / total).quantize(Decimal("0.01"), ROUND_HALF_UP)


def dimension_scores(f: AgencyFigures) -> dict[str, Decimal | None]:
    """Each dimension 0–100 from an agency's figures; ``None`` where it has nothing to measure."""
    average = Decimal(f.evaluation_average) if f.evaluation_average is not None else None
    return {
        Dimension.TIMELINESS: _ratio(f.decided - f.decided_late, f.decided),
        Dimension.WARNINGS: _ratio(
            f.flags_handled + f.inspection_warnings_closed, f.flags + f.inspection_warnings
        ),
        Dimension.PROBLEMS: _ratio(f.problems_in_hand - f.problems_overdue, f.problems_in_hand),
        Dimension.EVALUATION: min(average, HUNDRED) if average is not None else None,
        Dimension.COMPLAINTS: _ratio(f.complaints_on_time, f.complaints),
        Dimension.SATISFACTION: _ratio(f.satisfied, f.rated),
    }


def flag_reasons(f: AgencyFigures, min_acts_per_officer: Decimal) -> list[str]:
    """重点监督 — why an agency is flagged in the 通报.

    004 line 29: “对未排查出执法问题以及整治问题不力的镇区(街道)、县相关行政执法机关重点监督检查”;
    004 line 32: “定期评估平台应用情况” — an agency that barely uses the platform for its size is flagged too.
    """
    reasons: list[str] = []
    if f.problems_opened == 0 and f.flags == 0 and f.inspection_warnings == 0:
        reasons.append("未排查出执法问题：本季度问题台账、监督预警、检查预警均为零")
    if f.problems_overdue:
        reasons.append(f"整治问题不力：{f.problems_overdue} 个问题逾期未整改销号")
    needed = min_acts_per_officer * max(f.officers, 1)
    if Decimal(f.acts) < needed:
        per = (Decimal(f.acts) / f.officers).quantize(Decimal("0.1")) if f.officers else Decimal(f.acts)
        reasons.append(
            f"平台应用不足：本季度案源登记、立案、检查共 {f.acts} 件，在岗执法人员 {f.officers} 名，"
            f"人均 {per} 件，低于 {min_acts_per_officer} 件"
        )
    return reasons


def _weighted_total(scores: Mapping[str, Decimal | None], weights: Mapping[str, int]) -> Decimal:
    """The weighted mean over the dimensions the agency has data for (the others' weight is shared out)."""
    used = {d: w for d, w in weights.items() if w and scores.get(d) is not None}
    weight_sum = sum(used.values())
    if not weight_sum:
        return Decimal(0).quantize(Decimal("0.01"))
    total = Decimal(0)
    for d, w in used.items():
        total += Decimal(scores[d] or 0) * w
    return (total / weight_sum).quantize(Decimal("0.01"), ROUND_HALF_UP)


@service
def rating_run_compute(*, actor: User, region: Region, year: int, quarter: int) -> RatingRun:
    """计算季度评议 — rate every agency of the region for a finished quarter (002: “一季一评”). A computed but
    unreviewed quarter is computed afresh; a reviewed or published one is final."""
    perms.require(actor, rules.MANAGE, region)
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise InvalidInput(
            "请选择年度和季度。", "Choose a year and a quarter.", field="quarter", code="bad_quarter"
        )
    if (year, quarter) > last_finished_quarter():
        raise RuleViolation(
            "只能评议已经结束的季度。", "Only a finished quarter can be rated.", code="quarter_not_finished"
        )
    agencies = region_agencies(region)
    if not agencies:
        raise RuleViolation(
            "该区划内没有执法主体，无法评议。", "No agencies in the region.", code="no_agencies"
        )
    run = RatingRun.objects.select_for_update().filter(region=region, year=year, quarter=quarter).first()
    if run is not None and run.status != RunStatus.COMPUTED:
        raise RuleViolation(
            f"{run.period_label}的评议已{run.get_status_display()}，不能重新计算。",
            "This quarter's rating is final.",
            code="rating_final",
        )
    weights, threshold = region_weights(region)
    now = clock.now()
    if run is None:
        run = RatingRun.objects.create(
            region=region,
            year=year,
            quarter=quarter,
            weights=weights,
            min_acts_per_officer=threshold,
            computed_by=actor,
            computed_at=now,
        )
    else:
        run.weights, run.min_acts_per_officer, run.computed_by, run.computed_at = (
            weights,
            threshold,
            actor,
            now,
        )
        run.save(update_fields=["weights", "min_acts_per_officer", "computed_by", "computed_at"])
        run.ratings.all().delete()
    start, end = quarter_bounds(year, quarter)
    figures = period_figures([a.pk for a in agencies], start, end)
    rows: list[tuple[int, Decimal, int, dict[str, Any], dict[str, Any], list[str]]] = []
    for agency in agencies:
        f = figures[agency.pk]
        scores = dimension_scores(f)
        reasons = flag_reasons(f, threshold)
        plain = {k: v for k, v in dataclasses.asdict(f).items() if k != "extra"}
        measured = sum(1 for d, v in scores.items() if v is not None and weights.get(d))
        rows.append(
            (
                agency.pk,
                _weighted_total(scores, weights),
                measured,
                {k: (str(v) if v is not None else None) for k, v in scores.items()},
                plain,
                reasons,
            )
        )
    # an agency with no data on any weighted dimension has no total: it follows every agency that has one
    rows.sort(key=lambda r: (r[2] == 0, -r[1], r[0]))
    ratings, rank, previous = [], 0, None
    for position, (agency_id, total, measured, scores, plain, reasons) in enumerate(rows, start=1):
        if (measured == 0, total) != previous:
            rank, previous = position, (measured == 0, total)
        if measured == 0:
            reasons = ["无可评议数据：本季度各评议维度均无数据", *reasons]
        ratings.append(
            AgencyRating(
                run=run,
                agency_id=agency_id,
                total=total,
                rank=rank,
                measured=measured,
                scores=scores,
                figures=plain,
                flagged=bool(reasons),
                flag_reasons=reasons,
            )
        )
    AgencyRating.objects.bulk_create(ratings)
    record_append(
        actor=actor,
        action="ratings.run_compute",
        obj=run,
        changes={
            "year": year,
            "quarter": quarter,
            "agencies": len(ratings),
            "flagged": sum(1 for r in ratings if r.flagged),
        },
    )
    return run


def _locked_run(actor: User, run: RatingRun | int) -> RatingRun:
    pk = run.pk if isinstance(run, RatingRun) else run
    locked = RatingRun.objects.select_for_update().select_related("region").filter(pk=pk).first()
    if locked is None:
        raise NotFound("季度评议不存在。", "Rating not found.", code="rating_not_found")
    perms.require(actor, rules.MANAGE, locked)
    return locked


@service
def rating_run_review(*, actor: User, run: RatingRun | int, note: str = "") -> RatingRun:
    """审核季度评议 — the bureau checks the computed figures and flags; after this the quarter is final."""
    run = _locked_run(actor, run)
    if run.status != RunStatus.COMPUTED:
        raise RuleViolation(
            f"该评议{run.get_status_display()}，不能再审核。", "Already reviewed.", code="rating_not_computed"
        )
    note = (note or "").strip()
    if len(note) > 2000:
        raise InvalidInput(
            "审核意见不超过 2000 字。", "The note is too long.", field="note", code="note_too_long"
        )
    run.status, run.reviewed_by, run.reviewed_at, run.review_note = (
        RunStatus.REVIEWED,
        actor,
        clock.now(),
        note,
    )
    run.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    record_append(actor=actor, action="ratings.run_review", obj=run, changes={"note": note})
    return run


def bulletin_number(run: RatingRun) -> str:
    return f"{run.region.name}执法评议〔{run.year}〕{run.quarter}号"


@service
def rating_run_publish(*, actor: User, run: RatingRun | int) -> RatingRun:
    """发布通报 — a reviewed quarter is published (002: “市政府将采取一季一评方式定期通报”); the PDF's digest is
    kept so a printed copy can be checked against the platform."""
    run = _locked_run(actor, run)
    if run.status != RunStatus.REVIEWED:
        raise RuleViolation(
            "须先审核评议结果，再发布通报。" if run.status == RunStatus.COMPUTED else "该季度已通报。",
            "Review the rating before publishing it."
            if run.status == RunStatus.COMPUTED
            else "Already published.",
            code="rating_not_reviewed",
        )
    run.status, run.published_by, run.published_at = RunStatus.PUBLISHED, actor, clock.now()
    run.number = bulletin_number(run)
    run.pdf_sha256 = hashlib.sha256(render_bulletin_pdf(run)).hexdigest()
    run.save(update_fields=["status", "published_by", "published_at", "number", "pdf_sha256"])
    record_append(
        actor=actor,
        action="ratings.run_publish",
        obj=run,
        changes={"number": run.number, "sha256": run.pdf_sha256},
    )
    return run


# --- satisfaction surveys --------------------------------------------------------------------------------------


@service
def survey_create(
    *,
    actor: User,
    region: Region,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    questions: Sequence[str],
    audience: str = Audience.BOTH,
    target_percent: Any = Decimal(93),
) -> SurveyRound:
    """发起满意度调查 — 004 line 11: “人民群众和经营主体对行政执法满意率达93%以上” (the default target);
    002: “采取问卷调查、召开座谈会等方式,每年走访1-2次,着重调查执法满意度”."""
    perms.require(actor, rules.MANAGE, region)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise InvalidInput(
            "调查名称不能为空且不超过 200 字。", "A title is required.", field="title", code="bad_title"
        )
    if audience not in Audience.values:
        raise InvalidInput("请选择调查对象。", "Unknown audience.", field="audience", code="bad_audience")
    if closes_on < opens_on:
        raise InvalidInput(
            "截止日期不能早于开始日期。", "Closes before it opens.", field="closes_on", code="bad_dates"
        )
    if closes_on < clock.today():
        raise InvalidInput(
            "截止日期已过。", "The closing date has passed.", field="closes_on", code="closes_in_past"
        )
    try:
        target = Decimal(str(target_percent)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    except InvalidOperation:
        target = Decimal(0)
    if not Decimal(0) < target <= HUNDRED:
        raise InvalidInput("目标满意率须在 0–100 之间。", "Target must be 0-100.", field="target_percent")
    texts = [t.strip() for t in questions if t and t.strip()]
    if len(texts) > MAX_QUESTIONS or any(len(t) > 200 for t in texts):
        raise InvalidInput(
            f"题目最多 {MAX_QUESTIONS} 道，每道不超过 200 字。",
            "Too many or too long questions.",
            field="questions",
        )
    r = SurveyRound.objects.create(
        region=region,
        title=title,
        audience=audience,
        opens_on=opens_on,
        closes_on=closes_on,
        target_percent=target,
        token=secrets.token_urlsafe(12),
        created_by=actor,
    )
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(round=r, order=i, text=t) for i, t in enumerate(texts, start=1)
    )
    record_append(
        actor=actor,
        action="ratings.survey_create",
        obj=r,
        changes={
            "title": title,
            "target_percent": str(target),
            "audience": audience,
            "questions": len(texts),
        },
    )
    return r


@service
def survey_close(*, actor: User, survey: SurveyRound | int) -> SurveyRound:
    """结束满意度调查 — no more answers are taken."""
    pk = survey.pk if isinstance(survey, SurveyRound) else survey
    r = SurveyRound.objects.select_for_update().select_related("region").filter(pk=pk).first()
    if r is None:
        raise NotFound("满意度调查不存在。", "Survey not found.", code="survey_not_found")
    perms.require(actor, rules.MANAGE, r)
    if r.status == RoundStatus.CLOSED:
        raise RuleViolation("该调查已结束。", "Already closed.", code="survey_closed")
    r.status = RoundStatus.CLOSED
    r.save(update_fields=["status"])
    record_append(
        actor=actor, action="ratings.survey_close", obj=r, changes={"responses": r.responses.count()}
    )
    return r


def _check_answer(
    r: SurveyRound,
    kind: str,
    overall: Any,
    answers: Mapping[str, Any],
    field_ids: Sequence[Any],
    agency_id: Any,
) -> tuple[int, dict[str, int], list[Domain], Agency | None]:
    today = clock.today()
    if r.status != RoundStatus.OPEN or not r.opens_on <= today <= r.closes_on:
        raise RuleViolation("该调查不在答卷期内。", "The survey is not open.", code="survey_not_open")
    if r.audience not in (Audience.BOTH, kind):
        raise RuleViolation(
            f"该调查仅面向{r.get_audience_display()}。",
            "The survey is not for you.",
            code="survey_wrong_audience",
        )

    def mark(value: Any, what: str) -> int:
        try:
            score = int(str(value))
        except ValueError:
            score = 0
        if not 1 <= score <= 5:
            raise InvalidInput(
                f"请为“{what}”选择 1–5 分。", "Answers are 1-5.", field="overall", code="bad_mark"
            )
        return score

    score = mark(overall, "总体满意度")
    questions = list(r.questions.all())
    marks: dict[str, int] = {}
    for q in questions:
        value = answers.get(str(q.pk))
        if value not in (None, ""):
            marks[str(q.pk)] = mark(value, q.text)
    ids = []
    for raw in field_ids:
        try:
            ids.append(int(str(raw)))
        except ValueError:
            raise InvalidInput("执法领域无效。", "Unknown field.", field="fields", code="bad_field") from None
    ids = sorted(set(ids))
    if len(ids) > MAX_FIELDS_PER_ANSWER:
        raise InvalidInput(
            f"最不满意的执法领域最多选 {MAX_FIELDS_PER_ANSWER} 个。", "At most 3 fields.", field="fields"
        )
    domains = list(Domain.objects.filter(pk__in=ids))
    if len(domains) != len(ids):
        raise InvalidInput("执法领域无效。", "Unknown field.", field="fields", code="bad_field")
    agency = None
    if agency_id not in (None, ""):
        try:
            agency = Agency.objects.filter(
                pk=int(str(agency_id)), region__path__startswith=r.region.path, is_active=True
            ).first()
        except ValueError:
            agency = None
        if agency is None:
            raise InvalidInput(
                "请选择本地区的执法单位。", "Unknown agency.", field="agency", code="bad_agency"
            )
    return score, marks, domains, agency


def _save_answer(
    r: SurveyRound,
    *,
    kind: str,
    party: Party | None,
    score: int,
    marks: dict[str, int],
    domains: list[Domain],
    agency: Agency | None,
    comment: str,
    client_key: str,
    actor: User | None,
) -> SurveyResponse:
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise InvalidInput("意见建议不超过 500 字。", "The comment is too long.", field="comment")
    response = SurveyResponse.objects.create(
        round=r,
        kind=kind,
        party=party,
        agency=agency,
        overall=score,
        answers=marks,
        comment=comment,
        client_key=client_key,
    )
    SurveyFieldVote.objects.bulk_create(
        SurveyFieldVote(response=response, round=r, domain=d) for d in domains
    )
    record_append(
        actor=actor,
        action="ratings.survey_answer",
        obj=response,
        changes={"kind": kind, "overall": score},
    )
    return response


@service
def survey_answer_enterprise(
    *,
    actor: User,
    survey: SurveyRound | int,
    party: Party | int,
    overall: Any,
    answers: Mapping[str, Any] | None = None,
    fields: Sequence[Any] = (),
    agency: Any = None,
    comment: str = "",
) -> SurveyResponse:
    """企业答卷 — an enterprise user answers for an enterprise it acts for, in a survey of that enterprise's region,
    once per survey."""
    pk = survey.pk if isinstance(survey, SurveyRound) else survey
    r = SurveyRound.objects.select_related("region").filter(pk=pk).first()
    party_obj = Party.objects.filter(pk=party.pk if isinstance(party, Party) else party).first()
    if r is None or party_obj is None:
        raise NotFound("满意度调查不存在。", "Survey not found.", code="survey_not_found")
    if party_obj.pk not in enterprise_party_ids(
        actor
    ):  # not an enterprise the caller acts for: as if missing
        raise NotFound("企业不存在或不在您的数据范围内。", "Enterprise not found.", code="party_not_found")
    perms.require(actor, rules.ANSWER, party_obj)
    if not (party_obj.region_path or "").startswith(r.region.path):
        raise PermissionDenied(
            "该调查不面向贵企业所在地区。", "The survey is for another region.", code="survey_other_region"
        )
    score, marks, domains, agency_obj = _check_answer(
        r, RespondentKind.ENTERPRISE, overall, answers or {}, fields, agency
    )
    if SurveyResponse.objects.filter(round=r, party=party_obj).exists():
        raise RuleViolation("贵企业已提交过本次调查的答卷。", "Already answered.", code="survey_answered")
    return _save_answer(
        r,
        kind=RespondentKind.ENTERPRISE,
        party=party_obj,
        score=score,
        marks=marks,
        domains=domains,
        agency=agency_obj,
        comment=comment,
        client_key="",
        actor=actor,
    )


# One answer per client per survey and day (the page is also rate-limited per IP): a person answers once.
PUBLIC_ANSWERS_PER_CLIENT_PER_DAY = 1


def client_key(round_token: str, client: str) -> str:
    """A digest of the client's address for this survey (the address itself is not kept)."""
    return hashlib.sha256(f"{round_token}|{client}".encode()).hexdigest()


@service
def survey_answer_public(
    *,
    token: str,
    client: str,
    overall: Any,
    answers: Mapping[str, Any] | None = None,
    fields: Sequence[Any] = (),
    agency: Any = None,
    comment: str = "",
) -> SurveyResponse:
    """群众答卷 — anyone with the link answers, anonymously; one answer per client address per day."""
    r = SurveyRound.objects.select_related("region").filter(token=token).first() if token else None
    if r is None:
        raise NotFound("调查链接无效。", "Survey not found.", code="survey_not_found")
    score, marks, domains, agency_obj = _check_answer(
        r, RespondentKind.PUBLIC, overall, answers or {}, fields, agency
    )
    key = client_key(r.token, client)
    start = clock.local(clock.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    if (
        SurveyResponse.objects.filter(round=r, client_key=key, created_at__gte=start).count()
        >= PUBLIC_ANSWERS_PER_CLIENT_PER_DAY
    ):
        raise RuleViolation(
            "您今天已提交过答卷，感谢参与。", "Already answered today.", code="survey_answered"
        )
    return _save_answer(
        r,
        kind=RespondentKind.PUBLIC,
        party=None,
        score=score,
        marks=marks,
        domains=domains,
        agency=agency_obj,
        comment=comment,
        client_key=key,
        actor=None,
    )
