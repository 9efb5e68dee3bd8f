"""The demo county's statistics step: facts equal a rebuild, an evaluation plan with scored files, a scored
assessment (when the demo has closed cases)."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.stats import aggregates
from zhifa.stats.models import AssessmentScheme, SchemeStatus

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_its_statistics(demo_county: Any) -> None:
    from zhifa.cases.models import Case, Stage
    from zhifa.evaluation.models import EvaluationFile, FileStatus

    expected, _ = aggregates.compute()
    assert aggregates.stored() == aggregates.nonzero(expected)
    assert AssessmentScheme.objects.filter(status=SchemeStatus.SCORED).exists()
    if Case.objects.filter(stage__in=[Stage.CLOSED, Stage.ARCHIVED]).exists():
        assert EvaluationFile.objects.filter(status=FileStatus.CONFIRMED).exists()
