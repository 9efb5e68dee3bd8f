"""自动匹配与合并检查: proposals from planned visits of one enterprise, every agency agrees, one joint visit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.core.errors import InvalidInput, NotFound, RuleViolation
from zhifa.inspections import services
from zhifa.inspections.models import (
    Inspection,
    InspectionCheck,
    InspectionOfficer,
    InspectionStatus,
    MergeProposal,
    ProposalStatus,
    TaskKind,
)
from zhifa.inspections.tests.conftest import at, make_item, make_officer
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import AgencyFactory, UserFactory, grant
from zhifa.org.tokens import token_create
from zhifa.records.models import LedgerEntry


def _file(world, agency, officers, user, *, party=None, starts_on=dt.date(2026, 3, 1), item=None):
    return services.task_file(
        user,
        agency=agency,
        item=item or make_item(world, agency=agency),
        kind=TaskKind.COMPLAINT,
        party=party or world.parties[0],
        officer_ids=[o.pk for o in officers],
        title="投诉核查",
        reason="12345 热线投诉",
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=20),
        now=at(dt.date(2026, 2, 20), 8),
    )


@pytest.fixture
def two(world):
    """Two agencies' planned visits to one party, five days apart: one proposal."""
    pairs = [make_officer(world.other_agency, f"应急检查员{i}") for i in range(2)]
    other_user = pairs[0][0]
    t1 = _file(world, world.agency, world.officers[:2], world.officer_user)
    t2 = _file(world, world.other_agency, [o for _, o in pairs], other_user, starts_on=dt.date(2026, 3, 6))
    v1, v2 = Inspection.objects.get(task=t1), Inspection.objects.get(task=t2)
    return v1, v2, other_user, [o for _, o in pairs]


def test_filing_a_second_visit_within_the_window_proposes_a_merge(world, two) -> None:
    v1, v2, _, _ = two
    proposal = MergeProposal.objects.get(status=ProposalStatus.OPEN)
    assert set(proposal.inspections.values_list("pk", flat=True)) == {v1.pk, v2.pk}
    assert set(proposal.agencies.values_list("pk", flat=True)) == {world.agency.pk, world.other_agency.pk}
    assert proposal.window_days == 30
    assert LedgerEntry.objects.filter(action="inspection.merge.propose").exists()


def test_visits_further_apart_than_the_window_are_not_proposed(world) -> None:
    pairs = [make_officer(world.other_agency, f"应急检查员{i}") for i in range(2)]
    _file(world, world.agency, world.officers[:2], world.officer_user)
    _file(world, world.other_agency, [o for _, o in pairs], pairs[0][0], starts_on=dt.date(2026, 4, 15))
    assert not MergeProposal.objects.exists()


def test_every_agency_involved_agrees_then_the_visits_become_one(world, two) -> None:
    v1, v2, other_user, other_officers = two
    proposal = MergeProposal.objects.get()
    services.merge_proposal_accept(world.officer_user, proposal)
    v2.refresh_from_db()
    assert v2.status == InspectionStatus.PLANNED  # one agency of two has agreed
    proposal = services.merge_proposal_accept(other_user, proposal)
    # the joint visit is the one whose date lies within both tasks' periods (6 to 21 March)
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.survivor_id == v2.pk
    v1, v2 = v2, v1
    v2.refresh_from_db()
    assert v2.status == InspectionStatus.MERGED and v2.merged_into_id == v1.pk  # kept, never deleted
    checks = InspectionCheck.objects.filter(inspection=v1)
    assert {(c.agency_id, c.task_id) for c in checks} == {
        (v1.agency_id, v1.task_id),
        (v2.agency_id, v2.task_id),  # the moved check keeps the task that required it
    }
    officers = set(InspectionOfficer.objects.filter(inspection=v1).values_list("officer_id", flat=True))
    assert {o.pk for o in [*other_officers, *world.officers[:2]]} <= officers
    entry = LedgerEntry.objects.get(action="inspection.merge")
    assert str(v2.pk) in entry.changes


def test_heads_may_accept_for_their_agencies(world, two) -> None:
    v1, _, _, _ = two
    proposal = MergeProposal.objects.get()
    services.merge_proposal_accept(world.head, proposal)
    services.merge_proposal_accept(world.other_head, proposal)
    v1.refresh_from_db()
    assert v1.status == InspectionStatus.MERGED


def test_an_agency_not_involved_cannot_accept(world, two) -> None:
    proposal = MergeProposal.objects.get()
    third = AgencyFactory(region=world.county, name="检测县生态环境局")
    head = UserFactory()
    grant(head, Role.AGENCY_HEAD, agency=third)
    with pytest.raises(NotFound):
        services.merge_proposal_accept(User.objects.get(pk=head.pk), proposal)
    with pytest.raises(RuleViolation) as exc:  # sees the agencies, but decides for none of them
        services.merge_proposal_accept(world.supervisor, proposal)
    assert exc.value.code == "agency_not_involved"
    assert MergeProposal.objects.get().agreed_agency_ids == []


def test_a_visit_already_checked_in_is_not_merged(world, two) -> None:
    v1, v2, other_user, _ = two
    proposal = MergeProposal.objects.get()
    services.merge_proposal_accept(world.officer_user, proposal)
    Inspection.objects.filter(pk=v2.pk).update(status=InspectionStatus.CHECKED_IN)
    with pytest.raises(RuleViolation) as exc:
        services.merge_proposal_accept(other_user, proposal)
    assert exc.value.code == "visit_checked_in"
    assert Inspection.objects.get(pk=v1.pk).checks.count() == 1  # nothing half-written
    assert Inspection.objects.get(pk=v1.pk).status == InspectionStatus.PLANNED


def test_visits_out_of_the_window_are_not_merged(world, two) -> None:
    _, v2, other_user, _ = two
    proposal = MergeProposal.objects.get()
    services.merge_proposal_accept(world.officer_user, proposal)
    Inspection.objects.filter(pk=v2.pk).update(scheduled_on=dt.date(2026, 4, 20))
    with pytest.raises(RuleViolation) as exc:
        services.merge_proposal_accept(other_user, proposal)
    assert exc.value.code == "out_of_window"


def test_visits_of_different_parties_are_not_merged(world, two) -> None:
    _, v2, other_user, _ = two
    proposal = MergeProposal.objects.get()
    Inspection.objects.filter(pk=v2.pk).update(party=world.parties[1])
    services.merge_proposal_accept(world.officer_user, proposal)
    with pytest.raises(RuleViolation) as exc:
        services.merge_proposal_accept(other_user, proposal)
    assert exc.value.code == "different_parties"


def test_declining_needs_a_reason_and_closes_the_proposal(world, two) -> None:
    proposal = MergeProposal.objects.get()
    with pytest.raises(InvalidInput):
        services.merge_proposal_decline(world.officer_user, proposal, reason=" ")
    services.merge_proposal_decline(world.officer_user, proposal, reason="投诉核查须立即进行")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    with pytest.raises(RuleViolation) as exc:
        services.merge_proposal_accept(world.other_head, proposal)
    assert exc.value.code == "proposal_not_open"


def test_accept_all_merges_every_proposal_all_agencies_agreed_to(world, two) -> None:
    v1, v2, _, _ = two
    first = services.merge_proposals_accept_all(world.head, agency=world.agency)
    assert (first.agreed, first.merged) == (1, 0)
    second = services.merge_proposals_accept_all(world.other_head, agency=world.other_agency)
    assert (second.agreed, second.merged) == (1, 1)
    assert Inspection.objects.get(pk=v1.pk).merged_into_id == v2.pk


# --- pages and API ----------------------------------------------------------------------------------------------


def _page_client(user):
    c = Client()
    c.force_login(user)
    return c


def test_proposal_shows_on_the_warning_queue_and_is_accepted_with_one_tap(world, two) -> None:
    proposal = MergeProposal.objects.get()
    c = _page_client(world.head)
    page = c.get(reverse("inspections:warning_list")).content.decode()
    assert f'data-merge-proposal="{proposal.pk}"' in page and "同意合并检查" in page
    fragment = c.post(reverse("inspections:merge_accept", args=[proposal.pk]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "本部门已同意" in fragment.content.decode()
    other = _page_client(world.other_head)
    fragment = other.post(reverse("inspections:merge_accept", args=[proposal.pk]), HTTP_HX_REQUEST="true")
    assert "已合并为一次联合检查" in fragment.content.decode()


def test_declining_on_the_page_without_a_reason_shows_the_error(world, two) -> None:
    proposal = MergeProposal.objects.get()
    c = _page_client(world.officer_user)
    fragment = c.post(reverse("inspections:merge_decline", args=[proposal.pk]), HTTP_HX_REQUEST="true")
    assert "请写明不同意合并的理由" in fragment.content.decode()
    assert MergeProposal.objects.get().status == ProposalStatus.OPEN
    assert "合并检查建议" in c.get(reverse("inspections:today")).content.decode()


def test_a_page_post_by_an_agency_not_involved_is_a_404(world, two) -> None:
    proposal = MergeProposal.objects.get()
    third = AgencyFactory(region=world.county, name="检测县生态环境局")
    head = UserFactory()
    grant(head, Role.AGENCY_HEAD, agency=third)
    response = _page_client(head).post(reverse("inspections:merge_accept", args=[proposal.pk]))
    assert response.status_code == 404


def _api(user):
    _, key = token_create(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_api_lists_accepts_and_declines(world, two) -> None:
    proposal = MergeProposal.objects.get()
    listed = _api(world.officer_user).get("/api/inspections/merge-proposals").json()
    assert [p["id"] for p in listed] == [proposal.pk]
    body = _api(world.officer_user).post(f"/api/inspections/merge-proposals/{proposal.pk}/accept").json()
    assert body["agreed_names"] == [world.agency.name] and body["status"] == "open"
    body = _api(world.other_head).post(f"/api/inspections/merge-proposals/{proposal.pk}/accept").json()
    assert body["status"] == "accepted" and body["survivor_id"] is not None
    again = _api(world.other_head).post(
        f"/api/inspections/merge-proposals/{proposal.pk}/decline",
        json.dumps({"reason": "晚了"}),
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "proposal_not_open"


def test_api_refuses_a_supervisor_and_an_empty_reason(world, two) -> None:
    proposal = MergeProposal.objects.get()
    response = _api(world.supervisor).post(f"/api/inspections/merge-proposals/{proposal.pk}/accept")
    assert response.status_code == 409 and response.json()["code"] == "agency_not_involved"
    response = _api(world.officer_user).post(
        f"/api/inspections/merge-proposals/{proposal.pk}/decline",
        json.dumps({"reason": ""}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert MergeProposal.objects.get().status == ProposalStatus.OPEN
