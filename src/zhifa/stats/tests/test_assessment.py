"""考评: weights are integers summing to 100, indicators computed from the data, agencies ranked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhifa.cases.tests.helpers import CaseWorld
from zhifa.core.errors import InvalidInput, PermissionDenied
from zhifa.stats import services
from zhifa.stats.models import AssessmentScore, Indicator
from zhifa.stats.tests.helpers import decided, outsider_supervisor


def _scheme(world: CaseWorld, indicators, actor=None):
    return services.assessment_scheme_create(
        actor=actor or world.supervisor,
        region=world.county,
        year=2025,
        name="2025 年度执法考评",
        indicators=indicators,
    )


@pytest.mark.parametrize(
    ("indicators", "code"),
    [
        ([], "no_indicators"),
        ([{"code": "timeliness", "weight": 60}, {"code": "review_pass", "weight": 30}], "weights_not_100"),
        ([{"code": "timeliness", "weight": 50}, {"code": "timeliness", "weight": 50}], "duplicate_indicator"),
        ([{"code": "speed", "weight": 100}], "unknown_indicator"),
        ([{"code": "timeliness", "weight": 0}, {"code": "review_pass", "weight": 100}], "bad_weight"),
        ([{"code": "timeliness", "weight": "50.5"}, {"code": "review_pass", "weight": 49.5}], "bad_weight"),
    ],
)
def test_a_scheme_whose_weights_are_not_integers_summing_to_100_is_refused(
    world: CaseWorld, indicators, code
) -> None:
    with pytest.raises(InvalidInput) as exc:
        _scheme(world, indicators)
    assert exc.value.code == code


def test_agencies_are_scored_by_the_weighted_indicators_and_ranked(world: CaseWorld) -> None:
    decided(world)  # on time: timeliness 100 for the agency; the other agency has no decisions
    scheme = _scheme(
        world, [{"code": Indicator.TIMELINESS, "weight": 70}, {"code": Indicator.LITIGATION, "weight": 30}]
    )
    services.assessment_score(actor=world.supervisor, scheme=scheme)
    scores = {s.agency_id: s for s in AssessmentScore.objects.filter(scheme=scheme)}
    mine, other = scores[world.agency.pk], scores[world.other_agency.pk]
    # No litigation data: that indicator is left out and timeliness counts for the full 100.
    assert mine.total == Decimal("100.00") and mine.rank == 1
    assert mine.detail == {"timeliness": "100.00", "litigation": None}
    assert other.total == Decimal("0.00") and other.rank == 2


def test_only_a_supervisor_of_the_region_manages_assessment(world: CaseWorld) -> None:
    with pytest.raises(PermissionDenied):
        _scheme(world, [{"code": "timeliness", "weight": 100}], actor=outsider_supervisor())
    with pytest.raises(PermissionDenied):
        _scheme(world, [{"code": "timeliness", "weight": 100}], actor=world.head)
    scheme = _scheme(world, [{"code": "timeliness", "weight": 100}])
    with pytest.raises(PermissionDenied):
        services.assessment_score(actor=outsider_supervisor(), scheme=scheme)
