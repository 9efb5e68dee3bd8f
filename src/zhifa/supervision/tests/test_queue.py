"""The one warning queue: gathering from every source, idempotent upserts, closing what a source stops
yielding, immediate flags through ``flags.notify``, and the supervisor's handle / dismiss / convert."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from zhifa.cases.tests.helpers import opened
from zhifa.core import flags
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.supervision import services as s
from zhifa.supervision.models import Flag, FlagState, NoActStatement, ProblemSource
from zhifa.testing.registries import flag_source
from zhifa.testing.worlds import SupWorld

_yield: list[flags.FlagCandidate] = []


@pytest.fixture
def fake_source() -> Iterator[list[flags.FlagCandidate]]:
    _yield.clear()
    with flag_source("test_kind", "测试来源", lambda since: list(_yield)):
        yield _yield


def _cand(sup: SupWorld, key: str = "x:1", title: str = "测试预警") -> flags.FlagCandidate:
    return flags.FlagCandidate(kind="test_kind", key=key, agency_id=sup.w.agency.pk, title=title)


def test_scan_is_idempotent_and_closes_what_the_source_stopped_yielding(
    sup: SupWorld, fake_source: list[flags.FlagCandidate]
) -> None:
    fake_source += [_cand(sup, "x:1"), _cand(sup, "x:2")]
    first = s.flags_scan(kinds=["test_kind"])
    assert first.counts["test_kind"]["raised"] == 2
    second = s.flags_scan(kinds=["test_kind"])
    assert second.counts["test_kind"] == {"raised": 0, "refreshed": 0, "closed": 0, "reopened": 0}
    assert Flag.objects.filter(kind="test_kind").count() == 2
    fake_source[:] = [_cand(sup, "x:1", title="标题变了")]
    third = s.flags_scan(kinds=["test_kind"])
    assert third.counts["test_kind"]["closed"] == 1 and third.counts["test_kind"]["refreshed"] == 1
    gone = Flag.objects.get(kind="test_kind", key="x:2")
    assert not gone.source_open and gone.source_closed_at is not None
    assert Flag.objects.get(kind="test_kind", key="x:1").title == "标题变了"
    # It comes back: the same row reopens (never a duplicate).
    fake_source.append(_cand(sup, "x:2"))
    fourth = s.flags_scan(kinds=["test_kind"])
    assert fourth.counts["test_kind"]["reopened"] == 1
    assert Flag.objects.filter(kind="test_kind").count() == 2


def test_flag_region_and_agency_paths_come_from_the_agency(
    sup: SupWorld, fake_source: list[flags.FlagCandidate]
) -> None:
    fake_source.append(_cand(sup))
    s.flags_scan(kinds=["test_kind"])
    flag = Flag.objects.get(kind="test_kind")
    assert flag.agency_path == sup.w.agency.path
    assert flag.region_path == sup.w.agency.region.path


def test_a_broken_source_closes_nothing(sup: SupWorld, fake_source: list[flags.FlagCandidate]) -> None:
    fake_source.append(_cand(sup))
    s.flags_scan(kinds=["test_kind"])

    def broken(since: object) -> list[flags.FlagCandidate]:
        raise RuntimeError("source down")

    flags.register_source("test_kind", "测试来源", broken)
    run = s.flags_scan(kinds=["test_kind"])
    assert "test_kind" in run.errors
    assert Flag.objects.get(kind="test_kind").source_open


def test_notify_raises_a_flag_at_once(sup: SupWorld) -> None:
    from django.db import transaction

    with transaction.atomic():
        flags.notify(_cand(sup, "now:1"))
    assert Flag.objects.filter(kind="test_kind", key="now:1", state=FlagState.NEW).exists()


def test_case_past_its_limit_is_gathered(sup: SupWorld) -> None:
    case = opened(sup.w)  # opened 2025-03-03: the 90-day decision limit is long past
    s.flags_scan(kinds=["case_past_limit"])
    flag = Flag.objects.get(kind="case_past_limit", key=f"case:{case.pk}")
    assert flag.agency_id == sup.w.agency.pk and flag.severity == "serious"


def test_dismiss_needs_a_reason_and_convert_opens_a_problem(
    sup: SupWorld, fake_source: list[flags.FlagCandidate]
) -> None:
    fake_source += [_cand(sup, "a:1"), _cand(sup, "a:2")]
    s.flags_scan(kinds=["test_kind"])
    one, two = Flag.objects.filter(kind="test_kind").order_by("key")
    with pytest.raises(InvalidInput):
        s.flag_dismiss(actor=sup.county_sup, flag=one, reason=" ")
    s.flag_dismiss(actor=sup.county_sup, flag=one, reason="已核实为误报")
    with pytest.raises(RuleViolation) as exc:
        s.flag_handle(actor=sup.county_sup, flag=one)
    assert exc.value.code == "flag_not_new"
    converted = s.flag_convert(actor=sup.county_sup, flag=two, category="inaction")
    assert converted.state == FlagState.CONVERTED
    assert converted.problem.source_kind == ProblemSource.WARNING
    assert converted.problem.source_ref == "test_kind:a:2"


def test_supervisor_outside_region_and_agency_cannot_act_on_a_flag(
    sup: SupWorld, fake_source: list[flags.FlagCandidate]
) -> None:
    fake_source.append(_cand(sup))
    s.flags_scan(kinds=["test_kind"])
    flag = Flag.objects.get(kind="test_kind")
    for actor in (sup.foreign_sup, sup.w.head):
        with pytest.raises(PermissionDenied):
            s.flag_handle(actor=actor, flag=flag, note="x")
    assert Flag.objects.get(pk=flag.pk).state == FlagState.NEW


def test_no_enforcement_act_flag_closes_when_the_statement_is_filed(sup: SupWorld) -> None:
    year = s.today().year - 1
    s.flags_scan(kinds=["no_enforcement_act"])
    key = f"agency:{sup.w.agency.pk}:{year}"
    assert Flag.objects.filter(kind="no_enforcement_act", key=key, source_open=True).exists()
    s.noact_statement_file(actor=sup.w.head, agency=sup.w.agency, year=year, explanation="本年度无违法线索。")
    flag = Flag.objects.get(kind="no_enforcement_act", key=key)
    assert not flag.source_open and flag.state == FlagState.HANDLED
    s.flags_scan(kinds=["no_enforcement_act"])
    assert not Flag.objects.get(kind="no_enforcement_act", key=key).source_open
    with pytest.raises(RuleViolation):
        s.noact_statement_file(actor=sup.w.head, agency=sup.w.agency, year=year, explanation="again")
    with pytest.raises(PermissionDenied):
        s.noact_statement_file(actor=sup.w.outsider, agency=sup.w.agency, year=year - 1, explanation="x")
    assert NoActStatement.objects.count() == 1


def test_a_licensing_decision_in_the_year_is_an_enforcement_act_so_no_statement_is_asked(
    sup: SupWorld,
) -> None:
    from zhifa.disclosure import services as disclosure
    from zhifa.disclosure.tests.test_licensing import company_row

    year = s.today().year - 1
    key = f"agency:{sup.w.agency.pk}:{year}"
    s.flags_scan(kinds=["no_enforcement_act"])
    assert Flag.objects.filter(kind="no_enforcement_act", key=key, source_open=True).exists()
    # a licensing decision of the year before does not count for this year
    day = dt.date(year - 1, 12, 30).isoformat()
    disclosure.licensing_decisions_import(
        actor=sup.w.officer_user,
        agency=sup.w.agency,
        rows=[company_row(document_number="前年许可1号", decided_on=day, valid_from=day)],
    )
    s.flags_scan(kinds=["no_enforcement_act"])
    assert Flag.objects.get(kind="no_enforcement_act", key=key).source_open
    day = dt.date(year, 6, 2).isoformat()
    disclosure.licensing_decisions_import(
        actor=sup.w.officer_user,
        agency=sup.w.agency,
        rows=[company_row(document_number="当年许可1号", decided_on=day, valid_from=day)],
    )
    s.flags_scan(kinds=["no_enforcement_act"])
    assert not Flag.objects.get(kind="no_enforcement_act", key=key).source_open


def test_a_served_case_lacking_its_closing_records_is_flagged_until_they_are_uploaded(sup: SupWorld) -> None:
    from zhifa.cases import services as case_services
    from zhifa.cases.tests.helpers import attach
    from zhifa.stats.tests.helpers import decided, simple

    case = decided(sup.w)
    case = case_services.case_serve(
        actor=sup.w.officer_user, case=case, method="direct", on=case.decided_on + dt.timedelta(days=1)
    )
    on_the_spot = simple(sup.w)  # its written decision is made by the service itself: nothing lacking
    assert on_the_spot.stage in ("served", "executing")
    s.flags_scan(kinds=["required_records_missing"])
    flag = Flag.objects.get(kind="required_records_missing", key=f"case:{case.pk}")
    assert flag.source_open and "送达" in flag.detail
    assert not Flag.objects.filter(kind="required_records_missing", key=f"case:{on_the_spot.pk}").exists()

    attach(sup.w.officer_user, case, "service_execution")  # 送达回证 uploaded
    s.flags_scan(kinds=["required_records_missing"])
    assert not Flag.objects.get(pk=flag.pk).source_open


def test_liaison_point_flagged_after_a_year_without_a_visit(sup: SupWorld) -> None:
    long_ago = s.today() - dt.timedelta(days=400)
    point = s.liaison_point_designate(actor=sup.county_sup, party=sup.w.company, designated_on=long_ago)
    s.flags_scan(kinds=["liaison_not_visited"])
    assert Flag.objects.get(kind="liaison_not_visited").source_open
    s.liaison_visit_record(actor=sup.county_sup, point=point, visited_on=s.today(), satisfaction=5)
    s.flags_scan(kinds=["liaison_not_visited"])
    assert not Flag.objects.get(kind="liaison_not_visited").source_open
