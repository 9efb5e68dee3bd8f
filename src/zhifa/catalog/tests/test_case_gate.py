"""Every case names its item: once the agency has a catalog in force, 案源登记 (when a code is given), 立案 and
当场处罚 need a 行政处罚 item of that agency in force on the date; without a catalog the case goes on and a
supervision flag is raised."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.cases import services as cases
from zhifa.cases.models import Case, Stage
from zhifa.cases.tests.helpers import D0, ledger_count, register, reload
from zhifa.catalog import selectors
from zhifa.catalog.tests.helpers import add_item
from zhifa.core.errors import RuleViolation


def _open(world, case, code=None, on=D0):
    return cases.case_open(
        actor=world.officer_user,
        approved_by=world.head,
        case=case,
        officers=world.officers[:2],
        act_date=on - dt.timedelta(days=3),
        on=on,
        catalog_item_code=code,
    )


def test_agency_without_catalog_opens_a_case_without_an_item_and_is_flagged(world):
    case = _open(world, register(world))
    assert reload(case).stage == Stage.OPENED
    flags = list(selectors.cases_without_catalog_item())
    assert [f.key for f in flags] == [f"case:{case.pk}"]
    assert flags[0].kind == "case_without_catalog_item" and flags[0].agency_id == world.agency.pk


def test_opening_without_an_item_is_refused_once_the_catalog_is_in_force(world, catalog):
    case = register(world)
    before = ledger_count(case)
    with pytest.raises(RuleViolation) as refused:
        _open(world, case)
    assert refused.value.code == "catalog_item_unknown"
    assert reload(case).stage == Stage.SOURCE and ledger_count(case) == before


def test_opening_with_an_unknown_code_names_the_code(world, catalog):
    with pytest.raises(RuleViolation) as refused:
        _open(world, register(world), code="NO-SUCH")
    assert refused.value.code == "catalog_item_unknown" and "NO-SUCH" in refused.value.message


def test_an_inspection_item_is_not_a_penalty_item(world, catalog):
    with pytest.raises(RuleViolation) as refused:
        _open(world, register(world), code="T-JC-001")
    assert "不是行政处罚事项" in refused.value.message


def test_opening_with_a_penalty_item_in_force_passes_and_is_not_flagged(world, catalog):
    case = _open(world, register(world), code="T-CF-001")
    assert reload(case).catalog_item_code == "T-CF-001"
    assert list(selectors.cases_without_catalog_item()) == []


def test_the_item_must_be_in_force_on_the_opening_date(world):
    add_item(world, "T-OLD", start=dt.date(2024, 1, 1), end=dt.date(2025, 3, 2))
    add_item(world, "T-NEW", start=dt.date(2025, 3, 3))
    # D0 = 2025-03-03: T-OLD lapsed the day before.
    with pytest.raises(RuleViolation):
        _open(world, register(world), code="T-OLD")
    assert _open(world, register(world), code="T-NEW").stage == Stage.OPENED
    case = register(world, on=dt.date(2025, 3, 2))
    assert _open(world, case, code="T-OLD", on=dt.date(2025, 3, 2)).stage == Stage.OPENED


def test_the_item_of_another_agency_does_not_count(world, catalog):
    from zhifa.catalog import services
    from zhifa.catalog.tests.helpers import item_data
    from zhifa.org.models import Domain

    data = item_data(world, "OTHER-CF-1")
    data = type(data)(**{**data.__dict__, "domain": Domain.objects.get(code="housing")})
    services.catalog_item_save(actor=world.outsider, agency=world.other_agency, data=data)
    with pytest.raises(RuleViolation):
        _open(world, register(world), code="OTHER-CF-1")


def test_source_with_an_unknown_code_is_refused_and_without_a_code_is_allowed(world, catalog):
    common = dict(
        actor=world.officer_user,
        agency=world.agency,
        domain=world.market,
        source_kind="complaint",
        received_on=D0,
        title="销售过期食品",
        parties=[world.company],
    )
    count = Case.objects.count()
    with pytest.raises(RuleViolation) as refused:
        cases.case_register_source(**common, catalog_item_code="NO-SUCH")
    assert refused.value.code == "catalog_item_unknown" and Case.objects.count() == count
    assert cases.case_register_source(**common).stage == Stage.SOURCE
    assert cases.case_register_source(**common, catalog_item_code="T-CF-001").catalog_item_code == "T-CF-001"


def test_on_the_spot_decision_needs_the_item(world, catalog):
    common = dict(
        actor=world.officer_user,
        agency=world.agency,
        domain=world.market,
        party=world.citizen,
        officers=world.officers[:2],
        kinds=["warning"],
        title="未明码标价",
        on=D0,
    )
    count = Case.objects.count()
    with pytest.raises(RuleViolation) as refused:
        cases.case_simple_decide(basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）", **common)
    assert refused.value.code == "catalog_item_unknown" and Case.objects.count() == count
    assert (
        cases.case_simple_decide(
            basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
            **common,
            catalog_item_code="T-CF-002",
        ).stage
        == Stage.SERVED
    )
