"""Officer workbench pages: deadlines in colour, the case page with its actions, refusals beside the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case, Procedure, Stage
from zhifa.cases.tests.helpers import CaseWorld, attach, ledger_count, opened, register, reload
from zhifa.core import clock

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_my_cases_colours_near_deadlines_warning_and_overdue_danger(world: CaseWorld) -> None:
    today = clock.today()
    overdue = opened(world, on=today - dt.timedelta(days=100))  # 90-day decision period passed
    near = opened(world, on=today - dt.timedelta(days=80))  # due in 10 days (near: 15)
    calm = opened(world, on=today - dt.timedelta(days=1))
    html = client_for(world.officer_user).get(reverse("cases:my_cases")).content.decode()
    rows = {
        case.pk: html.index(f'href="{reverse("cases:detail", args=[case.pk])}"')
        for case in (overdue, near, calm)
    }
    assert rows[overdue.pk] < rows[near.pk] < rows[calm.pk]  # nearest deadline first
    assert html.count('data-deadline-state="danger"') == 1 and "已超期" in html
    assert html.count('data-deadline-state="warning"') == 1 and "临期" in html
    assert html.count('data-deadline-state="ok"') == 1


def test_case_page_shows_stage_parties_officers_timeline_and_a_disabled_action_with_its_guard(
    world: CaseWorld,
) -> None:
    today = clock.today()
    case = services.case_start_investigation(
        actor=world.officer_user, case=opened(world, on=today - dt.timedelta(days=3)), on=today
    )
    html = client_for(world.officer_user).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="case-stage">调查取证<' in html
    assert world.company.name in html and world.officers[0].name in html
    assert 'data-testid="record-timeline"' in html and "#" in html
    # 调查终结 is disabled until the 调查取证笔录 is on file: the page says which record is missing.
    assert 'data-action="end_investigation" data-disabled="true"' in html
    assert "调查取证笔录" in html
    assert reverse("evidence:upload") in html
    attach(world.officer_user, case, "investigation")
    html = client_for(world.officer_user).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert '<details class="border rounded p-2 mb-2" data-action="end_investigation">' in html
    assert "笔录.pdf" in html  # the document list


def test_action_form_runs_the_service_and_a_refusal_is_shown_beside_it(world: CaseWorld) -> None:
    today = clock.today()
    case = register(world, on=today)
    client = client_for(world.officer_user)
    url = reverse("cases:act", args=[case.pk, "open"])
    one = {
        "open-on": today.isoformat(),
        "open-act_date": today.isoformat(),
        "open-officers": [world.officers[0].pk],
        "open-approved_by": world.head.pk,
    }
    response = client.post(url, one)
    assert response.status_code == 422
    assert "第四十二条" in response.content.decode()
    assert reload(case).stage == Stage.SOURCE and ledger_count(case) == 1
    two = {**one, "open-officers": [o.pk for o in world.officers[:2]]}
    response = client.post(url, two)
    assert response.status_code == 302 and reload(case).stage == Stage.OPENED


def test_action_of_another_stage_is_refused_without_a_500(world: CaseWorld) -> None:
    case = register(world, on=clock.today())
    response = client_for(world.head).post(
        reverse("cases:act", args=[case.pk, "close"]), {"close-on": clock.today().isoformat()}
    )
    assert response.status_code == 422 and "不能“结案”" in response.content.decode()
    assert reload(case).stage == Stage.SOURCE


def test_case_outside_the_users_agency_is_not_found(world: CaseWorld) -> None:
    case = register(world)
    assert client_for(world.outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    response = client_for(world.outsider).post(reverse("cases:act", args=[case.pk, "open"]), {})
    assert response.status_code == 404


def test_source_form_registers_a_case_source(world: CaseWorld) -> None:
    response = client_for(world.officer_user).post(
        reverse("cases:source_new"),
        {
            "source_kind": "complaint",
            "received_on": clock.today().isoformat(),
            "title": "无照经营",
            "party_code": world.company.uscc,
        },
    )
    case = Case.objects.get(title="无照经营")
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.stage == Stage.SOURCE and list(case.parties.all()) == [world.company]


def _simple(world: CaseWorld, fine: str) -> dict[str, Any]:
    return {
        "party_code": world.citizen.name,
        "partner": world.officers[1].pk,
        "title": "占道经营",
        "place": "测县人民路 1 号",
        "kinds": ["fine"],
        "fine_yuan": fine,
        "basis": "《城市市容和环境卫生管理条例》第三十六条",
        "on": clock.today().isoformat(),
    }


def test_on_the_spot_form_refuses_a_fine_above_art_51_and_decides_within_it(world: CaseWorld) -> None:
    client = client_for(world.officer_user)
    response = client.post(reverse("cases:simple_new"), _simple(world, "201"))
    html = response.content.decode()
    assert response.status_code == 200 and "第五十一条" in html
    assert not Case.objects.filter(procedure=Procedure.SIMPLE).exists()
    response = client.post(reverse("cases:simple_new"), _simple(world, "200"))
    case = Case.objects.get(procedure=Procedure.SIMPLE)
    assert response.status_code == 302 and case.stage == Stage.SERVED


def test_on_the_spot_form_without_a_basis_shows_the_error_beside_the_field(world: CaseWorld) -> None:
    # 行政处罚法 第三十八条、第五十二条: the decision states its basis; no 执法事项 and no basis, no decision.
    client = client_for(world.officer_user)
    response = client.post(reverse("cases:simple_new"), {**_simple(world, "50"), "basis": ""})
    assert response.status_code == 200 and "第三十八条" in response.content.decode()
    assert "basis" in response.context["form"].errors
    assert not Case.objects.filter(procedure=Procedure.SIMPLE).exists()


def test_on_the_spot_form_is_made_for_a_phone(world: CaseWorld) -> None:
    html = client_for(world.officer_user).get(reverse("cases:simple_new")).content.decode()
    assert 'name="viewport" content="width=device-width' in html
    assert 'inputmode="decimal"' in html and 'style="max-width: 32rem"' in html
