"""清单公示 — the four lists, the discretion benchmarks and the random-inspection list with its checklists are
public without a login, searchable, paged, exportable (csv, xlsx) and readable as of a past day (从旧兼从轻:
行政处罚法 第三十七条). An entry is in force on a day when effective_from <= day and (no effective_to or
day <= effective_to): the end date is the last day in force, as in the catalog and discretion apps."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client, override_settings
from openpyxl import load_workbook

from zhifa.catalog.models import LenientEntry, LenientEntryItem, LenientKind
from zhifa.catalog.selectors import public_lenient_entries
from zhifa.discretion import selectors as discretion_selectors
from zhifa.discretion.logic import TierSpec
from zhifa.discretion.tests.helpers import benchmark
from zhifa.inspections import services as inspection_services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_rate_limit")]

JAN1 = dt.date(2026, 1, 1)
DEC31 = dt.date(2025, 12, 31)


@pytest.fixture
def _no_rate_limit() -> Any:
    with override_settings(PORTAL_RATE="", PORTAL_API_RATE=""):
        yield


def _entry(
    world: Any, number: str, title: str, start: dt.date, end: dt.date | None, **kw: Any
) -> LenientEntry:
    entry = LenientEntry.objects.create(
        kind=kw.get("kind", LenientKind.NO_PENALTY),
        number=number,
        title=title,
        agency=world.agency,
        region=world.county,
        issuer_name=world.agency.name,
        conditions_text="首次违法，及时改正，没有造成危害后果。",
        conditions=["首次违法", "及时改正"],
        law_basis="《中华人民共和国行政处罚法》第三十三条第一款",
        effective_from=start,
        effective_to=end,
    )
    LenientEntryItem.objects.create(entry=entry, code="T-CF-001")
    return entry


@pytest.fixture
def lists(world: Any, fixed_clock: Any) -> dict[str, Any]:
    """Two versions of a 不予处罚 entry (2025, then 2026 on), a 从轻 entry, two versions of a benchmark, an
    inspection item with a checklist in two versions."""
    fixed_clock(dt.date(2026, 6, 1))
    old = _entry(world, "1", "未按规定明码标价（旧）", dt.date(2025, 1, 1), DEC31)
    new = _entry(world, "1", "未按规定明码标价", JAN1, None)
    lighter = _entry(world, "2", "超范围经营", dt.date(2025, 1, 1), None, kind=LenientKind.LIGHTER)
    v1 = benchmark(world, effective_from=dt.date(2025, 1, 1))
    v2 = benchmark(
        world,
        effective_from=JAN1,
        tiers=[TierSpec("一般", 1, fine_min_yuan=2000, fine_max_yuan=5000)],
    )
    item = inspection_services.item_create(
        world.head,
        agency=world.agency,
        code="T-SJ-001",
        name="食品经营检查",
        domain_code="market",
        legal_basis="《中华人民共和国食品安全法》第一百一十条",
    )
    line = {"content": "是否取得许可证", "method": "查验许可证原件", "basis": "第三十五条"}
    inspection_services.checklist_set(world.head, item, lines=[line], effective_from=dt.date(2025, 1, 1))
    added = {"content": "进货查验记录", "method": "查阅记录", "basis": "第五十三条"}
    inspection_services.checklist_set(world.head, item, lines=[line, added], effective_from=JAN1)
    return {"old": old, "new": new, "lighter": lighter, "v1": v1, "v2": v2, "item": item}


# --- selectors: as of a day, both sides of effective_from and effective_to ----------------------------------------


def test_the_lenient_lists_as_of_a_day_hold_the_version_in_force_that_day(lists: dict[str, Any]) -> None:
    def titles(on: dt.date) -> set[str]:
        return set(public_lenient_entries(on=on, kind=LenientKind.NO_PENALTY).values_list("title", flat=True))

    assert titles(dt.date(2024, 12, 31)) == set()  # the day before effective_from
    assert titles(dt.date(2025, 1, 1)) == {"未按规定明码标价（旧）"}  # effective_from itself
    assert titles(DEC31) == {"未按规定明码标价（旧）"}  # effective_to is the last day in force
    assert titles(JAN1) == {"未按规定明码标价"}  # the day after effective_to: the new version only
    assert titles(dt.date(2026, 6, 1)) == {"未按规定明码标价"}


def test_the_lenient_lists_filter_by_words_kind_agency_region_and_domain(
    world: Any, lists: dict[str, Any]
) -> None:
    on = dt.date(2026, 6, 1)
    assert {e.title for e in public_lenient_entries(on=on, q="范围")} == {"超范围经营"}
    assert {e.title for e in public_lenient_entries(on=on, q="T-CF-001")} == {
        "未按规定明码标价",
        "超范围经营",
    }
    assert public_lenient_entries(on=on, kind=LenientKind.LIGHTER).get().title == "超范围经营"
    assert public_lenient_entries(on=on, agency=world.agency).count() == 2
    assert public_lenient_entries(on=on, agency=world.other_agency).count() == 0
    assert public_lenient_entries(on=on, region=world.county).count() == 2
    assert public_lenient_entries(on=on, domain=world.market).count() == 2
    housing = world.other_agency.domains.get()
    assert public_lenient_entries(on=on, domain=housing).count() == 0


def test_the_benchmark_as_of_a_day_is_the_version_in_force_that_day(
    world: Any, lists: dict[str, Any]
) -> None:
    v1, v2 = lists["v1"], lists["v2"]
    v1.refresh_from_db()
    assert v1.effective_to == DEC31  # closed by the next version, the day before it
    assert list(discretion_selectors.public_benchmarks(on=dt.date(2024, 12, 31))) == []
    assert list(discretion_selectors.public_benchmarks(on=DEC31)) == [v1]
    assert list(discretion_selectors.public_benchmarks(on=JAN1)) == [v2]
    assert discretion_selectors.benchmark_version_on(v2, DEC31) == v1
    assert discretion_selectors.benchmark_version_on(v1, JAN1) == v2
    assert discretion_selectors.benchmark_version_on(v1, dt.date(2024, 6, 1)) is None
    assert list(discretion_selectors.public_benchmarks(q="过期", on=JAN1)) == [v2]
    assert list(discretion_selectors.public_benchmarks(agency=world.other_agency, on=JAN1)) == []


# --- pages: anonymous, filters, as of a day, export -----------------------------------------------------------


def test_every_public_list_page_answers_200_without_a_login(lists: dict[str, Any]) -> None:
    client = Client()
    for url in (
        "/public/lists/",
        "/public/lists/lenient/",
        "/public/lists/lenient/?kind=lighter",
        "/public/lists/benchmarks/",
        f"/public/lists/benchmarks/{lists['v2'].pk}/",
        "/public/lists/inspection-items/",
        f"/public/lists/inspection-items/{lists['item'].pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "登录" not in response.content.decode().split("<main", 1)[1], url


def test_the_pages_show_the_lists_as_they_stood_on_the_day_asked(lists: dict[str, Any]) -> None:
    client = Client()
    today = client.get("/public/lists/lenient/").content.decode()
    assert "未按规定明码标价（旧）" not in today and "未按规定明码标价" in today
    past = client.get("/public/lists/lenient/?on=2025-12-31").content.decode()
    assert "未按规定明码标价（旧）" in past and "历史版本" in past
    bench = client.get(f"/public/lists/benchmarks/{lists['v2'].pk}/?on=2025-06-01").content.decode()
    assert "第 1 版" in bench and "轻微" in bench  # version 1's tiers
    assert "2025-06-01 施行的是" in bench
    current = client.get(f"/public/lists/benchmarks/{lists['v1'].pk}/").content.decode()
    assert f"/public/lists/benchmarks/{lists['v2'].pk}/" in current  # the other versions are linked
    assert "现行" in current
    none = client.get(f"/public/lists/benchmarks/{lists['v1'].pk}/?on=2020-01-01").content.decode()
    assert "尚无施行的裁量基准" in none
    item = lists["item"]
    checklist_past = client.get(f"/public/lists/inspection-items/{item.pk}/?on=2025-12-31").content.decode()
    assert "是否取得许可证" in checklist_past and "进货查验记录" not in checklist_past
    checklist_now = client.get(f"/public/lists/inspection-items/{item.pk}/").content.decode()
    assert "进货查验记录" in checklist_now
    asked_today = client.get("/public/lists/lenient/?on=2026-06-01").content.decode()
    assert "以下为 <strong>2026-06-01</strong>" in asked_today and "历史版本" not in asked_today


@pytest.mark.parametrize(
    "query",
    [
        "on=2025-13-01",
        "on=yesterday",
        "on=1900-01-01",
        "agency=abc",
        "agency=999999",
        "region=999999",
        "domain=x",
        "kind=all",
    ],
)
def test_a_bad_filter_is_a_400_page_in_chinese(lists: dict[str, Any], query: str) -> None:
    response = Client().get(f"/public/lists/lenient/?{query}")
    assert response.status_code == 400
    assert "<html" in response.content.decode()


def test_the_lenient_export_in_csv_holds_the_filtered_rows_of_the_day(lists: dict[str, Any]) -> None:
    response = Client().get("/public/lists/lenient/export.csv?kind=no_penalty&on=2025-12-31")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["清单", "序号", "违法行为"]
    assert [r[2] for r in rows[1:]] == ["未按规定明码标价（旧）"]
    assert rows[1][-2:] == ["2025-01-01", "2025-12-31"]


def test_the_benchmark_and_item_exports_in_xlsx_hold_a_row_per_tier_and_per_checklist_line(
    lists: dict[str, Any],
) -> None:
    client = Client()
    response = client.get("/public/lists/benchmarks/export.xlsx?on=2025-06-01")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "执法事项编码" and [r[7] for r in rows[1:]] == ["轻微", "一般", "严重"]
    assert {r[3] for r in rows[1:]} == {1}
    response = client.get("/public/lists/inspection-items/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[10] for r in rows[1:]] == ["是否取得许可证", "进货查验记录"]
    assert client.get("/public/lists/lenient/export.pdf").status_code == 404


# --- the public API ---------------------------------------------------------------------------------------------


def test_the_public_api_pages_the_lenient_lists_by_keyset_without_a_login(lists: dict[str, Any]) -> None:
    client = Client()
    first = client.get("/api/portal/lists/lenient-entries", {"limit": 1})
    assert first.status_code == 200
    body = first.json()
    assert body["on"] == "2026-06-01" and len(body["items"]) == 1 and body["next_cursor"]
    second = client.get(
        "/api/portal/lists/lenient-entries", {"limit": 1, "cursor": body["next_cursor"]}
    ).json()
    assert second["next_cursor"] is None
    assert {body["items"][0]["title"], second["items"][0]["title"]} == {"未按规定明码标价", "超范围经营"}
    past = client.get("/api/portal/lists/lenient-entries", {"on": "2025-12-31", "kind": "no_penalty"}).json()
    assert [e["title"] for e in past["items"]] == ["未按规定明码标价（旧）"]
    bad = client.get("/api/portal/lists/lenient-entries", {"region_code": "999999"})
    assert bad.status_code == 422 and bad.json()["code"]


def test_the_public_api_gives_benchmarks_as_of_a_day_and_their_versions(lists: dict[str, Any]) -> None:
    client = Client()
    past = client.get("/api/portal/lists/benchmarks", {"on": "2025-06-01"}).json()
    assert [(b["version"], len(b["tiers"])) for b in past["items"]] == [(1, 3)]
    detail = client.get(f"/api/portal/lists/benchmarks/{lists['v1'].pk}").json()
    assert [v["version"] for v in detail["versions"]] == [2, 1]
    assert client.get("/api/portal/lists/benchmarks/999999").status_code == 404
    items = client.get("/api/portal/lists/inspection-items", {"on": "2025-12-31"}).json()["items"]
    assert [(i["checklist_version"], len(i["checklist"])) for i in items] == [(1, 1)]
    item = client.get(f"/api/portal/lists/inspection-items/{lists['item'].pk}").json()
    assert item["checklist_version"] == 2 and [v["version"] for v in item["checklist_versions"]] == [2, 1]
