"""Builders for catalog tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.catalog import services
from zhifa.catalog.models import CatalogItem, LenientEntry
from zhifa.catalog.services import EntryData, ItemData


def item_data(
    world: Any,
    code: str,
    *,
    name: str = "对经营超过保质期的食品的行政处罚",
    kind: str = "penalty",
    start: dt.date = dt.date(2025, 1, 1),
    end: dt.date | None = None,
    text: str = "条文……",
) -> ItemData:
    return ItemData(
        code=code,
        name=name,
        kind=kind,
        domain=world.market,
        law_name="中华人民共和国食品安全法",
        article="第一百二十四条",
        article_text=text,
        effective_from=start,
        effective_to=end,
    )


def add_item(world: Any, code: str, **kwargs: Any) -> CatalogItem:
    return services.catalog_item_save(
        actor=world.head, agency=world.agency, data=item_data(world, code, **kwargs)
    )


def add_entry(
    world: Any,
    code: str,
    *,
    kind: str = "no_penalty",
    number: str = "1",
    conditions: tuple[str, ...] = ("首次违法", "及时改正"),
    start: dt.date = dt.date(2025, 1, 1),
    end: dt.date | None = None,
    agency: Any = "world",
    region: Any = None,
) -> LenientEntry:
    data = EntryData(
        kind=kind,
        number=number,
        title="食品标签瑕疵",
        item_codes=[code],
        conditions_text="初次违法且及时改正",
        conditions=list(conditions),
        law_basis="《中华人民共和国行政处罚法》第三十三条第一款",
        effective_from=start,
        effective_to=end,
    )
    actor = world.head
    if region is not None:
        from zhifa.org.models import Role, User
        from zhifa.org.tests.factories import UserFactory, grant

        admin = UserFactory()
        grant(admin, Role.ADMIN, region=region)
        actor = User.objects.get(pk=admin.pk)
        return services.lenient_entry_save(actor=actor, data=data, region=region)
    return services.lenient_entry_save(
        actor=actor, data=data, agency=world.agency if agency == "world" else agency
    )
