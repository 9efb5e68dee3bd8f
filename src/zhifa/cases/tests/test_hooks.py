"""The extension points other apps use: a registered check refuses, an after-step runs, reasons join the
legal-review guard, a review status replaces the built-in outcome."""

from __future__ import annotations

import pytest

from zhifa.cases import hooks
from zhifa.core.errors import RuleViolation
from zhifa.testing.registries import case_hooks_cleared


@pytest.fixture
def clean_hooks():
    with case_hooks_cleared() as cleared:
        yield cleared


def test_a_registered_check_refuses_and_sees_the_fields(clean_hooks):
    seen = []

    def check(case, *, code, actor, on, changes):
        seen.append((code, changes))
        if changes and changes.get("x") == 1:
            raise RuleViolation("不行", "no", code="nope")

    hooks.register_check("decide", check)
    hooks.register_check("decide", check)  # registering twice keeps one
    hooks.run_checks("decide", object(), actor=None, on=None, changes={"x": 0})
    with pytest.raises(RuleViolation):
        hooks.run_checks("decide", object(), actor=None, on=None, changes={"x": 1})
    hooks.run_checks("serve", object(), actor=None, on=None, changes={"x": 1})
    assert [c for c, _ in seen] == ["decide", "decide"]


def test_wildcard_after_steps_run_for_every_code(clean_hooks):
    ran = []
    hooks.register_after("*", lambda case, **kw: ran.append(kw["code"]))
    hooks.run_after("close", object(), actor=None, on=None, changes={})
    assert ran == ["close"]


def test_extra_reasons_are_joined_without_repeats(clean_hooks):
    hooks.register_legal_review_reasons(lambda case, penalty: ["吊销许可证", "目录：涉及重大公共利益"])
    hooks.register_legal_review_reasons(lambda case, penalty: ["目录：涉及重大公共利益"])
    assert hooks.extra_legal_review_reasons(object(), object()) == ["吊销许可证", "目录：涉及重大公共利益"]


def test_first_status_that_answers_wins(clean_hooks):
    assert hooks.legal_review_status(object()) is None
    hooks.register_legal_review_status(lambda case: None)
    hooks.register_legal_review_status(lambda case: (False, "法制审核退回"))
    assert hooks.legal_review_status(object()) == (False, "法制审核退回")


def test_a_check_on_open_refuses_inside_the_service_and_writes_nothing(clean_hooks, world):
    from zhifa.cases import services
    from zhifa.cases.models import Stage
    from zhifa.cases.tests.helpers import D0, ledger_count, register, reload

    def no_item(case, *, code, actor, on, changes):
        if changes is not None and not case.catalog_item_code:
            raise RuleViolation("须选择执法事项。", "Name the catalog item.", code="catalog_item_required")

    hooks.register_check("open", no_item)
    after = []
    hooks.register_after("open", lambda case, **kw: after.append(kw["changes"]["stage"]))
    case = register(world)
    before = ledger_count(case)
    with pytest.raises(RuleViolation) as refused:
        services.case_open(
            actor=world.officer_user,
            approved_by=world.head,
            case=case,
            officers=world.officers[:2],
            act_date=D0,
            on=D0,
        )
    assert refused.value.code == "catalog_item_required"
    assert reload(case).stage == Stage.SOURCE and ledger_count(case) == before and after == []
    case.catalog_item_code = "X1"
    case.save(update_fields=["catalog_item_code"])
    services.case_open(
        actor=world.officer_user,
        approved_by=world.head,
        case=case,
        officers=world.officers[:2],
        act_date=D0,
        on=D0,
    )
    assert reload(case).stage == Stage.OPENED and after == [[Stage.SOURCE, Stage.OPENED]]
