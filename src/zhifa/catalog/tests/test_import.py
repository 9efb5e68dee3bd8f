"""导入执法事项目录与四张清单: every bad row is refused with its row number and reason and nothing is written;
unchanged rows are skipped; changed rows become a new version; the template downloads and reads back."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from zhifa.catalog import selectors
from zhifa.catalog.imports import ITEM_COLUMNS, catalog_import, lenient_import, template_xlsx
from zhifa.catalog.models import CatalogItem, LenientEntry
from zhifa.catalog.tests.helpers import add_item
from zhifa.core.errors import InvalidInput, PermissionDenied
from zhifa.records.models import LedgerEntry

HEADER = list(ITEM_COLUMNS)


def _xlsx(header, rows) -> bytes:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(
    world,
    code="I-CF-001",
    *,
    name="对经营超过保质期的食品的行政处罚",
    kind="行政处罚",
    domain="市场监管",
    agency=None,
    uscc="",
    law="中华人民共和国食品安全法",
    article="第一百二十四条",
    text="条文……",
    start="2025-01-01",
    end="",
):
    return [
        code,
        name,
        kind,
        domain,
        world.agency.name if agency is None else agency,
        uscc,
        law,
        article,
        text,
        start,
        end,
    ]


def _import(world, rows, actor=None):
    return catalog_import(actor=actor or world.head, file=_xlsx(HEADER, rows), filename="目录.xlsx")


def test_a_good_file_writes_every_item_with_a_ledger_entry(world):
    report = _import(world, [_row(world), _row(world, "I-CF-002", start=dt.date(2025, 2, 1))])
    assert report.ok and report.created == 2
    assert selectors.catalog_item_in_force(world.agency, "I-CF-002", dt.date(2025, 2, 1)) is not None
    assert LedgerEntry.objects.filter(action="catalog.item_version").count() == 2


@pytest.mark.parametrize(
    ("override", "column", "words"),
    [
        ({"agency": "不存在的局"}, "实施主体", "不存在"),
        ({"uscc": "91110000000000000X"}, "实施主体统一社会信用代码", "不存在"),
        ({"domain": "航天"}, "执法领域", "不存在"),
        ({"kind": "行政罚没"}, "事项类别", "无效"),
        ({"text": ""}, "条文内容", "缺少法律依据"),
        ({"law": ""}, "法律依据名称", "缺少法律依据"),
        ({"start": "2025-13-01"}, "施行日期", "无法识别"),
        ({"start": ""}, "施行日期", "不能为空"),
        ({"end": "2024-12-31"}, "失效日期", "早于"),
    ],
)
def test_a_bad_row_is_refused_with_its_number_and_nothing_is_written(world, override, column, words):
    report = _import(world, [_row(world), _row(world, "I-CF-002", **override)])
    assert not report.ok and report.created == 0
    assert any(e.row == 3 and e.column == column and words in e.reason for e in report.errors), report.errors
    assert not CatalogItem.objects.exists()


def test_duplicate_rows_are_refused(world):
    report = _import(world, [_row(world), _row(world)])
    assert [(e.row, e.column) for e in report.errors] == [(3, "事项编码")]
    assert "第 2 行重复" in report.errors[0].reason and not CatalogItem.objects.exists()


def test_unchanged_rows_are_skipped_and_changed_rows_make_a_new_version(world):
    _import(world, [_row(world), _row(world, "I-CF-002")])
    report = _import(world, [_row(world), _row(world, "I-CF-002", name="新名称", start="2025-06-01")])
    assert report.ok and report.unchanged == [2] and report.new_versions == 1
    old = CatalogItem.objects.get(code="I-CF-002", version=1)
    assert old.effective_to == dt.date(2025, 5, 31)
    assert selectors.catalog_item_in_force(world.agency, "I-CF-002", dt.date(2025, 6, 1)).name == "新名称"


def test_a_changed_row_that_would_overlap_the_current_version_is_refused(world):
    add_item(world, "I-CF-001", start=dt.date(2025, 3, 1))
    report = _import(world, [_row(world, name="改名但日期更早", start="2025-02-01")])
    assert not report.ok and report.errors[0].column == "施行日期" and "不得重叠" in report.errors[0].reason
    assert CatalogItem.objects.count() == 1


def test_rows_of_an_agency_outside_the_actor_scope_are_refused(world):
    report = _import(world, [_row(world, agency=world.other_agency.name, domain="住房城乡建设")])
    assert not report.ok and "无权维护" in report.errors[0].reason


def test_an_officer_cannot_import(world):
    with pytest.raises(PermissionDenied):
        _import(world, [_row(world)], actor=world.officer_user)


def test_missing_columns_and_unknown_files_are_reported(world):
    report = catalog_import(
        actor=world.head, file=_xlsx(["事项编码", "奇怪的列"], [["X"]]), filename="a.xlsx"
    )
    columns = {e.column for e in report.errors}
    assert "奇怪的列" in columns and "事项名称" in columns and all(e.row == 1 for e in report.errors)
    with pytest.raises(InvalidInput):
        catalog_import(actor=world.head, file=b"not a zip", filename="a.xlsx")
    with pytest.raises(InvalidInput):
        catalog_import(actor=world.head, file=b"a,b", filename="a.csv")


def test_the_template_reads_back_as_an_import(world):
    data = template_xlsx("items")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    example = [c.value for c in sheet[2]]
    example[4] = world.agency.name
    report = catalog_import(actor=world.head, file=_xlsx(header, [example]), filename="模板.xlsx")
    assert report.ok and report.created == 1


ENTRY_HEADER = [
    "清单类别",
    "序号",
    "违法行为",
    "事项编码",
    "适用条件",
    "条件清单",
    "法律依据",
    "发布机关统一社会信用代码",
    "发布区划代码",
    "施行日期",
]


def _entry_row(
    world,
    *,
    kind="不予处罚",
    number="1",
    codes="I-CF-001",
    conditions="首次违法；及时改正",
    basis="《中华人民共和国行政处罚法》第三十三条第一款",
    uscc=None,
    region="",
    start="2025-01-01",
):
    return [
        kind,
        number,
        "标签瑕疵",
        codes,
        "初次违法且及时改正",
        conditions,
        basis,
        world.agency.uscc if uscc is None else uscc,
        region,
        start,
    ]


def test_lenient_import_writes_entries_and_refuses_bad_rows(world):
    _import(world, [_row(world)])
    ok = lenient_import(actor=world.head, file=_xlsx(ENTRY_HEADER, [_entry_row(world)]), filename="清单.xlsx")
    assert ok.ok and ok.created == 1
    entry = LenientEntry.objects.get()
    assert entry.item_codes == ["I-CF-001"] and entry.conditions == ["首次违法", "及时改正"]
    bad_rows = [
        _entry_row(world, number="2", kind="四号清单"),
        _entry_row(world, number="3", codes="NOPE-1"),
        _entry_row(world, number="4", conditions=""),
        _entry_row(world, number="5", basis=""),
        _entry_row(world, number="6", uscc="91110000000000000X"),
        _entry_row(world, number="7", start="昨天"),
        _entry_row(world, number="1", conditions="首次违法"),  # same number, different content, in force
    ]
    report = lenient_import(actor=world.head, file=_xlsx(ENTRY_HEADER, bad_rows), filename="清单.xlsx")
    assert sorted({e.row for e in report.errors}) == [2, 3, 4, 5, 6, 7, 8]
    assert LenientEntry.objects.count() == 1
    again = lenient_import(
        actor=world.head, file=_xlsx(ENTRY_HEADER, [_entry_row(world)]), filename="清单.xlsx"
    )
    assert again.ok and again.unchanged == [2] and LenientEntry.objects.count() == 1


def test_a_government_list_needs_a_region_scoped_manager(world):
    _import(world, [_row(world)])
    row = _entry_row(world, uscc="", region=world.county.code)
    report = lenient_import(actor=world.head, file=_xlsx(ENTRY_HEADER, [row]), filename="清单.xlsx")
    assert not report.ok and "无权发布" in report.errors[0].reason
