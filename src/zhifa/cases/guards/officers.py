"""The officers of a case: who may enforce it on a date (two certified officers, 行政处罚法 第四十二条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.cases import limits
from zhifa.cases.models import Case
from zhifa.core.errors import RuleViolation
from zhifa.org.selectors import officer_can_enforce


def eligible_officers(case: Case, on: dt.date) -> tuple[list[Any], list[str]]:
    """The case's officers who may enforce in its domain on ``on``, and why the others may not."""
    able: list[Any] = []
    reasons: list[str] = []
    for link in case.officer_links.select_related("officer").all():
        decision = officer_can_enforce(link.officer, case.domain, on=on)
        if decision.allowed:
            able.append(link.officer)
        else:
            reasons.extend(decision.reasons)
    return able, reasons


def check_officers(case: Case, on: dt.date) -> None:
    """行政处罚法 第四十二条、第五十五条: at least two officers who hold a valid certificate for the domain."""
    able, reasons = eligible_officers(case, on)
    if len(able) < limits.MIN_OFFICERS:
        detail = "；".join(reasons)
        raise RuleViolation(
            f"调查、检查和现场执法须由两名以上具备执法资格的执法人员进行（行政处罚法第四十二条、第五十五条），"
            f"本案仅有 {len(able)} 名。{detail}",
            f"At least two officers entitled to enforce in this domain are required (Art. 42, 55); "
            f"the case has {len(able)}.",
            code="officers_insufficient",
            details={"eligible": len(able), "reasons": reasons},
        )
