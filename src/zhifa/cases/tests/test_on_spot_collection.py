"""行政处罚法 第六十八条至第七十一条: 当场收缴罚款 only on its grounds, with the finance department's receipt
(number recorded), handed in to the agency within two working days (on water: of reaching the shore) and
by the agency to the bank within two more; missed deadlines are flagged."""

from __future__ import annotations

from decimal import Decimal

from zhifa.cases import payments, services
from zhifa.cases.tests.fine_helpers import D, served, simple
from zhifa.cases.tests.helpers import CaseWorld, reload
from zhifa.cases.tests.test_rules import refused
from zhifa.core.errors import InvalidInput


def _collect(world: CaseWorld, case, ground: str = "small_fine", receipt: str = "财票00012345", **kwargs):
    kwargs.setdefault("on", case.decided_on)
    return payments.collect_on_spot(
        actor=world.officer_user, case=case, ground=ground, receipt_number=receipt, **kwargs
    )


def test_a_fine_of_100_yuan_or_less_is_collected_on_the_spot(world: CaseWorld) -> None:
    case = simple(world, "100")  # Monday 2025-03-03
    collection = _collect(world, case)
    assert collection.amount_yuan == Decimal("100") and collection.receipt_number == "财票00012345"
    assert collection.hand_in_due == D(2025, 3, 5)  # two working days
    case = reload(case)
    assert case.paid_on == D(2025, 3, 3) and case.next_deadline == D(2025, 3, 5)


def test_over_100_yuan_needs_another_ground(world: CaseWorld) -> None:
    case = simple(world, "100.01")
    refused(lambda: _collect(world, case), "collection_not_allowed", case)
    assert _collect(world, reload(case), ground="hard_to_enforce").amount_yuan == Decimal("100.01")


def test_the_general_procedure_collects_only_in_remote_areas_at_the_partys_request(world: CaseWorld) -> None:
    case = served(world, "5000")
    refused(
        lambda: _collect(world, case, ground="hard_to_enforce", on=D(2025, 3, 11)),
        "collection_not_allowed",
        case,
    )
    refused(lambda: _collect(world, case, ground="remote", on=D(2025, 3, 11)), "collection_not_allowed", case)
    done = _collect(world, reload(case), ground="remote", party_requested=True, on=D(2025, 3, 11))
    assert done.ground == "remote"


def test_no_collection_without_the_receipt(world: CaseWorld) -> None:
    case = simple(world, "50")
    refused(lambda: _collect(world, case, receipt=" "), "receipt_required", case)


def test_money_handed_in_late_needs_the_reason_and_the_bank_follows(world: CaseWorld) -> None:
    case = simple(world, "50")
    _collect(world, case)

    def hand_in(reason: str = ""):
        return payments.collection_hand_in(
            actor=world.officer_user, case=reload(case), late_reason=reason, on=D(2025, 3, 6)
        )

    refused(hand_in, "hand_in_overdue", case)
    collection = hand_in("暴雨封路")
    assert collection.handed_in_on == D(2025, 3, 6) and collection.bank_due == D(2025, 3, 10)
    refused(
        lambda: payments.collection_bank(actor=world.head, case=reload(case), on=D(2025, 3, 11)),
        "bank_overdue",
        case,
    )
    assert payments.collection_bank(actor=world.head, case=reload(case), on=D(2025, 3, 10)).banked_on == D(
        2025, 3, 10
    )


def test_on_water_the_two_days_run_from_the_shore(world: CaseWorld) -> None:
    case = simple(world, "50")
    collection = _collect(world, case, ground="remote", party_requested=True, on_water=True)
    assert collection.hand_in_due is None
    refused(
        lambda: payments.collection_hand_in(actor=world.officer_user, case=reload(case), on=D(2025, 3, 10)),
        "invalid_input",
        case,
        exc=InvalidInput,
    )
    done = payments.collection_hand_in(
        actor=world.officer_user, case=reload(case), ashore_on=D(2025, 3, 7), on=D(2025, 3, 10)
    )
    assert done.hand_in_due == D(2025, 3, 11)  # Friday ashore → Tuesday


def test_a_case_closes_only_once_the_money_is_banked(world: CaseWorld) -> None:
    case = simple(world, "50")
    _collect(world, case)
    services.case_simple_file(actor=world.officer_user, case=reload(case), on=D(2025, 3, 4))
    refused(
        lambda: services.case_close(actor=world.head, case=reload(case), on=D(2025, 3, 4)),
        "collection_not_banked",
        case,
    )


def test_money_not_handed_in_is_flagged(world: CaseWorld) -> None:
    case = simple(world, "50")
    _collect(world, case)
    flags = list(payments.collection_overdue_flags())
    assert [f.key for f in flags] == [f"case:{case.pk}:hand_in_due"]
    assert "逾期未交至行政机关" in flags[0].title


def test_collection_from_the_case_page(world: CaseWorld, client) -> None:
    case = simple(world, "50")
    client.force_login(world.officer_user)
    url = f"/cases/{case.pk}/act/collect_on_spot/"
    data = {"collect_on_spot-on": "2025-03-03", "collect_on_spot-ground": "small_fine"}
    response = client.post(url, data)
    assert response.status_code == 422 and "专用票据" in response.content.decode()
    response = client.post(url, {**data, "collect_on_spot-receipt_number": "财票1"})
    assert response.status_code == 302
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="collection"' in html and "财票1" in html and "已逾期" in html
