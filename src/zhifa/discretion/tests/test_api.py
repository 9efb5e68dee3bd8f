"""The discretion API: benchmarks (create, version, refusals, import), facts, recommendation, deviation, scope."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client

from zhifa.cases.tests.helpers import CaseWorld, opened
from zhifa.discretion import imports
from zhifa.discretion.models import Benchmark, CaseFacts
from zhifa.discretion.tests.helpers import CODE, benchmark, investigated
from zhifa.org.tokens import token_create


def client_for(user: Any) -> Client:
    _, key = token_create(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _body(world: CaseWorld, **over: Any) -> dict[str, Any]:
    body = {
        "agency_id": world.agency.pk,
        "catalog_item_code": CODE,
        "title": "销售过期食品",
        "law_name": "中华人民共和国测试法",
        "article": "第十条",
        "basis_text": "违反本法规定的，处罚款。",
        "effective_from": "2024-01-01",
        "tiers": [
            {"name": "一般", "gains_max_yuan": "10000", "fine_min_yuan": "3000", "fine_max_yuan": "13000"},
            {"name": "严重", "gains_min_yuan": "10000", "fine_basis": "gains_multiple", "multiple_min": "2",
             "multiple_max": "5", "kinds": ["stop_business"]},
        ],
    }  # fmt: skip
    body.update(over)
    return body


def test_head_creates_a_benchmark_and_its_next_version(world: CaseWorld) -> None:
    api = client_for(world.head)
    r = api.post("/api/discretion/benchmarks", _body(world), content_type="application/json")
    assert r.status_code == 201, r.json()
    assert r.json()["version"] == 1 and [t["name"] for t in r.json()["tiers"]] == ["一般", "严重"]
    r2 = api.post(
        "/api/discretion/benchmarks",
        _body(world, effective_from="2025-01-01"),
        content_type="application/json",
    )
    assert r2.status_code == 201 and r2.json()["version"] == 2
    listed = api.get(f"/api/discretion/benchmarks?catalog_item_code={CODE}").json()
    assert [b["version"] for b in listed["items"]] == [2, 1] and listed["items"][1][
        "effective_to"
    ] == "2024-12-31"


def test_benchmark_without_basis_is_422_and_min_over_max_names_the_row(world: CaseWorld) -> None:
    api = client_for(world.head)
    r = api.post("/api/discretion/benchmarks", _body(world, basis_text=""), content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "benchmark_basis_missing"
    tiers = [{"name": "一般", "fine_min_yuan": "5000", "fine_max_yuan": "100"}]
    r = api.post("/api/discretion/benchmarks", _body(world, tiers=tiers), content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "benchmark_tiers_invalid"
    assert r.json()["details"][0]["row"] == 1 and r.json()["details"][0]["field"] == "fine_min_yuan"
    assert not Benchmark.objects.exists()


def test_officer_may_not_create_and_outsider_gets_404_for_the_agency(world: CaseWorld) -> None:
    r = client_for(world.officer_user).post(
        "/api/discretion/benchmarks", _body(world), content_type="application/json"
    )
    assert r.status_code == 403
    r = client_for(world.outsider).post(
        "/api/discretion/benchmarks", _body(world), content_type="application/json"
    )
    assert r.status_code == 404


def test_facts_recommendation_and_deviation_through_the_api(world: CaseWorld) -> None:
    benchmark(world)
    case = opened(world)
    case.catalog_item_code = CODE
    case.save(update_fields=["catalog_item_code"])
    api = client_for(world.officer_user)
    r = api.put(
        f"/api/discretion/cases/{case.pk}/facts",
        {"illegal_gains_yuan": "3200", "circumstances": ["cooperative"]},
        content_type="application/json",
    )
    assert r.status_code == 200, r.json()
    rec = r.json()["recommendation"]
    assert rec["tier_name"] == "一般" and rec["min_yuan"] == "3000.00" and rec["max_yuan"] == "6000.00"
    assert api.get(f"/api/discretion/cases/{case.pk}/recommendation").json()["found"]
    r = api.post(
        f"/api/discretion/cases/{case.pk}/deviation", {"reason": "短"}, content_type="application/json"
    )
    assert r.status_code == 422
    r = api.post(
        f"/api/discretion/cases/{case.pk}/deviation",
        {"reason": "当事人主动退还全部违法所得并赔偿消费者。"},
        content_type="application/json",
    )
    assert r.status_code == 201 and "3,000 元至 6,000 元" in r.json()["range_text"]


def test_case_of_another_agency_is_404(world: CaseWorld) -> None:
    case = investigated(world)
    api = client_for(world.outsider)
    assert api.get(f"/api/discretion/cases/{case.pk}/recommendation").status_code == 404
    r = api.put(
        f"/api/discretion/cases/{case.pk}/facts", {"illegal_gains_yuan": "1"}, content_type="application/json"
    )
    assert r.status_code == 404
    assert CaseFacts.objects.get(case=case).illegal_gains_yuan == 3200


def test_report_is_for_supervisors_and_heads_not_officers(world: CaseWorld) -> None:
    assert client_for(world.supervisor).get("/api/discretion/report?year=2025").status_code == 200
    assert client_for(world.officer_user).get("/api/discretion/report?year=2025").status_code == 403


# --- xlsx import ----------------------------------------------------------------------------------------------------


def _xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([h for h, _f in imports.COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _row(**over: Any) -> list[Any]:
    values = dict(zip([f for _h, f in imports.COLUMNS], imports.EXAMPLE, strict=True))
    values.update(over)
    return [values[f] for _h, f in imports.COLUMNS]


def test_template_imports_cleanly(world: CaseWorld) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(imports.template_xlsx())).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    report = imports.benchmark_import(actor=world.head, file=_xlsx(rows), agency=world.agency)
    assert report.ok, report.errors
    assert Benchmark.objects.get().tiers.count() == 1


def test_import_with_errors_writes_nothing_and_names_each_row(world: CaseWorld) -> None:
    rows = [
        _row(name="轻微", goods_max_yuan="10000"),
        _row(
            name="一般", goods_min_yuan="5000", fine_min_yuan="80000", fine_max_yuan="70000"
        ),  # overlap; min>max
        _row(catalog_item_code="SCJG-CF-002", basis_text="", name="一般"),  # no legal basis
        _row(catalog_item_code="SCJG-CF-003", fine_basis="按日计罚", name="一般"),
    ]
    api = client_for(world.head)
    r = api.post(
        f"/api/discretion/benchmarks/import?agency_id={world.agency.pk}",
        {"file": io.BytesIO(_xlsx(rows))},
    )
    assert r.status_code == 422, r.json()
    errors = {(e["row"], e["column"]) for e in r.json()["details"]["errors"]}
    assert {(3, "罚款下限（元）"), (3, "条件"), (4, "依据原文"), (5, "罚款方式")} <= errors
    assert not Benchmark.objects.exists()


def test_import_of_valid_rows_writes_one_version_per_item(world: CaseWorld) -> None:
    rows = [
        _row(name="轻微", goods_min_yuan="", goods_max_yuan="10000"),
        _row(name="严重", goods_min_yuan="10000", goods_max_yuan="", fine_basis="货值金额倍数", fine_min_yuan="",
             fine_max_yuan="", multiple_min="10", multiple_max="20"),
        _row(catalog_item_code="SCJG-CF-002", name="一般", goods_max_yuan=""),
    ]  # fmt: skip
    report = imports.benchmark_import(actor=world.head, file=_xlsx(rows), agency=world.agency)
    assert report.ok, report.errors
    assert sorted(Benchmark.objects.values_list("catalog_item_code", flat=True)) == [
        "SCJG-CF-001",
        "SCJG-CF-002",
    ]
