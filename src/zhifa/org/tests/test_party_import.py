"""行政相对人导入: all rows or none, errors by row/column/reason, scope, duplicates, encodings."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.core.errors import InvalidInput, PermissionDenied
from zhifa.core.validators import resident_id_with_check, uscc_with_check
from zhifa.org.imports import party_import
from zhifa.org.models import Agency, Party, Region, RegionLevel, Role, RoleAssignment, ScopeKind, User

pytestmark = pytest.mark.django_db

HEADER = [
    "类型",
    "名称",
    "统一社会信用代码",
    "身份证号码",
    "法定代表人",
    "区划代码",
    "行业",
    "地址",
    "电话",
    "信用分类",
]


# --- a small world -----------------------------------------------------------------------------------------


def make_region(code: str, name: str, level: str, parent: Region | None = None) -> Region:
    region = Region(code=code, name=name, level=level, parent=parent)
    region.save()
    return region


def make_agency(region: Region, serial: int, name: str = "示例县市场监督管理局") -> Agency:
    agency = Agency(name=name, uscc=uscc_with_check(f"11{region.code}MB{serial:07d}"), region=region)
    agency.save()
    return agency


def make_user(
    username: str, role: str, *, region: Region | None = None, agency: Agency | None = None
) -> User:
    user = User.objects.create_user(username=username, password="Zhifa-2024!")
    scope = ScopeKind.REGION if region is not None else ScopeKind.OWN_AGENCY
    RoleAssignment.objects.create(user=user, role=role, scope=scope, region=region, agency=agency)
    return user


def company_uscc(serial: int, region_code: str = "330102") -> str:
    return uscc_with_check(f"91{region_code}{serial:09d}")


def company_row(serial: int, region_code: str = "330102", **overrides: str) -> dict[str, Any]:
    row = {
        "类型": "法人及其他组织",
        "名称": f"杭州示例贸易有限公司{serial}",
        "统一社会信用代码": company_uscc(serial, region_code),
        "身份证号码": "",
        "法定代表人": "张三",
        "区划代码": region_code,
        "行业": "批发和零售业",
        "地址": "上城区示例路 1 号",
        "电话": "0571-88888888",
        "信用分类": "A",
    }
    row.update(overrides)
    return row


def person_row(**overrides: str) -> dict[str, Any]:
    row = {
        "类型": "自然人",
        "名称": "李四",
        "统一社会信用代码": "",
        "身份证号码": resident_id_with_check("33010219900101123"),
        "法定代表人": "",
        "区划代码": "330102",
        "行业": "",
        "地址": "",
        "电话": "13800000000",
        "信用分类": "",
    }
    row.update(overrides)
    return row


def write_csv(
    path: Path, rows: list[dict[str, Any]], *, encoding: str = "utf-8-sig", header: list[str] = HEADER
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(h, "") for h in header])
    return path


def write_xlsx(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run(actor: User, path: Path, **kwargs: Any) -> Any:
    with path.open("rb") as fh:
        return party_import(actor=actor, file=fh, filename=path.name, **kwargs)


@pytest.fixture
def world() -> dict[str, Any]:
    province = make_region("330000", "浙江省", RegionLevel.PROVINCE)
    city = make_region("330100", "杭州市", RegionLevel.CITY, province)
    shangcheng = make_region("330102", "上城区", RegionLevel.COUNTY, city)
    gongshu = make_region("330105", "拱墅区", RegionLevel.COUNTY, city)
    agency = make_agency(shangcheng, 1)
    return {
        "shangcheng": shangcheng,
        "gongshu": gongshu,
        "admin": make_user("admin_sc", Role.ADMIN, region=shangcheng),
        "officer": make_user("officer_sc", Role.OFFICER, agency=agency),
    }


# --- the happy paths ---------------------------------------------------------------------------------------------


def test_valid_csv_with_bom_imports_every_row(world: dict[str, Any], tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "parties.csv", [company_row(1), company_row(2, 类型="legal_person"), person_row()]
    )

    report = run(world["admin"], path)

    assert report.ok, report.errors
    assert (report.total_rows, report.created, report.skipped) == (3, 3, [])
    first = Party.objects.get(uscc=company_uscc(1))
    assert first.kind == "legal_person" and first.credit_class == "A"
    assert first.region == world["shangcheng"] and first.region_path == world["shangcheng"].path
    person = Party.objects.get(kind="natural_person")
    assert person.uscc is None and person.credit_class == "B"  # blank 信用分类 means B


def test_valid_xlsx_imports_every_row_with_numeric_cells(world: dict[str, Any], tmp_path: Path) -> None:
    # Excel stores a region code typed as 330102 as a number; the import must read it as the code.
    rows = [
        [
            "个体工商户",
            "王五小吃店",
            company_uscc(7),
            None,
            "王五",
            330102,
            "餐饮业",
            "示例街 2 号",
            None,
            "C",
        ],
        [
            "法人及其他组织",
            "示例科技有限公司",
            company_uscc(8),
            None,
            "赵六",
            "330102",
            None,
            None,
            None,
            None,
        ],
    ]
    path = write_xlsx(tmp_path / "parties.xlsx", rows)

    report = run(world["admin"], path)

    assert report.ok, report.errors
    assert report.created == 2
    shop = Party.objects.get(uscc=company_uscc(7))
    assert (shop.kind, shop.region_id, shop.credit_class) == (
        "individual_business",
        world["shangcheng"].pk,
        "C",
    )


def test_gbk_csv_from_chinese_excel_imports(world: dict[str, Any], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gbk.csv", [company_row(3), person_row()], encoding="gbk")
    assert "类型".encode("gbk") in path.read_bytes()

    report = run(world["admin"], path)

    assert report.ok, report.errors
    assert Party.objects.get(uscc=company_uscc(3)).name == "杭州示例贸易有限公司3"


# --- all or nothing --------------------------------------------------------------------------------------------


def test_one_bad_row_writes_nothing_and_names_row_column_reason(
    world: dict[str, Any], tmp_path: Path
) -> None:
    bad_uscc = company_uscc(2)[:-1] + ("0" if company_uscc(2)[-1] != "0" else "1")
    path = write_csv(
        tmp_path / "p.csv", [company_row(1), company_row(2, 统一社会信用代码=bad_uscc), company_row(3)]
    )

    report = run(world["admin"], path)

    assert not report.ok
    assert report.created == 0 and Party.objects.count() == 0
    assert len(report.errors) == 1
    row, column, reason = report.errors[0]
    assert (row, column) == (3, "统一社会信用代码")  # header is row 1, the second data row is row 3
    assert "校验码" in reason
    assert report.as_dict()["errors"] == [{"row": 3, "column": "统一社会信用代码", "reason": reason}]


def test_skip_invalid_writes_good_rows_and_lists_skipped(world: dict[str, Any], tmp_path: Path) -> None:
    rows = [company_row(1), company_row(2, 区划代码="339999"), company_row(3), company_row(4, 类型="合伙")]
    path = write_csv(tmp_path / "p.csv", rows)

    report = run(world["admin"], path, skip_invalid=True)

    assert report.created == 2 and report.skipped == [3, 5]
    assert [(e.row, e.column) for e in report.errors] == [(3, "区划代码"), (5, "类型")]
    assert set(Party.objects.values_list("uscc", flat=True)) == {company_uscc(1), company_uscc(3)}


def test_without_skip_the_same_file_writes_nothing(world: dict[str, Any], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [company_row(1), company_row(2, 区划代码="339999")])

    report = run(world["admin"], path)

    assert report.created == 0 and report.skipped == [] and not Party.objects.exists()
    assert report.errors == [(3, "区划代码", "区划代码 339999 不存在。")]


# --- row rules -------------------------------------------------------------------------------------------------


def test_duplicate_uscc_within_the_file_refused(world: dict[str, Any], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [company_row(1), company_row(2), company_row(1, 名称="另一家公司")])

    report = run(world["admin"], path)

    assert not Party.objects.exists()
    assert [(e.row, e.column) for e in report.errors] == [(4, "统一社会信用代码")]
    assert "与第 2 行重复" in report.errors[0].reason


def test_uscc_already_registered_refused(world: dict[str, Any], tmp_path: Path) -> None:
    existing = write_csv(tmp_path / "first.csv", [company_row(1)])
    assert run(world["admin"], existing).created == 1
    path = write_csv(tmp_path / "p.csv", [company_row(2), company_row(1)])

    report = run(world["admin"], path)

    assert Party.objects.count() == 1
    assert [(e.row, e.column) for e in report.errors] == [(3, "统一社会信用代码")]
    assert "已登记" in report.errors[0].reason


def _party_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if '"org_party"' in q["sql"]]


def test_registered_uscc_lookup_does_not_grow_with_rows(world: dict[str, Any], tmp_path: Path) -> None:
    small = write_csv(tmp_path / "small.csv", [company_row(i) for i in range(1, 4)])
    large = write_csv(tmp_path / "large.csv", [company_row(i) for i in range(100, 140)])

    with CaptureQueriesContext(connection) as small_queries:
        assert run(world["admin"], small).created == 3
    with CaptureQueriesContext(connection) as large_queries:
        assert run(world["admin"], large).created == 40

    # One "already registered?" SELECT and one batched INSERT, whatever the number of rows.
    assert len(_party_queries(large_queries)) == len(_party_queries(small_queries)) == 2


def test_legacy_15_digit_id_refused(world: dict[str, Any], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [person_row(身份证号码="330102900101123")])

    report = run(world["admin"], path)

    assert not Party.objects.exists()
    assert report.errors == [(2, "身份证号码", "15 位旧身份证号码已停止使用，请输入 18 位号码。")]


def test_invalid_credit_class_refused_and_letter_with_class_accepted(
    world: dict[str, Any], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "p.csv", [company_row(1, 信用分类="D类"), company_row(2, 信用分类="E")])

    report = run(world["admin"], path)

    assert [(e.row, e.column) for e in report.errors] == [(3, "信用分类")]
    fixed = write_csv(tmp_path / "fixed.csv", [company_row(1, 信用分类="D类")])
    assert run(world["admin"], fixed).created == 1
    assert Party.objects.get().credit_class == "D"


# --- header -----------------------------------------------------------------------------------------------------


def test_unknown_and_missing_columns_are_named(world: dict[str, Any], tmp_path: Path) -> None:
    header = ["类型", "名称", "统一社会信用代码", "注册资本"]
    path = write_csv(tmp_path / "p.csv", [company_row(1)], header=header)

    report = run(world["admin"], path)

    assert not Party.objects.exists()
    assert [(e.row, e.column) for e in report.errors] == [(1, "注册资本"), (1, "区划代码")]
    assert "无法识别" in report.errors[0].reason and "缺少必填列" in report.errors[1].reason


def test_unsupported_file_type_refused(world: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "parties.xls"
    path.write_bytes(b"not a workbook")

    with pytest.raises(InvalidInput):
        run(world["admin"], path)


# --- permission -------------------------------------------------------------------------------------------------


def test_row_outside_the_actors_region_refused(world: dict[str, Any], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [company_row(1), company_row(2, region_code="330105")])

    report = run(world["admin"], path)

    assert not Party.objects.exists()
    assert [(e.row, e.column) for e in report.errors] == [(3, "区划代码")]
    assert "不在您的管辖范围内" in report.errors[0].reason


def test_actor_without_import_right_refused(world: dict[str, Any], tmp_path: Path) -> None:
    # An officer may register a single party (CHANGE_PARTY) but not bulk-import.
    path = write_csv(tmp_path / "p.csv", [company_row(1)])

    with pytest.raises(PermissionDenied):
        run(world["officer"], path)
    assert not Party.objects.exists()


# --- command ----------------------------------------------------------------------------------------------------


def test_command_imports_and_prints_chinese_report(
    world: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "p.csv", [company_row(1), person_row()])

    call_command("import_parties", str(path), user="admin_sc")

    assert "已导入 2 行" in capsys.readouterr().out
    assert Party.objects.count() == 2


def test_command_fails_on_errors_and_writes_nothing(
    world: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "p.csv", [company_row(1), company_row(2, 区划代码="339999")])

    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_parties", str(path), user="admin_sc")

    assert "第 3 行【区划代码】：区划代码 339999 不存在。" in capsys.readouterr().err
    assert not Party.objects.exists()


def test_command_skip_invalid_writes_good_rows_but_still_fails(world: dict[str, Any], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [company_row(1), company_row(2, 区划代码="339999")])

    with pytest.raises(CommandError, match="1 行有错误被跳过"):
        call_command("import_parties", str(path), "--skip-invalid", user="admin_sc")

    assert list(Party.objects.values_list("uscc", flat=True)) == [company_uscc(1)]


def test_command_refuses_user_without_import_right(world: dict[str, Any], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [company_row(1)])

    with pytest.raises(CommandError, match="无权"):
        call_command("import_parties", str(path), user="officer_sc")
