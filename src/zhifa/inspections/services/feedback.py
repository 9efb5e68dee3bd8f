"""企业评价: the enterprise's feedback on an inspection."""

from __future__ import annotations

from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.inspections import rules
from zhifa.inspections.models import Inspection, InspectionFeedback
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.services import record_append


@service
def feedback_submit(
    user: User, inspection: Inspection, *, rating: int, comment: str = "", problem_text: str = ""
) -> InspectionFeedback:
    """企业评价 — the inspected enterprise rates the visit once, anonymously, and may report a problem.

    No user is stored with the rating, and its ledger entry names no actor: the inspecting agency reads only
    aggregates (``feedback_summary``); supervisors read each rating.
    """
    perms.require(user, rules.RATE, inspection)
    if inspection.entered_at is None:
        raise RuleViolation(
            "检查尚未进行，不能评价。", "The inspection has not taken place.", code="not_inspected"
        )
    if not 1 <= int(rating) <= 5:
        raise InvalidInput("满意度应为 1–5。", "Rating must be 1-5.", field="rating")
    if InspectionFeedback.objects.filter(inspection=inspection).exists():
        raise RuleViolation("该次检查已评价。", "This inspection has been rated.", code="already_rated")
    feedback = InspectionFeedback.objects.create(
        inspection=inspection,
        rating=int(rating),
        comment=comment,
        problem_reported=bool(problem_text.strip()),
        problem_text=problem_text,
    )
    record_append(
        action="inspection.feedback",
        obj=feedback,
        changes={"rating": feedback.rating, "problem_reported": feedback.problem_reported},
    )
    return feedback
