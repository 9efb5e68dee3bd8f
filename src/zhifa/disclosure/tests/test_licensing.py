"""Licensing decisions (行政许可决定) received from the government services system (政务服务): import, deadline,
all-or-nothing row checks, privacy in every public form, the 双公示 licensing export (issue 8 items 3 and 6)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, PermissionDenied
from zhifa.core.validators import uscc_with_check
from zhifa.disclosure import services
from zhifa.disclosure.models import LicenceCategory, Publication, PublicationStatus, ResultKind
from zhifa.disclosure.selectors import LICENSING_FIELDS
from zhifa.org.models import PartyKind, Role, User
from zhifa.org.tests.factories import UserFactory, grant, next_resident_id
from zhifa.records.models import LedgerEntry

COMPANY_USCC = uscc_with_check("91880102MA1L00001")
PERSON = "欧阳晓明"


def company_row(**kw: Any) -> dict[str, str]:
    return {
        "party_name": "测县示例餐饮有限公司",
        "party_kind": "法人及非法人组织",
        "party_uscc": COMPANY_USCC,
        "legal_representative": "钱某某",
        "document_name": "食品经营许可决定书",
        "document_number": "测县市监食许〔2025〕1号",
        "category": "普通",
        "licence_name": "食品经营许可证",
        "licence_number": "JY18801020000001",
        "content": "准予食品经营许可：预包装食品销售（含冷藏冷冻食品）。",
        "decided_on": "2025-03-03",
        "valid_from": "2025-03-03",
        "valid_to": "2030-03-02",
        **kw,
    }


def person_row(id_number: str, **kw: Any) -> dict[str, str]:
    return {
        "party_name": PERSON,
        "party_kind": "自然人",
        "party_id_number": id_number,
        "document_name": "特种设备安全管理和作业人员资格认定决定书",
        "document_number": "测县市监特许〔2025〕7号",
        "category": "认可",
        "licence_name": "特种设备安全管理和作业人员证",
        "licence_number": "TS-2025-00007",
        "content": f"准予{PERSON}取得叉车司机（N1）作业资格，联系电话 13912345678。",
        "decided_on": "2025-03-04",
        "valid_from": "2025-03-04",
        "valid_to": "2029-03-03",
        **kw,
    }


def officer_of(agency: Any) -> User:
    user = UserFactory()
    grant(user, Role.OFFICER, agency=agency)
    return User.objects.get(pk=user.pk)


def publish_all(world: Any, publications: list[Publication], on: dt.date | None = None) -> None:
    for p in publications:
        services.publication_submit(actor=world.officer_user, publication=p)
        services.publication_approve(actor=world.head, publication=p, on=on)


# --- import -----------------------------------------------------------------------------------------------------


def test_imported_licensing_decision_is_a_draft_due_seven_working_days_after_it_across_national_day(
    world,
) -> None:
    # 2025 National Day + Mid-Autumn: 1–8 October off, Saturday 11 October worked (调休) — as for penalties.
    result = services.licensing_decisions_import(
        actor=world.officer_user,
        agency=world.agency,
        rows=[company_row(decided_on="2025-09-30", valid_from="2025-09-30")],
    )
    p = Publication.objects.get()
    assert result.rows == 1 and result.publications == [p]
    assert p.kind == ResultKind.LICENSING and p.status == PublicationStatus.DRAFT
    assert p.due_on == dt.date(2025, 10, 16)
    assert p.licence_category == LicenceCategory.ORDINARY and p.licence_number == "JY18801020000001"
    assert p.valid_from == dt.date(2025, 9, 30) and p.valid_to == dt.date(2030, 3, 2)
    assert p.party_uscc == COMPANY_USCC and p.legal_representative == "钱某某"
    assert p.domain == world.market  # the agency's only domain
    assert "许可内容：准予食品经营许可" in p.body and "测县示例餐饮有限公司" in p.body
    actions = set(LedgerEntry.objects.values_list("action", flat=True))
    assert {"disclosure.obligation", "disclosure.licensing_import"} <= actions
    entry = LedgerEntry.objects.get(action="disclosure.licensing_import")
    assert entry.object_id == str(world.agency.pk) and "测县市监食许〔2025〕1号" in entry.changes


def test_imported_licensing_decision_goes_through_preview_submit_and_approve(client, world) -> None:
    [p] = services.licensing_decisions_import(
        actor=world.officer_user, agency=world.agency, rows=[company_row()]
    ).publications
    client.force_login(world.officer_user)
    preview = client.get(f"/disclosure/{p.pk}/").content.decode()
    assert "JY18801020000001" in preview and "按案件重新生成" not in preview  # no case to regenerate from
    client.post(f"/disclosure/{p.pk}/submit/")
    client.force_login(world.head)
    client.post(f"/disclosure/{p.pk}/approve/")
    assert Publication.objects.get(pk=p.pk).status == PublicationStatus.PUBLISHED


def test_one_bad_row_writes_nothing_and_every_error_is_named(world) -> None:
    rows = [
        company_row(),  # good — yet not written, because the others are bad
        company_row(
            document_number="测县市监食许〔2025〕2号",
            party_uscc="91880102MA1L000010",  # wrong check character
            legal_representative="",
            category="特别",
            decided_on=(clock.today() + dt.timedelta(days=3)).isoformat(),
            valid_from="2025-03-03",
            valid_to="2025-03-01",
        ),
        person_row("110101199003071235", document_number="测县市监特许〔2025〕8号", content=""),
        company_row(document_number="", party_kind="合伙人", decided_on="2025-13-01"),
    ]
    with pytest.raises(InvalidInput) as caught:
        services.licensing_decisions_import(actor=world.officer_user, agency=world.agency, rows=rows)
    exc = caught.value
    assert exc.code == "import_rows_invalid" and "未导入任何许可决定" in exc.message
    named = {(e["row"], e["field"]) for e in exc.details}
    assert named == {
        (2, "party_uscc"),
        (2, "legal_representative"),
        (2, "category"),
        (2, "decided_on"),
        (2, "valid_to"),
        (3, "party_id_number"),
        (3, "content"),
        (4, "document_number"),
        (4, "party_kind"),
        (4, "decided_on"),
    }
    messages = {(e["row"], e["field"]): e["message"] for e in exc.details}
    assert messages[(2, "valid_to")] == "有效期至早于有效期自"
    assert messages[(2, "decided_on")] == "许可决定日期晚于今天"
    assert "校验码" in messages[(2, "party_uscc")] and "身份证" in messages[(3, "party_id_number")]
    assert not Publication.objects.exists()
    assert not LedgerEntry.objects.filter(action__startswith="disclosure.").exists()


def test_a_document_number_already_imported_is_refused_for_that_row(world) -> None:
    services.licensing_decisions_import(actor=world.officer_user, agency=world.agency, rows=[company_row()])
    again = [company_row(document_number="测县市监食许〔2025〕9号"), company_row()]
    with pytest.raises(InvalidInput) as caught:
        services.licensing_decisions_import(actor=world.officer_user, agency=world.agency, rows=again)
    assert [(e["row"], e["field"]) for e in caught.value.details] == [(2, "document_number")]
    assert "已导入过" in caught.value.details[0]["message"]
    assert Publication.objects.count() == 1
    twice = [company_row(document_number="测县市监食许〔2025〕5号")] * 2
    with pytest.raises(InvalidInput) as caught:
        services.licensing_decisions_import(actor=world.officer_user, agency=world.agency, rows=twice)
    assert [e["message"] for e in caught.value.details] == ["文书号 测县市监食许〔2025〕5号 在文件中重复"]


def test_the_same_document_number_at_another_agency_is_its_own_decision(world) -> None:
    services.licensing_decisions_import(actor=world.officer_user, agency=world.agency, rows=[company_row()])
    services.licensing_decisions_import(
        actor=officer_of(world.other_agency), agency=world.other_agency, rows=[company_row()]
    )
    assert Publication.objects.filter(document_number="测县市监食许〔2025〕1号").count() == 2


def test_a_licence_number_that_carries_an_id_number_is_refused(world) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.licensing_decisions_import(
            actor=world.officer_user,
            agency=world.agency,
            rows=[person_row(next_resident_id(), licence_number=next_resident_id())],
        )
    assert [(e["row"], e["field"]) for e in caught.value.details] == [(1, "licence_number")]


def test_an_officer_of_another_agency_may_not_import_for_this_one(client, world) -> None:
    stranger = officer_of(world.other_agency)
    with pytest.raises(PermissionDenied):
        services.licensing_decisions_import(actor=stranger, agency=world.agency, rows=[company_row()])
    client.force_login(stranger)
    response = client.post(
        "/api/disclosure/licensing/import",
        {"agency_id": world.agency.pk, "rows": [company_row()]},
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not Publication.objects.exists()


def test_a_supervisor_reads_but_may_not_import(world) -> None:
    with pytest.raises(PermissionDenied):
        services.licensing_decisions_import(actor=world.supervisor, agency=world.agency, rows=[company_row()])


# --- privacy -------------------------------------------------------------------------------------------------------


def test_natural_person_is_masked_and_the_id_number_is_in_no_public_form(client, world) -> None:
    id_number = next_resident_id()
    result = services.licensing_decisions_import(
        actor=world.officer_user, agency=world.agency, rows=[person_row(id_number)]
    )
    publish_all(world, result.publications)
    p = Publication.objects.get()
    assert p.party_name == "欧阳**" and p.party_kind == PartyKind.NATURAL_PERSON and p.party_uscc == ""
    stored = json.dumps(list(Publication.objects.values()), default=str, ensure_ascii=False)
    stored += "".join(LedgerEntry.objects.values_list("changes", flat=True))
    assert id_number not in stored and PERSON not in stored and "13912345678" not in stored

    page = client.get(f"/public/decisions/{p.pk}/").content.decode()
    api = json.dumps(client.get(f"/api/disclosure/public/decisions/{p.pk}").json(), ensure_ascii=False)
    listing = client.get("/public/decisions/", {"kind": "licensing"}).content.decode()
    rows = client.get("/public/export/licensing.json").json()["items"]
    api_rows = client.get("/api/disclosure/public/export/licensing").json()["items"]
    text = b"".join(client.get("/public/export/licensing.csv").streaming_content).decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(client.get("/public/export/licensing.xlsx").content)).worksheets[0]
    xlsx = json.dumps([[c.value for c in r] for r in sheet.iter_rows()], ensure_ascii=False)
    raw_json = client.get("/public/export/licensing.json").content.decode()
    forms = [
        ("page", page),
        ("api", api),
        ("list", listing),
        ("json", raw_json),
        ("csv", text),
        ("xlsx", xlsx),
    ]
    for name, body in forms:
        assert id_number not in body and PERSON not in body and "13912345678" not in body, name
        assert "欧阳**" in body, name
    assert "TS-2025-00007" in page and "特种设备安全管理和作业人员证" in page and "2029年03月03日" in page
    for row in (rows[0], api_rows[0], next(csv.DictReader(io.StringIO(text)))):
        assert row["行政相对人名称"] == "欧阳**" and row["行政相对人类别"] == "自然人"
        assert row["证件类型"] == "身份证" and row["证件号码"] == "" and row["法定代表人"] == ""
        assert row["行政相对人代码_1（统一社会信用代码）"] == ""


# --- export ----------------------------------------------------------------------------------------------------------


def test_licensing_export_fills_every_column_of_the_national_layout(client, world) -> None:
    result = services.licensing_decisions_import(
        actor=world.officer_user, agency=world.agency, rows=[company_row(remarks="延续换证")]
    )
    publish_all(world, result.publications)
    data = client.get("/public/export/licensing.json").json()
    assert data["fields"] == list(LICENSING_FIELDS)
    row = data["items"][0]
    assert list(row) == list(LICENSING_FIELDS)
    empty_by_rule = {"证件类型", "证件号码"}  # an organisation has a USCC, not a personal certificate
    assert [k for k, v in row.items() if not v and k not in empty_by_rule] == []
    assert row == row | {
        "行政相对人名称": "测县示例餐饮有限公司",
        "行政相对人类别": "法人及非法人组织",
        "行政相对人代码_1（统一社会信用代码）": COMPANY_USCC,
        "法定代表人": "钱某某",
        "行政许可决定文书名称": "食品经营许可决定书",
        "行政许可决定文书号": "测县市监食许〔2025〕1号",
        "许可类别": "普通",
        "许可证书名称": "食品经营许可证",
        "许可编号": "JY18801020000001",  # 14 digits in a row: kept (scrub_code), not blanked
        "许可决定日期": "2025-03-03",
        "有效期自": "2025-03-03",
        "有效期至": "2030-03-02",
        "许可机关": world.agency.name,
        "许可机关统一社会信用代码": world.agency.uscc,
        "当前状态": "正常",
        "数据来源单位": world.agency.name,
    }
    assert row["备注"].startswith("延续换证")
    book = load_workbook(io.BytesIO(client.get("/public/export/licensing.xlsx").content))
    assert book.sheetnames == ["行政许可"]
    values = [[c.value for c in r] for r in book.worksheets[0].iter_rows()]
    assert (
        values[0] == list(LICENSING_FIELDS)
        and values[1][LICENSING_FIELDS.index("许可编号")] == row["许可编号"]
    )
    assert client.get("/public/export/penalty.json").json()["items"] == []  # kinds do not mix


def test_licensing_export_is_incremental_by_publication_date(client, world) -> None:
    first, second = services.licensing_decisions_import(
        actor=world.officer_user,
        agency=world.agency,
        rows=[company_row(), company_row(document_number="测县市监食许〔2025〕2号", decided_on="2025-03-05")],
    ).publications
    publish_all(world, [first], on=dt.date(2025, 3, 6))
    publish_all(world, [second], on=dt.date(2025, 3, 10))

    def numbers(since: str, fmt: str = "json") -> list[str]:
        url = f"/public/export/licensing.{fmt}"
        if fmt == "csv":
            text = b"".join(client.get(url, {"since": since}).streaming_content).decode("utf-8-sig")
            return [r["行政许可决定文书号"] for r in csv.DictReader(io.StringIO(text))]
        return [r["行政许可决定文书号"] for r in client.get(url, {"since": since}).json()["items"]]

    assert numbers("2025-03-01") == [first.document_number, second.document_number]
    assert numbers("2025-03-07") == [second.document_number] == numbers("2025-03-07", "csv")
    assert numbers("2025-03-11") == []
    api = client.get("/api/disclosure/public/export/licensing", {"since": "2025-03-07"}).json()
    assert [r["行政许可决定文书号"] for r in api["items"]] == [second.document_number]
    services.publication_withdraw(actor=world.head, publication=second, kind="revoked", reason="被依法撤销")
    assert numbers("2025-03-01") == [first.document_number]  # withdrawn leaves the export


def test_public_list_offers_and_filters_licensing_decisions(client, world) -> None:
    publish_all(
        world,
        services.licensing_decisions_import(
            actor=world.officer_user, agency=world.agency, rows=[company_row()]
        ).publications,
    )
    page = client.get("/public/decisions/").content.decode()
    assert 'value="licensing"' in page and "食品经营许可证（行政许可决定）" in page
    assert "食品经营许可证" not in client.get("/public/decisions/", {"kind": "penalty"}).content.decode()
    assert "食品经营许可证" in client.get("/public/decisions/", {"kind": "licensing"}).content.decode()


# --- API and page ---------------------------------------------------------------------------------------------------


def test_api_import_answers_201_with_counts_or_422_with_the_row_errors(client, world) -> None:
    client.force_login(world.officer_user)
    url = "/api/disclosure/licensing/import"
    ok = client.post(
        url, {"rows": [company_row(), person_row(next_resident_id())]}, content_type="application/json"
    )
    assert ok.status_code == 201, ok.content
    body = ok.json()
    assert body["agency_id"] == world.agency.pk and body["rows"] == body["created"] == 2
    assert sorted(body["publication_ids"]) == sorted(Publication.objects.values_list("pk", flat=True))
    bad = client.post(
        url,
        {"agency_id": world.agency.pk, "rows": [company_row(document_number="X-1", valid_to="2020-01-01")]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "import_rows_invalid"
    assert bad.json()["details"] == [{"row": 1, "field": "valid_to", "message": "有效期至早于有效期自"}]
    assert Publication.objects.count() == 2


def _xlsx(rows: list[dict[str, str]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    columns = list(services.LICENSING_COLUMNS)
    sheet.append(header or [services.LICENSING_COLUMNS[k] for k in columns])
    for row in rows:
        sheet.append([row.get(k, "") for k in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_staff_page_imports_an_xlsx_and_lists_row_errors_in_chinese(client, world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.officer_user)
    assert "导入行政许可决定" in client.get("/disclosure/").content.decode()
    page = client.get("/disclosure/licensing/import/")
    assert page.status_code == 200 and "下载导入模板" in page.content.decode()
    bad = _xlsx([company_row(), company_row(party_uscc="123")])
    response = client.post("/disclosure/licensing/import/", {"file": SimpleUploadedFile("许可.xlsx", bad)})
    text = response.content.decode()
    assert response.status_code == 422 and "共 2 处错误" in text  # row 2: bad USCC, and a repeated number
    assert "统一社会信用代码不正确" in text and "在文件中重复" in text
    assert not Publication.objects.exists()
    good = _xlsx([company_row(), person_row(next_resident_id())])
    response = client.post("/disclosure/licensing/import/", {"file": SimpleUploadedFile("许可.xlsx", good)})
    assert response.status_code == 302 and Publication.objects.filter(kind="licensing").count() == 2


def test_the_downloadable_template_reads_back_as_an_import(client, world) -> None:
    client.force_login(world.officer_user)
    response = client.get("/disclosure/licensing/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[0] == "行政相对人名称*" and "许可编号" in header and "有效期至*" in header
    rows = services.read_licensing_table(response.content, "模板.xlsx")
    result = services.licensing_decisions_import(actor=world.officer_user, agency=world.agency, rows=rows)
    assert result.rows == 1


def test_a_csv_in_gbk_with_the_layouts_own_column_names_is_read(world) -> None:
    header = [services.LICENSING_COLUMNS[k] for k in services.LICENSING_COLUMNS]
    header[header.index("统一社会信用代码")] = "行政相对人代码_1（统一社会信用代码）"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow([company_row(valid_to="长期").get(k, "") for k in services.LICENSING_COLUMNS])
    rows = services.read_licensing_table(out.getvalue().encode("gb18030"), "许可.csv")
    [p] = services.licensing_decisions_import(
        actor=world.officer_user, agency=world.agency, rows=rows
    ).publications
    assert p.party_uscc == COMPANY_USCC and p.valid_to == services.OPEN_ENDED


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_imports_of_one_document_number_give_one_decision_and_one_row_error(world) -> None:
    """Two imports of the same new 文书号 at the same instant: the second waits for the first (the agency row is
    locked) and refuses the row, instead of failing with the database's unique-constraint error (a 500)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite runs one writer at a time")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run() -> None:
        try:
            barrier.wait()
            services.licensing_decisions_import(
                actor=world.officer_user, agency=world.agency, rows=[company_row()]
            )
            outcomes.append("imported")
        except InvalidInput as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # the test names whatever else went wrong
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["import_rows_invalid", "imported"]
    assert Publication.objects.filter(kind=ResultKind.LICENSING).count() == 1
