"""The 待办 panels of the workbench on the demo county: each count is what the role must act on in its own
agency (or region), links to the list holding exactly those, and opens for that role; a user of another
agency or county counts none of them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases.models import FINISHED_STAGES, Case, CaseOfficer, Stage
from zhifa.core import clock
from zhifa.inspections.models import InspectionPlan, PlanStatus
from zhifa.org.demo import DEMO_LOGINS
from zhifa.org.models import Agency, Role, RoleAssignment, ScopeKind, User
from zhifa.review.models import RequestState, ReviewRequest
from zhifa.supervision.models import Flag, FlagState
from zhifa.workbench.panels import workbench_for

pytestmark = pytest.mark.django_db

PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}
TODO = re.compile(r'href="([^"]+)" data-todo="([^"]+)" data-count="(\d+)"')


def _client(username: str) -> Client:
    client = Client()
    user = User.objects.get(username=username)
    client.force_login(user)
    return client


def _todos(username: str) -> dict[str, tuple[int, str]]:
    html = _client(username).get(reverse("core:workbench")).content.decode()
    return {label: (int(n), href.replace("&amp;", "&")) for href, label, n in TODO.findall(html)}


def _counts(user: User, key: str) -> dict[str, int]:
    panel = next(p for p in workbench_for(user) if p.key == key)
    return {t.label: t.count for t in panel.todos}


def _listed(client: Client, url: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-case="(\d+)"', client.get(url).content.decode())}


def _county2_head() -> User:
    return User.objects.filter(username__startswith="demo_county2_", username__endswith="_head").order_by(
        "id"
    )[0]


def test_every_queue_link_opens_for_its_role(demo_county: Any) -> None:
    users = (
        "demo_officer",
        "demo_reviewer",
        "demo_head",
        "demo_supervisor",
        "demo_supervisor2",
        "demo_evaluator",
    )
    for username in (*users, "demo_city_supervisor", _county2_head().username):
        todos = _todos(username)
        assert todos, username
        client = _client(username)
        for label, (_count, url) in todos.items():
            assert client.get(url).status_code == 200, f"{username}: {label} → {url}"


def test_queues_come_before_the_certificate_and_training_panels(demo_county: Any) -> None:
    for username, first in (
        ("demo_officer", "officer-todo"),
        ("demo_reviewer", "reviewer-todo"),
        ("demo_head", "head-todo"),
        ("demo_supervisor", "supervisor-todo"),
        ("demo_evaluator", "evaluator-todos"),
    ):
        panels = workbench_for(User.objects.get(username=username))
        assert panels[0].key == first
        queues = [p.queue for p in panels]
        assert queues == sorted(queues, reverse=True), username  # no queue below a reference panel


def test_head_counts_the_sources_and_decisions_of_his_agency_only(demo_county: Any) -> None:
    head = User.objects.get(username="demo_head")
    agency = RoleAssignment.objects.get(user=head, role=Role.AGENCY_HEAD).agency
    todos = _todos("demo_head")
    sources = Case.objects.filter(agency__path__startswith=agency.path, stage=Stage.SOURCE)
    assert todos["待立案审批"][0] == sources.count() >= 1
    # the list behind the count holds exactly those cases
    assert _listed(_client("demo_head"), todos["待立案审批"][1]) == set(sources.values_list("pk", flat=True))
    decidable = _listed(_client("demo_head"), todos["待作出决定"][1])
    assert todos["待作出决定"][0] == len(decidable) >= 1
    assert set(Case.objects.filter(pk__in=decidable).values_list("stage", flat=True)) <= {
        Stage.NOTIFIED,
        Stage.HEARING,
        Stage.LEGAL_REVIEW,
        Stage.COLLECTIVE_DISCUSSION,
    }
    # A case still inside the party's statement period is not ready: the guard of 决定 refuses it.
    waiting = Case.objects.filter(
        agency=agency, stage=Stage.NOTIFIED, statement_due__gte=clock.today(), rights_waived_on__isnull=True
    )
    assert not set(waiting.values_list("pk", flat=True)) & decidable

    drafts = InspectionPlan.objects.filter(agency__path__startswith=agency.path, status=PlanStatus.DRAFT)
    assert todos["检查计划待批准"][0] == drafts.count() >= 1

    # The head of a 示范县二 agency: his own sources, none of 示范县's.
    other = _county2_head()
    other_open = _listed(_client(other.username), reverse("cases:case_list") + "?queue=open")
    assert not other_open & set(sources.values_list("pk", flat=True))
    other_agency = RoleAssignment.objects.get(user=other, role=Role.AGENCY_HEAD).agency
    assert (
        _counts(other, "head-todo")["待立案审批"]
        == Case.objects.filter(agency__path__startswith=other_agency.path, stage=Stage.SOURCE).count()
    )


def test_reviewer_sees_his_assigned_rounds_with_the_time_left(demo_county: Any) -> None:
    reviewer = User.objects.get(username="demo_reviewer")
    mine = ReviewRequest.objects.filter(reviewer=reviewer, state=RequestState.ASSIGNED)
    assert _counts(reviewer, "reviewer-todo")["我的待审"] == mine.count() >= 1
    html = _client("demo_reviewer").get(reverse("core:workbench")).content.decode()
    first = mine.order_by("due_on").first()
    assert reverse("review:request", args=[first.pk]) in html
    days = (first.due_on - clock.today()).days
    assert (f"剩 {days} 天" if days > 0 else "今天到期" if days == 0 else f"已超期 {-days} 天") in html

    # A legal reviewer of a 示范县二 agency: nothing of 示范县 waits for him.
    other = User.objects.create(username="county2_reviewer", full_name="县二审核员")
    agency = RoleAssignment.objects.get(user=_county2_head(), role=Role.AGENCY_HEAD).agency
    RoleAssignment.objects.create(
        user=other, role=Role.LEGAL_REVIEWER, scope=ScopeKind.OWN_AGENCY, agency=agency
    )
    counts = _counts(other, "reviewer-todo")
    assert (
        counts["我的待审"] == 0
        and counts["待分配"]
        == ReviewRequest.objects.filter(agency=agency, state=RequestState.SUBMITTED).count()
    )


def test_officer_counts_his_own_overdue_and_near_cases(demo_county: Any) -> None:
    officer_user = User.objects.get(username="demo_officer")
    today = clock.today()
    mine = Case.objects.filter(
        pk__in=CaseOfficer.objects.filter(officer__user=officer_user).values("case_id")
    ).exclude(stage__in=FINISHED_STAGES)
    counts = _counts(officer_user, "officer-todo")
    assert counts["已超期案件"] == mine.filter(next_deadline__lt=today).count()
    assert counts["待送达决定书"] == mine.filter(stage=Stage.DECIDED).count()
    assert sum(counts.values()) >= 1
    # the list behind the count holds exactly his overdue cases
    other = _todos("demo_officer")["已超期案件"][1]
    assert _listed(_client("demo_officer"), other) == set(
        mine.filter(next_deadline__lt=today).values_list("pk", flat=True)
    )


def test_supervisor_counts_the_warnings_of_his_county_only(demo_county: Any) -> None:
    counts = {}
    for username in ("demo_supervisor", "demo_supervisor2"):
        user = User.objects.get(username=username)
        region = RoleAssignment.objects.get(user=user, role=Role.SUPERVISOR).region
        flags = Flag.objects.filter(
            state=FlagState.NEW, source_open=True, region_path__startswith=region.path
        )
        counts[username] = _counts(user, "supervisor-todo")
        assert counts[username]["新预警"] == flags.count(), username
    county2 = RoleAssignment.objects.get(user__username="demo_supervisor2", role=Role.SUPERVISOR).region
    other_flags = Flag.objects.filter(state=FlagState.NEW, source_open=True).exclude(
        region_path__startswith=county2.path
    )
    assert (
        other_flags.exists()
        and counts["demo_supervisor2"]["新预警"]
        < Flag.objects.filter(state=FlagState.NEW, source_open=True).count()
    )


def test_case_list_searches_filters_and_stays_in_scope(demo_county: Any) -> None:
    head = User.objects.get(username="demo_head")
    agency = RoleAssignment.objects.get(user=head, role=Role.AGENCY_HEAD).agency
    client = _client("demo_head")
    url = reverse("cases:case_list")
    ours = Case.objects.filter(agency__path__startswith=agency.path)
    opened = ours.filter(number__isnull=False).order_by("id").first()
    assert _listed(client, f"{url}?q={opened.number}") == {opened.pk}
    party = opened.party_links.select_related("party").first().party
    assert opened.pk in _listed(client, f"{url}?q={party.name}")
    officer = opened.officer_links.select_related("officer").first().officer
    assert opened.pk in _listed(client, f"{url}?q={officer.name}")
    assert _listed(client, f"{url}?stage=source") == set(
        ours.filter(stage="source").values_list("pk", flat=True)
    )
    simple = _listed(client, f"{url}?procedure=simple")
    assert simple and set(Case.objects.filter(pk__in=simple).values_list("procedure", flat=True)) == {
        "simple"
    }
    overdue = _listed(client, f"{url}?deadline=overdue")
    assert all(c.next_deadline < clock.today() for c in Case.objects.filter(pk__in=overdue))
    # keyset paging: 25 a page, the next page starts after the last id
    first = client.get(url).content.decode()
    page_ids = [int(x) for x in re.findall(r'data-case="(\d+)"', first)]
    assert page_ids == sorted(page_ids, reverse=True)
    if ours.count() > 25:
        after = re.search(r'[?&](?:amp;)?after=([\w.-]+)"', first)  # an opaque cursor (core.paging)
        assert after
        assert max(_listed(client, f"{url}?after={after.group(1)}")) < page_ids[-1]
    # another county's head, and a nonsense filter, see none of these
    other = _client(_county2_head().username)
    assert not _listed(other, url) & set(ours.values_list("pk", flat=True))
    assert _listed(client, f"{url}?stage=nonsense") == _listed(client, url)


def test_non_officers_land_on_the_case_list_not_an_empty_my_cases(demo_county: Any) -> None:
    for username in ("demo_reviewer", "demo_head", "demo_supervisor"):
        client = _client(username)
        response = client.get(reverse("cases:my_cases"))
        assert response.status_code == 302 and response["Location"] == reverse("cases:case_list")
        menu = client.get(reverse("core:workbench")).content.decode()
        assert f'href="{reverse("cases:case_list")}"' in menu
        assert f'href="{reverse("cases:my_cases")}"' not in menu
        assert "登记案源" not in client.get(reverse("cases:case_list")).content.decode()
    officer = _client("demo_officer")
    assert officer.get(reverse("cases:my_cases")).status_code == 200
    assert (
        f'href="{reverse("cases:case_list")}"' not in officer.get(reverse("core:workbench")).content.decode()
    )


def test_a_user_without_agency_scope_counts_nothing(demo_county: Any) -> None:
    lone = (
        Agency.objects.exclude(pk__in=Case.objects.values("agency_id"))
        .filter(is_active=True)
        .order_by("id")
        .first()
    )
    user = User.objects.create(username="empty_head", full_name="空机关负责人")
    RoleAssignment.objects.create(user=user, role=Role.AGENCY_HEAD, scope=ScopeKind.OWN_AGENCY, agency=lone)
    counts = _counts(user, "head-todo")
    for label in ("待立案审批", "待作出决定", "待集体讨论", "办案期限将满"):
        assert counts[label] == 0, label
