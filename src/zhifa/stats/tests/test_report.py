"""The annual statistics report: its numbers equal counts computed independently from the case rows and the
imported reconsideration/litigation outcomes; the import is all rows or none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import CaseWorld
from zhifa.core.errors import InvalidInput, PermissionDenied
from zhifa.stats import report, selectors, services
from zhifa.stats.models import RemedyCase
from zhifa.stats.tests.helpers import decided, outsider_supervisor, simple, xlsx

HEADER = ["类型", "案号", "执法主体统一社会信用代码", "结果", "结案日期", "原行政行为文号"]


def _remedies(world: CaseWorld) -> list[list[str]]:
    u = world.agency.uscc
    return [
        HEADER,
        ["行政复议", "测复〔2025〕1号", u, "维持", "2025-05-01", ""],
        ["行政复议", "测复〔2025〕2号", u, "撤销", "2025-06-01", ""],
        ["行政诉讼", "（2025）测行初1号", u, "驳回诉讼请求", "2025-07-01", ""],
        ["行政诉讼", "（2025）测行初2号", u, "确认违法", "2025-08-01", ""],
        ["行政诉讼", "（2025）测行初3号", u, "判决给付", "2025-09-01", ""],
        ["行政诉讼", "（2024）测行初9号", u, "撤销", "2024-09-01", ""],
    ]


def test_the_annual_report_matches_counts_computed_from_the_rows(world: CaseWorld) -> None:
    decided(world, fine="5000")
    decided(world, fine="1234.50", on=dt.date(2025, 4, 7))
    simple(world, fine="150")
    simple(world, fine=None)
    simple(world, fine="20", on=dt.date(2024, 12, 30))  # another year
    services.remedy_import(
        actor=world.supervisor, region=world.county, filename="r.xlsx", content=xlsx(_remedies(world))
    )
    data = report.annual_report(selectors.scope_for(world.supervisor, year=2025))

    cases_2025 = [
        c for c in Case.objects.all() if c.decided_on and c.decided_on.year == 2025 and c.penalty_kinds
    ]
    assert data.value("行政处罚", "作出处罚决定数") == len(cases_2025) == 4
    assert data.value("行政处罚", "其中：简易程序（当场处罚）") == sum(
        c.procedure == "simple" for c in cases_2025
    )
    assert data.value("行政处罚", "罚款金额（元）") == sum(
        (c.fine_yuan or Decimal(0) for c in cases_2025), Decimal(0)
    )
    assert data.value("行政处罚", "处罚种类：警告") == sum("warning" in c.penalty_kinds for c in cases_2025)
    assert data.value("行政处罚", "立案数") == sum(
        1 for c in Case.objects.all() if c.opened_on and c.opened_on.year == 2025
    )
    remedies = list(RemedyCase.objects.filter(year=2025))
    lit = [r for r in remedies if r.kind == "litigation"]
    lost = [
        r
        for r in lit
        if r.outcome
        in (
            "revoked",
            "changed",
            "confirmed_illegal",
            "confirmed_void",
            "ordered_to_perform",
            "payment_ordered",
        )
    ]
    assert data.value("行政诉讼", "案件数") == len(lit) == 3
    assert data.value("行政诉讼", "败诉数") == len(lost) == 2
    assert data.value("行政诉讼", "败诉率") == f"{100 * len(lost) / len(lit):.2f}%"
    assert data.value("行政复议", "结果：维持") == 1 and data.value("行政复议", "纠错率") == "50.00%"
    assert report.report_xlsx(data)[:2] == b"PK"
    assert report.report_pdf(data)[:5] == b"%PDF-"


def test_an_import_with_one_bad_row_writes_nothing_and_names_every_error(world: CaseWorld) -> None:
    rows = _remedies(world)
    rows.append(
        ["行政诉讼", "（2025）测行初1号", world.agency.uscc, "维持", "2025-13-01", ""]
    )  # dup, bad, bad
    rows.append(["仲裁", "", "91110000000000000X", "撤销", "2025-01-01", ""])
    with pytest.raises(InvalidInput) as exc:
        services.remedy_import(
            actor=world.supervisor, region=world.county, filename="r.xlsx", content=xlsx(rows)
        )
    errors = exc.value.details
    assert {(e["row"], e["column"]) for e in errors} >= {
        (8, "案号"),
        (8, "结果"),
        (8, "结案日期"),
        (9, "类型"),
        (9, "案号"),
        (9, "执法主体统一社会信用代码"),
    }
    assert RemedyCase.objects.count() == 0


def test_an_import_needs_the_header_and_an_xlsx(world: CaseWorld) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.remedy_import(
            actor=world.supervisor, region=world.county, filename="x.xlsx", content=b"not a zip"
        )
    assert exc.value.code == "import_bad_file"
    with pytest.raises(InvalidInput) as exc:
        services.remedy_import(
            actor=world.supervisor, region=world.county, filename="x.xlsx", content=xlsx([["a", "b"]])
        )
    assert exc.value.code == "bad_header"


def test_a_supervisor_outside_the_region_may_not_import(world: CaseWorld) -> None:
    with pytest.raises(PermissionDenied):
        services.remedy_import(
            actor=outsider_supervisor(),
            region=world.county,
            filename="r.xlsx",
            content=xlsx(_remedies(world)),
        )
    with pytest.raises(PermissionDenied):
        services.remedy_import(
            actor=world.head, region=world.county, filename="r.xlsx", content=xlsx(_remedies(world))
        )


def test_the_annual_report_counts_licensing_decisions_received_from_the_services_system(
    world: CaseWorld,
) -> None:
    from zhifa.disclosure import services as disclosure
    from zhifa.disclosure.models import Publication
    from zhifa.disclosure.tests.test_licensing import company_row

    rows = [
        company_row(document_number=f"测县市监食许〔2025〕{i}号", licence_number=f"JY{i}", category=category)
        for i, category in ((1, "普通"), (2, "普通"), (3, "登记"))
    ] + [
        company_row(
            document_number="测县市监食许〔2024〕9号", decided_on="2024-12-30", valid_from="2024-12-30"
        )
    ]
    made = disclosure.licensing_decisions_import(actor=world.officer_user, agency=world.agency, rows=rows)
    first = made.publications[0]
    disclosure.publication_submit(actor=world.officer_user, publication=first)
    disclosure.publication_approve(actor=world.head, publication=first)

    data = report.annual_report(selectors.scope_for(world.supervisor, year=2025))
    of_2025 = [p for p in Publication.objects.all() if p.decided_on.year == 2025]
    assert data.value("行政许可", "许可决定数（政务服务推送）") == len(of_2025) == 3
    assert data.value("行政许可", "许可类别：普通") == 2 and data.value("行政许可", "许可类别：登记") == 1
    assert data.value("行政许可", "已公示") == sum(p.published_at is not None for p in of_2025) == 1
    with pytest.raises(KeyError):
        data.value("行政许可", "许可类别：特许")  # a category with no decision gets no line
    # a supervisor of another region sees none of them
    other = report.annual_report(selectors.scope_for(outsider_supervisor(), year=2025))
    assert other.value("行政许可", "许可决定数（政务服务推送）") == 0
