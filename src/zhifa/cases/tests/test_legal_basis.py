"""行政处罚法 第三十八条、第四十四条、第五十二条、第五十九条: no notice and no decision without a legal basis.

Regression (issue 17): ``case_notify_rights(basis=None)`` and ``case_decide(basis=None)`` used to pass and the
case ended ``decided`` with ``legal_basis=''``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.cases import services
from zhifa.cases.forms import action_form
from zhifa.cases.models import Case, Stage
from zhifa.cases.tests.helpers import D0, CaseWorld, attach, ledger_count, notified, opened, reload
from zhifa.cases.tests.test_api import client_for
from zhifa.core.errors import InvalidInput

BASIS = "《中华人民共和国食品安全法》第三十四条第十项、第一百二十四条第一款第五项"


def _investigated(world: CaseWorld, **kwargs: object) -> Case:
    case = opened(world, **kwargs)
    user = world.officer_user
    case = services.case_start_investigation(actor=user, case=case, on=D0)
    attach(user, case, "investigation")
    return services.case_end_investigation(actor=user, case=case, on=D0 + dt.timedelta(days=7))


def _notify(world: CaseWorld, case: Case, **kwargs: object) -> Case:
    return services.case_notify_rights(
        actor=world.officer_user,
        case=case,
        kinds=["fine"],
        fine_yuan="5000",
        on=D0 + dt.timedelta(days=7),
        **kwargs,  # type: ignore[arg-type]
    )


def test_notice_without_a_basis_is_refused_and_nothing_is_written(world: CaseWorld) -> None:
    case = _investigated(world)
    before = ledger_count(case)
    for basis in (None, "", "   "):
        with pytest.raises(InvalidInput) as exc:
            _notify(world, case, basis=basis)
        assert exc.value.field == "basis" and "第三十八条" in exc.value.message
    case = reload(case)
    assert case.stage == Stage.REVIEW and case.legal_basis == "" and ledger_count(case) == before


def test_notice_with_a_basis_states_it(world: CaseWorld) -> None:
    case = _notify(world, _investigated(world), basis=f"  {BASIS} ")
    assert case.stage == Stage.NOTIFIED and reload(case).legal_basis == BASIS


def test_the_basis_defaults_to_the_catalog_items_and_the_form_offers_it(world: CaseWorld) -> None:
    from zhifa.catalog.tests.helpers import add_item

    add_item(world, "T-CF-001", start=dt.date(2025, 1, 1))
    case = _investigated(world, catalog_item_code="T-CF-001")
    expected = "《中华人民共和国食品安全法》第一百二十四条"
    assert action_form("notify_rights", case).initial["basis"] == expected
    case = _notify(world, case)
    assert reload(case).legal_basis == expected
    # editable: the form's text wins over the item's
    assert action_form("decide", case).initial["basis"] == expected


def test_decision_states_the_notified_basis_or_a_corrected_one(world: CaseWorld) -> None:
    case = notified(world, kinds=("warning",), fine=None)
    case = services.case_waive_rights(actor=world.officer_user, case=case, on=case.notified_on)
    decided = services.case_decide(
        actor=world.head, case=case, kinds=["warning"], on=case.notified_on, basis=BASIS
    )
    assert decided.stage == Stage.DECIDED and reload(decided).legal_basis == BASIS


def test_decision_without_any_basis_is_refused(world: CaseWorld) -> None:
    case = notified(world, kinds=("warning",), fine=None)
    case = services.case_waive_rights(actor=world.officer_user, case=case, on=case.notified_on)
    Case.objects.filter(pk=case.pk).update(legal_basis="")  # a notice from before the guard
    with pytest.raises(InvalidInput) as exc:
        services.case_decide(
            actor=world.head, case=case.pk, kinds=["warning"], on=case.notified_on, basis=None
        )
    assert exc.value.field == "basis"
    assert reload(case).stage == Stage.NOTIFIED and reload(case).decided_on is None


def _simple(world: CaseWorld, **kwargs: object) -> Case:
    return services.case_simple_decide(
        actor=world.officer_user,
        agency=world.agency,
        domain=world.market,
        party=world.citizen,
        officers=world.officers[:2],
        kinds=["warning"],
        title="占道经营",
        on=dt.date(2025, 6, 3),
        **kwargs,  # type: ignore[arg-type]
    )


def test_simple_procedure_without_a_basis_is_refused(world: CaseWorld) -> None:
    count = Case.objects.count()
    with pytest.raises(InvalidInput) as exc:
        _simple(world)
    assert exc.value.field == "basis" and Case.objects.count() == count


def test_simple_procedure_records_the_basis_and_the_partys_statement(world: CaseWorld) -> None:
    case = reload(_simple(world, basis=BASIS, statement="当事人称初次经营，已当场改正。"))
    assert case.legal_basis == BASIS
    assert case.statement_text == "当事人称初次经营，已当场改正。"
    assert case.statement_received_on == dt.date(2025, 6, 3)


def test_api_refuses_a_notice_without_a_basis_with_422(world: CaseWorld) -> None:
    case = _investigated(world)
    api = client_for(world.officer_user)
    url = f"/api/cases/{case.pk}/notify-rights"
    body = {"kinds": ["fine"], "fine_yuan": "5000", "on": "2025-03-10"}
    response = api.post(url, body, content_type="application/json")
    assert response.status_code == 422, response.content
    data = response.json()
    assert "第三十八条" in data["message"] and "basis" in data["message_en"]
    response = api.post(url, {**body, "basis": BASIS}, content_type="application/json")
    assert response.status_code == 200, response.content
