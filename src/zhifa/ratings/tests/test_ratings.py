"""季度评议（一季一评）: weights per region, a quarter computed from the platform's figures, flags for agencies that
find no problems or barely use the platform, review before publication, the 通报 PDF/xlsx, each role's view."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.org.models import Role
from zhifa.ratings import services
from zhifa.ratings.documents import render_bulletin_pdf, render_bulletin_xlsx
from zhifa.ratings.models import AgencyRating, Dimension, RatingRun, RatingWeight, RunStatus
from zhifa.records.models import LedgerEntry
from zhifa.stats.models import Fact
from zhifa.supervision.models import Problem, ProblemSource, ProblemState
from zhifa.testing.worlds import _user_with

TODAY = dt.date(2026, 11, 18)  # the last finished quarter is 2026 Q3 (July–September)
IN_Q3 = timezone.make_aware(dt.datetime(2026, 8, 10, 10))

WEIGHTS = {
    Dimension.TIMELINESS: 40,
    Dimension.WARNINGS: 0,
    Dimension.PROBLEMS: 30,
    Dimension.EVALUATION: 0,
    Dimension.COMPLAINTS: 0,
    Dimension.SATISFACTION: 30,
}


@pytest.fixture
def today(fixed_clock: Any) -> dt.date:
    return fixed_clock(TODAY)


def _fact(agency: Any, metric: str, count: int, day: dt.date = dt.date(2026, 8, 1)) -> None:
    Fact.objects.create(metric=metric, agency=agency, region_path=agency.region.path, day=day, count=count)


def _problem(agency: Any, *, due: dt.date | None, closed_at: dt.datetime | None = None) -> Problem:
    p = Problem.objects.create(agency=agency, source_kind=ProblemSource.OTHER, title="测试问题", due=due)
    state = ProblemState.CLOSED if closed_at else ProblemState.OPEN
    Problem.objects.filter(pk=p.pk).update(
        opened_at=IN_Q3, closed_at=closed_at, state=state, verified=bool(closed_at)
    )
    return p


def _rating(run: RatingRun, agency: Any) -> AgencyRating:
    return run.ratings.get(agency=agency)


# --- weights ------------------------------------------------------------------------------------------------------


def test_the_bureau_sets_its_regions_weights_summing_to_100(sup: Any, today: dt.date) -> None:
    services.rating_weights_set(
        actor=sup.county_sup, region=sup.w.county, weights=WEIGHTS, min_acts_per_officer="2"
    )
    assert (
        dict(RatingWeight.objects.filter(region=sup.w.county).values_list("dimension", "weight")) == WEIGHTS
    )
    assert LedgerEntry.objects.filter(action="ratings.weights_set").exists()


def test_weights_that_do_not_sum_to_100_are_refused_and_nothing_is_written(sup: Any, today: dt.date) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.rating_weights_set(
            actor=sup.county_sup, region=sup.w.county, weights={**WEIGHTS, "timeliness": 50}
        )
    assert "之和须为 100" in exc.value.message
    assert not RatingWeight.objects.exists()


def test_a_supervisor_of_another_region_cannot_set_its_weights(sup: Any, today: dt.date) -> None:
    with pytest.raises(PermissionDenied):
        services.rating_weights_set(actor=sup.foreign_sup, region=sup.w.county, weights=WEIGHTS)
    with pytest.raises(PermissionDenied):
        services.rating_weights_set(actor=sup.w.head, region=sup.w.county, weights=WEIGHTS)


# --- computing a quarter -------------------------------------------------------------------------------------------


def test_a_quarter_not_yet_finished_cannot_be_rated(sup: Any, today: dt.date) -> None:
    with pytest.raises(RuleViolation) as exc:
        services.rating_run_compute(actor=sup.county_sup, region=sup.w.county, year=2026, quarter=4)
    assert exc.value.code == "quarter_not_finished"
    run = services.rating_run_compute(actor=sup.county_sup, region=sup.w.county, year=2026, quarter=3)
    assert run.status == RunStatus.COMPUTED


def test_scores_come_from_the_platforms_figures_with_the_regions_weights(sup: Any, today: dt.date) -> None:
    w = sup.w
    services.rating_weights_set(actor=sup.county_sup, region=w.county, weights=WEIGHTS)
    _fact(w.agency, "case.decided", 4)
    _fact(w.agency, "case.decided_late", 1)  # 3 of 4 on time: 75
    _fact(w.agency, "case.decided", 9, day=dt.date(2026, 10, 1))  # Q4: not this quarter
    _problem(w.agency, due=dt.date(2026, 9, 1))  # overdue at the quarter's end
    _problem(w.agency, due=dt.date(2026, 12, 1))  # not yet due: on track → problems 50
    run = services.rating_run_compute(actor=sup.county_sup, region=w.county, year=2026, quarter=3)
    r = _rating(run, w.agency)
    assert r.scores[Dimension.TIMELINESS] == "75.00"
    assert r.scores[Dimension.PROBLEMS] == "50.00"
    assert r.scores[Dimension.SATISFACTION] is None  # nothing rated: its weight is shared out
    assert r.total == Decimal("64.29")  # (75×40 + 50×30) / 70
    assert r.figures["decided"] == 4
    assert sup.justice.pk not in set(
        run.ratings.values_list("agency_id", flat=True)
    )  # the bureau is not rated


def test_an_agency_with_no_problems_found_is_flagged_and_one_that_finds_them_is_not(
    sup: Any, today: dt.date
) -> None:
    """004 line 29: 对未排查出执法问题以及整治问题不力的……行政执法机关重点监督检查."""
    w = sup.w
    _problem(w.agency, due=dt.date(2026, 12, 31))
    run = services.rating_run_compute(actor=sup.county_sup, region=w.county, year=2026, quarter=3)
    other = _rating(run, w.other_agency)
    assert other.flagged and any(r.startswith("未排查出执法问题") for r in other.flag_reasons)
    assert not any(r.startswith("未排查出执法问题") for r in _rating(run, w.agency).flag_reasons)


def test_an_agency_with_an_overdue_problem_is_flagged_for_weak_rectification(
    sup: Any, today: dt.date
) -> None:
    w = sup.w
    _problem(w.agency, due=dt.date(2026, 9, 1))
    _problem(
        w.other_agency, due=dt.date(2026, 9, 1), closed_at=timezone.make_aware(dt.datetime(2026, 8, 20, 10))
    )
    run = services.rating_run_compute(actor=sup.county_sup, region=w.county, year=2026, quarter=3)
    assert any(r.startswith("整治问题不力") for r in _rating(run, w.agency).flag_reasons)
    assert not any(r.startswith("整治问题不力") for r in _rating(run, w.other_agency).flag_reasons)


def test_an_agency_that_barely_uses_the_platform_for_its_size_is_flagged(sup: Any, today: dt.date) -> None:
    """004 line 32: 定期评估平台应用情况 — three officers and two acts in a quarter is below one per officer."""
    w = sup.w
    _fact(w.agency, "case.opened", 2)
    run = services.rating_run_compute(actor=sup.county_sup, region=w.county, year=2026, quarter=3)
    assert any(r.startswith("平台应用不足") for r in _rating(run, w.agency).flag_reasons)
    _fact(w.agency, "inspection.done", 1)
    run = services.rating_run_compute(actor=sup.county_sup, region=w.county, year=2026, quarter=3)
    assert not any(r.startswith("平台应用不足") for r in _rating(run, w.agency).flag_reasons)


# --- review and publication ----------------------------------------------------------------------------------------


def test_a_quarter_is_published_only_after_review_and_is_final_then(sup: Any, today: dt.date) -> None:
    run = services.rating_run_compute(actor=sup.county_sup, region=sup.w.county, year=2026, quarter=3)
    with pytest.raises(RuleViolation):
        services.rating_run_publish(actor=sup.county_sup, run=run)
    services.rating_run_review(actor=sup.county_sup, run=run, note="限期整改。")
    with pytest.raises(RuleViolation) as exc:
        services.rating_run_compute(actor=sup.county_sup, region=sup.w.county, year=2026, quarter=3)
    assert exc.value.code == "rating_final"
    run = services.rating_run_publish(actor=sup.county_sup, run=run)
    assert (
        run.status == RunStatus.PUBLISHED and run.number.endswith("〔2026〕3号") and len(run.pdf_sha256) == 64
    )
    with pytest.raises(RuleViolation):
        services.rating_run_publish(actor=sup.county_sup, run=run)


def test_a_supervisor_of_another_region_cannot_review_or_publish(sup: Any, today: dt.date) -> None:
    run = services.rating_run_compute(actor=sup.county_sup, region=sup.w.county, year=2026, quarter=3)
    with pytest.raises(PermissionDenied):
        services.rating_run_review(actor=sup.foreign_sup, run=run)
    assert RatingRun.objects.get(pk=run.pk).status == RunStatus.COMPUTED


def test_the_bulletin_pdf_and_xlsx_name_the_flagged_agencies(sup: Any, today: dt.date) -> None:
    run = services.rating_run_compute(actor=sup.county_sup, region=sup.w.county, year=2026, quarter=3)
    services.rating_run_review(actor=sup.county_sup, run=run)
    run = services.rating_run_publish(actor=sup.county_sup, run=run)
    pdf = render_bulletin_pdf(run)
    assert pdf.startswith(b"%PDF")
    sheet = load_workbook(io.BytesIO(render_bulletin_xlsx(run))).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    names = [r[1] for r in rows[3:]]
    assert sup.w.agency.name in names
    assert any(r[9] and "未排查出执法问题" in r[9] for r in rows[3:])


# --- pages ---------------------------------------------------------------------------------------------------------


def test_the_bureau_computes_reviews_and_publishes_through_its_pages(sup: Any, today: dt.date) -> None:
    c = Client()
    c.force_login(sup.county_sup)
    response = c.post(reverse("ratings:index"), {"region": sup.w.county.code, "year": 2026, "quarter": 3})
    run = RatingRun.objects.get()
    assert response.status_code == 302
    page = c.get(reverse("ratings:run_detail", args=[run.pk])).content.decode()
    assert "重点监督" in page and sup.w.other_agency.name in page
    c.post(reverse("ratings:run_review", args=[run.pk]), {"note": "限期整改"})
    c.post(reverse("ratings:run_publish", args=[run.pk]))
    assert RatingRun.objects.get().status == RunStatus.PUBLISHED
    assert c.get(reverse("ratings:run_pdf", args=[run.pk]))["Content-Type"] == "application/pdf"
    weights = c.post(
        reverse("ratings:weights"), {"region": sup.w.county.code, **{f"w_{d}": 10 for d in WEIGHTS}}
    )
    assert weights.status_code == 422 and "之和须为 100" in weights.content.decode()


def test_an_agency_head_sees_its_own_published_rating_and_not_others(sup: Any, today: dt.date) -> None:
    run = services.rating_run_compute(actor=sup.county_sup, region=sup.w.county, year=2026, quarter=3)
    c = Client()
    c.force_login(sup.w.head)
    assert sup.w.agency.name not in c.get(reverse("ratings:mine")).content.decode()  # not yet published
    assert c.get(reverse("ratings:run_pdf", args=[run.pk])).status_code == 404
    services.rating_run_review(actor=sup.county_sup, run=run)
    services.rating_run_publish(actor=sup.county_sup, run=run)
    page = c.get(reverse("ratings:mine")).content.decode()
    assert sup.w.agency.name in page and sup.w.other_agency.name not in page and "共 2 个" in page
    assert c.get(reverse("ratings:run_pdf", args=[run.pk])).status_code == 200
    assert c.get(reverse("ratings:index")).status_code == 403
    assert c.get(reverse("ratings:run_detail", args=[run.pk])).status_code == 404


# --- API ------------------------------------------------------------------------------------------------------------


def test_the_api_computes_a_quarter_in_scope_and_refuses_another_region(sup: Any, today: dt.date) -> None:
    c = Client()
    c.force_login(sup.county_sup)
    ok = c.post(
        "/api/ratings/runs", {"region": sup.w.county.code, "year": 2026, "quarter": 3}, "application/json"
    )
    assert ok.status_code == 201 and len(ok.json()["ratings"]) == 2
    c.force_login(sup.foreign_sup)
    assert c.get(f"/api/ratings/runs/{ok.json()['id']}").status_code == 404
    weights = c.put(f"/api/ratings/weights/{sup.w.county.code}", {"weights": WEIGHTS}, "application/json")
    assert weights.status_code == 404
    refused = c.post(
        "/api/ratings/runs", {"region": sup.w.county.code, "year": 2026, "quarter": 3}, "application/json"
    )
    assert refused.status_code == 404
    head = _user_with(Role.AGENCY_HEAD, agency=sup.w.agency)
    c.force_login(head)
    assert (
        c.put(
            f"/api/ratings/weights/{sup.w.county.code}", {"weights": WEIGHTS}, "application/json"
        ).status_code
        == 404
    )


def test_an_agency_with_no_data_has_no_total_and_follows_those_that_have_one(
    sup: Any, today: dt.date
) -> None:
    w = sup.w
    _fact(w.agency, "case.decided", 2)
    run = services.rating_run_compute(actor=sup.county_sup, region=w.county, year=2026, quarter=3)
    measured, empty = _rating(run, w.agency), _rating(run, w.other_agency)
    assert (measured.rank, measured.measured) == (1, 1)
    assert (empty.rank, empty.measured) == (2, 0)
    assert empty.flag_reasons[0].startswith("无可评议数据")
