"""Legal reviews (review app), publications (disclosure) and complaints join the dashboard's facts as they
happen, equal to a rebuild at every step, with their roll-ups and their "overdue now" counts."""

from __future__ import annotations

import datetime as dt

from zhifa.cases.tests.helpers import CaseWorld
from zhifa.complaints import services as complaint_services
from zhifa.core import clock
from zhifa.disclosure.models import Publication
from zhifa.disclosure.tests.helpers import publish
from zhifa.review.tests.helpers import ready_case, review_round
from zhifa.stats import aggregates, selectors
from zhifa.stats.models import Fact, RegionFact
from zhifa.testing.worlds import decide_simple

NEW_SOURCES = ["review", "publication", "complaint"]


def consistent() -> None:
    expected, _ = aggregates.compute(NEW_SOURCES)
    assert aggregates.stored(NEW_SOURCES) == aggregates.nonzero(expected)
    assert aggregates.stored_rollups() == aggregates.rollups_of_stored()


def count(metric: str, **where: object) -> int:
    return sum(Fact.objects.filter(metric=metric, **where).values_list("count", flat=True))


def test_review_rounds_count_as_submitted_and_their_conclusions_once(world: CaseWorld) -> None:
    case = ready_case(world)
    review_round(world, case, agreed=False, problems={"facts": "证据不足"})
    consistent()
    review_round(world, case, agreed=True)
    consistent()
    assert count("review.submitted", agency=world.agency) == 2
    # each conclusion counted once (the review app records it on the case: case.legal_review)
    assert count("case.legal_review", key="not_agreed") == 1 and count("case.legal_review", key="agreed") == 1
    assert count("review.due") == 0  # nothing left in review
    scope = selectors.scope_for(world.supervisor, year=2025)
    assert selectors.headline(scope)["reviews"] == 2
    submitted = next(
        s for s in selectors.chart(scope, "legal_reviews")["series"] if s["metric"] == "review.submitted"
    )
    assert submitted["values"][2] == 2  # both rounds in March 2025


def test_a_publication_is_overdue_until_published_then_counted_in_its_month(world: CaseWorld) -> None:
    case = decide_simple(world, on=dt.date(2025, 3, 3))
    publication = Publication.objects.get(source_type="cases.case", source_id=str(case.pk))
    consistent()
    scope = selectors.scope_for(world.supervisor, year=2025)
    assert publication.due_on is not None and publication.due_on < clock.today()
    assert selectors.headline(scope)["publications_overdue"] == 1
    publish(world, case)
    consistent()
    scope = selectors.scope_for(world.supervisor, year=clock.today().year)
    headline = selectors.headline(scope)
    assert (headline["publications_overdue"], headline["publications"]) == (0, 1)
    assert count("publication.late", agency=world.agency) == 1  # published after its 7 working days
    month = clock.today().replace(day=1)
    for path in aggregates.ancestors(world.agency.region.path):
        assert RegionFact.objects.get(region_path=path, metric="publication.published", day=month).count == 1


def test_a_complaint_is_placed_by_its_region_then_by_the_agency_that_handles_it(world: CaseWorld) -> None:
    complaint = complaint_services.complaint_submit_public(
        region_code=world.county.code, subject="检查时态度恶劣", content="详情"
    )
    consistent()
    cell = Fact.objects.get(metric="complaint.received")
    assert (cell.agency_id, cell.region_path, cell.key) == (None, world.county.path, "web")
    complaint_services.complaint_assign(actor=world.supervisor, complaint=complaint, agency=world.agency)
    consistent()
    assert Fact.objects.get(metric="complaint.received", count=1).agency_id == world.agency.pk
    complaint_services.complaint_reply(actor=world.head, complaint=complaint, reply="已核查并整改。")
    complaint.refresh_from_db()
    complaint_services.complaint_rate(tracking_code=complaint.tracking_code, satisfaction="dissatisfied")
    consistent()
    scope = selectors.scope_for(world.supervisor, year=clock.today().year)
    headline = selectors.headline(scope)
    assert (headline["complaints"], headline["complaints_overdue"]) == (1, 0)
    chart = selectors.chart(scope, "complaints")
    dissatisfied = next(s for s in chart["series"] if s.get("key") == "dissatisfied")
    assert sum(dissatisfied["values"]) == 1 and "不满意 1" in chart["note"]
    # the agency's own dashboard counts it too; another agency's does not
    assert selectors.headline(selectors.scope_for(world.head))["complaints"] == 1
    assert selectors.headline(selectors.scope_for(world.outsider))["complaints"] == 0


def test_an_open_complaint_past_its_deadline_is_overdue_now(world: CaseWorld) -> None:
    complaint = complaint_services.complaint_submit_public(
        region_code=world.county.code, subject="执法人员未出示证件", content="详情"
    )
    complaint_services.complaint_assign(actor=world.supervisor, complaint=complaint, agency=world.agency)
    type(complaint).objects.filter(pk=complaint.pk).update(due=clock.today() - dt.timedelta(days=1))
    aggregates.sync("complaint", complaint.pk)
    scope = selectors.scope_for(world.supervisor)
    assert selectors.headline(scope)["complaints_overdue"] == 1
    type(complaint).objects.filter(pk=complaint.pk).update(due=clock.today())
    aggregates.sync("complaint", complaint.pk)
    assert selectors.headline(selectors.scope_for(world.supervisor))["complaints_overdue"] == 0
