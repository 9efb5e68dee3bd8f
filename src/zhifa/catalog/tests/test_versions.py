"""执法事项的版本: a code keeps its identity, a new version closes the previous one the day before, and no
two versions of one agency and code overlap; the selectors find the version in force on boundary dates."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.catalog import selectors, services
from zhifa.catalog.models import CatalogItem
from zhifa.catalog.tests.helpers import add_item, item_data
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.records.models import LedgerEntry


def test_new_version_closes_the_previous_one_the_day_before(world):
    v1 = add_item(world, "T-1", start=dt.date(2025, 1, 1))
    v2 = add_item(world, "T-1", name="新名称", start=dt.date(2025, 7, 1))
    v1.refresh_from_db()
    assert (v1.version, v2.version) == (1, 2)
    assert v1.effective_to == dt.date(2025, 6, 30) and v2.effective_to is None
    assert selectors.catalog_item_in_force(world.agency, "T-1", dt.date(2025, 6, 30)) == v1
    assert selectors.catalog_item_in_force(world.agency, "T-1", dt.date(2025, 7, 1)) == v2
    assert selectors.catalog_item_in_force(world.agency, "T-1", dt.date(2024, 12, 31)) is None
    assert LedgerEntry.objects.filter(action="catalog.item_version").count() == 2


def test_a_version_with_an_end_date_is_out_of_force_the_day_after(world):
    add_item(world, "T-2", start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31))
    assert selectors.catalog_item_in_force(world.agency, "T-2", dt.date(2025, 3, 31)) is not None
    assert selectors.catalog_item_in_force(world.agency, "T-2", dt.date(2025, 4, 1)) is None
    assert list(selectors.catalog_for_agency(world.agency, dt.date(2025, 4, 1))) == []


def test_a_version_starting_on_or_before_the_latest_is_refused_as_overlap(world):
    add_item(world, "T-3", start=dt.date(2025, 3, 1))
    for start in (dt.date(2025, 3, 1), dt.date(2025, 2, 1)):
        with pytest.raises(RuleViolation) as refused:
            add_item(world, "T-3", start=start)
        assert refused.value.code == "catalog_version_overlap"
    assert CatalogItem.objects.filter(code="T-3").count() == 1


def test_same_code_at_another_agency_is_another_item(world):
    add_item(world, "T-4")
    assert selectors.catalog_item_in_force(world.other_agency, "T-4", dt.date(2025, 5, 1)) is None


def test_missing_legal_basis_is_refused(world):
    data = item_data(world, "T-5", text="")
    with pytest.raises(InvalidInput) as refused:
        services.catalog_item_save(actor=world.head, agency=world.agency, data=data)
    assert refused.value.code == "catalog_basis_missing" and refused.value.field == "article_text"


def test_end_before_start_is_refused(world):
    with pytest.raises(InvalidInput) as refused:
        add_item(world, "T-6", start=dt.date(2025, 5, 1), end=dt.date(2025, 4, 1))
    assert refused.value.code == "catalog_bad_dates"


def test_only_the_head_of_the_agency_or_an_admin_manages_its_catalog(world):
    data = item_data(world, "T-7")
    for actor in (world.officer_user, world.outsider, world.supervisor, world.reviewer):
        with pytest.raises(PermissionDenied):
            services.catalog_item_save(actor=actor, agency=world.agency, data=data)
    assert not CatalogItem.objects.filter(code="T-7").exists()


def test_repeal_ends_the_item_on_the_day(world):
    item = add_item(world, "T-8", start=dt.date(2025, 1, 1))
    services.catalog_item_repeal(actor=world.head, item=item, on=dt.date(2025, 9, 30))
    assert selectors.catalog_item_in_force(world.agency, "T-8", dt.date(2025, 9, 30)) is not None
    assert selectors.catalog_item_in_force(world.agency, "T-8", dt.date(2025, 10, 1)) is None


def test_public_catalog_filters_by_agency_domain_and_kind(world):
    add_item(world, "T-9")
    add_item(world, "T-10", kind="inspection")
    on = dt.date(2025, 6, 1)
    assert {i.code for i in selectors.public_catalog(on=on)} == {"T-9", "T-10"}
    assert {i.code for i in selectors.public_catalog(kind="inspection", on=on)} == {"T-10"}
    assert {i.code for i in selectors.public_catalog(agency=world.other_agency, on=on)} == set()
    assert {i.code for i in selectors.public_catalog(domain=world.market, on=on)} == {"T-9", "T-10"}
    assert list(selectors.public_catalog(on=dt.date(2024, 1, 1))) == []
