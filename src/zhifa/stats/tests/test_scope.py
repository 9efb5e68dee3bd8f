"""Every statistics page and API answers within the caller's scope: a region or agency outside it is 404,
a role without statistics 403; the drill-down lists exactly the cases behind the number; exports are xlsx."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from zhifa.cases.tests.helpers import CaseWorld
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.org.tokens import token_create
from zhifa.stats import selectors
from zhifa.stats.tests.helpers import decided, outsider_supervisor, simple


def api_for(user: Any) -> Client:
    _, key = token_create(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def page_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


PAGES = ["/stats/", "/stats/annual/", "/stats/export/acts_by_month.xlsx", "/stats/cases/?metric=case.decided"]
APIS = [
    "/api/stats/dashboard",
    "/api/stats/annual",
    "/api/stats/charts/fines",
    "/api/stats/drill?metric=case.decided",
]


@pytest.mark.parametrize("url", PAGES + APIS)
def test_a_region_or_agency_outside_the_callers_scope_is_not_found(world: CaseWorld, url: str) -> None:
    stranger = outsider_supervisor()
    client = api_for(stranger) if url.startswith("/api/") else page_for(stranger)
    sep = "&" if "?" in url else "?"
    assert client.get(f"{url}{sep}region={world.county.code}&year=2025").status_code == 404
    assert client.get(f"{url}{sep}agency={world.agency.pk}&year=2025").status_code == 404
    own = api_for(world.supervisor) if url.startswith("/api/") else page_for(world.supervisor)
    assert own.get(f"{url}{sep}region={world.county.code}&year=2025").status_code == 200
    head = (
        api_for(world.outsider) if url.startswith("/api/") else page_for(world.outsider)
    )  # the other agency's head
    assert head.get(f"{url}{sep}agency={world.agency.pk}&year=2025").status_code == 404


@pytest.mark.parametrize("url", PAGES[:2] + APIS[:2])
def test_a_party_account_has_no_statistics(world: CaseWorld, url: str) -> None:
    user = UserFactory()
    grant(user, Role.ENTERPRISE, party=world.company)
    user = User.objects.get(pk=user.pk)
    client = api_for(user) if url.startswith("/api/") else page_for(user)
    assert client.get(url).status_code == 403


def test_an_agency_sees_only_its_own_figures(world: CaseWorld) -> None:
    decided(world)
    mine = selectors.headline(selectors.scope_for(world.head, year=2025))
    theirs = selectors.headline(selectors.scope_for(world.outsider, year=2025))
    region = selectors.headline(selectors.scope_for(world.supervisor, year=2025))
    assert (mine["decided"], theirs["decided"], region["decided"]) == (1, 0, 1)


def test_the_drill_down_lists_exactly_the_cases_behind_a_bar(world: CaseWorld) -> None:
    a = decided(world)  # decided in March
    b = simple(world, fine="150")  # June
    simple(world, fine=None)  # June, a warning
    scope = selectors.scope_for(world.supervisor, year=2025)
    assert list(selectors.drill_cases(scope, "case.decided", month=3)) == [a]
    assert set(selectors.drill_cases(scope, "case.fine")) == {a, b}
    assert [c.pk for c in selectors.drill_cases(scope, "case.penalty", key="warning")] != [a.pk, b.pk]
    chart = selectors.chart(scope, "acts_by_month")
    decided_series = next(s for s in chart["series"] if s["metric"] == "case.decided")
    for month in range(1, 13):
        assert (
            decided_series["values"][month - 1]
            == selectors.drill_cases(scope, "case.decided", month=month).count()
        )
    page = page_for(world.supervisor).get("/stats/cases/?metric=case.decided&year=2025&month=3")
    assert page.status_code == 200 and a.number in page.content.decode()
    body = api_for(world.supervisor).get("/api/stats/drill?metric=case.fine&year=2025").json()
    assert {i["id"] for i in body["items"]} == {a.pk, b.pk}


def test_every_chart_exports_its_data_as_xlsx(world: CaseWorld) -> None:
    from openpyxl import load_workbook

    decided(world)
    client = page_for(world.supervisor)
    scope = selectors.scope_for(world.supervisor, year=2025)
    for name in selectors.CHARTS:
        response = client.get(f"/stats/export/{name}.xlsx?year=2025")
        assert response.status_code == 200, name
        ws = load_workbook(io.BytesIO(response.content)).active
        data = selectors.chart(scope, name)
        assert [c.value for c in ws[2]] == ["项目", *[s["name"] for s in data["series"]]]
        assert ws.cell(3 + len(data["labels"]) - 1, 1).value == (
            data["labels"][-1] if data["labels"] else "项目"
        )


def test_the_dashboard_renders_its_charts_for_the_supervisor(world: CaseWorld) -> None:
    decided(world)
    response = page_for(world.supervisor).get("/stats/?year=2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="stats-chart-data"' in html and 'data-stat="decided">1<' in html
    body = api_for(world.supervisor).get("/api/stats/dashboard?year=2025").json()
    assert body["headline"]["decided"] == 1 and len(body["charts"]) == len(selectors.CHARTS)


def test_a_bad_year_or_metric_is_refused_with_a_reason(world: CaseWorld) -> None:
    api = api_for(world.supervisor)
    assert api.get("/api/stats/drill?metric=case.nothing&year=2025").json()["code"] == "metric_not_drillable"
    assert api.get("/api/stats/dashboard?year=1999").status_code == 422
    assert page_for(world.supervisor).get("/stats/?year=abc").status_code in (400, 409, 422)


def test_overdue_open_cases_are_counted_until_finished(world: CaseWorld) -> None:
    from zhifa.cases.tests.helpers import opened

    case = opened(world, on=dt.date(2025, 3, 3))  # decision due 2025-06-01: overdue today
    scope = selectors.scope_for(world.supervisor, year=2025)
    assert selectors.headline(scope)["overdue"] == 1
    assert list(selectors.drill_cases(scope, "case.deadline")) == [case]
