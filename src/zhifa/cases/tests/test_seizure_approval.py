"""行政强制法 第十八条、第十九条、第五十五条: a 查封/扣押 needs the agency head's approval beforehand; in an
emergency the officers act and report within 24 hours; an application to the court is the head's.

Regression (issue 17): ``seizure_decide(approved_by=None)`` used to make an active seizure.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from zhifa.cases import selectors, services
from zhifa.cases.models import Case, ReleaseReason, Seizure, SeizureStatus
from zhifa.cases.tests.helpers import D0, CaseWorld, attach, ledger_count, opened, reload
from zhifa.cases.tests.test_rules import D, _served_unpaid, refused
from zhifa.cases.tests.test_views import client_for
from zhifa.core import clock
from zhifa.core.errors import InvalidInput, PermissionDenied
from zhifa.records.models import LedgerEntry


@pytest.fixture
def clock_back() -> Iterator[None]:
    start = clock.now()
    yield
    clock.set_to(start)


def _investigating(world: CaseWorld) -> Case:
    case = services.case_start_investigation(actor=world.officer_user, case=opened(world), on=D0)
    attach(world.officer_user, case, "service_execution", kind="video")
    return case


def _seize(world: CaseWorld, case: Case, **kwargs: Any) -> Seizure:
    return services.seizure_decide(
        actor=world.officer_user, case=case, kind="detain", items=["过期奶粉 20 箱"], on=D0, **kwargs
    )


def _flags() -> list[Any]:
    return list(selectors.unapproved_emergency_seizure_flags(None))


def test_seizure_without_the_heads_approval_is_refused_and_nothing_is_written(world: CaseWorld) -> None:
    case = _investigating(world)
    refused(lambda: _seize(world, case), "seizure_needs_approval", case)
    assert not Seizure.objects.filter(case=case).exists()


def test_only_a_head_of_the_agency_approves(world: CaseWorld) -> None:
    case = _investigating(world)
    with pytest.raises(InvalidInput):
        _seize(world, case, approved_by=world.officer_user)
    seizure = _seize(world, case, approved_by=world.head)
    assert seizure.status == SeizureStatus.ACTIVE and seizure.approved_on == D0 and not seizure.emergency
    entry = LedgerEntry.objects.filter(action="case.seizure_decide").latest("seq")
    assert json.loads(entry.changes)["approved_by"] == world.head.pk


def test_emergency_seizure_is_reported_within_24_hours_or_flagged(world: CaseWorld, clock_back: None) -> None:
    case = _investigating(world)
    seizure = _seize(world, case, emergency=True)
    assert seizure.status == SeizureStatus.ACTIVE and seizure.approved_by is None
    assert seizure.acted_at is not None and seizure.report_due == seizure.acted_at + dt.timedelta(hours=24)
    assert list(selectors.seizures_awaiting_approval(world.head)) == [seizure]
    assert case in selectors.case_queue(world.head, "seizure_approval", Case.objects.all())
    assert _flags() == []  # within the 24 hours: no flag
    clock.set_to(seizure.report_due + dt.timedelta(minutes=1))
    (flag,) = _flags()
    assert (
        flag.kind == "seizure_unapproved"
        and flag.key == f"seizure:{seizure.pk}"
        and "第十九条" in flag.detail
    )
    approved = services.seizure_approve(actor=world.head, seizure=seizure, approve=True, on=D0)
    assert approved.approved_by == world.head and approved.status == SeizureStatus.ACTIVE
    assert _flags() == [] and not selectors.seizures_awaiting_approval(world.head).exists()
    entry = LedgerEntry.objects.filter(action="case.seizure_approve").latest("seq")
    assert json.loads(entry.changes)["late"] is True
    refused(
        lambda: services.seizure_approve(actor=world.head, seizure=seizure, approve=True, on=D0),
        "seizure_not_pending_approval",
        case,
    )


def test_head_refusing_an_emergency_seizure_releases_it(world: CaseWorld) -> None:
    case = _investigating(world)
    seizure = _seize(world, case, emergency=True)
    with pytest.raises(PermissionDenied):
        services.seizure_approve(actor=world.officer_user, seizure=seizure, approve=True, on=D0)
    before = ledger_count(case)
    with pytest.raises(InvalidInput):  # refusing states why
        services.seizure_approve(actor=world.head, seizure=seizure, approve=False, on=D0)
    assert ledger_count(case) == before
    released = services.seizure_approve(
        actor=world.head, seizure=seizure, approve=False, reason="不符合查封扣押条件", on=D0
    )
    assert released.status == SeizureStatus.RELEASED and released.release_reason == ReleaseReason.REFUSED
    assert ledger_count(case) == before + 1
    # the officers cannot pass a release off as the head's refusal
    other = _seize(world, case, emergency=True)
    with pytest.raises(InvalidInput):
        services.seizure_release(actor=world.officer_user, seizure=other, reason="refused", on=D0)


def test_court_application_is_the_heads(world: CaseWorld) -> None:
    case = _served_unpaid(world)
    services.enforcement_demand(actor=world.officer_user, case=case, on=D(2025, 9, 1))
    with pytest.raises(PermissionDenied):
        services.court_application(
            actor=world.officer_user, case=case, court_name="测县人民法院", on=D(2025, 9, 26)
        )
    assert reload(case).enforcement.court_applied_on is None
    demand = services.court_application(
        actor=world.head, case=case, court_name="测县人民法院", on=D(2025, 9, 26)
    )
    assert demand.court_applied_on == D(2025, 9, 26)


def test_head_approves_an_emergency_seizure_from_the_case_page(world: CaseWorld) -> None:
    case = _investigating(world)
    officer = client_for(world.officer_user)
    response = officer.post(
        reverse("cases:act", args=[case.pk, "seizure_decide"]),
        {
            "seizure_decide-on": D0.isoformat(),
            "seizure_decide-kind": "detain",
            "seizure_decide-items": "过期奶粉 20 箱",
            "seizure_decide-testing_days": "0",
        },
    )
    assert response.status_code == 422 and "第十八条" in response.content.decode()
    response = officer.post(
        reverse("cases:act", args=[case.pk, "seizure_decide"]),
        {
            "seizure_decide-on": D0.isoformat(),
            "seizure_decide-kind": "detain",
            "seizure_decide-items": "过期奶粉 20 箱",
            "seizure_decide-testing_days": "0",
            "seizure_decide-emergency": "on",
        },
    )
    assert response.status_code == 302
    seizure = Seizure.objects.get(case=case)
    assert seizure.emergency and seizure.approved_by is None
    assert (
        'data-testid="seizure-approve"'
        not in officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    head = client_for(world.head)
    html = head.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="seizure-approve"' in html and "待负责人补办批准" in html
    head.post(reverse("cases:seizure_approve", args=[case.pk, seizure.pk]), {"approve": "1"})
    assert reload(case).seizures.get().approved_by == world.head


def test_the_api_takes_the_emergency_and_the_heads_refusal(world: CaseWorld) -> None:
    from zhifa.cases.tests.test_api import client_for as api_client

    case = _investigating(world)
    body = {"kind": "detain", "items": ["过期奶粉 20 箱"], "on": D0.isoformat()}
    officer = api_client(world.officer_user)
    refusal = officer.post(f"/api/cases/{case.pk}/seizures", body, content_type="application/json")
    assert refusal.status_code == 409 and refusal.json()["code"] == "seizure_needs_approval"
    assert "第十八条" in refusal.json()["message"] and "Art. 18" in refusal.json()["message_en"]
    created = officer.post(
        f"/api/cases/{case.pk}/seizures", {**body, "emergency": True}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    url = f"/api/cases/seizures/{created.json()['id']}/approve"
    answer = {"approve": False, "reason": "不应当采取", "on": D0.isoformat()}
    assert officer.post(url, answer, content_type="application/json").status_code == 403
    response = api_client(world.head).post(url, answer, content_type="application/json")
    assert response.status_code == 200, response.content
    assert Seizure.objects.get(case=case).release_reason == ReleaseReason.REFUSED
