"""报送事项: kinds set by a bureau, periods and due dates, reports drafted from the platform's data by the
filer itself, submitted, accepted or returned by the receiving bureau, the government's step, overdue
obligations, a county's summary filed to the city, the files (PDF/xlsx), the pages and the API."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.records.models import LedgerEntry
from zhifa.reporting import documents, selectors, services, sources
from zhifa.reporting.models import FilerLevel, Period, Report, ReportKind, ReportStatus
from zhifa.reporting.periods import ended_periods, period_containing
from zhifa.stats.models import Fact
from zhifa.supervision import services as supervision
from zhifa.testing.worlds import SupWorld

TODAY = dt.date(2026, 5, 20)  # Mar–Apr (bi-monthly) ended; due 2026-05-10 with 10 days


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _kind(sup: SupWorld, **kw: Any) -> ReportKind:
    fields: dict[str, Any] = {
        "actor": sup.county_sup,
        "region": sup.w.county,
        "name": "专项整治阶段性进展情况",
        "period": Period.BIMONTHLY,
        "due_days": 10,
        "starts_on": dt.date(2026, 3, 1),
        "sections": ["工作开展情况", "存在的问题"],
    }
    fields.update(kw)
    return services.kind_create(**fields)


def _draft(
    sup: SupWorld, kind: ReportKind, actor: User | None = None, start: dt.date = dt.date(2026, 3, 1)
) -> Report:
    agency = sup.w.agency
    return services.report_draft(
        actor=actor or sup.w.head, kind=kind, agency=agency, region=agency.region, period_start=start
    )


def _file(sup: SupWorld, report: Report) -> Report:
    services.report_edit(actor=sup.w.head, report=report, texts={"存在的问题": "无。"})
    return services.report_submit(actor=sup.w.head, report=report)


@pytest.fixture
def city_sup(sup: SupWorld) -> User:
    user = UserFactory()
    grant(user, Role.SUPERVISOR, region=sup.w.county.parent)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def today(fixed_clock: Any) -> dt.date:
    return fixed_clock(TODAY)


# --- periods --------------------------------------------------------------------------------------------------


def test_bimonthly_periods_are_calendar_pairs_of_months_due_n_days_after_they_end() -> None:
    # seed 000: “每兩個月報送一次階段性進展情況”
    assert period_containing(Period.BIMONTHLY, dt.date(2026, 4, 30)) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 4, 30),
    )
    periods = ended_periods(Period.BIMONTHLY, 10, dt.date(2026, 1, 1), None, TODAY)
    assert [(p.start, p.end, p.due_on) for p in periods] == [
        (dt.date(2026, 3, 1), dt.date(2026, 4, 30), dt.date(2026, 5, 10)),
        (dt.date(2026, 1, 1), dt.date(2026, 2, 28), dt.date(2026, 3, 10)),
    ]
    assert periods[0].label == "2026年3月—4月"


def test_quarters_years_and_a_one_off_period() -> None:
    # seed 002: “每季度向市政府汇报”; seed 001: a one-off summary by a fixed date
    q = ended_periods(Period.QUARTERLY, 15, dt.date(2026, 1, 1), None, TODAY)
    assert [(p.start, p.due_on, p.label) for p in q] == [
        (dt.date(2026, 1, 1), dt.date(2026, 4, 15), "2026年第1季度")
    ]
    y = ended_periods(Period.YEARLY, 31, dt.date(2025, 1, 1), None, TODAY)
    assert [(p.start, p.due_on, p.label) for p in y] == [
        (dt.date(2025, 1, 1), dt.date(2026, 1, 31), "2025年度")
    ]
    once = ended_periods(Period.ONCE, 10, dt.date(2026, 1, 1), dt.date(2026, 5, 1), TODAY)
    assert [(p.start, p.end, p.due_on) for p in once] == [
        (dt.date(2026, 1, 1), dt.date(2026, 5, 1), dt.date(2026, 5, 11))
    ]
    # a one-off period not yet over asks for nothing
    assert ended_periods(Period.ONCE, 10, dt.date(2026, 1, 1), dt.date(2026, 6, 1), TODAY) == []


# --- kinds ----------------------------------------------------------------------------------------------------


def test_a_county_bureau_sets_its_own_regions_report_kinds(
    sup: SupWorld, city_sup: User, today: dt.date
) -> None:
    kind = _kind(sup)
    assert kind.region == sup.w.county and LedgerEntry.objects.filter(action="reporting.kind_create").exists()
    # the city's bureau sees the county but sets the city's kinds, not the county's
    with pytest.raises(PermissionDenied):
        _kind(sup, actor=city_sup)
    # an agency head sets none
    with pytest.raises(PermissionDenied):
        _kind(sup, actor=sup.w.head)


def test_a_county_cannot_ask_bureaus_below_it_and_a_one_off_needs_an_end(
    sup: SupWorld, today: dt.date
) -> None:
    with pytest.raises(InvalidInput) as bureaus:
        _kind(sup, filers=FilerLevel.BUREAUS)
    assert bureaus.value.code == "no_bureaus_below"
    with pytest.raises(InvalidInput) as once:
        _kind(sup, period=Period.ONCE)
    assert once.value.code == "ends_on_required"
    assert not ReportKind.objects.exists()


# --- drafting, figures ----------------------------------------------------------------------------------------


def test_the_draft_carries_the_periods_figures_from_the_platform(sup: SupWorld, fixed_clock: Any) -> None:
    fixed_clock(dt.date(2026, 3, 16))
    supervision.problem_open(
        actor=sup.county_sup,
        agency=sup.w.agency,
        source_kind="other",
        source_ref="",
        title="公示不及时",
        description="",
        due=dt.date(2026, 6, 1),
    )
    county_path = sup.w.county.path
    Fact.objects.create(
        metric="case.opened", agency=sup.w.agency, region_path=county_path, day=dt.date(2026, 3, 1), count=3
    )
    Fact.objects.create(
        metric="case.opened", agency=sup.w.agency, region_path=county_path, day=dt.date(2026, 5, 1), count=9
    )
    Fact.objects.create(
        metric="case.fine",
        agency=sup.w.agency,
        region_path=county_path,
        day=dt.date(2026, 4, 1),
        count=1,
        amount=500,
    )
    fixed_clock(TODAY)
    report = _draft(sup, _kind(sup))
    figures = dict(report.figures)
    assert figures["立案（件）"] == 3  # May's 9 are outside Mar–Apr
    assert figures["罚款金额（元）"] == "500.00"
    assert figures["监督发现问题（个）"] == 1 and figures["报告期末未销号问题（个）"] == 1
    assert report.sections[0]["text"].startswith("本报告期内，") and "立案3件" in report.sections[0]["text"]
    assert report.due_on == dt.date(2026, 5, 10) and report.status == ReportStatus.DRAFT


def test_only_the_filer_itself_drafts_and_only_for_an_ended_period(sup: SupWorld, today: dt.date) -> None:
    kind = _kind(sup)
    # the county bureau sees the agency but does not write its report
    with pytest.raises(PermissionDenied) as bureau:
        _draft(sup, kind, actor=sup.county_sup)
    assert bureau.value.code == "not_the_filer"
    # another agency's head
    with pytest.raises(PermissionDenied):
        _draft(sup, kind, actor=sup.w.outsider)
    # May–June has not ended
    with pytest.raises(InvalidInput):
        _draft(sup, kind, start=dt.date(2026, 5, 1))
    report = _draft(sup, kind)
    with pytest.raises(RuleViolation):
        _draft(sup, kind)
    assert Report.objects.get() == report


def test_a_kind_for_named_agencies_asks_only_them(sup: SupWorld, today: dt.date) -> None:
    kind = _kind(sup, agencies=[sup.w.other_agency])
    with pytest.raises(PermissionDenied):
        _draft(sup, kind)
    assert selectors.obligations_for_filer(sup.w.head) == []
    assert [o.agency for o in selectors.obligations_for_filer(sup.w.outsider)] == [sup.w.other_agency]


# --- submit, receive ------------------------------------------------------------------------------------------


def test_a_report_is_submitted_only_with_every_section_written(sup: SupWorld, today: dt.date) -> None:
    report = _draft(sup, _kind(sup))
    with pytest.raises(InvalidInput) as empty:
        services.report_submit(actor=sup.w.head, report=report)
    assert "存在的问题" in empty.value.message
    report = _file(sup, report)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_late  # due 05-10, filed 05-20
    with pytest.raises(RuleViolation):
        services.report_edit(actor=sup.w.head, report=report, texts={"存在的问题": "改"})


def test_the_receiving_bureau_accepts_or_returns_with_a_reason(
    sup: SupWorld, city_sup: User, today: dt.date
) -> None:
    report = _file(sup, _draft(sup, _kind(sup)))
    # the agency does not accept its own report; the city sees it but the county receives it
    for actor in (sup.w.head, city_sup):
        with pytest.raises(PermissionDenied):
            services.report_accept(actor=actor, report=report)
    with pytest.raises(InvalidInput):
        services.report_return(actor=sup.county_sup, report=report, reason=" ")
    returned = services.report_return(actor=sup.county_sup, report=report, reason="数据与台账不符")
    assert returned.status == ReportStatus.RETURNED and returned.return_reason == "数据与台账不符"
    with pytest.raises(RuleViolation):
        services.report_accept(actor=sup.county_sup, report=report)
    services.report_edit(actor=sup.w.head, report=report, texts={"存在的问题": "已核对台账。"})
    services.report_submit(actor=sup.w.head, report=report)
    accepted = services.report_accept(actor=sup.county_sup, report=report)
    assert accepted.status == ReportStatus.ACCEPTED
    actions = list(
        LedgerEntry.objects.filter(object_type="reporting.report").values_list("action", flat=True)
    )
    assert actions.count("reporting.report_submit") == 2 and "reporting.report_return" in actions


def test_a_kind_needing_the_government_waits_for_its_approval(sup: SupWorld, today: dt.date) -> None:
    # seed 004: “涉及重大问题或者被监督机关拒不纠正的，报请县政府制发”
    report = _file(sup, _draft(sup, _kind(sup, needs_government_approval=True)))
    report = services.report_accept(actor=sup.county_sup, report=report)
    assert report.status == ReportStatus.GOVERNMENT
    with pytest.raises(InvalidInput):
        services.report_government_record(
            actor=sup.county_sup,
            report=report,
            reference="测县政〔2026〕1号",
            approved_on=TODAY + dt.timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        services.report_government_record(
            actor=sup.w.head, report=report, reference="测县政〔2026〕1号", approved_on=TODAY
        )
    done = services.report_government_record(
        actor=sup.county_sup, report=report, reference="测县政〔2026〕1号", approved_on=TODAY
    )
    assert done.status == ReportStatus.ACCEPTED and done.government_reference == "测县政〔2026〕1号"


# --- overdue --------------------------------------------------------------------------------------------------


def test_a_period_not_filed_by_its_due_date_is_overdue_until_filed(sup: SupWorld, fixed_clock: Any) -> None:
    fixed_clock(dt.date(2026, 5, 10))
    kind = _kind(sup, agencies=[sup.w.agency])
    assert selectors.overdue_for_filer(sup.w.head) == []  # due today: not yet overdue
    fixed_clock(dt.date(2026, 5, 11))
    [late] = selectors.overdue_for_filer(sup.w.head)
    assert late.period.due_on == dt.date(2026, 5, 10) and late.status_label == "未起草"
    assert [o.agency for o in selectors.overdue_for_receiver(sup.county_sup)] == [sup.w.agency]
    [flag] = list(sources.report_overdue(None))
    assert flag.agency_id == sup.w.agency.pk and "报送逾期" in flag.title
    report = _draft(sup, kind)
    assert len(selectors.overdue_for_filer(sup.w.head)) == 1  # a draft is not filed
    _file(sup, report)
    assert selectors.overdue_for_filer(sup.w.head) == [] and list(sources.report_overdue(None)) == []
    assert selectors.overdue_for_receiver(sup.county_sup) == []


# --- a county's summary to the city ---------------------------------------------------------------------------


def test_a_county_bureau_files_its_summary_to_the_city(sup: SupWorld, city_sup: User, today: dt.date) -> None:
    # seed 002: “每季度向市政府汇报工作进展情况”
    city = sup.w.county.parent
    kind = services.kind_create(
        actor=city_sup,
        region=city,
        name="县级季度汇报",
        period=Period.QUARTERLY,
        due_days=15,
        starts_on=dt.date(2026, 1, 1),
        filers=FilerLevel.BUREAUS,
        sections=["工作进展情况"],
    )
    [owed] = selectors.obligations_for_filer(sup.county_sup)
    assert owed.agency is None and owed.region == sup.w.county and owed.filer_name == "测县司法局"
    assert selectors.obligations_for_filer(sup.w.head) == []
    with pytest.raises(PermissionDenied):  # the city does not write the county's summary
        services.report_draft(
            actor=city_sup, kind=kind, agency=None, region=sup.w.county, period_start=dt.date(2026, 1, 1)
        )
    report = services.report_draft(
        actor=sup.county_sup, kind=kind, agency=None, region=sup.w.county, period_start=dt.date(2026, 1, 1)
    )
    services.report_submit(actor=sup.county_sup, report=report)
    with pytest.raises(PermissionDenied):  # the county does not receive its own report
        services.report_accept(actor=sup.county_sup, report=report)
    assert list(selectors.received(city_sup)) == [report] and list(selectors.received(sup.county_sup)) == []
    assert services.report_accept(actor=city_sup, report=report).status == ReportStatus.ACCEPTED


# --- files ----------------------------------------------------------------------------------------------------


def test_a_report_renders_as_pdf_and_xlsx(sup: SupWorld, today: dt.date) -> None:
    report = _file(sup, _draft(sup, _kind(sup)))
    pdf = documents.render_report_pdf(report)
    assert pdf.startswith(b"%PDF")
    from openpyxl import load_workbook  # local import: openpyxl is heavy; only this test reads a workbook

    wb = load_workbook(io.BytesIO(documents.render_report_xlsx(report)))
    rows = [tuple(r) for r in wb["主要数据"].iter_rows(values_only=True)]
    assert ("报送单位", sup.w.agency.name) in rows and any(r[0] == "立案（件）" for r in rows)
    assert [r[0] for r in wb["正文"].iter_rows(values_only=True)] == ["章节", "工作开展情况", "存在的问题"]


# --- pages ----------------------------------------------------------------------------------------------------


def test_the_head_drafts_and_submits_and_the_bureau_returns_through_the_pages(
    sup: SupWorld, today: dt.date
) -> None:
    kind = _kind(sup)
    head = _client(sup.w.head)
    page = head.get("/reporting/")
    assert page.status_code == 200 and "专项整治阶段性进展情况" in page.content.decode()
    drafted = head.post(
        "/reporting/", {"kind": kind.pk, "agency": sup.w.agency.pk, "period_start": "2026-03-01"}
    )
    report = Report.objects.get()
    assert drafted.status_code == 302 and drafted["Location"] == f"/reporting/reports/{report.pk}/"
    head.post(
        f"/reporting/reports/{report.pk}/", {"op": "submit", "section_0": "开展整治。", "section_1": "无。"}
    )
    assert Report.objects.get().status == ReportStatus.SUBMITTED
    # the head cannot accept; the county bureau sees it in its queue and returns it
    head.post(f"/reporting/reports/{report.pk}/", {"op": "accept"})
    assert Report.objects.get().status == ReportStatus.SUBMITTED
    bureau = _client(sup.county_sup)
    assert "测县市场监督管理局" in bureau.get("/reporting/received/").content.decode()
    bureau.post(f"/reporting/reports/{report.pk}/", {"op": "return", "reason": "请补充整改情况"})
    assert Report.objects.get().status == ReportStatus.RETURNED
    assert "请补充整改情况" in head.get(f"/reporting/reports/{report.pk}/").content.decode()
    assert head.get(f"/reporting/reports/{report.pk}/file/").content.startswith(b"%PDF")
    assert head.get("/reporting/kinds/").status_code == 403
    assert _client(sup.foreign_sup).get(f"/reporting/reports/{report.pk}/").status_code == 404


def test_the_bureau_sets_a_kind_through_the_page(sup: SupWorld, today: dt.date) -> None:
    bureau = _client(sup.county_sup)
    bad = bureau.post(
        "/reporting/kinds/",
        {
            "region": sup.w.county.code,
            "name": "",
            "period": "quarterly",
            "due_days": "10",
            "starts_on": "2026-01-01",
            "filers": "agencies",
            "sections": "情况",
        },
    )
    assert bad.status_code == 422 and not ReportKind.objects.exists()
    ok = bureau.post(
        "/reporting/kinds/",
        {
            "region": sup.w.county.code,
            "name": "季度工作报告",
            "period": "quarterly",
            "due_days": "15",
            "starts_on": "2026-01-01",
            "filers": "agencies",
            "sections": "工作情况\n存在问题",
            "needs_government_approval": "1",
        },
    )
    assert ok.status_code == 302
    kind = ReportKind.objects.get()
    assert kind.sections == ["工作情况", "存在问题"] and kind.needs_government_approval


# --- API ------------------------------------------------------------------------------------------------------


def test_the_api_drafts_submits_and_receives_in_scope(sup: SupWorld, city_sup: User, today: dt.date) -> None:
    kind = _kind(sup)
    head = _client(sup.w.head)
    owed = head.get("/api/reporting/obligations").json()
    assert owed[0]["kind_id"] == kind.pk and owed[0]["overdue"] is True
    created = head.post(
        "/api/reporting/reports",
        {"kind_id": kind.pk, "agency_id": sup.w.agency.pk, "period_start": "2026-03-01"},
        content_type="application/json",
    )
    assert created.status_code == 201
    rid = created.json()["id"]
    assert head.post(f"/api/reporting/reports/{rid}/submit").status_code == 422  # a section is empty
    edited = head.post(
        f"/api/reporting/reports/{rid}/edit",
        {"sections": {"存在的问题": "无。"}},
        content_type="application/json",
    )
    assert edited.status_code == 200
    assert head.post(f"/api/reporting/reports/{rid}/submit").json()["status"] == "submitted"
    assert _client(sup.foreign_sup).get(f"/api/reporting/reports/{rid}").status_code == 404
    assert _client(city_sup).post(f"/api/reporting/reports/{rid}/accept").status_code == 403
    bureau = _client(sup.county_sup)
    assert [r["id"] for r in bureau.get("/api/reporting/reports?received=true").json()] == [rid]
    returned = bureau.post(
        f"/api/reporting/reports/{rid}/return", {"reason": "补充"}, content_type="application/json"
    )
    assert returned.json()["status"] == "returned"
    assert bureau.post(f"/api/reporting/reports/{rid}/accept").status_code == 409


def test_the_workbenches_show_what_is_owed_overdue_and_waiting(sup: SupWorld, today: dt.date) -> None:
    kind = _kind(sup, agencies=[sup.w.agency])
    head = _client(sup.w.head).get("/workbench/").content.decode()
    assert 'data-todo="报送事项待报送" data-count="1"' in head
    assert 'data-todo="报送事项逾期未报" data-count="1"' in head  # Mar–Apr was due 05-10
    bureau = _client(sup.county_sup).get("/workbench/").content.decode()
    assert 'data-todo="下级报送逾期未报" data-count="1"' in bureau
    assert 'data-todo="报告待接收" data-count="0"' in bureau
    # another agency owes nothing and sees no such entry
    assert "报送事项待报送" not in _client(sup.w.outsider).get("/workbench/").content.decode()
    _file(sup, _draft(sup, kind))
    bureau = _client(sup.county_sup).get("/workbench/").content.decode()
    assert (
        'data-todo="报告待接收" data-count="1"' in bureau
        and 'data-todo="下级报送逾期未报" data-count="0"' in bureau
    )
