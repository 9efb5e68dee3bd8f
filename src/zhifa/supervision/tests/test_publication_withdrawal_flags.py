"""行政处罚法 第四十八条第二款: a publication not withdrawn within three working days of the decision's revocation is
late in the agency's and the supervisor's queue (the disclosure flag source, read through the supervision queue)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.cases import corrections
from zhifa.core import clock
from zhifa.disclosure.tests.test_lifecycle import _publish_on
from zhifa.supervision.selectors import flags_queue
from zhifa.supervision.services.flags import flags_scan
from zhifa.testing.worlds import decide_simple

pytestmark = pytest.mark.django_db

D = dt.date


def test_a_revoked_decision_not_withdrawn_in_three_working_days_is_late_in_the_agency_and_supervisor_queue(
    world,
) -> None:
    # 行政处罚法 第四十八条第二款 (三日内撤回), 第八十五条 (working days): Thu 03-20 → due Tue 03-25
    case = decide_simple(world)
    p = _publish_on(world, case)
    with clock.set_during(D(2025, 3, 20)):
        corrections.case_revoke_decision(actor=world.head, case=case, reason="事实不清", on=D(2025, 3, 20))
    with clock.set_during(D(2025, 3, 25)):
        flags_scan(kinds=["publication_withdrawal_overdue", "publication_withdrawal_due"])
        assert not flags_queue(world.head, kind="publication_withdrawal_overdue").exists()
    with clock.set_during(D(2025, 3, 26)):
        flags_scan(kinds=["publication_withdrawal_overdue", "publication_withdrawal_due"])
        for user in (world.head, world.supervisor):
            late = flags_queue(user, kind="publication_withdrawal_overdue")
            assert [f.object_id for f in late] == [str(p.pk)]
        assert not flags_queue(world.outsider, kind="publication_withdrawal_overdue").exists()
