"""Benchmark of the catalog (issue 6, items 1 and 3): xlsx import and the lookups the case gate makes.

    ZHIFA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhifa_bench_catalog \\
        .venv/bin/python bench/bench_catalog.py --items 5000 --agencies 50

On a fresh database (create it first; migrated here): one county, ``--agencies`` agencies, then **import**
``--items`` catalog items from one generated .xlsx through ``catalog_import`` (every row checked, one ledger
entry per version; timed), a **re-import** of the same file (all unchanged, skipped), and 500 list entries;
then p50/p95 of ``catalog_item_in_force`` (the check every 立案 runs), ``public_catalog`` first page (50),
``catalog_for_agency`` and ``lenient_entries_for_case``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time


def _pct(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
    return f"p50 {statistics.median(samples) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--agencies", type=int, default=50)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    import openpyxl
    from django.core.management import call_command
    from django.db import connection

    from zhifa.catalog import selectors
    from zhifa.catalog.imports import ITEM_COLUMNS, catalog_import
    from zhifa.catalog.models import LenientEntry, LenientEntryItem
    from zhifa.org.domains import ensure_domains
    from zhifa.org.models import Agency, Domain, Region, RegionLevel, User

    call_command("migrate", verbosity=0)
    ensure_domains()
    print(f"database: {connection.vendor}")
    province = Region.objects.create(code="870000", name="基准省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(code="870100", name="基准市", level=RegionLevel.CITY, parent=province)
    county = Region.objects.create(code="870102", name="基准县", level=RegionLevel.COUNTY, parent=city)
    market = Domain.objects.get(code="market")
    from zhifa.org.tests.factories import next_uscc

    agencies = []
    for i in range(args.agencies):
        agency = Agency.objects.create(name=f"基准县第{i}局", uscc=next_uscc(), region=county)
        agency.domains.add(market)
        agencies.append(agency)
    admin = User.objects.create(username="bench_admin", is_superuser=True)

    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(list(ITEM_COLUMNS))
    start = dt.date(2026, 1, 1)
    for n in range(args.items):
        agency = agencies[n % len(agencies)]
        sheet.append(
            [
                f"B-CF-{n:05d}",
                f"对第{n}类违法行为的行政处罚",
                "行政处罚",
                "市场监管",
                "",
                agency.uscc,
                "中华人民共和国食品安全法",
                f"第{n % 150 + 1}条",
                "条文……" * 20,
                start.isoformat(),
                "",
            ]
        )
    data = io.BytesIO()
    wb.save(data)
    blob = data.getvalue()
    t0 = time.perf_counter()
    report = catalog_import(actor=admin, file=blob, filename="bench.xlsx")
    t_import = time.perf_counter() - t0
    assert report.ok, report.errors[:3]
    t0 = time.perf_counter()
    again = catalog_import(actor=admin, file=blob, filename="bench.xlsx")
    t_again = time.perf_counter() - t0
    print(
        f"import {args.items} items ({len(blob) // 1024} KiB xlsx): {t_import:.1f} s "
        f"({args.items / t_import:.0f} rows/s, each with a ledger entry); re-import (all unchanged): {t_again:.1f} s"
    )
    assert len(again.unchanged) == args.items

    entries = LenientEntry.objects.bulk_create(
        LenientEntry(
            kind="no_penalty",
            number=str(n),
            title="t",
            agency=agencies[n % len(agencies)],
            region=county,
            issuer_name="x",
            conditions_text="c",
            conditions=["首次违法"],
            law_basis="b",
            effective_from=start,
        )
        for n in range(500)
    )
    LenientEntryItem.objects.bulk_create(
        LenientEntryItem(entry=e, code=f"B-CF-{(n * 10) % args.items:05d}") for n, e in enumerate(entries)
    )
    on = dt.date(2026, 6, 1)
    rng = random.Random(1)

    def timed(fn) -> list[float]:
        samples = []
        for _ in range(args.runs):
            t = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t)
        return samples

    def in_force() -> None:
        n = rng.randrange(args.items)
        assert (
            selectors.catalog_item_in_force(agencies[n % len(agencies)].pk, f"B-CF-{n:05d}", on) is not None
        )

    class FakeCase:
        def __init__(self, n: int) -> None:
            self.catalog_item_code = f"B-CF-{n:05d}"
            self.agency = agencies[n % len(agencies)]
            self.act_date = on

    print(f"catalog_item_in_force: {_pct(timed(in_force))}")
    print(
        f"public_catalog first page (50): {_pct(timed(lambda: list(selectors.public_catalog(on=on)[:50])))}"
    )
    print(
        f"catalog_for_agency ({args.items // len(agencies)} items): "
        f"{_pct(timed(lambda: list(selectors.catalog_for_agency(agencies[rng.randrange(len(agencies))], on))))}"
    )
    print(
        f"lenient_entries_for_case: "
        f"{_pct(timed(lambda: selectors.lenient_entries_for_case(FakeCase(rng.randrange(args.items) // 10 * 10), on)))}"
    )


if __name__ == "__main__":
    sys.exit(main())
