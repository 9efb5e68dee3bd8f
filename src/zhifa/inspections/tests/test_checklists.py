"""检查表单 — a checklist is set by the item's agency as a new version from a date; the version before it ends
the day before, history is never rewritten, the ledger holds each version, and its page is scoped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from zhifa.core.errors import DomainError, InvalidInput, RuleViolation
from zhifa.inspections import selectors, services
from zhifa.inspections.models import ChecklistLine, InspectionItem
from zhifa.records.models import LedgerEntry

pytestmark = pytest.mark.django_db

LINES = [
    {
        "content": "是否取得许可证",
        "method": "查验许可证原件",
        "basis": "《中华人民共和国食品安全法》第三十五条",
    },
    {"content": "从业人员健康证明", "method": "抽查健康证明", "basis": ""},
]


@pytest.fixture
def item(world: Any) -> InspectionItem:
    return services.item_create(
        world.head,
        agency=world.agency,
        code="T-SJ-001",
        name="食品经营检查",
        domain_code="market",
        legal_basis="《中华人民共和国食品安全法》第一百一十条",
    )


def test_a_new_checklist_version_closes_the_one_before_on_the_day_before(
    world: Any, item: InspectionItem
) -> None:
    services.checklist_set(world.head, item, lines=LINES, effective_from=dt.date(2025, 1, 1))
    services.checklist_set(world.head, item, lines=LINES[:1], effective_from=dt.date(2026, 1, 1))
    first = ChecklistLine.objects.filter(item=item, version=1)
    assert {line.effective_to for line in first} == {dt.date(2025, 12, 31)}
    # as of a date, both sides of the change: the end date is the last day in force
    assert [line.version for line in selectors.checklist_on(item, dt.date(2025, 12, 31))] == [1, 1]
    assert [line.version for line in selectors.checklist_on(item, dt.date(2026, 1, 1))] == [2]
    assert selectors.checklist_on(item, dt.date(2024, 12, 31)) == []
    versions = selectors.checklist_versions(item)
    assert [(v.version, v.lines, v.effective_to) for v in versions] == [
        (2, 1, None),
        (1, 2, dt.date(2025, 12, 31)),
    ]
    entries = LedgerEntry.objects.filter(action="inspection.checklist.set").order_by("seq")
    assert entries.count() == 2


def test_a_checklist_version_may_not_start_on_or_before_the_latest_one(
    world: Any, item: InspectionItem
) -> None:
    services.checklist_set(world.head, item, lines=LINES, effective_from=dt.date(2025, 6, 1))
    with pytest.raises(RuleViolation) as exc:
        services.checklist_set(world.head, item, lines=LINES, effective_from=dt.date(2025, 6, 1))
    assert exc.value.code == "checklist_version_order"
    assert ChecklistLine.objects.filter(item=item).count() == 2  # nothing half-written


def test_a_checklist_needs_a_line_with_its_content_and_method(world: Any, item: InspectionItem) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.checklist_set(
            world.head,
            item,
            lines=[{"content": "", "method": "", "basis": ""}],
            effective_from=dt.date(2025, 1, 1),
        )
    assert exc.value.code == "checklist_empty"
    with pytest.raises(InvalidInput) as exc:
        services.checklist_set(
            world.head,
            item,
            lines=[{"content": "是否取得许可证", "method": ""}],
            effective_from=dt.date(2025, 1, 1),
        )
    assert exc.value.code == "checklist_line_incomplete"
    assert not ChecklistLine.objects.exists()


def test_only_the_items_agency_sets_its_checklist(world: Any, item: InspectionItem) -> None:
    with pytest.raises(DomainError) as exc:
        services.checklist_set(world.other_head, item, lines=LINES, effective_from=dt.date(2025, 1, 1))
    assert exc.value.status == 403
    assert not ChecklistLine.objects.exists()


def test_the_agency_edits_its_checklist_on_its_page_and_others_do_not_see_it(
    world: Any, item: InspectionItem
) -> None:
    client = Client()
    client.force_login(world.head)
    page = client.get(f"/inspections/items/{item.pk}/checklist/")
    assert page.status_code == 200 and "制定新版本" in page.content.decode()
    response = client.post(
        f"/inspections/items/{item.pk}/checklist/",
        {
            "effective_from": "2025-03-01",
            "content_1": "是否公示许可证",
            "method_1": "现场查看",
            "basis_1": "",
        },
    )
    assert response.status_code == 302
    assert [line.content for line in selectors.checklist_on(item, dt.date(2025, 3, 1))] == ["是否公示许可证"]
    refused = client.post(
        f"/inspections/items/{item.pk}/checklist/",
        {"effective_from": "2025-03-01", "content_1": "是否公示许可证", "method_1": "现场查看"},
    )
    assert refused.status_code == 422 and "须晚于" in refused.content.decode()
    listing = client.get("/inspections/items/")
    assert listing.status_code == 200 and "1 项检查内容" in listing.content.decode()

    other = Client()
    other.force_login(world.other_head)
    assert other.get(f"/inspections/items/{item.pk}/checklist/").status_code == 404
    assert (
        other.post(f"/inspections/items/{item.pk}/checklist/", {"effective_from": "2026-01-01"}).status_code
        == 404
    )
