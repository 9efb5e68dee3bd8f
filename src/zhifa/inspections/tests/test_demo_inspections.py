"""The demo county's inspections: a published plan, a drawn task whose draw re-runs from its published
values, filed visits in every state on demo_officer's list, and the warnings they raise."""

from __future__ import annotations

import pytest

from zhifa.inspections import selectors
from zhifa.inspections.draw import rerun
from zhifa.inspections.models import (
    DrawRecord,
    Inspection,
    InspectionPlan,
    InspectionStatus,
    InspectionWarning,
    OfflineAction,
    Outcome,
    PlanStatus,
    WarningKind,
)
from zhifa.org.demo import COUNTY
from zhifa.org.models import User

pytestmark = pytest.mark.django_db


def test_demo_has_a_published_plan_and_a_draw_anyone_can_re_run(demo_county) -> None:
    published = InspectionPlan.objects.filter(status=PlanStatus.PUBLISHED)
    assert published.filter(agency__region__code=COUNTY[0]).count() == 1  # and one in 示范县二
    draws = DrawRecord.objects.filter(task__plan_item__plan__in=published)
    assert draws.exists() and draws.count() == DrawRecord.objects.count()
    for draw in draws:
        rerun(selectors.draw_published(draw.task_id))  # raises on the first value that does not match


def test_demo_officer_has_visits_in_every_state_to_handle_on_the_phone(demo_county) -> None:
    mine = selectors.officer_open_inspections(User.objects.get(username="demo_officer"))
    statuses = set(mine.values_list("status", flat=True))
    assert {InspectionStatus.PLANNED, InspectionStatus.CHECKED_IN} <= statuses
    assert mine.filter(status=InspectionStatus.DONE, outcome=Outcome.RECTIFY).exists()
    assert Inspection.objects.filter(outcome=Outcome.CASE).exists()


def test_demo_raises_unfiled_and_repeated_warnings(demo_county) -> None:
    kinds = set(InspectionWarning.objects.values_list("kind", flat=True))
    assert {WarningKind.UNFILED, WarningKind.REPEATED} <= kinds


def test_demo_keeps_an_offline_check_in_for_a_cancelled_task_as_a_conflict(demo_county) -> None:
    conflict = OfflineAction.objects.get(state="conflict")
    assert conflict.reason_code == "task_cancelled" and conflict.inspection.task.status == "cancelled"
    assert conflict.synced_at > conflict.captured_at
