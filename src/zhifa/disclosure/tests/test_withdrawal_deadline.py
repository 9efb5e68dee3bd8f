"""行政处罚法 第四十八条第二款 — a published decision changed, revoked, confirmed unlawful or void is withdrawn
within three working days with the reason made public: supervision is flagged until it is, as overdue after."""

from __future__ import annotations

import datetime as dt

from zhifa.cases import corrections
from zhifa.core import clock
from zhifa.disclosure import selectors, services
from zhifa.disclosure.models import PublicationStatus
from zhifa.disclosure.tests.helpers import publication_of, publish
from zhifa.supervision.models import Flag
from zhifa.testing.worlds import decide_simple

D = dt.date
REVOKED_ON = D(2025, 3, 20)


def revoked_after_publication(world, on: dt.date = REVOKED_ON):  # type: ignore[no-untyped-def]
    case = decide_simple(world)
    p = publish(world, case)
    with clock.set_during(on):
        corrections.case_revoke_decision(actor=world.head, case=case, reason="事实认定错误，自行纠正", on=on)
    return case, p


def test_a_revoked_published_decision_is_flagged_until_withdrawn_in_time(world) -> None:
    _case, p = revoked_after_publication(world)
    assert Flag.objects.filter(kind="publication_withdrawal_due", key=f"publication:{p.pk}:withdraw").exists()
    with clock.set_during(D(2025, 3, 25)):  # Thu 03-20 + 3 working days: due Tue 03-25
        flags = list(selectors.withdrawal_due_flags())
        assert [f.key for f in flags] == [f"publication:{p.pk}:withdraw"] and flags[0].due == D(2025, 3, 25)
        assert list(selectors.withdrawal_overdue_flags()) == []
        services.publication_withdraw(
            actor=world.head, publication=p, kind="revoked", reason="原处罚决定已撤销"
        )
        assert list(selectors.withdrawal_due_flags()) == []
        assert list(selectors.withdrawal_overdue_flags()) == []


def test_a_revoked_decision_still_public_after_three_working_days_is_overdue(world) -> None:
    _case, p = revoked_after_publication(world)
    with clock.set_during(D(2025, 3, 26)):
        assert list(selectors.withdrawal_due_flags()) == []
        flags = list(selectors.withdrawal_overdue_flags())
        assert [f.key for f in flags] == [f"publication:{p.pk}:withdraw"] and flags[0].severity == "serious"


def test_a_draft_of_a_revoked_decision_is_withdrawn_before_it_appears(world) -> None:
    case = decide_simple(world)
    with clock.set_during(D(2025, 3, 5)):
        corrections.case_revoke_decision(actor=world.head, case=case, reason="自行纠正", on=D(2025, 3, 5))
    p = publication_of(case)
    assert p.status == PublicationStatus.WITHDRAWN and p.published_at is None
    assert "撤销" in p.withdraw_reason
    assert list(selectors.withdrawal_due_flags()) == []


def test_an_upheld_decision_is_not_flagged(world) -> None:
    case = decide_simple(world)
    publish(world, case)
    assert list(selectors.withdrawal_due_flags()) == [] and list(selectors.withdrawal_overdue_flags()) == []
