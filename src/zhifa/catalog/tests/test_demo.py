"""The demo county's catalog (demo step 50): real items for the county agencies, in force from the build day,
one item with a next-year version, list entries that match their items."""

from __future__ import annotations

import datetime as dt

from zhifa.catalog import selectors
from zhifa.catalog.demo import CONFIRMATION_MISSING, CONFIRMATION_PENDING
from zhifa.catalog.models import CatalogItem, LenientEntry
from zhifa.core import clock
from zhifa.org.models import Agency, Region


def test_demo_catalog_is_in_force_from_the_build_day(demo_county, db):
    today = clock.today()
    market = Agency.objects.get(name="示范县市场监督管理局")
    items = list(selectors.catalog_for_agency(market, today))
    assert len(items) >= 15 and all(i.law_name and i.article and i.article_text for i in items)
    assert selectors.catalog_for_agency(market, today - dt.timedelta(days=1)).count() == 0
    assert (
        selectors.catalog_item_in_force(market, "SJ-CF-002", today).article
        == "第一百二十四条第一款第（五）项"
    )
    assert CatalogItem.objects.filter(code="SJ-CF-007").count() == 2
    assert Agency.objects.filter(catalog_items__isnull=False).distinct().count() >= 9
    assert LenientEntry.objects.filter(agency__isnull=True, region__code="860102").exists()
    item = selectors.catalog_item_in_force(market, "SJ-CF-004", today)
    assert [e.kind for e in selectors.entries_for_item(item, today)] == ["no_penalty"]


def test_demo_confirms_every_county_agency_but_one_waiting_and_one_never_asked(demo_county, db):
    county = Region.objects.get(code="860102")
    gaps = selectors.confirmation_gaps(
        Agency.objects.filter(region__path__startswith=county.path), clock.today().year
    )
    assert {g.agency.name: bool(g.pending) for g in gaps} == {
        CONFIRMATION_PENDING: True,
        CONFIRMATION_MISSING: False,
    }
    market = Agency.objects.get(name="示范县市场监督管理局")
    assert selectors.confirmed_catalog(agency=market).count() == selectors.catalog_for_agency(market).count()
