"""行政处罚法 第三十五条: a criminal fine (罚金) for the same act offsets the administrative fine — what is still owed
is the fine less the 罚金, never below zero; with a 罚金 before any fine, no fine is given."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from zhifa.cases import fines, payments, services
from zhifa.cases.tests.fine_helpers import BASIS, D, notify, reviewed, served
from zhifa.cases.tests.helpers import CaseWorld, reload
from zhifa.cases.tests.test_rules import refused
from zhifa.core.errors import InvalidInput
from zhifa.records.models import LedgerEntry

JUDGED = D(2025, 3, 18)
RECORDED = D(2025, 3, 20)
PAID = D(2025, 3, 21)


def _judgment(
    world: CaseWorld, case, fine: str | None = "2000", custody: str = "", on=RECORDED, judged_on=JUDGED
):
    return payments.criminal_judgment_record(
        actor=world.officer_user,
        case=case,
        court="测县人民法院",
        number="（2025）测刑初1号",
        judged_on=judged_on,
        criminal_fine_yuan=fine,
        custody=custody,
        on=on,
    )


def _pay(world: CaseWorld, case, amount: str, on=PAID):
    return services.case_record_payment(actor=world.officer_user, case=case, amount_yuan=amount, on=on)


def test_the_criminal_fine_is_taken_off_what_is_owed(world: CaseWorld) -> None:
    case = served(world, "5000")
    _judgment(world, case, "2000")
    assert fines.fine_payable(reload(case)) == Decimal("3000")
    refused(lambda: _pay(world, reload(case), "5000"), "amount_mismatch", case)
    assert _pay(world, reload(case), "3000").paid_yuan == Decimal("3000")
    entry = LedgerEntry.objects.get(action="case.record_criminal_judgment", object_id=str(case.pk))
    changes = json.loads(entry.changes)
    assert changes["fine_payable_before"] == "5000.00" and changes["fine_payable"] == "3000.00"


def test_the_surcharge_runs_on_what_is_left_after_the_offset(world: CaseWorld) -> None:
    case = served(world, "5000")  # due 2025-03-26
    _judgment(world, case, "2000")
    # two days late: 3000 × 3 % × 2 = 180
    refused(lambda: _pay(world, reload(case), "3300", on=D(2025, 3, 28)), "amount_mismatch", case)
    assert _pay(world, reload(case), "3180", on=D(2025, 3, 28)).surcharge_yuan == Decimal("180")


def test_a_criminal_fine_above_the_fine_leaves_nothing_owed(world: CaseWorld) -> None:
    case = served(world, "5000")
    _judgment(world, case, "6000")
    assert fines.fine_payable(reload(case)) == Decimal("0")
    refused(lambda: _pay(world, reload(case), "0"), "fine_offset", case)


def test_no_fine_after_a_criminal_fine(world: CaseWorld) -> None:
    case = reviewed(world)
    _judgment(world, case, "2000", on=D(2025, 3, 10), judged_on=D(2025, 3, 7))
    refused(lambda: notify(world, reload(case)), "criminal_fine_imposed", case)
    assert notify(world, reload(case), fine=None).stage == "notified"  # a warning may still be given


def test_custody_alone_does_not_stop_a_fine(world: CaseWorld) -> None:
    case = reviewed(world)
    _judgment(world, case, None, custody="拘役三个月", on=D(2025, 3, 10), judged_on=D(2025, 3, 7))
    assert notify(world, reload(case)).stage == "notified"


def test_a_judgment_needs_a_fine_or_a_custody(world: CaseWorld) -> None:
    case = served(world, "5000")
    refused(lambda: _judgment(world, case, None), "invalid_input", case, exc=InvalidInput)


@pytest.mark.parametrize("fine", ["4999.99", "5000"])
def test_a_judgment_is_listed_on_the_case_page(world: CaseWorld, client, fine: str) -> None:
    case = served(world, "5000")
    _judgment(world, case, fine)
    client.force_login(world.officer_user)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="criminal-judgments"' in html and "（2025）测刑初1号" in html
    shown = html[html.index("fine-payable") :][:40]
    assert str(Decimal("5000") - Decimal(fine)) in shown, shown
    assert BASIS
