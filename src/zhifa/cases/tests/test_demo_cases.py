"""The demo county's cases: built through the real services, in every stage of both procedures, on
demo_officer's workbench, with a complete ledger that verifies."""

from __future__ import annotations

import pytest

from zhifa.cases import selectors
from zhifa.cases.models import Case, Procedure, Seizure, SeizureKind, SeizureStatus, Stage
from zhifa.core import clock
from zhifa.org.models import User
from zhifa.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evidence_dirs() -> None:
    """Keep the session's data directory here: the demo county was built with it (module scope), and the
    ledger's signed tree heads were signed with the key under it (conftest's per-test directory would not
    trust them)."""


EXPECTED_STAGES = {
    Stage.SOURCE,
    Stage.NOT_OPENED,
    Stage.OPENED,
    Stage.INVESTIGATION,
    Stage.REVIEW,
    Stage.NOTIFIED,
    Stage.HEARING,
    Stage.LEGAL_REVIEW,
    Stage.DECIDED,
    Stage.SERVED,
    Stage.EXECUTING,
    Stage.CLOSED,
    Stage.ARCHIVED,
    Stage.NOT_PUNISHED,
    Stage.TRANSFERRED,
    Stage.WITHDRAWN,
}


def test_demo_has_cases_in_every_stage_of_both_procedures(demo_county) -> None:
    stages = set(Case.objects.values_list("stage", flat=True))
    assert stages >= EXPECTED_STAGES, EXPECTED_STAGES - stages
    simple = Case.objects.filter(procedure=Procedure.SIMPLE)
    assert simple.filter(stage=Stage.CLOSED).exists() and simple.filter(filed_on__isnull=True).exists()
    assert Case.objects.filter(stage=Stage.LEGAL_REVIEW, proposed_fine_yuan__gte=100000).exists()
    assert Case.objects.filter(stage=Stage.NOTIFIED, hearing_right=True).exists()
    assert Seizure.objects.filter(kind=SeizureKind.DETAIN, status=SeizureStatus.ACTIVE).exists()
    assert Seizure.objects.filter(kind=SeizureKind.PRESERVE, status=SeizureStatus.ACTIVE).exists()
    assert Case.objects.filter(extensions__isnull=False).exists()
    # parties of both kinds, and more than one agency
    kinds = set(Case.objects.values_list("parties__kind", flat=True))
    assert "legal_person" in kinds and kinds & {"natural_person", "individual_business"}
    assert Case.objects.values("agency").distinct().count() >= 2


def test_demo_dates_are_in_the_past_and_an_overdue_case_shows(demo_county) -> None:
    today = clock.today()
    assert not Case.objects.filter(stage_entered_on__gt=today).exists()
    assert not Case.objects.filter(source_received_on__gt=today).exists()
    officer = User.objects.get(username="demo_officer")
    assert selectors.cases_past_limit(officer, today).filter(stage=Stage.INVESTIGATION).exists()
    mine, _ = selectors.my_cases_by_deadline(officer)
    assert len(mine) >= 10


def test_every_demo_case_has_its_ledger_trail_and_the_ledger_verifies(demo_county) -> None:
    from zhifa.records.verify import verify_ledger

    for case in Case.objects.all():
        actions = set(
            LedgerEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).values_list(
                "action", flat=True
            )
        )
        first = "case.simple_decide" if case.procedure == Procedure.SIMPLE else "case.register_source"
        assert first in actions, case
        if case.opened_on and case.procedure == Procedure.GENERAL:
            assert "case.open" in actions
    result = verify_ledger(include_evidence=False)
    assert result.ok, result.failures[:3]
