"""集体讨论 (行政处罚法 第五十七条第二款): heads only, a configurable quorum, dissent recorded, before the decision."""

from __future__ import annotations

import pytest

from zhifa.cases.models import CollectiveDiscussion, Stage
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.org.models import Role
from zhifa.review import services
from zhifa.review.models import Discussion
from zhifa.review.tests.helpers import WAIVED_ON, another, ready_case


def _heads(world, n: int):
    return [world.head] + [another(Role.AGENCY_HEAD, world) for _ in range(n - 1)]


def _record(world, case, heads, **kw):
    values = {
        "participants": [{"user": h, "opinion": "同意", "dissent": False} for h in heads],
        "host": heads[0],
        "minutes": "局务会讨论本案。",
        "decision": "同意按拟处理意见作出处罚。",
        "on": WAIVED_ON,
    }
    values.update(kw)
    return services.discussion_record(actor=world.head, case=case, **values)


def test_quorum_refused_below_and_accepted_at(world) -> None:
    case = ready_case(world)
    heads = _heads(world, 3)
    with pytest.raises(RuleViolation) as exc:
        _record(world, case, heads[:2])
    assert exc.value.code == "discussion_quorum"
    assert not CollectiveDiscussion.objects.filter(case=case).exists()
    discussion = _record(world, case, heads)
    case.refresh_from_db()
    assert case.stage == Stage.COLLECTIVE_DISCUSSION
    assert discussion.participants.count() == 3
    assert CollectiveDiscussion.objects.get(case=case).pk == discussion.case_discussion_id


def test_quorum_is_configurable(world) -> None:
    services.review_settings_set(
        actor=world.head,
        agency=world.agency,
        time_limit_working_days=7,
        remind_working_days=2,
        discussion_quorum=2,
    )
    _record(world, ready_case(world), _heads(world, 2))


def test_participants_must_be_heads_and_dissent_needs_its_opinion(world) -> None:
    case = ready_case(world)
    heads = _heads(world, 3)
    with pytest.raises(InvalidInput) as exc:
        _record(world, case, [*heads[:2], world.reviewer])
    assert exc.value.code == "participant_not_head"
    people = [{"user": h, "opinion": "", "dissent": i == 2} for i, h in enumerate(heads)]
    with pytest.raises(InvalidInput):
        _record(world, case, heads, participants=people)
    people[2]["opinion"] = "应从轻处罚"
    discussion = _record(world, case, heads, participants=people)
    assert list(discussion.participants.filter(dissent=True).values_list("opinion", flat=True)) == [
        "应从轻处罚"
    ]


def test_only_heads_record_and_not_before_an_agreed_review_where_one_is_needed(world) -> None:
    case = ready_case(world, fine="200000")  # statutory major for an organisation: review + discussion
    heads = _heads(world, 3)
    with pytest.raises(PermissionDenied):
        services.discussion_record(
            actor=world.officer_user, case=case, participants=[], host=world.head, minutes="m", decision="d"
        )
    with pytest.raises(RuleViolation) as exc:
        _record(world, case, heads)
    assert exc.value.code == "legal_review_required"
    assert not Discussion.objects.exists()
