"""The proposed penalty and what it triggers: party kinds and thresholds, the right to a hearing, legal review
(法制审核) and collective discussion (集体讨论).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zhifa.cases import hooks, limits
from zhifa.cases.models import Case, PenaltyKind

# --- party kinds and thresholds ------------------------------------------------------------------------------


def party_kinds(case: Case) -> list[str]:
    cached = getattr(case, "_party_kinds", None)
    if cached is None:
        cached = list(case.party_links.values_list("party__kind", flat=True)) if case.pk else []
        case._party_kinds = cached  # type: ignore[attr-defined]
    return cached


def threshold(case: Case, citizen_key: str, organisation_key: str) -> Decimal:
    """The fine threshold for the case's parties: the citizen one if any party is a citizen (the stricter)."""
    kinds = party_kinds(case)
    if not kinds or any(limits.is_citizen(k) for k in kinds):
        return limits.setting_yuan(citizen_key)
    return limits.setting_yuan(organisation_key)


def _money(value: Any) -> Decimal:
    return Decimal(value) if value is not None else Decimal(0)


@dataclass(frozen=True)
class Penalty:
    kinds: tuple[str, ...]
    fine_yuan: Decimal
    confiscation_yuan: Decimal


def proposed_penalty(case: Case) -> Penalty:
    return Penalty(
        tuple(case.proposed_kinds or ()),
        _money(case.proposed_fine_yuan),
        _money(case.proposed_confiscation_yuan),
    )


def hearing_right_reasons(case: Case, penalty: Penalty) -> list[str]:
    """行政处罚法 第六十三条 — why the party may ask for a hearing on this proposed penalty."""
    reasons = []
    limit = threshold(case, "HEARING_FINE_CITIZEN_YUAN", "HEARING_FINE_ORGANISATION_YUAN")
    if PenaltyKind.FINE in penalty.kinds and penalty.fine_yuan >= limit:
        reasons.append(f"较大数额罚款（{penalty.fine_yuan} 元，标准 {limit} 元以上）")
    confiscating = {PenaltyKind.CONFISCATE_INCOME, PenaltyKind.CONFISCATE_PROPERTY} & set(penalty.kinds)
    if confiscating and penalty.confiscation_yuan >= limit:
        reasons.append(f"没收较大数额违法所得或较大价值非法财物（{penalty.confiscation_yuan} 元）")
    for kind in (
        PenaltyKind.LOWER_QUALIFICATION,
        PenaltyKind.REVOKE_LICENCE,
        PenaltyKind.STOP_BUSINESS,
        PenaltyKind.CLOSE,
        PenaltyKind.RESTRICT_PRACTICE,
    ):
        if kind in penalty.kinds:
            reasons.append(str(PenaltyKind(kind).label))
    return reasons


def _major_reasons(case: Case, penalty: Penalty) -> list[str]:
    reasons = []
    limit = threshold(case, "MAJOR_FINE_CITIZEN_YUAN", "MAJOR_FINE_ORGANISATION_YUAN")
    if PenaltyKind.FINE in penalty.kinds and penalty.fine_yuan >= limit:
        reasons.append(f"罚款 {penalty.fine_yuan} 元达到重大标准（{limit} 元以上）")
    confiscating = {PenaltyKind.CONFISCATE_INCOME, PenaltyKind.CONFISCATE_PROPERTY} & set(penalty.kinds)
    if confiscating and penalty.confiscation_yuan >= limit:
        reasons.append(f"没收金额/价值 {penalty.confiscation_yuan} 元达到重大标准")
    for kind in (PenaltyKind.REVOKE_LICENCE, PenaltyKind.STOP_BUSINESS, PenaltyKind.CLOSE):
        if kind in penalty.kinds:
            reasons.append(str(PenaltyKind(kind).label))
    return reasons


def legal_review_reasons(case: Case, penalty: Penalty, on: dt.date | None = None) -> list[str]:
    """行政处罚法 第五十八条 — why this decision needs legal review first (the catalog issue extends this).

    ``on``: as of that day (the agency's catalog then in force), for checking a decision already made.
    """
    reasons = _major_reasons(case, penalty)
    if case.hearing_held_on:
        reasons.append("经过听证程序（第五十八条第一款第二项）")
    if case.is_complex:
        reasons.append("案件情况疑难复杂（第五十八条第一款第三项）")
    for reason in hooks.extra_legal_review_reasons(case, penalty, on=on):
        if reason not in reasons:
            reasons.append(reason)
    return reasons


def collective_discussion_reasons(case: Case, penalty: Penalty) -> list[str]:
    """行政处罚法 第五十七条第二款 — complex circumstances or a major violation given a penalty."""
    reasons = _major_reasons(case, penalty)
    if case.is_complex:
        reasons.append("情节复杂")
    return reasons


def latest_legal_review(case: Case) -> Any:
    return case.legal_reviews.filter(notice_round=case.notice_round).order_by("-id").first()
