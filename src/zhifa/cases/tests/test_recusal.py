"""回避 (行政处罚法 第四十三条): the party applies (or the officer declares), the agency head decides, the
investigation goes on meanwhile; a recused officer leaves the case, which keeps two entitled officers
(第四十二条). Both sides; a refusal leaves nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case, Recusal, Stage
from zhifa.cases.recusal import recusal_apply, recusal_decide
from zhifa.cases.tests.helpers import D0, CaseWorld, ledger_count, opened, reload
from zhifa.cases.tests.test_rules import refused
from zhifa.core.errors import InvalidInput, PermissionDenied
from zhifa.org.tests.factories import OfficerFactory, certificate

D = dt.date


def _applied(world: CaseWorld) -> tuple[Case, Recusal]:
    case = opened(world)
    recusal = recusal_apply(
        actor=world.officer_user,
        case=case,
        officer=world.officers[1],
        grounds="该执法人员系当事人法定代表人的近亲属",
        on=D0,
    )
    return reload(case), recusal


def test_a_pending_application_does_not_stop_the_investigation(world: CaseWorld) -> None:
    case, recusal = _applied(world)
    assert (
        recusal.granted is None and recusal.initiator == "party" and recusal.applied_by == world.officer_user
    )
    # 行政处罚法 第四十三条第三款: 决定作出之前，不停止调查
    case = services.case_start_investigation(actor=world.officer_user, case=case, on=D0)
    assert case.stage == Stage.INVESTIGATION


def test_only_the_agency_head_decides(world: CaseWorld) -> None:
    case, _ = _applied(world)
    refused(
        lambda: recusal_decide(actor=world.officer_user, case=case, granted=True, reason="同意", on=D0),
        "permission_denied",
        case,
        exc=PermissionDenied,
    )


def test_a_granted_recusal_takes_the_officer_off_the_case_with_a_replacement(world: CaseWorld) -> None:
    case, recusal = _applied(world)
    before = ledger_count(case)
    recusal = recusal_decide(
        actor=world.head,
        case=case,
        granted=True,
        reason="近亲属关系属实",
        replacement=world.officers[2],
        on=D(2025, 3, 4),
    )
    assert (
        recusal.granted is True and recusal.decided_by == world.head and recusal.decided_on == D(2025, 3, 4)
    )
    officers = set(case.officer_links.values_list("officer_id", flat=True))
    assert officers == {world.officers[0].pk, world.officers[2].pk}
    assert ledger_count(case) == before + 1
    assert services.case_start_investigation(actor=world.officer_user, case=case, on=D(2025, 3, 4)).stage == (
        Stage.INVESTIGATION
    )


def test_a_recusal_that_leaves_fewer_than_two_entitled_officers_is_refused(world: CaseWorld) -> None:
    case, recusal = _applied(world)
    refused(
        lambda: recusal_decide(actor=world.head, case=case, granted=True, reason="属实", on=D0),
        "officers_insufficient",
        case,
    )
    uncertified = OfficerFactory(agency=world.agency)
    refused(
        lambda: recusal_decide(
            actor=world.head, case=case, granted=True, reason="属实", replacement=uncertified, on=D0
        ),
        "officers_insufficient",
        case,
    )
    assert Recusal.objects.get(pk=recusal.pk).granted is None
    assert case.officer_links.count() == 2
    certificate(uncertified, "market", issued=D(2024, 1, 1), expires=D(2030, 12, 31))
    recusal_decide(actor=world.head, case=case, granted=True, reason="属实", replacement=uncertified, on=D0)
    assert case.officer_links.filter(officer=uncertified).exists()


def test_the_lead_officer_recused_is_replaced_as_lead(world: CaseWorld) -> None:
    case = opened(world)
    lead = case.officer_links.get(is_lead=True).officer
    recusal_apply(
        actor=world.officer_user,
        case=case,
        officer=lead,
        grounds="与当事人有债务纠纷",
        initiator="officer",
        on=D0,
    )
    recusal_decide(
        actor=world.head, case=case, granted=True, reason="属实", replacement=world.officers[2], on=D0
    )
    assert case.officer_links.get(is_lead=True).officer == world.officers[2]


def test_a_refused_application_keeps_the_officer(world: CaseWorld) -> None:
    case, _ = _applied(world)
    refused(
        lambda: recusal_decide(actor=world.head, case=case, granted=False, reason="", on=D0),
        "required",
        case,
        exc=InvalidInput,
    )
    recusal = recusal_decide(actor=world.head, case=case, granted=False, reason="经核实不存在亲属关系", on=D0)
    assert recusal.granted is False
    assert case.officer_links.filter(officer=world.officers[1]).exists()
    refused(
        lambda: recusal_decide(actor=world.head, case=case, granted=True, reason="再议", on=D0),
        "no_pending_recusal",
        case,
    )


def test_application_refusals(world: CaseWorld) -> None:
    case, _ = _applied(world)
    refused(
        lambda: recusal_apply(
            actor=world.officer_user, case=case, officer=world.officers[1], grounds="重复", on=D0
        ),
        "recusal_pending",
        case,
    )
    refused(
        lambda: recusal_apply(
            actor=world.officer_user, case=case, officer=world.officers[2], grounds="不在本案", on=D0
        ),
        "invalid_input",
        case,
        exc=InvalidInput,
    )
    refused(
        lambda: recusal_apply(
            actor=world.officer_user, case=case, officer=world.officers[0], grounds=" ", on=D0
        ),
        "required",
        case,
        exc=InvalidInput,
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_officer_records_the_application_and_the_head_decides_on_the_case_page(world: CaseWorld) -> None:
    case = opened(world)
    officer_page = _client(world.officer_user)
    response = officer_page.post(
        reverse("cases:act", args=[case.pk, "apply_recusal"]),
        {
            "apply_recusal-on": D0.isoformat(),
            "apply_recusal-officer": world.officers[1].pk,
            "apply_recusal-initiator": "party",
            "apply_recusal-grounds": "与当事人系同学",
        },
    )
    assert response.status_code == 302
    page = officer_page.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "待机关负责人决定" in page and "与当事人系同学" in page

    head_page = _client(world.head)
    page = head_page.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-action="decide_recusal"' in page
    response = head_page.post(
        reverse("cases:act", args=[case.pk, "decide_recusal"]),
        {
            "decide_recusal-on": D0.isoformat(),
            "decide_recusal-granted": "on",
            "decide_recusal-reason": "关系属实",
            "decide_recusal-replacement": world.officers[2].pk,
        },
    )
    assert response.status_code == 302
    page = head_page.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "决定回避" in page and world.officers[2].name in page


def test_the_api_records_and_decides_a_recusal(world: CaseWorld) -> None:
    from zhifa.cases.tests.test_api import client_for

    case = opened(world)
    response = client_for(world.officer_user).post(
        f"/api/cases/{case.pk}/recusals",
        {"officer_id": world.officers[1].pk, "grounds": "近亲属", "on": D0.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["recusals"][0]["granted"] is None
    response = client_for(world.officer_user).post(
        f"/api/cases/{case.pk}/recusal-decision",
        {"granted": True, "reason": "属实", "on": D0.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 403
    response = client_for(world.head).post(
        f"/api/cases/{case.pk}/recusal-decision",
        {
            "granted": True,
            "reason": "属实",
            "replacement_officer_id": world.officers[2].pk,
            "on": D0.isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["recusals"][0]["granted"] is True
    assert {o["id"] for o in body["officers"]} == {world.officers[0].pk, world.officers[2].pk}
