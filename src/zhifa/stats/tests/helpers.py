"""Events for the statistics tests: decided cases (general and simple), inspections, an outside supervisor."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from zhifa.cases import services as case_services
from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import CaseWorld, notified
from zhifa.org.models import Region, RegionLevel, Role, User
from zhifa.org.tests.factories import UserFactory, grant


def decided(world: CaseWorld, *, fine: str = "5000", on: dt.date = dt.date(2025, 3, 3)) -> Case:
    case = notified(world, fine=fine, on=on)
    case = case_services.case_waive_rights(actor=world.officer_user, case=case, on=case.notified_on)
    return case_services.case_decide(
        actor=world.head,
        case=case,
        kinds=["fine"],
        fine_yuan=fine,
        on=case.notified_on + dt.timedelta(days=3),
    )


def simple(world: CaseWorld, *, fine: str | None = "100", on: dt.date = dt.date(2025, 6, 3)) -> Case:
    return case_services.case_simple_decide(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=world.officer_user,
        agency=world.agency,
        domain=world.market,
        party=world.citizen,
        officers=world.officers[:2],
        kinds=["fine"] if fine else ["warning"],
        fine_yuan=fine,
        title="占道经营",
        on=on,
    )


def outsider_supervisor() -> User:
    region = Region.objects.filter(code="890000").first() or Region.objects.create(
        code="890000", name="他省", level=RegionLevel.PROVINCE
    )
    user = UserFactory()
    grant(user, Role.SUPERVISOR, region=region)
    return User.objects.get(pk=user.pk)


def xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
