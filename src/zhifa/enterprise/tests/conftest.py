"""The enterprise area's test world: the inspections test world (a county, a market bureau with its head and
officers, tagged parties) plus one enterprise user of the first party and a filed, approved visit to it whose
item has a checklist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from zhifa.core import clock
from zhifa.inspections import services
from zhifa.inspections.models import Inspection, TaskKind
from zhifa.inspections.tests.conftest import ledger_key, make_item, world  # noqa: F401  (fixtures)
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import UserFactory, grant

PASSWORD = "Zhifa@2026"  # the factory's


def enterprise_user(party: Any, name: str = "企业联系人") -> User:
    user = UserFactory(full_name=name)
    grant(user, Role.ENTERPRISE, party=party)
    return User.objects.get(pk=user.pk)


def filed_visit(w: Any, party: Any, *, item: Any = None, starts_in: int = 1, days: int = 20) -> Inspection:
    """A filed and approved 专项检查 of ``party`` by the market bureau, two officers, starting in so many days."""
    today = clock.today()
    task = services.task_file(
        w.officer_user,
        agency=w.agency,
        item=item or make_item(w),
        kind=TaskKind.SPECIAL,
        party=party,
        officer_ids=[w.officers[0].pk, w.officers[1].pk],
        title=f"{party.name}专项检查",
        reason="年度专项检查",
        starts_on=today + dt.timedelta(days=starts_in),
        ends_on=today + dt.timedelta(days=starts_in + days),
    )
    services.task_approve(w.head, task)
    return task.inspections.get()


@dataclass
class Scene:
    world: Any
    company: User  # the enterprise user of parties[0]
    other_company: User  # the enterprise user of parties[1]
    visit: Inspection  # planned, window offered
    item: Any


@pytest.fixture
def scene(world: Any) -> Scene:  # noqa: F811
    item = make_item(world)
    services.checklist_set(
        world.head,
        item,
        lines=[
            {
                "content": "是否取得食品经营许可证",
                "method": "查验许可证原件",
                "basis": "《食品安全法》第三十五条",
            },
            {
                "content": "从业人员是否取得健康证明",
                "method": "抽查健康证明",
                "basis": "《食品安全法》第四十五条",
            },
        ],
        effective_from=clock.today() - dt.timedelta(days=30),
    )
    visit = filed_visit(world, world.parties[0], item=item)
    today = clock.today()
    services.visit_window_offer(
        world.officer_user,
        visit,
        first_day=today + dt.timedelta(days=2),
        last_day=today + dt.timedelta(days=4),
        day_starts=dt.time(9, 0),
        day_ends=dt.time(11, 0),
        slot_minutes=60,
        note="检查约需一小时",
    )
    return Scene(
        world=world,
        company=enterprise_user(world.parties[0]),
        other_company=enterprise_user(world.parties[1], "另一企业联系人"),
        visit=Inspection.objects.get(pk=visit.pk),
        item=item,
    )
