"""The public page of a double-random draw (双随机、一公开): reached from the published plan by its task number,
without a login; it names the parties drawn (a natural person masked) and the inspectors, in Beijing time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.core import clock
from zhifa.inspections import services
from zhifa.inspections.models import PartyDomainTag
from zhifa.inspections.tests.conftest import TZ_NOW, World, make_plan, make_random_task
from zhifa.org.models import Domain, PartyKind
from zhifa.org.tests.factories import PartyFactory, next_resident_id


@pytest.fixture
def citizen(world: World) -> Any:
    """A natural person in the directory of the item's domain (a 摊贩 registered as a person)."""
    party = PartyFactory(
        region=world.county,
        kind=PartyKind.NATURAL_PERSON,
        name="欧阳小明",
        uscc=None,
        id_number=next_resident_id(),
        credit_class="B",
    )
    PartyDomainTag.objects.create(party=party, domain=Domain.objects.get(code="market"))
    return party


def _drawn_everyone(world: World, *, publish: bool) -> Any:
    plan, plan_item = make_plan(world)
    if publish:
        services.plan_file(world.officer_user, plan, now=TZ_NOW)
        services.plan_publish(world.officer_user, plan, now=TZ_NOW)
    today = clock.today()
    task = make_random_task(
        world,
        plan_item,
        party_count=len(world.parties) + 1,  # the whole pool: every party, the citizen too
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=30),
    )
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    return task


def test_draw_page_names_the_parties_masks_a_person_and_shows_beijing_time(world, citizen) -> None:
    task = _drawn_everyone(world, publish=False)
    response = Client().get(reverse("portal:draw", args=[task.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.parties[0].name in html  # an enterprise is named as registered
    assert "欧阳**" in html and "欧阳小明" not in html  # a natural person: surname only (disclosure.privacy)
    assert world.officers[0].name in html or world.officers[1].name in html  # the inspectors drawn, by name
    # TZ_NOW is 09:00 UTC: the page says 17:00 Beijing time, never an ISO instant
    assert "2026年2月10日 17:00:00（北京时间）" in html
    assert "T09:00" not in html and "+00:00" not in html
    assert "party/*" not in html.split('id="verify-labels"')[0]  # the stratum in Chinese, not its label
    assert "全部检查对象" in html


def test_a_task_not_drawn_has_no_public_page(world) -> None:
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item, party_count=2)
    response = Client().get(reverse("portal:draw", args=[task.pk]))
    assert response.status_code == 404 and "尚未抽取" in response.content.decode()
    assert Client().get(reverse("portal:draw", args=[999999])).status_code == 404


def test_published_plan_lists_drawn_task_numbers_linking_to_their_draw(world, citizen) -> None:
    task = _drawn_everyone(world, publish=True)
    _, other_item = make_plan(world)
    undrawn = make_random_task(world, other_item, party_count=2)
    html = Client().get(reverse("portal:plans")).content.decode()
    assert f'href="{reverse("portal:draw", args=[task.pk])}"' in html
    assert f"任务编号</span> {task.pk}" in html
    assert reverse("portal:draw", args=[undrawn.pk]) not in html


def test_the_verify_form_and_the_old_address_lead_to_the_draw_page(world, citizen) -> None:
    task = _drawn_everyone(world, publish=False)
    target = reverse("portal:draw", args=[task.pk])
    response = Client().get(reverse("portal:verify"), {"kind": "draw", "code": str(task.pk)})
    assert response.status_code == 302 and response["Location"] == target
    response = Client().get(reverse("inspections:draw_verify", args=[task.pk]))
    assert response.status_code == 302 and response["Location"] == target


def test_the_staff_task_page_still_needs_a_login(world, citizen) -> None:
    task = _drawn_everyone(world, publish=False)
    response = Client().get(reverse("inspections:task_detail", args=[task.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
