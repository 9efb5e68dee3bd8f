"""审核时限: reminders before the limit, escalation to the head after it (once each), the supervision flag."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from zhifa.core import flags
from zhifa.records.models import LedgerEntry
from zhifa.review import selectors, services
from zhifa.review.tests.helpers import ready_case, review_round, submit

# Submitted on Tuesday 2025-03-11: 7 working days → due Thursday 2025-03-20; reminder 2 working days before.


def _actions(request) -> list[str]:
    rows = LedgerEntry.objects.filter(object_type="review.reviewrequest", object_id=str(request.pk))
    return list(rows.order_by("seq").values_list("action", flat=True))


def test_time_limit_is_configurable_per_agency(world) -> None:
    services.review_settings_set(
        actor=world.head,
        agency=world.agency,
        time_limit_working_days=3,
        remind_working_days=1,
        discussion_quorum=3,
    )
    request = submit(world, ready_case(world))
    assert request.due_on == dt.date(2025, 3, 14)


def test_reminder_then_escalation_once_each(world) -> None:
    request = submit(world, ready_case(world))
    assert request.due_on == dt.date(2025, 3, 20)
    assert services.review_sweep(on=dt.date(2025, 3, 17)) == {
        "reminded": 0,
        "escalated": 0,
    }  # 3 working days left
    assert services.review_sweep(on=dt.date(2025, 3, 18)) == {"reminded": 1, "escalated": 0}  # 2 left
    assert services.review_sweep(on=dt.date(2025, 3, 20)) == {
        "reminded": 0,
        "escalated": 0,
    }  # due day, reminded
    assert services.review_sweep(on=dt.date(2025, 3, 21)) == {"reminded": 0, "escalated": 1}
    assert services.review_sweep(on=dt.date(2025, 3, 24)) == {"reminded": 0, "escalated": 0}
    request.refresh_from_db()
    assert request.reminded_on == dt.date(2025, 3, 18)
    assert request.escalated_on == dt.date(2025, 3, 21)
    assert _actions(request) == ["review.submit", "review.remind", "review.escalate"]


def test_escalation_raises_the_supervision_flag_and_the_source_keeps_it_until_concluded(world) -> None:
    heard = []
    listener = flags.listen(heard.append)
    try:
        request = submit(world, ready_case(world))
        call_command("review_sweep", "--on", "2025-03-21")
    finally:
        flags._listeners.remove(listener)
    assert [f.key for f in heard] == [f"review:{request.pk}"]
    assert heard[0].kind == "legal_review_overdue" and heard[0].agency_id == world.agency.pk
    assert "legal_review_overdue" in flags.sources()
    assert [f.key for f in selectors.overdue_flags(None)] == [f"review:{request.pk}"]


def test_a_concluded_round_is_neither_reminded_nor_flagged(world) -> None:
    request = review_round(world, ready_case(world), agreed=True)
    assert services.review_sweep(on=dt.date(2025, 4, 30)) == {"reminded": 0, "escalated": 0}
    assert list(selectors.overdue_flags(None)) == []
    assert request.escalated_on is None
