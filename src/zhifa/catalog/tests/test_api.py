"""The catalog API: public reads with keyset pages, writes refused outside scope (403) with their rule's code
(409/422), the import's report in a 422, lenient decisions through the case (404 outside its scope)."""

from __future__ import annotations

import io

import openpyxl
from django.test import Client

from zhifa.catalog.models import CatalogItem
from zhifa.catalog.tests.helpers import add_entry
from zhifa.catalog.tests.test_lenient import _reviewed
from zhifa.core import clock
from zhifa.org.tokens import token_create


def client_for(user) -> Client:
    _, key = token_create(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _body(world, **override):
    body = {
        "agency_id": world.agency.pk,
        "code": "A-CF-1",
        "name": "对销售过期食品的行政处罚",
        "kind": "penalty",
        "domain": "market",
        "law_name": "中华人民共和国食品安全法",
        "article": "第一百二十四条",
        "article_text": "条文……",
        "effective_from": "2025-01-01",
    }
    return body | override


def test_create_then_list_and_get_with_keyset_pages(world, catalog):
    api = client_for(world.head)
    created = api.post("/api/catalog/items", _body(world), content_type="application/json")
    assert created.status_code == 201, created.json()
    reader = client_for(world.outsider)  # another agency reads the public catalog
    page = reader.get("/api/catalog/items", {"on": "2025-06-01", "limit": 2}).json()
    assert len(page["items"]) == 2 and page["next_cursor"] is not None
    rest = reader.get(
        "/api/catalog/items", {"on": "2025-06-01", "limit": 2, "cursor": page["next_cursor"]}
    ).json()
    codes = {i["code"] for i in page["items"] + rest["items"]}
    assert codes == {"A-CF-1", "T-CF-001", "T-CF-002", "T-JC-001"}
    one = reader.get(f"/api/catalog/items/{created.json()['id']}").json()
    assert one["law_name"] == "中华人民共和国食品安全法" and one["effective_to"] is None
    assert reader.get("/api/catalog/items/999999").status_code == 404
    assert (
        reader.get("/api/catalog/items", {"kind": "inspection", "on": "2025-06-01"}).json()["items"][0][
            "code"
        ]
        == "T-JC-001"
    )


def test_writes_are_refused_outside_scope_and_by_rule(world, catalog):
    assert (
        client_for(world.officer_user)
        .post("/api/catalog/items", _body(world), content_type="application/json")
        .status_code
        == 403
    )
    assert (
        client_for(world.outsider)
        .post("/api/catalog/items", _body(world), content_type="application/json")
        .status_code
        == 403
    )
    head = client_for(world.head)
    overlap = head.post("/api/catalog/items", _body(world, code="T-CF-001"), content_type="application/json")
    assert overlap.status_code == 409 and overlap.json()["code"] == "catalog_version_overlap"
    no_basis = head.post("/api/catalog/items", _body(world, article_text=""), content_type="application/json")
    assert no_basis.status_code == 422 and no_basis.json()["code"] == "catalog_basis_missing"
    assert not CatalogItem.objects.filter(code="A-CF-1").exists()


def test_import_answers_422_with_the_report_and_writes_nothing(world):
    wb = openpyxl.Workbook()
    wb.active.append(
        [
            "事项编码",
            "事项名称",
            "事项类别",
            "执法领域",
            "实施主体",
            "法律依据名称",
            "条款",
            "条文内容",
            "施行日期",
        ]
    )
    wb.active.append(
        ["B-1", "名称", "行政处罚", "市场监管", world.agency.name, "食品安全法", "第一条", "……", "2025-01-01"]
    )
    wb.active.append(
        ["B-2", "名称", "行政处罚", "市场监管", "不存在的局", "食品安全法", "第一条", "……", "2025-01-01"]
    )
    data = io.BytesIO()
    wb.save(data)
    response = client_for(world.head).post(
        "/api/catalog/import?which=items", {"file": _upload(data.getvalue())}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_rejected" and body["details"]["errors"][0]["row"] == 3
    assert not CatalogItem.objects.exists()


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("目录.xlsx", content, content_type="application/octet-stream")


def test_lenient_decision_through_the_case(world, catalog):
    entry = add_entry(world, "T-CF-002")
    case = _reviewed(world)
    officer = client_for(world.officer_user)
    status = officer.get(f"/api/catalog/cases/{case.pk}/lenient").json()
    assert [s["entry"]["id"] for s in status] == [entry.pk] and status[0]["decision"] is None
    half = officer.post(
        f"/api/catalog/cases/{case.pk}/lenient",
        {"entry_id": entry.pk, "applies": True, "conditions_met": ["首次违法"], "reason": "首次"},
        content_type="application/json",
    )
    assert half.status_code == 409 and half.json()["code"] == "lenient_conditions_not_met"
    done = officer.post(
        f"/api/catalog/cases/{case.pk}/lenient",
        {"entry_id": entry.pk, "applies": False, "conditions_met": [], "reason": "非首次违法"},
        content_type="application/json",
    )
    assert done.status_code == 201 and done.json()["applies"] is False
    outsider = client_for(world.outsider)
    assert outsider.get(f"/api/catalog/cases/{case.pk}/lenient").status_code == 404
    assert (
        outsider.post(
            f"/api/catalog/cases/{case.pk}/lenient",
            {"entry_id": entry.pk, "applies": False, "reason": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    supervisor = client_for(world.supervisor)
    assert supervisor.get(f"/api/catalog/cases/{case.pk}/lenient").status_code == 200
    assert (
        supervisor.post(
            f"/api/catalog/cases/{case.pk}/lenient",
            {"entry_id": entry.pk, "applies": False, "reason": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    usage = supervisor.get("/api/catalog/usage", {"year": (clock.today()).year}).json()
    assert [(u["kind"], u["agency_id"], u["matched"], u["not_applied"]) for u in usage] == [
        ("no_penalty", world.agency.pk, 1, 1)
    ]
    entries = officer.get("/api/catalog/entries", {"item_code": "T-CF-002"}).json()["items"]
    assert [e["id"] for e in entries] == [entry.pk]
