"""行政处罚法 第六十六条: 暂缓或者分期缴纳 — the party applies, the head approves a schedule; while it is kept, the
surcharge (第七十二条) runs on each instalment only from its own due date, and no demand (催告) or court
application follows until an instalment is missed."""

from __future__ import annotations

from decimal import Decimal

from zhifa.cases import limits, payments, services
from zhifa.cases.tests.fine_helpers import D, served
from zhifa.cases.tests.helpers import CaseWorld, reload
from zhifa.cases.tests.test_rules import refused
from zhifa.core.errors import InvalidInput, PermissionDenied

SCHEDULE = "2025-04-15 2500\n2025-05-15 2500"


APPLIED = D(2025, 3, 12)
APPROVED = D(2025, 3, 13)


def _apply(world: CaseWorld, case, schedule: str = SCHEDULE, kind: str = "instalments", on=APPLIED):
    return payments.payment_plan_apply(
        actor=world.officer_user,
        case=case,
        kind=kind,
        reason="经营困难，账户资金不足",
        schedule=schedule,
        on=on,
    )


def _approve(world: CaseWorld, case, approve: bool = True, note: str = "", on=APPROVED):
    return payments.payment_plan_approve(actor=world.head, case=case, approve=approve, note=note, on=on)


def _pay(world: CaseWorld, case, amount: str, on):
    return payments.instalment_pay(actor=world.officer_user, case=case, amount_yuan=amount, on=on)


def _approved(world: CaseWorld):
    case = served(world, "5000")  # payment due 2025-03-26
    _apply(world, case)
    _approve(world, reload(case))
    return reload(case)


def test_an_approved_plan_moves_the_deadline_to_the_next_instalment(world: CaseWorld) -> None:
    case = _approved(world)
    assert case.next_deadline == D(2025, 4, 15)
    refused(
        lambda: services.case_record_payment(
            actor=world.officer_user, case=case, amount_yuan="5000", on=D(2025, 3, 20)
        ),
        "payment_plan_active",
        case,
    )


def test_no_surcharge_before_each_instalments_own_due_date(world: CaseWorld) -> None:
    case = _approved(world)
    # after the original 2025-03-26, but on the instalment's date: no surcharge
    assert _pay(world, case, "2500", D(2025, 4, 15)).surcharge_yuan == Decimal("0")
    # the second, five days late: 2500 × 3 % × 5 = 375
    refused(lambda: _pay(world, reload(case), "2500", D(2025, 5, 20)), "amount_mismatch", case)
    last = _pay(world, reload(case), "2875", D(2025, 5, 20))
    assert last.surcharge_yuan == Decimal("375")
    case = reload(case)
    assert case.paid_on == D(2025, 5, 20) and case.paid_yuan == Decimal("5375")
    assert case.surcharge_yuan == Decimal("375")


def test_no_demand_until_an_instalment_is_missed(world: CaseWorld) -> None:
    case = _approved(world)

    def demand(on):
        return services.enforcement_demand(actor=world.officer_user, case=reload(case), on=on)

    refused(lambda: demand(D(2025, 4, 1)), "payment_plan_not_missed", case)  # past 03-26, plan kept
    refused(lambda: demand(D(2025, 4, 15)), "payment_plan_not_missed", case)  # due today, not missed
    made = demand(D(2025, 4, 16))
    # what is unpaid: both instalments, the first one day late (2500 × 3 % = 75)
    assert made.amount_yuan == Decimal("5075")


def test_the_court_window_runs_from_the_missed_instalment(world: CaseWorld) -> None:
    from zhifa.cases import guards

    late = D(2026, 1, 15)
    case = served(world, "5000")
    _apply(world, case, schedule=f"2025-06-15 2500\n{late.isoformat()} 2500")
    _approve(world, reload(case))
    _pay(world, reload(case), "2500", D(2025, 6, 13))
    services.enforcement_demand(actor=world.officer_user, case=reload(case), on=D(2026, 1, 16))
    normal_last = limits.court_application_window(D(2025, 3, 11))[1]
    assert normal_last < D(2026, 1, 16)
    on = D(2026, 2, 2)  # after the ten working days of the demand, past the normal window
    guards._c_court(reload(case), on)  # no court_window_closed: three months from the missed instalment


def test_the_plan_must_cover_what_is_owed_and_come_in_time(world: CaseWorld) -> None:
    case = served(world, "5000")
    refused(
        lambda: _apply(world, case, "2025-04-15 2000\n2025-05-15 2500"),
        "schedule_total_mismatch",
        case,
        exc=InvalidInput,
    )
    refused(lambda: _apply(world, case, "2025-04-15 5000"), "invalid_input", case, exc=InvalidInput)
    refused(lambda: _apply(world, case, "下个月 5000", kind="defer"), "invalid_input", case, exc=InvalidInput)
    # applied after the payment period, with a surcharge already accrued
    refused(
        lambda: _apply(world, case, "2025-05-15 5000", kind="defer", on=D(2025, 3, 28)),
        "payment_overdue",
        case,
    )
    assert _apply(world, case, "2025-05-15 5000", kind="defer").status == "applied"


def test_only_the_head_approves_and_a_refusal_needs_its_reason(world: CaseWorld) -> None:
    case = served(world, "5000")
    _apply(world, case)
    refused(
        lambda: payments.payment_plan_approve(actor=world.officer_user, case=reload(case), approve=True),
        "permission_denied",
        case,
        exc=PermissionDenied,
    )
    refused(lambda: _approve(world, reload(case), approve=False), "required", case, exc=InvalidInput)
    plan = _approve(world, reload(case), approve=False, note="未提供经济困难的证明")
    assert plan.status == "refused"
    assert reload(case).next_deadline == D(2025, 3, 26)


def test_the_head_approves_on_the_case_page(world: CaseWorld, client) -> None:
    case = served(world, "5000")
    _apply(world, case)
    client.force_login(world.head)
    response = client.post(
        f"/cases/{case.pk}/act/payment_plan_approve/",
        {"payment_plan_approve-on": "2025-03-13", "payment_plan_approve-approve": "on"},
    )
    assert response.status_code == 302
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="instalments"' in html and "分期缴纳（已批准" in html


def test_an_application_whose_first_date_has_passed_is_not_approved(world: CaseWorld) -> None:
    case = served(world, "5000")
    _apply(world, case)  # first instalment 2025-04-15
    refused(lambda: _approve(world, reload(case), on=D(2025, 4, 15)), "payment_plan_stale", case)
    assert _approve(world, reload(case), on=D(2025, 4, 14)).status == "approved"
