"""今日检查 costs the same number of queries for few or many visits, and draws no QR code: each card's code is an
image of its own URL (``inspections:code_qr``), loaded when the card opens, for whoever may see the inspection."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.core import clock
from zhifa.inspections import services
from zhifa.inspections.models import Inspection, InspectionStatus
from zhifa.inspections.tests.conftest import TZ_NOW, World, make_officer, make_plan, make_random_task
from zhifa.org.models import User
from zhifa.testing.queries import count_queries

# The page's cost today (session, user, grants, the officer, the scoped visits, the merge proposals with their
# agencies and their visits with agency and item, the tabs; the suite writes the session on every request, 3
# statements with its savepoint, a deployment once a minute). Was 14: the visits' agencies and items are joined.
TODAY_QUERIES = 12


@pytest.fixture(autouse=True)
def _evidence_dirs(evidence_dirs: Any) -> Any:
    return evidence_dirs


def _draw(world: World) -> list[Inspection]:
    _, plan_item = make_plan(world)
    today = clock.today()
    task = make_random_task(
        world, plan_item, starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=30)
    )
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    return list(Inspection.objects.filter(task=task).order_by("id"))


def _member(inspection: Inspection) -> User:
    return User.objects.get(officer__pk=inspection.assignments.order_by("id").first().officer_id)


def _cards(client: Client) -> int:
    return client.get(reverse("inspections:today")).content.decode().count('data-testid="qr-toggle"')


def test_the_today_list_costs_the_same_queries_for_more_visits_and_draws_no_qr_code(world: World) -> None:
    member = _member(_draw(world)[0])
    _draw(world)  # the same parties again: open merge proposals (自动匹配) on the page too
    client = Client()
    client.force_login(member)
    few_cards = _cards(client)
    few = count_queries(lambda: client.get(reverse("inspections:today")))
    _draw(world)
    _draw(world)
    _draw(world)
    many_cards = _cards(client)
    page = client.get(reverse("inspections:today")).content.decode()
    assert many_cards > few_cards >= 1
    assert count_queries(lambda: client.get(reverse("inspections:today"))) == few == TODAY_QUERIES
    assert "<svg" not in page and 'loading="lazy"' in page


def test_the_qr_image_is_the_visits_code_for_those_who_may_see_it(world: World) -> None:
    inspection = _draw(world)[0]
    client = Client()
    client.force_login(_member(inspection))
    image = client.get(reverse("inspections:code_qr", args=[inspection.pk]))
    assert image.status_code == 200 and image["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in image.content
    # the same image for the next request (kept per visit and window), and the code on the page still reads
    assert client.get(reverse("inspections:code_qr", args=[inspection.pk])).content == image.content


def test_the_qr_image_is_refused_outside_the_scope_and_after_check_in(world: World) -> None:
    inspection = _draw(world)[0]
    outsider = Client()
    outsider.force_login(make_officer(world.other_agency, "外局检查员")[0])
    assert outsider.get(reverse("inspections:code_qr", args=[inspection.pk])).status_code == 404
    anonymous = Client().get(reverse("inspections:code_qr", args=[inspection.pk]))
    assert anonymous.status_code == 302  # to the login page
    Inspection.objects.filter(pk=inspection.pk).update(status=InspectionStatus.CHECKED_IN)
    member = Client()
    member.force_login(_member(inspection))
    assert member.get(reverse("inspections:code_qr", args=[inspection.pk])).status_code == 404
