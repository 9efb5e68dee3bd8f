"""投诉举报 — public form and tracking code, 12345 import (row errors, nothing partial), the working-day
deadline, reply, satisfaction, links to cases and problems, and scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client

from zhifa.cases.models import Case, SourceKind
from zhifa.complaints import services as s
from zhifa.complaints.models import Complaint, ComplaintSetting, ComplaintState
from zhifa.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from zhifa.core.workdays import add_working_days
from zhifa.testing.worlds import SupWorld

HEADER = [
    "工单编号",
    "受理日期",
    "诉求人",
    "联系电话",
    "区划代码",
    "标题",
    "诉求内容",
    "承办单位统一社会信用代码",
]


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    import csv

    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def _row(sup: SupWorld, no: str, **kw: str) -> list[str]:
    base = {
        "no": no,
        "on": "2026-11-02",
        "name": "张三",
        "phone": "13800000000",
        "region": sup.w.county.code,
        "subject": "执法人员态度粗暴",
        "content": "某日检查时辱骂商户。",
        "uscc": sup.w.agency.uscc,
    }
    base.update(kw)
    return list(base.values())


def test_public_form_needs_no_login_and_returns_a_tracking_code(sup: SupWorld) -> None:
    client = Client()
    page = client.get("/complaints/submit/")
    assert page.status_code == 200
    response = client.post(
        "/complaints/submit/",
        {"region_code": sup.w.county.code, "subject": "乱罚款", "content": "未出具任何文书即收取罚款。"},
    )
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.tracking_code.encode() in response.content
    assert complaint.channel == "web" and complaint.state == ComplaintState.RECEIVED
    bad = client.post(
        "/complaints/submit/", {"region_code": sup.w.county.code, "subject": "", "content": "x"}
    )
    assert bad.status_code == 422 and Complaint.objects.count() == 1
    track = client.get("/complaints/track/", {"code": complaint.tracking_code})
    assert "待分办" in track.content.decode()


def test_import_with_one_bad_row_writes_nothing_and_names_every_error(sup: SupWorld) -> None:
    data = _csv(
        [
            _row(sup, "GD001"),
            _row(sup, "GD002", region="999999"),
            _row(sup, "GD001"),
            _row(sup, "GD003", on="2026/13/40", subject=""),
        ]
    )
    with pytest.raises(InvalidInput) as exc:
        s.work_orders_import_file(actor=sup.county_sup, data=data, filename="orders.csv")
    assert exc.value.code == "import_rows_invalid"
    found = {(e["row"], e["field"]) for e in exc.value.details}  # type: ignore[union-attr]
    assert {(2, "region_code"), (3, "work_order_no"), (4, "received_on"), (4, "subject")} <= found
    assert (1, "work_order_no") not in found
    assert not Complaint.objects.exists()


def test_import_xlsx_assigns_with_working_day_deadline_and_refuses_a_second_import(sup: SupWorld) -> None:
    from openpyxl import Workbook

    ComplaintSetting.objects.create(region=sup.w.county, handling_working_days=10)
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(_row(sup, "GD100"))
    ws.append(_row(sup, "GD101", uscc=""))
    buf = io.BytesIO()
    wb.save(buf)
    batch = s.work_orders_import_file(actor=sup.county_sup, data=buf.getvalue(), filename="orders.xlsx")
    assert batch.rows == 2
    assigned = Complaint.objects.get(work_order_no="GD100")
    assert assigned.state == ComplaintState.ASSIGNED and assigned.agency == sup.w.agency
    assert assigned.due == add_working_days(dt.date(2026, 11, 2), 10)
    assert Complaint.objects.get(work_order_no="GD101").state == ComplaintState.RECEIVED
    with pytest.raises(InvalidInput) as exc:
        s.work_orders_import(
            actor=sup.county_sup,
            rows=[
                {
                    "work_order_no": "GD100",
                    "received_on": "2026-11-02",
                    "region_code": sup.w.county.code,
                    "subject": "x",
                    "content": "y",
                }
            ],
        )
    assert exc.value.details[0]["field"] == "work_order_no"  # type: ignore[index]


def test_import_outside_the_supervisors_region_is_a_row_error(sup: SupWorld) -> None:
    with pytest.raises(InvalidInput) as exc:
        s.work_orders_import_file(
            actor=sup.foreign_sup, data=_csv([_row(sup, "GD9", uscc="")]), filename="a.csv"
        )
    assert exc.value.details[0]["field"] == "region_code"  # type: ignore[index]
    with pytest.raises(PermissionDenied):
        s.work_orders_import_file(actor=sup.w.head, data=_csv([_row(sup, "GD9")]), filename="a.csv")


def test_reply_rate_and_links_to_case_and_problem(sup: SupWorld) -> None:
    c = s.complaint_submit_public(region_code=sup.w.county.code, subject="检查时索要好处", content="详情")
    s.complaint_assign(actor=sup.county_sup, complaint=c, agency=sup.w.agency)
    with pytest.raises(RuleViolation):
        s.complaint_rate(tracking_code=c.tracking_code, satisfaction="satisfied")
    linked = s.complaint_link_case(actor=sup.w.officer_user, complaint=c, domain=sup.w.market)
    case = Case.objects.get(pk=linked.case_id)
    assert case.source_kind == SourceKind.COMPLAINT and case.source_reference == c.tracking_code
    with_problem = s.complaint_open_problem(actor=sup.county_sup, complaint=c, category="rent_seeking")
    assert with_problem.problem.source_kind == "complaint"
    with pytest.raises(PermissionDenied):
        s.complaint_reply(actor=sup.w.outsider, complaint=c, reply="x")
    s.complaint_reply(actor=sup.w.head, complaint=c, reply="已核查，涉事人员已停职。")
    rated = s.complaint_rate(tracking_code=c.tracking_code.lower(), satisfaction="basic", comment="处理较快")
    assert rated.state == ComplaintState.CLOSED and rated.satisfaction == "basic"
    with pytest.raises(RuleViolation):
        s.complaint_rate(tracking_code=c.tracking_code, satisfaction="satisfied")
    with pytest.raises(NotFound):
        s.complaint_rate(tracking_code="NOSUCHCODE", satisfaction="satisfied")


def test_supervisor_outside_region_is_refused(sup: SupWorld) -> None:
    c = s.complaint_submit_public(region_code=sup.w.county.code, subject="x", content="y")
    with pytest.raises(PermissionDenied):
        s.complaint_assign(actor=sup.foreign_sup, complaint=c, agency=sup.w.agency)
    client = Client()
    client.force_login(sup.foreign_sup)
    assert client.get(f"/complaints/{c.pk}/").status_code == 404
    assert client.post(f"/complaints/{c.pk}/assign/", {"agency": sup.w.agency.pk}).status_code == 404
    assert Complaint.objects.get(pk=c.pk).state == ComplaintState.RECEIVED
    client.force_login(sup.county_sup)
    assert client.get(f"/complaints/{c.pk}/").status_code == 200


def test_overdue_complaint_is_flagged(sup: SupWorld) -> None:
    from zhifa.supervision.models import Flag
    from zhifa.supervision.services import flags_scan

    c = s.complaint_register(
        actor=sup.county_sup,
        channel="phone",
        region=sup.w.county,
        subject="x",
        content="y",
        received_on=dt.date(2026, 1, 5),
    )
    s.complaint_assign(actor=sup.county_sup, complaint=c, agency=sup.w.agency)
    flags_scan(kinds=["complaint_overdue"])
    assert Flag.objects.get(kind="complaint_overdue", key=f"complaint:{c.pk}").source_open


def test_assignment_form_offers_every_agency_of_the_complaints_region_and_none_elsewhere(
    sup: SupWorld,
) -> None:
    """The choices are chosen in the database: a [:300] before the region filter once dropped agencies."""
    from zhifa.org.tests.factories import AgencyFactory

    many = [AgencyFactory(name=f"测县第{i:03d}局", region=sup.w.county) for i in range(310)]
    c = s.complaint_submit_public(region_code=sup.w.county.code, subject="x", content="y")
    client = Client()
    client.force_login(sup.county_sup)
    page = client.get(f"/complaints/{c.pk}/").content.decode()
    assert all(f'value="{a.pk}"' in page for a in [*many, sup.w.agency])
    assert f'value="{sup.foreign_agency.pk}"' not in page
