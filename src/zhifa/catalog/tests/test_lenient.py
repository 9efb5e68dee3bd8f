"""四张清单: matching a case's item prompts the officer; 事先告知, 决定 and 不予处罚 wait for a recorded decision on
every matching entry; an entry applies only with all its conditions; a 不予处罚 entry that applies makes a
penalty need its reason (行政处罚法 第三十三条); usage is counted per list and agency."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from zhifa.cases import services as cases
from zhifa.cases.models import Stage
from zhifa.cases.tests.helpers import D0, attach, opened, reload
from zhifa.catalog import selectors, services
from zhifa.catalog.models import LenientDecision
from zhifa.catalog.tests.helpers import add_entry
from zhifa.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from zhifa.records.models import LedgerEntry


def _reviewed(world, code="T-CF-002"):
    case = opened(world, catalog_item_code=code)
    user = world.officer_user
    case = cases.case_start_investigation(actor=user, case=case, on=D0)
    attach(user, case, "investigation")
    return cases.case_end_investigation(actor=user, case=case, on=D0 + dt.timedelta(days=7))


def _notify(world, case):
    return cases.case_notify_rights(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=world.officer_user,
        case=case,
        kinds=["fine"],
        fine_yuan="1000",
        on=D0 + dt.timedelta(days=8),
    )


def _record(world, case, entry, applies=True, met=None, reason="首次违法，已当场改正"):
    return services.lenient_decision_record(
        actor=world.officer_user,
        case=case,
        entry=entry,
        applies=applies,
        conditions_met=list(entry.conditions) if met is None else met,
        reason=reason,
        on=D0 + dt.timedelta(days=7),
    )


def test_entries_match_the_case_item_and_the_issuer(world, catalog):
    mine = add_entry(world, "T-CF-002")
    add_entry(world, "T-CF-001", number="2")  # another item
    county = add_entry(world, "T-CF-002", kind="lighter", region=world.county)
    case = _reviewed(world)
    assert {e.pk for e in selectors.lenient_entries_for_case(case)} == {mine.pk, county.pk}


def test_an_entry_out_of_force_on_the_act_date_and_today_does_not_match(world, catalog):
    add_entry(world, "T-CF-002", start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31))
    assert selectors.lenient_entries_for_case(_reviewed(world)) == []


def test_notice_is_refused_while_a_matching_entry_is_undecided(world, catalog):
    entry = add_entry(world, "T-CF-002")
    case = _reviewed(world)
    with pytest.raises(RuleViolation) as refused:
        _notify(world, case)
    assert refused.value.code == "lenient_list_undecided" and entry.title in refused.value.message
    assert reload(case).stage == Stage.REVIEW
    _record(world, case, entry, applies=False, met=[], reason="当事人两年内已因同类行为受过处罚，非首次违法")
    assert _notify(world, case).stage == Stage.NOTIFIED


def test_not_punish_is_refused_while_undecided(world, catalog):
    add_entry(world, "T-CF-002")
    case = _reviewed(world)
    with pytest.raises(RuleViolation) as refused:
        cases.case_not_punish(actor=world.head, case=case, reason="first_minor", on=D0 + dt.timedelta(days=8))
    assert refused.value.code == "lenient_list_undecided"


def test_a_case_without_matching_entries_is_not_held(world, catalog):
    add_entry(world, "T-CF-001")
    assert _notify(world, _reviewed(world)).stage == Stage.NOTIFIED


def test_applies_only_when_every_condition_is_met(world, catalog):
    entry = add_entry(world, "T-CF-002", conditions=("首次违法", "及时改正"))
    case = _reviewed(world)
    with pytest.raises(RuleViolation) as refused:
        _record(world, case, entry, applies=True, met=["首次违法"])
    assert refused.value.code == "lenient_conditions_not_met" and "及时改正" in refused.value.message
    assert not LenientDecision.objects.exists()
    decision = _record(world, case, entry, applies=True)
    assert decision.applies and decision.conditions_met == ["首次违法", "及时改正"]
    entry_on_ledger = LedgerEntry.objects.filter(
        action="catalog.lenient_decision", object_id=str(case.pk)
    ).get()
    assert json.loads(entry_on_ledger.changes)["applies"] is True


def test_a_reason_is_required_and_conditions_must_be_the_entry_s(world, catalog):
    entry = add_entry(world, "T-CF-002")
    case = _reviewed(world)
    with pytest.raises(InvalidInput) as missing:
        _record(world, case, entry, applies=False, met=[], reason="  ")
    assert missing.value.code == "lenient_reason_missing"
    with pytest.raises(InvalidInput) as unknown:
        _record(world, case, entry, applies=False, met=["编造的条件"])
    assert unknown.value.code == "lenient_condition_unknown"


def test_an_entry_that_does_not_match_the_case_is_refused(world, catalog):
    other = add_entry(world, "T-CF-001")
    with pytest.raises(NotFound):
        _record(world, _reviewed(world), other)


def test_only_officers_of_the_case_agency_record(world, catalog):
    entry = add_entry(world, "T-CF-002")
    case = _reviewed(world)
    for actor in (world.outsider, world.supervisor, world.reviewer):
        with pytest.raises(PermissionDenied):
            services.lenient_decision_record(
                actor=actor, case=case, entry=entry, applies=False, conditions_met=[], reason="x"
            )
    assert not LenientDecision.objects.exists()


def test_decide_after_a_no_penalty_entry_applies_needs_the_reason_in_the_decision(world, catalog):
    entry = add_entry(world, "T-CF-002")
    case = _reviewed(world)
    _record(world, case, entry, applies=True)
    case = _notify(world, case)
    case = cases.case_waive_rights(actor=world.officer_user, case=case, on=D0 + dt.timedelta(days=9))
    decide = dict(
        actor=world.head, case=case, kinds=["fine"], fine_yuan="1000", on=D0 + dt.timedelta(days=10)
    )
    with pytest.raises(RuleViolation) as refused:
        cases.case_decide(**decide)
    assert refused.value.code == "lenient_no_penalty_applies"
    assert reload(case).stage == Stage.NOTIFIED
    decided = cases.case_decide(
        **decide, text="当事人虽及时改正，但标签瑕疵已误导消费者，不符合不予处罚清单的条件"
    )
    assert decided.stage == Stage.DECIDED


def test_a_later_record_replaces_the_earlier_as_the_answer(world, catalog):
    entry = add_entry(world, "T-CF-002")
    case = _reviewed(world)
    _record(world, case, entry, applies=True)
    _record(world, case, entry, applies=False, met=[], reason="复核发现非首次违法")
    [status] = selectors.lenient_status_for_case(case)
    assert status.decision is not None and status.decision.applies is False
    assert LenientDecision.objects.filter(case=case).count() == 2


def test_usage_counts_matched_applied_and_not_applied_per_list_and_agency(world, catalog):
    no_penalty = add_entry(world, "T-CF-002")
    lighter = add_entry(world, "T-CF-002", kind="lighter", number="9")
    first, second, third = _reviewed(world), _reviewed(world), _reviewed(world)
    _record(world, first, no_penalty, applies=True)
    _record(world, second, no_penalty, applies=False, met=[], reason="非首次")
    _record(world, first, lighter, applies=False, met=[], reason="无从轻情节")
    usage = {(u.kind, u.agency_id): u for u in selectors.list_usage(year=(D0 + dt.timedelta(days=7)).year)}
    np_row = usage[("no_penalty", world.agency.pk)]
    assert (np_row.matched, np_row.applied, np_row.not_applied) == (2, 1, 1)
    li_row = usage[("lighter", world.agency.pk)]
    assert (li_row.matched, li_row.applied, li_row.not_applied) == (1, 0, 1)
    assert selectors.list_usage(agencies=[world.other_agency], year=D0.year) == []
    assert selectors.list_usage(year=1999) == []
    del third  # still pending: counted only in the current year's "matched"
